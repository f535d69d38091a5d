// The EndpointSlice reconciler (staging/src/k8s.io/endpointslice/reconciler.go) for one Service and
// the IPv4 address type: the desired endpoints are grouped by their port set; each group's existing
// slices keep the endpoints still wanted (rewritten only when one of them changed), slices left
// empty are deleted, and the remaining endpoints fill slices that are being rewritten anyway, then
// one unchanged slice that can take them all, then new slices of at most 100. A Service without
// endpoints keeps exactly one placeholder slice. Creates that would pair with deletes become updates
// of the slice to be deleted, so names stay stable.
import type { KObject } from '../../apiserver/types.js';
import type { ComponentClient } from '../component.js';
import { HEADLESS_LABEL, LAST_CHANGE_TRIGGER_TIME, findPort, isPodReady, isServiceIPSet, podIPv4, rfc3339Nano, sameJson, shouldPodBeInEndpoints, shouldSetHostname } from './util.js';

export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';
/** --max-endpoints-per-slice default */
export const MAX_ENDPOINTS_PER_SLICE = 100;
const ADDRESS_TYPE = 'IPv4';

const RESERVED = new Set([LABEL_SERVICE_NAME, LABEL_MANAGED_BY, HEADLESS_LABEL]);

export interface ReconcileOutcome {
  created: string[];
  updated: string[];
  deleted: string[];
  endpoints: number;
  ready: number;
}

/** what the reconciler needs to know about nodes: whether one exists, and its zone */
export type NodeZones = Map<string, string | undefined>;

/** getEndpointPorts: the Service's ports as this pod serves them (name always set, '' if unnamed). */
function endpointPorts(svc: KObject, pod: KObject): any[] {
  const ports: any[] = svc.spec?.ports ?? [];
  const out: any[] = [];
  if (ports.length === 0 && svc.spec?.clusterIP === 'None') return out;
  for (const sp of ports) {
    const num = findPort(pod, sp);
    if (num === undefined) continue;
    const p: any = { name: sp.name ?? '', port: num, protocol: sp.protocol ?? 'TCP' };
    if (sp.appProtocol) p.appProtocol = sp.appProtocol;
    out.push(p);
  }
  return out;
}

const portMapKey = (ports: any[]) => JSON.stringify([...ports].map((p) => [p.name ?? '', p.port ?? null, p.protocol ?? '', p.appProtocol ?? '']).sort());

/** podToEndpoint */
function podToEndpoint(pod: KObject, zone: string | undefined, svc: KObject): any {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata?.deletionTimestamp;
  // "ready" is never true for a terminating pod, unless publishNotReadyAddresses says publish all.
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const ep: any = { addresses: [podIPv4(pod)], conditions: { ready, serving, terminating } };
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec.hostname;
  ep.targetRef = { kind: 'Pod', namespace: pod.metadata!.namespace, name: pod.metadata!.name, uid: pod.metadata!.uid };
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  if (zone) ep.zone = zone;
  return ep;
}

/** the EndpointSet hash: addresses, hostname and the pod it points at */
const endpointKey = (ep: any) => `${(ep.addresses ?? []).join(',')}\u0000${ep.hostname ?? ''}\u0000${ep.targetRef?.namespace ?? ''}/${ep.targetRef?.name ?? ''}`;

/** setEndpointSliceLabels: the Service's labels plus the reserved ones; whether they differ */
function sliceLabels(slice: KObject | undefined, svc: KObject): { labels: Record<string, string>; changed: boolean } {
  const epLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(slice?.metadata?.labels ?? {})) if (!RESERVED.has(k)) epLabels[k] = v as string;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries((svc.metadata?.labels ?? {}) as Record<string, string>)) if (!RESERVED.has(k)) labels[k] = v;
  let changed = Object.keys(epLabels).length !== Object.keys(labels).length;
  for (const [k, v] of Object.entries(epLabels)) if (labels[k] !== v) changed = true;
  if (!isServiceIPSet(svc)) labels[HEADLESS_LABEL] = '';
  labels[LABEL_SERVICE_NAME] = svc.metadata!.name!;
  labels[LABEL_MANAGED_BY] = CONTROLLER_NAME;
  return { labels, changed };
}

/** newEndpointSlice */
function newSlice(svc: KObject, ports: any[]): KObject {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: {
      generateName: `${svc.metadata!.name}-`,
      namespace: svc.metadata!.namespace,
      labels: sliceLabels(undefined, svc).labels,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata!.name!, uid: svc.metadata!.uid!, controller: true, blockOwnerDeletion: true }],
    },
    addressType: ADDRESS_TYPE,
    endpoints: [],
    ports,
  };
}

export function ownedBy(slice: KObject, svc: KObject): boolean {
  return (slice.metadata?.ownerReferences ?? []).some((r) => r.uid === svc.metadata?.uid && r.kind === 'Service' && r.controller === true);
}

/** placeholderSliceCompare: no endpoints, same ports, labels, owner, address type */
function isPlaceholderLike(existing: KObject, placeholder: KObject): boolean {
  return existing.metadata?.namespace === placeholder.metadata?.namespace
    && sameJson(existing.metadata?.labels, placeholder.metadata?.labels)
    && sameJson(existing.metadata?.ownerReferences, placeholder.metadata?.ownerReferences)
    && existing.addressType === placeholder.addressType
    && sameJson(existing.endpoints, placeholder.endpoints)
    && sameJson(existing.ports, placeholder.ports);
}

/**
 * Brings svc's slices (existing: the ones labelled as this controller's for the Service's name)
 * to the pods it selects (in name order, so that the result is the same on every run).
 */
export async function reconcileSlices(c: ComponentClient, svc: KObject, pods: KObject[], existing: KObject[], nodes: NodeZones, triggerTime: number, maxPerSlice = MAX_ENDPOINTS_PER_SLICE): Promise<ReconcileOutcome> {
  const toCreate: KObject[] = [];
  const toUpdate: KObject[] = [];
  const toDelete: KObject[] = [];
  const existingOfType: KObject[] = [];
  for (const s of existing) {
    if (s.addressType === ADDRESS_TYPE) existingOfType.push(s);
    else toDelete.push(s); // an address type the Service no longer has
  }
  const deletesOfOtherTypes = toDelete.length;

  const existingByPortMap = new Map<string, KObject[]>();
  for (const s of existingOfType) {
    if (!ownedBy(s, svc)) {
      toDelete.push(s);
      continue;
    }
    const k = portMapKey(s.ports ?? []);
    const l = existingByPortMap.get(k);
    if (l) l.push(s);
    else existingByPortMap.set(k, [s]);
  }

  const desiredByPortMap = new Map<string, { ports: any[]; set: Map<string, any> }>();
  let total = 0;
  let ready = 0;
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = endpointPorts(svc, pod);
    const k = portMapKey(ports);
    let d = desiredByPortMap.get(k);
    if (!d) desiredByPortMap.set(k, (d = { ports, set: new Map() }));
    const nodeName = pod.spec?.nodeName;
    // A pod on a node that does not exist is left out, unless every address is to be published.
    if (!nodes.has(nodeName) && svc.spec?.publishNotReadyAddresses !== true) continue;
    const ep = podToEndpoint(pod, nodes.get(nodeName), svc);
    if (!ep.addresses[0]) continue;
    d.set.set(endpointKey(ep), ep);
    total++;
    if (ep.conditions.ready) ready++;
  }

  for (const [k, d] of desiredByPortMap) {
    const r = reconcileByPortMapping(svc, existingByPortMap.get(k) ?? [], d.set, d.ports, maxPerSlice);
    toCreate.push(...r.create);
    toUpdate.push(...r.update);
    toDelete.push(...r.delete);
  }
  for (const [k, slices] of existingByPortMap) if (!desiredByPortMap.has(k)) toDelete.push(...slices);

  // No endpoints at all: one placeholder slice (kept if the one there already is one).
  if (existingOfType.length === toDelete.length - deletesOfOtherTypes && toCreate.length === 0) {
    const placeholder = newSlice(svc, []);
    const ofType = toDelete.slice(deletesOfOtherTypes);
    if (ofType.length === 1 && isPlaceholderLike(ofType[0], placeholder)) toDelete.splice(deletesOfOtherTypes, 1);
    else toCreate.push(placeholder);
  }

  return finalize(c, svc, toCreate, toUpdate, toDelete, triggerTime, { endpoints: total, ready });
}

function reconcileByPortMapping(svc: KObject, existing: KObject[], desired: Map<string, any>, ports: any[], max: number): { create: KObject[]; update: KObject[]; delete: KObject[] } {
  const byName = new Map<string, KObject>();
  const unchanged: string[] = [];
  const toUpdate: string[] = [];
  const toDelete: string[] = [];

  // 1. Keep what is still wanted in each slice; note the slices whose content or labels moved.
  for (const slice of existing) {
    const name = slice.metadata!.name!;
    byName.set(name, slice);
    const kept: any[] = [];
    let endpointChanged = false;
    for (const ep of slice.endpoints ?? []) {
      const k = endpointKey(ep);
      const want = desired.get(k);
      if (!want) continue;
      kept.push(want);
      if (!sameJson(want, ep)) endpointChanged = true;
      desired.delete(k);
    }
    const { labels, changed: labelsChanged } = sliceLabels(slice, svc);
    if (endpointChanged || kept.length !== (slice.endpoints ?? []).length) {
      if (kept.length === 0) toDelete.push(name);
      else {
        const copy = structuredClone(slice);
        copy.endpoints = kept;
        copy.metadata!.labels = labels;
        byName.set(name, copy);
        toUpdate.push(name);
      }
    } else if (labelsChanged) {
      const copy = structuredClone(slice);
      copy.metadata!.labels = labels;
      byName.set(name, copy);
      toUpdate.push(name);
    } else {
      unchanged.push(name);
    }
  }

  const pop = (): any => {
    const [k, ep] = desired.entries().next().value as [string, any];
    desired.delete(k);
    return ep;
  };

  // 2. Fill the slices being rewritten anyway, the fullest first.
  if (desired.size > 0 && toUpdate.length > 0) {
    const slices = toUpdate.map((n) => byName.get(n)!).sort((a, b) => (b.endpoints?.length ?? 0) - (a.endpoints?.length ?? 0));
    for (const s of slices) {
      s.endpoints ??= [];
      while (desired.size > 0 && s.endpoints.length < max) s.endpoints.push(pop());
    }
  }

  // 3. What is left: into one unchanged slice that can take it all, else into new slices.
  const create: KObject[] = [];
  while (desired.size > 0) {
    let fill: KObject | undefined;
    if (desired.size < max && unchanged.length > 0) {
      const candidate = sliceToFill(unchanged.map((n) => byName.get(n)!), desired.size, max);
      if (candidate) {
        fill = structuredClone(candidate);
        byName.set(fill.metadata!.name!, fill);
      }
    }
    fill ??= newSlice(svc, ports);
    fill.endpoints ??= [];
    while (desired.size > 0 && fill.endpoints.length < max) fill.endpoints.push(pop());
    if (fill.metadata?.name) {
      const n = fill.metadata.name;
      if (!toUpdate.includes(n)) toUpdate.push(n);
      unchanged.splice(unchanged.indexOf(n), 1);
    } else {
      create.push(fill);
    }
  }
  return { create, update: toUpdate.map((n) => byName.get(n)!), delete: toDelete.map((n) => byName.get(n)!) };
}

/** getSliceToFill: the slice closest to full once numEndpoints are added, if any has room */
function sliceToFill(slices: KObject[], numEndpoints: number, max: number): KObject | undefined {
  let closestDiff = max;
  let closest: KObject | undefined;
  for (const s of slices) {
    const diff = max - ((s.endpoints?.length ?? 0) + numEndpoints);
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff;
      closest = s;
      if (closestDiff === 0) return closest;
    }
  }
  return closest;
}

function setTriggerTime(slice: KObject, triggerTime: number): void {
  const annotations: Record<string, string> = { ...(slice.metadata!.annotations ?? {}) };
  if (triggerTime) annotations[LAST_CHANGE_TRIGGER_TIME] = rfc3339Nano(triggerTime);
  else delete annotations[LAST_CHANGE_TRIGGER_TIME];
  if (Object.keys(annotations).length) slice.metadata!.annotations = annotations;
  else delete slice.metadata!.annotations;
}

/**
 * What the apiserver keeps of a slice: an empty endpoints or ports list comes back from etcd as
 * null (protobuf has no empty list), and both fields are always written out.
 */
function asStored(slice: KObject): KObject {
  if (!slice.endpoints?.length) slice.endpoints = null;
  if (!slice.ports?.length) slice.ports = null;
  return slice;
}

async function finalize(c: ComponentClient, svc: KObject, toCreate: KObject[], toUpdate: KObject[], toDelete: KObject[], triggerTime: number, counts: { endpoints: number; ready: number }): Promise<ReconcileOutcome> {
  // A create paired with a delete becomes an update of the slice that would have been deleted.
  for (let i = 0; i < toDelete.length && toCreate.length > 0;) {
    const del = toDelete[i];
    const slice = toCreate[toCreate.length - 1];
    if (del.addressType === slice.addressType && ownedBy(del, svc)) {
      const reused = structuredClone(del);
      reused.metadata!.labels = slice.metadata!.labels;
      reused.endpoints = slice.endpoints;
      reused.ports = slice.ports;
      toCreate.pop();
      toUpdate.push(reused);
      toDelete.splice(i, 1);
    } else {
      i++;
    }
  }
  const out: ReconcileOutcome = { created: [], updated: [], deleted: [], ...counts };
  const ns = svc.metadata!.namespace;
  // No new slices for a Service on its way out: the garbage collector is removing them.
  if (!svc.metadata?.deletionTimestamp) {
    for (const s of toCreate) {
      setTriggerTime(s, triggerTime);
      const made = await c.create('endpointslices', ns, asStored(s));
      if (made) out.created.push(made.metadata!.name!);
    }
  }
  for (const s of toUpdate) {
    setTriggerTime(s, triggerTime);
    const done = await c.update('endpointslices', asStored(s));
    if (done) out.updated.push(done.metadata!.name!);
  }
  for (const s of toDelete) {
    await c.delete('endpointslices', ns, s.metadata!.name!);
    out.deleted.push(s.metadata!.name!);
  }
  return out;
}
