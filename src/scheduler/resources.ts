// Requests as kube-scheduler counts them (resourcehelper.PodRequests): app containers add up, an
// init container runs alone (with the sidecars started before it), sidecars run alongside the app,
// and the pod's overhead comes on top. Quantities are parsed once per stored pod object.
import type { KObject } from '../apiserver/types.js';
import { milliValue, tryParseQuantity, value } from '../apiserver/quantity.js';
import type { NodeInfo, PodInfo, Resources } from './types.js';

/** schedutil.DefaultMilliCPURequest / DefaultMemoryRequest: what a container without requests counts as when scoring */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export function emptyResources(): Resources {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0 };
}

/** parses a ResourceList into scheduler units; unparsable entries are left out */
export function toResources(list: Record<string, unknown> | undefined): Resources {
  const r = emptyResources();
  if (!list) return r;
  for (const [name, raw] of Object.entries(list)) {
    const q = tryParseQuantity(raw);
    if (!q) continue;
    if (name === 'cpu') r.milliCPU = milliValue(q);
    else if (name === 'memory') r.memory = value(q);
    else if (name === 'ephemeral-storage') r.ephemeralStorage = value(q);
    else if (name !== 'pods') (r.scalar ??= {})[name] = value(q);
  }
  return r;
}

export function addInto(into: Resources, r: Resources, sign = 1): void {
  into.milliCPU += sign * r.milliCPU;
  into.memory += sign * r.memory;
  into.ephemeralStorage += sign * r.ephemeralStorage;
  if (r.scalar) {
    into.scalar ??= {};
    for (const [k, v] of Object.entries(r.scalar)) into.scalar[k] = (into.scalar[k] ?? 0) + sign * v;
  }
}

function maxInto(into: Resources, r: Resources): void {
  into.milliCPU = Math.max(into.milliCPU, r.milliCPU);
  into.memory = Math.max(into.memory, r.memory);
  into.ephemeralStorage = Math.max(into.ephemeralStorage, r.ephemeralStorage);
  if (r.scalar) {
    into.scalar ??= {};
    for (const [k, v] of Object.entries(r.scalar)) into.scalar[k] = Math.max(into.scalar[k] ?? 0, v);
  }
}

function copy(r: Resources): Resources {
  return { ...r, scalar: r.scalar ? { ...r.scalar } : undefined };
}

/** A container's requests; with nonZero, a missing cpu/memory request counts as the scoring default. */
function containerRequests(c: any, nonZero: boolean): Resources {
  const raw = c?.resources?.requests;
  const r = toResources(raw);
  if (nonZero) {
    if (!raw || raw.cpu === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (!raw || raw.memory === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/** PodRequests: max(each init container (+ earlier sidecars), sum(app) + sidecars) + overhead */
export function podRequests(pod: KObject, nonZero = false): Resources {
  const spec = pod.spec ?? {};
  const reqs = emptyResources();
  for (const c of spec.containers ?? []) addInto(reqs, containerRequests(c, nonZero));
  const sidecars = emptyResources();
  const initMax = emptyResources();
  for (const c of spec.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      // a sidecar keeps running: it adds to everything that starts after it
      addInto(sidecars, r);
      maxInto(initMax, sidecars);
    } else {
      const during = copy(r);
      addInto(during, sidecars);
      maxInto(initMax, during);
    }
  }
  addInto(reqs, sidecars);
  maxInto(reqs, initMax);
  if (spec.overhead) addInto(reqs, toResources(spec.overhead));
  return reqs;
}

const podInfos = new WeakMap<KObject, PodInfo>();

/** The PodInfo of a stored pod object (stored objects are replaced, never mutated, so caching by identity is safe). */
export function podInfo(pod: KObject): PodInfo {
  let pi = podInfos.get(pod);
  if (!pi) {
    const nz = podRequests(pod, true);
    pi = { pod, requests: podRequests(pod), nonZero: { milliCPU: nz.milliCPU, memory: nz.memory }, priority: pod.spec?.priority ?? 0 };
    podInfos.set(pod, pi);
  }
  return pi;
}

/** A NodeInfo with no pods yet. */
export function newNodeInfo(node: KObject): NodeInfo {
  const alloc = node.status?.allocatable ?? {};
  const pods = tryParseQuantity(alloc.pods);
  return {
    name: node.metadata!.name!, node, allocatable: toResources(alloc), allowedPods: pods ? value(pods) : 0,
    requested: emptyResources(), nonZeroRequested: { milliCPU: 0, memory: 0 }, pods: [], minPriority: Infinity,
    podsWithAffinity: [], podsWithRequiredAntiAffinity: [],
  };
}

export function addPod(ni: NodeInfo, pi: PodInfo): void {
  ni.pods.push(pi);
  addInto(ni.requested, pi.requests);
  ni.nonZeroRequested.milliCPU += pi.nonZero.milliCPU;
  ni.nonZeroRequested.memory += pi.nonZero.memory;
  if (pi.priority < ni.minPriority) ni.minPriority = pi.priority;
  const aff = pi.pod.spec?.affinity;
  if (aff?.podAffinity || aff?.podAntiAffinity) {
    ni.podsWithAffinity.push(pi);
    if (aff.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length) ni.podsWithRequiredAntiAffinity.push(pi);
  }
}

/** a copy of ni without the given pods (preemption's "what if these were gone") */
export function withoutPods(ni: NodeInfo, gone: Set<PodInfo>): NodeInfo {
  const out: NodeInfo = {
    ...ni, requested: emptyResources(), nonZeroRequested: { milliCPU: 0, memory: 0 }, pods: [], minPriority: Infinity,
    podsWithAffinity: [], podsWithRequiredAntiAffinity: [],
  };
  for (const p of ni.pods) if (!gone.has(p)) addPod(out, p);
  return out;
}

/** takes pi off ni in place (a what-if copy's reprieve undone) */
export function subtractPod(ni: NodeInfo, pi: PodInfo): void {
  const i = ni.pods.indexOf(pi);
  if (i < 0) return;
  ni.pods.splice(i, 1);
  addInto(ni.requested, pi.requests, -1);
  ni.nonZeroRequested.milliCPU -= pi.nonZero.milliCPU;
  ni.nonZeroRequested.memory -= pi.nonZero.memory;
  ni.minPriority = Infinity;
  for (const p of ni.pods) if (p.priority < ni.minPriority) ni.minPriority = p.priority;
  ni.podsWithAffinity = ni.podsWithAffinity.filter((p) => p !== pi);
  ni.podsWithRequiredAntiAffinity = ni.podsWithRequiredAntiAffinity.filter((p) => p !== pi);
}

/** a copy of ni with more pods on it (nominated pods, a reprieved victim) */
export function withPods(ni: NodeInfo, more: PodInfo[]): NodeInfo {
  const out = withoutPods(ni, new Set());
  for (const p of more) addPod(out, p);
  return out;
}

/** Pods that hold a node's resources: assigned and not finished (the scheduler's informer filter). */
export function holdsResources(pod: KObject): boolean {
  const phase = pod.status?.phase;
  return !!pod.spec?.nodeName && phase !== 'Succeeded' && phase !== 'Failed';
}
