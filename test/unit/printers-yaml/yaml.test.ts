import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toJson } from '../../../src/printers/json.js';
import { asList, keyLess, toYaml } from '../../../src/printers/yaml.js';

const hasKubectl = spawnSync('kubectl', ['version', '--client']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'yaml-'));

// `kubectl label --local -f FILE -o yaml` prints any object through kubectl's YAML printer offline.
function kubectlYaml(obj: Record<string, any>): string {
  const f = join(dir, 'o.json');
  writeFileSync(f, JSON.stringify(obj));
  const r = spawnSync('kubectl', ['label', '--local', '-f', f, 'zz=1', '--overwrite', '-o', 'yaml'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

const wrap = (extra: Record<string, unknown>): Record<string, any> => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { zz: '1' } }, ...extra });

const TRICKY = [
  'true', 'True', 'yes', 'n', 'y', 'off', '~', 'null', '', '1.0', '0755', '08', '0x1F', '1e3', '.5', '1_000', '+1', '-1', '1:20', '2001-12-14',
  '2001-02-30', '2001-1-2 3:04:05', '2001-12-14T21:59:43.10-05:00', 'v1.2', '10.0.0.1', 'a: b', 'a #b', '#x', '- x', '-', '?', 'a:', "'q'", '"dq"',
  '*a', '&a', '!a', '%a', '@a', '`a', '[a]', '{a}', 'a,b', '  lead', 'trail ', 'a\tb', 'a\rb', 'a\u0001b', 'héllo ✓', 'a😀b', '\ufeffab', 'a\u2028b',
  'line1\nline2\n', 'line1\nline2', 'a\n\n', ' lead\nx', 'trail \nx', '\nleading', 'x\n  indented\ny', '---', '...x', 'a\\b', 'Infinity', '<&>',
  'word '.repeat(25).trim(), 'x'.repeat(120), `'${'quoted words '.repeat(10)}`, `tab\t${'and words '.repeat(10)}`, 'a  b  '.repeat(20),
];

describe('toYaml golden (no kubectl needed)', () => {
  it('sorts keys like go-yaml, quotes ambiguous strings, does not indent sequences in maps', () => {
    expect(toYaml({ b10: 1, b9: 2, a: { list: [{ name: 'x', v: 'true' }, [1, []]], e: {} }, _z: null, B: '1.0' })).toBe(`_z: null
B: "1.0"
a:
  e: {}
  list:
  - name: x
    v: "true"
  - - 1
    - []
b9: 2
b10: 1
`);
  });

  it('folds long plain scalars after column 80 and uses literal blocks for multi-line text', () => {
    const y = toYaml({ k: 'word '.repeat(20).trim(), m: 'a\nb\n' });
    expect(y).toBe(`k: word word word word word word word word word word word word word word word word
  word word word word
m: |
  a
  b
`);
  });

  it('prints floats like Go', () => {
    expect(toYaml({ a: 1.5, b: 1234567.5, c: 0.00001, d: -3 })).toBe('a: 1.5\nb: 1.2345675e+06\nc: 1e-05\nd: -3\n');
  });

  it('orders digit runs numerically and non-letters first', () => {
    const keys = ['b10', 'a', '_x', 'b9', 'B', '1', 'a01', 'a1'];
    expect(keys.sort((x, y) => (keyLess(x, y) ? -1 : keyLess(y, x) ? 1 : 0))).toEqual(['_x', '1', 'B', 'a', 'a1', 'a01', 'b9', 'b10']);
  });

  it('asList wraps objects the way kubectl prints several', () => {
    expect(toYaml(asList([{ kind: 'A' }]))).toBe('apiVersion: v1\nitems:\n- kind: A\nkind: List\nmetadata:\n  resourceVersion: ""\n');
  });
});

describe('toJson', () => {
  it('uses 4-space indent, insertion order and Go HTML escaping', () => {
    expect(toJson({ z: '<a&b>', a: [], e: {}, u: 'a\u2028' })).toBe('{\n    "z": "\\u003ca\\u0026b\\u003e",\n    "a": [],\n    "e": {},\n    "u": "a\\u2028"\n}\n');
  });
});

describe.skipIf(!hasKubectl)('toYaml matches kubectl -o yaml byte for byte (needs kubectl)', () => {
  it('tricky strings as values and keys', () => {
    const data: Record<string, string> = {};
    TRICKY.forEach((s, i) => (data[`k${i}`] = s));
    const obj = wrap({ data });
    expect(toYaml(obj)).toBe(kubectlYaml(obj));
    // go-yaml's key order is not transitive for digit-led keys ("1e3", "1.0", "1:20"), so their
    // relative order depends on Go's sort algorithm; such keys are left out here.
    const keyed: Record<string, number> = {};
    TRICKY.filter((s) => !/^[0-9]/.test(s)).forEach((s, i) => (keyed[s] = i));
    const obj2 = wrap({ spec: keyed });
    expect(toYaml(obj2)).toBe(kubectlYaml(obj2));
  });

  it('nested structures, long strings at depth, sequences of sequences', () => {
    const long = 'word '.repeat(30).trim();
    const obj = wrap({
      spec: { a: [], b: {}, c: null, d: [[1, 2], [], [[long]]], e: [{ x: 1, y: [{ z: long }] }, {}], f: 1.5, g: 1234567.5, h: 0.00001, k: true },
      [long]: { a: 1 },
      'multi\nline key': [1, { b: [] }],
    });
    expect(toYaml(obj)).toBe(kubectlYaml(obj));
  });

  it('random documents built from tricky pieces', () => {
    const leaf = fc.oneof(fc.constantFrom(...TRICKY), fc.integer({ min: -1000, max: 1000 }), fc.boolean(), fc.constant(null), fc.string({ maxLength: 12 }));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('arr'), tie('obj')),
      arr: fc.array(tie('tree'), { maxLength: 3 }),
      obj: fc.dictionary(fc.constantFrom('a', 'b10', 'b9', '_x', '1', 'B', 'n', 'y', 'key with space', 'a: b', 'é', 'z09', 'z9'), tie('tree'), { maxKeys: 4 }),
    }));
    fc.assert(
      fc.property(tree, (t) => {
        const obj = wrap({ spec: { t } });
        expect(toYaml(obj)).toBe(kubectlYaml(obj));
      }),
      { numRuns: 25, seed: 42 },
    );
  });
});
