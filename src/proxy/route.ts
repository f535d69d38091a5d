// Where a packet to dstIP:dstPort goes on a node: the decision the node's programmed rules encode
// (KUBE-SERVICES → KUBE-SVC-… → KUBE-SEP-…, or the filter table's REJECT/DROP), walked with the
// same probabilities, so that what a request does and what iptables-save shows agree. A stopped
// node walks its stale rules.
import type { NetWorld, Protocol } from '../kubelet/net/types.js';
import { printedProbability, statisticMatches } from './chains.js';
import { cidrContains, nodeNet, policyOf, type NodeNet } from './iptables.js';
import { virtualServers } from './ipvs.js';
import { programmedView } from './state.js';
import { categorize, type EndpointView, type ServicePortView } from './view.js';

export interface ServiceRef {
  namespace: string;
  name: string;
  /** the port's name, '' when unnamed */
  port: string;
}

export type Via = 'clusterIP' | 'nodePort' | 'externalIP' | 'loadBalancer';

export type Route =
  | {
      kind: 'dnat';
      service: ServiceRef;
      endpoint: { ip: string; port: number };
      /** the chains walked, e.g. ['KUBE-SERVICES', 'KUBE-SVC-…', 'KUBE-SEP-…'] */
      chains: string[];
      /** the statistic rule that matched, as iptables-save prints it (none: the last rule, or affinity) */
      probability?: string;
      via: Via;
      /** the source is rewritten to the node's address (KUBE-MARK-MASQ) */
      masquerade?: boolean;
    }
  | { kind: 'reject'; service: ServiceRef; reason: string }
  | { kind: 'drop'; service: ServiceRef; reason: string }
  | { kind: 'none' };

const ref = (sp: ServicePortView): ServiceRef => ({ namespace: sp.namespace, name: sp.name, port: sp.port });

/** the recent module's memory stands in as a stable choice per client address */
function affinityPick(eps: EndpointView[], srcIP: string): number {
  let h = 2166136261;
  for (let i = 0; i < srcIP.length; i++) h = Math.imul(h ^ srcIP.charCodeAt(i), 16777619) >>> 0;
  return h % eps.length;
}

interface Ctx {
  node: NodeNet;
  random: () => number;
  srcIP?: string;
  /** the source is a pod (inside the cluster CIDR): kube-proxy's local-traffic detector */
  fromPod: boolean;
  /** the source is an address of this node (addrtype --src-type LOCAL) */
  fromNode: boolean;
}

/** KUBE-SVC-/KUBE-SVL-: session affinity first, then the statistic rules in order */
function pickEndpoint(sp: ServicePortView, eps: EndpointView[], ctx: Ctx): { ep: EndpointView; probability?: string } {
  if (sp.sessionAffinity === 'ClientIP' && ctx.srcIP) return { ep: eps[affinityPick(eps, ctx.srcIP)] };
  const n = eps.length;
  for (let i = 0; i < n - 1; i++) {
    if (statisticMatches(n - i, ctx.random())) return { ep: eps[i], probability: printedProbability(n - i) };
  }
  return { ep: eps[n - 1] };
}

function dnat(sp: ServicePortView, chains: string[], chain: string, eps: EndpointView[], via: Via, masq: boolean, ctx: Ctx): Route {
  const pol = policyOf(sp, ctx.node.name);
  const { ep, probability } = pickEndpoint(sp, eps, ctx);
  const hairpin = ctx.srcIP === ep.ip;
  return {
    kind: 'dnat', service: ref(sp), endpoint: { ip: ep.ip, port: ep.port },
    chains: [...chains, chain, pol.ch.sep(ep)],
    ...(probability ? { probability } : {}),
    via, masquerade: masq || hairpin,
  };
}

/** KUBE-EXT-…: masquerade and the external policy, short-circuiting pod and node traffic */
function external(sp: ServicePortView, chains: string[], via: Via, ctx: Ctx): Route {
  const pol = policyOf(sp, ctx.node.name);
  const walked = [...chains, pol.ch.ext];
  if (!sp.externalLocal) return dnat(sp, walked, pol.ch.svc, pol.clusterEndpoints, via, true, ctx);
  if (ctx.fromPod) return dnat(sp, walked, pol.ch.svc, pol.clusterEndpoints, via, false, ctx);
  if (ctx.fromNode) return dnat(sp, walked, pol.ch.svc, pol.clusterEndpoints, via, true, ctx);
  if (pol.hasExternal) return dnat(sp, walked, pol.ch.svl, pol.localEndpoints, via, false, ctx);
  return { kind: 'drop', service: ref(sp), reason: 'has no local endpoints' };
}

function noEndpoints(sp: ServicePortView, hasEndpoints: boolean): Route {
  return hasEndpoints ? { kind: 'drop', service: ref(sp), reason: 'has no local endpoints' } : { kind: 'reject', service: ref(sp), reason: 'has no endpoints' };
}

function routeIptables(services: ServicePortView[], dstIP: string, dstPort: number, proto: Protocol, ctx: Ctx): Route {
  for (const sp of services) {
    if (sp.protocol !== proto || sp.servicePort !== dstPort) continue;
    if (sp.clusterIP === dstIP) {
      const pol = policyOf(sp, ctx.node.name);
      if (!pol.hasInternal) return noEndpoints(sp, pol.hasEndpoints);
      const eps = sp.internalLocal ? pol.localEndpoints : pol.clusterEndpoints;
      return dnat(sp, ['KUBE-SERVICES'], pol.internalChain, eps, 'clusterIP', !ctx.fromPod, ctx);
    }
    if (sp.externalIPs.includes(dstIP)) {
      const pol = policyOf(sp, ctx.node.name);
      if (!pol.hasEndpoints) return noEndpoints(sp, false);
      return external(sp, ['KUBE-SERVICES'], 'externalIP', ctx);
    }
    if (sp.lbIPs.includes(dstIP)) {
      const pol = policyOf(sp, ctx.node.name);
      if (!pol.hasEndpoints) return noEndpoints(sp, false);
      if (pol.usesFw) {
        const src = ctx.srcIP ?? '';
        const allowed = sp.lbSourceRanges.some((c) => cidrContains(c, src))
          || (sp.lbIPs.includes(src) && sp.lbSourceRanges.some((c) => cidrContains(c, ctx.node.ip)));
        if (!allowed) return { kind: 'drop', service: ref(sp), reason: `traffic not accepted by ${pol.ch.fw}` };
        return external(sp, ['KUBE-SERVICES', pol.ch.fw], 'loadBalancer', ctx);
      }
      return external(sp, ['KUBE-SERVICES'], 'loadBalancer', ctx);
    }
  }
  // the last rule of KUBE-SERVICES: an address of this node goes to KUBE-NODEPORTS
  if (dstIP === ctx.node.ip || cidrContains('127.0.0.0/8', dstIP)) {
    for (const sp of services) {
      if (sp.protocol !== proto || sp.nodePort !== dstPort) continue;
      const pol = policyOf(sp, ctx.node.name);
      if (!pol.hasEndpoints) return noEndpoints(sp, false);
      return external(sp, ['KUBE-SERVICES', 'KUBE-NODEPORTS'], 'nodePort', ctx);
    }
  }
  return { kind: 'none' };
}

function routeIpvs(world: NetWorld, nodeName: string, dstIP: string, dstPort: number, proto: Protocol, ctx: Ctx): Route {
  const view = programmedView(world.components, nodeName);
  const vs = virtualServers(view, ctx.node).find((v) => v.protocol === proto && v.ip === dstIP && v.port === dstPort);
  if (!vs) return { kind: 'none' };
  if (!vs.real.length) return noEndpoints(vs.sp, categorize(vs.sp, nodeName).hasEndpoints);
  const i = vs.persistent !== undefined && ctx.srcIP ? affinityPick(vs.real, ctx.srcIP) : Math.min(vs.real.length - 1, Math.floor(ctx.random() * vs.real.length));
  const ep = vs.real[i];
  return {
    kind: 'dnat', service: ref(vs.sp), endpoint: { ip: ep.ip, port: ep.port },
    chains: ['KUBE-SERVICES', `${proto} ${vs.ip}:${vs.port} rr`], via: vs.via,
    masquerade: !ctx.fromPod || vs.via === 'nodePort' || vs.via === 'loadBalancer',
  };
}

/**
 * Where the node's kube-proxy sends a packet to dstIP:dstPort/proto, using the rules it has
 * programmed. srcIP: the sender (a pod on this node when omitted). A NodePort is matched only on
 * the node that owns the destination address (or 127.0.0.0/8): a packet to another node's
 * address is 'none' here and is routed on to that node, whose route() then applies.
 */
export function route(world: NetWorld, nodeName: string, dstIP: string, dstPort: number, proto: Protocol, random: () => number, srcIP?: string): Route {
  const view = programmedView(world.components, nodeName);
  if (!view) return { kind: 'none' };
  const node = nodeNet(world, nodeName);
  const ctx: Ctx = {
    node, random, srcIP,
    fromPod: srcIP === undefined || cidrContains(node.clusterCIDR, srcIP),
    fromNode: srcIP !== undefined && (srcIP === node.ip || cidrContains('127.0.0.0/8', srcIP)),
  };
  if (world.config.proxyMode === 'ipvs') return routeIpvs(world, nodeName, dstIP, dstPort, proto, ctx);
  return routeIptables(view.services, dstIP, dstPort, proto, ctx);
}
