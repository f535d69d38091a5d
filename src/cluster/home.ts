// MINIKCTL_HOME: everything minikctl keeps. `config` is a kubeconfig-shaped file (clusters,
// users, contexts, current namespace); clusters/<name>/state.json is each cluster's "etcd".
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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
