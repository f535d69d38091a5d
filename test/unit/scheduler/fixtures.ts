// Nodes and pods as the kubelet and the controllers would have made them, for scheduler tests.
import type { KObject } from '../../../src/apiserver/types.js';
import { addPod, newNodeInfo, podInfo } from '../../../src/scheduler/resources.js';
import { newSnapshot } from '../../../src/scheduler/framework.js';
import type { NodeInfo, Snapshot } from '../../../src/scheduler/types.js';

export interface NodeOpts {
  cpu?: string;
  memory?: string;
  pods?: number;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  unschedulable?: boolean;
  images?: { names: string[]; sizeBytes: number }[];
}

export function makeNode(name: string, o: NodeOpts = {}): KObject {
  const alloc = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: String(o.pods ?? 110), 'ephemeral-storage': '100Gi' };
  const spec: any = {};
  if (o.taints) spec.taints = o.taints;
  if (o.unschedulable) spec.unschedulable = true;
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...(o.labels ?? {}) } },
    spec,
    status: { capacity: alloc, allocatable: alloc, images: o.images ?? [], conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

export const CONTROL_PLANE_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

/** kind's default shape: a tainted control plane and three 4-CPU workers */
export function kindNodes(prefix = 'minikctl'): KObject[] {
  return [
    makeNode(`${prefix}-control-plane`, { labels: { 'node-role.kubernetes.io/control-plane': '' }, taints: [CONTROL_PLANE_TAINT] }),
    makeNode(`${prefix}-worker`),
    makeNode(`${prefix}-worker2`),
    makeNode(`${prefix}-worker3`),
  ];
}

export interface PodOpts {
  cpu?: string;
  memory?: string;
  initCpu?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: any[];
  affinity?: any;
  nodeName?: string;
  priority?: number;
  preemptionPolicy?: string;
  image?: string;
  gates?: string[];
  created?: string;
  phase?: string;
}

let uidSeq = 0;
export function makePod(name: string, o: PodOpts = {}, namespace = 'default'): KObject {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  const spec: any = {
    containers: [{ name: 'app', image: o.image ?? 'nginx:1.25', resources: Object.keys(requests).length ? { requests } : {} }],
    schedulerName: 'default-scheduler', priority: o.priority ?? 0,
  };
  if (o.initCpu) spec.initContainers = [{ name: 'init', image: 'busybox', resources: { requests: { cpu: o.initCpu } } }];
  if (o.nodeSelector) spec.nodeSelector = o.nodeSelector;
  if (o.tolerations) spec.tolerations = o.tolerations;
  if (o.affinity) spec.affinity = o.affinity;
  if (o.nodeName) spec.nodeName = o.nodeName;
  if (o.preemptionPolicy) spec.preemptionPolicy = o.preemptionPolicy;
  if (o.gates) spec.schedulingGates = o.gates.map((n) => ({ name: n }));
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace, uid: `uid-${name}-${++uidSeq}`, creationTimestamp: o.created ?? '2026-01-01T00:00:00Z' },
    spec, status: { phase: o.phase ?? 'Pending' },
  };
}

/** a snapshot of nodes holding the given (assigned) pods */
export function snapshotOf(nodes: KObject[], pods: KObject[] = []): Snapshot {
  const infos: NodeInfo[] = nodes.map(newNodeInfo);
  const snap = newSnapshot(infos);
  for (const p of pods) {
    const ni = snap.byName.get(p.spec.nodeName);
    if (ni) addPod(ni, podInfo(p));
  }
  return snap;
}

/** a seeded stand-in for the cluster's rng */
export function seqRng(seed = 1) {
  let s = seed;
  return {
    intn(n: number) {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      return (s >>> 16) % n;
    },
  };
}
