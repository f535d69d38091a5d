// Builds what kube-proxy reads: Services without selectors (the EndpointSlice controller leaves
// them alone) and the EndpointSlices engineer A's controller would write, by hand.
import type { KObject } from '../../../src/apiserver/types.js';
import type { NetWorld } from '../../../src/kubelet/net/types.js';
import type { Sim } from '../controlplane/harness.js';

export function world(sim: Sim): NetWorld {
  return {
    now: sim.clock.now(), config: sim.config,
    pods: sim.list('pods'), services: sim.list('services'), endpointSlices: sim.list('endpointslices'),
    networkPolicies: [], namespaces: sim.list('namespaces'), nodes: sim.list('nodes'),
    components: (sim.store.meta as any).components ?? {},
  };
}

export function service(name: string, spec: Record<string, any>, status?: Record<string, any>): KObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec, ...(status ? { status } : {}) };
}

export interface Ep { ip: string; node: string; ready?: boolean; serving?: boolean; terminating?: boolean }

export function slice(service: string, eps: Ep[], ports: { name?: string; port: number; protocol?: string }[], suffix = 'abcde'): KObject {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: `${service}-${suffix}`, namespace: 'default', labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    endpoints: eps.map((e) => ({
      addresses: [e.ip], nodeName: e.node,
      conditions: { ready: e.ready ?? true, serving: e.serving ?? e.ready ?? true, terminating: e.terminating ?? false },
    })),
    ports: ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
  };
}

/** a seeded [0,1) sequence (mulberry32) */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
