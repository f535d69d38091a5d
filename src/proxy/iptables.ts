// What `iptables-save` prints on a node: the rules kube-proxy 1.32's iptables proxier
// (pkg/proxy/iptables/proxier.go, syncProxyRules) writes from the view the node has programmed,
// plus the kubelet's own chains. Rule by rule, in the proxier's order, in iptables-save's text.
import type { NetWorld } from '../kubelet/net/types.js';
import { endpointChain, printedProbability, serviceChain } from './chains.js';
import { programmedView } from './state.js';
import { ipvsTables } from './ipvs.js';
import { addr, comment, kubeletChains, masqueradeChains, MASQ_MARK, newTable, renderSave, type Table } from './save.js';
import { categorize, epString, externallyAccessible, spnOf, type EndpointView, type ProxyView, type ServicePortView } from './view.js';

/** above this many endpoints kube-proxy drops the per-endpoint comments (largeClusterMode) */
const LARGE_CLUSTER_ENDPOINTS = 1000;

export interface NodeNet {
  name: string;
  ip: string;
  /** the cluster's pod range: kube-proxy's clusterCIDR, its local-traffic detector */
  clusterCIDR: string;
}

export function nodeNet(world: NetWorld, nodeName: string): NodeNet {
  const m = world.config.nodes.find((n) => n.name === nodeName);
  return { name: nodeName, ip: m?.ip ?? '', clusterCIDR: world.config.podSubnet };
}

/** The chain names of one service port. */
export function chainsOf(sp: ServicePortView) {
  const spn = spnOf(sp);
  const proto = sp.protocol.toLowerCase();
  return {
    spn, proto,
    svc: serviceChain('KUBE-SVC-', spn, proto),
    svl: serviceChain('KUBE-SVL-', spn, proto),
    ext: serviceChain('KUBE-EXT-', spn, proto),
    fw: serviceChain('KUBE-FW-', spn, proto),
    sep: (ep: EndpointView) => endpointChain(spn, proto, epString(ep)),
  };
}

/** one service port's decisions on one node, shared by the rules and by route() */
export function policyOf(sp: ServicePortView, nodeName: string) {
  const cat = categorize(sp, nodeName);
  const ch = chainsOf(sp);
  const usesClusterChain = cat.clusterEndpoints.length > 0 && (!sp.internalLocal || (externallyAccessible(sp) && !sp.externalLocal));
  const usesLocalChain = cat.localEndpoints.length > 0 && (sp.internalLocal || (externallyAccessible(sp) && sp.externalLocal));
  const internalChain = sp.internalLocal ? ch.svl : ch.svc;
  const hasInternal = cat.hasEndpoints && (!sp.internalLocal || cat.localEndpoints.length > 0);
  const externalPolicyChain = sp.externalLocal ? ch.svl : ch.svc;
  const hasExternal = cat.hasEndpoints && (!sp.externalLocal || cat.localEndpoints.length > 0);
  const usesExtChain = cat.hasEndpoints && externallyAccessible(sp);
  const usesFw = cat.hasEndpoints && sp.lbIPs.length > 0 && sp.lbSourceRanges.length > 0;
  return { ...cat, ch, usesClusterChain, usesLocalChain, internalChain, hasInternal, externalPolicyChain, hasExternal, usesExtChain, usesFw };
}

const REJECT = '-j REJECT --reject-with icmp-port-unreachable';

function writeServicePort(sp: ServicePortView, node: NodeNet, large: boolean, nat: Table, filter: Table): void {
  const pol = policyOf(sp, node.name);
  const { ch, proto } = { ch: pol.ch, proto: pol.ch.proto };
  const spn = ch.spn;
  const m = `-m ${proto}`;
  const withComment = (c: string) => (large ? '' : `${comment(c)} `);
  const noEndpoints = !pol.hasEndpoints;
  const internalFilter = noEndpoints ? { c: `${spn} has no endpoints`, t: REJECT } : { c: `${spn} has no local endpoints`, t: '-j DROP' };
  const externalFilter = internalFilter;

  // the cluster IP
  if (pol.hasInternal) {
    nat.add('KUBE-SERVICES', `-d ${addr(sp.clusterIP)} -p ${proto} ${comment(`${spn} cluster IP`)} ${m} --dport ${sp.servicePort} -j ${pol.internalChain}`);
  } else {
    filter.add('KUBE-SERVICES', `-d ${addr(sp.clusterIP)} -p ${proto} ${comment(internalFilter.c)} ${m} --dport ${sp.servicePort} ${internalFilter.t}`);
  }
  // external IPs
  for (const ip of sp.externalIPs) {
    if (pol.hasEndpoints) nat.add('KUBE-SERVICES', `-d ${addr(ip)} -p ${proto} ${comment(`${spn} external IP`)} ${m} --dport ${sp.servicePort} -j ${ch.ext}`);
    if (!pol.hasExternal) filter.add('KUBE-EXTERNAL-SERVICES', `-d ${addr(ip)} -p ${proto} ${comment(externalFilter.c)} ${m} --dport ${sp.servicePort} ${externalFilter.t}`);
  }
  // load-balancer ingress
  for (const ip of sp.lbIPs) {
    if (pol.hasEndpoints) nat.add('KUBE-SERVICES', `-d ${addr(ip)} -p ${proto} ${comment(`${spn} loadbalancer IP`)} ${m} --dport ${sp.servicePort} -j ${pol.usesFw ? ch.fw : ch.ext}`);
    if (pol.usesFw) filter.add('KUBE-PROXY-FIREWALL', `-d ${addr(ip)} -p ${proto} ${comment(`${spn} traffic not accepted by ${ch.fw}`)} ${m} --dport ${sp.servicePort} -j DROP`);
  }
  if (!pol.hasExternal) {
    for (const ip of sp.lbIPs) filter.add('KUBE-EXTERNAL-SERVICES', `-d ${addr(ip)} -p ${proto} ${comment(externalFilter.c)} ${m} --dport ${sp.servicePort} ${externalFilter.t}`);
  }
  // node ports (kind: localhost node ports on, their nfacct counter present)
  if (sp.nodePort) {
    if (pol.hasEndpoints) {
      nat.add('KUBE-NODEPORTS', `-d 127.0.0.0/8 -p ${proto} ${comment(spn)} ${m} --dport ${sp.nodePort} -m nfacct --nfacct-name  localhost_nps_accepted_pkts -j ${ch.ext}`);
      nat.add('KUBE-NODEPORTS', `-p ${proto} ${comment(spn)} ${m} --dport ${sp.nodePort} -j ${ch.ext}`);
    }
    if (!pol.hasExternal) filter.add('KUBE-EXTERNAL-SERVICES', `-p ${proto} ${comment(externalFilter.c)} -m addrtype --dst-type LOCAL ${m} --dport ${sp.nodePort} ${externalFilter.t}`);
  }
  if (sp.healthCheckNodePort) {
    filter.add('KUBE-NODEPORTS', `-p tcp ${comment(`${spn} health check node port`)} -m tcp --dport ${sp.healthCheckNodePort} -j ACCEPT`);
  }
  // internal traffic from outside the pod network is masqueraded
  if (pol.hasInternal) {
    nat.add(pol.internalChain, `! -s ${node.clusterCIDR} -d ${addr(sp.clusterIP)} -p ${proto} ${comment(`${spn} cluster IP`)} ${m} --dport ${sp.servicePort} -j KUBE-MARK-MASQ`);
  }
  if (pol.usesExtChain) {
    nat.chain(ch.ext);
    if (!sp.externalLocal) {
      nat.add(ch.ext, `${comment(`masquerade traffic for ${spn} external destinations`)} -j KUBE-MARK-MASQ`);
    } else {
      nat.add(ch.ext, `-s ${node.clusterCIDR} ${comment(`pod traffic for ${spn} external destinations`)} -j ${ch.svc}`);
      nat.add(ch.ext, `${comment(`masquerade LOCAL traffic for ${spn} external destinations`)} -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`);
      nat.add(ch.ext, `${comment(`route LOCAL traffic for ${spn} external destinations`)} -m addrtype --src-type LOCAL -j ${ch.svc}`);
    }
    if (pol.hasExternal) nat.add(ch.ext, `-j ${pol.externalPolicyChain}`);
  }
  if (pol.usesFw) {
    nat.chain(ch.fw);
    let fromNode = false;
    for (const cidr of sp.lbSourceRanges) {
      nat.add(ch.fw, `-s ${cidr} ${comment(`${spn} loadbalancer IP`)} -j ${ch.ext}`);
      if (cidrContains(cidr, node.ip)) fromNode = true;
    }
    if (fromNode) for (const ip of sp.lbIPs) nat.add(ch.fw, `-s ${addr(ip)} ${comment(`${spn} loadbalancer IP`)} -j ${ch.ext}`);
    nat.add(ch.fw, comment(`other traffic to ${spn} will be dropped by KUBE-PROXY-FIREWALL`));
  }
  if (pol.usesClusterChain) writeToEndpoints(nat, sp, ch.svc, pol.clusterEndpoints, large);
  if (pol.usesLocalChain) writeToEndpoints(nat, sp, ch.svl, pol.localEndpoints, large);
  for (const ep of pol.allReachable) {
    const sep = ch.sep(ep);
    nat.chain(sep);
    nat.add(sep, `-s ${addr(ep.ip)} ${withComment(spn)}-j KUBE-MARK-MASQ`);
    const recent = sp.sessionAffinity === 'ClientIP' ? `-m recent --set --name ${sep} --mask 255.255.255.255 --rsource ` : '';
    nat.add(sep, `-p ${proto} ${withComment(spn)}${recent}${m} -j DNAT --to-destination ${epString(ep)}`);
  }
}

function writeToEndpoints(nat: Table, sp: ServicePortView, chain: string, eps: EndpointView[], large: boolean): void {
  const ch = chainsOf(sp);
  nat.chain(chain);
  const c = (ep: EndpointView) => (large ? '' : `${comment(`${ch.spn} -> ${epString(ep)}`)} `);
  if (sp.sessionAffinity === 'ClientIP') {
    for (const ep of eps) {
      const sep = ch.sep(ep);
      nat.add(chain, `${c(ep)}-m recent --rcheck --seconds ${sp.stickySeconds} --reap --name ${sep} --mask 255.255.255.255 --rsource -j ${sep}`);
    }
  }
  eps.forEach((ep, i) => {
    const stat = i < eps.length - 1 ? `-m statistic --mode random --probability ${printedProbability(eps.length - i)} ` : '';
    nat.add(chain, `${c(ep)}${stat}-j ${ch.sep(ep)}`);
  });
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
}

export function cidrContains(cidr: string, ip: string): boolean {
  if (!ip) return false;
  const [base, bitsS] = cidr.includes('/') ? cidr.split('/') : [cidr, '32'];
  const bits = Number(bitsS);
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(base) || !/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return false;
  if (bits === 0) return true;
  const mask = bits >= 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0;
  return ((ipToInt(base) & mask) >>> 0) === ((ipToInt(ip) & mask) >>> 0);
}

/** the three tables of an iptables-mode node */
export function iptablesTables(view: ProxyView | undefined, node: NodeNet): Table[] {
  const mangle = newTable('mangle');
  const filter = newTable('filter');
  const nat = newTable('nat');
  kubeletChains(mangle, filter, nat);
  for (const t of [mangle, filter, nat]) t.chain('KUBE-PROXY-CANARY');
  if (!view) {
    filter.add('INPUT', '-j KUBE-FIREWALL').add('OUTPUT', '-j KUBE-FIREWALL');
    return [mangle, filter, nat];
  }
  const NEW = '-m conntrack --ctstate NEW';
  // the jumps kube-proxy prepends (the last one prepended comes first), then the kubelet's
  filter.add('INPUT', `${NEW} ${comment('kubernetes load balancer firewall')} -j KUBE-PROXY-FIREWALL`);
  filter.add('INPUT', `${comment('kubernetes health check service ports')} -j KUBE-NODEPORTS`);
  filter.add('INPUT', `${NEW} ${comment('kubernetes externally-visible service portals')} -j KUBE-EXTERNAL-SERVICES`);
  filter.add('INPUT', '-j KUBE-FIREWALL');
  filter.add('FORWARD', `${NEW} ${comment('kubernetes load balancer firewall')} -j KUBE-PROXY-FIREWALL`);
  filter.add('FORWARD', `${comment('kubernetes forwarding rules')} -j KUBE-FORWARD`);
  filter.add('FORWARD', `${NEW} ${comment('kubernetes service portals')} -j KUBE-SERVICES`);
  filter.add('FORWARD', `${NEW} ${comment('kubernetes externally-visible service portals')} -j KUBE-EXTERNAL-SERVICES`);
  filter.add('OUTPUT', `${NEW} ${comment('kubernetes load balancer firewall')} -j KUBE-PROXY-FIREWALL`);
  filter.add('OUTPUT', `${NEW} ${comment('kubernetes service portals')} -j KUBE-SERVICES`);
  filter.add('OUTPUT', '-j KUBE-FIREWALL');
  nat.add('PREROUTING', `${comment('kubernetes service portals')} -j KUBE-SERVICES`);
  nat.add('OUTPUT', `${comment('kubernetes service portals')} -j KUBE-SERVICES`);
  nat.add('POSTROUTING', `${comment('kubernetes postrouting rules')} -j KUBE-POSTROUTING`);
  for (const c of ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL']) filter.chain(c);
  for (const c of ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ']) nat.chain(c);
  masqueradeChains(nat);

  const large = view.services.reduce((n, s) => n + s.endpoints.length, 0) > LARGE_CLUSTER_ENDPOINTS;
  for (const sp of view.services) writeServicePort(sp, node, large, nat, filter);

  nat.add('KUBE-SERVICES', `${comment('kubernetes service nodeports; NOTE: this must be the last rule in this chain')} -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`);
  filter.add('KUBE-FORWARD', '-m conntrack --ctstate INVALID -m nfacct --nfacct-name  ct_state_invalid_dropped_pkts -j DROP');
  filter.add('KUBE-FORWARD', `${comment('kubernetes forwarding rules')} -m mark --mark ${MASQ_MARK}/${MASQ_MARK} -j ACCEPT`);
  filter.add('KUBE-FORWARD', `${comment('kubernetes forwarding conntrack rule')} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`);
  return [mangle, filter, nat];
}

/**
 * Exactly what `iptables-save` prints on the node (`-t table` for one table, `-c` for counters):
 * the rules its kube-proxy programmed last — stale on a stopped node.
 */
export function iptablesSave(world: NetWorld, nodeName: string, opts: { table?: string; counters?: boolean } = {}): string {
  const view = programmedView(world.components, nodeName);
  const node = nodeNet(world, nodeName);
  const tables = world.config.proxyMode === 'ipvs' ? ipvsTables(view, node) : iptablesTables(view, node);
  return renderSave(tables, world.now, opts);
}
