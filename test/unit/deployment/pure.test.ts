import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeHash, safeEncodeString } from '../../../src/controllers/deployment/hash.js';
import { podsToDelete } from '../../../src/controllers/pod-control.js';
import { maxSurge, maxUnavailable, resolveFenceposts, setNewReplicaSetAnnotations } from '../../../src/controllers/deployment/util.js';

const T = Date.parse('2026-01-01T00:10:00Z');
const at = (s: number) => new Date(T - s * 1000).toISOString().replace('.000Z', 'Z');
function pod(name: string, o: { node?: string; phase?: string; ready?: boolean; readySince?: number; restarts?: number; age?: number; cost?: number } = {}) {
  return {
    metadata: { name, uid: name, creationTimestamp: at(o.age ?? 100), annotations: o.cost !== undefined ? { 'controller.kubernetes.io/pod-deletion-cost': String(o.cost) } : undefined },
    spec: { nodeName: o.node },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: at(o.readySince ?? 90) }],
      containerStatuses: [{ restartCount: o.restarts ?? 0 }],
    },
  };
}

describe('pod deletion order', () => {
  it('unscheduled, pending, not ready, cheaper, doubled-up, recently ready, restarted, newer', () => {
    const pods = [
      pod('old-ready', { node: 'a', readySince: 3000, age: 3000 }),
      pod('unscheduled', { phase: 'Pending', ready: false }),
      pod('pending', { node: 'b', phase: 'Pending', ready: false }),
      pod('not-ready', { node: 'c', ready: false }),
      pod('restarts', { node: 'd', restarts: 5, readySince: 3000, age: 3000 }),
      pod('just-ready', { node: 'e', readySince: 2 }),
    ];
    const order = podsToDelete(pods, pods, 5, T).map((p) => p.metadata!.name);
    expect(order).toEqual(['unscheduled', 'pending', 'not-ready', 'just-ready', 'restarts']);
    const costly = [pod('x', { node: 'a', cost: 10 }), pod('y', { node: 'b', cost: -5 })];
    expect(podsToDelete(costly, costly, 1, T)[0].metadata!.name).toBe('y');
    const doubled = [pod('alone', { node: 'a' }), pod('twin1', { node: 'b' }), pod('twin2', { node: 'b' })];
    expect(podsToDelete(doubled, doubled, 1, T)[0].metadata!.name).toMatch(/^twin/);
  });
});

describe('pod-template-hash', () => {
  it('is deterministic, key-order independent, and has the real length and alphabet', () => {
    const a = { metadata: { labels: { app: 'x', tier: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const b = { spec: { containers: [{ image: 'nginx', name: 'c' }] }, metadata: { labels: { tier: 'web', app: 'x' } } };
    expect(computeHash(a)).toBe(computeHash(b));
    expect(computeHash(a, 1)).not.toBe(computeHash(a));
    fc.assert(fc.property(fc.string(), fc.option(fc.nat(100)), (img, cc) => {
      const h = computeHash({ spec: { containers: [{ name: 'c', image: img }] } }, cc);
      // SafeEncodeString of a uint32's decimal: up to 10 of the letters the digits map to
      return /^[4-9bcdf]{1,10}$/.test(h);
    }));
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
  });
});

describe('surge and unavailable', () => {
  it('rounds surge up and unavailable down, as ResolveFenceposts', () => {
    expect(resolveFenceposts('25%', '25%', 10)).toEqual([3, 2]);
    expect(resolveFenceposts('25%', '25%', 1)).toEqual([1, 0]);
    expect(resolveFenceposts(0, '10%', 5)).toEqual([0, 1]);
    const d = { spec: { replicas: 3, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '50%', maxUnavailable: 5 } } } };
    expect(maxSurge(d)).toBe(2);
    expect(maxUnavailable(d)).toBe(3);
    expect(maxSurge({ spec: { replicas: 3, strategy: { type: 'Recreate' } } })).toBe(0);
  });

  it('revision-history keeps the previous revisions of a reused ReplicaSet', () => {
    const d = { metadata: { annotations: { team: 'a', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } }, spec: { replicas: 2 } };
    const rs: any = { metadata: { annotations: { 'deployment.kubernetes.io/revision': '1' } } };
    expect(setNewReplicaSetAnnotations(d, rs, 4, true)).toBe(true);
    expect(setNewReplicaSetAnnotations(d, rs, 6, true)).toBe(true);
    expect(rs.metadata.annotations).toEqual({ team: 'a', 'deployment.kubernetes.io/revision': '6', 'deployment.kubernetes.io/revision-history': '1,4' });
    expect(setNewReplicaSetAnnotations(d, rs, 6, true)).toBe(false);
  });
});
