// Hand-built worlds for the policy engine: pods with labels and IPs on kind-style nodes,
// namespaces with labels, policies defaulted the way the apiserver stores them.
import { defaultClusterConfig } from '../../../src/cluster/config.js';
import { defaultNetworkPolicy } from '../../../src/apiserver/admission/defaults/other.js';
import type { KObject } from '../../../src/apiserver/types.js';
import type { NetWorld, Peer } from '../../../src/kubelet/net/types.js';

export interface PodOpts {
  ns?: string;
  labels?: Record<string, string>;
  node?: string;
  hostNetwork?: boolean;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
}

export function pod(name: string, ip: string, o: PodOpts = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: o.ns ?? 'default', labels: o.labels ?? {}, uid: `uid-${o.ns ?? 'default'}-${name}` },
    spec: {
      nodeName: o.node ?? 'kind-worker',
      hostNetwork: o.hostNetwork || undefined,
      containers: [{ name: 'c', image: 'nginx', ports: o.ports ?? [] }],
    },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
  };
}

export function ns(name: string, labels: Record<string, string> = {}): KObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } };
}

/** a NetworkPolicy as stored: defaulted (protocol TCP, policyTypes) like the apiserver does */
export function netpol(name: string, spec: any, namespace = 'default'): KObject {
  const np = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec: structuredClone(spec) };
  defaultNetworkPolicy(np);
  return np;
}

export function world(pods: KObject[], policies: KObject[], namespaces: KObject[] = [ns('default')]): NetWorld {
  const config = defaultClusterConfig('kind');
  return {
    now: Date.parse('2024-05-01T00:00:00Z'),
    config,
    pods,
    services: [],
    endpointSlices: [],
    networkPolicies: policies,
    namespaces,
    nodes: config.nodes.map((m) => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: m.name },
      spec: { podCIDR: m.podCIDR },
      status: { addresses: [{ type: 'InternalIP', address: m.ip }, { type: 'Hostname', address: m.name }] },
    })),
    components: {},
  };
}

export const peer = (p: KObject): Peer => ({ ip: p.status.podIP, pod: p });
