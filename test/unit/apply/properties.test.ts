import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createJsonMergePatch, jsonMergePatch } from '../../../src/client/apply/json-merge.js';
import { createThreeWayMergePatch, createTwoWayMergePatch, strategicMergePatch } from '../../../src/client/apply/strategic-merge.js';

// Keys a user could write; "__proto__" is left out because JSON.parse would make it an own key but
// object literals in the generator would not.
const key = fc.string({ minLength: 1, maxLength: 6 }).filter((k) => k !== '__proto__');
const scalar = fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean());
const { json } = fc.letrec((tie) => ({
  json: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('json'), { maxLength: 3 }), tie('obj')),
  obj: fc.dictionary(key, tie('json'), { maxKeys: 4 }),
}));
const jsonObject = fc.dictionary(key, json, { maxKeys: 5 });

describe('JSON merge patch properties', () => {
  it('jsonMergePatch(a, createJsonMergePatch(a, b)) equals b (documents without nulls)', () => {
    fc.assert(
      fc.property(jsonObject, jsonObject, (a, b) => {
        expect(jsonMergePatch(a, createJsonMergePatch(a, b))).toEqual(b);
      }),
      { numRuns: 300 },
    );
  });
});

// Pod-like documents: the lists that strategic merge treats specially, with overlapping keys.
const name = fc.constantFrom('a', 'b', 'c', 'd');
const container = fc.record(
  {
    name,
    image: fc.constantFrom('nginx', 'redis', 'busybox'),
    args: fc.array(fc.constantFrom('-v', '-q', '--x'), { maxLength: 3 }),
    ports: fc.uniqueArray(fc.record({ containerPort: fc.constantFrom(80, 443, 8080), name: fc.constantFrom('http', 'https') }), {
      selector: (p) => p.containerPort,
      maxLength: 3,
    }),
    env: fc.uniqueArray(fc.record({ name: fc.constantFrom('A', 'B', 'C'), value: fc.constantFrom('1', '2') }), { selector: (e) => e.name, maxLength: 3 }),
  },
  { requiredKeys: ['name'] },
);
const podDoc = fc.record(
  {
    apiVersion: fc.constant('v1'),
    kind: fc.constant('Pod'),
    metadata: fc.record(
      {
        name: fc.constant('p'),
        labels: fc.dictionary(fc.constantFrom('app', 'tier', 'env'), fc.constantFrom('x', 'y')),
        finalizers: fc.uniqueArray(fc.constantFrom('f1', 'f2', 'f3'), { maxLength: 3 }),
      },
      { requiredKeys: ['name'] },
    ),
    spec: fc.record(
      {
        containers: fc.uniqueArray(container, { selector: (c) => c.name, maxLength: 3 }),
        tolerations: fc.array(fc.record({ key: fc.constantFrom('k1', 'k2'), operator: fc.constant('Exists') }), { maxLength: 2 }),
        volumes: fc.uniqueArray(
          fc.oneof(fc.record({ name, emptyDir: fc.constant({}) }), fc.record({ name, configMap: fc.record({ name: fc.constantFrom('cm1', 'cm2') }) })),
          { selector: (v) => v.name, maxLength: 2 },
        ),
        nodeName: fc.constantFrom('n1', 'n2'),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['apiVersion', 'kind', 'metadata', 'spec'] },
);

describe('strategic merge properties (pod-like documents)', () => {
  it('applying createThreeWayMergePatch(x, y, x) to x gives y', () => {
    fc.assert(
      fc.property(podDoc, podDoc, (x, y) => {
        const patch = createThreeWayMergePatch(x, y, x, 'v1/Pod');
        expect(strategicMergePatch(x, patch, 'v1/Pod')).toEqual(y);
      }),
      { numRuns: 400 },
    );
  });

  it('applying createTwoWayMergePatch(x, y) to x gives y', () => {
    fc.assert(
      fc.property(podDoc, podDoc, (x, y) => {
        expect(strategicMergePatch(x, createTwoWayMergePatch(x, y, 'v1/Pod'), 'v1/Pod')).toEqual(y);
      }),
      { numRuns: 300 },
    );
  });

  it('the three-way patch of an unchanged config is empty whatever the live object gained', () => {
    fc.assert(
      fc.property(podDoc, fc.constantFrom(1, 3, 5), (x, replicas) => {
        const live = { ...structuredClone(x), status: { phase: 'Running' }, extra: replicas };
        expect(createThreeWayMergePatch(x, x, live, 'v1/Pod')).toEqual({});
      }),
      { numRuns: 100 },
    );
  });
});
