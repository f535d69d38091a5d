// minikctl delete: by names, files, selectors or --all, with cascading and grace periods.
import type { Cli } from '../cli.js';
import { formatApiError } from '../cli.js';
import { CliError } from '../errors.js';
import { parseTargets, type Target } from '../args.js';
import { readManifests } from '../../client/manifests.js';
import { ApiError } from '../../apiserver/errors.js';
import { type ResourceInfo } from '../../apiserver/resources.js';
import { parseDryRun, dryRunSuffix } from '../dry-run.js';
import { nameOf } from '../output.js';
import { withSource } from '../../client/errors.js';
import { parseGoDuration } from '../../cluster/go-duration.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function register(cli: Cli): void {
  cli.program
    .command('delete')
    .description('Delete resources by file names, stdin, resources and names, or by resources and label selector')
    .usage('([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [flags] [options]')
    .argument('[args...]')
    .option('-f, --filename <file>', 'containing the resource to delete.', collect)
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on.')
    .option('--field-selector <selector>', 'Selector (field query) to filter on.')
    .option('--all', 'Delete all resources, in the namespace of the specified resource types.')
    .option('-A, --all-namespaces', 'If present, list the requested object(s) across all namespaces.')
    .option('--cascade [mode]', 'Must be "background", "orphan", or "foreground".', 'background')
    .option('--grace-period <seconds>', 'Period of time in seconds given to the resource to terminate gracefully.', '-1')
    .option('--now', 'If true, resources are signaled for immediate shutdown (same as --grace-period=1).')
    .option('--force', 'If true, immediately remove resources from API and bypass graceful deletion.')
    .option('--wait [bool]', 'If true, wait for resources to be gone before returning.', 'true')
    .option('--timeout <duration>', 'The length of time to wait before giving up on a delete')
    .option('--ignore-not-found', 'Treat "resource not found" as a successful delete.')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client".')
    .option('-o, --output <format>', "Output mode. Use \"-o name\" for shorter output (resource/name).")
    .action(async (args: string[], opts: any) => run(cli, args, opts));
}

function propagation(cascade: string | boolean): 'Background' | 'Foreground' | 'Orphan' {
  const c = String(cascade);
  // The old boolean spellings still work, with kubectl's deprecation note.
  if (cascade === 'true') process.stderr.write('warning: --cascade=true is deprecated (boolean value) and can be replaced with --cascade=background.\n');
  if (cascade === 'false') process.stderr.write('warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.\n');
  if (c === 'background' || c === 'true') return 'Background';
  if (c === 'foreground') return 'Foreground';
  if (c === 'orphan' || c === 'false') return 'Orphan';
  throw new CliError(`error: invalid cascade value (${cascade}). Must be "background", "foreground", or "orphan".`);
}

async function run(cli: Cli, args: string[], opts: any): Promise<void> {
  const policy = propagation(opts.cascade);
  const dryRun = parseDryRun(opts.dryRun);
  let grace = Number(opts.gracePeriod);
  if (opts.now) {
    if (grace !== -1) throw new CliError('error: --now and --grace-period cannot be specified together');
    grace = 1;
  }
  // As kubectl: --grace-period=0 without --force means 1 second (no accidental immediate deletion).
  if (grace === 0 && !opts.force) grace = 1;
  if (opts.force && grace === -1) grace = 0;
  if (opts.force && grace === 0) {
    cli.err('Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n');
  }
  if (opts.output && opts.output !== 'name') throw new CliError(`error: unexpected -o output mode: ${opts.output}. We only support '-o name'`);
  const byFile: { ri: ResourceInfo; name: string; namespace?: string; source?: string }[] = [];
  let targets: Target[] = [];
  const errors: string[] = [];
  if (opts.filename?.length) {
    const { infos, errors: readErrors } = readManifests(opts.filename, !!opts.recursive);
    errors.push(...readErrors);
    for (const i of infos) byFile.push({ ri: i.resource, name: i.object.metadata!.name!, namespace: i.object.metadata?.namespace, source: i.source });
  } else {
    targets = parseTargets(args, 'delete');
    if (targets.length === 0) {
      throw new CliError("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
    }
    const selecting = !!(opts.selector || opts.fieldSelector || opts.all);
    for (const t of targets) {
      if (t.names.length === 0 && !selecting) throw new CliError('error: resource(s) were provided, but no name was specified');
      if (t.names.length > 0 && (opts.selector || opts.all)) throw new CliError('error: name cannot be provided when a selector is specified');
    }
  }
  const suffix = dryRunSuffix(dryRun);
  /** what was deleted but may still be finishing (graceful deletion, finalizers) */
  const pending: { ri: ResourceInfo; name: string; namespace?: string; uid?: string }[] = [];
  await cli.withClient(dryRun === 'none', async (client) => {
    const items: { ri: ResourceInfo; name: string; namespace?: string; source?: string }[] = [...byFile];
    for (const t of targets) {
      if (t.names.length) for (const name of t.names) items.push({ ri: t.resource, name });
      else {
        const list = await client.list(t.resource, { allNamespaces: !!opts.allNamespaces, labelSelector: opts.selector, fieldSelector: opts.fieldSelector });
        for (const o of list.items) items.push({ ri: t.resource, name: o.metadata.name, namespace: o.metadata.namespace });
      }
    }
    if (items.length === 0 && targets.length > 0) {
      cli.out('No resources found\n');
      return;
    }
    for (const it of items) {
      const namespace = it.ri.namespaced ? it.namespace ?? client.namespace : undefined;
      try {
        const live = dryRun === 'client' ? await client.get(it.ri, it.name, namespace) : undefined;
        void live;
        if (dryRun !== 'client') {
          const res = await client.delete(it.ri, it.name, {
            namespace, propagationPolicy: policy, dryRun: dryRun === 'server',
            gracePeriodSeconds: grace >= 0 ? grace : undefined,
          });
          if (dryRun === 'none' && res?.metadata?.deletionTimestamp) pending.push({ ri: it.ri, name: it.name, namespace, uid: res.metadata.uid });
        }
        if (opts.output === 'name') cli.out(`${nameOf({ kind: it.ri.kind, metadata: { name: it.name } }, it.ri)}\n`);
        else cli.out(`${it.ri.kind.toLowerCase()}${it.ri.group ? `.${it.ri.group}` : ''} "${it.name}" deleted${suffix}\n`);
      } catch (e) {
        if (e instanceof ApiError) {
          if (e.code === 404 && opts.ignoreNotFound) continue;
          // Objects read from a file name it, as kubectl's AddSourceToErr does.
          const named = it.source ? withSource('deleting', it.source, e) : e;
          errors.push(typeof named === 'string' ? named : formatApiError(named));
        } else throw e;
      }
    }
  });
  if (pending.length && waitFlag(opts.wait)) await waitForDeletion(cli, pending, opts.timeout);
  if (errors.length) {
    cli.err(errors.map((e) => `${e}\n`).join(''));
    process.exitCode = 1;
  }
}

/**
 * kubectl delete waits (--wait, the default) until what it deleted is really gone: a pod on a node
 * stays Terminating until its kubelet has stopped its containers. Each poll brings the simulated
 * cluster up to the present. A cluster in manual time cannot get there by itself, so there is
 * nothing to wait for.
 */
async function waitForDeletion(cli: Cli, items: { ri: ResourceInfo; name: string; namespace?: string; uid?: string }[], timeout?: string): Promise<void> {
  const limitMs = timeout ? parseDurationMs(timeout) : 0;
  const deadline = limitMs > 0 ? Date.now() + limitMs : Infinity;
  let left = items;
  for (;;) {
    const manual = await cli.withClient(false, async (client, session) => {
      const still: typeof items = [];
      for (const it of left) {
        try {
          const o = await client.get(it.ri, it.name, it.namespace);
          if (o?.metadata?.uid === it.uid) still.push(it);
        } catch (e) {
          if (!(e instanceof ApiError && e.code === 404)) throw e;
        }
      }
      left = still;
      return session.api.store.meta.time?.mode === 'manual';
    });
    if (left.length === 0 || manual) return;
    if (Date.now() >= deadline) {
      const it = left[0];
      throw new CliError(`error: timed out waiting for the condition on ${it.ri.name}${it.ri.group ? `.${it.ri.group}` : ''}/${it.name}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** --wait, --wait=true, --wait=false (pflag's bool spellings) */
function waitFlag(v: string | boolean | undefined): boolean {
  if (v === undefined || v === true) return true;
  const s = String(v).replace(/^=/, '');
  if (['true', '1', 't', 'T', 'TRUE', 'True'].includes(s)) return true;
  if (['false', '0', 'f', 'F', 'FALSE', 'False'].includes(s)) return false;
  throw new CliError(`Error: invalid argument "${s}" for "--wait" flag: strconv.ParseBool: parsing "${s}": invalid syntax`);
}

function parseDurationMs(s: string): number {
  try {
    return parseGoDuration(s);
  } catch (e) {
    throw new CliError(`error: invalid argument "${s}" for "--timeout" flag: ${(e as Error).message}`);
  }
}
