// Go flag values the deploy verbs take: integers (pflag's ParseInt) and durations (time.ParseDuration),
// with pflag's error for a bad value.
import { CliError } from '../../cli/errors.js';

function invalid(value: string, flag: string, verbPath: string, why: string): CliError {
  return new CliError(`Error: invalid argument "${value}" for "${flag}" flag: ${why}\nSee 'minikctl ${verbPath} --help' for usage.`);
}

export function parseGoInt(value: string | number | undefined, flag: string, verbPath: string, fallback = 0): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return value;
  if (!/^[+-]?\d+$/.test(value)) throw invalid(value, flag, verbPath, `strconv.ParseInt: parsing "${value}": invalid syntax`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw invalid(value, flag, verbPath, `strconv.ParseInt: parsing "${value}": value out of range`);
  return n;
}

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** time.ParseDuration, in milliseconds: "30s", "1m30s", "1.5h", "0", "-1s". */
export function parseDuration(value: string): number | undefined {
  const s = value.trim();
  if (s === '0' || s === '+0' || s === '-0') return 0;
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(s);
  if (!m) return undefined;
  let total = 0;
  for (const part of s.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) total += Number(part[1]) * UNITS[part[2]];
  return m[1] === '-' ? -total : total;
}

export function parseGoDuration(value: string | undefined, flag: string, verbPath: string, fallback = 0): number {
  if (value === undefined) return fallback;
  const ms = parseDuration(value);
  if (ms === undefined) {
    const why = /^[+-]?(\d|\.\d)/.test(value) ? `time: missing unit in duration "${value}"` : `time: invalid duration "${value}"`;
    throw invalid(value, flag, verbPath, why);
  }
  return ms;
}
