// Turning "TYPE NAME...", "TYPE/NAME ..." and "TYPE1,TYPE2" into resources and names, as kubectl's
// resource builder does, with kubectl's errors.
import { CliError } from './errors.js';
import { resolveResource, resourcesInCategory, type ResourceInfo } from '../apiserver/resources.js';
import { readManifests } from '../client/manifests.js';

export interface Target {
  resource: ResourceInfo;
  names: string[];
}

export function resourceOrFail(word: string): ResourceInfo {
  const ri = resolveResource(word);
  if (!ri) throw new CliError(`error: the server doesn't have a resource type "${word}"`);
  return ri;
}

/** Expands "all" and comma lists; kubectl keeps the order the user gave. */
function expandTypes(word: string): ResourceInfo[] {
  const out: ResourceInfo[] = [];
  for (const part of word.split(',')) {
    if (!part) continue;
    if (part === 'all') out.push(...resourcesInCategory('all').filter((r) => r.name !== 'replicationcontrollers' || true));
    else out.push(resourceOrFail(part));
  }
  return out;
}

export function parseTargets(args: string[], verb: string): Target[] {
  if (args.length === 0) return [];
  if (args.some((a) => a.includes('/'))) {
    const targets: Target[] = [];
    for (const a of args) {
      const slash = a.indexOf('/');
      if (slash < 0) {
        throw new CliError(`error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'minikctl ${verb} resource/<resource_name>' instead of 'minikctl ${verb} resource resource/<resource_name>'`);
      }
      const ri = resourceOrFail(a.slice(0, slash));
      const name = a.slice(slash + 1);
      if (!name) throw new CliError(`error: arguments in resource/name form must have a single resource and name`);
      const existing = targets.find((t) => t.resource === ri);
      if (existing) existing.names.push(name);
      else targets.push({ resource: ri, names: [name] });
    }
    return targets;
  }
  const [types, ...names] = args;
  const ris = expandTypes(types);
  if (names.length > 0 && ris.length > 1) {
    throw new CliError(`error: you must specify only one resource type when specifying names`);
  }
  return ris.map((resource) => ({ resource, names }));
}

/** The objects named by -f files, grouped by resource in the order they appear. */
export function targetsFromFiles(paths: string[], recursive: boolean): { targets: Target[]; errors: string[] } {
  const { infos, errors } = readManifests(paths, recursive);
  const targets: Target[] = [];
  for (const i of infos) {
    const t = targets.find((x) => x.resource === i.resource);
    if (t) t.names.push(i.object.metadata!.name!);
    else targets.push({ resource: i.resource, names: [i.object.metadata!.name!] });
  }
  return { targets, errors };
}

/** kubectl's ArgsLenAtDash: how many arguments came before `--` (-1 without one) */
export function argsLenAtDash(args: string[]): number {
  const dash = process.argv.indexOf('--');
  if (dash < 0) return -1;
  return Math.max(0, args.length - (process.argv.length - dash - 1));
}
