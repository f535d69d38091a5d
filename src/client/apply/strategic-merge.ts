// Strategic merge patch, as k8s.io/apimachinery/pkg/util/strategicpatch does it: the patch type of
// `kubectl patch` (default), `kubectl edit` and client-side `kubectl apply`.
//
// Applying (server side):
//   - maps merge key by key, `null` deletes a key;
//   - lists whose field has patchStrategy "merge" merge by the field's merge key (lists of scalars
//     with that strategy are a set union); all other lists are replaced whole;
//   - directives: `$patch: replace|delete` on a map, `{$patch: delete, <key>: v}` / `{$patch: replace}`
//     items in a merge list, `$setElementOrder/<field>`, `$deleteFromPrimitiveList/<field>`, `$retainKeys`.
// Computing (client side): createTwoWayMergePatch and createThreeWayMergePatch, which is what
// `kubectl apply` sends: deletions are what the last-applied configuration had and the new one has
// not; additions and changes are the new configuration against the live object.
//
// The schema comes from patch-meta.ts. One deliberate leniency: `$patch: merge` on a map is accepted
// as the default behaviour (the apiserver rejects it as an unknown patch type).
import { lookupField, rootSchema, splitStrategy, type GvkLike, type SchemaNode } from './patch-meta.js';
import { deepClone, deepEqual, has, isObject, jsonKind, sortedJson, type JsonObject } from './json-util.js';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList';
const SET_ORDER = '$setElementOrder';

/** A malformed or inapplicable patch; `message` is the apiserver's wording. */
export class StrategicMergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StrategicMergeError';
  }
}

interface MergeOptions {
  /** server side: apply $deleteFromPrimitiveList and $setElementOrder instead of carrying them */
  mergeParallelList: boolean;
  /** server side: a null for a key the original does not have is dropped rather than kept */
  ignoreUnmatchedNulls: boolean;
}

interface DiffOptions {
  setElementOrder: boolean;
  ignoreChangesAndAdditions: boolean;
  ignoreDeletions: boolean;
  buildRetainKeysDirective: boolean;
}

const SERVER: MergeOptions = { mergeParallelList: true, ignoreUnmatchedNulls: true };

// ---------------------------------------------------------------------------------------------
// Applying a patch

/**
 * Apply a strategic merge patch to `original` for the kind `gvk` ("apps/v1/Deployment", or an
 * object with apiVersion/kind). Inputs are not modified.
 */
export function strategicMergePatch(original: JsonObject, patch: JsonObject, gvk: GvkLike): JsonObject {
  if (!isObject(patch)) throw new StrategicMergeError('invalid JSON document');
  return mergeMap(deepClone(original ?? {}), deepClone(patch), rootSchema(gvk), SERVER);
}

function mergeMap(original: JsonObject, patch: JsonObject, schema: SchemaNode, opts: MergeOptions): JsonObject {
  if (has(patch, DIRECTIVE)) {
    const directive = patch[DIRECTIVE];
    if (directive === 'replace') {
      delete patch[DIRECTIVE];
      return opts.mergeParallelList ? mergeMap({}, patch, schema, opts) : patch;
    }
    if (directive === 'delete') return {};
    if (directive === 'merge') delete patch[DIRECTIVE];
    else throw new StrategicMergeError(`unknown patch type: ${String(directive)} in map: ${goMap(patch)}`);
  }
  if (original == null) original = {};

  applyRetainKeys(original, patch, opts);
  mergeSetElementOrder(original, patch, schema, opts);

  for (let [k, patchV] of Object.entries(patch)) {
    let isDeleteList = false;
    if (k.startsWith(DELETE_PRIMITIVE)) {
      if (!opts.mergeParallelList) {
        original[k] = patchV;
        continue;
      }
      k = extractKey(k, DELETE_PRIMITIVE);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete original[k];
      if (opts.ignoreUnmatchedNulls) continue;
    }
    if (!has(original, k)) {
      // A parallel deletion list for a list that is not there has nothing to delete.
      if (isDeleteList) continue;
      original[k] = opts.mergeParallelList ? cleanNew(patchV, schema, k) : patchV;
      continue;
    }
    if (jsonKind(original[k]) !== jsonKind(patchV)) {
      original[k] = opts.mergeParallelList ? cleanNew(patchV, schema, k) : patchV;
      continue;
    }
    const field = lookupField(schema, k);
    const { strategy } = splitStrategy(field.meta.strategy);
    if (isObject(patchV)) {
      original[k] = strategy === 'replace' ? patchV : mergeMap(original[k], patchV, field.node, opts);
    } else if (Array.isArray(patchV)) {
      original[k] =
        strategy === 'merge'
          ? mergeSlice(original[k], patchV, field.items, field.meta.mergeKey ?? '', opts, isDeleteList)
          : patchV;
    } else {
      original[k] = patchV;
    }
  }
  return original;
}

/**
 * A value the original does not have yet is taken from the patch; server side, its own directives
 * and nulls are resolved against an empty value so no "$patch" or null reaches storage.
 */
function cleanNew(value: any, schema: SchemaNode, key: string): any {
  if (isObject(value)) return mergeMap({}, value, lookupField(schema, key).node, SERVER);
  if (Array.isArray(value)) {
    const field = lookupField(schema, key);
    if (splitStrategy(field.meta.strategy).strategy === 'merge' && value.some(isObject)) {
      return mergeSlice([], value, field.items, field.meta.mergeKey ?? '', SERVER, false);
    }
  }
  return value;
}

function applyRetainKeys(original: JsonObject, patch: JsonObject, opts: MergeOptions): void {
  if (!has(patch, RETAIN_KEYS)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!opts.mergeParallelList) {
    // Merging two patches (3-way): both must agree; carry the directive along.
    if (has(original, RETAIN_KEYS)) {
      if (!deepEqual(original[RETAIN_KEYS], retain)) {
        throw new StrategicMergeError(
          `${goValue(original[RETAIN_KEYS])} and ${goValue(retain)} are not deep equal: this may happen when calculating the 3-way diff patch`,
        );
      }
    } else {
      original[RETAIN_KEYS] = retain;
    }
    return;
  }
  if (!Array.isArray(retain)) throw new StrategicMergeError('invalid patch: the value of $retainKeys must be a list');
  const keep = new Set(retain);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_PRIMITIVE) || k.startsWith(SET_ORDER)) continue;
    if (!keep.has(k)) {
      throw new StrategicMergeError('doesn\'t match retainKeys: the patch has a key that is not in $retainKeys');
    }
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

/** Handles every `$setElementOrder/<field>` of `patch`: merge the field's lists, then order them. */
function mergeSetElementOrder(original: JsonObject, patch: JsonObject, schema: SchemaNode, opts: MergeOptions): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ORDER)) continue;
    const order = patch[key];
    if (!opts.mergeParallelList) {
      if (has(original, key)) {
        if (!deepEqual(original[key], order)) throw new StrategicMergeError('invalid patch: $setElementOrder lists do not match');
      } else {
        original[key] = order;
      }
    }
    delete patch[key];
    if (!Array.isArray(order)) throw new StrategicMergeError('invalid patch: the value of $setElementOrder must be a list');
    const field = extractKey(key, SET_ORDER);
    const foundOriginal = has(original, field);
    const foundPatch = has(patch, field);
    const originalList = foundOriginal ? original[field] : undefined;
    const patchList = foundPatch ? patch[field] : undefined;
    if (foundOriginal && !Array.isArray(originalList)) throw new StrategicMergeError(`invalid value for ${field}: not a list`);
    if (foundPatch && !Array.isArray(patchList)) throw new StrategicMergeError(`invalid value for ${field}: not a list`);
    const info = lookupField(schema, field);
    const mergeKey = info.meta.mergeKey ?? '';
    const { strategy } = splitStrategy(info.meta.strategy);
    validateAgainstOrder(patchList ?? [], order, mergeKey);

    let merged: any[];
    if (foundOriginal && foundPatch) {
      merged = strategy === 'merge' ? mergeSlice(originalList, patchList, info.items, mergeKey, opts, false) : patchList;
    } else if (foundOriginal) {
      merged = originalList;
    } else if (foundPatch) {
      merged = opts.mergeParallelList ? cleanNew(patchList, schema, field) : patchList;
    } else {
      continue;
    }
    const [patchItems, serverOnly] = partition(merged, order, mergeKey);
    original[field] = normalizeElementOrder(patchItems, serverOnly, order, originalList ?? [], mergeKey);
    delete patch[field];
  }
}

/** The non-deleting items of a patch list must appear in $setElementOrder in the same relative order. */
function validateAgainstOrder(patchList: any[], order: any[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey ? patchList.filter((v) => !(isObject(v) && v[DIRECTIVE] === 'delete')) : patchList;
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    if (isObject(items[p]) && has(items[p], DIRECTIVE)) {
      p++;
      continue;
    }
    if (sameItem(items[p], order[o], mergeKey)) p++;
    o++;
  }
  if (p < items.length && o >= order.length) {
    throw new StrategicMergeError(
      `The order in patch list:\n${goValue(patchList)}\n doesn't match ${SET_ORDER} list:\n${goValue(order)}\n`,
    );
  }
}

function mergeSlice(original: any[], patch: any[], itemSchema: SchemaNode, mergeKey: string, opts: MergeOptions, isDeleteList: boolean): any[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(original, patch);
  let merged: any[];
  if (kind !== 'object') {
    if (opts.mergeParallelList && isDeleteList) {
      const drop = new Set(patch);
      return original.filter((v) => !drop.has(v));
    }
    merged = dedupe([...original, ...patch]);
  } else {
    if (!mergeKey) throw new StrategicMergeError('cannot merge lists without merge key for type map');
    [original, patch] = applySpecialElements(original, patch, mergeKey);
    merged = [...original];
    for (const item of patch) {
      if (!has(item, mergeKey)) throw new StrategicMergeError(`map: ${goMap(item)} does not contain declared merge key: ${mergeKey}`);
      const at = merged.findIndex((m) => isObject(m) && has(m, mergeKey) && m[mergeKey] === item[mergeKey]);
      if (at >= 0) merged[at] = mergeMap(merged[at], item, itemSchema, opts);
      else merged.push(opts.mergeParallelList ? mergeMap({}, item, itemSchema, opts) : item);
    }
  }
  const [patchItems, serverOnly] = partition(merged, patch, mergeKey);
  return normalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey);
}

/** `{$patch: delete, key: v}` removes matching items; `{$patch: replace}` makes the rest of the patch the list. */
function applySpecialElements(original: any[], patch: any[], mergeKey: string): [any[], any[]] {
  const plain: any[] = [];
  let replace = false;
  for (const item of patch) {
    if (!isObject(item) || !has(item, DIRECTIVE)) {
      plain.push(item);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === 'delete') {
      if (!has(item, mergeKey)) throw new StrategicMergeError(`map: ${goMap(item)} does not contain declared merge key: ${mergeKey}`);
      original = original.filter((o) => !(isObject(o) && o[mergeKey] === item[mergeKey]));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw new StrategicMergeError('merging lists cannot yet be specified in the patch');
    } else {
      throw new StrategicMergeError(`unknown patch type: ${String(directive)} in map: ${goMap(item)}`);
    }
  }
  return replace ? [plain, []] : [original, plain];
}

function elementKind(...lists: any[][]): string {
  let kind: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const k = jsonKind(v);
      if (k === 'array') throw new StrategicMergeError('lists of lists are not supported');
      if (kind === undefined) kind = k;
      else if (kind !== k) throw new StrategicMergeError(`list element types are not identical: ${goValue(lists)}`);
    }
  }
  if (kind === undefined) throw new StrategicMergeError('no elements in any of the given slices');
  return kind;
}

function dedupe(list: any[]): any[] {
  const out: any[] = [];
  for (const v of list) if (!out.includes(v)) out.push(v);
  return out;
}

function keyOf(item: any, mergeKey: string): any {
  return mergeKey ? (isObject(item) ? item[mergeKey] : undefined) : item;
}

function sameItem(a: any, b: any, mergeKey: string): boolean {
  return keyOf(a, mergeKey) === keyOf(b, mergeKey);
}

function indexIn(list: any[], item: any, mergeKey: string): number {
  const key = keyOf(item, mergeKey);
  return list.findIndex((v) => keyOf(v, mergeKey) === key);
}

/** Items of `list` present in `by` (by merge key for maps), and the others. */
function partition(list: any[], by: any[], mergeKey: string): [any[], any[]] {
  const inside: any[] = [];
  const outside: any[] = [];
  for (const v of list) (indexIn(by, v, mergeKey) >= 0 ? inside : outside).push(v);
  return [inside, outside];
}

/** Sorts `items` by their position in `order`; delete directives go last, unknown items keep their place at the end. */
function sortByOrder(items: any[], order: any[], mergeKey: string): any[] {
  let rest = items;
  let deletes: any[] = [];
  if (mergeKey) {
    rest = items.filter((v) => !(isObject(v) && v[DIRECTIVE] === 'delete'));
    deletes = items.filter((v) => isObject(v) && v[DIRECTIVE] === 'delete');
  }
  const ranked = rest.map((v, i) => ({ v, i, at: indexIn(order, v, mergeKey) }));
  ranked.sort((a, b) => {
    const ra = a.at < 0 ? Number.MAX_SAFE_INTEGER : a.at;
    const rb = b.at < 0 ? Number.MAX_SAFE_INTEGER : b.at;
    return ra - rb || a.i - b.i;
  });
  return [...ranked.map((r) => r.v), ...deletes];
}

/**
 * Patch items take the patch's order, server-only items the live order, and the two are then
 * interleaved so that a server-only item stays in front of the patch item it preceded in the live list.
 */
function normalizeElementOrder(patchItems: any[], serverOnly: any[], patchOrder: any[], serverOrder: any[], mergeKey: string): any[] {
  const right = sortByOrder(patchItems, patchOrder, mergeKey);
  const left = sortByOrder(serverOnly, serverOrder, mergeKey);
  const out: any[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey);
      const ri = indexIn(serverOrder, right[j], mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    if (prefix === DELETE_PRIMITIVE) throw new StrategicMergeError('invalid patch: $deleteFromPrimitiveList must be followed by /<field>');
    throw new StrategicMergeError('invalid patch: $setElementOrder must be followed by /<field>');
  }
  return key.slice(slash + 1);
}

/** Go's %v rendering of a map, for error messages that quote the patch. */
function goMap(m: JsonObject): string {
  return goValue(m);
}

function goValue(v: any): string {
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (isObject(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goValue(v[k])}`).join(' ')}]`;
  if (v === null || v === undefined) return '<nil>';
  return String(v);
}

// ---------------------------------------------------------------------------------------------
// Computing a patch

/** The strategic merge patch that turns `original` into `modified` (kubectl edit, kubectl label/annotate...). */
export function createTwoWayMergePatch(original: JsonObject, modified: JsonObject, gvk: GvkLike): JsonObject {
  return diffMaps(original ?? {}, modified ?? {}, rootSchema(gvk), {
    setElementOrder: true,
    ignoreChangesAndAdditions: false,
    ignoreDeletions: false,
    buildRetainKeysDirective: false,
  });
}

/**
 * The patch `kubectl apply` sends: `original` is the last-applied configuration (the annotation),
 * `modified` the new configuration (with its own last-applied annotation, see modifiedConfiguration),
 * `current` the live object. Fields the live object gained from elsewhere (kubectl scale, controllers,
 * defaults) survive unless the last-applied configuration had them and the new one has not.
 * Returns {} when nothing is to change.
 */
export function createThreeWayMergePatch(original: JsonObject | null | undefined, modified: JsonObject, current: JsonObject, gvk: GvkLike): JsonObject {
  const schema = rootSchema(gvk);
  const delta = diffMaps(current ?? {}, modified ?? {}, schema, {
    setElementOrder: true,
    ignoreChangesAndAdditions: false,
    ignoreDeletions: true,
    buildRetainKeysDirective: false,
  });
  const deletions = diffMaps(original ?? {}, modified ?? {}, schema, {
    setElementOrder: true,
    ignoreChangesAndAdditions: true,
    ignoreDeletions: false,
    buildRetainKeysDirective: false,
  });
  return mergeMap(deletions, delta, schema, { mergeParallelList: false, ignoreUnmatchedNulls: false });
}

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The object kubectl apply diffs against: the new configuration with the last-applied annotation
 * set to that configuration itself (JSON with sorted keys and a trailing newline, as kubectl writes it).
 */
export function modifiedConfiguration(config: JsonObject): JsonObject {
  const copy = deepClone(config);
  const annotations = copy.metadata?.annotations;
  if (annotations) {
    delete annotations[LAST_APPLIED_ANNOTATION];
    if (Object.keys(annotations).length === 0) delete copy.metadata.annotations;
  }
  const serialized = `${sortedJson(copy)}\n`;
  const out = deepClone(copy);
  out.metadata = out.metadata ?? {};
  out.metadata.annotations = { ...(out.metadata.annotations ?? {}), [LAST_APPLIED_ANNOTATION]: serialized };
  return out;
}

function diffMaps(original: JsonObject, modified: JsonObject, schema: SchemaNode, opts: DiffOptions): JsonObject {
  const patch: JsonObject = {};
  const retainKeys: string[] = [];
  for (const [key, modV] of Object.entries(modified)) {
    if (opts.buildRetainKeysDirective && modV !== null) retainKeys.push(key);
    if (!has(original, key)) {
      if (!opts.ignoreChangesAndAdditions) patch[key] = modV;
      continue;
    }
    const origV = original[key];
    if (key === DIRECTIVE) {
      if (typeof origV !== 'string' || typeof modV !== 'string') throw new StrategicMergeError(`invalid value for special key: ${DIRECTIVE}`);
      if (origV !== modV) patch[key] = modV;
      continue;
    }
    if (jsonKind(origV) !== jsonKind(modV)) {
      if (!opts.ignoreChangesAndAdditions) patch[key] = modV;
      continue;
    }
    if (isObject(origV)) diffMapField(key, origV, modV, patch, schema, opts);
    else if (Array.isArray(origV)) diffListField(key, origV, modV, patch, schema, opts);
    else if (!opts.ignoreChangesAndAdditions && !deepEqual(origV, modV)) patch[key] = modV;
  }
  if (!opts.ignoreDeletions) {
    for (const key of Object.keys(original)) if (!has(modified, key)) patch[key] = null;
  }
  if (retainKeys.length > 0 && (Object.keys(patch).length > 0 || hasAdditionalNewField(original, modified))) {
    patch[RETAIN_KEYS] = sortScalars(retainKeys);
  }
  return patch;
}

function hasAdditionalNewField(original: JsonObject, modified: JsonObject): boolean {
  return Object.entries(original).some(([k, v]) => v !== null && !has(modified, k));
}

function diffMapField(key: string, origV: JsonObject, modV: JsonObject, patch: JsonObject, schema: SchemaNode, opts: DiffOptions): void {
  const field = lookupField(schema, key);
  const { strategy, retainKeys } = splitStrategy(field.meta.strategy);
  if (strategy === 'replace') {
    if (!opts.ignoreChangesAndAdditions) patch[key] = modV;
    return;
  }
  const sub = diffMaps(origV, modV, field.node, { ...opts, buildRetainKeysDirective: retainKeys });
  if (Object.keys(sub).length > 0) patch[key] = sub;
}

function diffListField(key: string, origV: any[], modV: any[], patch: JsonObject, schema: SchemaNode, opts: DiffOptions): void {
  const field = lookupField(schema, key);
  const { strategy, retainKeys } = splitStrategy(field.meta.strategy);
  if (strategy !== 'merge') {
    if (!opts.ignoreChangesAndAdditions && !deepEqual(origV, modV)) patch[key] = modV;
    return;
  }
  const { add, del, order } = diffLists(origV, modV, field.items, field.meta.mergeKey ?? '', { ...opts, buildRetainKeysDirective: retainKeys });
  if (add.length > 0) patch[key] = add;
  if (del.length > 0) patch[`${DELETE_PRIMITIVE}/${key}`] = del;
  if (order.length > 0) patch[`${SET_ORDER}/${key}`] = order;
}

function diffLists(original: any[], modified: any[], itemSchema: SchemaNode, mergeKey: string, opts: DiffOptions): { add: any[]; del: any[]; order: any[] } {
  if (original.length === 0) {
    if (modified.length === 0 || opts.ignoreChangesAndAdditions) return { add: [], del: [], order: [] };
    return { add: modified, del: [], order: [] };
  }
  const kind = elementKind(original, modified);
  if (kind === 'object') {
    const { patchList, deletions } = diffListsOfMaps(original, modified, itemSchema, mergeKey, opts);
    const add = [...sortByOrder(patchList, modified, mergeKey), ...deletions];
    const orderSame = original.length === modified.length && modified.every((m, i) => sameItem(original[i], m, mergeKey));
    let order: any[] = [];
    if (
      opts.setElementOrder &&
      ((!opts.ignoreChangesAndAdditions && (add.length > 0 || !orderSame)) || (!opts.ignoreDeletions && add.length > 0))
    ) {
      order = modified.map((m) => ({ [mergeKey]: m[mergeKey] }));
    }
    return { add, del: [], order };
  }
  const { add, del } = diffListsOfScalars(original, modified, opts);
  let order: any[] = [];
  if (opts.setElementOrder && ((!opts.ignoreDeletions && del.length > 0) || (!opts.ignoreChangesAndAdditions && !deepEqual(original, modified)))) {
    order = modified;
  }
  return { add: sortByOrder(add, modified, ''), del, order };
}

/** Go's sortScalars: by the %v text of each value. */
function sortScalars<T>(list: T[]): T[] {
  return [...list].sort((a, b) => {
    const sa = String(a);
    const sb = String(b);
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  });
}

function diffListsOfScalars(original: any[], modified: any[], opts: DiffOptions): { add: any[]; del: any[] } {
  const o = sortScalars(original);
  const m = sortScalars(modified);
  const add: any[] = [];
  const del: any[] = [];
  let i = 0;
  let j = 0;
  while (i < o.length || j < m.length) {
    const os = i < o.length ? String(o[i]) : undefined;
    const ms = j < m.length ? String(m[j]) : undefined;
    if (os !== undefined && ms !== undefined && os === ms) {
      i++;
      j++;
    } else if (os === undefined || (ms !== undefined && os > ms)) {
      if (!opts.ignoreChangesAndAdditions) add.push(m[j]);
      j++;
    } else {
      if (!opts.ignoreDeletions) del.push(o[i]);
      i++;
    }
  }
  return { add, del: dedupe(del) };
}

function diffListsOfMaps(original: any[], modified: any[], itemSchema: SchemaNode, mergeKey: string, opts: DiffOptions): { patchList: any[]; deletions: any[] } {
  const byKey = (list: any[]) =>
    [...list]
      .map((v) => {
        if (!isObject(v)) throw new StrategicMergeError(`expected a map in list, got ${goValue(v)}`);
        if (!has(v, mergeKey)) throw new StrategicMergeError(`map: ${goMap(v)} does not contain declared merge key: ${mergeKey}`);
        return v;
      })
      .sort((a, b) => {
        const sa = String(a[mergeKey]);
        const sb = String(b[mergeKey]);
        return sa < sb ? -1 : sa > sb ? 1 : 0;
      });
  const o = byKey(original);
  const m = byKey(modified);
  const patchList: any[] = [];
  const deletions: any[] = [];
  let i = 0;
  let j = 0;
  while (i < o.length || j < m.length) {
    const os = i < o.length ? String(o[i][mergeKey]) : undefined;
    const ms = j < m.length ? String(m[j][mergeKey]) : undefined;
    if (os !== undefined && ms !== undefined && os === ms) {
      const sub = diffMaps(o[i], m[j], itemSchema, opts);
      if (Object.keys(sub).length > 0) {
        sub[mergeKey] = m[j][mergeKey];
        patchList.push(sub);
      }
      i++;
      j++;
    } else if (os === undefined || (ms !== undefined && os > ms)) {
      if (!opts.ignoreChangesAndAdditions) patchList.push(m[j]);
      j++;
    } else {
      if (!opts.ignoreDeletions) deletions.push({ [mergeKey]: o[i][mergeKey], [DIRECTIVE]: 'delete' });
      i++;
    }
  }
  return { patchList, deletions };
}
