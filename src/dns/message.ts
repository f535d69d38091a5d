// A DNS message as the simulated CoreDNS answers it, and the few wire facts the tools print (dig's
// MSG SIZE, its column layout). Names are fully qualified with their trailing dot, as in a zone
// file; record data is in presentation form ("10.96.0.1", "0 100 80 web.default.svc.cluster.local.").

export type RRType = 'A' | 'AAAA' | 'SRV' | 'PTR' | 'CNAME' | 'TXT' | 'SOA' | 'NS' | 'MX';
export type QType = RRType | 'ANY';
export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';

export interface DnsRecord {
  name: string;
  type: RRType;
  ttl: number;
  data: string;
}

export interface DnsMessage {
  rcode: Rcode;
  answers: DnsRecord[];
  authority: DnsRecord[];
  /** the additional section without the OPT pseudo-record (SRV targets' addresses) */
  additional: DnsRecord[];
  /** aa: CoreDNS's kubernetes plugin answers for its zones; forwarded answers are not */
  authoritative: boolean;
  /** ra: set by the upstream resolver on forwarded answers; the kubernetes plugin leaves it off */
  recursionAvailable: boolean;
}

export const QTYPES: QType[] = ['A', 'AAAA', 'SRV', 'PTR', 'CNAME', 'TXT', 'SOA', 'NS', 'MX', 'ANY'];
const TYPE_CODES: Record<string, number> = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, ANY: 255 };
export const typeCode = (t: string): number => TYPE_CODES[t] ?? 0;

/** `name` with exactly one trailing dot ("." stays ".") */
export function fqdn(name: string): string {
  if (name === '' || name === '.') return '.';
  return name.endsWith('.') ? name : `${name}.`;
}

/** `name` without its trailing dot, as resolvers and busybox print names */
export function bare(name: string): string {
  return name === '.' ? '.' : name.replace(/\.$/, '');
}

export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

export function isIPv6(s: string): boolean {
  return s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s) && (s.match(/::/g) ?? []).length <= 1;
}

/** 10.96.0.1 → 1.0.96.10.in-addr.arpa. */
export function reverseName(ip: string): string | undefined {
  if (isIPv4(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa.`;
  if (isIPv6(ip)) {
    const nibbles = expandIPv6(ip).replaceAll(':', '').split('').reverse();
    return `${nibbles.join('.')}.ip6.arpa.`;
  }
  return undefined;
}

/** 1.0.96.10.in-addr.arpa. → 10.96.0.1 (ip6.arpa names too) */
export function ipFromReverse(name: string): string | undefined {
  const n = fqdn(name).toLowerCase();
  if (n.endsWith('.in-addr.arpa.')) {
    const parts = n.slice(0, -'.in-addr.arpa.'.length).split('.');
    if (parts.length !== 4) return undefined;
    const ip = parts.reverse().join('.');
    return isIPv4(ip) ? ip : undefined;
  }
  if (n.endsWith('.ip6.arpa.')) {
    const nib = n.slice(0, -'.ip6.arpa.'.length).split('.');
    if (nib.length !== 32 || !nib.every((x) => /^[0-9a-f]$/.test(x))) return undefined;
    const hex = nib.reverse().join('');
    const groups = hex.match(/.{4}/g)!.map((g) => g.replace(/^0+(?=.)/, ''));
    return compressIPv6(groups.join(':'));
  }
  return undefined;
}

function expandIPv6(ip: string): string {
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail !== undefined ? new Array(8 - h.length - t.length).fill('0') : [];
  return [...h, ...fill, ...t].map((g) => g.padStart(4, '0')).join(':');
}

function compressIPv6(ip: string): string {
  const groups = expandIPv6(ip).split(':').map((g) => g.replace(/^0+(?=.)/, ''));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

// ---------------------------------------------------------------- wire size (dig's MSG SIZE)

/** bytes a name takes, compressed against the names already written (miekg/dns compresses) */
function nameBytes(name: string, seen: Set<string> | undefined): number {
  const labels = bare(fqdn(name).toLowerCase()).split('.').filter(Boolean);
  let bytes = 0;
  for (let i = 0; i < labels.length; i++) {
    const suffix = labels.slice(i).join('.');
    if (seen?.has(suffix)) return bytes + 2;
    seen?.add(suffix);
    bytes += 1 + labels[i].length;
  }
  return bytes + 1;
}

function rdataBytes(r: DnsRecord, seen: Set<string>): number {
  switch (r.type) {
    case 'A': return 4;
    case 'AAAA': return 16;
    case 'CNAME': case 'PTR': case 'NS': return nameBytes(r.data, seen);
    // RFC 2782: the SRV target is never compressed
    case 'SRV': return 6 + nameBytes(r.data.split(' ')[3], undefined);
    case 'MX': return 2 + nameBytes(r.data.split(' ')[1], seen);
    case 'SOA': {
      const [ns, mbox] = r.data.split(' ');
      return nameBytes(ns, seen) + nameBytes(mbox, seen) + 20;
    }
    case 'TXT': return (r.data.match(/"([^"]*)"/g) ?? ['""']).reduce((n, s) => n + 1 + s.length - 2, 0);
  }
}

/** the size of the reply on the wire: header, question, sections, and the OPT record dig asked for */
export function messageSize(qname: string, msg: DnsMessage, opt: { edns: boolean; cookie: boolean }): number {
  const seen = new Set<string>();
  let size = 12 + nameBytes(qname, seen) + 4;
  for (const r of [...msg.answers, ...msg.authority, ...msg.additional]) size += nameBytes(r.name, seen) + 10 + rdataBytes(r, seen);
  if (opt.edns) size += 11 + (opt.cookie ? 12 : 0);
  return size;
}

// ---------------------------------------------------------------- presentation (dig, host)

/** BIND's master-file style as dig prints it: ttl at column 24, class 32, type 40, rdata 48 (tabs of 8) */
function column(line: string): number {
  let c = 0;
  for (const ch of line) c = ch === '\t' ? (Math.floor(c / 8) + 1) * 8 : c + 1;
  return c;
}

function indentTo(line: string, col: number): string {
  let cur = column(line);
  if (cur >= col) return `${line} `;
  let out = line;
  while (cur < col) {
    out += '\t';
    cur = (Math.floor(cur / 8) + 1) * 8;
  }
  return out;
}

export function recordLine(r: DnsRecord): string {
  let s = r.name;
  s = indentTo(s, 24) + String(r.ttl);
  s = indentTo(s, 32) + 'IN';
  s = indentTo(s, 40) + r.type;
  s = indentTo(s, 48) + r.data;
  return s;
}

export function questionLine(qname: string, qtype: string): string {
  let s = `;${qname}`;
  s = indentTo(s, 32) + 'IN';
  s = indentTo(s, 40) + qtype;
  return s;
}
