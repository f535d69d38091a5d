// With the whole control plane (the kubelets register the kind-style nodes): pods land on the
// workers, the control plane's taint keeps them off it, and a labelled node takes a waiting pod.
import { describe, expect, it } from 'vitest';
import { newSim } from '../controlplane/harness.js';
import { makePod } from './fixtures.js';

function bare(name: string, o: Parameters<typeof makePod>[1] = {}) {
  const p = makePod(name, o);
  delete p.metadata!.uid;
  delete p.metadata!.creationTimestamp;
  delete p.status;
  return p;
}

describe('scheduler in the whole pipeline (needs the kubelets to register nodes)', () => {
  it('places three pods on three different workers and a nodeSelector pod once a node is labelled', async (ctx) => {
    const sim = await newSim();
    await sim.settle();
    if (sim.list('nodes').length === 0) ctx.skip();
    // a ReplicaSet's pods: PodTopologySpread's default constraints spread them
    await sim.create('replicasets', 'default', {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } } },
    });
    await sim.create('pods', 'default', bare('ssd', { nodeSelector: { disktype: 'ssd' } }));
    await sim.settle();
    const web = sim.list('pods', 'default').filter((p) => p.metadata!.labels?.app === 'web');
    expect(web).toHaveLength(3);
    expect(web.map((p) => p.spec.nodeName).sort()).toEqual(['sim-worker', 'sim-worker2', 'sim-worker3']);
    const failed = sim.list('events', 'default').filter((e) => e.reason === 'FailedScheduling');
    expect(failed.map((e) => e.message)).toEqual([
      "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match Pod's node affinity/selector. " +
        'preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.',
    ]);
    await sim.call({ verb: 'patch', resource: 'nodes', name: 'sim-worker3', patchType: 'merge', body: { metadata: { labels: { disktype: 'ssd' } } } });
    await sim.settle();
    expect(sim.get('pods', 'default', 'ssd')!.spec.nodeName).toBe('sim-worker3');
    // CoreDNS found nodes too
    expect(sim.list('pods', 'kube-system').filter((p) => p.metadata!.name!.startsWith('coredns') && !p.spec.nodeName)).toEqual([]);
  }, 60_000);
});
