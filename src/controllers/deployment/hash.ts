// The pod-template-hash: what names a Deployment's ReplicaSets (`<deploy>-<hash>`) and labels their
// pods. kube-controller-manager feeds a spew dump of the PodTemplateSpec (and the collision count)
// to FNV-32a and turns the decimal of the sum into text with apimachinery's rand.SafeEncodeString.
// Go's spew dump cannot be reproduced byte for byte, so we hash a canonical JSON of the template
// instead: same function, same length (the decimal digits of a uint32) and same alphabet, and the
// same template always gives the same hash.

// apimachinery's rand alphabet: no vowels, no lookalikes.
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a, 32 bits, over bytes. */
export function fnv32a(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString: each byte picks a letter of the alphabet by its value modulo 27. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

/** JSON with object keys sorted, so that key order never changes a hash. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

/** controller.ComputeHash(template, collisionCount) in shape. */
export function computeHash(template: unknown, collisionCount?: number | null): string {
  const enc = new TextEncoder();
  let h = fnv32a(enc.encode(canonicalJson(template ?? {})));
  if (collisionCount != null) {
    // binary.LittleEndian.PutUint32 into an 8-byte buffer: the last four bytes stay zero.
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(b, h);
  }
  return safeEncodeString(String(h));
}
