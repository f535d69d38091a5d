// Golden transcripts for scenario tests: each step of a scenario is one real CLI call whose output
// (stdout, then stderr and the exit code when there are any) is compared with a file under
// test/scenario/golden/<scenario>/<step>.txt. UPDATE_GOLDEN=1 writes (rewrites) the files; without it
// a missing file is a failure, so a golden exists only once someone chose to write it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { freshHome, run, runner, type RunResult } from '../helpers.js';

const DIR = __dirname;
/** Preloaded into the call that creates a scenario's cluster: its virtual clock starts at a fixed instant. */
const FIXED_CLOCK = join(DIR, 'fixed-clock.mjs');

/**
 * Text that depends on the wall clock or the machine rather than on the cluster, replaced by a
 * fixed token. The virtual clock of a scenario starts at a pinned instant (fixed-clock.mjs) and
 * moves only with `cluster advance`, so timestamps and ages are the cluster's own and kept as they
 * are: a change in them is a change in behaviour.
 */
export function normalise(text: string, home?: string): string {
  return home ? text.split(home).join('<MINIKCTL_HOME>') : text;
}

export function transcript(args: string[], r: RunResult): string {
  let out = `$ minikctl ${args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ')}\n${r.stdout}`;
  if (r.stderr) out += `[stderr]\n${r.stderr}`;
  if (r.code !== 0) out += `[exit ${r.code}]\n`;
  return normalise(out, r.home);
}

export function expectGolden(file: string, actual: string): void {
  const path = join(DIR, file);
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
  }
  if (!existsSync(path)) throw new Error(`no golden file ${file}: run with UPDATE_GOLDEN=1 to write it, then read it against kubectl`);
  expect(actual, `golden ${file} (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(path, 'utf8'));
}

export interface Scenario {
  home: string;
  /** runs a command that must succeed (exit 0, no stderr) and returns its stdout */
  ok(...args: string[]): string;
  /** runs a command and returns the result as it is */
  raw(...args: string[]): RunResult;
  /** runs a command and compares its transcript with <scenario>/<step>.txt */
  golden(step: string, ...args: string[]): RunResult;
  /** `cluster advance DURATION` */
  advance(d: string): void;
  /** `apply -f -` of a manifest given inline; must succeed */
  apply(manifest: string): string;
}

/** A fresh cluster in the given time mode whose clock starts at the same instant on every run. */
export function scenario(name: string, time: 'manual' | 'instant' = 'manual', createArgs: string[] = []): Scenario {
  const home = freshHome();
  const env = { MINIKCTL_TIME: time };
  const created = run(['cluster', 'create', '--time', time, ...createArgs], { home, env: { ...env, NODE_OPTIONS: `--import=${FIXED_CLOCK}` } });
  expect(created.code, created.stderr).toBe(0);
  const { raw, ok } = runner(home, env);
  return {
    home, raw, ok,
    golden(step, ...args) {
      const r = raw(...args);
      expectGolden(`${name}/${step}.txt`, transcript(args, r));
      return r;
    },
    advance(d) {
      ok('cluster', 'advance', d);
    },
    apply(manifest) {
      const r = run(['apply', '-f', '-'], { home, env, input: manifest });
      expect(r.stderr, manifest).toBe('');
      expect(r.code).toBe(0);
      return r.stdout;
    },
  };
}
