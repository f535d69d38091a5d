// Go flag values the deploy verbs take: integers (pflag's ParseInt) and durations (time.ParseDuration),
// with pflag's error for a bad value.
import { parseGoDuration as goParse } from '../../cluster/go-duration.js';
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

/** time.ParseDuration, in milliseconds: "30s", "1m30s", "1.5h", "0", "-1s"; undefined when it is not one. */
export function parseDuration(value: string): number | undefined {
  try {
    return goParse(value.trim());
  } catch {
    return undefined;
  }
}

export function parseGoDuration(value: string | undefined, flag: string, verbPath: string, fallback = 0): number {
  if (value === undefined) return fallback;
  try {
    return goParse(value.trim());
  } catch (e) {
    throw invalid(value, flag, verbPath, (e as Error).message);
  }
}
