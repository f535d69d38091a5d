// --sort-by: orders objects by the first value a jsonpath finds in each, as kubectl's RuntimeSort /
// TableSorter do: numbers numerically, strings that are both quantities by quantity, other strings
// byte-wise (`web-10` before `web-9`; RFC 3339 timestamps still sort by time), objects without the
// field first. Checked against kubectl v1.32 itself (see test/unit/printers/kubectl-oracle.test.ts).
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

/** Go's %T of a value decoded from JSON, for kubectl's "unsortable type" message. */
function goType(v: unknown): string {
  if (Array.isArray(v)) return '[]interface {}';
  if (v !== null && typeof v === 'object') return 'map[string]interface {}';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return 'string';
}

class Unsortable extends Error {}

/**
 * kubectl's isLess on unstructured values. Strings compare byte-wise unless both parse as
 * quantities; numbers only against numbers of the same Go type (int64 vs float64 is fatal).
 */
function isLess(a: unknown, b: unknown): boolean {
  const nil = (v: unknown) => v === null || v === undefined;
  if (nil(a) && nil(b)) return false;
  if (nil(a)) return true;
  if (nil(b)) return false;
  const ta = goType(a);
  const tb = goType(b);
  if (ta === 'int64' || ta === 'float64' || ta === 'string') {
    if (ta !== tb) throw new Unsortable('unsortable interface: interface');
    if (ta === 'string') {
      const qa = quantityValue(a as string);
      const qb = qa === undefined ? undefined : quantityValue(b as string);
      if (qa !== undefined && qb !== undefined) return qa < qb;
    }
    return (a as number | string) < (b as number | string);
  }
  throw new Unsortable(`unsortable type: ${ta}`);
}

/** klog.Exitf's line for a field kubectl cannot order (it ends the process with code 1). */
function unsortableMessage(field: string, table: boolean, err: string): string {
  const d = new Date();
  const p2 = (n: number) => String(n).padStart(2, '0');
  const stamp = `${p2(d.getMonth() + 1)}${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds() * 1000).padStart(6, '0')}`;
  const where = table ? '[][][]reflect.Value' : '*unstructured.Unstructured';
  return `F${stamp} ${String(process.pid).padStart(7, ' ')} sorter.go:329] Field ${field} in ${where} is an unsortable type: interface, err: ${err}`;
}

// ---------------------------------------------------------------- Go's sort.Sort
// kubectl sorts with sort.Sort (pattern-defeating quicksort), which is not stable, and its Less
// treats "field missing" as less than anything, even another missing one. The resulting order of
// missing and equal elements is only reproducible by running the very same algorithm, so this is
// a port of it.

interface SortData {
  less(i: number, j: number): boolean;
  swap(i: number, j: number): void;
}

const bitsLen = (n: number): number => (n <= 0 ? 0 : Math.floor(Math.log2(n)) + 1);

function insertionSort(d: SortData, a: number, b: number): void {
  for (let i = a + 1; i < b; i++) for (let j = i; j > a && d.less(j, j - 1); j--) d.swap(j, j - 1);
}

function siftDown(d: SortData, lo: number, hi: number, first: number): void {
  let root = lo;
  for (;;) {
    let child = 2 * root + 1;
    if (child >= hi) return;
    if (child + 1 < hi && d.less(first + child, first + child + 1)) child++;
    if (!d.less(first + root, first + child)) return;
    d.swap(first + root, first + child);
    root = child;
  }
}

function heapSort(d: SortData, a: number, b: number): void {
  const first = a;
  const hi = b - a;
  for (let i = Math.floor((hi - 1) / 2); i >= 0; i--) siftDown(d, i, hi, first);
  for (let i = hi - 1; i >= 0; i--) {
    d.swap(first, first + i);
    siftDown(d, 0, i, first);
  }
}

const MASK64 = (1n << 64n) - 1n;

function breakPatterns(d: SortData, a: number, b: number): void {
  const length = b - a;
  if (length < 8) return;
  let r = BigInt(length);
  const next = (): bigint => {
    r ^= (r << 13n) & MASK64;
    r ^= r >> 7n;
    r ^= (r << 17n) & MASK64;
    return r;
  };
  const modulus = BigInt(2 ** bitsLen(length));
  for (let idx = a + Math.floor(length / 4) * 2 - 1; idx <= a + Math.floor(length / 4) * 2 + 1; idx++) {
    let other = Number(next() & (modulus - 1n));
    if (other >= length) other -= length;
    d.swap(idx, a + other);
  }
}

const INCREASING = 1;
const DECREASING = 2;

function choosePivot(d: SortData, a: number, b: number): [number, number] {
  const l = b - a;
  const swaps = { n: 0 };
  let i = a + Math.floor(l / 4) * 1;
  let j = a + Math.floor(l / 4) * 2;
  let k = a + Math.floor(l / 4) * 3;
  const order2 = (x: number, y: number): [number, number] => {
    if (d.less(y, x)) {
      swaps.n++;
      return [y, x];
    }
    return [x, y];
  };
  const median = (x: number, y: number, z: number): number => {
    [x, y] = order2(x, y);
    [y, z] = order2(y, z);
    [x, y] = order2(x, y);
    return y;
  };
  if (l >= 8) {
    if (l >= 50) {
      i = median(i - 1, i, i + 1);
      j = median(j - 1, j, j + 1);
      k = median(k - 1, k, k + 1);
    }
    j = median(i, j, k);
  }
  if (swaps.n === 0) return [j, INCREASING];
  if (swaps.n === 12) return [j, DECREASING];
  return [j, 0];
}

function reverseRange(d: SortData, a: number, b: number): void {
  for (let i = a, j = b - 1; i < j; i++, j--) d.swap(i, j);
}

function partialInsertionSort(d: SortData, a: number, b: number): boolean {
  let i = a + 1;
  for (let step = 0; step < 5; step++) {
    while (i < b && !d.less(i, i - 1)) i++;
    if (i === b) return true;
    if (b - a < 50) return false;
    d.swap(i, i - 1);
    if (i - a >= 2) {
      for (let j = i - 1; j >= 1; j--) {
        if (!d.less(j, j - 1)) break;
        d.swap(j, j - 1);
      }
    }
    if (b - i >= 2) {
      for (let j = i + 1; j < b; j++) {
        if (!d.less(j, j - 1)) break;
        d.swap(j, j - 1);
      }
    }
  }
  return false;
}

function partitionEqual(d: SortData, a: number, b: number, pivot: number): number {
  d.swap(a, pivot);
  let i = a + 1;
  let j = b - 1;
  for (;;) {
    while (i <= j && !d.less(a, i)) i++;
    while (i <= j && d.less(a, j)) j--;
    if (i > j) break;
    d.swap(i, j);
    i++;
    j--;
  }
  return i;
}

function partition(d: SortData, a: number, b: number, pivot: number): [number, boolean] {
  d.swap(a, pivot);
  let i = a + 1;
  let j = b - 1;
  while (i <= j && d.less(i, a)) i++;
  while (i <= j && !d.less(j, a)) j--;
  if (i > j) {
    d.swap(j, a);
    return [j, true];
  }
  d.swap(i, j);
  i++;
  j--;
  for (;;) {
    while (i <= j && d.less(i, a)) i++;
    while (i <= j && !d.less(j, a)) j--;
    if (i > j) break;
    d.swap(i, j);
    i++;
    j--;
  }
  d.swap(j, a);
  return [j, false];
}

function pdqsort(d: SortData, a: number, b: number, limit: number): void {
  let wasBalanced = true;
  let wasPartitioned = true;
  for (;;) {
    const length = b - a;
    if (length <= 12) {
      insertionSort(d, a, b);
      return;
    }
    if (limit === 0) {
      heapSort(d, a, b);
      return;
    }
    if (!wasBalanced) {
      breakPatterns(d, a, b);
      limit--;
    }
    let [pivot, hint] = choosePivot(d, a, b);
    if (hint === DECREASING) {
      reverseRange(d, a, b);
      pivot = b - 1 - (pivot - a);
      hint = INCREASING;
    }
    if (wasBalanced && wasPartitioned && hint === INCREASING) {
      if (partialInsertionSort(d, a, b)) return;
    }
    if (a > 0 && !d.less(a - 1, pivot)) {
      a = partitionEqual(d, a, b, pivot);
      continue;
    }
    const [mid, already] = partition(d, a, b, pivot);
    wasPartitioned = already;
    const left = mid - a;
    const right = b - mid;
    const threshold = Math.floor(length / 8);
    if (left < right) {
      wasBalanced = left >= threshold;
      pdqsort(d, a, mid, limit);
      a = mid + 1;
    } else {
      wasBalanced = right >= threshold;
      pdqsort(d, mid + 1, b, limit);
      b = mid;
    }
  }
}

/** Go's sort.Sort over an array, with a Less over elements. */
export function goSort<T>(items: T[], less: (x: T, y: T) => boolean): T[] {
  const arr = [...items];
  if (arr.length <= 1) return arr;
  pdqsort(
    {
      less: (i, j) => less(arr[i], arr[j]),
      swap: (i, j) => {
        const t = arr[i];
        arr[i] = arr[j];
        arr[j] = t;
      },
    },
    0,
    arr.length,
    bitsLen(arr.length),
  );
  return arr;
}

// ---------------------------------------------------------------- --sort-by

export interface SortOptions {
  /**
   * Sorting a table (human-readable output): when no row has the field kubectl prints no rows
   * at all (then "No resources found", exit code 0) instead of failing. For object output
   * (-o json/yaml/name/...) a field no object has is an error.
   */
  table?: boolean;
}

/**
 * Returns a new array ordered as `kubectl get --sort-by=<sortBy>` orders it. Throws CliError
 * (`error: couldn't find any field with path "{.foo}" in the list of objects`) for object output.
 */
export function sortObjects<T>(objs: T[], sortBy: string, opts: SortOptions = {}): T[] {
  // kubectl leaves lists of 0 or 1 alone (tables too: it only sorts tables of 2+ rows)
  if (objs.length <= 1) return objs;
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
    if (e instanceof CliError) throw new CliError(e.message.replace(/^(error: )?/, 'error: sorting error: '));
    throw e;
  }
  if (!keyed.some((k) => k.found)) {
    if (opts.table) return [];
    throw new CliError(`error: couldn't find any field with path ${JSON.stringify(field)} in the list of objects`);
  }
  try {
    const sorted = goSort(keyed, (x, y) => {
      if (!x.found) return true;
      if (!y.found) return false;
      return isLess(x.value, y.value);
    });
    return sorted.map((k) => k.obj);
  } catch (e) {
    if (e instanceof Unsortable) throw new CliError(unsortableMessage(field, !!opts.table, e.message));
    throw e;
  }
}
