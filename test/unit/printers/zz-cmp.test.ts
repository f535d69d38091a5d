import { it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { jsonpath, jsonpathAsJson } from '../../../src/printers/jsonpath.js';
it('cmp', () => {
  const data = JSON.parse(readFileSync('/tmp/jp.json', 'utf8'));
  data.metadata.labels.z = 'z';
  const cases = JSON.parse(readFileSync('/tmp/jp-oracle.json', 'utf8'));
  const bad: string[] = [];
  for (const c of cases) {
    let out = '', err = '', code = 0;
    try {
      out = (c.fmt === 'jsonpath' ? jsonpath : jsonpathAsJson)(c.t, data, { allowMissingKeys: c.allow });
    } catch (e) { err = (e as Error).message; code = 1; }
    const kerr = c.stderr;
    const errOk = code === 0 ? kerr === '' : (kerr === err + (err.endsWith('\n') ? '' : '\n') || kerr.split('\n')[0] === err.split('\n')[0] );
    if (out !== c.stdout || code !== c.code || !errOk) bad.push(`${c.fmt} allow=${c.allow} ${JSON.stringify(c.t)}\n  kubectl(${c.code}): ${JSON.stringify(c.stdout)} ${JSON.stringify(kerr.split('\n')[0])}\n  mine(${code}):    ${JSON.stringify(out)} ${JSON.stringify(err.split('\n')[0])}`);
  }
  console.log(bad.join('\n'));
  console.log(bad.length, 'mismatches of', cases.length);
});
