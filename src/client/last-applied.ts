// The kubectl.kubernetes.io/last-applied-configuration annotation: the configuration as the user
// last applied it, which client-side apply diffs against to find what the user removed.
import type { KObject } from '../apiserver/types.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Go's json.Marshal of an unstructured object: map keys sorted, compact, HTML characters escaped. */
export function goJsonCompact(v: unknown): string {
  const s = JSON.stringify(v, (_k, val) => {
    if (val && typeof val === 'object' && !Array.isArray(val)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(val).sort()) out[k] = val[k];
      return out;
    }
    return val;
  });
  return s.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function stripLastApplied(annotations: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!annotations) return annotations;
  const { [LAST_APPLIED]: _drop, ...rest } = annotations;
  return rest;
}

/**
 * The annotation's value for an object about to be applied: the object without the annotation
 * (annotations left as an empty map, as kubectl leaves them), encoded as kubectl encodes it.
 */
export function lastAppliedFor(obj: KObject): string {
  const copy = JSON.parse(JSON.stringify(obj));
  copy.metadata = { ...(copy.metadata ?? {}), annotations: stripLastApplied(copy.metadata?.annotations) ?? {} };
  return `${goJsonCompact(copy)}\n`;
}
