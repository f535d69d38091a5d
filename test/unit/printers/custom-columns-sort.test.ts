import { describe, it, expect } from 'vitest';
import { customColumns, goSprint } from '../../../src/printers/custom-columns.js';
import { sortObjects, naturalLess, quantityValue } from '../../../src/printers/sort.js';
import { CliError } from '../../../src/cli/errors.js';
import { pods, oddPods, nodes } from './fixtures.js';

describe('custom-columns', () => {
  it('prints one aligned row per object, <none> for missing paths', () => {
    const out = customColumns('NAME:.metadata.name,NODE:.spec.nodeName,IP:.status.podIP', [pods[0], oddPods[0]]);
    expect(out).toBe('NAME                  NODE       IP\nweb-7d4b9c8f5-2xk9p   worker-1   10.244.1.5\npending               <none>     <none>\n');
  });

  it('joins several values with commas and accepts relaxed paths', () => {
    const out = customColumns('C:spec.containers[*].name,I:{.spec.initContainers[*].image}', [oddPods[2]], { noHeaders: true });
    // tabwriter's minimum cell width is 6, so a 1-character column still takes 6
    expect(out).toBe('c     busybox,busybox\n');
  });

  it('prints maps and lists the way Go fmt does', () => {
    expect(goSprint({ b: 1, a: ['x', 'y'] })).toBe('map[a:[x y] b:1]');
    const out = customColumns('PORTS:.spec.ports', [{ spec: { ports: [{ port: 80, protocol: 'TCP' }] } }]);
    expect(out).toBe('PORTS\n[map[port:80 protocol:TCP]]\n');
  });

  it('reads a custom-columns-file (headers line, paths line)', () => {
    const out = customColumns('NAME   STATUS\n.metadata.name   .status.phase\n', [pods[0]], { fromFile: true });
    expect(out).toBe('NAME                  STATUS\nweb-7d4b9c8f5-2xk9p   Running\n');
  });

  it('rejects a malformed spec with kubectl\'s message', () => {
    expect(() => customColumns('NAME', [pods[0]])).toThrow('error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>');
    expect(() => customColumns('', [pods[0]])).toThrow('error: custom-columns format specified but no custom columns given');
    expect(() => customColumns('A B\n.a\n', [pods[0]], { fromFile: true })).toThrow('error: expected 2 fields, found 1');
  });
});

describe('--sort-by', () => {
  const names = (xs: any[]) => xs.map((x) => x.metadata.name);

  it('sorts strings byte-wise as kubectl 1.32 does (web-10 before web-2)', () => {
    const objs = ['web-2', 'web-10', 'api', 'web-1'].map((n) => ({ metadata: { name: n } }));
    expect(names(sortObjects(objs, '.metadata.name'))).toEqual(['api', 'web-1', 'web-10', 'web-2']);
    expect(naturalLess('a2', 'a10')).toBe(true);
  });

  it('refuses values kubectl cannot order', () => {
    const objs = [{ metadata: { name: 'a' }, n: 3 }, { metadata: { name: 'b' }, n: 1.5 }];
    expect(() => sortObjects(objs, '.n')).toThrow(/sorter.go:329\] Field \{\.n\} in \*unstructured.Unstructured is an unsortable type: interface, err: unsortable interface: interface$/);
    expect(() => sortObjects([{ b: true }, { b: false }], '.b')).toThrow(/err: unsortable type: bool$/);
  });

  it('sorts numbers numerically and puts objects without the field first, last one first', () => {
    const objs = [
      { metadata: { name: 'a' }, spec: { replicas: 10 } },
      { metadata: { name: 'b' }, spec: {} },
      { metadata: { name: 'c' }, spec: { replicas: 9 } },
      { metadata: { name: 'd' }, spec: {} },
    ];
    // Go's insertion sort with kubectl's Less (missing < anything, even missing) reverses them
    expect(names(sortObjects(objs, '{.spec.replicas}'))).toEqual(['d', 'b', 'c', 'a']);
  });

  it('orders like Go\'s unstable sort on longer lists (ties are not kept in input order)', () => {
    const objs = Array.from({ length: 20 }, (_, i) => ({ metadata: { name: `p${i}` }, v: i % 3 }));
    const out = sortObjects(objs, '.v').map((o) => o.v);
    expect(out).toEqual([...out].sort((a, b) => a - b));
  });

  it('compares quantities by value', () => {
    const objs = ['1Gi', '500Mi', '2', '100m'].map((q, i) => ({ metadata: { name: `n${i}` }, q }));
    expect(sortObjects(objs, '.q').map((o) => o.q)).toEqual(['100m', '2', '500Mi', '1Gi']);
    expect(quantityValue('1.5k')).toBe(1500);
    expect(quantityValue('web-1')).toBeUndefined();
  });

  it('orders by timestamps and by restart counts inside lists', () => {
    expect(names(sortObjects([...pods, ...oddPods.slice(0, 3)], '.metadata.creationTimestamp'))).toEqual([
      'web-7d4b9c8f5-2xk9p',
      'web-7d4b9c8f5-8mzqw',
      'web-7d4b9c8f5-tq4vn',
      'init',
      'pending',
      'creating',
    ]);
    expect(names(sortObjects(pods, '.status.containerStatuses[0].restartCount'))).toEqual(['web-7d4b9c8f5-2xk9p', 'web-7d4b9c8f5-8mzqw', 'web-7d4b9c8f5-tq4vn']);
    expect(names(sortObjects(nodes, '.metadata.name')).at(0)).toBe('control-plane');
  });

  it('fails when no object has the field', () => {
    expect(() => sortObjects(pods, '.foo')).toThrow(CliError);
    expect(() => sortObjects(pods, '.foo')).toThrow('error: couldn\'t find any field with path "{.foo}" in the list of objects');
    // a single object is not sorted (and not checked)
    expect(sortObjects([pods[0]], '.foo')).toEqual([pods[0]]);
    expect(sortObjects([pods[0]], '.foo', { table: true })).toEqual([pods[0]]);
    // a table whose rows all lack it comes out empty, as kubectl prints it
    expect(sortObjects(pods, '.foo', { table: true })).toEqual([]);
  });
});
