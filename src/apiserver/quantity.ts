// resource.Quantity, shared by the apiserver (admission, quota) and the printers: exact parse,
// arithmetic, comparison and the canonical String() form ("500m", "1Gi", "700Mi", "2").
// Values are kept exactly as BigInt nano-units, so sums like 600Mi+100Mi or 500m+1 never drift.

export type QFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  nanos: bigint;
  format: QFormat;
}

const BIN: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DEC: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const NANO = 1_000_000_000n;

function pow10(e: number): bigint {
  return 10n ** BigInt(e);
}

/** Divides rounding up (away from zero for positives), as Go rounds a quantity to a coarser scale. */
function ceilDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d > 0n ? q + 1n : q;
}

const QUANTITY_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?\d+))?$/;

/** Strict parse: undefined when the text is not a quantity (so validation can refuse it). */
export function tryParseQuantity(input: unknown): Quantity | undefined {
  if (typeof input === 'number' && Number.isFinite(input)) input = String(input);
  if (typeof input !== 'string') return undefined;
  const m = QUANTITY_RE.exec(input.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const sign = m[1] === '-' ? -1n : 1n;
  const intPart = m[2] || '0';
  const fracDigits = m[3] || '';
  // Keep every digit while scaling, then round up to whole nanos, as Go does below 1n.
  let num = BigInt(intPart + fracDigits);
  let den = pow10(fracDigits.length);
  let format: QFormat = 'DecimalSI';
  if (m[4] !== undefined && BIN[m[4]] !== undefined) {
    format = 'BinarySI';
    num *= 1024n ** BigInt(BIN[m[4]]);
  } else if (m[4] !== undefined) {
    const e = DEC[m[4]];
    if (e >= 0) num *= pow10(e);
    else den *= pow10(-e);
  } else if (m[5] !== undefined) {
    format = 'DecimalExponent';
    const e = parseInt(m[5], 10);
    if (e >= 0) num *= pow10(e);
    else den *= pow10(-e);
  }
  const nanos = ceilDiv(num * NANO, den);
  return { nanos: sign * nanos, format };
}

/** Lenient parse for printing: anything unparsable counts as zero. */
export function parseQuantity(input: unknown): Quantity {
  return tryParseQuantity(input) ?? { nanos: 0n, format: 'DecimalSI' };
}

export function zeroQuantity(format: QFormat = 'DecimalSI'): Quantity {
  return { nanos: 0n, format };
}

/** Integer quantity (counts: pods, services ...). */
export function countQuantity(n: number | bigint): Quantity {
  return { nanos: BigInt(n) * NANO, format: 'DecimalSI' };
}

/** a + b, in a's format (Quantity.Add keeps the receiver's format). */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos + b.nanos, format: a.format };
}

/** a - b, in a's format. */
export function subtractQuantity(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos - b.nanos, format: a.format };
}

/** -1, 0 or 1, as Quantity.Cmp. */
export function compareQuantity(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
}

export function isZero(q: Quantity): boolean {
  return q.nanos === 0n;
}

export function milliValue(q: Quantity): number {
  // Go rounds up to the next milli.
  return Number(ceilDiv(q.nanos, 1_000_000n));
}

export function value(q: Quantity): number {
  return Number(ceilDiv(q.nanos, NANO));
}

/** Canonical string form, as Quantity.String() prints it. */
export function formatQuantity(q: Quantity): string {
  const n = q.nanos;
  if (n === 0n) return '0';
  const neg = n < 0n;
  const abs = neg ? -n : n;
  const sign = neg ? '-' : '';
  // Binary form only for whole numbers of at least 1Ki; below that Go falls back to decimal.
  if (q.format === 'BinarySI' && abs % NANO === 0n && abs / NANO >= 1024n) {
    const v = abs / NANO;
    const suffixes = ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'];
    for (let i = 0; i < suffixes.length; i++) {
      const unit = 1024n ** BigInt(6 - i);
      if (v >= unit && v % unit === 0n) return `${sign}${v / unit}${suffixes[i]}`;
    }
    return `${sign}${v}`;
  }
  const order: [number, string][] = [[18, 'E'], [15, 'P'], [12, 'T'], [9, 'G'], [6, 'M'], [3, 'k'], [0, ''], [-3, 'm'], [-6, 'u'], [-9, 'n']];
  for (const [e, suffix] of order) {
    const unit = pow10(e + 9);
    if (abs % unit === 0n) {
      const mant = abs / unit;
      if (q.format === 'DecimalExponent') return `${sign}${mant}${e === 0 ? '' : 'e' + e}`;
      return `${sign}${mant}${suffix}`;
    }
  }
  return `${sign}${abs}n`;
}

/** Canonical form of a quantity string, "<none>"-free: missing means "0". */
export function canonical(s: unknown): string {
  return formatQuantity(parseQuantity(s));
}

// ResourceList arithmetic (pkg/quota/v1 resources.go): maps of resource name → quantity.
export type ResourceList = Record<string, Quantity>;

/** Parses a ResourceList as stored in an object ({cpu: "500m"}); unparsable values are left out. */
export function parseResourceList(raw: unknown): ResourceList {
  const out: ResourceList = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const q = tryParseQuantity(v);
    if (q) out[k] = q;
  }
  return out;
}

/** The stored form of a ResourceList: canonical strings, keys sorted as Go encodes a map. */
export function formatResourceList(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(list).sort()) out[k] = formatQuantity(list[k]);
  return out;
}

/** a + b key by key; keys in only one side are kept. */
export function addResourceLists(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in out ? addQuantity(out[k], v) : v;
  return out;
}
