// Every manifest of the Kubernetes website examples (/work/shared/corpus/k8s-website-examples),
// applied as a user would on a fresh cluster: accepted, or refused the way a real apiserver refuses it.
// Files are applied a few at a time (one CLI run per batch); a batch never holds two objects of the
// same name, and a file that sets a ResourceQuota or LimitRange gets a cluster of its own, so every
// file sees the cluster as it would on its own.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadAll } from 'js-yaml';
import { spawnSync } from 'node:child_process';
import { run, freshHome, BIN } from './helpers.js';
import { findByKind } from '../../src/apiserver/resources.js';

const CORPUS = '/work/shared/corpus/k8s-website-examples';
// Namespaces the examples expect to exist (the tasks create them first).
const NAMESPACES = ['qos-example', 'cpu-example', 'mem-example'];

/** The files a real 1.36 cluster refuses, with what kubectl prints (SRC is replaced by the path). */
const REFUSED: Record<string, string> = {
  // batch/v1beta1 CronJob was removed in 1.25
  'application/job/cronjob.yaml':
    'error: resource mapping not found for name: "hello" namespace: "" from "SRC": no matches for kind "CronJob" in version "batch/v1beta1"\nensure CRDs are installed first',
  // the stored copy has a list where NodeSelector is an object
  'pods/pod-with-node-affinity.yaml':
    'Error from server (BadRequest): error when creating "SRC": Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal array into Go struct field NodeAffinity.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution of type v1.NodeSelector',
};

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (/\.(ya?ml|json)$/.test(name)) out.push(p);
  }
  return out;
}

interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

function docsOf(path: string): Doc[] {
  const docs = (loadAll(readFileSync(path, 'utf8')) as Doc[]).filter(Boolean);
  return docs.flatMap((d: any) => (d.kind === 'List' ? d.items : [d]));
}

const ref = (d: Doc) => {
  const ri = findByKind(d.apiVersion, d.kind);
  return `${d.kind.toLowerCase()}${ri?.group ? `.${ri.group}` : ''}/${d.metadata.name}`;
};

function batches(paths: string[]): string[][] {
  const out: { files: string[]; keys: Set<string> }[] = [];
  for (const p of paths) {
    const docs = docsOf(p);
    if (docs.some((d) => d.kind === 'ResourceQuota' || d.kind === 'LimitRange')) {
      out.push({ files: [p], keys: new Set(['*']) });
      continue;
    }
    const keys = docs.map((d) => `${d.kind}/${d.metadata.namespace ?? ''}/${d.metadata.name}`);
    const b = out.find((x) => !x.keys.has('*') && keys.every((k) => !x.keys.has(k)) && x.files.length < 12);
    if (b) {
      b.files.push(p);
      keys.forEach((k) => b.keys.add(k));
    } else out.push({ files: [p], keys: new Set(keys) });
  }
  return out.map((b) => b.files);
}

describe.skipIf(!existsSync(CORPUS))('the website examples (needs /work/shared/corpus)', () => {
  const all = files(CORPUS);

  it('has the files INDEX.txt lists', () => {
    const listed = readFileSync(join(CORPUS, 'INDEX.txt'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(' : ')[0]);
    expect(all.map((p) => relative(CORPUS, p)).sort()).toEqual(listed.sort());
    for (const f of Object.keys(REFUSED)) expect(listed).toContain(f);
  });

  it.each(batches(all).map((b, i) => [i + 1, b]))('batch %i is accepted or refused as a real cluster would', (_i, batch) => {
    const home = freshHome();
    const nsList = { apiVersion: 'v1', kind: 'List', items: NAMESPACES.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })) };
    expect(run(['apply', '-f', '-'], { home, input: JSON.stringify(nsList) }).code).toBe(0);
    const paths = batch as string[];
    // run from the corpus directory so sources print as relative paths, as in the docs
    const res = spawnIn(CORPUS, home, ['apply', ...paths.flatMap((p) => ['-f', relative(CORPUS, p)])]);
    let stdout = '';
    const stderr: string[] = [];
    for (const p of paths) {
      const rel = relative(CORPUS, p);
      if (REFUSED[rel]) {
        stderr.push(REFUSED[rel].replaceAll('SRC', rel));
        continue;
      }
      for (const d of docsOf(p)) stdout += `${ref(d)} created\n`;
    }
    expect(res.stdout).toBe(stdout);
    expect(res.stderr.trimEnd().split('\n').filter(Boolean).join('\n')).toBe(stderr.join('\n'));
    expect(res.code).toBe(stderr.length ? 1 : 0);
  });
});

function spawnIn(cwd: string, home: string, args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, MINIKCTL_HOME: home, TZ: 'UTC' }, encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}
