// One command's hold on a cluster: resolve the context, open the state file (locked for writes),
// bring a new cluster into being, and after writes let the control plane settle before saving.
import { ApiServer } from '../apiserver/apiserver.js';
import type { UserInfo } from '../apiserver/types.js';
import { FileBackend } from '../storage/file-backend.js';
import type { StateData } from '../storage/store.js';
import { wallClock } from './clock.js';
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
}

function emptyState(name: string): StateData {
  return {
    format: 'minikctl/v1',
    revision: 0,
    cluster: { name, createdAt: new Date(wallClock.now()).toISOString(), seed: 1, rngState: 1 },
    objects: {},
  };
}

/**
 * Runs fn against the cluster. Writers hold the cluster's lock throughout, then the control plane
 * settles and the state is saved once. Nothing is saved when fn throws.
 */
export async function withCluster<T>(g: GlobalOptions, write: boolean, fn: (s: Session) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const identity = resolveIdentity(config, g);
  const backend = new FileBackend(clusterStatePath(identity.clusterName));
  let fresh = false;
  const store = await backend.open({
    write,
    bootstrap: () => {
      fresh = true;
      return emptyState(identity.clusterName);
    },
  });
  let ok = false;
  try {
    const trace = new Trace(() => wallClock.now());
    const api = new ApiServer(store, wallClock, trace.as('kube-apiserver'));
    if (fresh) {
      const { bootstrapCluster } = await import('./bootstrap.js');
      await bootstrapCluster(api);
      await (await import('./runtime.js')).settle(api);
    }
    api.readOnly = !write && !fresh;
    let result: T;
    try {
      result = await fn({ api, identity, config, trace });
    } finally {
      if ((g.verbosity ?? 0) >= 6) {
        const { formatApiLog } = await import('../trace/trace.js');
        process.stderr.write(formatApiLog(trace.records, (identity.impersonate ?? identity.user).username, 'https://127.0.0.1:6443'));
      }
    }
    // The control plane only has work to do when something changed.
    if (write && store.changed) await (await import('./runtime.js')).settle(api);
    ok = true;
    return result;
  } finally {
    await backend.close(store, ok && (write || fresh));
  }
}
