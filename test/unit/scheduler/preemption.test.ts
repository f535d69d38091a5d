// DefaultPreemption's choices: the fewest victims per node, PodDisruptionBudgets respected where
// possible, the node picked by kube-scheduler's criteria, and who may not preempt.
import { describe, expect, it } from 'vitest';
import { schedulePod } from '../../../src/scheduler/framework.js';
import { defaultPreemption, selectCandidate, selectVictimsOnNode, splitByPDB } from '../../../src/scheduler/preemption.js';
import { DEFAULT_PROFILE } from '../../../src/scheduler/profile.js';
import { podInfo } from '../../../src/scheduler/resources.js';
import type { KObject } from '../../../src/apiserver/types.js';
import { makeNode, makePod, seqRng, snapshotOf, type PodOpts } from './fixtures.js';

const postFilter = defaultPreemption(DEFAULT_PROFILE);
const on = (name: string, node: string, o: PodOpts = {}, labels?: Record<string, string>) => {
  const p = makePod(name, { nodeName: node, phase: 'Running', ...o });
  if (labels) p.metadata!.labels = labels;
  return p;
};
const pdb = (selector: Record<string, string>, allowed: number): KObject => ({
  apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'b', namespace: 'default' },
  spec: { selector: { matchLabels: selector } }, status: { disruptionsAllowed: allowed },
});

describe('DefaultPreemption', () => {
  it('takes only as many victims as needed, the least important ones', () => {
    const snap = snapshotOf([makeNode('w', { cpu: '4' })], [
      on('a', 'w', { cpu: '1', priority: 5 }), on('b', 'w', { cpu: '1', priority: 1 }), on('c', 'w', { cpu: '2', priority: 3 }),
    ]);
    const r = selectVictimsOnNode({ state: new Map(), snapshot: snap }, DEFAULT_PROFILE, podInfo(makePod('p', { cpu: '2', priority: 10 })), snap.nodes[0], []);
    expect('victims' in r && r.victims.map((v) => v.pod.metadata!.name)).toEqual(['c']);
  });

  it('reprieves budget-protected pods first and counts the violations it cannot avoid', () => {
    const pods = [on('x', 'w', { cpu: '2', priority: 1 }, { app: 'db' }), on('y', 'w', { cpu: '2', priority: 1 }, { app: 'web' })];
    const split = splitByPDB(pods.map((p) => podInfo(p)), [pdb({ app: 'db' }, 0)]);
    expect(split.violating.map((p) => p.pod.metadata!.name)).toEqual(['x']);
    const snap = snapshotOf([makeNode('w', { cpu: '4' })], pods);
    const r = selectVictimsOnNode({ state: new Map(), snapshot: snap }, DEFAULT_PROFILE, podInfo(makePod('p', { cpu: '2', priority: 10 })), snap.nodes[0], [pdb({ app: 'db' }, 0)]);
    // the db pod is kept: the web pod goes instead
    expect('victims' in r && [r.victims.map((v) => v.pod.metadata!.name), r.numPDBViolations]).toEqual([['y'], 0]);
  });

  it('picks the node by fewest violations, then lowest top priority, then sum, then count', () => {
    const v = (prio: number) => makePod(`v${prio}`, { priority: prio });
    expect(selectCandidate([{ node: 'a', victims: [v(1)], numPDBViolations: 1 }, { node: 'b', victims: [v(5)], numPDBViolations: 0 }])!.node).toBe('b');
    expect(selectCandidate([{ node: 'a', victims: [v(5)], numPDBViolations: 0 }, { node: 'b', victims: [v(3), v(3)], numPDBViolations: 0 }])!.node).toBe('b');
    expect(selectCandidate([{ node: 'a', victims: [v(3), v(2)], numPDBViolations: 0 }, { node: 'b', victims: [v(3), v(1)], numPDBViolations: 0 }])!.node).toBe('b');
    expect(selectCandidate([{ node: 'a', victims: [v(-5), v(-5)], numPDBViolations: 0 }, { node: 'b', victims: [v(-5)], numPDBViolations: 0 }])!.node).toBe('b');
  });

  it('nominates the cheapest node and says nothing after the fit message', () => {
    const nodes = [makeNode('w1', { cpu: '2' }), makeNode('w2', { cpu: '2' })];
    const snap = snapshotOf(nodes, [on('hi', 'w1', { cpu: '2', priority: 50 }), on('lo', 'w2', { cpu: '2', priority: 1 })]);
    const r = schedulePod(snap, DEFAULT_PROFILE, podInfo(makePod('p', { cpu: '1', priority: 100 })), { rng: seqRng(), postFilter });
    expect(!r.ok && [r.message, r.postFilter?.nominatedNode, r.postFilter?.victims?.map((p) => p.metadata!.name)]).toEqual([
      '0/2 nodes are available: 2 Insufficient cpu.', 'w2', ['lo'],
    ]);
  });

  it('does not preempt again while a victim on its nominated node is terminating', () => {
    const victim = on('lo', 'w', { cpu: '2', priority: 1 });
    victim.metadata!.deletionTimestamp = '2026-01-01T00:00:30Z';
    victim.status.conditions = [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }];
    const snap = snapshotOf([makeNode('w', { cpu: '2' })], [victim]);
    const p = makePod('p', { cpu: '1', priority: 100 });
    p.status.nominatedNodeName = 'w';
    const r = schedulePod(snap, DEFAULT_PROFILE, podInfo(p), { rng: seqRng(), postFilter });
    expect(!r.ok && r.message).toBe('0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to a terminating pod on the nominated node.');
  });

  it("a nominated pod's room is kept from lower-priority pods, not from itself", () => {
    const snap = snapshotOf([makeNode('w', { cpu: '2' })]);
    const vip = makePod('vip', { cpu: '2', priority: 100 });
    vip.status.nominatedNodeName = 'w';
    snap.nominated = new Map([['w', [podInfo(vip)]]]);
    const low = schedulePod(snap, DEFAULT_PROFILE, podInfo(makePod('low', { cpu: '1' })), { rng: seqRng(), postFilter });
    expect(low.ok).toBe(false);
    const self = schedulePod(snap, DEFAULT_PROFILE, podInfo(vip), { rng: seqRng(), postFilter });
    expect(self.ok && self.node).toBe('w');
  });
});
