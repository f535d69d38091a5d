// --append-hash: kubectl (kustomize's hasher) hashes a canonical JSON of the object's content
// and appends a 10-char encoding of it to the name, so a content change gives a new name.
import { createHash } from 'node:crypto';

function goJson(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function encode(hex: string): string {
  const map: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return hex.slice(0, 10).replace(/[013ae]/g, (c) => map[c]);
}

/** Keys of a Go map marshal in sorted order; `fields` must already be built that way. */
export function contentHash(fields: Record<string, unknown>): string {
  return encode(createHash('sha256').update(goJson(fields)).digest('hex'));
}
