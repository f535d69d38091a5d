// What `label` and `annotate` share: KEY=VALUE and KEY- arguments applied to objects' metadata.
import type { Cli } from './cli.js';
import { formatApiError } from './cli.js';
import { CliError } from './errors.js';
import { parseTargets, type Target } from './args.js';
import { readManifests } from '../client/manifests.js';
import { ApiError } from '../apiserver/errors.js';
import type { KObject } from '../apiserver/types.js';
import { formatObjects, nameOf, checkOutputFormat } from './output.js';
import { parseDryRun, dryRunSuffix } from './dry-run.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerMetadataVerb(cli: Cli, verb: 'label' | 'annotate'): void {
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

function splitArgs(verb: string, args: string[], hasFiles: boolean): { resourceArgs: string[]; change: Change } {
  const resourceArgs: string[] = [];
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const a of args) {
    if (a.includes('=')) {
      const i = a.indexOf('=');
      set[a.slice(0, i)] = a.slice(i + 1);
    } else if (a.endsWith('-') && !a.includes('/') && resourceArgs.length >= (hasFiles ? 0 : 1)) {
      remove.push(a.slice(0, -1));
    } else {
      resourceArgs.push(a);
    }
  }
  if (Object.keys(set).length === 0 && remove.length === 0) {
    throw new CliError(`error: at least one ${verb === 'label' ? 'label' : 'annotation'} update is required`);
  }
  for (const k of remove) {
    if (k in set) throw new CliError(`error: can not both modify and remove ${verb === 'label' ? 'a label' : 'an annotation'} in the same command`);
  }
  return { resourceArgs, change: { set, remove } };
}

async function run(cli: Cli, verb: 'label' | 'annotate', args: string[], opts: any): Promise<void> {
  const field = verb === 'label' ? 'labels' : 'annotations';
  const hasFiles = !!opts.filename?.length;
  if (opts.list) return listMetadata(cli, field, args, opts);
  const { resourceArgs, change } = splitArgs(verb, args, hasFiles);
  checkOutputFormat(opts.output);
  const dryRun = parseDryRun(opts.dryRun);
  let targets: Target[] = [];
  const fileItems: { t: Target; ns?: string }[] = [];
  if (hasFiles) {
    const { infos } = readManifests(opts.filename, !!opts.recursive);
    for (const i of infos) fileItems.push({ t: { resource: i.resource, names: [i.object.metadata!.name!] }, ns: i.object.metadata?.namespace });
  } else {
    targets = parseTargets(resourceArgs, verb);
    if (targets.length === 0) throw new CliError("error: one or more resources must be specified as <resource> <name> or <resource>/<name>");
    for (const t of targets) {
      if (t.names.length === 0 && !opts.all && !opts.selector && !opts.fieldSelector) {
        throw new CliError('error: resource(s) were provided, but no name was specified');
      }
    }
  }
  const errors: string[] = [];
  const printed: KObject[] = [];
  await cli.withClient(dryRun === 'none', async (client) => {
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
        const existing: Record<string, string> = current.metadata?.[field] ?? {};
        if (!opts.overwrite) {
          for (const [k, v] of Object.entries(change.set)) {
            if (k in existing && existing[k] !== v) {
              throw new CliError(`error: '${k}' already has a value (${existing[k]}), and --overwrite is false`);
            }
          }
        }
        const next: Record<string, string> = { ...existing, ...change.set };
        for (const k of change.remove) {
          if (!(k in existing)) cli.err(`${verb === 'label' ? 'label' : 'annotation'} "${k}" not found.\n`);
          delete next[k];
        }
        const patch: Record<string, string | null> = {};
        for (const [k, v] of Object.entries(change.set)) if (existing[k] !== v) patch[k] = v;
        for (const k of change.remove) if (k in existing) patch[k] = null;
        const noChange = Object.keys(patch).length === 0;
        let result = current;
        if (!noChange && dryRun !== 'client') {
          const body: any = { metadata: { [field]: patch } };
          if (opts.resourceVersion) body.metadata.resourceVersion = opts.resourceVersion;
          result = await client.patch(ri, it.name, 'merge', body, { namespace: ns, dryRun: dryRun === 'server', fieldManager: `kubectl-${verb}` });
        } else if (!noChange) {
          result = { ...current, metadata: { ...current.metadata, [field]: next } };
        }
        if (opts.output) {
          printed.push(result);
          continue;
        }
        const past = verb === 'label' ? 'labeled' : 'annotated';
        const word = noChange ? `not ${past}` : Object.keys(change.set).length === 0 ? (verb === 'label' ? 'unlabeled' : 'annotated') : past;
        cli.out(`${nameOf(result, ri)} ${word}${dryRunSuffix(dryRun)}\n`);
      } catch (e) {
        if (e instanceof ApiError) errors.push(formatApiError(e));
        else if (e instanceof CliError) errors.push(e.message);
        else throw e;
      }
    }
  });
  if (printed.length) cli.out(formatObjects(printed, opts.output, printed.length === 1));
  if (errors.length) {
    cli.err(errors.map((e) => `${e}\n`).join(''));
    process.exitCode = 1;
  }
}

async function listMetadata(cli: Cli, field: 'labels' | 'annotations', args: string[], opts: any): Promise<void> {
  const targets = parseTargets(args, field === 'labels' ? 'label' : 'annotate');
  await cli.withClient(false, async (client) => {
    for (const t of targets) {
      for (const name of t.names) {
        const o = await client.get(t.resource, name);
        const m: Record<string, string> = o.metadata?.[field] ?? {};
        for (const k of Object.keys(m).sort()) cli.out(`${k}=${m[k]}\n`);
      }
    }
  });
  void opts;
}
