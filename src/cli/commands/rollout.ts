// minikctl rollout status|history|undo|pause|resume|restart, as kubectl's rollout commands.
// `status` blocks: it reads the cluster again every ~150 ms of wall time (each read brings the
// simulated cluster up to the present) until the rollout is done, fails, or --timeout passes.
import type { Command } from 'commander';
import type { Cli } from '../cli.js';
import { CliError } from '../errors.js';
import { checkOutputFormat, formatObjects, nameOf } from '../output.js';
import { parseDryRun, dryRunSuffix } from '../dry-run.js';
import { ApiError } from '../../apiserver/errors.js';
import { resourceFor } from '../../apiserver/apiserver.js';
import type { KObject } from '../../apiserver/types.js';
import type { Client } from '../../client/client.js';
import type { Session } from '../../cluster/session.js';
import { select, fetchItems, reportErrors, type Item, type Selection } from '../../client/set/targets.js';
import { statusFor, groupKind } from '../../client/rollout/status.js';
import { deploymentHistory, controllerRevisionHistory, viewHistory, podTemplateText, type History } from '../../client/rollout/history.js';
import { planUndo, planRevisionUndo } from '../../client/rollout/undo.js';
import { pause, resume, restart, rfc3339Local } from '../../client/rollout/restart.js';
import { parseGoDuration, parseGoInt } from '../../client/rollout/flags.js';
import { createTwoWayMergePatch } from '../../client/apply/strategic-merge.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

function withFiles(cmd: Command, what: string): Command {
  return cmd
    .argument('[args...]')
    .option('-f, --filename <file>', `Filename, directory, or URL to files identifying the resource to ${what}.`, collect)
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.');
}

const HELP = `Manage the rollout of one or many resources.

 Valid resource types include:

  *  deployments
  *  daemonsets
  *  statefulsets

Available Commands:
  history       View rollout history
  pause         Mark the provided resource as paused
  restart       Restart a resource
  resume        Resume a paused resource
  status        Show the status of the rollout
  undo          Undo a previous rollout

Usage:
  minikctl rollout SUBCOMMAND [options]

Use "minikctl rollout <command> --help" for more information about a given command.
`;

export function register(cli: Cli): void {
  const rollout = cli.program.command('rollout').description('Manage the rollout of a resource').usage('SUBCOMMAND [options]');
  rollout.action(() => {
    throw new CliError(HELP);
  });
  withFiles(rollout.command('status').description('Show the status of the rollout'), 'get from a server')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('-w, --watch', 'Watch the status of the rollout until it\'s done.')
    .option('--no-watch', 'Print the status once and return.')
    .option('--revision <n>', 'Pin to a specific revision for showing its status. Defaults to 0 (last revision).')
    .option('--timeout <duration>', 'The length of time to wait before ending watch, zero means never.', '0s')
    .action(async (args: string[], opts: any) => runStatus(cli, args, opts));
  withFiles(rollout.command('history').description('View rollout history'), 'get from a server')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--revision <n>', 'See the details, including podTemplate of the revision specified')
    .option('-o, --output <format>', 'Output format.')
    .action(async (args: string[], opts: any) => runHistory(cli, args, opts));
  withFiles(rollout.command('undo').description('Undo a previous rollout'), 'get from a server')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--to-revision <n>', 'The revision to rollback to. Default to 0 (last revision).')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client".')
    .option('-o, --output <format>', 'Output format.')
    .action(async (args: string[], opts: any) => runUndo(cli, args, opts));
  for (const verb of ['pause', 'resume', 'restart'] as const) {
    const desc = { pause: 'Mark the provided resource as paused', resume: 'Resume a paused resource', restart: 'Restart a resource' }[verb];
    withFiles(rollout.command(verb).description(desc), 'get from a server')
      .option('-l, --selector <selector>', 'Selector (label query) to filter on')
      .option('-o, --output <format>', 'Output format.')
      .option('--field-manager <name>', 'Name of the manager used to track field ownership.', 'kubectl-rollout')
      .action(async (args: string[], opts: any) => runPatchVerb(cli, verb, args, opts));
  }
}

/** What every rollout verb does first: a resource is required; a bare type means all of that type. */
function selection(args: string[], opts: any, verb: string): Selection {
  if (args.length === 0 && !opts.filename?.length) throw new CliError('error: required resource not specified');
  return select(args, { ...opts, all: true }, `rollout ${verb}`);
}

function revisionFlag(v: string | undefined, flag: string, verb: string): number {
  const n = parseGoInt(v, flag, `rollout ${verb}`);
  return n;
}

// ---- status ----

const SUPPORTED = new Set(['Deployment', 'DaemonSet', 'StatefulSet']);

async function runStatus(cli: Cli, args: string[], opts: any): Promise<void> {
  const revision = revisionFlag(opts.revision, '--revision', 'status');
  const timeoutMs = parseGoDuration(opts.timeout, '--timeout', 'rollout status');
  if (args.length === 0 && !opts.filename?.length) throw new CliError('error: required resource not specified');
  if (revision < 0) throw new CliError(`error: revision must be a positive integer: ${revision}`);
  const sel = selection(args, opts, 'status');
  const watch = opts.watch !== false;
  const started = Date.now();
  let namespace = 'default';
  const { items, errors } = await cli.withClient(false, async (client) => {
    namespace = client.namespace;
    const errors: unknown[] = [];
    const items = await fetchItems(client, sel, (e) => errors.push(e));
    return { items, errors };
  });
  if (errors.length) {
    reportErrors(errors.slice(0, 1), (s) => cli.err(s));
    return;
  }
  if (items.length === 0) {
    cli.err(`No resources found in ${namespace} namespace.\n`);
    return;
  }
  for (const it of items) {
    if (!SUPPORTED.has(String(it.object.kind))) throw new CliError(`error: no status viewer has been implemented for ${groupKind(it.object)}`);
    await watchOne(cli, it, revision, watch, timeoutMs, started);
  }
}

async function watchOne(cli: Cli, it: Item, revision: number, watch: boolean, timeoutMs: number, started: number): Promise<void> {
  let last: string | undefined;
  for (;;) {
    const r = await cli.withClient(false, async (client, session) => {
      try {
        const obj = await client.get(it.ri, it.name, it.namespace);
        return { obj, manual: isManual(session) };
      } catch (e) {
        if (e instanceof ApiError && e.code === 404 && last !== undefined) throw new CliError('error: object has been deleted');
        throw e;
      }
    });
    const s = statusFor(r.obj, revision);
    if (s.error) throw new CliError(`error: ${s.error}`);
    // kubectl prints on every change it sees; a poll sees changes, so a line is printed when it differs.
    if (s.message !== last) cli.out(s.message);
    last = s.message;
    if (s.done || !watch) return;
    if (timeoutMs > 0 && Date.now() - started >= timeoutMs) throw new CliError('error: timed out waiting for the condition');
    if (r.manual) throw new CliError(MANUAL_HINT);
    await sleep(150);
  }
}

const MANUAL_HINT =
  'error: the cluster\'s clock is in manual mode and does not move by itself, so this would wait forever; move it on with "minikctl cluster advance <duration>" (e.g. "minikctl cluster advance 30s"), then ask again';

export function isManual(session: Session): boolean {
  return (session.api.store.meta as any)?.time?.mode === 'manual';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- history ----

async function historyOf(client: Client, obj: KObject): Promise<History> {
  const ns = obj.metadata?.namespace;
  if (obj.kind === 'Deployment') {
    const rss = await client.list(resourceFor('replicasets'), { namespace: ns });
    return deploymentHistory(obj, rss.items);
  }
  const crs = await client.list(resourceFor('controllerrevisions'), { namespace: ns });
  return controllerRevisionHistory(obj, crs.items);
}

/** The objects the arguments name; on the first error kubectl reports it and stops (undefined). */
async function fetchOrReport(cli: Cli, client: Client, sel: Selection): Promise<Item[] | undefined> {
  const errors: unknown[] = [];
  const items = await fetchItems(client, sel, (e) => errors.push(e));
  if (!errors.length) return items;
  reportErrors(errors.slice(0, 1), (s) => cli.err(s));
  return undefined;
}

async function runHistory(cli: Cli, args: string[], opts: any): Promise<void> {
  const revision = revisionFlag(opts.revision, '--revision', 'history');
  checkOutputFormat(opts.output);
  if (args.length === 0 && !opts.filename?.length) throw new CliError('error: required resource not specified');
  if (revision < 0) throw new CliError(`error: revision must be a positive integer: ${revision}`);
  const sel = selection(args, opts, 'history');
  await cli.withClient(false, async (client) => {
    const items = await fetchOrReport(cli, client, sel);
    if (!items) return;
    for (const it of items) {
      if (!SUPPORTED.has(String(it.object.kind))) throw new CliError(`error: no history viewer has been implemented for ${groupKind(it.object)}`);
      if (opts.output) {
        await printHistoryObjects(cli, client, it, revision, opts.output);
        continue;
      }
      const h = await historyOf(client, it.object);
      const v = viewHistory(h, revision);
      if (v.error) throw new CliError(`error: ${v.error}`);
      const op = revision > 0 ? ` with revision #${revision}` : ' ';
      cli.out(`${nameOf(it.object, it.ri)}${op}\n${v.text}\n`);
    }
  });
}

/** history -o: the ReplicaSets (or ControllerRevisions) themselves, in revision order. */
async function printHistoryObjects(cli: Cli, client: Client, it: Item, revision: number, output: string): Promise<void> {
  const ns = it.object.metadata?.namespace;
  const isDeploy = it.object.kind === 'Deployment';
  const list = await client.list(resourceFor(isDeploy ? 'replicasets' : 'controllerrevisions'), { namespace: ns });
  const { ownedBy, revisionOf } = await import('../../client/rollout/util.js');
  const rev = (o: KObject) => (isDeploy ? revisionOf(o) : Number(o.revision ?? 0));
  const objs = ownedBy(it.object, list.items as KObject[]).filter((o) => rev(o) !== undefined).sort((a, b) => rev(a)! - rev(b)!);
  if (revision > 0) {
    const one = objs.find((o) => rev(o) === revision);
    if (!one) throw new CliError('error: unable to find the specified revision');
    cli.out(formatObjects([one], output, true));
    return;
  }
  for (const o of objs) cli.out(formatObjects([o], output, true));
}

// ---- undo ----

async function runUndo(cli: Cli, args: string[], opts: any): Promise<void> {
  const toRevision = revisionFlag(opts.toRevision, '--to-revision', 'undo');
  checkOutputFormat(opts.output);
  const dryRun = parseDryRun(opts.dryRun);
  const sel = selection(args, opts, 'undo');
  await cli.withClient(dryRun === 'none', async (client) => {
    const items = await fetchOrReport(cli, client, sel);
    if (!items) return;
    for (const it of items) {
      const obj = it.object;
      if (!SUPPORTED.has(String(obj.kind))) throw new CliError(`error: no rollbacker has been implemented for "${groupKind(obj)}"`);
      const ns = obj.metadata?.namespace;
      let result: string;
      if (obj.kind === 'Deployment') {
        const rss = await client.list(resourceFor('replicasets'), { namespace: ns });
        const plan = planUndo(obj, rss.items, toRevision, dryRun === 'client');
        if (plan.kind === 'error') throw new CliError(`error: ${plan.message}`);
        if (plan.kind === 'dry-run') result = podTemplateText(plan.template);
        else if (plan.kind === 'skip') result = plan.message;
        else {
          try {
            await client.patch(it.ri, it.name, 'json', plan.patch, { namespace: ns, dryRun: dryRun === 'server', fieldManager: 'kubectl-rollout' });
          } catch (e: any) {
            throw new CliError(`error: failed restoring revision ${toRevision}: ${e?.status?.message ?? e?.message}`);
          }
          result = 'rolled back';
        }
      } else {
        const crs = await client.list(resourceFor('controllerrevisions'), { namespace: ns });
        const plan = planRevisionUndo(obj, crs.items, toRevision, dryRun === 'client');
        if (plan.kind === 'error') throw new CliError(`error: ${plan.message}`);
        if (plan.kind === 'dry-run') result = podTemplateText(plan.template);
        else if (plan.kind === 'skip') result = plan.message;
        else if (plan.kind === 'strategic') {
          try {
            await client.patch(it.ri, it.name, 'strategic', plan.patch, { namespace: ns, dryRun: dryRun === 'server', fieldManager: 'kubectl-rollout' });
          } catch (e: any) {
            throw new CliError(`error: failed restoring revision ${toRevision}: ${e?.status?.message ?? e?.message}`);
          }
          result = 'rolled back';
        } else result = 'rolled back';
      }
      if (opts.output) cli.out(formatObjects([obj], opts.output, true));
      else cli.out(`${nameOf(obj, it.ri)} ${result}${dryRunSuffix(dryRun)}\n`);
    }
  });
}

// ---- pause, resume, restart ----

async function runPatchVerb(cli: Cli, verb: 'pause' | 'resume' | 'restart', args: string[], opts: any): Promise<void> {
  checkOutputFormat(opts.output);
  const sel = selection(args, opts, verb);
  await cli.withClient(true, async (client, session) => {
    const errors: unknown[] = [];
    const items = await fetchItems(client, sel, (e) => errors.push(e));
    if (items.length === 0 && errors.length === 0) {
      cli.err(`No resources found in ${client.namespace} namespace.\n`);
      return;
    }
    const stamp = rfc3339Local(session.clock.now());
    for (const it of items) {
      const next = verb === 'pause' ? pause(it.object) : verb === 'resume' ? resume(it.object) : restart(it.object, stamp);
      if (typeof next === 'string') {
        errors.push(`error: ${it.ri.name}${it.ri.group ? `.${it.ri.group}` : ''} "${it.name}" ${next}`);
        continue;
      }
      const patch = createTwoWayMergePatch(it.object, next, { apiVersion: it.object.apiVersion, kind: it.object.kind });
      if (Object.keys(patch).length === 0) {
        if (verb === 'restart') {
          errors.push(`failed to create patch for ${it.name}: if restart has already been triggered within the past second, please wait before attempting to trigger another`);
        } else {
          print(it.object, it, verb === 'pause' ? 'already paused' : 'already resumed');
        }
        continue;
      }
      try {
        const obj = await client.patch(it.ri, it.name, 'strategic', patch, { namespace: it.namespace, fieldManager: opts.fieldManager ?? 'kubectl-rollout' });
        print(obj, it, { pause: 'paused', resume: 'resumed', restart: 'restarted' }[verb]);
      } catch (e: any) {
        errors.push(`failed to patch: ${e?.status?.message ?? e?.message}`);
      }
    }
    reportErrors(errors, (s) => cli.err(s));
  });
  function print(obj: KObject, it: Item, op: string): void {
    if (opts.output) cli.out(formatObjects([obj], opts.output, true));
    else cli.out(`${nameOf(obj, it.ri)} ${op}\n`);
  }
}
