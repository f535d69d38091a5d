// An apiserver on an in-memory store, bootstrapped like a new cluster, for tests that talk to it
// directly.
import { ApiServer, resourceFor } from '../../../src/apiserver/apiserver.js';
import { Store } from '../../../src/storage/store.js';
import { bootstrapCluster } from '../../../src/cluster/bootstrap.js';
import { settle } from '../../../src/cluster/runtime.js';
import type { ApiRequest, ApiResponse, UserInfo } from '../../../src/apiserver/types.js';

export const ADMIN: UserInfo = { username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] };

export interface Harness {
  api: ApiServer;
  store: Store;
  clock: { t: number; now(): number };
  call(req: Omit<ApiRequest, 'resource' | 'user'> & { resource: string; user?: UserInfo }): Promise<ApiResponse & { body: any }>;
}

export async function newCluster(): Promise<Harness> {
  const store = new Store({ format: 'minikctl/v1', revision: 0, cluster: { name: 't', createdAt: '', seed: 1, rngState: 1 }, objects: {} });
  const clock = { t: Date.parse('2026-01-01T00:00:00Z'), now() { return this.t; } };
  const api = new ApiServer(store, clock);
  await bootstrapCluster(api);
  await settle(api);
  return {
    api,
    store,
    clock,
    call: (req) => api.handle({ ...req, resource: resourceFor(req.resource), user: req.user ?? ADMIN } as ApiRequest),
  };
}

export const deployment = (name: string, replicas = 1) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } },
  },
});
