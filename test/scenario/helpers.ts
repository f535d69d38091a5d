// Runs the real CLI as a user would: real argv, a temporary MINIKCTL_HOME, captured stdout, stderr
// and exit code.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';

export const BIN = join(__dirname, '..', '..', 'bin', 'minikctl');

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
  home: string;
}

export function freshHome(): string {
  return mkdtempSync(join(tmpdir(), 'minikctl-test-'));
}

export function run(args: string[], opts: { home?: string; input?: string; env?: Record<string, string> } = {}): RunResult {
  const home = opts.home ?? freshHome();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, MINIKCTL_HOME: home, TZ: 'UTC', ...opts.env },
    input: opts.input,
    encoding: 'utf8',
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1, home };
}

/**
 * Commands against one home: `raw` returns what happened; `ok` expects success with nothing on
 * stderr (the command is named in the failure) and returns stdout.
 */
export function runner(home: string, env: Record<string, string> = {}): { raw: (...args: string[]) => RunResult; ok: (...args: string[]) => string } {
  const raw = (...args: string[]) => run(args, { home, env });
  const ok = (...args: string[]) => {
    const r = raw(...args);
    expect(r.stderr, `minikctl ${args.join(' ')}`).toBe('');
    expect(r.code, `minikctl ${args.join(' ')}`).toBe(0);
    return r.stdout;
  };
  return { raw, ok };
}
