// minikctl cluster: the simulated clusters themselves, as kind manages its clusters. Each cluster
// keeps its state under MINIKCTL_HOME/clusters/<name>/ and has a kubeconfig cluster, context and
// user named after it (the default cluster is "minikctl"); `create` switches to the new context.
// The cluster's clock is here too: `advance` moves it on, `status` shows it.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { Command } from 'commander';
import type { Cli } from '../cli.js';
import { CliError } from '../errors.js';
import {
  DEFAULT_CLUSTER, addClusterEntries, clusterDir, clusterOfContext, clusterStatePath, contextForCluster, listClusterStates,
  loadConfig, removeClusterEntries, saveConfig,
} from '../../cluster/home.js';
import { buildClusterConfig, parseClusterFile, TIME_MODES, type ClusterInput } from '../../cluster/cluster-file.js';
import type { ClusterConfig } from '../../cluster/config.js';
import { rfc3339, targetTime, wallClock, type TimeMode, type TimeState } from '../../cluster/clock.js';
import { isDNS1123Label } from '../../apiserver/validation/semantic/names.js';
import { tabwrite } from '../../printers/table/tabwriter.js';
import { translateTimestampSince } from '../../printers/age.js';

// Go durations: src/cluster/go-duration.ts (re-exported for the command's callers).
export { parseGoDuration, formatGoDuration } from '../../cluster/go-duration.js';
import { parseGoDuration, formatGoDuration } from '../../cluster/go-duration.js';

// ---- flags ----

function usageHint(cmd: string): string {
  return `See 'minikctl cluster ${cmd} --help' for usage.`;
}

/** pflag's integer check, with its words */
function intFlag(value: string | undefined, flag: string, cmd: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.replace(/^=/, '');
  if (!/^[+-]?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) {
    throw new CliError(`Error: invalid argument "${v}" for "${flag}" flag: strconv.ParseInt: parsing "${v}": invalid syntax\n${usageHint(cmd)}`);
  }
  const n = Number(v);
  if (n < min) throw new CliError(`error: ${flag} must be ${min === 0 ? 'zero or more' : `at least ${min}`}, got ${n}`);
  return n;
}

function timeModeFlag(value: string | undefined): TimeMode | undefined {
  if (value === undefined) return undefined;
  if (!TIME_MODES.includes(value as TimeMode)) throw new CliError(`error: invalid --time value "${value}": must be one of ${TIME_MODES.join(', ')}`);
  return value as TimeMode;
}

function speedFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) {
    throw new CliError(`Error: invalid argument "${value}" for "--speed" flag: strconv.ParseFloat: parsing "${value}": invalid syntax\n${usageHint('create')}`);
  }
  if (n <= 0 || n > 10000) throw new CliError(`error: --speed must be greater than 0 and at most 10000, got ${value}`);
  return n;
}

function checkName(name: string): void {
  const errs = isDNS1123Label(name);
  if (errs.length) throw new CliError(`error: invalid cluster name "${name}": ${errs.join(', ')}`);
}

// ---- what a state file says about its cluster, read without opening it as a store ----

interface StateSummary {
  name: string;
  config?: ClusterConfig;
  createdAt?: string;
  time?: TimeState;
}

function readSummary(name: string): StateSummary {
  try {
    const d = JSON.parse(readFileSync(clusterStatePath(name), 'utf8'));
    return { name, config: d?.cluster?.config, createdAt: d?.cluster?.createdAt, time: d?.cluster?.time };
  } catch {
    return { name };
  }
}

function timeLabel(mode: TimeMode | undefined, speed: number | undefined): string {
  if (!mode) return '<unknown>';
  return mode === 'realtime' && speed && speed !== 1 ? `realtime x${speed}` : mode;
}

function nodeSummary(config: ClusterConfig): string {
  const cps = config.nodes.filter((n) => n.role === 'control-plane').length;
  const workers = config.nodes.length - cps;
  return `${cps} control-plane, ${workers} worker${workers === 1 ? '' : 's'}`;
}

// ---- subcommands ----

interface CreateOptions {
  nodes?: string;
  config?: string;
  time?: string;
  speed?: string;
  seed?: string;
}

async function create(cli: Cli, nameArg: string | undefined, opts: CreateOptions): Promise<void> {
  const workers = intFlag(opts.nodes, '--nodes', 'create', 0);
  const seed = intFlag(opts.seed, '--seed', 'create', 0);
  const mode = timeModeFlag(opts.time);
  const speed = speedFlag(opts.speed);
  if (workers !== undefined && opts.config) throw new CliError('error: --nodes and --config cannot be used together: set the nodes in the config file');
  let input: ClusterInput = {};
  let fileName: string | undefined;
  if (opts.config) {
    if (!existsSync(opts.config)) throw new CliError(`error: the path "${opts.config}" does not exist`);
    const parsed = parseClusterFile(readFileSync(opts.config, 'utf8'), opts.config);
    input = parsed.input;
    fileName = parsed.name;
  }
  const name = nameArg ?? fileName ?? DEFAULT_CLUSTER;
  checkName(name);
  if (workers !== undefined) input.nodes = [{ role: 'control-plane' }, ...Array.from({ length: workers }, () => ({ role: 'worker' as const }))];
  const { defaultTimeMode } = await import('../../cluster/session.js');
  input.time = { mode: mode ?? input.time?.mode ?? defaultTimeMode(), speed: speed ?? input.time?.speed ?? 1 };
  if (seed !== undefined) input.seed = seed;
  const config = buildClusterConfig(name, input);
  const names = new Set<string>();
  for (const n of config.nodes) {
    if (names.has(n.name)) throw new CliError(`error: invalid cluster config: two nodes are named "${n.name}"`);
    names.add(n.name);
  }
  if (existsSync(clusterStatePath(name))) throw new CliError(`error: cluster "${name}" already exists`);

  cli.out(`Creating cluster "${name}" ...\n`);
  const before = loadConfig();
  const cfg = loadConfig();
  addClusterEntries(cfg, name);
  cfg['current-context'] = name;
  saveConfig(cfg);
  try {
    const { withCluster } = await import('../../cluster/session.js');
    const g = cli.globals();
    await withCluster({ verbosity: g.verbosity, trace: g.trace, context: name }, true, async () => undefined, { create: config });
  } catch (e) {
    // Leave nothing half made: no state, the kubeconfig as it was.
    rmSync(clusterDir(name), { recursive: true, force: true });
    saveConfig(before);
    throw e;
  }
  const cps = config.nodes.filter((n) => n.role === 'control-plane').length;
  cli.out(` ✓ Preparing nodes (${nodeSummary(config)})\n`);
  cli.out(' ✓ Starting control-plane\n');
  cli.out(' ✓ Installing CoreDNS and kube-proxy\n');
  if (config.nodes.length > cps) cli.out(' ✓ Joining worker nodes\n');
  cli.out(`Set kubectl context to "${name}"\n`);
  cli.out(`You can now use your cluster with:\n\nminikctl cluster-info --context ${name}\n`);
}

async function remove(cli: Cli, nameArg: string | undefined): Promise<void> {
  const name = nameArg ?? DEFAULT_CLUSTER;
  const cfg = loadConfig();
  const hasState = existsSync(clusterStatePath(name));
  if (!hasState && !contextForCluster(cfg, name) && !cfg.clusters.some((c) => c.name === name)) {
    throw new CliError(`error: no cluster exists with the name: "${name}"`);
  }
  cli.out(`Deleting cluster "${name}" ...\n`);
  if (hasState) {
    const summary = readSummary(name);
    const { FileLock } = await import('../../storage/lock.js');
    const lock = new FileLock(`${clusterStatePath(name)}.lock`);
    try {
      lock.acquire(0);
    } catch {
      let holder = '';
      try {
        holder = readFileSync(`${clusterStatePath(name)}.lock`, 'utf8').trim();
      } catch {
        /* released meanwhile */
      }
      throw new CliError(`error: cluster "${name}" is in use by process ${holder || '<unknown>'}: wait for that command to finish, then delete the cluster`);
    }
    try {
      rmSync(clusterDir(name), { recursive: true, force: true });
    } finally {
      lock.release();
    }
    const nodes = summary.config?.nodes.map((n) => JSON.stringify(n.name)).join(' ') ?? '';
    cli.out(`Deleted nodes: [${nodes}]\n`);
  }
  removeClusterEntries(cfg, name);
  saveConfig(cfg);
}

function list(cli: Cli, opts: { headers?: boolean; output?: string }): void {
  const cfg = loadConfig();
  const names = listClusterStates();
  if (opts.output !== undefined && opts.output !== 'name') {
    throw new CliError(`error: unable to match a printer suitable for the output format "${opts.output}", allowed formats are: name`);
  }
  if (names.length === 0) {
    cli.err('No clusters found.\n');
    return;
  }
  if (opts.output === 'name') {
    cli.out(names.map((n) => `${n}\n`).join(''));
    return;
  }
  const current = clusterOfContext(cfg, cfg['current-context']);
  const wall = wallClock.now();
  const rows: string[][] = opts.headers === false ? [] : [['CURRENT', 'NAME', 'NODES', 'TIME', 'AGE']];
  for (const n of names) {
    const s = readSummary(n);
    const now = s.time ? targetTime(s.time, wall) : wall;
    rows.push([
      n === current ? '*' : '', n, s.config ? String(s.config.nodes.length) : '<unknown>',
      timeLabel(s.time?.mode ?? s.config?.time.mode, s.time?.speed ?? s.config?.time.speed),
      s.createdAt ? translateTimestampSince(s.createdAt, now) : '<unknown>',
    ]);
  }
  cli.out(tabwrite(rows));
}

function use(cli: Cli, name: string): void {
  const cfg = loadConfig();
  let context = contextForCluster(cfg, name);
  if (!context) {
    if (!existsSync(clusterStatePath(name))) throw new CliError(`error: no cluster exists with the name: "${name}"`);
    addClusterEntries(cfg, name);
    context = name;
  }
  cfg['current-context'] = context;
  saveConfig(cfg);
  cli.out(`Switched to context "${context}".\n`);
}

async function advance(cli: Cli, duration: string): Promise<void> {
  let ms: number;
  try {
    ms = parseGoDuration(duration);
  } catch (e: any) {
    throw new CliError(`error: invalid duration "${duration}": ${e.message}`);
  }
  if (ms < 0) throw new CliError(`error: invalid duration "${duration}": the clock only moves forward`);
  const { withCluster } = await import('../../cluster/session.js');
  await withCluster(cli.globals(), true, async (s) => {
    // withCluster has moved the clock (and run what fell due) before this runs. A move that
    // changed no object must still be saved: the clock is part of the cluster.
    s.api.store.touchMeta(true);
    cli.out(`cluster "${s.identity.clusterName}" advanced by ${formatGoDuration(ms)} to ${rfc3339(s.clock.now())}\n`);
  }, { advanceMs: Math.round(ms) });
}

async function status(cli: Cli): Promise<void> {
  const { withCluster } = await import('../../cluster/session.js');
  await withCluster(cli.globals(), false, async (s) => {
    const meta = s.api.store.meta;
    const config: ClusterConfig | undefined = meta.config;
    const time: TimeState | undefined = meta.time;
    const now = s.clock.now();
    const next = time?.nextWake;
    const rows: [string, string][] = [
      ['Cluster:', s.identity.clusterName],
      ['Context:', s.identity.contextName],
      ['Nodes:', config ? `${config.nodes.length} (${nodeSummary(config)})` : '<unknown>'],
      ['Time mode:', timeLabel(time?.mode, time?.speed)],
      ['Virtual time:', rfc3339(now)],
      ['Age:', meta.createdAt ? translateTimestampSince(meta.createdAt, now) : '<unknown>'],
      ['Next timer:', next !== undefined && next > now ? `${rfc3339(next)} (in ${formatGoDuration(Math.ceil((next - now) / 1000) * 1000)})` : '<none>'],
    ];
    const w = Math.max(...rows.map(([k]) => k.length)) + 2;
    cli.out(rows.map(([k, v]) => `${k.padEnd(w)}${v}\n`).join(''));
  });
}

export function register(cli: Cli): void {
  const cluster = cli.program
    .command('cluster')
    .description('Create, list, switch and delete simulated clusters; move their clock.')
    .usage('SUBCOMMAND [options]')
    .argument('[subcommand]')
    .action((sub?: string) => {
      if (sub) throw new CliError(`error: unknown command "${sub}"\nSee 'minikctl cluster -h' for help and examples`);
      cli.out(cluster.helpInformation());
    });
  const sub = (name: string, description: string): Command => cluster.command(name).description(description);

  sub('create', 'Create a simulated cluster and switch the current context to it.')
    .argument('[name]', `the cluster's name (default "${DEFAULT_CLUSTER}")`)
    .option('--nodes <n>', 'the number of worker nodes (default 3)')
    .option('--config <file>', 'a cluster.yaml describing the nodes, subnets, time mode and seed')
    .option('--time <mode>', 'how the virtual clock moves: realtime, instant or manual')
    .option('--speed <n>', 'virtual seconds per wall-clock second in realtime mode')
    .option('--seed <n>', 'the seed of names, uids, IPs and scheduling ties')
    .action((name: string | undefined, opts: CreateOptions) => create(cli, name, opts));

  sub('delete', 'Delete a simulated cluster and its kubeconfig entries.')
    .argument('[name]', `the cluster's name (default "${DEFAULT_CLUSTER}")`)
    .action((name?: string) => remove(cli, name));

  sub('list', 'List the simulated clusters.')
    .alias('get')
    .option('--no-headers', "Don't print headers.")
    .option('-o, --output <format>', 'Output format. One of: (name).')
    .action((opts: { headers?: boolean; output?: string }) => list(cli, opts));

  sub('use', 'Switch the current context to a cluster.')
    .argument('<name>')
    .action((name: string) => use(cli, name));

  sub('advance', 'Move the cluster\'s virtual clock on, running everything that falls due (e.g. 30s, 5m, 1h30m).')
    .argument('<duration>')
    .action((d: string) => advance(cli, d));

  sub('status', "Show the cluster's nodes, time mode, virtual time and next timer.")
    .alias('time')
    .action(() => status(cli));
}
