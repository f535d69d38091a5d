// How a question travels from a program in a pod to an answer: the nameserver from the pod's
// resolv.conf, reached over UDP 53 through the data path (ctx.connect applies kube-proxy and
// NetworkPolicy), a Ready CoreDNS pod at the end of it (records.ts answers), or the node's Docker
// DNS / a public resolver (upstream.ts). And the libc stub resolvers curl and wget use: search list
// and ndots as glibc (res_search) and musl (name_from_dns_search) apply them.
import type { KObject } from '../apiserver/types.js';
import type { ToolContext } from '../kubelet/net/types.js';
import type { DnsMessage, QType } from './message.js';
import { bare, fqdn, isIPv4, isIPv6 } from './message.js';
import { query } from './records.js';
import { hostsFile, hostsLookup, nodeGateway, podDNSConfig } from './resolv.js';
import { PUBLIC_RESOLVERS, upstreamQuery } from './upstream.js';

export type Exchange =
  | { ok: true; msg: DnsMessage; server: string; elapsedMs: number }
  | { ok: false; server: string; error: 'timeout' };

const isCoreDNS = (p: KObject | undefined) => p?.metadata?.namespace === 'kube-system' && p?.metadata?.labels?.['k8s-app'] === 'kube-dns';
const isReady = (p: KObject) => p.status?.phase === 'Running' && (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

/** one UDP "connection" per server per program run: a resolver keeps its socket, kube-proxy its conntrack entry */
const sockets = new WeakMap<ToolContext, Map<string, 'coredns' | 'upstream' | 'dead'>>();

function reach(ctx: ToolContext, server: string): 'coredns' | 'upstream' | 'dead' {
  let m = sockets.get(ctx);
  if (!m) sockets.set(ctx, (m = new Map()));
  const known = m.get(server);
  if (known) return known;
  let how: 'coredns' | 'upstream' | 'dead';
  const node = ctx.pod.spec?.nodeName;
  if (server === nodeGateway(ctx.world, node) || PUBLIC_RESOLVERS.has(server)) {
    // Docker's DNS on the node's network (Default policy, hostNetwork) or a public resolver
    how = 'upstream';
    ctx.hop({ component: 'resolver', action: 'sent', object: `${server}:53/UDP`, detail: 'outside the cluster network' });
  } else {
    const conn = ctx.connect(server, 53, 'UDP');
    if (!conn.ok) how = 'dead';
    else {
      const pod = conn.to.pod ?? ctx.world.pods.find((p) => p.status?.podIP === conn.to.ip);
      how = pod && isCoreDNS(pod) && isReady(pod) ? 'coredns' : 'dead';
      if (how === 'dead') ctx.hop({ component: conn.to.pod?.metadata?.name ?? conn.to.ip, action: 'dropped', object: `${conn.to.ip}:53/UDP`, detail: 'no DNS server listening' });
    }
  }
  m.set(server, how);
  return how;
}

/** sends one question to `server` and waits for the reply (or the resolver's timeout) */
export function exchange(ctx: ToolContext, server: string, qname: string, qtype: QType): Exchange {
  const how = reach(ctx, server);
  if (how === 'dead') return { ok: false, server, error: 'timeout' };
  const msg = how === 'coredns' ? query(ctx.world, qname, qtype) : upstreamQuery(qname, qtype, ctx.world.now);
  const summary = msg.answers.length ? msg.answers.map((a) => `${a.type} ${bare(a.data)}`).join(', ') : `${qtype} ${msg.rcode === 'NOERROR' ? 'no records' : msg.rcode}`;
  ctx.hop({ component: how === 'coredns' ? 'coredns' : 'upstream-dns', action: msg.rcode === 'NOERROR' ? (msg.answers.length ? 'answered' : 'no data') : msg.rcode, object: bare(qname), detail: summary });
  return { ok: true, msg, server, elapsedMs: how === 'coredns' ? 1 : 12 };
}

export type Flavor = 'glibc' | 'musl' | 'bind';

export interface SearchSettings {
  search: string[];
  ndots: number;
}

/** the resolver settings of the pod's resolv.conf (ndots defaults to 1) */
export function searchSettings(pod: KObject, ctx: Pick<ToolContext, 'world'>): SearchSettings & { nameservers: string[]; timeoutS: number; attempts: number } {
  const c = podDNSConfig(pod, ctx.world);
  const opt = (name: string, dflt: number) => {
    const o = c.options.find((x) => x.startsWith(`${name}:`));
    const n = o ? Number(o.slice(name.length + 1)) : NaN;
    return Number.isFinite(n) ? n : dflt;
  };
  return { search: c.search, nameservers: c.nameservers, ndots: Math.min(15, opt('ndots', 1)), timeoutS: opt('timeout', 5), attempts: opt('attempts', 2) };
}

/**
 * The names a resolver tries, in order. A trailing dot means absolute. Fewer dots than ndots:
 * the search domains first, then the name itself. Otherwise glibc and BIND try the name first and
 * then the search list; musl tries only the name.
 */
export function candidates(name: string, s: SearchSettings, flavor: Flavor): string[] {
  if (name.endsWith('.')) return [fqdn(name)];
  const dots = (name.match(/\./g) ?? []).length;
  const searched = s.search.map((d) => fqdn(`${name}.${d}`));
  if (dots < s.ndots) return [...searched, fqdn(name)];
  return flavor === 'musl' ? [fqdn(name)] : [fqdn(name), ...searched];
}

export type ResolveResult =
  | { fqdn: string; addresses: string[]; tries: { fqdn: string; rcode: string }[]; elapsedMs?: number }
  | { error: 'NXDOMAIN' | 'timeout'; tries: { fqdn: string; rcode: string }[]; elapsedMs?: number };

/**
 * getaddrinfo() in the pod: /etc/hosts, then each candidate name against the nameservers in order
 * until one gives addresses. A nameserver that never answers costs the resolver's timeout
 * (glibc: timeout x attempts per server; musl: the timeout in all).
 */
export function resolveName(ctx: ToolContext, name: string, qtype: 'A' | 'AAAA' = 'A'): ResolveResult {
  const tries: { fqdn: string; rcode: string }[] = [];
  if (isIPv4(name) || isIPv6(name)) return { fqdn: name, addresses: [name], tries };
  const fromHosts = hostsLookup(hostsFile(ctx.pod, ctx.world), name).filter((ip) => (qtype === 'A' ? isIPv4(ip) : isIPv6(ip)));
  if (fromHosts.length) {
    ctx.hop({ component: ctx.pod.metadata?.name ?? 'pod', action: 'resolved', object: name, detail: `/etc/hosts: ${fromHosts.join(', ')}` });
    return { fqdn: name.replace(/\.$/, ''), addresses: fromHosts, tries };
  }
  const s = searchSettings(ctx.pod, ctx);
  const flavor: Flavor = ctx.busybox ? 'musl' : 'glibc';
  const perServerMs = flavor === 'musl' ? s.timeoutS * 1000 : s.timeoutS * 1000 * s.attempts;
  let elapsedMs = 0;
  const servers = s.nameservers.length ? s.nameservers : ['127.0.0.1'];
  for (const cand of candidates(name, s, flavor)) {
    let answered = false;
    for (const server of servers) {
      const ex = exchange(ctx, server, cand, qtype);
      if (!ex.ok) {
        elapsedMs += perServerMs;
        continue;
      }
      answered = true;
      elapsedMs += ex.elapsedMs;
      tries.push({ fqdn: bare(cand), rcode: ex.msg.rcode });
      const addrs = ex.msg.answers.filter((a) => a.type === qtype).map((a) => a.data);
      if (ex.msg.rcode === 'NOERROR' && addrs.length) return { fqdn: bare(cand), addresses: addrs, tries, elapsedMs };
      break;
    }
    // no server answered: the lookup fails with EAI_AGAIN ("Temporary failure in name resolution")
    if (!answered) {
      tries.push({ fqdn: bare(cand), rcode: 'timeout' });
      return { error: 'timeout', tries, elapsedMs };
    }
  }
  return { error: 'NXDOMAIN', tries, elapsedMs };
}
