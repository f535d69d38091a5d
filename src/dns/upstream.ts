// What lies beyond the cluster's DNS: CoreDNS forwards every name outside its zones to the node's
// resolver (`forward . /etc/resolv.conf`; on kind, Docker's embedded DNS at the network gateway,
// which asks the host's resolver). This machine has no internet, so the "internet" is a small
// fixed table of well-known public names; any other name is NXDOMAIN from the root zone. The
// addresses are plausible, not live: they do not change with the real world.
import type { DnsMessage, DnsRecord, QType } from './message.js';
import { bare, fqdn } from './message.js';

/** CoreDNS's `cache 30` caps the TTL of everything it forwards */
const TTL = 30;

interface Entry {
  a?: string[];
  aaaa?: string[];
  cname?: string;
}

const PUBLIC: Record<string, Entry> = {
  'example.com.': { a: ['93.184.215.14'], aaaa: ['2606:2800:21f:cb07:6820:80da:af6b:8b2c'] },
  'www.example.com.': { a: ['93.184.215.14'] },
  'example.org.': { a: ['93.184.215.14'] },
  'google.com.': { a: ['142.250.185.78'], aaaa: ['2a00:1450:4001:813::200e'] },
  'www.google.com.': { a: ['142.250.185.68'] },
  'github.com.': { a: ['140.82.121.4'] },
  'www.github.com.': { cname: 'github.com.' },
  'kubernetes.io.': { a: ['15.197.167.90', '3.33.186.135'] },
  'k8s.io.': { a: ['34.107.204.206'] },
  'registry.k8s.io.': { a: ['34.96.108.209'] },
  'docker.io.': { a: ['54.236.113.205'] },
  'registry-1.docker.io.': { a: ['54.236.113.205'] },
  'cloudflare.com.': { a: ['104.16.132.229', '104.16.133.229'] },
  'one.one.one.one.': { a: ['1.1.1.1', '1.0.0.1'] },
  'dns.google.': { a: ['8.8.8.8', '8.8.4.4'] },
  'wikipedia.org.': { a: ['185.15.59.224'] },
  // the docs' init-container example fetches it ("Configure Pod Initialization")
  'info.cern.ch.': { a: ['188.184.67.127'] },
};

/** resolvers a pod can ask directly (`dig @8.8.8.8`, `nslookup x 1.1.1.1`): they answer from the table */
export const PUBLIC_RESOLVERS = new Set(['8.8.8.8', '8.8.4.4', '1.1.1.1', '1.0.0.1', '9.9.9.9']);

function rootSOA(now: number): DnsRecord {
  const d = new Date(now);
  const serial = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}00`;
  return { name: '.', type: 'SOA', ttl: TTL, data: `a.root-servers.net. nstld.verisign-grs.com. ${serial} 1800 900 604800 86400` };
}

/** the 13 root servers, what `dig` with no name asks for */
const ROOT_NS = 'abcdefghijklm'.split('').map((c) => `${c}.root-servers.net.`);

/** a recursive resolver's answer for a name outside the cluster */
export function upstreamQuery(qname: string, qtype: QType, now: number): DnsMessage {
  const name = fqdn(qname);
  const key = name.toLowerCase();
  const msg: DnsMessage = { rcode: 'NOERROR', answers: [], authority: [], additional: [], authoritative: false, recursionAvailable: true };
  if (key === '.') {
    if (qtype === 'NS') msg.answers = ROOT_NS.map((ns) => ({ name: '.', type: 'NS' as const, ttl: TTL, data: ns }));
    else msg.authority = [rootSOA(now)];
    return msg;
  }
  let entry = PUBLIC[key];
  let owner = name;
  if (!entry) {
    msg.rcode = 'NXDOMAIN';
    msg.authority = [rootSOA(now)];
    return msg;
  }
  // follow a CNAME the way a recursive resolver does: the alias, then the target's records
  for (let hops = 0; entry?.cname && qtype !== 'CNAME' && hops < 8; hops++) {
    msg.answers.push({ name: owner, type: 'CNAME', ttl: TTL, data: entry.cname });
    owner = entry.cname;
    entry = PUBLIC[owner];
  }
  if (!entry) return msg;
  if (qtype === 'CNAME' && entry.cname) msg.answers.push({ name: owner, type: 'CNAME', ttl: TTL, data: entry.cname });
  const want: ('A' | 'AAAA')[] = qtype === 'ANY' ? ['A', 'AAAA'] : qtype === 'A' || qtype === 'AAAA' ? [qtype] : [];
  for (const t of want) for (const ip of (t === 'A' ? entry.a : entry.aaaa) ?? []) msg.answers.push({ name: owner, type: t, ttl: TTL, data: ip });
  if (!msg.answers.length) {
    // NODATA: the zone's SOA (the registrable domain: the owner's last two labels)
    const zone = `${bare(owner).split('.').slice(-2).join('.')}.`;
    msg.authority = [{ name: zone, type: 'SOA', ttl: TTL, data: `ns1.${zone} hostmaster.${zone} 2024010101 7200 3600 1209600 300` }];
  }
  return msg;
}

/** the name a web server at a table address answers for (the first name holding it), if any */
export function publicHost(ip: string): string | undefined {
  for (const [name, e] of Object.entries(PUBLIC)) if (e.a?.includes(ip) && !PUBLIC_RESOLVERS.has(ip)) return bare(name);
  return undefined;
}

/** is the name one the table knows (for the `host`/`dig` flavour of "no such host") */
export function knownPublicName(name: string): boolean {
  return fqdn(name).toLowerCase() in PUBLIC;
}
