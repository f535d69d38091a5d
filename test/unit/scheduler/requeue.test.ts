// InterPodAffinity's queueing hints: a pod turned away for want of a matching pod gets another try
// as soon as one lands on a node or is relabelled there, not at the 5-minute flush.
import { describe, expect, it } from 'vitest';
import { newSim, type Sim } from '../controlplane/harness.js';

const follower = {
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'follower' },
  spec: {
    affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { security: 'S1' } }, topologyKey: 'topology.kubernetes.io/zone' }] } },
    containers: [{ name: 'c', image: 'nginx' }],
  },
};
const pod = (name: string, labels?: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(labels ? { labels } : {}) }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
const nodeOf = (sim: Sim, name: string) => sim.get('pods', 'default', name)?.spec?.nodeName;
const zoneOf = (sim: Sim, node: string) => sim.get('nodes', undefined, node)?.metadata?.labels?.['topology.kubernetes.io/zone'];

describe('unschedulable pods retried on pod events', () => {
  it('a pod waiting for an S1 pod in its zone schedules within seconds of one landing', async () => {
    const sim = await newSim();
    await sim.create('pods', 'default', follower as any);
    await sim.run(2000);
    expect(nodeOf(sim, 'follower')).toBeUndefined();
    await sim.create('pods', 'default', pod('leader', { security: 'S1' }) as any);
    await sim.run(3000);
    const node = nodeOf(sim, 'follower');
    expect(node).toBeDefined();
    expect(zoneOf(sim, node!)).toBe(zoneOf(sim, nodeOf(sim, 'leader')!));
  });

  it('relabelling a running pod to match lets the waiting pod schedule', async () => {
    const sim = await newSim();
    await sim.create('pods', 'default', pod('other') as any);
    await sim.create('pods', 'default', follower as any);
    await sim.run(3000);
    expect(nodeOf(sim, 'follower')).toBeUndefined();
    const res = await sim.call({ verb: 'patch', resource: 'pods', namespace: 'default', name: 'other', patchType: 'merge', body: { metadata: { labels: { security: 'S1' } } } } as any);
    expect(res.code).toBe(200);
    await sim.run(2000);
    expect(zoneOf(sim, nodeOf(sim, 'follower')!)).toBe(zoneOf(sim, nodeOf(sim, 'other')!));
  });
});
