// Shared contract between the generators behind `create`, `run` and `expose` and the CLI that
// wires them into commander. A generator turns argv into the exact object kubectl would send,
// with keys in Go struct order so that `toJson` matches `kubectl ... -o json` byte for byte.

export interface FlagSpec {
  /** commander syntax, e.g. '--image <image>' or '--append-hash [bool]'. */
  flags: string;
  description: string;
  default?: unknown;
  /**
   * The flag may be given several times (cobra StringSlice / StringArray). The CLI should collect
   * every occurrence into an array; generators also accept a single string.
   */
  repeatable?: boolean;
  /** cobra marks the flag required: the CLI may check it, generators check it too. */
  required?: boolean;
}

export interface GeneratorEnv {
  /** Set only when the namespace is explicit (-n or the context's namespace): kubectl writes
   *  metadata.namespace only then (its EnforceNamespace). */
  namespace?: string;
  readFile(path: string): Buffer;
  listDir(path: string): string[];
  /** Whether path is a directory (for --from-file=dir); defaults to "listDir succeeds". */
  isDir?(path: string): boolean;
  /** Random suffix source (kubectl's utilrand.String); injectable for deterministic tests. */
  randomString?(n: number): string;
}

export interface GeneratorSpec {
  name: string;
  aliases: string[];
  usage: string;
  description: string;
  flags: FlagSpec[];
  generate(args: string[], opts: Record<string, any>, env: GeneratorEnv): any;
}

/**
 * A bad invocation. `message` is the text kubectl prints on stderr (no trailing newline), e.g.
 * `error: exactly one NAME is required, got 0`. When `seeHelp` is set kubectl adds a second line
 * `See '<binary> <seeHelp> -h' for help and examples`. `usageError` marks flag-parse errors,
 * after which kubectl prints `See '<binary> <cmd> --help' for usage.` instead.
 */
export class GeneratorError extends Error {
  constructor(
    message: string,
    readonly seeHelp?: string,
    readonly usageError = false,
  ) {
    super(message);
    this.name = 'GeneratorError';
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers every generator needs.

/** kubectl's NameFromCommandArgs: exactly one positional NAME. */
export function oneName(args: string[], cmdPath: string): string {
  if (args.length !== 1) throw new GeneratorError(`error: exactly one NAME is required, got ${args.length}`, cmdPath);
  return args[0];
}

/** The ObjectMeta kubectl builds: name, then namespace when enforced, then creationTimestamp. */
export function meta(name: string, env: GeneratorEnv, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const m: Record<string, unknown> = { name };
  if (env.namespace) m.namespace = env.namespace;
  m.creationTimestamp = null;
  return Object.assign(m, extra);
}

/** StringArray flag: every occurrence as given. */
export function arrayFlag(v: unknown): string[] {
  if (v === undefined || v === null || v === false) return [];
  if (Array.isArray(v)) return v.map(String);
  return [String(v)];
}

/** StringSlice flag: occurrences, each split on commas (pflag uses a CSV reader). */
export function sliceFlag(v: unknown): string[] {
  return arrayFlag(v).flatMap((s) => (s === '' ? [] : s.split(',')));
}

export function stringFlag(v: unknown, def = ''): string {
  if (v === undefined || v === null) return def;
  if (Array.isArray(v)) return String(v[v.length - 1]);
  return String(v);
}

export function boolFlag(v: unknown, flag: string, cmdPath: string): boolean {
  if (v === undefined || v === null || v === false) return false;
  if (v === true) return true;
  const s = String(v);
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(s)) return false;
  throw new GeneratorError(
    `error: invalid argument "${s}" for "--${flag}" flag: strconv.ParseBool: parsing "${s}": invalid syntax`,
    undefined,
    true,
  );
}

/** Integer flag with pflag's error text for junk. */
export function intFlag(v: unknown, flag: string, def: number): number {
  if (v === undefined || v === null) return def;
  const s = stringFlag(v);
  if (!/^[-+]?\d+$/.test(s)) {
    throw new GeneratorError(
      `Error: invalid argument "${s}" for "--${flag}" flag: strconv.ParseInt: parsing "${s}": invalid syntax`,
      undefined,
      true,
    );
  }
  return Number(s);
}

export function requireFlag(v: unknown, flag: string): void {
  if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) {
    throw new GeneratorError(`error: required flag(s) "${flag}" not set`);
  }
}

const RAND_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export function randomString(env: GeneratorEnv, n: number): string {
  if (env.randomString) return env.randomString(n);
  let s = '';
  for (let i = 0; i < n; i++) s += RAND_ALPHABET[Math.floor(Math.random() * RAND_ALPHABET.length)];
  return s;
}

/** "a=b,c=d" (or repeated) into an ordered map; kubectl errors on items without '='. */
export function parseLabels(spec: string, what = 'labels'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of spec.split(',')) {
    const i = part.indexOf('=');
    if (i <= 0) throw new GeneratorError(`error: invalid ${what}: ${part}`);
    out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Split positional args into those before `--` and the command after it. The CLI passes the count
 * before `--` as opts.argsBeforeDash when the command takes a command line; without it the first
 * arg is taken as NAME and the rest as the command.
 */
export function splitDash(args: string[], opts: Record<string, any>): [string[], string[]] {
  const before = typeof opts.argsBeforeDash === 'number' ? opts.argsBeforeDash : Math.min(args.length, 1);
  return [args.slice(0, before), args.slice(before)];
}
