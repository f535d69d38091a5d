// A simulated cluster in memory for component tests: the real apiserver, bootstrap and runtime,
// a virtual clock the test moves, no files.
import { ApiServer, resourceFor } from '../../../src/apiserver/apiserver.js';
import { storageKey } from '../../../src/apiserver/resources.js';
import { Store } from '../../../src/storage/store.js';
import { bootstrapCluster } from '../../../src/cluster/bootstrap.js';
import { advance } from '../../../src/cluster/runtime.js';
import { VirtualClock } from '../../../src/cluster/clock.js';
import { defaultClusterConfig, type ClusterConfig } from '../../../src/cluster/config.js';
import { Trace } from '../../../src/trace/trace.js';
import type { ApiRequest, ApiResponse, KObject, UserInfo } from '../../../src/apiserver/types.js';

export const ADMIN: UserInfo = { username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] };
export const T0 = Date.parse('2026-01-01T00:00:00Z');

export interface Sim {
  api: ApiServer;
  store: Store;
  clock: VirtualClock;
  trace: Trace;
  config: ClusterConfig;
  call(req: Omit<ApiRequest, 'resource' | 'user'> & { resource: string; user?: UserInfo }): Promise<ApiResponse & { body: any }>;
  /** creates (or fails the test) */
  create(resource: string, namespace: string | undefined, body: KObject): Promise<KObject>;
  list(resource: string, namespace?: string): KObject[];
  get(resource: string, namespace: string | undefined, name: string): KObject | undefined;
  /** realtime: moves the virtual clock on by ms, running every timer that falls due, in order */
  run(ms: number): Promise<void>;
  /** instant: jumps over all pending work */
  settle(): Promise<void>;
}

export async function newSim(config: ClusterConfig = defaultClusterConfig('sim')): Promise<Sim> {
  const store = new Store({ format: 'minikctl/v1', revision: 0, cluster: { name: 'sim', createdAt: '', seed: config.seed, rngState: config.seed, config }, objects: {} });
  const clock = new VirtualClock(T0);
  const trace = new Trace(() => clock.now());
  const api = new ApiServer(store, clock, trace.as('kube-apiserver'));
  await bootstrapCluster(api);
  const sim: Sim = {
    api, store, clock, trace, config,
    call: (req) => api.handle({ ...req, resource: resourceFor(req.resource), user: req.user ?? ADMIN } as ApiRequest),
    async create(resource, namespace, body) {
      const res = await sim.call({ verb: 'create', resource, namespace, body });
      if (res.code >= 300) throw new Error(`create ${resource}: ${res.body.message}`);
      return res.body;
    },
    list: (resource, namespace) => store.list(resourceKey(resource), namespace),
    get: (resource, namespace, name) => store.get(resourceKey(resource), namespace, name),
    async run(ms) {
      await advance(api, clock, clock.now() + ms, { trace });
    },
    async settle() {
      await advance(api, clock, clock.now(), { instant: true, trace });
    },
  };
  await sim.run(0);
  return sim;
}

const resourceKey = (resource: string) => storageKey(resourceFor(resource));
