// The cluster's seeded generator: names, uids and IPs come from it so that the same commands on
// a fresh cluster give the same results. Its state is saved with the cluster.
import type { ClusterMeta } from '../storage/store.js';

// The alphabet of apimachinery's rand.String: no vowels (no words), no lookalikes (0/o, 1/l).
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export class Rng {
  constructor(private meta: ClusterMeta, private onChange: () => void) {}

  /** mulberry32 step: uniform in [0, 2^32) */
  nextUint32(): number {
    let t = (this.meta.rngState = (this.meta.rngState + 0x6d2b79f5) | 0);
    this.onChange();
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  intn(n: number): number {
    return this.nextUint32() % n;
  }

  /** like apimachinery's rand.String, used for generateName suffixes */
  string(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += ALPHANUMS[this.intn(ALPHANUMS.length)];
    return s;
  }

  uuid(): string {
    const hex: string[] = [];
    for (let i = 0; i < 4; i++) hex.push(this.nextUint32().toString(16).padStart(8, '0'));
    const h = hex.join('');
    const variant = ((Number.parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
