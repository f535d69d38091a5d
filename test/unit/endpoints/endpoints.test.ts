// The Endpoints and EndpointSlice controllers with the whole control plane (newSim): what a
// Service's Endpoints and EndpointSlices say as its pods come up, turn unready, terminate and go,
// and what the controllers leave alone.
import { describe, expect, it } from 'vitest';
import { newSim, type Sim } from '../controlplane/harness.js';
import type { KObject } from '../../../src/apiserver/types.js';
import { apply, webManifests } from '../stateful/helpers.js';
import { endpointsController } from '../../../src/controllers/endpoints.js';
import { endpointSliceController } from '../../../src/controllers/endpointslice/index.js';
import { ComponentClient, CONTROLLER_MANAGER } from '../../../src/controllers/component.js';

function deployment(name: string, replicas: number, container: any = { name: 'web', image: 'nginx:1.25', ports: [{ name: 'http', containerPort: 80 }] }, labels: Record<string, string> = { app: name }): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [container] } } },
  };
}

function service(name: string, selector: Record<string, string> | undefined, ports: any[] = [{ port: 80, targetPort: 'http' }], extra: any = {}): KObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, labels: { tier: 'front' } }, spec: { ...(selector ? { selector } : {}), ports, ...extra } };
}

const endpoints = (sim: Sim, name: string, ns = 'default') => sim.get('endpoints', ns, name);
const slicesOf = (sim: Sim, svc: string, ns = 'default') =>
  sim.list('endpointslices', ns).filter((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === svc);
const podsOf = (sim: Sim, prefix: string, ns = 'default') => sim.list('pods', ns).filter((p) => p.metadata!.name!.startsWith(prefix));
const ready = (p: KObject) => (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
const zoneOf = (sim: Sim, node: string) => sim.get('nodes', undefined, node)?.metadata?.labels?.['topology.kubernetes.io/zone'];
const allEndpoints = (slices: KObject[]) => slices.flatMap((s) => s.endpoints ?? []);

async function until(sim: Sim, cond: () => boolean, limitMs = 120_000, step = 500): Promise<void> {
  for (let t = 0; t <= limitMs; t += step) {
    if (cond()) return;
    await sim.run(step);
  }
  throw new Error('condition not reached');
}

async function call(sim: Sim, req: any): Promise<any> {
  const res = await sim.call(req);
  if (res.code >= 300) throw new Error(res.body.message);
  return res.body;
}

describe('endpoints and endpointslices for a Deployment behind a Service', () => {
  it('lists the 3 ready pods: one subset, one slice, the real labels, owner and annotations', async () => {
    const sim = await newSim();
    await sim.create('deployments', 'default', deployment('my-app', 3));
    const svc = await sim.create('services', 'default', service('my-app-service', { app: 'my-app' }));
    await sim.settle();
    const pods = podsOf(sim, 'my-app-');
    expect(pods.length).toBe(3);
    expect(pods.every(ready)).toBe(true);

    const ep = endpoints(sim, 'my-app-service')!;
    expect(ep.metadata!.labels).toEqual({ tier: 'front' });
    expect(ep.subsets).toHaveLength(1);
    const [ss] = ep.subsets;
    expect(ss.notReadyAddresses).toBeUndefined();
    expect(ss.ports).toEqual([{ port: 80, protocol: 'TCP' }]);
    const ips = pods.map((p) => p.status.podIP).sort();
    expect(ss.addresses.map((a: any) => a.ip)).toEqual(ips);
    const p0 = pods.find((p) => p.status.podIP === ss.addresses[0].ip)!;
    expect(ss.addresses[0]).toEqual({ ip: p0.status.podIP, nodeName: p0.spec.nodeName, targetRef: { kind: 'Pod', namespace: 'default', name: p0.metadata!.name, uid: p0.metadata!.uid } });
    // The trigger time: the latest pod/service change that led to this version.
    const readyTimes = pods.map((p) => p.status.conditions.find((c: any) => c.type === 'Ready').lastTransitionTime);
    expect([svc.metadata!.creationTimestamp, ...readyTimes]).toContain(ep.metadata!.annotations!['endpoints.kubernetes.io/last-change-trigger-time']);

    const slices = slicesOf(sim, 'my-app-service');
    expect(slices).toHaveLength(1);
    const [sl] = slices;
    expect(sl.metadata!.name).toMatch(/^my-app-service-[a-z0-9]{5}$/);
    expect(sl.metadata!.generateName).toBe('my-app-service-');
    expect(sl.metadata!.labels).toEqual({ tier: 'front', 'kubernetes.io/service-name': 'my-app-service', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(sl.metadata!.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'my-app-service', uid: svc.metadata!.uid, controller: true, blockOwnerDeletion: true }]);
    expect(sl.metadata!.annotations!['endpoints.kubernetes.io/last-change-trigger-time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(sl.addressType).toBe('IPv4');
    expect(sl.ports).toEqual([{ name: '', port: 80, protocol: 'TCP' }]);
    expect(sl.endpoints).toHaveLength(3);
    const e0 = sl.endpoints.find((e: any) => e.targetRef.name === p0.metadata!.name);
    expect(e0).toEqual({
      addresses: [p0.status.podIP], conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', namespace: 'default', name: p0.metadata!.name, uid: p0.metadata!.uid }, nodeName: p0.spec.nodeName,
      // the node's topology.kubernetes.io/zone label, when it has one
      ...(zoneOf(sim, p0.spec.nodeName) ? { zone: zoneOf(sim, p0.spec.nodeName) } : {}),
    });
  });

  it('writes nothing more once settled (minimal updates) and says it changed nothing', async () => {
    const sim = await newSim();
    await sim.create('deployments', 'default', deployment('my-app', 3));
    await sim.create('services', 'default', service('my-app-service', { app: 'my-app' }));
    await sim.settle();
    const rvEp = endpoints(sim, 'my-app-service')!.metadata!.resourceVersion;
    const rvSl = slicesOf(sim, 'my-app-service').map((s) => s.metadata!.resourceVersion);
    await sim.run(60_000);
    expect(endpoints(sim, 'my-app-service')!.metadata!.resourceVersion).toBe(rvEp);
    expect(slicesOf(sim, 'my-app-service').map((s) => s.metadata!.resourceVersion)).toEqual(rvSl);
    const c = new ComponentClient(sim.api, CONTROLLER_MANAGER);
    expect(await endpointsController.reconcile(c)).toBe(false);
    expect(await endpointSliceController.reconcile(c)).toBe(false);
  });

  it('moves a pod whose readiness probe starts failing to notReadyAddresses / ready: false', async () => {
    const sim = await newSim();
    const ctr = {
      name: 'app', image: 'busybox:1.36', ports: [{ name: 'http', containerPort: 8080 }],
      command: ['sh', '-c', 'touch /tmp/ready; sleep 30; rm /tmp/ready; sleep 3600'],
      readinessProbe: { exec: { command: ['test', '-e', '/tmp/ready'] }, periodSeconds: 5, failureThreshold: 1 },
    };
    await sim.create('deployments', 'default', deployment('flaky', 1, ctr));
    await sim.create('services', 'default', service('flaky', { app: 'flaky' }));
    await until(sim, () => podsOf(sim, 'flaky-').some(ready));
    expect(endpoints(sim, 'flaky')!.subsets[0].addresses).toHaveLength(1);
    expect(allEndpoints(slicesOf(sim, 'flaky'))[0].conditions).toEqual({ ready: true, serving: true, terminating: false });
    await until(sim, () => !podsOf(sim, 'flaky-').some(ready));
    await sim.run(0);
    const ss = endpoints(sim, 'flaky')!.subsets[0];
    expect(ss.addresses).toBeUndefined();
    expect(ss.notReadyAddresses).toHaveLength(1);
    expect(ss.ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    expect(allEndpoints(slicesOf(sim, 'flaky'))[0].conditions).toEqual({ ready: false, serving: false, terminating: false });
  });

  it('a pod not ready written through the API: notReadyAddresses, unless publishNotReadyAddresses', async () => {
    const sim = await newSim();
    await sim.create('services', 'default', service('solo', { app: 'solo' }, [{ name: 'web', port: 80, targetPort: 8080 }]));
    await sim.create('services', 'default', service('solo-all', { app: 'solo' }, [{ port: 80, targetPort: 8080 }], { publishNotReadyAddresses: true }));
    // A pod bound to a node with no kubelet work: the test writes its status as a kubelet would.
    const node = sim.list('nodes').find((n) => n.metadata!.name!.endsWith('worker'))!.metadata!.name!;
    await sim.create('pods', 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'solo', labels: { app: 'solo' } }, spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx:1.25' }] } });
    await sim.settle();
    const pod = sim.get('pods', 'default', 'solo')!;
    expect(pod.status.podIP).toBeTruthy();
    const status = structuredClone(pod.status);
    status.conditions = status.conditions.map((c: any) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: new Date(sim.clock.now()).toISOString().replace('.000Z', 'Z') } : c));
    await call(sim, { verb: 'update', resource: 'pods', namespace: 'default', name: 'solo', subresource: 'status', body: { ...structuredClone(pod), status } });
    await sim.run(0);
    const ep = endpoints(sim, 'solo')!;
    expect(ready(sim.get('pods', 'default', 'solo')!)).toBe(false);
    expect(ep.subsets[0].notReadyAddresses[0].targetRef.name).toBe('solo');
    expect(ep.subsets[0].ports).toEqual([{ name: 'web', port: 8080, protocol: 'TCP' }]);
    expect(endpoints(sim, 'solo-all')!.subsets[0].addresses[0].targetRef.name).toBe('solo');
    expect(allEndpoints(slicesOf(sim, 'solo-all'))[0].conditions).toEqual({ ready: true, serving: false, terminating: false });
    expect(allEndpoints(slicesOf(sim, 'solo'))[0].conditions).toEqual({ ready: false, serving: false, terminating: false });
  });

  it('a terminating pod leaves Endpoints but stays in its slice as terminating, then goes', async () => {
    const sim = await newSim();
    const ctr = { name: 'app', image: 'busybox:1.36', ports: [{ name: 'http', containerPort: 8080 }], command: ['sh', '-c', 'sleep 3600'] };
    await sim.create('deployments', 'default', deployment('slow', 2, ctr));
    await sim.create('services', 'default', service('slow', { app: 'slow' }));
    await sim.settle();
    const victim = podsOf(sim, 'slow-')[0].metadata!.name!;
    await call(sim, { verb: 'delete', resource: 'pods', namespace: 'default', name: victim });
    await sim.run(1000);
    const p = sim.get('pods', 'default', victim);
    expect(p?.metadata?.deletionTimestamp).toBeTruthy();
    const names = (endpoints(sim, 'slow')!.subsets ?? []).flatMap((s: any) => [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])]).map((a: any) => a.targetRef.name);
    expect(names).not.toContain(victim);
    const e = allEndpoints(slicesOf(sim, 'slow')).find((x: any) => x.targetRef.name === victim);
    expect(e.conditions).toEqual({ ready: false, serving: ready(p!), terminating: true });
    await until(sim, () => !sim.get('pods', 'default', victim), 60_000);
    await sim.run(0);
    expect(allEndpoints(slicesOf(sim, 'slow')).map((x: any) => x.targetRef.name)).not.toContain(victim);
  });

  it('resolves a named targetPort per pod: two port numbers, two subsets and two slices', async () => {
    const sim = await newSim();
    const pod = (name: string, port: number): KObject => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'multi' } },
      spec: { containers: [{ name: 'c', image: 'nginx:1.25', ports: [{ name: 'web', containerPort: port }] }] },
    });
    await sim.create('pods', 'default', pod('multi-a', 8080));
    await sim.create('pods', 'default', pod('multi-b', 9090));
    await sim.create('services', 'default', service('multi', { app: 'multi' }, [{ name: 'http', port: 80, targetPort: 'web' }]));
    await sim.settle();
    const subsets = endpoints(sim, 'multi')!.subsets;
    expect(subsets).toHaveLength(2);
    const byPort = Object.fromEntries(subsets.map((s: any) => [s.ports[0].port, s.addresses.map((a: any) => a.targetRef.name)]));
    expect(byPort).toEqual({ 8080: ['multi-a'], 9090: ['multi-b'] });
    const slices = slicesOf(sim, 'multi');
    expect(slices).toHaveLength(2);
    expect(slices.map((s) => [s.ports[0].port, s.endpoints.map((e: any) => e.targetRef.name)]).sort()).toEqual([[8080, ['multi-a']], [9090, ['multi-b']]]);
    expect(slices[0].ports[0].name).toBe('http');
  });

  it('headless Service of a StatefulSet: hostnames, the headless label', async () => {
    const sim = await newSim();
    await apply(sim, webManifests());
    await until(sim, () => podsOf(sim, 'web-').filter(ready).length === 2);
    await sim.run(0);
    const ep = endpoints(sim, 'nginx')!;
    expect(ep.metadata!.labels).toMatchObject({ 'service.kubernetes.io/headless': '' });
    const addrs = ep.subsets[0].addresses;
    expect(addrs.map((a: any) => [a.hostname, a.targetRef.name]).sort()).toEqual([['web-0', 'web-0'], ['web-1', 'web-1']]);
    expect(ep.subsets[0].ports).toEqual([{ name: 'web', port: 80, protocol: 'TCP' }]);
    const [sl] = slicesOf(sim, 'nginx');
    expect(sl.metadata!.labels!['service.kubernetes.io/headless']).toBe('');
    expect(sl.endpoints.map((e: any) => e.hostname).sort()).toEqual(['web-0', 'web-1']);
  });

  it('leaves a selectorless Service and its user-written Endpoints alone, and the kubernetes Service too', async () => {
    const sim = await newSim();
    await sim.create('services', 'default', service('external-db', undefined, [{ port: 5432 }]));
    const mine = await sim.create('endpoints', 'default', {
      apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'external-db' },
      subsets: [{ addresses: [{ ip: '192.168.1.50' }], ports: [{ port: 5432 }] }],
    });
    const kube = sim.get('endpoints', 'default', 'kubernetes')!;
    const kubeSlice = sim.get('endpointslices', 'default', 'kubernetes')!;
    await sim.settle();
    await sim.run(10_000);
    expect(endpoints(sim, 'external-db')!.metadata!.resourceVersion).toBe(mine.metadata!.resourceVersion);
    expect(slicesOf(sim, 'external-db')).toEqual([]);
    expect(sim.get('endpoints', 'default', 'kubernetes')!.metadata!.resourceVersion).toBe(kube.metadata!.resourceVersion);
    expect(slicesOf(sim, 'kubernetes').map((s) => s.metadata!.resourceVersion)).toEqual([kubeSlice.metadata!.resourceVersion]);
  });

  it('a Service selecting nothing: an Endpoints without subsets and the placeholder slice', async () => {
    const sim = await newSim();
    await sim.create('services', 'default', service('lonely', { app: 'nobody' }));
    await sim.settle();
    const ep = endpoints(sim, 'lonely')!;
    expect(ep.subsets).toBeUndefined();
    const slices = slicesOf(sim, 'lonely');
    expect(slices).toHaveLength(1);
    expect(slices[0].endpoints).toBeNull();
    expect(slices[0].ports).toBeNull();
    const name = slices[0].metadata!.name;
    // The first pod fills the placeholder: the same slice, rewritten.
    await sim.create('pods', 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'someone', labels: { app: 'nobody' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25', ports: [{ name: 'http', containerPort: 80 }] }] } });
    await sim.settle();
    expect(slicesOf(sim, 'lonely').map((s) => [s.metadata!.name, s.endpoints?.length])).toEqual([[name, 1]]);
  });

  it('deleting the Service removes its Endpoints and (through the garbage collector) its slices', async () => {
    const sim = await newSim();
    await sim.create('deployments', 'default', deployment('gone', 2));
    await sim.create('services', 'default', service('gone', { app: 'gone' }));
    await sim.settle();
    expect(slicesOf(sim, 'gone')).toHaveLength(1);
    await call(sim, { verb: 'delete', resource: 'services', namespace: 'default', name: 'gone' });
    await sim.settle();
    expect(endpoints(sim, 'gone')).toBeUndefined();
    expect(slicesOf(sim, 'gone')).toEqual([]);
  });

  it('splits more than 100 endpoints into slices of at most 100', async () => {
    const sim = await newSim();
    await sim.create('deployments', 'default', deployment('big', 150));
    await sim.create('services', 'default', service('big', { app: 'big' }));
    await sim.settle();
    expect(podsOf(sim, 'big-').filter(ready).length).toBe(150);
    // As the pods come up over several syncs the split is not 100 + 50, but never more than 100
    // in a slice, and no more slices than needed.
    const sizes = slicesOf(sim, 'big').map((s) => s.endpoints.length);
    expect(sizes).toHaveLength(2);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
    expect(sizes[0] + sizes[1]).toBe(150);
    expect(new Set(allEndpoints(slicesOf(sim, 'big')).map((e: any) => e.targetRef.name)).size).toBe(150);
    expect(endpoints(sim, 'big')!.subsets[0].addresses).toHaveLength(150);
    // A Service over pods that are all there already gets them in one sync: 100 + 50.
    await sim.create('services', 'default', service('big-too', { app: 'big' }));
    await sim.run(0);
    expect(slicesOf(sim, 'big-too').map((s) => s.endpoints.length).sort((a, b) => b - a)).toEqual([100, 50]);
  }, 60_000);
});

describe('membership follows the pods', () => {
  it('a pod relabelled away from the selector leaves the Endpoints and the slice', async () => {
    const sim = await newSim();
    await sim.create('deployments', 'default', deployment('rel', 2));
    await sim.create('services', 'default', service('rel', { app: 'rel' }));
    await sim.settle();
    const victim = podsOf(sim, 'rel-')[0].metadata!.name!;
    await call(sim, { verb: 'patch', resource: 'pods', namespace: 'default', name: victim, patchType: 'merge', body: { metadata: { labels: { app: 'debug' } } } });
    await sim.run(0);
    const names = endpoints(sim, 'rel')!.subsets.flatMap((s: any) => s.addresses ?? []).map((a: any) => a.targetRef.name);
    expect(names).not.toContain(victim);
    expect(allEndpoints(slicesOf(sim, 'rel')).map((e: any) => e.targetRef.name)).not.toContain(victim);
  });
});
