// A LoadBalancer implementation as MetalLB runs on a kind cluster (layer 2 mode): its controller
// gives each LoadBalancer Service an address from the pool (cluster config loadBalancerPool) and
// writes it to status.loadBalancer.ingress; its speaker elects one node per address to answer ARP
// for it. Without a pool nothing is installed: EXTERNAL-IP stays <pending>, as on a bare cluster.
//
// Level-triggered like the real controller after a restart: the addresses in use are the ones the
// live Services show, so a deleted Service (or one that stopped being a LoadBalancer: the apiserver
// clears its status) frees its address by being gone.
import { createHash } from 'node:crypto';
import type { Component, ComponentClient } from './component.js';
import type { KObject, UserInfo } from '../apiserver/types.js';
import { poolRange } from '../cluster/cluster-file.js';
import { intToIp, ipToInt, isIPv4 } from '../apiserver/registry/service-alloc.js';

const CONTROLLER: UserInfo = { username: 'system:serviceaccount:metallb-system:controller', groups: ['system:serviceaccounts', 'system:serviceaccounts:metallb-system', 'system:masters', 'system:authenticated'] };
const SPEAKER: UserInfo = { username: 'system:serviceaccount:metallb-system:speaker', groups: ['system:serviceaccounts', 'system:serviceaccounts:metallb-system', 'system:masters', 'system:authenticated'] };

export const ANNOTATION_LB_IPS = 'metallb.io/loadBalancerIPs';
export const DEPRECATED_ANNOTATION_LB_IPS = 'metallb.universe.tf/loadBalancerIPs';
const EXCLUDE_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers';

interface LbState {
  /** service key → the node announcing its address and the address */
  announced: Record<string, { node: string; ip: string }>;
  /** service key → the failure last reported for a resourceVersion, so a settle does not repeat it */
  failed: Record<string, string>;
}

const keyOf = (s: KObject) => `${s.metadata?.namespace}/${s.metadata?.name}`;

/** the addresses of the pool, in MetalLB's order: each range from its first address */
export function poolAddresses(pool: string[]): { contains(ip: string): boolean; each(): Iterable<string> } {
  const ranges = pool.map(poolRange).filter((r): r is { first: number; last: number } => !!r);
  return {
    contains: (ip) => isIPv4(ip) && ranges.some((r) => ipToInt(ip) >= r.first && ipToInt(ip) <= r.last),
    *each() {
      for (const r of ranges) for (let n = r.first; n <= r.last; n++) yield intToIp(n);
    },
  };
}

/** getDesiredLbIPs: the annotation or spec.loadBalancerIP (not both). */
function desiredIPs(svc: KObject): { ips?: string[]; error?: string } {
  const ann = svc.metadata?.annotations ?? {};
  const fromAnn = ann[ANNOTATION_LB_IPS] ?? ann[DEPRECATED_ANNOTATION_LB_IPS] ?? '';
  const fromSpec = svc.spec?.loadBalancerIP ?? '';
  if (!fromAnn && !fromSpec) return {};
  if (fromAnn && fromSpec) return { error: `service can not have both ${ANNOTATION_LB_IPS} and svc.Spec.LoadBalancerIP` };
  if (fromAnn) {
    const ips = String(fromAnn).split(',').map((s) => s.trim());
    if (!ips.every(isIPv4)) return { error: `invalid ${ANNOTATION_LB_IPS}: "${fromAnn}"` };
    return { ips };
  }
  if (!isIPv4(fromSpec)) return { error: `invalid spec.loadBalancerIP "${fromSpec}"` };
  return { ips: [fromSpec] };
}

const goQuoteList = (ips: string[]) => `[${ips.map((ip) => `"${ip}"`).join(' ')}]`;

async function setIngress(c: ComponentClient, svc: KObject, ips: string[]): Promise<void> {
  const next = structuredClone(svc);
  // The apiserver's defaulting gives an address without a mode the VIP mode.
  next.status = { ...(next.status ?? {}), loadBalancer: ips.length ? { ingress: ips.map((ip) => ({ ip, ipMode: 'VIP' })) } : {} };
  await c.update('services', next, 'status');
}

/** The controller half: assign, keep or clear each LoadBalancer Service's address. */
async function converge(c: ComponentClient, lbs: KObject[], pool: ReturnType<typeof poolAddresses>, st: LbState): Promise<boolean> {
  let changed = false;
  const owner = new Map<string, string>();
  const pending: KObject[] = [];
  // Addresses already assigned stay with their Services (first come first kept).
  for (const svc of lbs) {
    const ips: string[] = (svc.status?.loadBalancer?.ingress ?? []).map((i: any) => i?.ip).filter(Boolean);
    if (!ips.length) {
      pending.push(svc);
      continue;
    }
    const key = keyOf(svc);
    const desired = desiredIPs(svc);
    let reason: string | undefined;
    const notAllowed = ips.find((ip) => !pool.contains(ip));
    const taken = ips.find((ip) => owner.has(ip));
    if (notAllowed) reason = `"${notAllowed}" is not allowed in config`;
    else if (taken) reason = `can't change sharing key for "${key}", address also in use by ${owner.get(taken)}`;
    if (reason) {
      await c.event(svc, 'Normal', 'ClearAssignment', `current IP for "${key}" not allowed by config, will attempt for new IP assignment: ${reason}`, { component: 'metallb-controller' });
    } else if (desired.ips && [...desired.ips].sort().join() !== [...ips].sort().join()) {
      reason = 'differentIPRequested';
    }
    if (reason) {
      await setIngress(c, svc, []);
      changed = true;
      continue; // converged again on the next round, from a clean slate
    }
    for (const ip of ips) owner.set(ip, key);
  }
  for (const svc of pending) {
    const key = keyOf(svc);
    const desired = desiredIPs(svc);
    let ips: string[] | undefined;
    let error = desired.error;
    if (!error && desired.ips) {
      const outside = desired.ips.find((ip) => !pool.contains(ip));
      const taken = desired.ips.find((ip) => owner.has(ip));
      if (outside) error = `"${outside}" is not allowed in config`;
      else if (taken) error = `can't change sharing key for "${key}", address also in use by ${owner.get(taken)}`;
      else ips = desired.ips;
    } else if (!error) {
      for (const ip of pool.each()) {
        if (!owner.has(ip)) {
          ips = [ip];
          break;
        }
      }
      if (!ips) error = 'no available IPs';
    }
    if (!ips) {
      // Reported once per version of the Service; the retry happens when another one frees an address.
      const mark = `${svc.metadata?.resourceVersion}:${error}`;
      if (st.failed[key] !== mark) {
        st.failed[key] = mark;
        c.touch();
        c.trace('allocation failed', `service/${key}`, error);
        await c.event(svc, 'Warning', 'AllocationFailed', `Failed to allocate IP for "${key}": ${error}`, { component: 'metallb-controller' });
        changed = true;
      }
      continue;
    }
    for (const ip of ips) owner.set(ip, key);
    if (st.failed[key]) {
      delete st.failed[key];
      c.touch();
    }
    await setIngress(c, svc, ips);
    c.trace('assign IP', `service/${key}`, `${ips.join(', ')} from the pool`);
    await c.event(svc, 'Normal', 'IPAllocated', `Assigned IP ${goQuoteList(ips)}`, { component: 'metallb-controller' });
    changed = true;
  }
  return changed;
}

/** EndpointCanServe: ready, or serving and not terminating. */
const canServe = (cond: any) => cond?.ready !== false || (cond?.serving === true && cond?.terminating !== true);

/**
 * The speaker half (layer2 ShouldAnnounce): an address is announced only while the Service has
 * an endpoint that can serve; among the eligible nodes (Ready, not excluded from load balancers;
 * with externalTrafficPolicy Local only those with such an endpoint) the one whose sha256 of
 * "<node>#<ip>" sorts first wins.
 */
async function announce(c: ComponentClient, lbs: KObject[], st: LbState): Promise<boolean> {
  let changed = false;
  const withIP = lbs.filter((s) => s.status?.loadBalancer?.ingress?.[0]?.ip);
  const live = new Set(withIP.map(keyOf));
  for (const key of Object.keys(st.announced)) {
    if (!live.has(key)) {
      delete st.announced[key];
      c.touch();
    }
  }
  if (!withIP.length) return changed;
  const nodes = (await c.list('nodes')).filter((n) => {
    const labels = n.metadata?.labels ?? {};
    if (EXCLUDE_LABEL in labels || 'node-role.kubernetes.io/control-plane' in labels) return false;
    return (n.status?.conditions ?? []).some((x: any) => x.type === 'Ready' && x.status === 'True');
  }).map((n) => n.metadata!.name!);
  const slicesBySvc = new Map<string, KObject[]>();
  for (const s of await c.list('endpointslices')) {
    const svcName = s.metadata?.labels?.['kubernetes.io/service-name'];
    if (!svcName) continue;
    const k = `${s.metadata?.namespace}/${svcName}`;
    const list = slicesBySvc.get(k);
    if (list) list.push(s);
    else slicesBySvc.set(k, [s]);
  }
  for (const svc of withIP) {
    const key = keyOf(svc);
    const ip: string = svc.status.loadBalancer.ingress[0].ip;
    const serving = (slicesBySvc.get(key) ?? []).flatMap((s) => (s.endpoints ?? []).filter((e: any) => canServe(e.conditions)));
    let eligible = nodes;
    if (svc.spec?.externalTrafficPolicy === 'Local') {
      const withEp = new Set(serving.map((e: any) => e.nodeName).filter(Boolean));
      eligible = nodes.filter((n) => withEp.has(n));
    }
    if (!serving.length || !eligible.length) {
      if (st.announced[key]) {
        delete st.announced[key];
        c.touch();
      }
      continue;
    }
    const hash = (n: string) => createHash('sha256').update(`${n}#${ip}`).digest('hex');
    const winner = eligible.map((n) => ({ n, h: hash(n) })).sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0))[0].n;
    const was = st.announced[key];
    if (was?.node === winner && was.ip === ip) continue;
    st.announced[key] = { node: winner, ip };
    c.touch();
    c.trace('announce', `service/${key}`, `${ip} from node ${winner} (layer2)`);
    await c.event(svc, 'Normal', 'nodeAssigned', `announcing from node "${winner}" with protocol "layer2"`, { component: 'metallb-speaker' });
    changed = true;
  }
  return changed;
}

/** which node answers for a Service's load-balancer address now (for the data path), if any */
export function announcingNode(c: ComponentClient, namespace: string, name: string): string | undefined {
  const st = c.state<LbState>('metallb', () => ({ announced: {}, failed: {} }));
  return st.announced[`${namespace}/${name}`]?.node;
}

export const serviceLoadBalancerController: Component = {
  name: 'metallb',
  watches: ['services', 'endpointslices', 'nodes'],
  async reconcile(c) {
    const pool = c.config?.loadBalancerPool;
    if (!pool?.length) return false;
    const st = c.state<LbState>('metallb', () => ({ announced: {}, failed: {} }));
    // MetalLB leaves alone the Services that ask for another implementation.
    const lbs = (await c.list('services'))
      .filter((s) => s.spec?.type === 'LoadBalancer' && !s.spec?.loadBalancerClass && !s.metadata?.deletionTimestamp)
      .sort((a, b) => String(a.metadata?.creationTimestamp).localeCompare(String(b.metadata?.creationTimestamp)) || keyOf(a).localeCompare(keyOf(b)));
    if (!lbs.length && !Object.keys(st.announced).length) return false;
    const live = new Set(lbs.map(keyOf));
    for (const key of Object.keys(st.failed)) {
      if (!live.has(key)) {
        delete st.failed[key];
        c.touch();
      }
    }
    const changed = await converge(c.as(CONTROLLER, 'metallb-controller'), lbs, poolAddresses(pool), st);
    // The speaker sees the addresses the controller wrote (next round, if it just wrote them).
    const fresh = changed ? await Promise.all(lbs.map(async (s) => (await c.get('services', s.metadata?.namespace, s.metadata!.name!)) ?? s)) : lbs;
    return (await announce(c.as(SPEAKER, 'metallb-speaker'), fresh.filter((s) => s.spec?.type === 'LoadBalancer'), st)) || changed;
  },
};
