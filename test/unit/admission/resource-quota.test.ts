// ResourceQuota admission: the refusals worded as the plugin words them, and status.used arithmetic.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { NOW, create, limitRange, newStore, pod, quota, refusal } from './helpers.js';
import { initQuotaStatus, syncQuotaStatus } from '../../../src/apiserver/admission/resource-quota.js';

const EXAMPLES = '/work/shared/corpus/k8s-website-examples/admin/resource/';
const example = (f: string) => yaml.load(readFileSync(EXAMPLES + f, 'utf8')) as any;

const used = (store: ReturnType<typeof newStore>, name: string, ns = 'default') => store.get('resourcequotas', ns, name)?.status?.used;

describe.skipIf(!existsSync(EXAMPLES))('ResourceQuota on the docs examples (needs the shared corpus)', () => {
  it('quota-mem-cpu: the first pod is charged, the second exceeds requests.memory', () => {
    const store = newStore();
    const q = create(store, example('quota-mem-cpu.yaml'));
    expect(q.status).toEqual({
      hard: { 'limits.cpu': '2', 'limits.memory': '2Gi', 'requests.cpu': '1', 'requests.memory': '1Gi' },
      used: { 'limits.cpu': '0', 'limits.memory': '0', 'requests.cpu': '0', 'requests.memory': '0' },
    });
    create(store, example('quota-mem-cpu-pod.yaml'));
    expect(used(store, 'mem-cpu-demo')).toEqual({
      'limits.cpu': '800m', 'limits.memory': '800Mi', 'requests.cpu': '400m', 'requests.memory': '600Mi',
    });
    expect(refusal(() => create(store, example('quota-mem-cpu-pod-2.yaml')))).toBe(
      'pods "quota-mem-cpu-demo-2" is forbidden: exceeded quota: mem-cpu-demo, requested: requests.memory=700Mi, ' +
        'used: requests.memory=600Mi, limited: requests.memory=1Gi',
    );
    // A refusal charges nothing.
    expect(used(store, 'mem-cpu-demo')!['requests.memory']).toBe('600Mi');
    expect(store.get('pods', 'default', 'quota-mem-cpu-demo-2')).toBeUndefined();
  });

  it('quota-pod: a third pod exceeds pods=2', () => {
    const store = newStore();
    create(store, example('quota-pod.yaml'));
    create(store, pod('a', [{ name: 'c' }]));
    create(store, pod('b', [{ name: 'c' }]));
    expect(used(store, 'pod-demo')).toEqual({ pods: '2' });
    expect(refusal(() => create(store, pod('c', [{ name: 'c' }])))).toBe(
      'pods "c" is forbidden: exceeded quota: pod-demo, requested: pods=1, used: pods=2, limited: pods=2',
    );
  });
});

describe('ResourceQuota compute resources', () => {
  it('names every missing resource and container, sorted', () => {
    const store = newStore();
    create(store, quota('mem-cpu-demo', { 'requests.cpu': '1', 'limits.cpu': '2', 'limits.memory': '2Gi' }));
    const p = pod('x', [
      { name: 'zeta', requests: { cpu: '100m' } },
      { name: 'alpha' },
    ]);
    expect(refusal(() => create(store, p))).toBe(
      'pods "x" is forbidden: failed quota: mem-cpu-demo: must specify limits.cpu for: alpha,zeta; limits.memory for: alpha,zeta; requests.cpu for: alpha',
    );
  });

  it('reports every exceeded resource, comma-joined in sorted order', () => {
    const store = newStore();
    create(store, quota('q', { 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.cpu': '4', 'limits.memory': '4Gi' }));
    create(store, pod('a', [{ name: 'c', requests: { cpu: '500m', memory: '600Mi' }, limits: { cpu: '1', memory: '1Gi' } }]));
    const big = pod('b', [{ name: 'c', requests: { cpu: '1', memory: '700Mi' }, limits: { cpu: '1', memory: '1Gi' } }]);
    expect(refusal(() => create(store, big))).toBe(
      'pods "b" is forbidden: exceeded quota: q, requested: requests.cpu=1,requests.memory=700Mi, ' +
        'used: requests.cpu=500m,requests.memory=600Mi, limited: requests.cpu=1,requests.memory=1Gi',
    );
  });

  it('adds exactly: 600Mi+100Mi=700Mi and 500m+1=1500m, cpu and memory as aliases of requests', () => {
    const store = newStore();
    create(store, quota('q', { cpu: '4', memory: '4Gi', 'requests.cpu': '4', pods: '10' }));
    create(store, pod('a', [{ name: 'c', requests: { cpu: '500m', memory: '600Mi' } }]));
    create(store, pod('b', [{ name: 'c', requests: { cpu: '1', memory: '100Mi' } }]));
    expect(used(store, 'q')).toEqual({ cpu: '1500m', memory: '700Mi', pods: '2', 'requests.cpu': '1500m' });
  });

  it('counts a quota tracked through LimitRanger defaults', () => {
    const store = newStore();
    create(store, limitRange('lr', [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '250m', memory: '128Mi' } }]));
    create(store, quota('q', { 'requests.cpu': '1', 'limits.memory': '1Gi' }));
    create(store, pod('a', [{ name: 'c' }]));
    expect(used(store, 'q')).toEqual({ 'limits.memory': '256Mi', 'requests.cpu': '250m' });
  });

  it('does not count pods that have finished', () => {
    const store = newStore();
    create(store, quota('q', { pods: '1', 'count/pods': '5' }));
    const done = create(store, pod('done', [{ name: 'c' }]));
    store.put('pods', { ...done, status: { phase: 'Succeeded' } });
    create(store, pod('next', [{ name: 'c' }]));
    // count/pods counts every stored pod; pods only those still running.
    expect(used(store, 'q')).toEqual({ 'count/pods': '2', pods: '1' });
  });

  it('charges nothing on a dry run', () => {
    const store = newStore();
    create(store, quota('q', { pods: '1' }));
    create(store, pod('a', [{ name: 'c' }]), 'default', { dryRun: true });
    expect(used(store, 'q')).toEqual({ pods: '0' });
  });

  it('respects scopes: BestEffort and NotBestEffort quotas count different pods', () => {
    const store = newStore();
    create(store, quota('be', { pods: '1' }, { scopes: ['BestEffort'] }));
    create(store, quota('nbe', { pods: '5', 'requests.cpu': '2' }, { scopes: ['NotBestEffort'] }));
    create(store, pod('be1', [{ name: 'c' }]));
    create(store, pod('burst', [{ name: 'c', requests: { cpu: '1' } }]));
    expect(used(store, 'be')).toEqual({ pods: '1' });
    expect(used(store, 'nbe')).toEqual({ pods: '1', 'requests.cpu': '1' });
    expect(refusal(() => create(store, pod('be2', [{ name: 'c' }])))).toBe(
      'pods "be2" is forbidden: exceeded quota: be, requested: pods=1, used: pods=1, limited: pods=1',
    );
    // A best-effort pod is not held to the NotBestEffort quota's cpu tracking.
    expect(refusal(() => create(store, pod('burst2', [{ name: 'c', requests: { cpu: '1' } }])))).toBeUndefined();
  });

  it('respects a PriorityClass scopeSelector', () => {
    const store = newStore();
    const sel = { scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } };
    create(store, quota('high', { pods: '1' }, sel));
    create(store, pod('h1', [{ name: 'c' }], { priorityClassName: 'high' }));
    create(store, pod('plain', [{ name: 'c' }]));
    expect(used(store, 'high')).toEqual({ pods: '1' });
    expect(refusal(() => create(store, pod('h2', [{ name: 'c' }], { priorityClassName: 'high' })))).toMatch(/exceeded quota: high/);
  });
});

describe('ResourceQuota object counts', () => {
  it('counts services, node ports and load balancers', () => {
    const store = newStore();
    create(store, quota('svc', { services: '5', 'services.nodeports': '2', 'services.loadbalancers': '1' }));
    const svc = (name: string, type: string, ports = 1) => ({
      apiVersion: 'v1', kind: 'Service', metadata: { name },
      spec: { type, selector: { app: name }, ports: Array.from({ length: ports }, (_, i) => ({ port: 80 + i, name: `p${i}` })) },
    });
    create(store, svc('a', 'ClusterIP'));
    create(store, svc('b', 'NodePort', 2));
    expect(used(store, 'svc')).toEqual({ services: '2', 'services.loadbalancers': '0', 'services.nodeports': '2' });
    expect(refusal(() => create(store, svc('c', 'LoadBalancer')))).toBe(
      'services "c" is forbidden: exceeded quota: svc, requested: services.nodeports=1, used: services.nodeports=2, limited: services.nodeports=2',
    );
  });

  it('counts configmaps, secrets and count/<resource>.<group>', () => {
    const store = newStore();
    create(store, quota('objs', { configmaps: '1', 'count/secrets': '3', 'count/deployments.apps': '1' }));
    create(store, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    expect(refusal(() => create(store, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } }))).toBe(
      'configmaps "b" is forbidden: exceeded quota: objs, requested: configmaps=1, used: configmaps=1, limited: configmaps=1',
    );
    create(store, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque' });
    const deploy = (name: string) => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
      spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    create(store, deploy('d1'));
    expect(refusal(() => create(store, deploy('d2')))).toBe(
      'deployments.apps "d2" is forbidden: exceeded quota: objs, requested: count/deployments.apps=1, ' +
        'used: count/deployments.apps=1, limited: count/deployments.apps=1',
    );
    expect(used(store, 'objs')).toEqual({ configmaps: '1', 'count/deployments.apps': '1', 'count/secrets': '1' });
  });

  it('counts persistentvolumeclaims and requests.storage', () => {
    const store = newStore();
    create(store, quota('st', { persistentvolumeclaims: '2', 'requests.storage': '5Gi' }));
    const pvc = (name: string, storage: string) => ({
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } },
    });
    create(store, pvc('a', '3Gi'));
    expect(refusal(() => create(store, pvc('b', '3Gi')))).toBe(
      'persistentvolumeclaims "b" is forbidden: exceeded quota: st, requested: requests.storage=3Gi, used: requests.storage=3Gi, limited: requests.storage=5Gi',
    );
    expect(used(store, 'st')).toEqual({ persistentvolumeclaims: '1', 'requests.storage': '3Gi' });
  });

  it('fills the status of a new quota from what the namespace already holds, itself included', () => {
    const store = newStore();
    create(store, pod('a', [{ name: 'c', requests: { memory: '100Mi' } }]));
    create(store, pod('b', [{ name: 'c', requests: { memory: '200Mi' } }]));
    const q = quota('late', { pods: '10', 'requests.memory': '1Gi', resourcequotas: '3' });
    q.metadata!.namespace = 'default';
    initQuotaStatus(store, q, NOW);
    expect(q.status).toEqual({
      hard: { pods: '10', 'requests.memory': '1Gi', resourcequotas: '3' },
      used: { pods: '2', 'requests.memory': '300Mi', resourcequotas: '1' },
    });
  });

  it('syncQuotaStatus releases what deleted objects used', () => {
    const store = newStore();
    create(store, quota('q', { pods: '2' }));
    create(store, pod('a', [{ name: 'c' }]));
    expect(used(store, 'q')).toEqual({ pods: '1' });
    store.remove('pods', 'default', 'a');
    syncQuotaStatus(store, 'default', NOW);
    expect(used(store, 'q')).toEqual({ pods: '0' });
  });
});
