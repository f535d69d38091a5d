// Addresses and CIDRs for NetworkPolicy ipBlocks, parsed the way Go's netutils.ParseCIDRSloppy
// does (IPv4 octets may carry leading zeros, read as decimal), for both families. A block of one
// family never contains an address of the other.

export interface Cidr {
  v6: boolean;
  /** the network address (host bits cleared) */
  base: bigint;
  bits: number;
}

export function parseIp(s: string): { v6: boolean; n: bigint } | undefined {
  if (s.includes(':')) {
    const n = parseIPv6(s);
    return n === undefined ? undefined : { v6: true, n };
  }
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256n + BigInt(v);
  }
  return { v6: false, n };
}

function parseIPv6(s: string): bigint | undefined {
  // an embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups
  let text = s;
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const ip = parseIp(v4[2]);
    if (!ip || ip.v6) return undefined;
    text = `${v4[1]}${(ip.n >> 16n).toString(16)}:${(ip.n & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let n = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) + BigInt(parseInt(g, 16));
  }
  return n;
}

export function parseCidrSloppy(s: string): Cidr | undefined {
  const i = s.indexOf('/');
  if (i < 0) return undefined;
  const ip = parseIp(s.slice(0, i));
  const bitsText = s.slice(i + 1);
  if (!ip || !/^\d+$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  const width = ip.v6 ? 128 : 32;
  if (bits > width) return undefined;
  const hostBits = BigInt(width - bits);
  const base = (ip.n >> hostBits) << hostBits;
  return { v6: ip.v6, base, bits };
}

export function cidrContainsIp(c: Cidr, ip: { v6: boolean; n: bigint }): boolean {
  if (c.v6 !== ip.v6) return false;
  const hostBits = BigInt((c.v6 ? 128 : 32) - c.bits);
  return (ip.n >> hostBits) << hostBits === c.base;
}

/** Go's IPNet.Contains(except.IP) && mask(cidr) < mask(except): the "strict subset" rule. */
export function isStrictSubset(outer: Cidr, inner: Cidr): boolean {
  return cidrContainsIp(outer, { v6: inner.v6, n: inner.base }) && outer.bits < inner.bits;
}
