// Just enough of resource.Quantity for describe: parse, add, compare and print in canonical form.
// Values are kept exactly as BigInt nano-units so sums (node "Allocated resources") never drift.

export type QFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  nanos: bigint;
  format: QFormat;
}

const BIN: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DEC: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

function pow10(e: number): bigint {
  return 10n ** BigInt(e);
}

export function parseQuantity(input: unknown): Quantity {
  if (typeof input === 'number') input = String(input);
  if (typeof input !== 'string' || input.trim() === '') return { nanos: 0n, format: 'DecimalSI' };
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?\d+))?$/.exec(input.trim());
  if (!m) return { nanos: 0n, format: 'DecimalSI' };
  const sign = m[1] === '-' ? -1n : 1n;
  const intPart = m[2] || '0';
  const frac = (m[3] || '').slice(0, 9).padEnd(9, '0');
  let nanos = BigInt(intPart) * 1_000_000_000n + BigInt(frac);
  let format: QFormat = 'DecimalSI';
  if (m[4] && BIN[m[4]] !== undefined) {
    format = 'BinarySI';
    nanos = nanos * 1024n ** BigInt(BIN[m[4]]);
  } else if (m[4] !== undefined) {
    const e = DEC[m[4]];
    nanos = e >= 0 ? nanos * pow10(e) : nanos / pow10(-e);
  } else if (m[5] !== undefined) {
    format = 'DecimalExponent';
    const e = parseInt(m[5], 10);
    nanos = e >= 0 ? nanos * pow10(e) : nanos / pow10(-e);
  }
  return { nanos: sign * nanos, format };
}

export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos + b.nanos, format: a.format };
}

export function milliValue(q: Quantity): number {
  // Go rounds up to the next milli.
  const n = q.nanos;
  const whole = n / 1_000_000n;
  return Number(n % 1_000_000n > 0n ? whole + 1n : whole);
}

export function value(q: Quantity): number {
  const n = q.nanos;
  const whole = n / 1_000_000_000n;
  return Number(n % 1_000_000_000n > 0n ? whole + 1n : whole);
}

/** Canonical string form, as Quantity.String() prints it. */
export function formatQuantity(q: Quantity): string {
  const n = q.nanos;
  if (n === 0n) return '0';
  const neg = n < 0n;
  const abs = neg ? -n : n;
  const sign = neg ? '-' : '';
  if (q.format === 'BinarySI' && abs % 1_000_000_000n === 0n) {
    const v = abs / 1_000_000_000n;
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
