#!/usr/bin/env node
// Generates schemas/patch-meta.json: the patch metadata that apply, patch and server-side apply
// need (x-kubernetes-patch-strategy, -patch-merge-key, -list-type, -list-map-keys, -map-type),
// extracted from the structural OpenAPI spec in ../shared/k8s-openapi.
//
// Usage: node scripts/gen-patch-meta.mjs [path/to/swagger.json]
//
// Output shape (kept compact on purpose: it is bundled into the CLI):
// {
//   "kinds": { "<apiVersion>/<Kind>": "<def>" }   e.g. "v1/Pod", "apps/v1/Deployment"
//                                                  (the core group has no "group/" prefix, so the
//                                                  key is simply the object's apiVersion + "/" + kind)
//   "defs":  { "<def>": { "mapType"?: "atomic"|"granular", "fields": { "<field>": FieldMeta } } }
// }
// FieldMeta: { ref?: def of an object field, items?: def of list items, values?: def of map values,
//              strategy?: "merge"|"retainKeys"|"merge,retainKeys"|"replace", mergeKey?, listType?,
//              listMapKeys?, mapType?, map?: true for a map of scalars }
// Definition names drop the "io.k8s.api." / "io.k8s.apimachinery.pkg.apis." prefixes
// ("core.v1.PodSpec", "meta.v1.ObjectMeta"). Only definitions reachable from a kind are kept,
// kinds of alpha/beta versions are skipped,
// definitions without properties (Quantity, IntOrString, Time...) are treated as scalars, and a
// field with nothing to say (a plain scalar) is left out.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const input = process.argv[2] ?? resolve(root, '../shared/k8s-openapi/swagger-v1.36-structural.json');
const output = resolve(root, 'schemas/patch-meta.json');

const spec = JSON.parse(readFileSync(input, 'utf8'));
const defs = spec.definitions;

function shortName(full) {
  for (const prefix of ['io.k8s.api.', 'io.k8s.apimachinery.pkg.apis.']) {
    if (full.startsWith(prefix)) return full.slice(prefix.length);
  }
  return full;
}

/** The definition name a "$ref" points at, or undefined when it is a scalar-like definition. */
function refTarget(schema) {
  const ref = schema?.$ref;
  if (!ref) return undefined;
  const name = ref.replace('#/definitions/', '');
  const def = defs[name];
  if (!def || !def.properties) return undefined;
  return name;
}

// Kinds: a definition that names exactly one group/version/kind. Shared meta types
// (DeleteOptions, WatchEvent) name one per group version and are not objects one patches.
const kinds = {};
for (const [name, def] of Object.entries(defs)) {
  const gvks = def['x-kubernetes-group-version-kind'];
  if (!Array.isArray(gvks) || gvks.length !== 1) continue;
  const { group, version, kind } = gvks[0];
  if (kind.endsWith('List')) continue; // lists are never patched
  // Only GA versions: those are what minikctl serves, and pre-release APIs would double the file.
  if (/alpha|beta/.test(version)) continue;
  const apiVersion = group ? `${group}/${version}` : version;
  kinds[`${apiVersion}/${kind}`] = name;
}

const out = {};
const queue = Object.values(kinds);
const seen = new Set(queue);
function visit(name) {
  if (name && !seen.has(name)) {
    seen.add(name);
    queue.push(name);
  }
}
while (queue.length) {
  const name = queue.shift();
  const def = defs[name];
  const entry = { fields: {} };
  if (def['x-kubernetes-map-type']) entry.mapType = def['x-kubernetes-map-type'];
  for (const [field, prop] of Object.entries(def.properties ?? {})) {
    const meta = {};
    const ref = refTarget(prop);
    if (ref) meta.ref = shortName(ref);
    visit(ref);
    if (prop.type === 'array' && prop.items) {
      const items = refTarget(prop.items);
      if (items) meta.items = shortName(items);
      visit(items);
    }
    if (prop.type === 'object' && prop.additionalProperties) {
      const values = refTarget(prop.additionalProperties);
      if (values) meta.values = shortName(values);
      else meta.map = true; // a map of scalars (labels, data): server-side apply must know it is a field
      visit(values);
    }
    if (prop['x-kubernetes-patch-strategy']) meta.strategy = prop['x-kubernetes-patch-strategy'];
    if (prop['x-kubernetes-patch-merge-key']) meta.mergeKey = prop['x-kubernetes-patch-merge-key'];
    if (prop['x-kubernetes-list-type']) meta.listType = prop['x-kubernetes-list-type'];
    if (prop['x-kubernetes-list-map-keys']) meta.listMapKeys = prop['x-kubernetes-list-map-keys'];
    if (prop['x-kubernetes-map-type']) meta.mapType = prop['x-kubernetes-map-type'];
    if (Object.keys(meta).length) entry.fields[field] = meta;
  }
  out[shortName(name)] = entry;
}

const sortedKinds = Object.fromEntries(
  Object.entries(kinds).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, shortName(v)]),
);
const sortedDefs = Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
mkdirSync(dirname(output), { recursive: true });
// One definition per line: small enough to bundle, still readable in a diff.
const lines = Object.entries(sortedDefs).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
const kindLines = Object.entries(sortedKinds).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
const text = `{\n  "source": ${JSON.stringify(spec.info?.version ?? 'unknown')},\n  "kinds": {\n${kindLines.join(',\n')}\n  },\n  "defs": {\n${lines.join(',\n')}\n  }\n}\n`;
writeFileSync(output, text);
console.log(`wrote ${output}: ${Object.keys(sortedKinds).length} kinds, ${lines.length} definitions, ${text.length} bytes`);
