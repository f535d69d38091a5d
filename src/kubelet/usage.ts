// The usage metrics-server would report for a pod's running containers: the image's typical use
// (fixtures/images.yaml), nudged towards what the container requests, with a small deterministic
// jitter from the pod uid and the minute, so `top` moves a little but repeats for the same state.
//
// Load: a pod whose command is a request loop (`while sleep 0.01; do wget -q -O- http://php-apache;
// done`, as the HPA walkthrough's load generator runs) sends requests to the Service it names, and
// each request costs the Service's ready backends some CPU, shared evenly between them. That is
// what makes php-apache's CPU rise under load and fall back when the generator stops, the same
// for every reader (`top`, the HPA controller), computed from the world alone: no hidden state.
import type { KObject } from '../apiserver/types.js';
import { milliValue, parseQuantity, value } from '../apiserver/quantity.js';
import { lookupImage, sha256Hex } from './catalogue.js';
import { behaviourOf } from './runtime.js';
import { cpuDemandMilli, memoryUseBytes } from './process.js';

export interface ContainerUsage {
  name: string;
  /** CPU in millicores */
  cpuMilli: number;
  /** memory working set in bytes */
  memoryBytes: number;
}

/** Extra CPU (millicores) that load from other pods puts on a pod, by pod uid. */
export type LoadMap = ReadonlyMap<string, number>;

function jitter(seed: string, spread: number): number {
  const n = Number.parseInt(sha256Hex(seed).slice(0, 8), 16) / 0xffffffff;
  return 1 - spread + 2 * spread * n;
}

function podKey(pod: KObject): string {
  return pod.metadata?.uid ?? `${pod.metadata?.namespace}/${pod.metadata?.name}`;
}

/**
 * Usage of each running container of a pod at virtual time now (empty when none runs). `load` is
 * what clusterLoad() computed for the same moment; without it the pod is taken as unloaded.
 */
export function podUsage(pod: KObject, now: number, load?: LoadMap): ContainerUsage[] {
  const out: ContainerUsage[] = [];
  const running = new Set((pod.status?.containerStatuses ?? []).filter((s: any) => s.state?.running).map((s: any) => s.name));
  const minute = Math.floor(now / 60_000);
  const uid = pod.metadata?.uid ?? pod.metadata?.name ?? '';
  let extra = load?.get(podKey(pod)) ?? 0;
  for (const c of pod.spec?.containers ?? []) {
    if (!running.has(c.name)) continue;
    const info = lookupImage(c.image);
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    const limCpu = lim.cpu !== undefined ? milliValue(parseQuantity(lim.cpu)) : undefined;
    let cpu = info.cpuMilli;
    let mem = info.memoryBytes;
    // What the process itself allocates (stress --vm-bytes, vish/stress -mem-total) is resident
    // on top of the program's own pages, with next to no jitter: the docs' memory-demo shows ~155Mi.
    const allocated = memoryUseBytes(c);
    const burn = cpuDemandMilli(c) ?? (info.cpuMilli >= 1000 ? (limCpu ?? info.cpuMilli) : undefined);
    let cpuMilli: number;
    if (burn !== undefined) {
      // A process that burns CPU (vish/stress -cpus 2) takes what it asks for, up to its limit,
      // where the CFS quota holds it just below (the docs' cpu-demo shows 974m of a 1 CPU limit).
      const cap = limCpu !== undefined ? Math.min(burn, limCpu) : burn;
      cpuMilli = Math.round(cap * (0.955 + 0.035 * jitter(`${uid}/${c.name}/cpu/${minute}`, 1) / 2));
    } else {
      if (req.cpu) cpu = Math.max(cpu, Math.round(milliValue(parseQuantity(req.cpu)) * 0.02));
      if (behaviourOf(c).exitsAfterMs !== undefined) cpu = 0;
      cpuMilli = Math.max(0, Math.round(cpu * jitter(`${uid}/${c.name}/cpu/${minute}`, 0.3)));
    }
    if (allocated === undefined && req.memory) mem = Math.max(mem, Math.round(value(parseQuantity(req.memory)) * 0.1));
    if (extra > 0) {
      // The serving container (the first that runs) takes the requests, within its CPU limit:
      // the CFS quota throttles it there, however much more the clients ask for.
      cpuMilli += Math.round(extra * jitter(`${uid}/${c.name}/load/${minute}`, 0.03));
      if (lim.cpu) cpuMilli = Math.min(cpuMilli, milliValue(parseQuantity(lim.cpu)));
      extra = 0;
    }
    let memoryBytes = Math.round(mem * jitter(`${uid}/${c.name}/mem`, 0.08) * jitter(`${uid}/${c.name}/mem/${minute}`, 0.02)) + (allocated ?? 0);
    if (lim.memory) memoryBytes = Math.min(memoryBytes, value(parseQuantity(lim.memory)));
    out.push({ name: c.name, cpuMilli, memoryBytes });
  }
  return out;
}

// ---- load ----

/** CPU a backend spends on one request (ms), by image repository; a static page costs little. */
const REQUEST_COST_MS: Record<string, number> = {
  'registry.k8s.io/hpa-example': 12.32,
  'k8s.gcr.io/hpa-example': 12.32,
  'gcr.io/google_containers/hpa-example': 12.32,
};
const DEFAULT_REQUEST_COST_MS = 0.2;
/** the round trip a request adds to a client loop's period (s) */
const REQUEST_ROUND_TRIP_S = 0.01;

export interface LoadSource {
  /** the pod that sends the requests */
  pod: KObject;
  /** the host it requests (a Service name, name.namespace[.svc[.cluster.local]], or an IP) */
  host: string;
  /** requests per second */
  rate: number;
}

const LOOP = /\bwhile\b|\bfor\b[\s\S]*\bdo\b|\buntil\b/;
const CLIENT = /\b(wget|curl)\b/;
const URL_HOST = /\bhttps?:\/\/([A-Za-z0-9.-]+)/g;

/** The request loops a running container keeps going: one source per host its loop requests. */
export function loadSources(pod: KObject): LoadSource[] {
  const out: LoadSource[] = [];
  const running = new Set((pod.status?.containerStatuses ?? []).filter((s: any) => s.state?.running).map((s: any) => s.name));
  if (!running.size || pod.metadata?.deletionTimestamp) return out;
  for (const c of pod.spec?.containers ?? []) {
    if (!running.has(c.name)) continue;
    const text = [...(c.command ?? []), ...(c.args ?? [])].join(' ');
    if (!LOOP.test(text) || !CLIENT.test(text)) continue;
    const sleep = /\bsleep\s+(\d+(?:\.\d+)?)/.exec(text);
    const rate = 1 / ((sleep ? Number(sleep[1]) : 0) + REQUEST_ROUND_TRIP_S);
    const hosts = new Set<string>();
    for (const m of text.matchAll(URL_HOST)) hosts.add(m[1].toLowerCase());
    for (const host of hosts) out.push({ pod, host, rate: rate / hosts.size });
  }
  return out;
}

function isReady(pod: KObject): boolean {
  return !pod.metadata?.deletionTimestamp && (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

function selects(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  for (const [k, v] of Object.entries(selector)) if (labels?.[k] !== v) return false;
  return true;
}

/**
 * The extra CPU every pod serves for the cluster's request loops at this moment, by pod uid: a
 * loop's requests go to the Service it names (resolved as cluster DNS would), spread evenly over
 * the Service's ready endpoints. One pass over pods and services.
 */
export function clusterLoad(pods: readonly KObject[], services: readonly KObject[]): Map<string, number> {
  const load = new Map<string, number>();
  const sources = pods.flatMap(loadSources);
  if (!sources.length) return load;
  const svcByName = new Map<string, KObject>();
  const svcByIp = new Map<string, KObject>();
  for (const s of services) {
    svcByName.set(`${s.metadata?.namespace}/${s.metadata?.name}`, s);
    for (const ip of s.spec?.clusterIPs ?? (s.spec?.clusterIP ? [s.spec.clusterIP] : [])) if (ip !== 'None') svcByIp.set(ip, s);
  }
  const podsByNs = new Map<string, KObject[]>();
  const podByIp = new Map<string, KObject>();
  for (const p of pods) {
    const ns = p.metadata?.namespace ?? '';
    if (!podsByNs.has(ns)) podsByNs.set(ns, []);
    podsByNs.get(ns)!.push(p);
    if (p.status?.podIP) podByIp.set(p.status.podIP, p);
  }
  const backendsCache = new Map<KObject, KObject[]>();
  const backendsOf = (svc: KObject): KObject[] => {
    let b = backendsCache.get(svc);
    if (!b) {
      const sel = svc.spec?.selector;
      b = sel && Object.keys(sel).length ? (podsByNs.get(svc.metadata?.namespace ?? '') ?? []).filter((p) => isReady(p) && selects(sel, p.metadata?.labels)) : [];
      backendsCache.set(svc, b);
    }
    return b;
  };
  for (const src of sources) {
    const ns = src.pod.metadata?.namespace ?? 'default';
    let backends: KObject[] = [];
    if (/^\d+\.\d+\.\d+\.\d+$/.test(src.host)) {
      const svc = svcByIp.get(src.host);
      const pod = podByIp.get(src.host);
      backends = svc ? backendsOf(svc) : pod && isReady(pod) ? [pod] : [];
    } else {
      const parts = src.host.replace(/\.svc(\.cluster\.local)?$/, '').split('.');
      const svc = parts.length === 1 ? svcByName.get(`${ns}/${parts[0]}`) : parts.length === 2 ? svcByName.get(`${parts[1]}/${parts[0]}`) : undefined;
      if (svc) backends = backendsOf(svc);
    }
    if (!backends.length) continue;
    for (const b of backends) {
      const image = b.spec?.containers?.[0]?.image ?? '';
      const cost = REQUEST_COST_MS[lookupImage(image).repository] ?? DEFAULT_REQUEST_COST_MS;
      // ms of CPU per second is millicores
      const add = (src.rate * cost) / backends.length;
      load.set(podKey(b), (load.get(podKey(b)) ?? 0) + add);
    }
  }
  return load;
}
