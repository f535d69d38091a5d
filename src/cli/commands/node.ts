// minikctl node: the simulated machines themselves failing, returning, joining and leaving, as a
// cloud console or `kind` would do it to a real cluster. Everything else is the cluster's doing:
//
//   node stop NAME     the machine stops: its kubelet no longer renews its Lease nor posts status.
//                      After 50s the node lifecycle controller makes it NotReady (conditions
//                      Unknown, node.kubernetes.io/unreachable taints), and 300s later the taint
//                      eviction controller deletes its pods, which stay Terminating there while
//                      their controllers replace them on other nodes.      → node/NAME stopped
//   node start NAME    the machine runs again: its kubelet posts Ready, the taints go, and the pods
//                      deleted meanwhile are finished off.                   → node/NAME started
//   node add [NAME]    a new machine joins (next kind name, IP, pod range, zone); its kubelet
//                      registers the Node and DaemonSets place their pods.   → node/NAME added
//   node remove NAME   the machine leaves and its Node is deleted (as `kubectl delete node`); the
//                      pod garbage collector removes the pods still bound to it 40s later. Drain it
//                      first (`minikctl drain NAME`) to move them gracefully. → node/NAME removed
//
// A node already in the asked state is reported ("node/NAME already stopped") and left alone, as
// `cordon` does. An unknown node is the apiserver's NotFound.
import type { Command } from 'commander';
import type { Cli } from '../cli.js';
import { formatApiError } from '../cli.js';
import { CliError } from '../errors.js';
import { ApiError } from '../../apiserver/errors.js';
import { resolveResource } from '../../apiserver/resources.js';
import type { KObject } from '../../apiserver/types.js';
import { tryParseQuantity } from '../../apiserver/quantity.js';
import { isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../../apiserver/validation/semantic/names.js';
import type { ClusterConfig, MachineSpec, Taint } from '../../cluster/config.js';
import { MAX_NODES } from '../../cluster/cluster-file.js';
import { addMachine, findMachine, newMachine, removeMachine, startMachine, stopMachine, type MachineOptions } from '../../cluster/nodes.js';
import type { Session } from '../../cluster/session.js';
import type { Client } from '../../client/client.js';
import { kubeletStateKey } from '../../kubelet/index.js';

const NODES = resolveResource('nodes')!;
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

const usage = (sub: string, msg: string) => new CliError(`error: ${msg}\nSee 'minikctl node ${sub} -h' for help and examples`);

/** NAME, node/NAME or nodes/NAME */
function nodeArg(sub: string, args: string[]): string {
  if (args.length !== 1) throw usage(sub, `exactly one NAME is required, got ${args.length}`);
  const arg = args[0];
  const slash = arg.indexOf('/');
  if (slash < 0) return arg;
  const ri = resolveResource(arg.slice(0, slash));
  if (!ri) throw new CliError(`error: the server doesn't have a resource type "${arg.slice(0, slash)}"`);
  if (ri.kind !== 'Node') throw new CliError(`error: expected resource of type node, got "${ri.name}"`);
  return arg.slice(slash + 1);
}

const configOf = (s: Session): ClusterConfig => {
  const cfg: ClusterConfig | undefined = s.api.store.meta.config;
  if (!cfg) throw new CliError('error: this cluster has no machine configuration: recreate it with `minikctl cluster create`');
  return cfg;
};

/** the Node, through the API (an unknown one is the apiserver's NotFound) */
async function getNode(client: Client, name: string): Promise<KObject> {
  try {
    return await client.get(NODES, name);
  } catch (e) {
    if (e instanceof ApiError) throw new CliError(formatApiError(e));
    throw e;
  }
}

/** the machine behind a Node; a Node created through the API has none */
function machineOf(cfg: ClusterConfig, name: string, verb: string): MachineSpec {
  const m = findMachine(cfg, name);
  if (!m) throw new CliError(`error: cannot ${verb} node "${name}": no machine of this cluster backs it (it was created through the API)`);
  return m;
}

async function stop(cli: Cli, args: string[]): Promise<void> {
  const name = nodeArg('stop', args);
  await cli.withClient(true, async (client, s) => {
    await getNode(client, name);
    const m = machineOf(configOf(s), name, 'stop');
    if (!m.running) {
      cli.out(`node/${name} already stopped\n`);
      return;
    }
    await stopMachine(s.api, m);
    s.trace.as('minikctl').record('stop', `node/${name}`, 'machine stopped: its kubelet no longer renews its Lease nor posts status');
    cli.out(`node/${name} stopped\n`);
  });
}

async function start(cli: Cli, args: string[]): Promise<void> {
  const name = nodeArg('start', args);
  await cli.withClient(true, async (client, s) => {
    await getNode(client, name);
    const m = machineOf(configOf(s), name, 'start');
    if (m.running) {
      cli.out(`node/${name} already running\n`);
      return;
    }
    startMachine(s.api, m);
    s.trace.as('minikctl').record('start', `node/${name}`, 'machine running again: its kubelet resumes');
    cli.out(`node/${name} started\n`);
  });
}

// ---- node add ----

interface AddFlags {
  role?: string;
  cpu?: string;
  memory?: string;
  pods?: string;
  ephemeralStorage?: string;
  zone?: string;
  labels?: string;
  taints?: string;
}

function quantityFlag(flag: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const q = tryParseQuantity(v);
  if (!q) throw new CliError(`error: invalid ${flag} "${v}": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  if (q.nanos <= 0n) throw new CliError(`error: invalid ${flag} "${v}": must be greater than 0`);
  return v;
}

/** --labels a=b,c=d */
function parseLabels(s: string | undefined): Record<string, string> | undefined {
  if (s === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const part of s.split(',').filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new CliError(`error: invalid label "${part}": expected KEY=VALUE`);
    const [k, v] = [part.slice(0, eq), part.slice(eq + 1)];
    const errs = [...isQualifiedName(k), ...isValidLabelValue(v)];
    if (errs.length) throw new CliError(`error: invalid label "${part}": ${errs.join(', ')}`);
    out[k] = v;
  }
  return out;
}

/** --taints key=value:Effect,key:Effect (the spec `kubectl taint` takes) */
function parseTaints(s: string | undefined): Taint[] | undefined {
  if (s === undefined) return undefined;
  const out: Taint[] = [];
  for (const part of s.split(',').filter(Boolean)) {
    const colon = part.lastIndexOf(':');
    const effect = colon < 0 ? '' : part.slice(colon + 1);
    if (!EFFECTS.includes(effect)) throw new CliError(`error: invalid taint spec: ${part}, unsupported taint effect "${effect}"`);
    const kv = part.slice(0, colon);
    const eq = kv.indexOf('=');
    const key = eq < 0 ? kv : kv.slice(0, eq);
    const value = eq < 0 ? undefined : kv.slice(eq + 1);
    const errs = [...isQualifiedName(key), ...(value ? isValidLabelValue(value) : [])];
    if (errs.length) throw new CliError(`error: invalid taint spec: ${part}, ${errs.join('; ')}`);
    if (out.some((t) => t.key === key && t.effect === effect)) throw new CliError(`error: invalid taint spec: ${part}, duplicated taint key and effect`);
    out.push(value ? { key, value, effect: effect as Taint['effect'] } : { key, effect: effect as Taint['effect'] });
  }
  return out;
}

function addOptions(nameArg: string | undefined, f: AddFlags): MachineOptions {
  const o: MachineOptions = {};
  if (nameArg !== undefined) {
    const errs = isDNS1123Subdomain(nameArg);
    if (errs.length) throw new CliError(`error: invalid node name "${nameArg}": ${errs.join(', ')}`);
    o.name = nameArg;
  }
  if (f.role !== undefined) {
    if (f.role !== 'worker' && f.role !== 'control-plane') throw new CliError(`error: invalid --role "${f.role}": must be worker or control-plane`);
    o.role = f.role;
  }
  o.cpu = quantityFlag('--cpu', f.cpu);
  o.memory = quantityFlag('--memory', f.memory);
  o.ephemeralStorage = quantityFlag('--ephemeral-storage', f.ephemeralStorage);
  if (f.pods !== undefined) {
    const n = Number(f.pods);
    if (!/^\d+$/.test(f.pods) || n < 1 || n > 10000) throw new CliError(`error: invalid --pods "${f.pods}": must be an integer between 1 and 10000`);
    o.pods = n;
  }
  if (f.zone !== undefined) {
    const errs = isValidLabelValue(f.zone);
    if (errs.length || !f.zone) throw new CliError(`error: invalid --zone "${f.zone}": ${errs.join(', ') || 'must not be empty'}`);
    o.zone = f.zone;
  }
  o.labels = parseLabels(f.labels);
  o.taints = parseTaints(f.taints);
  for (const k of Object.keys(o) as (keyof MachineOptions)[]) if (o[k] === undefined) delete o[k];
  return o;
}

async function add(cli: Cli, args: string[], flags: AddFlags): Promise<void> {
  if (args.length > 1) throw usage('add', `at most one NAME may be given, got ${args.length}`);
  const opts = addOptions(args[0], flags);
  await cli.withClient(true, async (client, s) => {
    const cfg = configOf(s);
    if (cfg.nodes.length >= MAX_NODES) throw new CliError(`error: the cluster has ${cfg.nodes.length} nodes, the most minikctl simulates`);
    const existing = new Set<string>((await client.list(NODES)).items.map((n: KObject) => n.metadata!.name!));
    if (opts.name && (existing.has(opts.name) || findMachine(cfg, opts.name))) {
      throw new CliError(`Error from server (AlreadyExists): nodes "${opts.name}" already exists`);
    }
    let m: MachineSpec;
    try {
      m = newMachine(cfg, s.api.store.meta.name, opts, existing);
    } catch (e: any) {
      throw new CliError(`error: cannot add a node: ${e.message}`);
    }
    addMachine(cfg, m);
    s.api.store.touchMeta(true);
    s.trace.as('minikctl').record('add', `node/${m.name}`, `machine joined: ${m.role}, ${m.cpu} CPU, ${m.memory}, zone ${m.zone}, ${m.ip}, pods ${m.podCIDR}`);
    cli.out(`node/${m.name} added\n`);
  });
}

async function remove(cli: Cli, args: string[]): Promise<void> {
  const name = nodeArg('remove', args);
  await cli.withClient(true, async (client, s) => {
    await getNode(client, name);
    const cfg = configOf(s);
    const m = findMachine(cfg, name);
    if (m?.role === 'control-plane' && cfg.nodes.filter((x) => x.role === 'control-plane').length === 1) {
      throw new CliError(`error: cannot remove node "${name}": it is the cluster's only control-plane node`);
    }
    try {
      await client.delete(NODES, name);
    } catch (e) {
      if (e instanceof ApiError) throw new CliError(formatApiError(e));
      throw e;
    }
    if (m) {
      removeMachine(cfg, name);
      // The machine's disk goes with it: the kubelet's records of its pods and images.
      delete s.api.store.meta.components?.[kubeletStateKey(name)];
      s.api.store.touchMeta(true);
    }
    s.trace.as('minikctl').record('remove', `node/${name}`, 'machine left the cluster; its Node deleted');
    cli.out(`node/${name} removed\n`);
  });
}

export function register(cli: Cli): void {
  const node = cli.program
    .command('node')
    .description('Stop, start, add and remove the simulated machines (nodes): a machine failing, returning, joining and leaving. A stopped node goes NotReady after 50s and its pods are evicted after 300s.')
    .usage('SUBCOMMAND NAME [options]')
    .argument('[subcommand...]')
    .action(([sub]: string[]) => {
      if (sub) throw new CliError(`error: unknown command "${sub}" for "minikctl node"\nSee 'minikctl node -h' for help and examples`);
      cli.out(node.helpInformation());
    });
  const sub = (name: string, description: string): Command => node.command(name).description(description).argument('[name...]');

  sub('stop', 'Stop a machine: its kubelet stops renewing its Lease and posting status. Prints node/NAME stopped (or "already stopped").')
    .usage('NAME')
    .action((names: string[]) => stop(cli, names));
  sub('start', 'Start a stopped machine again: it boots, its kubelet finds its containers gone and restarts them. Prints node/NAME started (or "already running").')
    .usage('NAME')
    .action((names: string[]) => start(cli, names));
  sub('add', 'Add a machine: its kubelet registers a Node (default name <cluster>-workerN). Prints node/NAME added.')
    .usage('[NAME] [options]')
    .option('--role <role>', 'worker or control-plane', undefined)
    .option('--cpu <quantity>', 'CPU capacity (default 4)')
    .option('--memory <quantity>', 'memory capacity (default 8Gi)')
    .option('--pods <n>', 'pod capacity (default 110)')
    .option('--ephemeral-storage <quantity>', 'ephemeral storage capacity (default 100Gi)')
    .option('--zone <zone>', 'topology.kubernetes.io/zone (default: the next of local-a, local-b, local-c)')
    .option('--labels <labels>', 'node labels, e.g. disktype=ssd,tier=fast')
    .option('--taints <taints>', 'node taints, e.g. dedicated=gpu:NoSchedule')
    .action((names: string[], flags: AddFlags) => add(cli, names, flags));
  sub('remove', 'Remove a machine: its Node is deleted; pods still bound to it are garbage collected. Prints node/NAME removed.')
    .alias('delete')
    .usage('NAME')
    .action((names: string[]) => remove(cli, names));
}
