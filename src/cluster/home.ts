// MINIKCTL_HOME: everything minikctl keeps. `config` is a kubeconfig-shaped file (clusters,
// users, contexts, current namespace); clusters/<name>/state.json is each cluster's "etcd".
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { load, dump } from 'js-yaml';
import { CliError } from '../cli/errors.js';

export function minikctlHome(): string {
  return process.env.MINIKCTL_HOME || join(homedir(), '.minikctl');
}

export interface KubeConfig {
  apiVersion: 'v1';
  kind: 'Config';
  clusters: { name: string; cluster: { server: string; 'minikctl-cluster'?: string } }[];
  contexts: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
  'current-context': string;
  users: { name: string; user: { username?: string; groups?: string[]; token?: string; [k: string]: any } }[];
  preferences: Record<string, unknown>;
}

export const DEFAULT_CLUSTER = 'minikctl';
export const ADMIN_USER = 'kubernetes-admin';
export const ADMIN_GROUP = 'kubeadm:cluster-admins';

export function defaultConfig(): KubeConfig {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: DEFAULT_CLUSTER, cluster: { server: `minikctl://${DEFAULT_CLUSTER}` } }],
    contexts: [{ name: DEFAULT_CLUSTER, context: { cluster: DEFAULT_CLUSTER, user: `${DEFAULT_CLUSTER}-admin` } }],
    'current-context': DEFAULT_CLUSTER,
    users: [{ name: `${DEFAULT_CLUSTER}-admin`, user: { username: ADMIN_USER, groups: [ADMIN_GROUP] } }],
    preferences: {},
  };
}

export function configPath(): string {
  return join(minikctlHome(), 'config');
}

export function loadConfig(): KubeConfig {
  const p = configPath();
  if (!existsSync(p)) return defaultConfig();
  let cfg: any;
  try {
    cfg = load(readFileSync(p, 'utf8'));
  } catch (e: any) {
    throw new CliError(`error: error loading config file "${p}": ${e.message.split('\n')[0]}`);
  }
  if (!cfg || typeof cfg !== 'object') return defaultConfig();
  cfg.clusters ??= [];
  cfg.contexts ??= [];
  cfg.users ??= [];
  cfg['current-context'] ??= '';
  cfg.preferences ??= {};
  return cfg as KubeConfig;
}

export function saveConfig(cfg: KubeConfig): void {
  const p = configPath();
  mkdirSync(minikctlHome(), { recursive: true });
  const tmp = `${p}.${process.pid}.tmp`;
  writeFileSync(tmp, dump(cfg, { lineWidth: -1, noRefs: true }));
  renameSync(tmp, p);
}

export function clusterStatePath(cluster: string): string {
  return join(minikctlHome(), 'clusters', cluster, 'state.json');
}

// ---- one kubeconfig cluster, context and user per minikctl cluster (kind's layout) ----

/** the folder that holds everything of one cluster */
export function clusterDir(cluster: string): string {
  return join(minikctlHome(), 'clusters', cluster);
}

/** the minikctl cluster (state folder) a kubeconfig cluster entry points at */
export function stateNameOf(entry: KubeConfig['clusters'][number]): string {
  return entry.cluster['minikctl-cluster'] ?? entry.cluster.server.replace(/^minikctl:\/\//, '');
}

/** the names of the clusters that have a state file, sorted */
export function listClusterStates(): string[] {
  const dir = join(minikctlHome(), 'clusters');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => existsSync(clusterStatePath(n))).sort();
}

/** the first context whose cluster entry points at the minikctl cluster `cluster` */
export function contextForCluster(cfg: KubeConfig, cluster: string): string | undefined {
  const entries = new Set(cfg.clusters.filter((c) => stateNameOf(c) === cluster).map((c) => c.name));
  return cfg.contexts.find((c) => entries.has(c.context.cluster))?.name;
}

/** the minikctl cluster a context uses, if the context and its cluster entry exist */
export function clusterOfContext(cfg: KubeConfig, context: string): string | undefined {
  const ctx = cfg.contexts.find((c) => c.name === context);
  const entry = ctx && cfg.clusters.find((c) => c.name === ctx.context.cluster);
  return entry ? stateNameOf(entry) : undefined;
}

/** Adds (or resets) the cluster, context and admin user entries for a cluster, as kind does. */
export function addClusterEntries(cfg: KubeConfig, cluster: string): void {
  const user = `${cluster}-admin`;
  const put = <T extends { name: string }>(list: T[], item: T) => {
    const i = list.findIndex((e) => e.name === item.name);
    if (i >= 0) list[i] = item;
    else list.push(item);
  };
  put(cfg.clusters, { name: cluster, cluster: { server: `minikctl://${cluster}` } });
  put(cfg.contexts, { name: cluster, context: { cluster, user } });
  put(cfg.users, { name: user, user: { username: ADMIN_USER, groups: [ADMIN_GROUP] } });
}

/**
 * Removes every entry that points at the cluster: its cluster entries, the contexts that use them,
 * and the users no remaining context uses. Returns whether the current context was among them.
 */
export function removeClusterEntries(cfg: KubeConfig, cluster: string): boolean {
  const entries = new Set(cfg.clusters.filter((c) => stateNameOf(c) === cluster).map((c) => c.name));
  const gone = cfg.contexts.filter((c) => entries.has(c.context.cluster));
  cfg.clusters = cfg.clusters.filter((c) => !entries.has(c.name));
  cfg.contexts = cfg.contexts.filter((c) => !entries.has(c.context.cluster));
  const usedUsers = new Set(cfg.contexts.map((c) => c.context.user));
  const goneUsers = new Set(gone.map((c) => c.context.user));
  cfg.users = cfg.users.filter((u) => usedUsers.has(u.name) || !goneUsers.has(u.name));
  const wasCurrent = gone.some((c) => c.name === cfg['current-context']);
  if (wasCurrent) cfg['current-context'] = '';
  return wasCurrent;
}
