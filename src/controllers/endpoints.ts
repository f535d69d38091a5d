// Endpoints controller (pkg/controller/endpoint): for every Service with a selector, an Endpoints
// object of the same name listing the selected pods' addresses, grouped into subsets of addresses
// that share one set of ports (a named targetPort is resolved per pod, so pods that give the name
// different numbers land in different subsets). Ready pods go to `addresses`, the others to
// `notReadyAddresses` (all to `addresses` with publishNotReadyAddresses); pods without an IP,
// finished, or terminating (unless publishNotReadyAddresses) are left out. At most 1000 addresses
// are kept, with the over-capacity annotation. A Service without a selector keeps whatever
// Endpoints its user writes; when a managed Service goes away, its Endpoints go with it.
import type { KObject } from '../apiserver/types.js';
import type { Component, ComponentClient } from './component.js';
import {
  HEADLESS_LABEL, LAST_CHANGE_TRIGGER_TIME, Membership, ServiceWorld, computeTriggerTime, dirtyServices, findPort, isPodReady, isServiceIPSet,
  digest, membershipOf, podIPv4, podsByNamespace, rfc3339Nano, sameJson, selectorOf, shouldPodBeInEndpoints, shouldSetHostname, svcKey, versionsOf,
  type TriggerTimes,
} from './endpointslice/util.js';

const COMPONENT = 'endpoint-controller';
/** maxCapacity: the most addresses one Endpoints object carries */
export const MAX_ENDPOINTS_CAPACITY = 1000;
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';

export const endpointsController: Component = {
  name: COMPONENT,
  watches: ['services', 'pods', 'endpoints'],
  async reconcile(c) {
    const services = await c.list('services');
    const world = new ServiceWorld(services, await podsByNamespace(c));
    const membership = membershipOf(c, COMPONENT);
    const times = c.state<TriggerTimes>(`${COMPONENT}/trigger-times`, () => ({}));
    const dirty = dirtyServices(c, world, membership, (e) => (e.prefix === 'endpoints' ? svcKey(e.object) : undefined));
    const keys = dirty ? [...dirty] : [...new Set([...world.byKey.keys(), ...Object.keys(times)])];
    if (keys.length === 0) return false;
    const current = new Map<string, KObject>();
    for (const ep of await c.list('endpoints')) current.set(svcKey(ep), ep);
    const digests = c.state<Record<string, string>>(`${COMPONENT}/digests`, () => ({}));
    let changed = false;
    let touched = false;
    for (const key of keys) {
      const svc = world.byKey.get(key);
      try {
        const r = svc ? await syncService(c, svc, world, membership, times, current.get(key), digests) : await serviceGone(c, key, membership, times, digests);
        if (r.changed) changed = true;
        if (r.touched) touched = true;
      } catch (e) {
        // A forbidden create (terminating namespace) or a failed write: the next change retries.
        c.trace('endpoints sync failed', `service ${key}`, (e as Error).message);
      }
    }
    if (touched) c.touch();
    return changed;
  },
};

interface SyncResult {
  changed: boolean;
  touched: boolean;
}

/** The Service is gone: delete the Endpoints this controller wrote for it. */
async function serviceGone(c: ComponentClient, key: string, membership: Membership, times: TriggerTimes, digests: Record<string, string>): Promise<SyncResult> {
  membership.set(key, []);
  delete digests[key];
  if (!times[key]) return { changed: false, touched: false };
  delete times[key];
  const [ns, name] = key.split('/');
  const ep = await c.get('endpoints', ns, name);
  if (!ep) return { changed: false, touched: true };
  await c.delete('endpoints', ns, name);
  c.trace('endpoints deleted', `service ${key}`, 'the Service is gone');
  return { changed: true, touched: true };
}

async function syncService(c: ComponentClient, svc: KObject, world: ServiceWorld, membership: Membership, times: TriggerTimes, current: KObject | undefined, digests: Record<string, string>): Promise<SyncResult> {
  const key = svcKey(svc);
  const sel = selectorOf(svc);
  if (!sel) {
    // Selectorless (or ExternalName): its Endpoints belong to the user. Forget it as ours.
    membership.set(key, []);
    const touched = key in times || key in digests;
    delete times[key];
    delete digests[key];
    return { changed: false, touched };
  }
  const ns = svc.metadata!.namespace!;
  const name = svc.metadata!.name!;
  const pods = world.podsFor(svc);
  membership.set(key, pods);
  const inputs = (ep: KObject | undefined) => digest([svc.metadata!.resourceVersion ?? '', ep?.metadata?.resourceVersion ?? '-', ...versionsOf(pods)]);
  if (digests[key] === inputs(current)) return { changed: false, touched: false };
  const r = await writeEndpoints(c, svc, pods, times, current);
  digests[key] = inputs(r.written ?? current);
  return { changed: !!r.written, touched: true };
}

async function writeEndpoints(c: ComponentClient, svc: KObject, pods: KObject[], times: TriggerTimes, current: KObject | undefined): Promise<{ written?: KObject }> {
  const key = svcKey(svc);
  const ns = svc.metadata!.namespace!;
  const name = svc.metadata!.name!;
  const trigger = computeTriggerTime(times, svc, pods);
  const { subsets, ready, notReady } = buildSubsets(svc, pods);
  // Truncated before comparing, so that an over-capacity Service settles instead of rewriting.
  const truncated = truncateEndpoints(subsets);

  const svcLabels: Record<string, string> = svc.metadata?.labels ?? {};
  if (current) {
    const compareLabels = { ...(current.metadata?.labels ?? {}) };
    delete compareLabels[HEADLESS_LABEL];
    if (sameJson(current.subsets, subsets) && sameJson(compareLabels, svcLabels) && !!current.metadata?.annotations?.[OVER_CAPACITY_ANNOTATION] === truncated) {
      return {};
    }
  }
  const body: KObject = current ? structuredClone(current) : { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: ns } };
  const md = body.metadata!;
  const labels: Record<string, string> = { ...svcLabels };
  if (!isServiceIPSet(svc)) labels[HEADLESS_LABEL] = '';
  else delete labels[HEADLESS_LABEL];
  const annotations: Record<string, string> = { ...(md.annotations ?? {}) };
  if (trigger.time) annotations[LAST_CHANGE_TRIGGER_TIME] = rfc3339Nano(trigger.time);
  else delete annotations[LAST_CHANGE_TRIGGER_TIME];
  if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
  else delete annotations[OVER_CAPACITY_ANNOTATION];
  if (Object.keys(labels).length) md.labels = labels;
  else delete md.labels;
  if (Object.keys(annotations).length) md.annotations = annotations;
  else delete md.annotations;
  if (subsets.length) body.subsets = subsets;
  else delete body.subsets;

  const written = current ? await c.update('endpoints', body) : await c.create('endpoints', ns, body);
  if (!written) return {};
  c.trace(current ? 'endpoints updated' : 'endpoints created', `service ${key}`, `${ready} ready, ${notReady} not ready`);
  return { written };
}

interface Address {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef: { kind: 'Pod'; namespace: string; name: string; uid: string };
}

/**
 * The subsets of a Service's Endpoints, in the canonical layout RepackSubsets gives them: one
 * subset per distinct set of addresses, carrying every port those addresses share; an address
 * not ready on one port is not ready on all of its ports there.
 */
export function buildSubsets(svc: KObject, pods: KObject[]): { subsets: any[]; ready: number; notReady: number } {
  const tolerateUnready = svc.spec?.publishNotReadyAddresses === true;
  const ports: any[] = svc.spec?.ports ?? [];
  const headlessNoPorts = ports.length === 0 && svc.spec?.clusterIP === 'None';
  // port key → (address key → {address, ready})
  const byPort = new Map<string, { port: any; addrs: Map<string, { addr: Address; ready: boolean }> }>();
  let ready = 0;
  let notReady = 0;
  const add = (port: any, addr: Address, isReady: boolean) => {
    const pk = JSON.stringify(port);
    let g = byPort.get(pk);
    if (!g) byPort.set(pk, (g = { port, addrs: new Map() }));
    const ak = `${addr.ip}\u0000${addr.targetRef.uid}`;
    const was = g.addrs.get(ak);
    if (!was || was.ready) g.addrs.set(ak, { addr, ready: isReady });
  };
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const ip = podIPv4(pod);
    if (!ip) continue;
    const addr: Address = { ip, targetRef: { kind: 'Pod', namespace: pod.metadata!.namespace!, name: pod.metadata!.name!, uid: pod.metadata!.uid! } };
    if (shouldSetHostname(pod, svc)) addr.hostname = pod.spec.hostname;
    addr.nodeName = pod.spec?.nodeName ?? '';
    // Go writes the fields in this order: ip, hostname, nodeName, targetRef.
    const ordered: Address = { ip: addr.ip, ...(addr.hostname ? { hostname: addr.hostname } : {}), ...(addr.nodeName ? { nodeName: addr.nodeName } : {}), targetRef: addr.targetRef };
    const isReady = tolerateUnready || isPodReady(pod);
    if (headlessNoPorts) {
      add(null, ordered, isReady);
      if (isReady) ready++;
      else notReady++;
      continue;
    }
    let found = false;
    for (const sp of ports) {
      const num = findPort(pod, sp);
      if (num === undefined) continue;
      found = true;
      const epp: any = {};
      if (sp.name) epp.name = sp.name;
      epp.port = num;
      epp.protocol = sp.protocol ?? 'TCP';
      if (sp.appProtocol) epp.appProtocol = sp.appProtocol;
      add(epp, ordered, isReady);
    }
    if (found && isReady) ready++;
    else if (found) notReady++;
  }
  // Ports that share exactly the same addresses (and readiness) make one subset.
  const groups = new Map<string, { ports: any[]; addrs: { addr: Address; ready: boolean }[] }>();
  for (const { port, addrs } of byPort.values()) {
    const list = [...addrs.values()].sort((a, b) => lessAddress(a.addr, b.addr));
    const sig = list.map((x) => `${x.addr.ip}/${x.addr.targetRef.uid}/${x.ready}`).join(',');
    let g = groups.get(sig);
    if (!g) groups.set(sig, (g = { ports: [], addrs: list }));
    if (port) g.ports.push(port);
  }
  const subsets: any[] = [];
  for (const g of groups.values()) {
    const ss: any = {};
    const r = g.addrs.filter((x) => x.ready).map((x) => x.addr);
    const nr = g.addrs.filter((x) => !x.ready).map((x) => x.addr);
    if (r.length) ss.addresses = r;
    if (nr.length) ss.notReadyAddresses = nr;
    if (g.ports.length) ss.ports = g.ports.sort((a, b) => cmp(portKey(a), portKey(b)));
    subsets.push(ss);
  }
  // The real order is by a hash of each subset; ours is by its ports, then its first address.
  subsets.sort((a, b) => cmp(subsetKey(a), subsetKey(b)));
  return { subsets, ready, notReady };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const portKey = (p: any) => `${p.name ?? ''}\u0000${String(p.port).padStart(5, '0')}\u0000${p.protocol}`;
const subsetKey = (s: any) => `${(s.ports ?? []).map(portKey).join(',')}\u0001${(s.addresses ?? s.notReadyAddresses ?? [])[0]?.ip ?? ''}`;

/** LessEndpointAddress: by IP (bytewise), then by the pod's uid. */
function lessAddress(a: Address, b: Address): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  return cmp(a.targetRef.uid, b.targetRef.uid);
}

/**
 * truncateEndpoints: keeps MAX_ENDPOINTS_CAPACITY addresses, ready ones first, spread over the
 * subsets in proportion to their sizes (rounded up, the last subset taking what is left).
 */
export function truncateEndpoints(subsets: any[]): boolean {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const s of subsets) {
    totalReady += s.addresses?.length ?? 0;
    totalNotReady += s.notReadyAddresses?.length ?? 0;
  }
  if (totalReady + totalNotReady <= MAX_ENDPOINTS_CAPACITY) return false;
  const truncateReady = totalReady > MAX_ENDPOINTS_CAPACITY;
  const max = truncateReady ? MAX_ENDPOINTS_CAPACITY : MAX_ENDPOINTS_CAPACITY - totalReady;
  const numTotal = truncateReady ? totalReady : totalNotReady;
  let canBeAdded = max;
  for (const s of subsets) {
    const inSubset = truncateReady ? s.addresses?.length ?? 0 : s.notReadyAddresses?.length ?? 0;
    const toBeAdded = Math.min(Math.ceil((inSubset / numTotal) * max), canBeAdded);
    if (truncateReady) {
      if (s.addresses) s.addresses = s.addresses.slice(0, toBeAdded);
      delete s.notReadyAddresses;
      canBeAdded -= s.addresses?.length ?? 0;
    } else {
      if (s.notReadyAddresses) s.notReadyAddresses = s.notReadyAddresses.slice(0, toBeAdded);
      canBeAdded -= s.notReadyAddresses?.length ?? 0;
    }
  }
  return true;
}
