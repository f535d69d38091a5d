// kube-proxy's chain names and the numbers iptables prints. The names are what people grep for in a
// real iptables-save (KUBE-SVC-NPX46M4PTMTKRN6Y is default/kubernetes:https on every cluster), so
// they are computed exactly as pkg/proxy/iptables does: base32(sha256(name + protocol))[:16].
import { createHash } from 'node:crypto';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (Go's base32.StdEncoding), without padding: only a prefix is ever used */
function base32(buf: Uint8Array): string {
  let out = '';
  let bits = 0;
  let val = 0;
  for (const b of buf) {
    val = ((val << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += B32[(val >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(val << (5 - bits)) & 31];
  return out;
}

const hash16 = (s: string): string => base32(createHash('sha256').update(s).digest()).slice(0, 16);

/** "namespace/name:port" (no ":" when the port has no name), as proxy.ServicePortName.String() */
export function servicePortName(namespace: string, name: string, port: string): string {
  return port ? `${namespace}/${name}:${port}` : `${namespace}/${name}`;
}

export type ChainPrefix = 'KUBE-SVC-' | 'KUBE-SVL-' | 'KUBE-EXT-' | 'KUBE-FW-';

/** KUBE-SVC-/KUBE-SVL-/KUBE-EXT-/KUBE-FW- + hash of the service port name and lower-case protocol */
export function serviceChain(prefix: ChainPrefix, spn: string, protocol: string): string {
  return prefix + hash16(spn + protocol.toLowerCase());
}

/** KUBE-SEP- + hash of the service port name, protocol and "ip:port" */
export function endpointChain(spn: string, protocol: string, endpoint: string): string {
  return 'KUBE-SEP-' + hash16(spn + protocol.toLowerCase() + endpoint);
}

/**
 * The probability of the i-th of n statistic rules as iptables-save prints it: kube-proxy writes
 * 1/n with %0.10f, iptables stores it as a 31-bit fraction (lround(p * 2^31)) and prints that back
 * with %.11f — hence 0.33333333349 for 1/3.
 */
export function probabilityFraction(n: number): number {
  const written = Number((1 / n).toFixed(10));
  return Math.round(written * 0x80000000);
}

export function printedProbability(n: number): string {
  return (probabilityFraction(n) / 0x80000000).toFixed(11);
}

/** xt_statistic's test: (random u32 & 0x7fffffff) < fraction; r in [0, 1) stands for the random bits */
export function statisticMatches(n: number, r: number): boolean {
  return Math.floor(r * 0x80000000) < probabilityFraction(n);
}
