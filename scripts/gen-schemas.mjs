// Generates everything minikctl knows about object shapes from the Kubernetes structural OpenAPI
// spec (../shared/k8s-openapi): run with `npm run gen:schemas` and commit the output.
//
//  schemas/<group|core>/<version>/<Kind>.json   self-contained JSON Schema (decode rules) per kind
//  schemas/explain/<group|core>/<version>/<Kind>.json  compact field tree for `kubectl explain`
//  src/apiserver/validation/generated/kinds/<gv>_<Kind>.js  ajv standalone validator per kind (no compile at start-up)
//  src/apiserver/validation/generated/kinds/index.js   a lazy import() loader per kind
//  src/apiserver/validation/generated/gotypes.js      Go type names, to word decode errors like Go does
//
// The schemas encode what the apiserver's strict JSON decoding enforces, not semantic validation:
// unknown fields, JSON types, and the custom decoders of IntOrString, Quantity, Time and []byte.
import { readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const specPath = process.env.K8S_OPENAPI ?? join(root, '..', 'shared', 'k8s-openapi', 'swagger-v1.36-structural.json');
const spec = JSON.parse(readFileSync(specPath, 'utf8'));
const defs = spec.definitions;
// The structural spec lost every key named "description" with the documentation text, and with it
// the two API fields of that name: put them back (both are plain strings).
for (const name of ['io.k8s.api.scheduling.v1.PriorityClass', 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps']) {
  const props = defs[name]?.properties;
  if (props && !props.description) props.description = { type: 'string' };
}

const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.Time';
const MICRO_TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime';

// What resource.ParseQuantity accepts (number, then a binary/decimal suffix or an exponent); the
// exact error is worded by schema.ts, which knows the field is a Quantity.
export const QUANTITY_PATTERN = '^\\s*[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[numkMGTPE]|[KMGTPE]i|[eE][-+]?[0-9]+)?\\s*$';
// Go's base64.StdEncoding skips \r and \n anywhere and wants padded quanta of four.
const NL = '[\\r\\n]*';
const B64 = `[A-Za-z0-9+/]${NL}`;
export const BYTES_PATTERN = `^${NL}(?:${B64}${B64}${B64}${B64})*(?:${B64}${B64}=${NL}=${NL}|${B64}${B64}${B64}=${NL})?$`;
export const TIME_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$';

// ---- which kinds: the r('plural','Kind','group/version', ...) calls of src/apiserver/resources.ts
const resourcesTs = readFileSync(join(root, 'src/apiserver/resources.ts'), 'utf8');
const kinds = [];
for (const m of resourcesTs.matchAll(/\br\(\s*'([a-z0-9]+)',\s*'([A-Za-z0-9]+)',\s*'([^']+)'/g)) {
  const [, , kind, gv] = m;
  const slash = gv.indexOf('/');
  const group = slash < 0 ? '' : gv.slice(0, slash);
  const version = slash < 0 ? gv : gv.slice(slash + 1);
  const defName = Object.keys(defs).find((n) =>
    (defs[n]['x-kubernetes-group-version-kind'] ?? []).some((g) => g.group === group && g.version === version && g.kind === kind));
  if (!defName) throw new Error(`no definition for ${gv} ${kind}`);
  kinds.push({ kind, group, version, apiVersion: gv, defName, key: `${gv}/${kind}` });
}

const refName = (ref) => ref.replace('#/definitions/', '');

function reachable(start) {
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    seen.add(name);
    walkRefs(defs[name], visit);
  };
  visit(start);
  return seen;
}
function walkRefs(node, fn) {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach((n) => walkRefs(n, fn));
  if (typeof node.$ref === 'string') fn(refName(node.$ref));
  for (const [k, v] of Object.entries(node)) if (k !== '$ref') walkRefs(v, fn);
}

// ---- decode schema of one node. Every type also admits null: Go's decoder ignores a JSON null.
function withNull(type) {
  return Array.isArray(type) ? [...type, 'null'] : [type, 'null'];
}
function decodeNode(node) {
  if (node.$ref) return { $ref: node.$ref };
  if (node['x-kubernetes-preserve-unknown-fields']) return {};
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('x-kubernetes-') && k !== 'x-kubernetes-list-map-keys' && k !== 'x-kubernetes-list-type'
      && k !== 'x-kubernetes-patch-strategy' && k !== 'x-kubernetes-patch-merge-key') continue;
    if (k === 'properties') out.properties = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, decodeNode(s)]));
    else if (k === 'items') out.items = decodeNode(v);
    else if (k === 'additionalProperties') out.additionalProperties = typeof v === 'object' ? decodeNode(v) : v;
    else if (k === 'type') out.type = withNull(v);
    else if (k === 'required') continue; // semantic validation's business, not the decoder's
    else out[k] = v;
  }
  if (node.type === 'object' && !node.properties && !node.additionalProperties) return {}; // RawExtension, FieldsV1: any JSON
  if (node.properties && node.additionalProperties === undefined) out.additionalProperties = false;
  if (node.format === 'int32' && node.type === 'integer') { out.minimum = -2147483648; out.maximum = 2147483647; }
  if (node.format === 'byte') out.pattern = BYTES_PATTERN;
  return out;
}
function decodeDef(name) {
  if (name === INT_OR_STRING) return { type: ['integer', 'string', 'null'], minimum: -2147483648, maximum: 2147483647 };
  if (name === QUANTITY) return { type: ['string', 'number', 'null'], pattern: QUANTITY_PATTERN };
  if (name === TIME || name === MICRO_TIME) return { type: ['string', 'null'], pattern: TIME_PATTERN };
  return decodeNode(defs[name]);
}

// ---- Go type names, for "json: cannot unmarshal X into Go struct field S.f of type T"
function goPackage(name) {
  const parts = name.split('.');
  return parts[parts.length - 2];
}
function goTypeOfDef(name) {
  const short = name.split('.').pop();
  return `${goPackage(name)}.${short}`;
}
// Field type descriptor: "#def" ref, "[]X" slice, "map[string]X" map, else a Go primitive.
function goField(node) {
  if (node.$ref) return '#' + refName(node.$ref);
  if (node.type === 'array') return '[]' + goField(node.items ?? {});
  if (node.type === 'object' && node.additionalProperties && typeof node.additionalProperties === 'object') {
    return 'map[string]' + goField(node.additionalProperties);
  }
  switch (node.type) {
    case 'integer': return node.format === 'int32' ? 'int32' : 'int64';
    case 'number': return 'float64';
    case 'boolean': return 'bool';
    case 'string': return node.format === 'byte' ? '[]uint8' : 'string';
    case 'object': return 'map[string]interface {}';
    default: return 'interface {}';
  }
}

// ---- explain tree: per definition its fields' kubectl type guess, required list, and sub-refs
function explainType(node) {
  if (node.items) return '[]' + explainType(node.items);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') return 'map[string]' + explainType(node.additionalProperties);
  if (node.$ref) {
    const name = refName(node.$ref);
    // The OpenAPI v3 documents kubectl reads give Quantity and IntOrString no "type" (they are
    // oneOf), so kubectl names them; other non-object refs show their primitive type.
    if (name === QUANTITY || name === INT_OR_STRING) return name.split('.').pop();
    const t = defs[name]?.type;
    if (!t || t === 'object') return name.split('.').pop();
    return t;
  }
  if (node.type === 'object') return 'Object';
  return node.type ?? 'Object';
}
function explainChild(node) {
  // the definition whose fields a path continues into (kubectl walks through items and maps)
  if (node.items) return explainChild(node.items);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') return explainChild(node.additionalProperties);
  if (node.$ref) return refName(node.$ref);
  return undefined;
}
function explainDef(name) {
  const d = defs[name];
  const fields = {};
  for (const [p, s] of Object.entries(d.properties ?? {})) {
    const f = { t: explainType(s) };
    const child = explainChild(s);
    if (child && defs[child]?.properties) f.r = child;
    if (s.enum) f.e = s.enum;
    fields[p] = f;
  }
  const out = { f: fields };
  if (d.required?.length) out.q = d.required;
  return out;
}

// ---- write the per-kind files
function kindDir(base, k) {
  return join(root, base, k.group || 'core', k.version);
}
rmSync(join(root, 'schemas', 'explain'), { recursive: true, force: true });
const allDecodeDefs = {};
const allGoDefs = {};
const sizes = {};
for (const k of kinds) {
  const names = [...reachable(k.defName)].sort();
  const definitions = {};
  for (const n of names) {
    definitions[n] = decodeDef(n);
    allDecodeDefs[n] = definitions[n];
    const d = defs[n];
    allGoDefs[n] = {
      t: goTypeOfDef(n),
      ...(d.properties ? { p: Object.fromEntries(Object.entries(d.properties).map(([p, s]) => [p, goField(s)])) } : {}),
    };
  }
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://minikctl.local/schemas/${k.key}`,
    title: `${k.kind} (${k.apiVersion})`,
    'x-kubernetes-group-version-kind': [{ group: k.group, kind: k.kind, version: k.version }],
    $ref: `#/definitions/${k.defName}`,
    definitions,
  };
  mkdirSync(kindDir('schemas', k), { recursive: true });
  writeFileSync(join(kindDir('schemas', k), `${k.kind}.json`), JSON.stringify(schema, null, 1) + '\n');

  const explainDefs = {};
  for (const n of names) if (defs[n].properties) explainDefs[n] = explainDef(n);
  mkdirSync(kindDir('schemas/explain', k), { recursive: true });
  writeFileSync(join(kindDir('schemas/explain', k), `${k.kind}.json`),
    JSON.stringify({ group: k.group, kind: k.kind, version: k.version, root: k.defName, defs: explainDefs }) + '\n');
}

// ---- ajv standalone validators: one self-contained module per kind, holding only the definitions
// reachable from that kind, so a write parses the code of the kind it validates and nothing else
// (V8 compiles a whole module before running any of it). Kinds that embed PodSpec each carry their
// own copy of it: duplicated bytes on disk, fewer bytes per command. A generated map of literal
// `() => import('./<kind>.js')` loaders lets esbuild put each kind in a chunk of its own.
const exportName = (k) => k.key.replace(/[^A-Za-z0-9]/g, '_');
// Annotations mean nothing to ajv but would be embedded in the generated code: strip them there.
const bare = (n) => {
  if (Array.isArray(n)) return n.map(bare);
  if (!n || typeof n !== 'object') return n;
  const out = {};
  for (const [k, v] of Object.entries(n)) {
    if (k.startsWith('x-kubernetes-') || k === 'format') continue;
    out[k] = k === 'properties' || k === 'definitions' ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, bare(s)])) : bare(v);
  }
  return out;
};
const ajvOptions = {
  strict: false,
  allErrors: true,
  inlineRefs: false, // a $ref stays a call: a definition used in many places is compiled once per module
  // schema.ts reads keyword, instancePath and params only; ajv's English messages would be dead code
  messages: false,
  code: { source: true, esm: true, lines: false, optimize: true },
  unicodeRegExp: false,
  validateFormats: false, // formats are enforced by patterns, as the Go decoders do
};
// $ref "#/definitions/<long name>" -> "#/definitions/<short name>", throughout a bare schema.
function renameRefs(n, short) {
  if (Array.isArray(n)) return n.map((x) => renameRefs(x, short));
  if (!n || typeof n !== 'object') return n;
  const out = {};
  for (const [k, v] of Object.entries(n)) {
    if (k === '$ref') {
      const s = short.get(refName(v));
      if (!s) throw new Error(`unreachable $ref ${v}`);
      out[k] = `#/definitions/${s}`;
    } else out[k] = renameRefs(v, short);
  }
  return out;
}
// Every error ajv builds carries a schemaPath string literal; schema.ts never reads it and ajv has
// no option to leave it out, so it goes here (a tenth of the module). Each error object has exactly
// one, right before its keyword: check that count, so a change in ajv's output fails loudly.
function dropSchemaPaths(code, key) {
  const errors = code.match(/[{,]keyword:"/g)?.length ?? 0;
  let dropped = 0;
  const out = code.replace(/,schemaPath:"#[^"\\]*",keyword:/g, () => { dropped++; return ',keyword:'; });
  if (dropped !== errors || /schemaPath/.test(out)) {
    throw new Error(`${key}: ${errors} ajv errors but ${dropped} schemaPath literals dropped; has ajv's output changed?`);
  }
  return out;
}
const genDir = join(root, 'src/apiserver/validation/generated');
const kindsDir = join(genDir, 'kinds');
// Start clean: a kind dropped from resources.ts must not leave its module behind, and the single
// module of earlier generator versions is gone for good.
rmSync(kindsDir, { recursive: true, force: true });
for (const f of ['validators.js', 'validators.d.ts']) rmSync(join(genDir, f), { force: true });
mkdirSync(kindsDir, { recursive: true });
const kindSizes = {};
for (const k of kinds) {
  // Definitions get short names (d0, d1, ... in sorted order): their $ref strings are embedded in
  // the generated code, and no error the validator reports names a definition.
  const names = [...reachable(k.defName)].sort();
  const short = new Map(names.map((n, i) => [n, `d${i}`]));
  const definitions = {};
  for (const n of names) definitions[short.get(n)] = renameRefs(bare(allDecodeDefs[n]), short);
  const ajv = new Ajv(ajvOptions);
  ajv.addSchema({ $id: 'k8s', definitions });
  let code = standaloneCode(ajv, { validate: `k8s#/definitions/${short.get(k.defName)}` });
  if (/\brequire\(/.test(code)) throw new Error(`standalone code of ${k.key} needs a runtime import; bundle it`);
  code = dropSchemaPaths(code, k.key);
  code = `// GENERATED by scripts/gen-schemas.mjs from the Kubernetes OpenAPI spec: decoding rules of ${k.key}. Do not edit.\n` +
    '/* eslint-disable */\n' + code + '\n';
  writeFileSync(join(kindsDir, `${exportName(k)}.js`), code);
  kindSizes[k.key] = code.length;
}
writeFileSync(join(kindsDir, 'index.js'),
  '// GENERATED by scripts/gen-schemas.mjs. Do not edit. One loader per kind, each a literal import()\n' +
  '// so the bundler splits every kind into a chunk of its own that loads on first use.\n' +
  `export const loaders = {\n${kinds.map((k) => `  ${JSON.stringify(k.key)}: () => import('./${exportName(k)}.js'),`).join('\n')}\n};\n`);
writeFileSync(join(kindsDir, 'index.d.ts'),
  '// GENERATED by scripts/gen-schemas.mjs. Do not edit.\n' +
  '// Generated with messages off and schemaPath dropped: an error says where (instancePath), which\n' +
  '// keyword failed and its params.\n' +
  'export interface AjvError { instancePath: string; keyword: string; params: any }\n' +
  'export type Validate = ((data: unknown) => boolean) & { errors?: AjvError[] | null };\n' +
  'export declare const loaders: Record<string, () => Promise<{ validate: Validate }>>;\n');

const roots = Object.fromEntries(kinds.map((k) => [k.key, k.defName]));
writeFileSync(join(genDir, 'gotypes.js'),
  '// GENERATED by scripts/gen-schemas.mjs: Go type names of each definition and its fields,\n' +
  '// so decode errors can be worded exactly as Go\'s encoding/json words them. Do not edit.\n' +
  `export const ROOTS = ${JSON.stringify(roots)};\n` +
  `export const DEFS = ${JSON.stringify(allGoDefs)};\n`);
writeFileSync(join(genDir, 'gotypes.d.ts'),
  '// GENERATED by scripts/gen-schemas.mjs. Do not edit.\n' +
  'export declare const ROOTS: Record<string, string>;\n' +
  'export declare const DEFS: Record<string, { t: string; p?: Record<string, string> }>;\n');

sizes['gotypes.js'] = readFileSync(join(genDir, 'gotypes.js')).length;
const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
const largest = Object.entries(kindSizes).sort((a, b) => b[1] - a[1])[0];
console.log(`gen-schemas: ${kinds.length} kinds, ${Object.keys(allDecodeDefs).length} definitions;`,
  `validators per kind ${kib(Math.min(...Object.values(kindSizes)))}..${kib(largest[1])} (largest ${largest[0]}),`,
  `gotypes.js ${kib(sizes['gotypes.js'])}`);
