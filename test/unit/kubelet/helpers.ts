// Shared setup for the kubelet's tests: a simulated cluster whose nodes have their podCIDR (the
// node IPAM controller's job, done here by hand when it has not run) and a pod already bound.
import { newSim, type Sim } from '../controlplane/harness.js';
import type { KObject } from '../../../src/apiserver/types.js';

export async function kubeletSim(): Promise<Sim> {
  const sim = await newSim();
  for (const m of sim.config.nodes) {
    const node = sim.get('nodes', undefined, m.name);
    if (node && !node.spec?.podCIDR) {
      const res = await sim.call({ verb: 'patch', resource: 'nodes', name: m.name, patchType: 'merge', body: { spec: { podCIDR: m.podCIDR, podCIDRs: [m.podCIDR] } } });
      if (res.code >= 300) throw new Error(res.body.message);
    }
  }
  return sim;
}

export function boundPod(name: string, node: string, containers: any[], extra: any = {}): KObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: name } }, spec: { nodeName: node, containers, ...extra } };
}

export function podEvents(sim: Sim, name: string, ns = 'default'): string[] {
  return sim.list('events', ns)
    .filter((e) => e.involvedObject?.name === name && e.source?.component === 'kubelet')
    .sort((a, b) => a.metadata!.name!.split('.').pop()!.localeCompare(b.metadata!.name!.split('.').pop()!, 'en', { numeric: false }) || 0)
    .map((e) => `${e.reason}: ${e.message}`);
}
