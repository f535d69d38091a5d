// One command's hold on a cluster: resolve the context, open the state file (locked for writes),
// bring a new cluster into being, and after writes let the control plane settle before saving.
import { ApiServer } from '../apiserver/apiserver.js';
import type { UserInfo } from '../apiserver/types.js';
import { FileBackend } from '../storage/file-backend.js';
import type { ClusterMeta, StateData } from '../storage/store.js';
import { targetTime, VirtualClock, wallClock, type TimeState, type TimeMode } from './clock.js';
import { defaultClusterConfig, type ClusterConfig } from './config.js';
import { clusterStatePath, loadConfig, type KubeConfig } from './home.js';
import { CliError } from '../cli/errors.js';
import { Trace } from '../trace/trace.js';

export interface GlobalOptions {
  namespace?: string;
  context?: string;
  cluster?: string;
  user?: string;
  as?: string;
  asGroup?: string[];
  /** kubectl's -v: at 6 and above the API calls are logged to stderr */
  verbosity?: number;
  /** --trace: print the steps the command set off, after its output */
  trace?: boolean;
}

export interface Identity {
  contextName: string;
  clusterName: string;
  namespace: string;
  user: UserInfo;
  impersonate?: UserInfo;
}

export function resolveIdentity(cfg: KubeConfig, g: GlobalOptions): Identity {
  const contextName = g.context ?? cfg['current-context'];
  const ctx = cfg.contexts.find((c) => c.name === contextName);
  if (!ctx) {
    if (g.context) throw new CliError(`error: context "${g.context}" does not exist`);
    throw new CliError('error: current-context is not set\nerror: no context is currently set, use "minikctl config use-context <context>" to select a new one');
  }
  const clusterRef = g.cluster ?? ctx.context.cluster;
  const clusterEntry = cfg.clusters.find((c) => c.name === clusterRef);
  if (!clusterEntry) throw new CliError(`error: cluster "${clusterRef}" does not exist`);
  const clusterName = clusterEntry.cluster['minikctl-cluster'] ?? clusterEntry.cluster.server.replace(/^minikctl:\/\//, '');
  const userRef = g.user ?? ctx.context.user;
  const userEntry = cfg.users.find((u) => u.name === userRef);
  const username = userEntry?.user.username ?? userRef ?? 'system:anonymous';
  const groups = [...(userEntry?.user.groups ?? []), 'system:authenticated'];
  const identity: Identity = {
    contextName,
    clusterName,
    namespace: g.namespace ?? ctx.context.namespace ?? 'default',
    user: { username, groups },
  };
  if (g.as) identity.impersonate = { username: g.as, groups: [...(g.asGroup ?? []), 'system:authenticated'] };
  return identity;
}

export interface Session {
  api: ApiServer;
  identity: Identity;
  config: KubeConfig;
  trace: Trace;
  /** the cluster's virtual clock (the same one api.clock reads) */
  clock: VirtualClock;
}

function emptyState(name: string, config: ClusterConfig): StateData {
  // The virtual clock starts on a whole second, so ages and "(x3 over 20s)" do not depend on where
  // in a second the cluster was made: the same commands give the same output.
  const now = Math.floor(wallClock.now() / 1000) * 1000;
  return {
    format: 'minikctl/v1',
    revision: 0,
    cluster: {
      name, createdAt: new Date(now).toISOString(), seed: config.seed, rngState: config.seed, config,
      time: { mode: config.time.mode, speed: config.time.speed, virtual: now, wall: now },
    },
    objects: {},
  };
}

/**
 * MINIKCTL_TIME=instant|realtime|manual picks the time mode of clusters made implicitly (the first
 * command on a new home), so a CI job can run without `cluster create`.
 */
export function defaultTimeMode(): TimeMode {
  const v = process.env.MINIKCTL_TIME;
  return v === 'instant' || v === 'manual' || v === 'realtime' ? v : 'realtime';
}

/** A state file from before virtual time: its clock starts at the wall clock. */
function timeOf(meta: ClusterMeta): TimeState {
  const now = wallClock.now();
  return (meta.time ??= { mode: meta.config?.time.mode ?? 'realtime', speed: meta.config?.time.speed ?? 1, virtual: now, wall: now });
}

export interface ClusterOptions {
  /** the shape of a cluster that does not exist yet (default: defaultClusterConfig) */
  create?: ClusterConfig;
  /** moves the clock on by this much after bringing the cluster up to date (`cluster advance`) */
  advanceMs?: number;
}

/**
 * Runs fn against the cluster. First the cluster is brought up to date: its components run and its
 * virtual clock is moved to the present, replaying every timer that fell due since the last
 * command. A read-only command whose cluster has nothing due stays a pure reader (no lock, no
 * write). Writers hold the cluster's lock throughout; after fn the control plane settles (and in
 * instant mode runs ahead through pending work) and the state is saved once. Nothing is saved
 * when fn throws.
 */
export async function withCluster<T>(g: GlobalOptions, write: boolean, fn: (s: Session) => Promise<T>, opts: ClusterOptions = {}): Promise<T> {
  const config = loadConfig();
  const identity = resolveIdentity(config, g);
  const backend = new FileBackend(clusterStatePath(identity.clusterName));
  const wallNow = wallClock.now();
  let fresh = false;
  const bootstrap = () => {
    fresh = true;
    return emptyState(identity.clusterName, opts.create ?? defaultClusterConfig(identity.clusterName, { mode: defaultTimeMode() }));
  };
  let store = await backend.open({ write, bootstrap });
  let time = timeOf(store.meta);
  let target = targetTime(time, wallNow) + (opts.advanceMs ?? 0);
  // A reader that finds timers due becomes a writer: the cluster must move on before it is read.
  const due = fresh || opts.advanceMs !== undefined || (time.nextWake !== undefined && time.nextWake <= target);
  if (!write && due && !fresh) {
    await backend.close(store, false);
    store = await backend.open({ write: true, bootstrap });
    time = timeOf(store.meta);
    target = targetTime(time, wallNow) + (opts.advanceMs ?? 0);
  }
  const writer = write || due;
  let ok = false;
  try {
    const clock = new VirtualClock(time.virtual);
    const trace = new Trace(() => clock.now());
    const api = new ApiServer(store, clock, trace.as('kube-apiserver'));
    const runtime = writer ? await import('./runtime.js') : undefined;
    if (fresh) {
      const { bootstrapCluster } = await import('./bootstrap.js');
      await bootstrapCluster(api);
      // A new cluster is handed over up and running, as kind and kubeadm wait for it: its system
      // pods have started whatever the time mode (manual included).
      await runtime!.advance(api, clock, clock.now(), { instant: true });
    }
    if (runtime) {
      const r = await runtime.advance(api, clock, target, { instant: time.mode === 'instant', trace });
      time.nextWake = r.nextWake;
      // What the cluster did to catch up is not this command's story, but it is the objects' story:
      // it goes to the trace log on its own, for `minikctl trace TYPE/NAME`.
      if (trace.records.length && store.changed) {
        const narrate = await import('../trace/narrate.js');
        narrate.persistTrace(clusterStatePath(identity.clusterName), trace.records, { command: (await import('../trace/log.js')).CATCH_UP });
      }
      trace.records.length = 0;
    } else {
      clock.set(target);
    }
    api.readOnly = !writer;
    let result: T;
    try {
      result = await fn({ api, identity, config, trace, clock });
    } finally {
      if ((g.verbosity ?? 0) >= 6) {
        const { formatApiLog } = await import('../trace/trace.js');
        process.stderr.write(formatApiLog(trace.records, (identity.impersonate ?? identity.user).username, 'https://127.0.0.1:6443'));
      }
    }
    if (runtime && store.changed) {
      const r = await runtime.advance(api, clock, clock.now(), { instant: time.mode === 'instant', trace });
      time.nextWake = r.nextWake;
    }
    if (g.trace || (writer && store.changed)) {
      const narrate = await import('../trace/narrate.js');
      if (writer && store.changed) narrate.persistTrace(clusterStatePath(identity.clusterName), trace.records);
      if (g.trace) process.stdout.write(narrate.formatTrace(trace.records));
    }
    if (writer) {
      time.virtual = clock.now();
      time.wall = wallNow;
      // The clock is saved with the cluster whenever the command wrote anything.
      if (store.changed) store.touchMeta(true);
    }
    ok = true;
    return result;
  } finally {
    await backend.close(store, ok && writer);
  }
}
