// Reading manifests the way kubectl's resource builder does: files, directories (-R), stdin,
// multi-document YAML and JSON, v1 Lists flattened, each object mapped to its API resource.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { CliError } from '../cli/errors.js';
import { findByKind, kindExists, type ResourceInfo } from '../apiserver/resources.js';
import type { KObject } from '../apiserver/types.js';

export interface Info {
  source: string;
  object: KObject;
  resource: ResourceInfo;
}

export interface ReadResult {
  infos: Info[];
  /** per-document problems; kubectl reports them after acting on the good documents */
  errors: string[];
}

const EXTENSIONS = ['.json', '.yaml', '.yml'];

function expand(path: string, recursive: boolean, top = true): string[] {
  if (path === '-') return ['-'];
  if (/^https?:\/\//.test(path)) throw new CliError(`error: unable to read URL "${path}": minikctl reads manifests from files and stdin only`);
  if (!existsSync(path)) throw new CliError(`error: the path "${path}" does not exist`);
  const st = statSync(path);
  if (!st.isDirectory()) return [path];
  const out: string[] = [];
  for (const name of readdirSync(path).sort()) {
    const p = join(path, name);
    if (statSync(p).isDirectory()) {
      if (recursive) out.push(...expand(p, recursive, false));
    } else if (EXTENSIONS.some((e) => name.endsWith(e))) {
      out.push(p);
    }
  }
  void top;
  return out;
}

let stdinCache: string | undefined;
function readSource(path: string): string {
  if (path === '-') {
    stdinCache ??= readFileSync(0, 'utf8');
    return stdinCache;
  }
  return readFileSync(path, 'utf8');
}

function yamlError(source: string, e: any): string {
  const line = e?.mark?.line !== undefined ? e.mark.line + 1 : undefined;
  const reason = String(e?.reason ?? e?.message ?? e).split('\n')[0];
  return `error: error parsing ${source}: error converting YAML to JSON: yaml: ${line !== undefined ? `line ${line}: ` : ''}${reason}`;
}

/** Parses one file's text into documents (YAML or JSON), skipping empty documents. */
export function parseDocuments(text: string, source: string): KObject[] {
  let docs: unknown[];
  try {
    docs = loadAll(text, undefined, { json: true });
  } catch (e) {
    throw new CliError(yamlError(source, e));
  }
  return docs.filter((d) => d !== null && d !== undefined) as KObject[];
}

function flatten(doc: KObject): KObject[] {
  if (typeof doc.kind === 'string' && doc.kind.endsWith('List') && Array.isArray(doc.items)) return doc.items.flatMap(flatten);
  return [doc];
}

export function mapObject(obj: KObject, source: string): Info | string {
  if (typeof obj !== 'object' || Array.isArray(obj)) {
    return `error: error validating "${source}": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false`;
  }
  const compact = JSON.stringify(obj);
  if (!obj.apiVersion) return `error: unable to decode "${source}": Object 'apiVersion' is missing in '${compact}'`;
  if (!obj.kind) return `error: unable to decode "${source}": Object 'Kind' is missing in '${compact}'`;
  const ri = findByKind(String(obj.apiVersion), String(obj.kind));
  if (!ri) {
    const name = obj.metadata?.name ?? '';
    const ns = obj.metadata?.namespace ?? '';
    void kindExists;
    return `error: resource mapping not found for name: "${name}" namespace: "${ns}" from "${source}": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"\nensure CRDs are installed first`;
  }
  return { source, object: obj, resource: ri };
}

export function readManifests(paths: string[], recursive: boolean): ReadResult {
  if (paths.length === 0) throw new CliError('error: must specify one of -f and -k');
  const files = paths.flatMap((p) => expand(p, recursive));
  const infos: Info[] = [];
  const errors: string[] = [];
  for (const f of files) {
    const source = f === '-' ? 'STDIN' : f;
    const docs = parseDocuments(readSource(f), source);
    for (const doc of docs.flatMap(flatten)) {
      const r = mapObject(doc, source);
      if (typeof r === 'string') errors.push(r);
      else infos.push(r);
    }
  }
  if (infos.length === 0 && errors.length === 0) throw new CliError('error: no objects passed to apply');
  return { infos, errors };
}

/** "deployment.apps/my-app": how kubectl names an object in its messages. */
export function objectRef(ri: ResourceInfo, name: string): string {
  return `${ri.kind.toLowerCase()}${ri.group ? `.${ri.group}` : ''}/${name}`;
}
