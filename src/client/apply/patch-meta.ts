// Patch metadata of the built-in kinds (patch strategy, merge key, list type, map type), read from
// schemas/patch-meta.json, which scripts/gen-patch-meta.mjs derives from the Kubernetes OpenAPI.
// Strategic merge patch and server-side apply walk objects field by field; a SchemaNode is "where
// we are" in the type tree while doing so. Unknown kinds and fields (CRDs, typos) give an empty
// node: maps merge key by key and lists are replaced whole, which is what the apiserver does for
// types it has no metadata for.
import patchMetaJson from '../../../schemas/patch-meta.json';

export interface FieldMeta {
  /** definition of an object-valued field */
  ref?: string;
  /** definition of the items of a list field */
  items?: string;
  /** definition of the values of a map field (additionalProperties) */
  values?: string;
  /** x-kubernetes-patch-strategy: "merge", "retainKeys", "merge,retainKeys" or "replace" */
  strategy?: string;
  /** x-kubernetes-patch-merge-key */
  mergeKey?: string;
  /** x-kubernetes-list-type */
  listType?: 'atomic' | 'set' | 'map';
  /** x-kubernetes-list-map-keys */
  listMapKeys?: string[];
  /** x-kubernetes-map-type */
  mapType?: 'atomic' | 'granular';
  /** a map of scalars (additionalProperties without a definition), e.g. labels, data */
  map?: boolean;
}

interface DefMeta {
  mapType?: 'atomic' | 'granular';
  fields: Record<string, FieldMeta>;
}

interface PatchMetaFile {
  kinds: Record<string, string>;
  defs: Record<string, DefMeta>;
}

const META = patchMetaJson as unknown as PatchMetaFile;

/** A position in the type tree. `def` names a struct definition; `mapValues` marks a map whose values have that node. */
export interface SchemaNode {
  def?: string;
  mapValues?: SchemaNode;
  /** the value as a whole is atomic (x-kubernetes-map-type: atomic on the field or its type) */
  atomic?: boolean;
}

/** What a field lookup tells: the field's own metadata, the node of its value, and of its list items. */
export interface FieldInfo {
  meta: FieldMeta;
  /** schema of the field's value when it is an object or a map */
  node: SchemaNode;
  /** schema of each item when the field is a list */
  items: SchemaNode;
}

const EMPTY: SchemaNode = Object.freeze({}) as SchemaNode;

/** "group/version/Kind" with the core group written as "v1/Pod"; i.e. `${apiVersion}/${kind}`. */
export type GvkLike = string | { apiVersion?: string; kind?: string } | { group: string; version: string; kind: string };

export function gvkKey(gvk: GvkLike): string {
  if (typeof gvk === 'string') return gvk;
  if ('group' in gvk) return `${gvk.group ? `${gvk.group}/` : ''}${gvk.version}/${gvk.kind}`;
  return `${gvk.apiVersion ?? ''}/${gvk.kind ?? ''}`;
}

/** The root schema of a kind; an empty node when the kind is not built in (a custom resource). */
export function rootSchema(gvk: GvkLike): SchemaNode {
  const def = META.kinds[gvkKey(gvk)];
  return def ? nodeForDef(def) : EMPTY;
}

/** True when minikctl has patch metadata for the kind (kubectl falls back to JSON merge patch otherwise). */
export function hasSchema(gvk: GvkLike): boolean {
  return gvkKey(gvk) in META.kinds;
}

function nodeForDef(def: string | undefined): SchemaNode {
  if (!def) return EMPTY;
  const d = META.defs[def];
  if (!d) return EMPTY;
  return d.mapType === 'atomic' ? { def, atomic: true } : { def };
}

/** Metadata and child schemas of `key` inside a value whose schema is `node`. */
export function lookupField(node: SchemaNode | undefined, key: string): FieldInfo {
  if (!node) return { meta: {}, node: EMPTY, items: EMPTY };
  if (node.mapValues) return { meta: {}, node: node.mapValues, items: EMPTY };
  if (!node.def) return { meta: {}, node: EMPTY, items: EMPTY };
  const meta = META.defs[node.def]?.fields[key] ?? {};
  let child: SchemaNode = EMPTY;
  if (meta.ref) child = nodeForDef(meta.ref);
  else if (meta.values) child = { mapValues: nodeForDef(meta.values) };
  if (meta.mapType === 'atomic') child = { ...child, atomic: true };
  return { meta, node: child, items: nodeForDef(meta.items) };
}

/** Splits "merge,retainKeys" into the list strategy and whether retainKeys applies, like the apiserver. */
export function splitStrategy(strategy: string | undefined): { strategy: string; retainKeys: boolean } {
  if (!strategy) return { strategy: '', retainKeys: false };
  const parts = strategy.split(',').map((s) => s.trim());
  const retainKeys = parts.includes('retainKeys');
  const rest = parts.filter((p) => p !== 'retainKeys');
  if (rest.length > 1) throw new Error(`unexpected patch strategy: [${parts.join(' ')}]`);
  return { strategy: rest[0] ?? '', retainKeys };
}

/** Every kind key the metadata knows, e.g. for tests and for `kubectl explain`-like lookups. */
export function knownKinds(): string[] {
  return Object.keys(META.kinds);
}
