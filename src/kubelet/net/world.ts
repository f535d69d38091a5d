// The network's view of the cluster for one command: the stored lists the data path reads (pods,
// services, EndpointSlices, NetworkPolicies, namespaces, nodes), the cluster config and the
// components' private state (kube-proxy's programmed rules). Read straight from the store, without
// copies: a command that sends a packet reads the world once and never writes it.
import type { ApiServer } from '../../apiserver/apiserver.js';
import type { KObject } from '../../apiserver/types.js';
import type { NetWorld } from './types.js';

/** storage prefixes (storageKey of each resource) */
const PODS = 'pods';
const SERVICES = 'services';
const SLICES = 'discovery.k8s.io/endpointslices';
const POLICIES = 'networking.k8s.io/networkpolicies';
const NAMESPACES = 'namespaces';
const NODES = 'nodes';

/** The world as the apiserver's store holds it now (api.clock's time unless told otherwise). */
export function loadNetWorld(api: ApiServer, now: number = api.clock.now()): NetWorld {
  const store = api.store;
  return {
    now,
    config: store.meta.config,
    pods: store.list(PODS),
    services: store.list(SERVICES),
    endpointSlices: store.list(SLICES),
    networkPolicies: store.list(POLICIES),
    namespaces: store.list(NAMESPACES),
    nodes: store.list(NODES),
    components: store.meta.components ?? {},
  };
}

/** Lookups the data path makes again and again, built once per world. */
export interface NetIndex {
  /** pods by their pod IP (host-network pods are found by node, not here) */
  podsByIP: Map<string, KObject>;
  /** host-network pods by node name */
  hostPods: Map<string, KObject[]>;
  /** services by ClusterIP (every family's address) */
  servicesByIP: Map<string, KObject>;
  servicesByName: Map<string, KObject>;
  /** machines (config) by node name and by node IP */
  machinesByName: Map<string, NetWorld['config']['nodes'][number]>;
  machinesByIP: Map<string, NetWorld['config']['nodes'][number]>;
  nodesByName: Map<string, KObject>;
  /** EndpointSlices by "namespace/service-name" */
  slicesByService: Map<string, KObject[]>;
}

const indexes = new WeakMap<NetWorld, NetIndex>();

const key = (o: KObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export function netIndex(world: NetWorld): NetIndex {
  const hit = indexes.get(world);
  if (hit) return hit;
  const podsByIP = new Map<string, KObject>();
  const hostPods = new Map<string, KObject[]>();
  for (const p of world.pods) {
    if (p.spec?.hostNetwork) {
      const node = p.spec?.nodeName;
      if (node) hostPods.set(node, [...(hostPods.get(node) ?? []), p]);
      continue;
    }
    const phase = p.status?.phase;
    // an IP a finished pod held may already be another pod's: the live one wins
    for (const a of [p.status?.podIP, ...(p.status?.podIPs ?? []).map((x: any) => x.ip)]) {
      if (!a) continue;
      const prev = podsByIP.get(a);
      if (!prev || ['Succeeded', 'Failed'].includes(prev.status?.phase) || (phase === 'Running' && prev.status?.phase !== 'Running')) podsByIP.set(a, p);
    }
  }
  const servicesByIP = new Map<string, KObject>();
  const servicesByName = new Map<string, KObject>();
  for (const s of world.services) {
    servicesByName.set(key(s), s);
    for (const ip of [s.spec?.clusterIP, ...(s.spec?.clusterIPs ?? [])]) if (ip && ip !== 'None') servicesByIP.set(ip, s);
  }
  const machinesByName = new Map(world.config.nodes.map((m) => [m.name, m] as const));
  const machinesByIP = new Map(world.config.nodes.map((m) => [m.ip, m] as const));
  const nodesByName = new Map(world.nodes.map((n) => [n.metadata?.name ?? '', n] as const));
  const slicesByService = new Map<string, KObject[]>();
  for (const es of world.endpointSlices) {
    const svc = es.metadata?.labels?.['kubernetes.io/service-name'];
    if (!svc) continue;
    const k = `${es.metadata?.namespace}/${svc}`;
    slicesByService.set(k, [...(slicesByService.get(k) ?? []), es]);
  }
  const ix: NetIndex = { podsByIP, hostPods, servicesByIP, servicesByName, machinesByName, machinesByIP, nodesByName, slicesByService };
  indexes.set(world, ix);
  return ix;
}

/** A pod's address as its packets carry it: the node's IP for host-network pods. */
export function podAddress(world: NetWorld, pod: KObject): string | undefined {
  if (pod.spec?.hostNetwork) return pod.status?.hostIP ?? netIndex(world).machinesByName.get(pod.spec?.nodeName ?? '')?.ip;
  return pod.status?.podIP;
}

/** Whether an address lies in a CIDR (IPv4). */
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const n = toInt(ip);
  const b = toInt(base);
  if (n === undefined || b === undefined) return false;
  const len = Number(bits ?? 32);
  if (len === 0) return true;
  const mask = len >= 32 ? 0xffffffff : (~((1 << (32 - len)) - 1)) >>> 0;
  return ((n & mask) >>> 0) === ((b & mask) >>> 0);
}

export function toInt(ip: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((x) => x > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export const isIPv4 = (s: string) => toInt(s) !== undefined;
