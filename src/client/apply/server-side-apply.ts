// Server-side apply and field ownership (metadata.managedFields), modelled on the apiserver's
// fieldmanager and sigs.k8s.io/structured-merge-diff for the common cases: scalar fields, granular
// and atomic maps, list-maps keyed by their list-map keys (containers by name, ports by
// containerPort+protocol), sets of scalars, and atomic lists.
//
// A field set is a set of paths; a path is a list of fieldsV1 path elements:
//   f:<field>   a field of a struct or a key of a map
//   k:<json>    an item of a list-map, by its keys ({"name":"nginx"})
//   v:<json>    an item of a set ("foo")
//   i:<n>       an item of a list by position (not produced for typed kinds)
// In fieldsV1, `".": {}` marks that a node with children is itself owned.
//
// Ownership rules followed (observed from real managedFields):
//   - scalars, atomic values, empty objects, list items and map keys are owned;
//   - a struct field holding a non-empty object is not owned itself, only what is under it
//     (`f:spec` never has "."; a container item `k:{"name":"nginx"}` has "."), except that a write
//     (Update) that adds a map-of-scalars field (labels, annotations, data) owns the map too, as
//     the apiserver records it. (The apiserver also owns pointer structs like rollingUpdate on
//     Update; OpenAPI cannot tell pointers from values, so that "." is not reproduced.)
import { gvkKey, lookupField, rootSchema, type FieldInfo, type GvkLike, type SchemaNode } from './patch-meta.js';
import { deepClone, deepEqual, has, isObject, sortKeys, type JsonObject } from './json-util.js';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: JsonObject;
  subresource?: string;
}

export interface Conflict {
  /** the manager as printed: "kubectl-client-side-apply" using apps/v1 */
  manager: string;
  /** the field as printed: .spec.replicas, .spec.template.spec.containers[name="nginx"].image */
  field: string;
  /** the status cause message: conflict with "kubectl-client-side-apply" using apps/v1 */
  message: string;
}

export interface ApplyResult {
  /** the object after apply (with managedFields); when there are conflicts, the unchanged current object */
  object: JsonObject;
  conflicts: Conflict[];
  /** the apiserver's message when there are conflicts (Apply failed with 1 conflict: ...) */
  message?: string;
}

export interface FieldManagerOptions {
  /** the time recorded in managedFields (the cluster's virtual clock); defaults to now */
  now?: Date | string;
  /** "status" or "scale" when the write goes to a subresource */
  subresource?: string;
  /** the kind when the configuration does not say (apiVersion/kind of the object win otherwise) */
  gvk?: GvkLike;
}

type Path = string[];
type FieldSet = Map<string, unknown>; // path key → leaf value (for change detection) or NODE
const NODE = Symbol('node');
const SEP = '\u0000';

const key = (p: Path) => p.join(SEP);
const unkey = (k: string): Path => (k === '' ? [] : k.split(SEP));

// Fields the apiserver never records ownership of.
const STRIPPED = new Set([
  'f:apiVersion',
  'f:kind',
  'f:metadata',
  ['f:metadata', 'f:name'].join(SEP),
  ['f:metadata', 'f:namespace'].join(SEP),
  ['f:metadata', 'f:creationTimestamp'].join(SEP),
  ['f:metadata', 'f:selfLink'].join(SEP),
  ['f:metadata', 'f:uid'].join(SEP),
  ['f:metadata', 'f:generation'].join(SEP),
  ['f:metadata', 'f:managedFields'].join(SEP),
  ['f:metadata', 'f:resourceVersion'].join(SEP),
  ['f:metadata', 'f:deletionTimestamp'].join(SEP),
  ['f:metadata', 'f:deletionGracePeriodSeconds'].join(SEP),
]);

// ---------------------------------------------------------------------------------------------
// Field sets of objects

interface ListInfo {
  meta: FieldInfo['meta'];
  items: SchemaNode;
}

function listItemElement(item: unknown, info: ListInfo): string | undefined {
  const type = info.meta.listType;
  if (type === 'map' && isObject(item)) {
    const keys = info.meta.listMapKeys ?? (info.meta.mergeKey ? [info.meta.mergeKey] : []);
    const k: JsonObject = {};
    for (const name of [...keys].sort()) {
      if (has(item, name)) k[name] = item[name];
      // A key field's schema default counts as set, as structured-merge-diff does: the only such
      // default among the list-map keys is ports' protocol (TCP), which the structural OpenAPI
      // copy in shared/ omits. Without it an applied port never matches the stored (defaulted) one.
      else if (name === 'protocol') k[name] = 'TCP';
    }
    return `k:${JSON.stringify(k)}`;
  }
  if (type === 'set') return `v:${JSON.stringify(sortKeys(item))}`;
  return undefined;
}

/**
 * The set of fields `obj` sets. `update` turns on the Update-operation rule that a map-of-scalars
 * field is itself owned.
 */
export function fieldSetOf(obj: JsonObject, gvk: GvkLike, update = false): FieldSet {
  const out: FieldSet = new Map();
  addChildren(obj, rootSchema(gvk), [], out, update);
  for (const k of [...out.keys()]) if (STRIPPED.has(k) || k === 'f:status' || k.startsWith(`f:status${SEP}`)) out.delete(k);
  return out;
}

function addChildren(obj: JsonObject, node: SchemaNode, path: Path, out: FieldSet, update: boolean): void {
  for (const [k, v] of Object.entries(obj)) {
    const field = lookupField(node, k);
    const named = !!node.def && !!(field.meta.ref || field.meta.map || field.meta.values);
    const ownMap = !named || (update && (field.meta.map || field.meta.values));
    addValue(v, field, [...path, `f:${k}`], out, !!ownMap, update);
  }
}

function addValue(v: unknown, field: FieldInfo, path: Path, out: FieldSet, ownObject: boolean, update: boolean): void {
  if (v === null || typeof v !== 'object') {
    out.set(key(path), v);
    return;
  }
  if (Array.isArray(v)) {
    const info: ListInfo = { meta: field.meta, items: field.items };
    const type = field.meta.listType;
    if (type !== 'map' && type !== 'set') {
      out.set(key(path), v);
      return;
    }
    for (const item of v) {
      const pe = listItemElement(item, info);
      if (!pe) {
        out.set(key(path), v);
        return;
      }
      const itemPath = [...path, pe];
      if (isObject(item) && type === 'map') {
        out.set(key(itemPath), NODE);
        addChildren(item, field.items, itemPath, out, update);
      } else {
        out.set(key(itemPath), item);
      }
    }
    return;
  }
  const obj = v as JsonObject;
  if (field.node.atomic || Object.keys(obj).length === 0) {
    out.set(key(path), obj);
    return;
  }
  if (ownObject) out.set(key(path), NODE);
  addChildren(obj, field.node, path, out, update);
}

// ---------------------------------------------------------------------------------------------
// fieldsV1 encoding

/** Sort order of fieldsV1 keys: "." first, then fields, keys, values, indices. */
function peRank(pe: string): number {
  if (pe === '.') return 0;
  return { f: 1, k: 2, v: 3, i: 4 }[pe[0]] ?? 5;
}

function comparePe(a: string, b: string): number {
  const r = peRank(a) - peRank(b);
  if (r !== 0) return r;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function toFieldsV1(set: Iterable<string> | FieldSet): JsonObject {
  const keys = set instanceof Map ? [...set.keys()] : [...set];
  const root: JsonObject = {};
  const members = new Set(keys);
  for (const k of keys) {
    let node = root;
    for (const pe of unkey(k)) node = node[pe] ??= {};
  }
  const finish = (node: JsonObject, path: Path): JsonObject => {
    const out: JsonObject = {};
    const children = Object.keys(node).sort(comparePe);
    if (children.length > 0 && members.has(key(path)) && path.length > 0) out['.'] = {};
    for (const c of children) out[c] = finish(node[c], [...path, c]);
    return out;
  };
  return finish(root, []);
}

export function fromFieldsV1(fields: JsonObject | undefined): Set<string> {
  const out = new Set<string>();
  const walk = (node: JsonObject, path: Path) => {
    for (const [pe, child] of Object.entries(node ?? {})) {
      if (pe === '.') {
        out.add(key(path));
        continue;
      }
      const p = [...path, pe];
      if (!isObject(child) || Object.keys(child).length === 0) out.add(key(p));
      else walk(child, p);
    }
  };
  walk(fields ?? {}, []);
  return out;
}

/** A path as the apiserver prints it in conflicts: .spec.template.spec.containers[name="nginx"].image */
export function pathString(pathKey: string): string {
  return unkey(pathKey)
    .map((pe) => {
      const body = pe.slice(2);
      switch (pe[0]) {
        case 'f':
          return `.${body}`;
        case 'k': {
          const o = JSON.parse(body) as JsonObject;
          return `[${Object.keys(o).sort().map((n) => `${n}=${JSON.stringify(o[n])}`).join(',')}]`;
        }
        case 'v':
          return `[=${body}]`;
        case 'i':
          return `[${body}]`;
        default:
          return pe;
      }
    })
    .join('');
}

// ---------------------------------------------------------------------------------------------
// Comparing and merging objects

interface Comparison {
  added: Set<string>;
  modified: Set<string>;
  removed: Set<string>;
}

function compare(oldSet: FieldSet, newSet: FieldSet): Comparison {
  const added = new Set<string>();
  const modified = new Set<string>();
  const removed = new Set<string>();
  for (const [k, v] of newSet) {
    if (!oldSet.has(k)) added.add(k);
    else if (v !== NODE && !deepEqual(oldSet.get(k), v)) modified.add(k);
  }
  for (const k of oldSet.keys()) if (!newSet.has(k)) removed.add(k);
  return { added, modified, removed };
}

/** Server-side apply's merge: the configuration wins, lists merge according to their list type. */
function mergeValue(live: unknown, config: unknown, field: FieldInfo): unknown {
  if (isObject(config) && isObject(live) && !field.node.atomic) return mergeObject(live, config, field.node);
  if (Array.isArray(config) && Array.isArray(live)) {
    const type = field.meta.listType;
    const info: ListInfo = { meta: field.meta, items: field.items };
    if (type === 'map' || type === 'set') return mergeList(live, config, info);
  }
  return deepClone(config);
}

function mergeObject(live: JsonObject, config: JsonObject, node: SchemaNode): JsonObject {
  const out = deepClone(live);
  for (const [k, v] of Object.entries(config)) {
    if (v === null) {
      delete out[k];
      continue;
    }
    out[k] = has(live, k) ? mergeValue(live[k], v, lookupField(node, k)) : deepClone(v);
  }
  return out;
}

function mergeList(live: unknown[], config: unknown[], info: ListInfo): unknown[] {
  const pe = (item: unknown) => listItemElement(item, info) ?? JSON.stringify(item);
  const configByPe = new Map(config.map((c) => [pe(c), c]));
  const livePes = live.map(pe);
  const itemField: FieldInfo = { meta: {}, node: info.items, items: {} };
  const merged = config.map((c) => {
    const at = livePes.indexOf(pe(c));
    return at >= 0 && info.meta.listType === 'map' ? mergeValue(live[at], c, itemField) : deepClone(c);
  });
  // Items only the live list has stay after the item they followed there.
  const out = [...merged];
  let insertAt = 0;
  live.forEach((item, i) => {
    const p = livePes[i];
    if (configByPe.has(p)) {
      insertAt = out.findIndex((o) => pe(o) === p) + 1;
    } else {
      out.splice(insertAt, 0, deepClone(item));
      insertAt++;
    }
  });
  return out;
}

/** Removes the field at `path` from `obj` (in place). */
function removePath(obj: JsonObject, path: Path): void {
  let parent: any = obj;
  for (let i = 0; i < path.length; i++) {
    const pe = path[i];
    const last = i === path.length - 1;
    const body = pe.slice(2);
    if (pe[0] === 'f') {
      if (!isObject(parent) || !has(parent, body)) return;
      if (last) delete parent[body];
      else parent = parent[body];
    } else if (Array.isArray(parent)) {
      let at = -1;
      if (pe[0] === 'k') {
        const want = JSON.parse(body) as JsonObject;
        at = parent.findIndex((item) => isObject(item) && Object.keys(want).every((n) => deepEqual(item[n], want[n])));
      } else if (pe[0] === 'v') {
        const want = JSON.parse(body);
        at = parent.findIndex((item) => deepEqual(sortKeys(item), want));
      } else if (pe[0] === 'i') {
        at = Number(body);
      }
      if (at < 0 || at >= parent.length) return;
      if (last) parent.splice(at, 1);
      else parent = parent[at];
    } else {
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Managers

interface Manager {
  entry: ManagedFieldsEntry;
  set: Set<string>;
}

function managerId(e: Pick<ManagedFieldsEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  // Appliers are one manager whatever version they used, as in the apiserver.
  return JSON.stringify([e.manager, e.operation, e.operation === 'Apply' ? '' : e.apiVersion, e.subresource ?? '']);
}

/** How the apiserver names a manager in a conflict: "name" [with subresource "s"] [using apps/v1]. */
export function printManager(e: Pick<ManagedFieldsEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

function readManagers(obj: JsonObject | undefined): Manager[] {
  const entries: ManagedFieldsEntry[] = obj?.metadata?.managedFields ?? [];
  return entries.map((entry) => ({ entry: deepClone(entry), set: fromFieldsV1(entry.fieldsV1) }));
}

function timestamp(now: Date | string | undefined): string {
  if (typeof now === 'string') return now;
  return (now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function writeManagers(obj: JsonObject, managers: Manager[]): void {
  const entries = managers
    .filter((m) => m.set.size > 0)
    .map((m) => ({ ...m.entry, fieldsType: 'FieldsV1' as const, fieldsV1: toFieldsV1(m.set) }))
    .map(orderEntry);
  obj.metadata = obj.metadata ?? {};
  if (entries.length > 0) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
}

/** Key order of a managedFields entry as the apiserver serializes it. */
function orderEntry(e: ManagedFieldsEntry): ManagedFieldsEntry {
  const out: any = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion };
  if (e.time) out.time = e.time;
  out.fieldsType = e.fieldsType;
  out.fieldsV1 = e.fieldsV1;
  if (e.subresource) out.subresource = e.subresource;
  return out;
}

function conflictMessage(conflicts: Conflict[]): string {
  if (conflicts.length === 1) return `Apply failed with 1 conflict: conflict with ${conflicts[0].manager}: ${conflicts[0].field}`;
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.field]);
  const lines: string[] = [];
  for (const m of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${m}:`);
    for (const f of byManager.get(m)!) lines.push(`- ${f}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** The metav1.Status the apiserver answers an apply with conflicts with (409 Conflict). */
export function conflictStatus(conflicts: Conflict[]) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: conflictMessage(conflicts),
    reason: 'Conflict',
    details: { causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${c.manager}`, field: c.field })) },
    code: 409,
  };
}

export { conflictMessage };

function sortPaths(paths: Iterable<string>): string[] {
  return [...paths].sort((a, b) => {
    const pa = unkey(a);
    const pb = unkey(b);
    for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
      const c = comparePe(pa[i], pb[i]);
      if (c !== 0) return c;
    }
    return pa.length - pb.length;
  });
}

function gvkOf(obj: JsonObject, other: JsonObject | undefined, fallback: GvkLike | undefined): { apiVersion?: string; kind?: string } {
  let apiVersion: string | undefined = obj.apiVersion ?? other?.apiVersion;
  let kind: string | undefined = obj.kind ?? other?.kind;
  if ((!apiVersion || !kind) && fallback) {
    const k = gvkKey(fallback);
    const slash = k.lastIndexOf('/');
    apiVersion ??= k.slice(0, slash);
    kind ??= k.slice(slash + 1);
  }
  return { apiVersion, kind };
}

/**
 * Server-side apply of `config` by `manager` to `current` (undefined when the object does not exist
 * yet). Without `force`, fields another manager owns and this apply would change are conflicts and
 * the object is returned unchanged; with `force` this manager takes them over. Fields this manager
 * applied before and no longer applies are removed unless another manager owns them.
 */
export function apply(
  current: JsonObject | undefined,
  config: JsonObject,
  manager: string,
  force = false,
  opts: FieldManagerOptions = {},
): ApplyResult {
  const gvk = gvkOf(config, current, opts.gvk);
  const live = deepClone(current ?? {});
  const managers = readManagers(live);
  if (live.metadata) delete live.metadata.managedFields;
  const cfg = deepClone(config);
  if (cfg.metadata) delete cfg.metadata.managedFields;

  const applierId = managerId({ manager, operation: 'Apply', apiVersion: '', subresource: opts.subresource });
  const previous = managers.find((m) => managerId(m.entry) === applierId);
  const configSet = fieldSetOf(cfg, gvk);

  // Merge, then prune what this manager applied last time and neither it nor anyone else keeps.
  let merged = mergeValue(live, cfg, { meta: {}, node: rootSchema(gvk), items: {} }) as JsonObject;
  if (previous) {
    const keep = new Set<string>(configSet.keys());
    for (const m of managers) if (m !== previous) for (const p of m.set) keep.add(p);
    const keepPaths = [...keep];
    for (const p of previous.set) {
      if (keep.has(p)) continue;
      // Something under p still owned (a container whose image another manager set) keeps p.
      if (keepPaths.some((k) => k.startsWith(p + SEP))) continue;
      removePath(merged, unkey(p));
    }
  }
  merged = merged as JsonObject;

  const liveSet = fieldSetOf(live, gvk);
  const mergedSet = fieldSetOf(merged, gvk);
  const diff = compare(liveSet, mergedSet);
  const changed = new Set([...diff.added, ...diff.modified]);

  const conflicts: Conflict[] = [];
  const lost = new Map<Manager, string[]>();
  for (const m of managers) {
    if (m === previous) continue;
    const hit = sortPaths([...m.set].filter((p) => changed.has(p)));
    if (hit.length === 0) continue;
    lost.set(m, hit);
    const printed = printManager(m.entry);
    for (const p of hit) conflicts.push({ manager: printed, field: pathString(p), message: `conflict with ${printed}` });
  }
  if (conflicts.length > 0 && !force) return { object: deepClone(current ?? {}), conflicts, message: conflictMessage(conflicts) };

  for (const [m, paths] of lost) for (const p of paths) m.set.delete(p);
  for (const m of managers) for (const p of diff.removed) m.set.delete(p);

  const time = timestamp(opts.now);
  const entry: ManagedFieldsEntry = {
    manager,
    operation: 'Apply',
    apiVersion: String(gvk.apiVersion ?? ''),
    time,
    fieldsType: 'FieldsV1',
    fieldsV1: {},
    ...(opts.subresource ? { subresource: opts.subresource } : {}),
  };
  const applied: Manager = { entry, set: new Set(configSet.keys()) };
  const list = previous ? managers.map((m) => (m === previous ? applied : m)) : [...managers, applied];
  writeManagers(merged, list);
  return { object: merged, conflicts: [] };
}

/**
 * Records the fields an ordinary write (create, update, patch) changed as owned by `manager`, and
 * takes them away from other managers, as the apiserver does for every non-apply request.
 * `oldObj` is undefined for a create. Returns a copy of `newObj` with managedFields set.
 */
export function updateManagedFields(
  oldObj: JsonObject | undefined,
  newObj: JsonObject,
  manager: string,
  operation: 'Update' = 'Update',
  opts: FieldManagerOptions = {},
): JsonObject {
  const gvk = gvkOf(newObj, oldObj, opts.gvk);
  const managers = readManagers(oldObj);
  const before = deepClone(oldObj ?? {});
  if (before.metadata) delete before.metadata.managedFields;
  const after = deepClone(newObj);
  if (after.metadata) delete after.metadata.managedFields;

  const diff = compare(fieldSetOf(before, gvk, true), fieldSetOf(after, gvk, true));
  const changed = new Set([...diff.added, ...diff.modified]);
  const apiVersion = String(gvk.apiVersion ?? '');
  const id = managerId({ manager, operation, apiVersion, subresource: opts.subresource });
  let mine = managers.find((m) => managerId(m.entry) === id);
  for (const m of managers) {
    if (m === mine) continue;
    for (const p of changed) m.set.delete(p);
  }
  for (const m of managers) for (const p of diff.removed) m.set.delete(p);
  if (changed.size > 0) {
    if (!mine) {
      mine = {
        entry: { manager, operation, apiVersion, fieldsType: 'FieldsV1', fieldsV1: {}, ...(opts.subresource ? { subresource: opts.subresource } : {}) },
        set: new Set(),
      };
      managers.push(mine);
    }
    for (const p of changed) mine.set.add(p);
    mine.entry.time = timestamp(opts.now);
  }
  writeManagers(after, managers);
  return after;
}

/** apply() with the kind given positionally, for the apiserver's PATCH handler (application/apply-patch+yaml). */
export function serverSideApply(
  current: JsonObject | undefined,
  config: JsonObject,
  manager: string,
  force = false,
  gvk?: GvkLike,
  opts: FieldManagerOptions = {},
): ApplyResult {
  return apply(current, config, manager, force, { ...opts, gvk: opts.gvk ?? gvk });
}
