// What `label` and `annotate` share: KEY=VALUE and KEY- arguments applied to objects' metadata,
// sent as a JSON merge patch. The two verbs differ in small ways that users see, all kept here as
// kubectl has them: label refuses to overwrite even an equal value, says "not labeled" or
// "unlabeled", and prints `label "k" not found.`; annotate always says "annotated".
import type { Cli } from './cli.js';
import { formatApiError } from './cli.js';
import { CliError } from './errors.js';
import { parseTargets, type Target } from './args.js';
import { readManifests } from '../client/manifests.js';
import { ApiError } from '../apiserver/errors.js';
import type { KObject } from '../apiserver/types.js';
import { formatObjects, nameOf, checkOutputFormat } from './output.js';
import { parseDryRun, dryRunSuffix } from './dry-run.js';
import { sortedJson } from '../client/apply/json-util.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];
const CHANGE_CAUSE = 'kubernetes.io/change-cause';

type Verb = 'label' | 'annotate';

export function registerMetadataVerb(cli: Cli, verb: Verb): void {
  const what = verb === 'label' ? 'labels' : 'annotations';
  cli.program
    .command(verb)
    .description(verb === 'label' ? 'Update the labels on a resource' : 'Update the annotations on a resource')
    .usage(`[--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [flags] [options]`)
    .argument('[args...]')
    .option('--overwrite', `If true, allow ${what} to be overwritten, otherwise reject ${verb === 'label' ? 'label' : 'annotation'} updates that overwrite existing ${what}.`)
    .option('--all', 'Select all resources, in the namespace of the specified resource types')
    .option('-A, --all-namespaces', 'If true, check the specified action in all namespaces.')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--field-selector <selector>', 'Selector (field query) to filter on.')
    .option('-f, --filename <file>', 'Filename, directory, or URL to files identifying the resource to update', collect)
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('--list', `If true, display the ${what} for a given resource.`)
    .option('--local', 'If true, will NOT contact api-server but run locally.')
    .option('--resource-version <rv>', 'If non-empty, the update will only succeed if this is the current resource-version for the object.')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client".')
    .option('-o, --output <format>', 'Output format.')
    .action(async (args: string[], opts: any) => run(cli, verb, args, opts));
}

interface Change {
  set: Record<string, string>;
  remove: string[];
}

/** kubectl's GetResourcesAndPairs: resources first, then KEY=VALUE / KEY- pairs. */
export function splitResourcesAndPairs(args: string[], verb: Verb): { resources: string[]; pairs: string[] } {
  const resources: string[] = [];
  const pairs: string[] = [];
  for (const a of args) {
    const isPair = (a.includes('=') && a[0] !== '=') || (a.endsWith('-') && a !== '-');
    if (isPair) pairs.push(a);
    else if (pairs.length) throw new CliError(`error: all resources must be specified before ${verb} changes: ${a}`);
    else resources.push(a);
  }
  return { resources, pairs };
}

function parsePairs(verb: Verb, pairs: string[]): Change {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  const invalid: string[] = [];
  for (const p of pairs) {
    if (p.includes('=') && p[0] !== '=') {
      const i = p.indexOf('=');
      const value = p.slice(i + 1);
      if (verb === 'label' && value.includes('=')) throw new CliError(`error: invalid label spec: ${p}`);
      set[p.slice(0, i)] = value;
    } else if (p.endsWith('-') && p !== '-') {
      remove.push(p.slice(0, -1));
    } else {
      invalid.push(p);
    }
  }
  if (invalid.length) throw new CliError(`error: invalid ${verb === 'label' ? 'label' : 'annotation'} format: ${invalid.join(', ')}`);
  return { set, remove };
}

function checkNoOverwrite(verb: Verb, existing: Record<string, string>, set: Record<string, string>): void {
  // Any existing key counts, even one that already has the requested value.
  const clashes = Object.keys(set).filter((k) => k in existing && !(verb === 'annotate' && k === CHANGE_CAUSE));
  if (clashes.length === 0) return;
  if (verb === 'label') {
    const msgs = clashes.map((k) => `'${k}' already has a value (${existing[k]}), and --overwrite is false`);
    throw new CliError(msgs.length === 1 ? `error: ${msgs[0]}` : `error: [${msgs.join(', ')}]`);
  }
  const list = clashes.map((k) => `'${k}' already has a value (${existing[k]})`).join('; ');
  throw new CliError(`error: --overwrite is false but found the following declared annotation(s): ${list}`);
}

/** The length a metadata map adds to the object's JSON, as kubectl compares whole objects. */
function jsonLen(field: string, m: Record<string, string> | undefined): number {
  return m === undefined ? 0 : `,"${field}":${sortedJson(m)}`.length;
}

async function run(cli: Cli, verb: Verb, args: string[], opts: any): Promise<void> {
  const field = verb === 'label' ? 'labels' : 'annotations';
  const noun = verb === 'label' ? 'label' : 'annotation';
  const hasFiles = !!opts.filename?.length;
  checkOutputFormat(opts.output);
  const dryRun = parseDryRun(opts.dryRun);
  const { resources, pairs } = splitResourcesAndPairs(args, verb);
  const change = parsePairs(verb, pairs);
  if (verb === 'label' && change.remove.some((k) => k in change.set)) {
    throw new CliError('error: can not both modify and remove a label in the same command');
  }
  if (opts.list && opts.output) throw new CliError('error: --list and --output may not be specified together');
  if (opts.all && opts.selector) throw new CliError('error: cannot set --all and --selector at the same time');
  if (opts.all && opts.fieldSelector) throw new CliError('error: cannot set --all and --field-selector at the same time');
  if (resources.length === 0 && !hasFiles) {
    throw new CliError('error: one or more resources must be specified as <resource> <name> or <resource>/<name>');
  }
  if (Object.keys(change.set).length === 0 && change.remove.length === 0 && !opts.list) {
    throw new CliError(`error: at least one ${noun} update is required`);
  }
  if (verb === 'annotate') {
    const both = change.remove.filter((k) => k in change.set);
    if (both.length) throw new CliError(`error: can not both modify and remove the following annotation(s) in the same command: ${both.join(', ')}`);
  }
  let targets: Target[] = [];
  const fileItems: { t: Target; ns?: string }[] = [];
  if (hasFiles) {
    const { infos } = readManifests(opts.filename, !!opts.recursive);
    for (const i of infos) fileItems.push({ t: { resource: i.resource, names: [i.object.metadata!.name!] }, ns: i.object.metadata?.namespace });
  }
  if (resources.length) {
    targets = parseTargets(resources, verb);
    for (const t of targets) {
      if (t.names.length === 0 && !opts.all && !opts.selector && !opts.fieldSelector) {
        throw new CliError('error: resource(s) were provided, but no name was specified');
      }
    }
  }
  // kubectl's "single item implied": one file object, or one TYPE/NAME, lists without a heading.
  const single = fileItems.length + targets.reduce((n, t) => n + (t.names.length || 2), 0) === 1;
  if (!single && opts.resourceVersion) throw new CliError('error: --resource-version may only be used with a single resource');
  const errors: string[] = [];
  const printed: KObject[] = [];
  const write = dryRun === 'none' && !opts.list;
  await cli.withClient(write, async (client) => {
    const items: { t: Target; name: string; ns?: string }[] = fileItems.map((f) => ({ t: f.t, name: f.t.names[0], ns: f.ns }));
    for (const t of targets) {
      if (t.names.length) for (const n of t.names) items.push({ t, name: n });
      else {
        const list = await client.list(t.resource, { allNamespaces: !!opts.allNamespaces, labelSelector: opts.selector, fieldSelector: opts.fieldSelector });
        for (const o of list.items) items.push({ t, name: o.metadata.name, ns: o.metadata.namespace });
      }
    }
    for (const it of items) {
      const ri = it.t.resource;
      const ns = ri.namespaced ? it.ns ?? client.namespace : undefined;
      try {
        const current = await client.get(ri, it.name, ns);
        const before: Record<string, string> | undefined = current.metadata?.[field];
        const existing = before ?? {};
        if (!opts.overwrite) checkNoOverwrite(verb, existing, change.set);
        const next: Record<string, string> = { ...existing, ...change.set };
        for (const k of change.remove) delete next[k];
        const local = dryRun === 'client' || opts.list;
        if (verb === 'label' && !local) {
          for (const k of change.remove) if (!(k in existing)) cli.out(`label "${k}" not found.\n`);
        }
        let result: KObject = { ...current, metadata: { ...current.metadata, [field]: next } };
        if (!local) {
          const patch: Record<string, string | null> = {};
          for (const [k, v] of Object.entries(change.set)) if (existing[k] !== v) patch[k] = v;
          for (const k of change.remove) if (k in existing) patch[k] = null;
          const body: any = { metadata: { [field]: patch } };
          if (opts.resourceVersion) body.metadata.resourceVersion = opts.resourceVersion;
          result = await client.patch(ri, it.name, 'merge', body, { namespace: ns, dryRun: dryRun === 'server', fieldManager: `kubectl-${verb}` });
        }
        if (opts.list) {
          const m: Record<string, string> = result.metadata?.[field] ?? {};
          const indent = single ? '' : ' ';
          if (!single) cli.out(`Listing ${field} for ${ri.kind}.${ri.group}/${it.name}:\n`);
          for (const k of Object.keys(m).sort()) cli.out(`${indent}${k}=${m[k]}\n`);
          continue;
        }
        if (opts.output) {
          printed.push(result);
          continue;
        }
        cli.out(`${nameOf(result, ri)} ${changeWord(verb, field, before, next, !!opts.overwrite)}${dryRunSuffix(dryRun)}\n`);
      } catch (e) {
        if (e instanceof ApiError) errors.push(formatApiError(e));
        else if (e instanceof CliError) errors.push(e.message);
        else throw e;
      }
    }
  });
  // Each object is printed on its own, as kubectl's printers do: YAML documents separated by ---.
  if (printed.length) {
    const fmt = String(opts.output).split('=')[0];
    cli.out(printed.map((o) => formatObjects([o], opts.output, true)).join(fmt === 'yaml' ? '---\n' : ''));
  }
  if (errors.length) {
    cli.err(errors.map((e) => `${e}\n`).join(''));
    process.exitCode = 1;
  }
}

/** kubectl label's updateDataChangeMsg; annotate always says "annotated". */
function changeWord(verb: Verb, field: string, before: Record<string, string> | undefined, after: Record<string, string>, overwrite: boolean): string {
  if (verb === 'annotate') return 'annotated';
  if (before !== undefined && sortedJson(before) === sortedJson(after)) return 'not labeled';
  if (!overwrite && jsonLen(field, after) < jsonLen(field, before)) return 'unlabeled';
  return 'labeled';
}
