// CoreDNS 1.11.3 with kubeadm's Corefile answering one question. The kubernetes plugin owns
// cluster.local, in-addr.arpa and ip6.arpa (`pods insecure`, `fallthrough in-addr.arpa ip6.arpa`,
// `ttl 30`); every other name goes to `forward . /etc/resolv.conf` (./upstream.ts). The semantics
// follow plugin/kubernetes (parse.go, kubernetes.go findServices/findPods, reverse.go) and
// plugin/backend_lookup.go (A/AAAA/SRV/CNAME/PTR): what exists is what the world's Services and
// EndpointSlices say, read the way CoreDNS converts slices (only endpoints whose ready condition is
// not false; the EndpointSlice controller already marks not-ready pods ready when the Service
// publishes not-ready addresses).
import type { KObject } from '../apiserver/types.js';
import type { NetWorld } from '../kubelet/net/types.js';
import { dnsServiceIP } from '../cluster/bootstrap.js';
import type { DnsMessage, DnsRecord, QType } from './message.js';
import { fqdn, ipFromReverse, isIPv4, isIPv6 } from './message.js';
import { upstreamQuery } from './upstream.js';

export const CLUSTER_DOMAIN = 'cluster.local';
const ZONE = `${CLUSTER_DOMAIN}.`;
export const DNS_TTL = 30;

interface EpAddress {
  ip: string;
  /** endpointHostname(): the endpoint's hostname, else its IP with dashes */
  host: string;
}

interface EpSet {
  addresses: EpAddress[];
  /** a slice without ports gets CoreDNS's sentinel port -1 (A records, no SRV) */
  ports: { name: string; port: number; protocol: string }[];
}

interface Index {
  namespaces: Set<string>;
  services: Map<string, KObject>;
  byClusterIP: Map<string, KObject>;
  endpoints: Map<string, EpSet[]>;
  /** endpoint IP → the names reverse.go builds for it (host.svc.ns) */
  byEndpointIP: Map<string, string[]>;
  dnsIPs: string[];
  serial: number;
}

const indexes = new WeakMap<NetWorld, Index>();

function stamp(o: KObject): number {
  let t = Date.parse(o.metadata?.creationTimestamp ?? '') || 0;
  for (const mf of o.metadata?.managedFields ?? []) t = Math.max(t, Date.parse(mf.time ?? '') || 0);
  return t;
}

/** CoreDNS's informer caches, built once per world (a command reads the world once) */
function indexOf(world: NetWorld): Index {
  const cached = indexes.get(world);
  if (cached) return cached;
  const namespaces = new Set<string>(world.namespaces.map((n) => n.metadata?.name ?? ''));
  const services = new Map<string, KObject>();
  const byClusterIP = new Map<string, KObject>();
  let latest = 0;
  for (const s of world.services) {
    const key = `${s.metadata?.namespace}/${s.metadata?.name}`;
    services.set(key, s);
    for (const ip of clusterIPs(s)) if (!byClusterIP.has(ip)) byClusterIP.set(ip, s);
    latest = Math.max(latest, stamp(s));
  }
  const pods = new Map<string, KObject>();
  for (const p of world.pods) pods.set(`${p.metadata?.namespace}/${p.metadata?.name}`, p);
  const endpoints = new Map<string, EpSet[]>();
  const byEndpointIP = new Map<string, string[]>();
  for (const sl of world.endpointSlices) {
    const ns = sl.metadata?.namespace ?? '';
    const svc = sl.metadata?.labels?.['kubernetes.io/service-name'];
    if (!svc) continue;
    latest = Math.max(latest, stamp(sl));
    const set: EpSet = { addresses: [], ports: (sl.ports ?? []).map((p: any) => ({ name: p.name ?? '', port: p.port ?? -1, protocol: p.protocol ?? 'TCP' })) };
    if (!set.ports.length) set.ports.push({ name: '', port: -1, protocol: '' });
    for (const ep of sl.endpoints ?? []) {
      if (ep.conditions?.ready === false) continue;
      let hostname: string | undefined = ep.hostname;
      // the EndpointSlice controller sets hostname for a pod whose hostname+subdomain name this
      // Service; read the pod when a slice was written without it
      if (!hostname && ep.targetRef?.kind === 'Pod') {
        const pod = pods.get(`${ep.targetRef.namespace ?? ns}/${ep.targetRef.name}`);
        if (pod?.spec?.hostname && pod.spec.subdomain === svc) hostname = pod.spec.hostname;
      }
      for (const ip of ep.addresses ?? []) {
        const host = hostname || ip.replaceAll('.', '-').replaceAll(':', '-');
        set.addresses.push({ ip, host });
        const names = byEndpointIP.get(ip) ?? [];
        names.push(`${host}.${svc}.${ns}.svc.${ZONE}`);
        byEndpointIP.set(ip, names);
      }
    }
    const key = `${ns}/${svc}`;
    const list = endpoints.get(key) ?? [];
    list.push(set);
    endpoints.set(key, list);
  }
  const kubeDns = services.get('kube-system/kube-dns');
  const dnsIPs = kubeDns ? clusterIPs(kubeDns) : [dnsServiceIP(world.config)];
  const idx: Index = {
    namespaces, services, byClusterIP, endpoints, byEndpointIP, dnsIPs,
    // the kubernetes plugin's Serial(): when its caches last changed (unix seconds)
    serial: Math.floor((latest || world.now) / 1000),
  };
  indexes.set(world, idx);
  return idx;
}

function clusterIPs(s: KObject): string[] {
  const ips: string[] = s.spec?.clusterIPs?.length ? s.spec.clusterIPs : s.spec?.clusterIP ? [s.spec.clusterIP] : [];
  return ips.filter((ip) => ip && ip !== 'None');
}

const isHeadless = (s: KObject) => s.spec?.clusterIP === 'None';
const isExternalName = (s: KObject) => s.spec?.type === 'ExternalName';

/** the authority record of every negative answer in cluster.local */
export function clusterSOA(world: NetWorld): DnsRecord {
  const serial = indexOf(world).serial;
  return { name: ZONE, type: 'SOA', ttl: DNS_TTL, data: `ns.dns.${ZONE} hostmaster.${ZONE} ${serial} 7200 1800 86400 ${DNS_TTL}` };
}

// ---------------------------------------------------------------- parse.go

interface RecordRequest {
  port: string;
  protocol: string;
  endpoint: string;
  service: string;
  namespace: string;
  podOrSvc: string;
}

class NameError extends Error {}

/** name relative to the zone → its parts; throws NameError for names the plugin refuses */
function parseRequest(name: string): RecordRequest {
  const r: RecordRequest = { port: '', protocol: '', endpoint: '', service: '', namespace: '', podOrSvc: '' };
  const base = name.toLowerCase() === ZONE ? '' : name.slice(0, -(ZONE.length + 1));
  if (base === '' || base.toLowerCase() === 'svc' || base.toLowerCase() === 'pod') return r;
  const segs = base.split('.');
  let last = segs.length - 1;
  r.podOrSvc = segs[last].toLowerCase();
  if (r.podOrSvc !== 'pod' && r.podOrSvc !== 'svc') throw new NameError();
  if (--last < 0) return r;
  r.namespace = segs[last];
  if (--last < 0) return r;
  r.service = segs[last];
  if (--last < 0) return r;
  if (last === 0) r.endpoint = segs[0];
  else if (last === 1) {
    r.protocol = segs[1].replace(/^_/, '');
    r.port = segs[0].replace(/^_/, '');
  } else throw new NameError();
  return r;
}

const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const matchPortProto = (rPort: string, port: string, rProto: string, proto: string) => (rPort === '' || eq(rPort, port)) && (rProto === '' || eq(rProto, proto));

/** msg.Service: a host (IP or, for ExternalName, a name), a port and the key its SRV target comes from */
interface Svc {
  host: string;
  port: number;
  /** the name the key stands for: svc.ns.svc.cluster.local. or host.svc.ns.svc.cluster.local. */
  target: string;
}

/** Records(): the services a name stands for; NameError for NXDOMAIN; [] for NODATA */
function records(world: NetWorld, name: string): Svc[] {
  const r = parseRequest(name);
  if (r.podOrSvc === '') return [];
  const idx = indexOf(world);
  if (!idx.namespaces.has(r.namespace)) throw new NameError();
  if (r.podOrSvc === 'pod') return findPods(r, name);
  return findServices(world, idx, r);
}

function findPods(r: RecordRequest, name: string): Svc[] {
  if (r.service === '') return [];
  const podname = r.service;
  const ip = (podname.match(/-/g) ?? []).length === 3 && !podname.includes('--') ? podname.replaceAll('-', '.') : podname.replaceAll('-', ':');
  if (!isIPv4(ip) && !isIPv6(ip)) throw new NameError();
  return [{ host: ip, port: -1, target: name }];
}

function findServices(world: NetWorld, idx: Index, r: RecordRequest): Svc[] {
  if (r.service === '') return [];
  const svc = idx.services.get(`${r.namespace}/${r.service}`) ?? idx.services.get(`${r.namespace.toLowerCase()}/${r.service.toLowerCase()}`);
  if (!svc) throw new NameError();
  const ns = svc.metadata?.namespace;
  const name = svc.metadata?.name;
  const svcName = `${name}.${ns}.svc.${ZONE}`;
  const out: Svc[] = [];
  let found = false;
  if (isExternalName(svc)) {
    const ext = String(svc.spec?.externalName ?? '');
    if (r.endpoint === '' && ext && !isIPv4(ext) && !isIPv6(ext)) {
      out.push({ host: fqdn(ext), port: 0, target: svcName });
      found = true;
    }
  } else if (isHeadless(svc) || r.endpoint !== '') {
    for (const set of idx.endpoints.get(`${ns}/${name}`) ?? []) {
      for (const addr of set.addresses) {
        if (r.endpoint !== '' && !eq(r.endpoint, addr.host)) continue;
        for (const p of set.ports) {
          if (!matchPortProto(r.port, p.name, r.protocol, p.protocol)) continue;
          out.push({ host: addr.ip, port: p.port, target: `${addr.host}.${svcName}` });
          found = true;
        }
      }
    }
  } else {
    for (const p of svc.spec?.ports ?? []) {
      if (!matchPortProto(r.port, p.name ?? '', r.protocol, p.protocol ?? 'TCP')) continue;
      found = true;
      for (const ip of clusterIPs(svc)) out.push({ host: ip, port: p.port, target: svcName });
    }
  }
  if (!found) throw new NameError();
  return out;
}

// ---------------------------------------------------------------- backend_lookup.go

const isName = (host: string) => !isIPv4(host) && !isIPv6(host);

function lookupA(world: NetWorld, qname: string, family: 'A' | 'AAAA', depth: number): DnsRecord[] {
  const out: DnsRecord[] = [];
  const seen = new Set<string>();
  for (const s of records(world, fqdn(qname))) {
    if (isName(s.host)) {
      if (depth >= 8 || eq(s.host, fqdn(qname))) continue;
      const cname: DnsRecord = { name: qname, type: 'CNAME', ttl: DNS_TTL, data: s.host };
      if (s.host.toLowerCase().endsWith(`.${ZONE}`)) {
        // a target inside the zone: answered here, and only worth the CNAME if it resolves
        let next: DnsRecord[] = [];
        try { next = lookupA(world, s.host, family, depth + 1); } catch (e) { if (!(e instanceof NameError)) throw e; }
        if (next.length) out.push(cname, ...next);
      } else {
        // a target elsewhere: CoreDNS asks itself again, i.e. the forwarder
        out.push(cname, ...upstreamQuery(s.host, family, world.now).answers);
      }
      continue;
    }
    const v4 = isIPv4(s.host);
    if ((family === 'A') !== v4 || seen.has(s.host)) continue;
    seen.add(s.host);
    out.push({ name: qname, type: family, ttl: DNS_TTL, data: s.host });
  }
  return out;
}

function lookupSRV(world: NetWorld, qname: string): { answers: DnsRecord[]; extra: DnsRecord[] } {
  const services = records(world, fqdn(qname));
  const answers: DnsRecord[] = [];
  const extra: DnsRecord[] = [];
  const dup = new Set<string>();
  // every entry has priority 0 and no weight: each gets an equal share of 100
  const weight = Math.max(1, Math.floor(100 / (services.length || 1)));
  for (const s of services) {
    if (s.port === -1) continue;
    if (isName(s.host)) {
      answers.push({ name: qname, type: 'SRV', ttl: DNS_TTL, data: `0 ${weight} ${s.port} ${s.host}` });
      continue;
    }
    const k = `${s.target}|${s.port}`;
    if (!dup.has(k)) {
      dup.add(k);
      answers.push({ name: qname, type: 'SRV', ttl: DNS_TTL, data: `0 ${weight} ${s.port} ${s.target}` });
    }
    const a = `${s.target}|${s.host}`;
    if (!dup.has(a)) {
      dup.add(a);
      extra.push({ name: s.target, type: isIPv4(s.host) ? 'A' : 'AAAA', ttl: DNS_TTL, data: s.host });
    }
  }
  return { answers, extra };
}

// ---------------------------------------------------------------- the server

function reply(authoritative: boolean): DnsMessage {
  return { rcode: 'NOERROR', answers: [], authority: [], additional: [], authoritative, recursionAvailable: !authoritative };
}

/** reverse.go: a ClusterIP names its Service; an endpoint IP names host.svc.ns (one per Service) */
function reverse(world: NetWorld, qname: string, qtype: QType): DnsMessage {
  const ip = ipFromReverse(qname);
  const idx = indexOf(world);
  if (qtype === 'PTR' && ip) {
    const svc = idx.byClusterIP.get(ip);
    const names = svc ? [`${svc.metadata?.name}.${svc.metadata?.namespace}.svc.${ZONE}`] : idx.byEndpointIP.get(ip) ?? [];
    if (names.length) {
      const m = reply(true);
      m.answers = names.map((n) => ({ name: qname, type: 'PTR' as const, ttl: DNS_TTL, data: n }));
      return m;
    }
  }
  // not ours: `fallthrough in-addr.arpa ip6.arpa` hands it to the forwarder
  const m = upstreamQuery(qname, qtype, world.now);
  if (m.rcode === 'NXDOMAIN') {
    const zone = qname.toLowerCase().endsWith('.ip6.arpa.') ? 'ip6.arpa.' : 'in-addr.arpa.';
    m.authority = [{ name: zone, type: 'SOA', ttl: DNS_TTL, data: `b.in-addr-servers.arpa. nstld.iana.org. 2024010101 1800 900 604800 3600` }];
  }
  return m;
}

/**
 * CoreDNS answering one question (the transport, i.e. whether a CoreDNS pod is reached, is the
 * resolver's business: see resolver.ts). `qname` keeps the case it was asked in, as CoreDNS does.
 */
export function query(world: NetWorld, qname: string, qtype: QType): DnsMessage {
  const name = fqdn(qname);
  const lower = name.toLowerCase();
  if (lower.endsWith('.in-addr.arpa.') || lower.endsWith('.ip6.arpa.') || lower === 'in-addr.arpa.' || lower === 'ip6.arpa.') return reverse(world, name, qtype);
  if (lower !== ZONE && !lower.endsWith(`.${ZONE}`)) return upstreamQuery(name, qtype, world.now);

  const m = reply(true);
  const soa = clusterSOA(world);
  const idx = indexOf(world);
  try {
    // the zone's own records: apex SOA/NS, the nameserver's address, dns-version
    if (lower === ZONE && qtype === 'SOA') { m.answers = [{ ...soa, name }]; return m; }
    if (lower === ZONE && qtype === 'NS') {
      m.answers = [{ name, type: 'NS', ttl: DNS_TTL, data: `ns.dns.${ZONE}` }];
      m.additional = idx.dnsIPs.map((ip) => ({ name: `ns.dns.${ZONE}`, type: 'A' as const, ttl: DNS_TTL, data: ip }));
      return m;
    }
    if (lower === `ns.dns.${ZONE}` && qtype === 'A') { m.answers = idx.dnsIPs.map((ip) => ({ name, type: 'A' as const, ttl: DNS_TTL, data: ip })); return m; }
    if (lower === `dns-version.${ZONE}` && qtype === 'TXT') { m.answers = [{ name, type: 'TXT', ttl: DNS_TTL, data: '"1.1.0"' }]; return m; }
    switch (qtype) {
      case 'A': case 'AAAA': m.answers = lookupA(world, name, qtype, 0); break;
      case 'SRV': {
        const { answers, extra } = lookupSRV(world, name);
        m.answers = answers;
        m.additional = extra;
        break;
      }
      case 'CNAME':
        m.answers = records(world, name).filter((s) => isName(s.host)).map((s) => ({ name, type: 'CNAME' as const, ttl: DNS_TTL, data: s.host }));
        break;
      default:
        // TXT, PTR, ANY, MX, ...: a lookup only to tell NODATA from NXDOMAIN
        records(world, name);
    }
  } catch (e) {
    if (!(e instanceof NameError)) throw e;
    m.rcode = 'NXDOMAIN';
    m.authority = [soa];
    return m;
  }
  if (!m.answers.length) m.authority = [soa];
  return m;
}

/** the kube-dns Service's addresses (what `nameserver` in a ClusterFirst pod points at) */
export function clusterDNSIPs(world: NetWorld): string[] {
  return indexOf(world).dnsIPs;
}
