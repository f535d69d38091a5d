// kube-proxy's ipvs mode (pkg/proxy/ipvs/proxier.go): a virtual server per service address (cluster
// IP, external IPs, load-balancer IPs, each node IP for a NodePort) with the endpoints as real
// servers (round robin, masquerading), ipsets holding the addresses, and a few iptables rules
// matching those sets. `ipvsadm -Ln`, `ipset list` and iptables-save print them.
import type { NetWorld, Protocol } from '../kubelet/net/types.js';
import { nodeNet, type NodeNet } from './iptables.js';
import { comment, kubeletChains, masqueradeChains, MASQ_MARK, newTable, type Table } from './save.js';
import { programmedView } from './state.js';
import { categorize, type EndpointView, type ProxyView, type ServicePortView } from './view.js';

export interface VirtualServer {
  protocol: Protocol;
  ip: string;
  port: number;
  scheduler: 'rr';
  /** session affinity ClientIP: persistent <timeout> */
  persistent?: number;
  real: EndpointView[];
  sp: ServicePortView;
  via: 'clusterIP' | 'nodePort' | 'externalIP' | 'loadBalancer';
}

/** syncEndpoint's choice of real servers: local ones when the policy says so, if there are any */
function realServers(sp: ServicePortView, nodeName: string, onlyLocal: boolean): EndpointView[] {
  const cat = categorize(sp, nodeName);
  if (onlyLocal) return cat.localEndpoints.length ? cat.localEndpoints : cat.clusterEndpoints;
  return cat.clusterEndpoints;
}

export function virtualServers(view: ProxyView | undefined, node: NodeNet): VirtualServer[] {
  const out: VirtualServer[] = [];
  for (const sp of view?.services ?? []) {
    const base = { protocol: sp.protocol, port: sp.servicePort, scheduler: 'rr' as const, sp, ...(sp.sessionAffinity === 'ClientIP' ? { persistent: sp.stickySeconds } : {}) };
    out.push({ ...base, ip: sp.clusterIP, real: realServers(sp, node.name, sp.internalLocal), via: 'clusterIP' });
    for (const ip of sp.externalIPs) out.push({ ...base, ip, real: realServers(sp, node.name, sp.externalLocal), via: 'externalIP' });
    for (const ip of sp.lbIPs) out.push({ ...base, ip, real: realServers(sp, node.name, sp.externalLocal), via: 'loadBalancer' });
    if (sp.nodePort && node.ip) out.push({ ...base, ip: node.ip, port: sp.nodePort, real: realServers(sp, node.name, sp.externalLocal), via: 'nodePort' });
  }
  return out;
}

const PROTO_NUM: Record<string, number> = { TCP: 6, UDP: 17, SCTP: 132 };
const ipNum = (ip: string) => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);

/** `ipvsadm -Ln`: services sorted by protocol, address, port; real servers by address, port */
export function ipvsadmList(world: NetWorld, nodeName: string): string {
  const vss = virtualServers(programmedView(world.components, nodeName), nodeNet(world, nodeName));
  vss.sort((a, b) => PROTO_NUM[a.protocol] - PROTO_NUM[b.protocol] || ipNum(a.ip) - ipNum(b.ip) || a.port - b.port);
  const lines = [
    'IP Virtual Server version 1.2.1 (size=4096)',
    'Prot LocalAddress:Port Scheduler Flags',
    '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
  ];
  for (const vs of vss) {
    lines.push(`${vs.protocol.padEnd(4)} ${vs.ip}:${vs.port} ${vs.scheduler}${vs.persistent !== undefined ? ` persistent ${vs.persistent}` : ''}`);
    const real = [...vs.real].sort((a, b) => ipNum(a.ip) - ipNum(b.ip) || a.port - b.port);
    for (const r of real) lines.push(`  -> ${`${r.ip}:${r.port}`.padEnd(28)} ${'Masq'.padEnd(7)} ${'1'.padEnd(6)} ${'0'.padEnd(10)} ${'0'.padEnd(10)}`);
  }
  return lines.join('\n') + '\n';
}

// ---- ipsets ----

interface IpSet {
  name: string;
  type: string;
  comment: string;
  members: Set<string>;
}

const SETS: [string, string, string][] = [
  ['KUBE-LOOP-BACK', 'hash:ip,port,ip', 'Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose'],
  ['KUBE-CLUSTER-IP', 'hash:ip,port', 'Kubernetes service cluster ip + port for masquerade purpose'],
  ['KUBE-EXTERNAL-IP', 'hash:ip,port', 'Kubernetes service external ip + port for masquerade and filter purpose'],
  ['KUBE-EXTERNAL-IP-LOCAL', 'hash:ip,port', 'Kubernetes service external ip + port with externalTrafficPolicy=local'],
  ['KUBE-LOAD-BALANCER', 'hash:ip,port', 'Kubernetes service lb portal'],
  ['KUBE-LOAD-BALANCER-FW', 'hash:ip,port', 'Kubernetes service load balancer ip + port for load balancer with sourceRange'],
  ['KUBE-LOAD-BALANCER-LOCAL', 'hash:ip,port', 'Kubernetes service load balancer ip + port with externalTrafficPolicy=local'],
  ['KUBE-LOAD-BALANCER-SOURCE-IP', 'hash:ip,port,ip', 'Kubernetes service load balancer ip + port + source IP for packet filter purpose'],
  ['KUBE-LOAD-BALANCER-SOURCE-CIDR', 'hash:ip,port,net', 'Kubernetes service load balancer ip + port + source cidr for packet filter purpose'],
  ['KUBE-NODE-PORT-TCP', 'bitmap:port', 'Kubernetes nodeport TCP port for masquerade purpose'],
  ['KUBE-NODE-PORT-LOCAL-TCP', 'bitmap:port', 'Kubernetes nodeport TCP port with externalTrafficPolicy=local'],
  ['KUBE-NODE-PORT-UDP', 'bitmap:port', 'Kubernetes nodeport UDP port for masquerade purpose'],
  ['KUBE-NODE-PORT-LOCAL-UDP', 'bitmap:port', 'Kubernetes nodeport UDP port with externalTrafficPolicy=local'],
  ['KUBE-NODE-PORT-SCTP-HASH', 'hash:ip,port', 'Kubernetes nodeport SCTP port for masquerade purpose with type \'hash ip:port\''],
  ['KUBE-NODE-PORT-LOCAL-SCTP-HASH', 'hash:ip,port', 'Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type \'hash ip:port\''],
  ['KUBE-HEALTH-CHECK-NODE-PORT', 'bitmap:port', 'Kubernetes health check node port'],
  ['KUBE-IPVS-IPS', 'hash:ip', 'Addresses on the ipvs interface'],
];

export function ipSets(view: ProxyView | undefined, node: NodeNet): Map<string, IpSet> {
  const sets = new Map<string, IpSet>(SETS.map(([name, type, c]) => [name, { name, type, comment: c, members: new Set<string>() }]));
  const put = (set: string, m: string) => sets.get(set)!.members.add(m);
  for (const sp of view?.services ?? []) {
    const p = sp.protocol.toLowerCase();
    const ipPort = (ip: string) => `${ip},${p}:${sp.servicePort}`;
    for (const ep of sp.endpoints) if (ep.nodeName === node.name) put('KUBE-LOOP-BACK', `${ep.ip},${p}:${ep.port},${ep.ip}`);
    put('KUBE-CLUSTER-IP', ipPort(sp.clusterIP));
    put('KUBE-IPVS-IPS', sp.clusterIP);
    for (const ip of sp.externalIPs) {
      put(sp.externalLocal ? 'KUBE-EXTERNAL-IP-LOCAL' : 'KUBE-EXTERNAL-IP', ipPort(ip));
      put('KUBE-IPVS-IPS', ip);
    }
    for (const ip of sp.lbIPs) {
      put('KUBE-LOAD-BALANCER', ipPort(ip));
      put('KUBE-IPVS-IPS', ip);
      if (sp.externalLocal) put('KUBE-LOAD-BALANCER-LOCAL', ipPort(ip));
      if (sp.lbSourceRanges.length) {
        put('KUBE-LOAD-BALANCER-FW', ipPort(ip));
        for (const cidr of sp.lbSourceRanges) put('KUBE-LOAD-BALANCER-SOURCE-CIDR', `${ipPort(ip)},${cidr}`);
      }
    }
    if (sp.nodePort) {
      if (sp.protocol === 'SCTP') {
        put('KUBE-NODE-PORT-SCTP-HASH', `${node.ip},sctp:${sp.nodePort}`);
        if (sp.externalLocal) put('KUBE-NODE-PORT-LOCAL-SCTP-HASH', `${node.ip},sctp:${sp.nodePort}`);
      } else {
        put(`KUBE-NODE-PORT-${sp.protocol}`, String(sp.nodePort));
        if (sp.externalLocal) put(`KUBE-NODE-PORT-LOCAL-${sp.protocol}`, String(sp.nodePort));
      }
    }
    if (sp.healthCheckNodePort) put('KUBE-HEALTH-CHECK-NODE-PORT', String(sp.healthCheckNodePort));
  }
  return sets;
}

/** `ipset list [name]`, members sorted (the kernel's hash order is not worth imitating) */
export function ipsetList(world: NetWorld, nodeName: string, name?: string): string {
  const sets = ipSets(programmedView(world.components, nodeName), nodeNet(world, nodeName));
  const out: string[] = [];
  for (const s of sets.values()) {
    if (name && s.name !== name) continue;
    const header = s.type.startsWith('bitmap') ? 'range 0-65535 comment' : 'family inet hashsize 1024 maxelem 65536 comment bucketsize 12 initval 0x00000000';
    if (out.length) out.push('');
    out.push(`Name: ${s.name}`, `Type: ${s.type}`, `Revision: ${s.type.startsWith('bitmap') ? 3 : 6}`, `Header: ${header}`, `Size in memory: ${s.type.startsWith('bitmap') ? 524432 : 256 + 72 * s.members.size}`, `References: ${s.members.size ? 1 : 0}`, `Number of entries: ${s.members.size}`, 'Members:');
    out.push(...[...s.members].sort());
  }
  return out.length ? out.join('\n') + '\n' : '';
}

// ---- iptables in ipvs mode: writeIptablesRules ----

const WITH_CHAIN: { set: string; table: 'nat' | 'filter'; from: string; to: string; match: string; proto?: string }[] = [
  { set: 'KUBE-LOOP-BACK', table: 'nat', from: 'KUBE-POSTROUTING', to: 'MASQUERADE', match: 'dst,dst,src' },
  { set: 'KUBE-LOAD-BALANCER', table: 'nat', from: 'KUBE-SERVICES', to: 'KUBE-LOAD-BALANCER', match: 'dst,dst' },
  { set: 'KUBE-LOAD-BALANCER-LOCAL', table: 'nat', from: 'KUBE-LOAD-BALANCER', to: 'RETURN', match: 'dst,dst' },
  { set: 'KUBE-NODE-PORT-LOCAL-TCP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', match: 'dst', proto: 'tcp' },
  { set: 'KUBE-NODE-PORT-TCP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'KUBE-MARK-MASQ', match: 'dst', proto: 'tcp' },
  { set: 'KUBE-NODE-PORT-LOCAL-UDP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', match: 'dst', proto: 'udp' },
  { set: 'KUBE-NODE-PORT-UDP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'KUBE-MARK-MASQ', match: 'dst', proto: 'udp' },
  { set: 'KUBE-NODE-PORT-LOCAL-SCTP-HASH', table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', match: 'dst,dst', proto: 'sctp' },
  { set: 'KUBE-NODE-PORT-SCTP-HASH', table: 'nat', from: 'KUBE-NODE-PORT', to: 'KUBE-MARK-MASQ', match: 'dst,dst', proto: 'sctp' },
  { set: 'KUBE-LOAD-BALANCER-FW', table: 'filter', from: 'KUBE-PROXY-FIREWALL', to: 'KUBE-SOURCE-RANGES-FIREWALL', match: 'dst,dst' },
  { set: 'KUBE-LOAD-BALANCER-SOURCE-CIDR', table: 'filter', from: 'KUBE-SOURCE-RANGES-FIREWALL', to: 'RETURN', match: 'dst,dst,src' },
  { set: 'KUBE-LOAD-BALANCER-SOURCE-IP', table: 'filter', from: 'KUBE-SOURCE-RANGES-FIREWALL', to: 'RETURN', match: 'dst,dst,src' },
];

export function ipvsTables(view: ProxyView | undefined, node: NodeNet): Table[] {
  const mangle = newTable('mangle');
  const filter = newTable('filter');
  const nat = newTable('nat');
  kubeletChains(mangle, filter, nat);
  if (!view) {
    filter.add('INPUT', '-j KUBE-FIREWALL').add('OUTPUT', '-j KUBE-FIREWALL');
    return [mangle, filter, nat];
  }
  const sets = ipSets(view, node);
  const empty = (s: string) => sets.get(s)!.members.size === 0;
  for (const c of ['KUBE-SERVICES', 'KUBE-POSTROUTING', 'KUBE-NODE-PORT', 'KUBE-LOAD-BALANCER', 'KUBE-MARK-MASQ']) nat.chain(c);
  for (const c of ['KUBE-FORWARD', 'KUBE-NODE-PORT', 'KUBE-PROXY-FIREWALL', 'KUBE-SOURCE-RANGES-FIREWALL', 'KUBE-IPVS-FILTER', 'KUBE-IPVS-OUT-FILTER']) filter.chain(c);
  // jumps, each prepended: the last in the proxier's list comes first
  nat.add('PREROUTING', `${comment('kubernetes service portals')} -j KUBE-SERVICES`);
  nat.add('OUTPUT', `${comment('kubernetes service portals')} -j KUBE-SERVICES`);
  nat.add('POSTROUTING', `${comment('kubernetes postrouting rules')} -j KUBE-POSTROUTING`);
  filter.add('INPUT', `${comment('kubernetes ipvs access filter')} -j KUBE-IPVS-FILTER`);
  filter.add('INPUT', `${comment('kube-proxy firewall rules')} -j KUBE-PROXY-FIREWALL`);
  filter.add('INPUT', `${comment('kubernetes health check rules')} -j KUBE-NODE-PORT`);
  filter.add('INPUT', '-j KUBE-FIREWALL');
  filter.add('FORWARD', `${comment('kube-proxy firewall rules')} -j KUBE-PROXY-FIREWALL`);
  filter.add('FORWARD', `${comment('kubernetes forwarding rules')} -j KUBE-FORWARD`);
  filter.add('OUTPUT', `${comment('kubernetes ipvs access filter')} -j KUBE-IPVS-OUT-FILTER`);
  filter.add('OUTPUT', '-j KUBE-FIREWALL');

  nat.add('KUBE-SERVICES', '-s 127.0.0.0/8 -j RETURN');
  for (const w of WITH_CHAIN) {
    if (empty(w.set)) continue;
    const t = w.table === 'nat' ? nat : filter;
    t.add(w.from, `${w.proto ? `-p ${w.proto} ` : ''}${comment(sets.get(w.set)!.comment)} -m set --match-set ${w.set} ${w.match} -j ${w.to}`);
  }
  if (!empty('KUBE-CLUSTER-IP')) {
    nat.add('KUBE-SERVICES', `! -s ${node.clusterCIDR} ${comment(sets.get('KUBE-CLUSTER-IP')!.comment)} -m set --match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ`);
  }
  const externalRules = (set: string) => {
    const base = `${comment(sets.get(set)!.comment)} -m set --match-set ${set} dst,dst`;
    nat.add('KUBE-SERVICES', `${base} -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT`);
    nat.add('KUBE-SERVICES', `${base} -m addrtype --dst-type LOCAL -j ACCEPT`);
  };
  if (!empty('KUBE-EXTERNAL-IP')) {
    nat.add('KUBE-SERVICES', `${comment(sets.get('KUBE-EXTERNAL-IP')!.comment)} -m set --match-set KUBE-EXTERNAL-IP dst,dst -j KUBE-MARK-MASQ`);
    externalRules('KUBE-EXTERNAL-IP');
  }
  if (!empty('KUBE-EXTERNAL-IP-LOCAL')) externalRules('KUBE-EXTERNAL-IP-LOCAL');
  nat.add('KUBE-SERVICES', '-m addrtype --dst-type LOCAL -j KUBE-NODE-PORT');
  nat.add('KUBE-LOAD-BALANCER', '-j KUBE-MARK-MASQ');
  filter.add('KUBE-SOURCE-RANGES-FIREWALL', '-j DROP');
  for (const set of ['KUBE-CLUSTER-IP', 'KUBE-LOAD-BALANCER']) {
    if (!empty(set)) nat.add('KUBE-SERVICES', `-m set --match-set ${set} dst,dst -j ACCEPT`);
  }
  filter.add('KUBE-FORWARD', `${comment('kubernetes forwarding rules')} -m mark --mark ${MASQ_MARK}/${MASQ_MARK} -j ACCEPT`);
  filter.add('KUBE-FORWARD', `${comment('kubernetes forwarding conntrack rule')} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`);
  filter.add('KUBE-NODE-PORT', `${comment('Kubernetes health check node port')} -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j ACCEPT`);
  for (const [set, match] of [['KUBE-LOAD-BALANCER', 'dst,dst'], ['KUBE-CLUSTER-IP', 'dst,dst'], ['KUBE-EXTERNAL-IP', 'dst,dst'], ['KUBE-EXTERNAL-IP-LOCAL', 'dst,dst'], ['KUBE-HEALTH-CHECK-NODE-PORT', 'dst']]) {
    filter.add('KUBE-IPVS-FILTER', `-m set --match-set ${set} ${match} -j RETURN`);
  }
  filter.add('KUBE-IPVS-FILTER', '-m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT --reject-with icmp-port-unreachable');
  masqueradeChains(nat);
  return [mangle, filter, nat];
}
