// The scheduler's throughput, for `npm run bench`: nPods pending pods (100m/128Mi each) on nNodes
// 8-CPU nodes in an in-memory cluster; only the scheduler runs, and only its settle is timed
// (filtering, scoring, binding through the apiserver, events).
import { ApiServer } from '../apiserver/apiserver.js';
import type { KObject } from '../apiserver/types.js';
import { Store } from '../storage/store.js';
import { VirtualClock } from '../cluster/clock.js';
import { bootstrapCluster } from '../cluster/bootstrap.js';
import { defaultClusterConfig } from '../cluster/config.js';
import { settle } from '../cluster/runtime.js';
import { ComponentClient, CONTROLLER_MANAGER } from '../controllers/component.js';
import { scheduler } from './index.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function benchNode(i: number): KObject {
  const name = `bench-node-${String(i).padStart(5, '0')}`;
  const alloc = { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' };
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'topology.kubernetes.io/zone': `zone-${i % 3}` } },
    spec: {},
    status: { capacity: alloc, allocatable: alloc, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

function benchPod(i: number): KObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `bench-${String(i).padStart(6, '0')}`, namespace: 'default', labels: { app: 'bench' } },
    spec: { containers: [{ name: 'app', image: 'nginx:1.25', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
  };
}

export async function schedulingBench(nPods: number, nNodes: number): Promise<{ podsPerSecond: number; scheduled: number; ms: number }> {
  const config = { ...defaultClusterConfig('bench'), nodes: [] };
  const store = new Store({ format: 'minikctl/v1', revision: 0, cluster: { name: 'bench', createdAt: '', seed: 1, rngState: 1, config }, objects: {} });
  const clock = new VirtualClock(T0);
  const api = new ApiServer(store, clock);
  await bootstrapCluster(api);
  const admin = new ComponentClient(api, CONTROLLER_MANAGER);
  await admin.create('serviceaccounts', 'default', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'default' } });
  for (let i = 0; i < nNodes; i++) await admin.create('nodes', undefined, benchNode(i));
  for (let i = 0; i < nPods; i++) await admin.create('pods', 'default', benchPod(i));
  const t = performance.now();
  await settle(api, undefined, [scheduler]);
  const ms = performance.now() - t;
  const scheduled = store.list('pods', 'default').filter((p) => p.spec?.nodeName).length;
  return { podsPerSecond: ms > 0 ? (scheduled * 1000) / ms : Infinity, scheduled, ms };
}
