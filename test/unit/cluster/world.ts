// A bare cluster for testing one component alone: the real apiserver, the namespaces and service
// accounts pods need, the nodes a test asks for, and no other component running.
import { ApiServer, resourceFor } from '../../../src/apiserver/apiserver.js';
import { storageKey } from '../../../src/apiserver/resources.js';
import { Store } from '../../../src/storage/store.js';
import { VirtualClock } from '../../../src/cluster/clock.js';
import { settle } from '../../../src/cluster/runtime.js';
import { RuntimeHooks, type Component } from '../../../src/controllers/component.js';
import { buildClusterConfig } from '../../../src/cluster/cluster-file.js';
import type { ClusterConfig } from '../../../src/cluster/config.js';
import type { KObject } from '../../../src/apiserver/types.js';
import { T0 } from '../controlplane/harness.js';

export interface World {
  api: ApiServer;
  store: Store;
  clock: VirtualClock;
  create(resource: string, namespace: string | undefined, body: KObject): Promise<KObject>;
  update(resource: string, body: KObject, subresource?: string): Promise<KObject>;
  patch(resource: string, namespace: string | undefined, name: string, body: any, subresource?: string): Promise<KObject>;
  list(resource: string, namespace?: string): any[];
  get(resource: string, namespace: string | undefined, name: string): any;
  /** runs the given components until they change nothing; returns the wake-ups they asked for */
  settle(): Promise<RuntimeHooks>;
}

export function node(name: string, labels: Record<string, string> = {}, taints: any[] = []): KObject {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...labels } },
    spec: taints.length ? { taints } : {},
  };
}

export async function newWorld(components: Component[], config: ClusterConfig = buildClusterConfig('t', { nodes: [] })): Promise<World> {
  const store = new Store({ format: 'minikctl/v1', revision: 0, cluster: { name: 't', createdAt: '', seed: 7, rngState: 7, config }, objects: {} });
  const clock = new VirtualClock(T0);
  const api = new ApiServer(store, clock);
  const call = async (req: any) => {
    const res = await api.handle({ ...req, resource: resourceFor(req.resource), user: ApiServer.systemUser });
    if (res.code >= 300) throw new Error(`${req.verb} ${req.resource}: ${res.body.message}`);
    return res.body as KObject;
  };
  const w: World = {
    api, store, clock,
    create: (resource, namespace, body) => call({ verb: 'create', resource, namespace, body }),
    update: (resource, body, subresource) => call({ verb: 'update', resource, namespace: body.metadata?.namespace, name: body.metadata?.name, body, subresource }),
    patch: (resource, namespace, name, body, subresource) => call({ verb: 'patch', resource, namespace, name, body, patchType: 'merge', subresource }),
    list: (resource, namespace) => api.store.list(storageKey(resourceFor(resource)), namespace),
    get: (resource, namespace, name) => w.list(resource, namespace).find((o) => o.metadata?.name === name),
    settle: () => settle(api, new RuntimeHooks(), components),
  };
  for (const ns of ['default', 'kube-system']) {
    await w.create('namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await w.create('serviceaccounts', ns, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
  }
  return w;
}
