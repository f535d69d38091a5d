// kubectl taint's parsing and list arithmetic, rule by rule.
import { describe, expect, it } from 'vitest';
import { parseTaint, parseTaints, reorganizeTaints, taintString } from '../../../src/cli/commands/taint.js';

describe('parseTaint', () => {
  it('reads key=value:effect, key:effect and a bare key', () => {
    expect(parseTaint('dedicated=gpu:NoSchedule')).toEqual({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' });
    expect(parseTaint('example.com/x:PreferNoSchedule')).toEqual({ key: 'example.com/x', effect: 'PreferNoSchedule' });
    expect(parseTaint('dedicated')).toEqual({ key: 'dedicated' });
  });

  it('refuses an unknown effect, two "=" and a bad key with kubectl words', () => {
    expect(() => parseTaint('a=b:Bad')).toThrow('invalid taint effect: Bad, unsupported taint effect');
    expect(() => parseTaint('a=b=c:NoSchedule')).toThrow('invalid taint spec: a=b=c:NoSchedule');
    expect(() => parseTaint('a=b')).toThrow(/^invalid taint spec: a=b, name part must consist of alphanumeric characters/);
    expect(() => parseTaint('a:b:c')).toThrow('invalid taint spec: a:b:c');
  });
});

describe('parseTaints', () => {
  it('splits additions from removals and needs an effect to add', () => {
    expect(parseTaints(['a=1:NoSchedule', 'b-', 'c:NoExecute-'])).toEqual({
      add: [{ key: 'a', value: '1', effect: 'NoSchedule' }],
      remove: [{ key: 'b' }, { key: 'c', effect: 'NoExecute' }],
    });
    expect(() => parseTaints(['a=1'])).toThrow();
    expect(() => parseTaints(['a'])).toThrow('invalid taint spec: a');
  });

  it('refuses the same key and effect twice, printing the taint as Go does', () => {
    expect(() => parseTaints(['a=b:NoSchedule', 'a=c:NoSchedule'])).toThrow('duplicated taints with the same key and effect: {a c NoSchedule <nil>}');
  });
});

describe('reorganizeTaints', () => {
  const old = [{ key: 'x', value: '1', effect: 'NoSchedule' }];
  it('adds in front of the old taints and says tainted', () => {
    const r = reorganizeTaints(old, false, [{ key: 'y', effect: 'NoExecute' }], []);
    expect(r.operation).toBe('tainted');
    expect(r.taints.map(taintString)).toEqual(['y:NoExecute', 'x=1:NoSchedule']);
  });

  it('says untainted for a removal, and reports a taint that is not there', () => {
    expect(reorganizeTaints(old, false, [], [{ key: 'x' }])).toMatchObject({ operation: 'untainted', taints: [], errors: [] });
    expect(reorganizeTaints(old, false, [], [{ key: 'z' }]).errors).toEqual(['taint "z" not found']);
    expect(reorganizeTaints(old, false, [], [{ key: 'x', effect: 'NoExecute' }]).errors).toEqual(['taint "x:NoExecute" not found']);
  });

  it('says modified with --overwrite, or when adding and removing at once', () => {
    expect(reorganizeTaints(old, true, [{ key: 'x', value: '2', effect: 'NoSchedule' }], []).operation).toBe('modified');
    expect(reorganizeTaints(old, false, [{ key: 'y', effect: 'NoSchedule' }], [{ key: 'x' }]).operation).toBe('modified');
  });
});
