// What `set image`, `set env` and `set resources` do to one object's pod spec, as pure functions:
// each changes the object in place and returns the errors kubectl would collect.
import type { KObject } from '../../apiserver/types.js';
import { parseQuantity, formatQuantity, tryParseQuantity } from '../../apiserver/quantity.js';
import { podSpecOf } from './podspec.js';

const CONTAINER_KEYS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/** filepath.Match for the container selector of -c (only '*' and '?' wildcards). */
export function containerMatches(pattern: string, name: string): boolean {
  if (pattern === '*') return true;
  if (!/[*?[]/.test(pattern)) return pattern === name;
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  return re.test(name);
}

/** set image: NAME=IMAGE for every pair ("*" names all containers). Errors: unknown containers. */
export function setImages(obj: KObject, images: Record<string, string>): string[] | undefined {
  const spec = podSpecOf(obj);
  if (!spec) return undefined;
  const errors: string[] = [];
  for (const [name, image] of Object.entries(images)) {
    let found = false;
    for (const key of CONTAINER_KEYS) {
      for (const c of spec[key] ?? []) {
        if (name === '*' || c.name === name) {
          c.image = image;
          found = true;
        }
      }
    }
    if (!found) errors.push(`error: unable to find container named "${name}"`);
  }
  return errors;
}

export interface EnvChange {
  set: { name: string; value: string }[];
  remove: string[];
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** env.ParseEnv: KEY=VALUE and KEY- arguments. */
export function parseEnv(specs: string[]): EnvChange {
  const change: EnvChange = { set: [], remove: [] };
  for (const s of specs) {
    if (s.includes('=')) {
      const i = s.indexOf('=');
      const name = s.slice(0, i);
      if (!ENV_NAME.test(name)) {
        throw new Error(`"${name}" is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')`);
      }
      change.set.push({ name, value: s.slice(i + 1) });
    } else if (s.endsWith('-')) {
      change.remove.push(s.slice(0, -1));
    } else {
      throw new Error(`unknown environment variable: ${s}`);
    }
  }
  if (change.remove.some((r) => change.set.some((e) => e.name === r))) {
    throw new Error('can not both modify and remove an environment variable in the same command');
  }
  return change;
}

/** updateEnv: replace in place by name, append new ones, then drop the removed ones. */
function updateEnv(existing: any[], change: EnvChange): any[] {
  const out = existing.map((e) => ({ ...e }));
  for (const e of change.set) {
    const i = out.findIndex((x) => x.name === e.name);
    if (i >= 0) out[i] = { name: e.name, value: e.value };
    else out.push({ name: e.name, value: e.value });
  }
  return out.filter((e) => !change.remove.includes(e.name));
}

/** The containers of a pod spec that -c selects: containers, then init containers, as kubectl lists them. */
export function selectContainers(spec: any, pattern: string): any[] {
  const out: any[] = [];
  for (const key of ['containers', 'initContainers'] as const) for (const c of spec?.[key] ?? []) if (containerMatches(pattern, c.name)) out.push(c);
  return out;
}

/** set env on every selected container. Returns the warning when none matched, or undefined. */
export function setEnv(obj: KObject, change: EnvChange, pattern: string): { warning?: string } | undefined {
  const spec = podSpecOf(obj);
  if (!spec) return undefined;
  const containers = selectContainers(spec, pattern);
  if (containers.length === 0) {
    return { warning: `Warning: ${obj.kind}/${obj.metadata?.name} does not have any containers matching "${pattern}"\n` };
  }
  for (const c of containers) {
    const env = updateEnv(c.env ?? [], change);
    if (env.length) c.env = env;
    else delete c.env;
  }
  return {};
}

/** GetEnvVarRefString: how --list shows a valueFrom. */
export function envRefString(from: any): string {
  if (from?.configMapKeyRef) return `configmap ${from.configMapKeyRef.name}, key ${from.configMapKeyRef.key}`;
  if (from?.secretKeyRef) return `secret ${from.secretKeyRef.name}, key ${from.secretKeyRef.key}`;
  if (from?.fieldRef) return `field path ${from.fieldRef.fieldPath}`;
  if (from?.resourceFieldRef) {
    const prefix = from.resourceFieldRef.containerName ? `${from.resourceFieldRef.containerName}/` : '';
    return `resource ${prefix}${from.resourceFieldRef.resource}`;
  }
  return 'invalid valueFrom';
}

/** `set env --list` for one object. */
export function listEnv(obj: KObject, pattern: string): string {
  const spec = podSpecOf(obj);
  let out = '';
  for (const c of selectContainers(spec, pattern)) {
    out += `# ${obj.kind} ${obj.metadata?.name}, container ${c.name}\n`;
    for (const e of c.envFrom ?? []) {
      if (e.configMapRef) out += `# envFrom configmap ${e.configMapRef.name}${e.prefix ? ` with prefix ${e.prefix}` : ''}\n`;
      if (e.secretRef) out += `# envFrom secret ${e.secretRef.name}${e.prefix ? ` with prefix ${e.prefix}` : ''}\n`;
    }
    for (const e of c.env ?? []) {
      if (!e.valueFrom) out += `${e.name}=${e.value ?? ''}\n`;
      else out += `# ${e.name} from ${envRefString(e.valueFrom)}\n`;
    }
  }
  return out;
}

/** HandleResourceRequirementsV1: "cpu=200m,memory=512Mi" into a canonical resource list. */
export function parseResourceList(spec: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!spec) return out;
  for (const part of spec.split(',')) {
    const i = part.indexOf('=');
    if (i < 0 || part.indexOf('=', i + 1) >= 0) throw new Error(`Invalid argument syntax ${part}, expected <resource>=<value>`);
    const name = part.slice(0, i);
    const raw = part.slice(i + 1);
    if (!tryParseQuantity(raw) || !/^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/.test(raw)) {
      throw new Error("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    }
    out[name] = formatQuantity(parseQuantity(raw));
  }
  return out;
}

/** set resources: merges limits and requests into every selected container. */
export function setResources(obj: KObject, limits: Record<string, string>, requests: Record<string, string>, pattern: string): string[] | undefined {
  const spec = podSpecOf(obj);
  if (!spec) return undefined;
  const containers = selectContainers(spec, pattern);
  if (containers.length === 0) return [`error: unable to find container named ${pattern}`];
  for (const c of containers) {
    const r = (c.resources ??= {});
    if (Object.keys(limits).length) r.limits = { ...(r.limits ?? {}), ...limits };
    if (Object.keys(requests).length) r.requests = { ...(r.requests ?? {}), ...requests };
  }
  return [];
}
