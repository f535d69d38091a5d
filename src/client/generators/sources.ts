// The --from-literal / --from-file / --from-env-file sources shared by `create configmap` and
// `create secret generic`, with kubectl's validation and error texts for each kind.
import { GeneratorError, type GeneratorEnv, arrayFlag, sliceFlag } from './types.js';

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CONFIG_KEY_MSG =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const ENV_NAME_MSG =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";

export type SourceKind = 'ConfigMap' | 'Secret';

/** One collected entry: text when valid UTF-8 (ConfigMap data), raw bytes otherwise. */
export interface Entry {
  key: string;
  value: Buffer;
}

function validConfigKey(k: string): boolean {
  return k.length <= 253 && CONFIG_KEY.test(k) && k !== '.' && k !== '..' && !k.startsWith('..');
}

export function collectSources(kind: SourceKind, name: string, opts: Record<string, any>, env: GeneratorEnv): Entry[] {
  const files = sliceFlag(opts.fromFile);
  const literals = arrayFlag(opts.fromLiteral);
  const envFiles = sliceFlag(opts.fromEnvFile);
  if (envFiles.length > 0 && (files.length > 0 || literals.length > 0)) {
    throw new GeneratorError('error: from-env-file cannot be combined with from-file or from-literal');
  }
  const out: Entry[] = [];
  const add = (key: string, value: Buffer): void => {
    if (!validConfigKey(key)) {
      throw new GeneratorError(
        kind === 'ConfigMap'
          ? `error: "${key}" is not a valid key name for a ConfigMap: ${CONFIG_KEY_MSG}`
          : `error: "${key}" is not valid key name for a Secret ${CONFIG_KEY_MSG}`,
      );
    }
    if (out.some((e) => e.key === key)) {
      throw new GeneratorError(
        kind === 'ConfigMap'
          ? `error: cannot add key "${key}", another key by that name already exists in Data for ConfigMap "${name}"`
          : `error: cannot add key ${key}, another key by that name already exists`,
      );
    }
    out.push({ key, value });
  };

  // kubectl handles files first, then literals, then env files.
  for (const spec of files) {
    const eq = spec.indexOf('=');
    let key = '';
    let path = spec;
    if (eq >= 0) {
      key = spec.slice(0, eq);
      path = spec.slice(eq + 1);
      if (key === '') throw new GeneratorError(`error: key name for file path ${path} missing`);
      if (path === '') throw new GeneratorError(`error: file path for key name ${key} missing`);
    }
    if (isDir(env, path)) {
      if (eq >= 0) throw new GeneratorError('error: cannot give a key name for a directory path');
      for (const f of env.listDir(path).slice().sort()) {
        const full = `${path.replace(/\/+$/, '')}/${f}`;
        if (isDir(env, full)) continue;
        add(f, readOrFail(env, full));
      }
    } else {
      add(key || path.split('/').pop()!, readOrFail(env, path));
    }
  }
  for (const lit of literals) {
    const eq = lit.indexOf('=');
    if (eq <= 0) throw new GeneratorError(`error: invalid literal source ${lit}, expected key=value`);
    add(lit.slice(0, eq), Buffer.from(lit.slice(eq + 1), 'utf8'));
  }
  for (const path of envFiles) {
    const text = readOrFail(env, path).toString('utf8');
    const lines = text.split('\n');
    lines.forEach((raw, i) => {
      let line = raw.replace(/\r$/, '');
      if (i === 0) line = line.replace(/^\ufeff/, '');
      line = line.replace(/^\s+/, '');
      if (line === '' || line.startsWith('#')) return;
      const eq = line.indexOf('=');
      const key = eq >= 0 ? line.slice(0, eq) : line;
      if (!ENV_NAME.test(key)) throw new GeneratorError(`error: "${key}" is not a valid key name: ${ENV_NAME_MSG}`);
      const value = eq >= 0 ? line.slice(eq + 1) : (env as { getenv?(k: string): string | undefined }).getenv?.(key) ?? process.env[key] ?? '';
      add(key, Buffer.from(value, 'utf8'));
    });
  }
  return out;
}

function isDir(env: GeneratorEnv, path: string): boolean {
  if (env.isDir) return env.isDir(path);
  try {
    env.listDir(path);
    return true;
  } catch {
    return false;
  }
}

function readOrFail(env: GeneratorEnv, path: string): Buffer {
  try {
    return env.readFile(path);
  } catch {
    throw new GeneratorError(`error: error reading ${path}: no such file or directory`);
  }
}

/** Go marshals map keys in byte order; build objects in that order so toJson matches. */
export function sortedRecord<T>(entries: [string, T][]): Record<string, T> {
  const o: Record<string, T> = {};
  for (const [k, v] of entries.slice().sort(([a], [b]) => (Buffer.compare(Buffer.from(a), Buffer.from(b))))) o[k] = v;
  return o;
}

export function isUtf8(b: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}
