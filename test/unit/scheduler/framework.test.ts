// The cycle as pure functions: FitError messages word for word, selectHost, how many nodes are checked.
import { describe, expect, it } from 'vitest';
import { fitErrorMessage, numFeasibleNodesToFind, schedulePod, selectHost } from '../../../src/scheduler/framework.js';
import { defaultPreemption } from '../../../src/scheduler/preemption.js';
import { DEFAULT_PROFILE } from '../../../src/scheduler/profile.js';
import { podInfo } from '../../../src/scheduler/resources.js';
import { kindNodes, makeNode, makePod, seqRng, snapshotOf } from './fixtures.js';

const postFilter = defaultPreemption(DEFAULT_PROFILE);
function attempt(nodes: any[], pod: any, assigned: any[] = []) {
  return schedulePod(snapshotOf(nodes, assigned), DEFAULT_PROFILE, podInfo(pod), { rng: seqRng(), postFilter });
}
function message(nodes: any[], pod: any, assigned: any[] = []): string {
  const r = attempt(nodes, pod, assigned);
  if (r.ok) throw new Error(`scheduled on ${r.node}`);
  return r.message;
}

describe('FailedScheduling messages (kube-scheduler 1.32 FitError)', () => {
  it('taint on the control plane, not enough cpu on the workers', () => {
    expect(message(kindNodes(), makePod('p', { cpu: '5' }))).toBe(
      '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. ' +
        'preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.',
    );
  });
  it('memory', () => {
    expect(message(kindNodes(), makePod('p', { memory: '10Gi' }))).toBe(
      '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient memory. ' +
        'preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.',
    );
  });
  it('cpu and memory both short count each reason per node', () => {
    expect(message(kindNodes(), makePod('p', { cpu: '8', memory: '10Gi' }))).toBe(
      '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu, 3 Insufficient memory. ' +
        'preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.',
    );
  });
  it('nodeSelector that no node matches: preemption cannot help anywhere', () => {
    expect(message(kindNodes(), makePod('p', { nodeSelector: { disktype: 'ssd' } }))).toBe(
      "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match Pod's node affinity/selector. " +
        'preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.',
    );
  });
  it('a mix: one worker labelled but full, the others unlabelled', () => {
    const nodes = kindNodes();
    nodes[2].metadata!.labels!.disktype = 'ssd';
    const full = makePod('big', { cpu: '3500m', nodeName: 'minikctl-worker2' });
    expect(message(nodes, makePod('p', { cpu: '1', nodeSelector: { disktype: 'ssd' } }), [full])).toBe(
      "0/4 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. " +
        'preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.',
    );
  });
  it('lower-priority pods that would not free enough: the filter reason stays', () => {
    const nodes = [makeNode('w', { cpu: '2' })];
    const low = makePod('low', { cpu: '500m', nodeName: 'w', priority: -1 });
    const high = makePod('high', { cpu: '1', nodeName: 'w', priority: 100 });
    expect(message(nodes, makePod('p', { cpu: '1500m', priority: 10 }), [low, high])).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.',
    );
  });
  it('preemptionPolicy Never', () => {
    expect(message([makeNode('w', { cpu: '1' })], makePod('p', { cpu: '2', preemptionPolicy: 'Never' }))).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
    );
  });
  it('when preemption would work the message has no preemption part and a node is nominated', () => {
    const r = attempt([makeNode('w', { cpu: '2' })], makePod('p', { cpu: '2', priority: 10 }), [makePod('low', { cpu: '1', nodeName: 'w' })]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toBe('0/1 nodes are available: 1 Insufficient cpu.');
    expect(r.postFilter?.nominatedNode).toBe('w');
    expect(r.postFilter?.victims?.map((v) => v.metadata?.name)).toEqual(['low']);
  });
  it('too many pods', () => {
    expect(message([makeNode('w', { pods: 1 })], makePod('p'), [makePod('x', { nodeName: 'w' })])).toBe(
      '0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    );
  });
  it('no nodes at all', () => {
    expect(message([], makePod('p'))).toBe('no nodes available to schedule pods');
  });
  it('reasons sort as strings, as Go sort.Strings does', () => {
    const s = (r: string) => ({ code: 'Unschedulable' as const, plugin: 'x', reasons: [r] });
    expect(fitErrorMessage(12, [s('b'), s('a'), ...Array.from({ length: 10 }, () => s('c'))])).toBe('0/12 nodes are available: 1 a, 1 b, 10 c.');
  });
});

describe('the cycle', () => {
  it('never picks the tainted control plane, and spreads small pods by LeastAllocated', () => {
    const r = attempt(kindNodes(), makePod('p', { cpu: '100m' }), [makePod('x', { cpu: '1', nodeName: 'minikctl-worker' }), makePod('y', { cpu: '1', nodeName: 'minikctl-worker3' })]);
    expect(r.ok && r.node).toBe('minikctl-worker2');
    if (r.ok) expect(r.scores?.map((s) => s.node).sort()).toEqual(['minikctl-worker', 'minikctl-worker2', 'minikctl-worker3']);
  });
  it('a single feasible node is taken without scoring', () => {
    const r = attempt(kindNodes(), makePod('p', { nodeSelector: { 'kubernetes.io/hostname': 'minikctl-worker3' } }));
    expect(r.ok && r.node).toBe('minikctl-worker3');
    expect(r.ok && r.scores).toBeUndefined();
  });
  it('preferred affinity outweighs resources', () => {
    const nodes = kindNodes();
    nodes[3].metadata!.labels!.tier = 'fast';
    const pod = makePod('p', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['fast'] }] } }] } } });
    const r = attempt(nodes, pod, [makePod('x', { cpu: '2', nodeName: 'minikctl-worker3' })]);
    expect(r.ok && r.node).toBe('minikctl-worker3');
  });
  it('selectHost picks among the best equally often', () => {
    const rng = seqRng(7);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[selectHost([5, 9, 9, 9], rng)]++;
    expect(counts[0]).toBe(0);
    for (const c of counts.slice(1)) expect(c).toBeGreaterThan(800);
  });
  it('checks every node below 100, then the adaptive percentage, never fewer than 100', () => {
    expect(numFeasibleNodesToFind(4)).toBe(4);
    expect(numFeasibleNodesToFind(99)).toBe(99);
    expect(numFeasibleNodesToFind(100)).toBe(100);
    expect(numFeasibleNodesToFind(1000)).toBe(420);
    expect(numFeasibleNodesToFind(5000)).toBe(500);
    expect(numFeasibleNodesToFind(150)).toBe(100);
  });
  it('stops filtering once enough nodes fit and moves the start index on', () => {
    const nodes = Array.from({ length: 500 }, (_, i) => makeNode(`n${String(i).padStart(3, '0')}`));
    const r = schedulePod(snapshotOf(nodes), DEFAULT_PROFILE, podInfo(makePod('p')), { rng: seqRng(), start: 450 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // 50 - 500/125 = 46% of 500 = 230 nodes
    expect(r.filter.processed).toBe(230);
    expect(r.nextStart).toBe((450 + 230) % 500);
  });
});
