// minikctl drain NODE: cordon the node, then evict its pods through the eviction API (respecting
// PodDisruptionBudgets, retrying every 5 s while one forbids it) and wait until they are gone, as
// kubectl drain does (k8s.io/kubectl/pkg/cmd/drain). The per-node work is in client/drain.
import type { Cli } from '../cli.js';
import { formatApiError } from '../cli.js';
import { CliError } from '../errors.js';
import { ApiError } from '../../apiserver/errors.js';
import { resolveResource } from '../../apiserver/resources.js';
import { parseLabelSelector } from '../../apiserver/selectors.js';
import type { KObject } from '../../apiserver/types.js';
import { parseDryRun, dryRunSuffix } from '../dry-run.js';
import { parseGoDuration } from '../../cluster/go-duration.js';
import { drainNode, errorText, type DrainError, type DrainIO, type DrainOptions } from '../../client/drain/drainer.js';
import { isManual } from './rollout.js';

export function register(cli: Cli): void {
  cli.program
    .command('drain')
    .description('Drain node in preparation for maintenance')
    .usage('NODE [options]')
    .argument('[nodes...]')
    .option('--force', 'Continue even if there are pods not managed by a ReplicationController, ReplicaSet, Job, DaemonSet or StatefulSet.')
    .option('--ignore-daemonsets', 'Ignore DaemonSet-managed pods.')
    .option('--delete-emptydir-data', 'Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained).')
    .option('--delete-local-data', 'Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained).')
    .option('--grace-period <seconds>', 'Period of time in seconds given to each pod to terminate gracefully. If negative, the default value specified in the pod will be used.', '-1')
    .option('--timeout <duration>', 'The length of time to wait before giving up, zero means infinite', '0s')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--pod-selector <selector>', 'Label selector to filter pods on the node')
    .option('--disable-eviction', 'Force drain to use delete, even if eviction is supported. This will bypass checking PodDisruptionBudgets, use with caution.')
    .option('--skip-wait-for-delete-timeout <seconds>', 'If pod DeletionTimestamp older than N seconds, skip waiting for the pod.  Seconds must be greater than 0 to skip.', '0')
    .option('--chunk-size <size>', 'Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future.', '500')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.')
    .action(async (nodes: string[], opts: any) => run(cli, nodes, opts));
}

const usage = (msg: string) => new CliError(`error: ${msg}\nSee 'minikctl drain -h' for help and examples`);

/** pflag's error for a flag value it cannot parse */
const badFlag = (flag: string, v: string, why: string) => new CliError(`Error: invalid argument "${v}" for "${flag}" flag: ${why}\nSee 'minikctl drain --help' for usage.`);

function intFlag(flag: string, v: string): number {
  if (!/^[+-]?\d+$/.test(String(v))) throw badFlag(flag, v, `strconv.ParseInt: parsing "${v}": invalid syntax`);
  return Number(v);
}

/** "node/x", "nodes/x", "no/x" and bare names all name a node, as the resource builder allows. */
function nodeName(arg: string): string {
  const slash = arg.indexOf('/');
  if (slash < 0) return arg;
  const ri = resolveResource(arg.slice(0, slash));
  if (!ri) throw new CliError(`error: the server doesn't have a resource type "${arg.slice(0, slash)}"`);
  if (ri.kind !== 'Node') throw new CliError(`error: error: expected resource of type node, got "${ri.group}/${ri.version}, Resource=${ri.name}"`);
  return arg.slice(slash + 1);
}

export function parseOptions(opts: any): DrainOptions {
  let timeoutMs: number;
  try {
    timeoutMs = parseGoDuration(String(opts.timeout));
  } catch (e) {
    throw badFlag('--timeout', String(opts.timeout), (e as Error).message);
  }
  if (opts.deleteLocalData) process.stderr.write('Flag --delete-local-data has been deprecated, This option is deprecated and will be deleted. Use --delete-emptydir-data.\n');
  return {
    force: !!opts.force,
    ignoreDaemonSets: !!opts.ignoreDaemonsets,
    deleteEmptyDirData: !!(opts.deleteEmptydirData || opts.deleteLocalData),
    gracePeriodSeconds: intFlag('--grace-period', opts.gracePeriod),
    timeoutMs: Math.max(0, timeoutMs),
    podSelector: opts.podSelector,
    disableEviction: !!opts.disableEviction,
    dryRun: parseDryRun(opts.dryRun),
    skipWaitForDeleteTimeoutSeconds: intFlag('--skip-wait-for-delete-timeout', opts.skipWaitForDeleteTimeout),
  };
}

async function run(cli: Cli, args: string[], opts: any): Promise<void> {
  if (args.length === 0 && opts.selector === undefined) throw usage('USAGE: drain NODE [flags]');
  if (args.length > 0 && opts.selector) throw usage('error: cannot specify both a node name and a --selector option');
  const o = parseOptions(opts);
  intFlag('--chunk-size', opts.chunkSize);
  if (o.podSelector) {
    try {
      parseLabelSelector(o.podSelector);
    } catch {
      throw new CliError('error: --pod-selector=<pod_selector> must be a valid label selector');
    }
  }
  const names = args.map(nodeName);
  const ri = resolveResource('nodes')!;
  const suffix = dryRunSuffix(o.dryRun);

  // RunCordonOrUncordon(true): every node is cordoned before any is drained.
  const nodes = await cli.withClient(o.dryRun === 'none', async (client) => {
    let found: KObject[] = [];
    try {
      if (names.length) for (const n of names) found.push(await client.get(ri, n));
      else found = (await client.list(ri, { labelSelector: opts.selector })).items;
    } catch (e) {
      if (e instanceof ApiError) throw new CliError(formatApiError(e));
      throw e;
    }
    for (const node of found) {
      const name = node.metadata!.name!;
      if (node.spec?.unschedulable) {
        cli.out(`node/${name} already cordoned${suffix}\n`);
        continue;
      }
      if (o.dryRun !== 'client') {
        try {
          await client.patch(ri, name, 'strategic', { spec: { unschedulable: true } }, { dryRun: o.dryRun === 'server', fieldManager: 'kubectl-drain' });
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          cli.err(`error: unable to cordon node "${name}": ${e.status.message}\n`);
          continue;
        }
      }
      cli.out(`node/${name} cordoned${suffix}\n`);
    }
    return found.map((n) => n.metadata!.name!);
  });

  const io: DrainIO = {
    session: (write, fn) => cli.withClient(write, (client, session) => fn(client, { manual: isManual(session), now: session.clock.now() })),
    out: (s) => cli.out(s),
    err: (s) => cli.err(s),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    wallNow: () => Date.now(),
  };
  const fatal: DrainError[] = [];
  const remaining: string[] = [];
  for (const name of nodes) {
    const err = await drainNode(io, name, o);
    if (!err) {
      cli.out(`node/${name} drained${suffix}\n`);
      continue;
    }
    cli.err(`error: unable to drain node "${name}" due to error: ${errorText(err)}, continuing command...\n`);
    fatal.push(err);
    remaining.push(name);
  }
  if (remaining.length) cli.err(`There are pending nodes to be drained:\n${remaining.map((n) => ` ${n}\n`).join('')}`);
  if (fatal.length) throw new CliError(checkErrText(fatal));
}

/**
 * cmdutil.CheckErr of the aggregate of the nodes' errors: an aggregate of one is unwrapped; an
 * aggregate prints one message per line, bare; a plain error gets kubectl's "error: " prefix.
 */
function checkErrText(fatal: DrainError[]): string {
  if (fatal.length > 1) return fatal.map((e) => `${errorText(e)}\n`).join('');
  const e = fatal[0];
  if (e.aggregate) return e.messages.map((m) => `${m}\n`).join('');
  const m = e.messages[0];
  return m.startsWith('error: ') ? m : `error: ${m}`;
}
