// --sort-by: orders objects by the first value a jsonpath finds in each, as kubectl's RuntimeSort /
// TableSorter do: numbers numerically, strings that are both quantities by quantity, other strings
// in natural order (so RFC 3339 timestamps sort by time), objects without the field first.
import { CliError } from '../cli/errors.js';
import { findJsonPathResults, relaxedJsonPath } from './jsonpath.js';

/** github.com/fvbommel/sortorder NaturalLess: digit runs compare as numbers. */
export function naturalLess(a: string, b: string): boolean {
  const isDigit = (c: string): boolean => c >= '0' && c <= '9';
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const c1 = a[i];
    const c2 = b[j];
    const d1 = isDigit(c1);
    const d2 = isDigit(c2);
    if (d1 !== d2) return d1;
    if (!d1) {
      if (c1 !== c2) return c1 < c2;
      i++;
      j++;
      continue;
    }
    while (i < a.length && a[i] === '0') i++;
    while (j < b.length && b[j] === '0') j++;
    const nz1 = i;
    const nz2 = j;
    while (i < a.length && isDigit(a[i])) i++;
    while (j < b.length && isDigit(b[j])) j++;
    if (i - nz1 !== j - nz2) return i - nz1 < j - nz2;
    const n1 = a.slice(nz1, i);
    const n2 = b.slice(nz2, j);
    if (n1 !== n2) return n1 < n2;
    if (nz1 !== nz2) return nz1 < nz2;
  }
  return a.length < b.length;
}

const SUFFIX: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** resource.ParseQuantity, reduced to a comparable number; undefined when not a quantity. */
export function quantityValue(s: string): number | undefined {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/.exec(s);
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2]) return Number(m[1] + m[2]);
  return base * SUFFIX[m[3] ?? ''];
}

function isLess(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined) return b !== null && b !== undefined;
  if (b === null || b === undefined) return false;
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return !a && b;
  if (typeof a === 'string' && typeof b === 'string') {
    const qa = quantityValue(a);
    const qb = qa === undefined ? undefined : quantityValue(b);
    if (qa !== undefined && qb !== undefined) return qa < qb;
    return naturalLess(a, b);
  }
  throw new CliError(`error: unsortable type: ${typeof a}`);
}

export interface SortOptions {
  /**
   * Sorting a table (human-readable output): kubectl then checks the field even for a single
   * row. For object output (-o json/yaml/...) a list of one is never checked.
   */
  table?: boolean;
}

/** Returns a new array sorted by `sortBy` (`.metadata.name`, `{.status.startTime}`...). */
export function sortObjects<T>(objs: T[], sortBy: string, opts: SortOptions = {}): T[] {
  if (objs.length === 0 || (objs.length === 1 && !opts.table)) return objs;
  let field: string;
  try {
    field = relaxedJsonPath(sortBy);
  } catch {
    field = sortBy;
  }
  let keyed: { obj: T; found: boolean; value: unknown }[];
  try {
    keyed = objs.map((obj) => {
      const r = findJsonPathResults(field, obj, true);
      const found = r.length > 0 && r[0].length > 0;
      return { obj, found, value: found ? r[0][0] : undefined };
    });
  } catch (e) {
    if (e instanceof CliError) throw new CliError(e.message.startsWith('error: ') ? e.message.replace(/^error: /, 'error: sorting error: ') : `error: sorting error: ${e.message}`);
    throw e;
  }
  if (!keyed.some((k) => k.found)) {
    throw new CliError(`error: couldn't find any field with path ${JSON.stringify(field)} in the list of objects`);
  }
  // a stable sort: for the small lists kubectl sorts, Go's sort behaves stably too
  const sorted = [...keyed].sort((x, y) => {
    if (!x.found) return y.found ? -1 : 0;
    if (!y.found) return 1;
    if (isLess(x.value, y.value)) return -1;
    if (isLess(y.value, x.value)) return 1;
    return 0;
  });
  return sorted.map((k) => k.obj);
}
