// host-local IPAM, as kind's CNI config uses it (ptp + host-local over the node's podCIDR): the
// network address and the gateway (.1) are never handed out, nor the broadcast address; addresses
// are given round-robin from the last one reserved (a freed address is not reused at once), which
// is why a node's pods get .2, .3, .4 ... and a replacement pod gets the next one, not the old one.

export interface IpamState {
  /** the range the state belongs to; a new podCIDR starts afresh */
  cidr?: string;
  /** offset in the range of the last address reserved */
  last: number;
  /** address → what holds it (the pod's key) */
  used: Record<string, string>;
}

export function newIpamState(): IpamState {
  return { last: 1, used: {} };
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseCidr(cidr: string): { base: number; size: number } | undefined {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr);
  if (!m) return undefined;
  const bits = Number(m[2]);
  if (bits < 8 || bits > 30) return undefined;
  const size = 2 ** (32 - bits);
  const base = ipToInt(m[1]) - (ipToInt(m[1]) % size);
  return { base, size };
}

/** Reserves an address for key (the same one again if key already holds one); undefined when full. */
export function allocate(state: IpamState, cidr: string, key: string): string | undefined {
  const range = parseCidr(cidr);
  if (!range) return undefined;
  if (state.cidr !== cidr) {
    state.cidr = cidr;
    state.last = 1;
    state.used = {};
  }
  for (const [ip, holder] of Object.entries(state.used)) if (holder === key) return ip;
  // usable offsets: 2 .. size-2 (network, gateway and broadcast excluded)
  const first = 2;
  const lastUsable = range.size - 2;
  const count = lastUsable - first + 1;
  for (let i = 1; i <= count; i++) {
    const off = first + ((state.last - first + i) % count + count) % count;
    const ip = intToIp(range.base + off);
    if (!(ip in state.used)) {
      state.used[ip] = key;
      state.last = off;
      return ip;
    }
  }
  return undefined;
}

export function release(state: IpamState, key: string): boolean {
  let changed = false;
  for (const [ip, holder] of Object.entries(state.used)) {
    if (holder === key) {
      delete state.used[ip];
      changed = true;
    }
  }
  return changed;
}

export function gateway(cidr: string): string | undefined {
  const r = parseCidr(cidr);
  return r ? intToIp(r.base + 1) : undefined;
}
