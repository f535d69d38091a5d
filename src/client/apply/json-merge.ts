// JSON merge patch (RFC 7386): `kubectl patch --type merge`, and what kubectl apply falls back to
// for kinds it has no strategic-merge metadata for (custom resources). Lists are replaced whole,
// null deletes a key.
import { deepClone, deepEqual, has, isObject, type JsonObject } from './json-util.js';

/** Apply `patch` to `doc` (neither is modified). A non-object patch replaces the document. */
export function jsonMergePatch(doc: unknown, patch: unknown): any {
  if (!isObject(patch)) return deepClone(patch);
  const target: JsonObject = isObject(doc) ? deepClone(doc) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete target[k];
    else target[k] = jsonMergePatch(target[k], v);
  }
  return target;
}

/** The merge patch that turns `a` into `b`: changed keys, nested objects recursively, null for removed keys. */
export function createJsonMergePatch(a: JsonObject, b: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const k of Object.keys(a)) if (!has(b, k)) patch[k] = null;
  for (const [k, bv] of Object.entries(b)) {
    if (!has(a, k)) {
      patch[k] = deepClone(bv);
      continue;
    }
    const av = a[k];
    if (isObject(av) && isObject(bv)) {
      const sub = createJsonMergePatch(av, bv);
      if (Object.keys(sub).length > 0) patch[k] = sub;
    } else if (!deepEqual(av, bv)) {
      patch[k] = deepClone(bv);
    }
  }
  return patch;
}
