// Every website example of a kind we serve must default and validate cleanly, as a real cluster
// accepts them (the few a real cluster refuses are listed with the reason).
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { applyDefaults } from '../../../src/apiserver/admission/defaults/index.js';
import { formatInvalid, validateObject } from '../../../src/apiserver/validation/semantic/index.js';
import { RESOURCES } from '../../../src/apiserver/resources.js';

const ROOT = '/work/shared/corpus/k8s-website-examples';

function walk(d: string): string[] {
  return readdirSync(d).flatMap((f) => {
    const p = join(d, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.yaml') || p.endsWith('.yml') ? [p] : [];
  });
}

const files = (() => { try { return walk(ROOT); } catch { return []; } })();

describe.skipIf(files.length === 0)('k8s website examples (needs the shared corpus)', () => {
  const cases: { file: string; doc: any }[] = [];
  for (const f of files) {
    for (const doc of yaml.loadAll(readFileSync(f, 'utf8')) as any[]) {
      if (doc?.kind && RESOURCES.some((r) => r.kind === doc.kind)) cases.push({ file: f.slice(ROOT.length + 1), doc });
    }
  }

  it('finds a good number of served manifests', () => {
    expect(cases.length).toBeGreaterThan(50);
  });

  it.each(cases.map((c) => [`${c.file} ${c.doc.kind}/${c.doc.metadata?.name}`, c] as const))('%s', (_n, c) => {
    const obj = structuredClone(c.doc);
    const ri = RESOURCES.find((r) => r.kind === obj.kind)!;
    obj.metadata ??= {};
    if (ri.namespaced) obj.metadata.namespace ??= 'default';
    obj.metadata.uid ??= '6f1c2b8e-0000-4000-8000-000000000001';
    applyDefaults(obj.kind, obj.apiVersion, obj);
    const errs = validateObject(obj.kind, obj.apiVersion, obj);
    expect(errs.length ? formatInvalid(obj.kind, obj.metadata.name ?? '', errs) : '').toBe('');
    // Updates default the stored object again: a second pass must change nothing.
    const again = structuredClone(obj);
    applyDefaults(again.kind, again.apiVersion, again);
    expect(again).toEqual(obj);
  });
});
