// minikctl set image|env|resources: change the pod template of workloads (or a pod's containers),
// on the server with a strategic merge patch, or locally on the files with --local.
import type { Command } from 'commander';
import type { Cli } from '../cli.js';
import { CliError } from '../errors.js';
import { checkOutputFormat, formatObjects, nameOf } from '../output.js';
import { parseDryRun, dryRunSuffix, type DryRun } from '../dry-run.js';
import { splitResourcesAndPairs } from '../metadata-edit.js';
import type { KObject } from '../../apiserver/types.js';
import { select, localItems, fetchItems, reportErrors, type Item, type Selection } from '../../client/set/targets.js';
import { asTyped, noPodSpecError } from '../../client/set/podspec.js';
import { setImages, parseEnv, setEnv, listEnv, parseResourceList, setResources, type EnvChange } from '../../client/set/mutate.js';
import { createTwoWayMergePatch } from '../../client/apply/strategic-merge.js';
import { sortedJson } from '../../client/apply/json-util.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

function common(cmd: Command): Command {
  return cmd
    .argument('[args...]')
    .option('--all', 'Select all resources, in the namespace of the specified resource types')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('-f, --filename <file>', 'Filename, directory, or URL to files identifying the resource to get from a server.', collect)
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('--local', 'If true, set will NOT contact api-server but run locally.')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client".')
    .option('-o, --output <format>', 'Output format.')
    .option('--field-manager <name>', 'Name of the manager used to track field ownership.', 'kubectl-set');
}

export function register(cli: Cli): void {
  const set = cli.program.command('set').description('Set specific features on objects').usage('SUBCOMMAND [options]');
  set.action(() => {
    throw new CliError('error: a subcommand is required: one of env, image, resources', 1);
  });
  common(set.command('image').description('Update the image of a pod template')
    .usage('(-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]'))
    .action(async (args: string[], opts: any) => runImage(cli, args, opts));
  common(set.command('env').description('Update environment variables on a pod template')
    .usage('RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N [options]'))
    .option('-e, --env <env>', 'Specify a key-value pair for an environment variable to set into each container.', collect)
    .option('-c, --containers <names>', 'The names of containers in the selected pod templates to change - may use wildcards', '*')
    .option('--list', 'If true, display the environment and any changes in the standard format.')
    .option('--overwrite', 'If true, allow environment to be overwritten, otherwise reject updates that overwrite existing environment.', true)
    .option('--no-overwrite', 'Reject updates that overwrite existing environment.')
    .action(async (args: string[], opts: any) => runEnv(cli, args, opts));
  common(set.command('resources').description('Update resource requests/limits on objects with pod templates')
    .usage('(-f FILENAME | TYPE NAME) ([--limits=LIMITS & --requests=REQUESTS] [options]'))
    .option('-c, --containers <names>', 'The names of containers in the selected pod templates to change, all containers are selected by default - may use wildcards', '*')
    .option('--limits <list>', 'The resource requirement requests for this container.  For example, \'cpu=100m,memory=256Mi\'.')
    .option('--requests <list>', 'The resource requirement requests for this container.  For example, \'cpu=100m,memory=256Mi\'.')
    .action(async (args: string[], opts: any) => runResources(cli, args, opts));
}

/** One verb's change to one object: errors kubectl collects while computing it, or none. */
type Mutator = (obj: KObject) => { errors: string[]; unsupported?: boolean };

interface Computed {
  item: Item;
  before: KObject;
  after: KObject;
  unsupported: boolean;
}

/**
 * The shape of kubectl's set commands: compute every object's change first (CalculatePatches,
 * collecting errors), then for each object print (local, client dry run) or patch and print.
 * An object the change leaves as it was is skipped without a word.
 */
async function runSet(cli: Cli, sel: Selection, opts: any, operation: string, patchError: string, mutate: Mutator, preErrors: string[] = []): Promise<void> {
  const dryRun: DryRun = parseDryRun(opts.dryRun);
  const errors: unknown[] = [...preErrors];
  const printed: KObject[] = [];
  const emit = (obj: KObject, ri: Item['ri']) => {
    if (opts.output) printed.push(obj);
    else cli.out(`${nameOf(obj, ri)} ${operation}${dryRunSuffix(dryRun)}\n`);
  };
  const process = async (items: Item[], patch?: (c: Computed) => Promise<KObject>) => {
    const computed: Computed[] = [];
    for (const item of items) {
      const before = structuredClone(item.object);
      const after = structuredClone(item.object);
      const r = mutate(after);
      errors.push(...r.errors);
      computed.push({ item, before, after, unsupported: !!r.unsupported });
    }
    for (const c of computed) {
      if (c.unsupported) {
        const name = opts.local ? nameOfLocal(c.item) : `${c.item.ri.name}${c.item.ri.group ? `.${c.item.ri.group}` : ''}/${c.item.name}`;
        errors.push(`error: ${name} ${noPodSpecError(c.item.object)}\n`);
        continue;
      }
      if (sortedJson(c.before) === sortedJson(c.after)) continue;
      if (!patch) {
        emit(opts.local ? asTyped(c.after) : c.after, c.item.ri);
        continue;
      }
      try {
        emit(await patch(c), c.item.ri);
      } catch (e: any) {
        errors.push(`error: ${patchError}: ${e?.status?.message ?? e?.message ?? String(e)}`);
      }
    }
  };
  if (opts.local) {
    await process(localItems(sel));
  } else {
    await cli.withClient(dryRun === 'none', async (client) => {
      const items = await fetchItems(client, sel, (e) => errors.push(e));
      const local = dryRun === 'client';
      await process(items, local ? undefined : async (c) => {
        const gvk = { apiVersion: c.before.apiVersion, kind: c.before.kind };
        const patch = createTwoWayMergePatch(c.before, c.after, gvk);
        return client.patch(c.item.ri, c.item.name, 'strategic', patch, {
          namespace: c.item.namespace, dryRun: dryRun === 'server', fieldManager: opts.fieldManager ?? 'kubectl-set',
        });
      });
    });
  }
  if (printed.length) {
    const fmt = String(opts.output).split('=')[0];
    cli.out(printed.map((o) => formatObjects([o], opts.output, true)).join(fmt === 'yaml' ? '---\n' : ''));
  }
  reportErrors(errors, (s) => cli.err(s));
}

/** Info.ObjectName() of an object read from a file: "deployment.apps/web". */
function nameOfLocal(item: Item): string {
  return `${item.ri.kind.toLowerCase()}${item.ri.group ? `.${item.ri.group}` : ''}/${item.name}`;
}

function checkCommon(opts: any): void {
  checkOutputFormat(opts.output);
  parseDryRun(opts.dryRun);
}

/** GetResourcesAndPairs + ParsePairs for set image (no removal form). */
function parseImageArgs(args: string[]): { resources: string[]; images: Record<string, string> } {
  const resources: string[] = [];
  const pairs: string[] = [];
  for (const a of args) {
    if (a.includes('=') && a[0] !== '=') pairs.push(a);
    else if (pairs.length) throw new CliError(`error: all resources must be specified before image changes: ${a}`);
    else resources.push(a);
  }
  const images: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    images[p.slice(0, i)] = p.slice(i + 1);
  }
  return { resources, images };
}

async function runImage(cli: Cli, args: string[], opts: any): Promise<void> {
  checkCommon(opts);
  const { resources, images } = parseImageArgs(args);
  const problems: string[] = [];
  if (opts.all && opts.selector) problems.push('cannot set --all and --selector at the same time');
  if (resources.length < 1 && !opts.filename?.length) problems.push('one or more resources must be specified as <resource> <name> or <resource>/<name>');
  const n = Object.keys(images).length;
  if (n < 1) problems.push('at least one image update is required');
  else if (n > 1 && '*' in images) problems.push('all containers are already specified by *, but saw more than one container_name=container_image pairs');
  if (problems.length === 1) throw new CliError(`error: ${problems[0]}`);
  if (problems.length > 1) throw new CliError(`error: [${problems.join(', ')}]`);
  const sel = select(resources, opts, 'set image');
  await runSet(cli, sel, opts, 'image updated', 'failed to patch image update to pod template', (obj) => {
    const errs = setImages(obj, images);
    return errs ? { errors: errs } : { errors: [], unsupported: true };
  });
}

async function runEnv(cli: Cli, args: string[], opts: any): Promise<void> {
  checkCommon(opts);
  let resources: string[];
  let pairs: string[];
  try {
    ({ resources, pairs } = splitResourcesAndPairs(args, 'label'));
  } catch {
    // kubectl names the whole rest of the line when a resource follows a change.
    const first = args.findIndex((a) => (a.includes('=') && a[0] !== '=') || (a.endsWith('-') && a !== '-'));
    throw new CliError(`error: all resources must be specified before environment changes: ${args.slice(first).join(' ')}`);
  }
  const envArgs = [...(opts.env ?? []), ...pairs];
  if (opts.list && opts.output) throw new CliError('error: --list and --output may not be specified together');
  if (resources.length < 1 && !opts.filename?.length) throw new CliError('error: one or more resources must be specified as <resource> <name> or <resource>/<name>');
  let change: EnvChange;
  try {
    change = parseEnv(envArgs);
  } catch (e: any) {
    throw new CliError(`error: ${e.message}`);
  }
  const sel = select(resources, opts, 'set env');
  const pattern: string = opts.containers ?? '*';
  if (opts.list) {
    const show = (items: Item[]) => {
      for (const it of items) cli.out(listEnv(it.object, pattern));
    };
    if (opts.local) show(localItems(sel));
    else await cli.withClient(false, async (client) => {
      const errors: unknown[] = [];
      show(await fetchItems(client, sel, (e) => errors.push(e)));
      reportErrors(errors, (s) => cli.err(s));
    });
    return;
  }
  await runSet(cli, sel, opts, 'env updated', 'failed to patch env update to pod template', (obj) => {
    const r = setEnv(obj, change, pattern);
    if (!r) return { errors: [], unsupported: true };
    if (r.warning) cli.err(r.warning);
    return { errors: [] };
  });
}

async function runResources(cli: Cli, args: string[], opts: any): Promise<void> {
  checkCommon(opts);
  if (opts.all && opts.selector) throw new CliError('error: cannot set --all and --selector at the same time');
  if (!opts.limits && !opts.requests) throw new CliError('error: you must specify an update to requests or limits (in the form of --requests/--limits)');
  let limits: Record<string, string>;
  let requests: Record<string, string>;
  try {
    limits = parseResourceList(opts.limits);
    requests = parseResourceList(opts.requests);
  } catch (e: any) {
    throw new CliError(`error: ${e.message}`);
  }
  const sel = select(args, opts, 'set resources');
  await runSet(cli, sel, opts, 'resource requirements updated', 'failed to patch resources update to pod template', (obj) => {
    const errs = setResources(obj, limits, requests, opts.containers ?? '*');
    return errs ? { errors: errs } : { errors: [], unsupported: true };
  });
}
