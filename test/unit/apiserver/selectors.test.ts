// Label and field selectors, string and object forms.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseLabelSelector, matches, fromLabelSelector, selectorString, compileFieldSelector } from '../../../src/apiserver/selectors.js';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front', env: 'prod' };
  it.each([
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app=web,tier=back', false],
    ['env in (prod,staging)', true],
    ['env notin (prod)', false],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['missing!=x', true],
    ['', true],
  ])('%s → %s', (sel, want) => {
    expect(matches(parseLabelSelector(sel), labels)).toBe(want);
  });

  it('refuses what apimachinery refuses', () => {
    expect(() => parseLabelSelector('app in web')).toThrow(/unable to parse requirement/);
    expect(() => parseLabelSelector('a=b c')).toThrow(/unable to parse requirement/);
  });

  it('matches a LabelSelector object exactly as its string form does (property)', () => {
    const key = fc.constantFrom('app', 'tier', 'env');
    const val = fc.constantFrom('a', 'b', 'c');
    const expr = fc.record({ key, operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'), values: fc.array(val, { minLength: 1, maxLength: 2 }) });
    fc.assert(
      fc.property(fc.dictionary(key, val), fc.dictionary(key, val), fc.array(expr, { maxLength: 3 }), (lbls, matchLabels, matchExpressions) => {
        const ls = { matchLabels, matchExpressions };
        const viaObject = matches(fromLabelSelector(ls), lbls);
        const viaString = matches(parseLabelSelector(selectorString(ls)), lbls);
        expect(viaString).toBe(viaObject);
      }),
    );
  });
});

describe('field selectors', () => {
  it('selects pods by phase and node, refusing unknown fields as the apiserver does', () => {
    const pods = [
      { metadata: { name: 'a', namespace: 'x' }, spec: { nodeName: 'n1' }, status: { phase: 'Running' } },
      { metadata: { name: 'b', namespace: 'x' }, spec: {}, status: { phase: 'Pending' } },
    ];
    expect(pods.filter(compileFieldSelector('Pod', 'pods', 'status.phase=Running')).map((p) => p.metadata.name)).toEqual(['a']);
    expect(pods.filter(compileFieldSelector('Pod', 'pods', 'spec.nodeName=')).map((p) => p.metadata.name)).toEqual(['b']);
    expect(pods.filter(compileFieldSelector('Pod', 'pods', 'metadata.name!=a')).map((p) => p.metadata.name)).toEqual(['b']);
    expect(() => compileFieldSelector('Pod', 'pods', 'spec.bogus=1')).toThrow('field label not supported: spec.bogus');
  });
});
