// `-o custom-columns=HEADER:PATH,...` and `-o custom-columns-file=FILE`, as kubectl's
// CustomColumnsPrinter: one tabwriter row per object, `<none>` where a path finds nothing, several
// values joined by commas, and non-scalar values in Go's fmt.Sprint form (`map[k:v]`, `[a b]`).
import { CliError } from '../cli/errors.js';
import { findJsonPathResults, relaxedJsonPath } from './jsonpath.js';
import { tabwrite } from './table/tabwriter.js';

export interface CustomColumn {
  header: string;
  /** the relaxed jsonpath, e.g. `{.metadata.name}` */
  path: string;
}

/** Parses `NAME:.metadata.name,IMAGE:.spec.containers[*].image`. */
export function parseCustomColumnsSpec(spec: string): CustomColumn[] {
  if (spec.length === 0) throw new CliError('error: custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const colon = part.split(':');
    if (colon.length !== 2) {
      throw new CliError(`error: unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    }
    return { header: colon[0], path: relaxed(colon[1]) };
  });
}

/** Parses a custom-columns-file: a line of headers, then a line of paths, whitespace-separated. */
export function parseCustomColumnsFile(text: string): CustomColumn[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length < 2) throw new CliError('error: invalid template: expected a header line and a paths line');
  const headers = lines[0].trim().split(/\s+/);
  const paths = lines[1].trim().split(/\s+/);
  if (headers.length !== paths.length) {
    throw new CliError(`error: expected ${headers.length} fields, found ${paths.length}`);
  }
  return headers.map((h, i) => ({ header: h, path: relaxed(paths[i]) }));
}

function relaxed(path: string): string {
  try {
    return relaxedJsonPath(path);
  } catch (e) {
    throw new CliError(`error: ${(e as Error).message}`);
  }
}

/** Go's fmt.Sprint of a value decoded from JSON. */
export function goSprint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o)
      .sort()
      .map((k) => `${k}:${goSprint(o[k])}`)
      .join(' ')}]`;
  }
  if (typeof v === 'number' && !Number.isInteger(v)) {
    const s = String(v);
    return s.replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return String(v);
}

function cellFor(col: CustomColumn, obj: unknown): string {
  const results = findJsonPathResults(col.path, obj, true);
  if (results.length === 0 || results[0].length === 0) return '<none>';
  return results.flatMap((r) => r.map(goSprint)).join(',');
}

export interface CustomColumnsOptions {
  noHeaders?: boolean;
  /** the spec is the content of a custom-columns-file */
  fromFile?: boolean;
}

/** The whole output for `objs` (each object one row), ending in a newline. */
export function customColumns(spec: string, objs: any[], opts: CustomColumnsOptions = {}): string {
  const cols = opts.fromFile ? parseCustomColumnsFile(spec) : parseCustomColumnsSpec(spec);
  const rows: string[][] = [];
  if (!opts.noHeaders) rows.push(cols.map((c) => c.header));
  for (const o of objs) rows.push(cols.map((c) => cellFor(c, o)));
  if (rows.length === 0) return '';
  return tabwrite(rows);
}
