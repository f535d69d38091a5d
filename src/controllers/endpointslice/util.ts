// What the Endpoints and EndpointSlice controllers share (staging/src/k8s.io/endpointslice/util and
// pkg/api/v1/pod in Kubernetes): which pods back a Service, which port a named targetPort means in
// one pod, the endpoints.kubernetes.io/last-change-trigger-time tracker, and the bookkeeping that
// lets both controllers recompute only the Services whose pods or spec changed.
import type { KObject } from '../../apiserver/types.js';
import type { ComponentClient } from '../component.js';
import type { WatchEvent } from '../../storage/store.js';
import { indexOf, type Index } from '../informer.js';

export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

export const svcKey = (o: KObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

/** A Service this controller family manages: it has a selector and is not ExternalName. */
export function selectorOf(svc: KObject): Record<string, string> | undefined {
  if (svc.spec?.type === 'ExternalName') return undefined;
  // The `kubernetes` Service is the apiserver's: it has no selector, but say so plainly.
  if (svc.metadata?.namespace === 'default' && svc.metadata?.name === 'kubernetes') return undefined;
  const sel = svc.spec?.selector;
  // An empty selector map does not survive the trip through etcd (protobuf drops it): it is nil.
  if (!sel || typeof sel !== 'object' || Object.keys(sel).length === 0) return undefined;
  return sel;
}

/** helper.IsServiceIPSet: a ClusterIP that is neither empty nor None. */
export function isServiceIPSet(svc: KObject): boolean {
  const ip = svc.spec?.clusterIP;
  return !!ip && ip !== 'None';
}

export function isPodReady(p: KObject): boolean {
  return (p.status?.conditions as any[] | undefined)?.some((c) => c?.type === 'Ready' && c.status === 'True') ?? false;
}

/** The pod's address of the Service's family (IPv4 here), '' when it has none yet. */
export function podIPv4(p: KObject): string {
  const ips: string[] = (p.status?.podIPs ?? []).map((x: any) => x?.ip).filter(Boolean);
  if (p.status?.podIP) ips.unshift(p.status.podIP);
  return ips.find((ip) => !ip.includes(':')) ?? '';
}

/**
 * ShouldPodBeInEndpoints: not terminal (Succeeded/Failed), has an IP, and, unless
 * includeTerminating, is not being deleted.
 */
export function shouldPodBeInEndpoints(p: KObject, includeTerminating: boolean): boolean {
  const phase = p.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!p.status?.podIP && !(p.status?.podIPs ?? []).length) return false;
  if (!includeTerminating && p.metadata?.deletionTimestamp) return false;
  return true;
}

/** ShouldSetHostname: the pod names a hostname and sits in the Service's subdomain. */
export function shouldSetHostname(p: KObject, svc: KObject): boolean {
  return !!p.spec?.hostname && p.spec?.subdomain === svc.metadata?.name && p.metadata?.namespace === svc.metadata?.namespace;
}

/**
 * podutil.FindPort: a numeric targetPort is itself; a named one is looked up among this pod's
 * container ports (then its sidecars': init containers with restartPolicy Always) with the same
 * protocol. Pods of one Service may thus serve a named port on different numbers.
 */
export function findPort(p: KObject, sp: any): number | undefined {
  const target = sp.targetPort ?? sp.port;
  const proto = sp.protocol ?? 'TCP';
  if (typeof target === 'number') return target;
  if (typeof target === 'string' && /^\d+$/.test(target)) return Number(target);
  const look = (containers: any[] | undefined, sidecarsOnly: boolean) => {
    for (const ctr of containers ?? []) {
      if (sidecarsOnly && ctr.restartPolicy !== 'Always') continue;
      for (const port of ctr.ports ?? []) {
        if (port.name === target && (port.protocol ?? 'TCP') === proto) return port.containerPort as number;
      }
    }
    return undefined;
  };
  return look(p.spec?.containers, false) ?? look(p.spec?.initContainers, true);
}

/** RFC 3339 with nanoseconds as Go prints it (trailing zeros dropped): "2026-01-01T00:00:05Z". */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.?0*Z$/, 'Z');
}

// ---- the last-change-trigger-time tracker ----

interface TrackedService {
  /** the Service's trigger time (its creationTimestamp) seen at the last sync */
  s: number;
  /** per pod name: its trigger time (the Ready condition's lastTransitionTime) seen at the last sync */
  p: Record<string, number>;
}
export type TriggerTimes = Record<string, TrackedService>;

function podTriggerTime(p: KObject): number {
  const c = (p.status?.conditions as any[] | undefined)?.find((x) => x?.type === 'Ready');
  return c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : 0;
}

/**
 * TriggerTimeTracker.ComputeEndpointLastChangeTriggerTime: for a Service seen for the first time,
 * its creationTimestamp; after that the earliest trigger time that moved since the last sync (0:
 * none, and then the annotation is removed). Returns whether the tracker's state changed.
 */
export function computeTriggerTime(state: TriggerTimes, svc: KObject, pods: KObject[]): { time: number; dirty: boolean } {
  const key = svcKey(svc);
  const known = state[key];
  const last = known ?? { s: 0, p: {} };
  let min = 0;
  const podTimes: Record<string, number> = {};
  let dirty = !known;
  for (const p of pods) {
    const t = podTriggerTime(p);
    if (!t) continue;
    const name = p.metadata!.name!;
    podTimes[name] = t;
    if (last.p[name] !== t) dirty = true;
    if (t > (last.p[name] ?? 0) && (!min || t < min)) min = t;
  }
  if (!dirty && Object.keys(last.p).length !== Object.keys(podTimes).length) dirty = true;
  const svcTime = Date.parse(svc.metadata?.creationTimestamp ?? '') || 0;
  if (svcTime > last.s && (!min || svcTime < min)) min = svcTime;
  if (svcTime !== last.s) dirty = true;
  if (dirty) state[key] = { s: svcTime, p: podTimes };
  return { time: known ? min : svcTime, dirty };
}

// ---- which pods a Service selects, and which Services a change concerns ----

/** Services of one reconcile: by key, and per namespace by their first selector pair. */
export class ServiceWorld {
  readonly byKey = new Map<string, KObject>();
  private readonly bySelectorPair = new Map<string, KObject[]>();
  private readonly podsByLabel = new Map<string, Map<string, KObject[]>>();

  constructor(services: KObject[], private readonly podsByNs: Index) {
    for (const s of services) {
      this.byKey.set(svcKey(s), s);
      const sel = selectorOf(s);
      if (!sel) continue;
      const [k, v] = Object.entries(sel)[0];
      const idx = `${s.metadata!.namespace}\u0000${k}=${v}`;
      const l = this.bySelectorPair.get(idx);
      if (l) l.push(s);
      else this.bySelectorPair.set(idx, [s]);
    }
  }

  /**
   * The pods of svc's namespace that its selector matches, in name order. Pods are grouped by
   * the value of one label key once per (namespace, key), so a thousand Services over ten
   * thousand pods cost one pass over the pods, not a thousand.
   */
  podsFor(svc: KObject): KObject[] {
    const sel = selectorOf(svc);
    if (!sel) return [];
    const ns = svc.metadata!.namespace!;
    const entries = Object.entries(sel);
    const [k, v] = entries[0];
    const gk = `${ns}\u0000${k}`;
    let groups = this.podsByLabel.get(gk);
    if (!groups) {
      groups = new Map();
      for (const p of this.podsByNs.get(ns)) {
        const val = p.metadata?.labels?.[k];
        if (val === undefined) continue;
        const l = groups.get(val);
        if (l) l.push(p);
        else groups.set(val, [p]);
      }
      this.podsByLabel.set(gk, groups);
    }
    const candidates = groups.get(v) ?? [];
    const out = entries.length === 1 ? [...candidates] : candidates.filter((p) => entries.every(([k2, v2]) => p.metadata?.labels?.[k2] === v2));
    return out.sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : a.metadata!.name! > b.metadata!.name! ? 1 : 0));
  }

  /** the keys of the Services (with a selector) in the pod's namespace that select it */
  selecting(pod: KObject): string[] {
    const ns = pod.metadata?.namespace ?? '';
    const labels: Record<string, string> = pod.metadata?.labels ?? {};
    const out: string[] = [];
    for (const [k, v] of Object.entries(labels)) {
      for (const s of this.bySelectorPair.get(`${ns}\u0000${k}=${v}`) ?? []) {
        const sel = selectorOf(s)!;
        if (Object.entries(sel).every(([k2, v2]) => labels[k2] === v2)) out.push(svcKey(s));
      }
    }
    return out;
  }
}

/** Which pods each Service had at its last sync, so that a pod that stops matching still counts. */
export class Membership {
  private readonly podToSvcs = new Map<string, Set<string>>();
  private readonly svcToPods = new Map<string, Set<string>>();

  set(svc: string, pods: KObject[]): void {
    const old = this.svcToPods.get(svc);
    if (old && old.size === pods.length && pods.every((p) => old.has(`${p.metadata!.namespace}/${p.metadata!.name}`))) return;
    const now = new Set(pods.map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`));
    for (const o of old ?? []) if (!now.has(o)) this.podToSvcs.get(o)?.delete(svc);
    for (const p of now) {
      let s = this.podToSvcs.get(p);
      if (!s) this.podToSvcs.set(p, (s = new Set()));
      s.add(svc);
    }
    if (now.size) this.svcToPods.set(svc, now);
    else this.svcToPods.delete(svc);
  }

  servicesOf(pod: KObject): Iterable<string> {
    return this.podToSvcs.get(`${pod.metadata?.namespace}/${pod.metadata?.name}`) ?? [];
  }
}

const memberships = new WeakMap<object, Map<string, Membership>>();

/** the Membership of one component, kept for the life of the store in this process */
export function membershipOf(c: ComponentClient, name: string): Membership {
  let m = memberships.get(c.api.store);
  if (!m) memberships.set(c.api.store, (m = new Map()));
  let ms = m.get(name);
  if (!ms) m.set(name, (ms = new Membership()));
  return ms;
}

export function podsByNamespace(c: ComponentClient): Promise<Index> {
  return indexOf(c, 'pods', 'endpoints:pods-by-namespace', (p) => p.metadata?.namespace ?? '');
}

/**
 * The Service keys a run must sync, from the changes that woke it; undefined means all of them
 * (the first run of a command, like an informer's initial list). `own` maps a change of the
 * controller's own objects (or anything else it watches) to a Service key, or 'all'.
 */
export function dirtyServices(c: ComponentClient, world: ServiceWorld, membership: Membership, own: (e: WatchEvent) => string | 'all' | undefined): Set<string> | undefined {
  const changes = c.cause.changes;
  if (!changes) return undefined;
  const out = new Set<string>(c.cause.dueKeys);
  for (const e of changes) {
    if (e.prefix === 'services') out.add(svcKey(e.object));
    else if (e.prefix === 'pods') {
      for (const k of world.selecting(e.object)) out.add(k);
      for (const k of membership.servicesOf(e.object)) out.add(k);
    } else {
      const k = own(e);
      if (k === 'all') return undefined;
      if (k) out.add(k);
    }
  }
  return out;
}

/** Deep equality of JSON values, blind to key order and to absent vs empty lists and maps. */
export function sameJson(a: any, b: any): boolean {
  const empty = (x: any) => x === undefined || x === null || (Array.isArray(x) && x.length === 0) || (typeof x === 'object' && !Array.isArray(x) && Object.keys(x).length === 0);
  if (empty(a) && empty(b)) return true;
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (!sameJson(a[k], b[k])) return false;
  return true;
}

/**
 * A short digest of what a Service's sync read (resourceVersions of the Service, its pods and its
 * own objects): equal digests mean an equal outcome, so a full pass over an unchanged world (the
 * first run of every command) skips the work. resourceVersions are cluster-wide and never reused.
 */
export function digest(parts: Iterable<string>): string {
  // FNV-1a, two 32-bit lanes
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (const s of parts) {
    for (let i = 0; i < s.length; i++) {
      const ch = s.charCodeAt(i);
      a = Math.imul(a ^ ch, 0x01000193);
      b = Math.imul(b ^ ch, 0x811c9dc5) ^ (b >>> 13);
    }
    a = Math.imul(a ^ 0xff, 0x01000193);
    b = Math.imul(b ^ 0xfe, 0x811c9dc5);
  }
  return (a >>> 0).toString(36) + (b >>> 0).toString(36);
}

export function* versionsOf(objs: Iterable<KObject>): Iterable<string> {
  for (const o of objs) {
    yield o.metadata?.name ?? '';
    yield o.metadata?.resourceVersion ?? '';
  }
}
