// The apiserver's storage contract and pipeline, as any client sees them.
import { describe, expect, it } from 'vitest';
import { newCluster, deployment } from './harness.js';

describe('metadata the apiserver owns', () => {
  it('stamps uid, creationTimestamp, generation and a cluster-wide resourceVersion on create', async () => {
    const h = await newCluster();
    const before = h.store.revision;
    const r = await h.call({ verb: 'create', resource: 'deployments', namespace: 'default', body: deployment('web') });
    expect(r.code).toBe(201);
    const md = r.body.metadata;
    expect(md.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(md.creationTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(md.generation).toBe(1);
    expect(Number(md.resourceVersion)).toBe(before + 1);
    expect(r.body.status).toEqual({});
  });

  it('moves generation on spec changes only, and ignores writes that change nothing', async () => {
    const h = await newCluster();
    const created = (await h.call({ verb: 'create', resource: 'deployments', namespace: 'default', body: deployment('web') })).body;
    const labelled = await h.call({ verb: 'patch', resource: 'deployments', namespace: 'default', name: 'web', patchType: 'merge', body: { metadata: { labels: { a: 'b' } } } });
    expect(labelled.body.metadata.generation).toBe(1);
    expect(labelled.body.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);
    const scaled = await h.call({ verb: 'patch', resource: 'deployments', namespace: 'default', name: 'web', patchType: 'merge', body: { spec: { replicas: 4 } } });
    expect(scaled.body.metadata.generation).toBe(2);
    const rev = h.store.revision;
    const same = await h.call({ verb: 'patch', resource: 'deployments', namespace: 'default', name: 'web', patchType: 'merge', body: { spec: { replicas: 4 } } });
    expect(same.code).toBe(200);
    expect(same.body.metadata.resourceVersion).toBe(scaled.body.metadata.resourceVersion);
    expect(h.store.revision).toBe(rev);
  });

  it('refuses an update with a stale resourceVersion with 409 Conflict', async () => {
    const h = await newCluster();
    const created = (await h.call({ verb: 'create', resource: 'configmaps', namespace: 'default', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } } })).body;
    await h.call({ verb: 'update', resource: 'configmaps', namespace: 'default', name: 'c', body: { ...created, data: { a: '2' } } });
    const stale = await h.call({ verb: 'update', resource: 'configmaps', namespace: 'default', name: 'c', body: { ...created, data: { a: '3' } } });
    expect(stale.code).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
    expect(stale.body.message).toBe('Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again');
  });

  it('keeps an object with finalizers until they are removed, with a deletionTimestamp', async () => {
    const h = await newCluster();
    await h.call({ verb: 'create', resource: 'configmaps', namespace: 'default', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'f', finalizers: ['example.com/hold'] } } });
    const del = await h.call({ verb: 'delete', resource: 'configmaps', namespace: 'default', name: 'f' });
    expect(del.code).toBe(200);
    const live = await h.call({ verb: 'get', resource: 'configmaps', namespace: 'default', name: 'f' });
    expect(live.body.metadata.deletionTimestamp).toBe('2026-01-01T00:00:00Z');
    await h.call({ verb: 'patch', resource: 'configmaps', namespace: 'default', name: 'f', patchType: 'merge', body: { metadata: { finalizers: null } } });
    expect((await h.call({ verb: 'get', resource: 'configmaps', namespace: 'default', name: 'f' })).code).toBe(404);
  });

  it('runs everything but storage on a server dry run', async () => {
    const h = await newCluster();
    const rev = h.store.revision;
    const r = await h.call({ verb: 'create', resource: 'deployments', namespace: 'default', body: deployment('dry'), dryRun: true });
    expect(r.code).toBe(201);
    expect(r.body.spec.strategy.type).toBe('RollingUpdate');
    expect(h.store.revision).toBe(rev);
    const bad = await h.call({ verb: 'create', resource: 'deployments', namespace: 'default', body: { ...deployment('dry'), spec: { ...deployment('dry').spec, replicas: -1 } }, dryRun: true });
    expect(bad.code).toBe(422);
    expect(bad.body.details.causes[0]).toEqual({ reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' });
  });
});

describe('the pipeline, in order', () => {
  it('authorizes before it decodes: a forbidden user learns nothing about the body', async () => {
    const h = await newCluster();
    const r = await h.call({ verb: 'create', resource: 'pods', namespace: 'default', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: { bogus: 1 } }, user: { username: 'eve', groups: ['system:authenticated'] } });
    expect(r.code).toBe(403);
    // A create names no object in its URL, so the message names none either.
    expect(r.body.message).toBe('pods is forbidden: User "eve" cannot create resource "pods" in API group "" in the namespace "default"');
  });

  it('decodes strictly before admission: unknown fields are a 400', async () => {
    const h = await newCluster();
    const r = await h.call({ verb: 'create', resource: 'pods', namespace: 'nowhere', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: { bogus: 1, containers: [] } } });
    expect(r.code).toBe(400);
    expect(r.body.message).toBe('Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.bogus"');
  });

  it('refuses objects in a missing or terminating namespace (NamespaceLifecycle)', async () => {
    const h = await newCluster();
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
    const missing = await h.call({ verb: 'create', resource: 'configmaps', namespace: 'nowhere', body: cm });
    expect([missing.code, missing.body.message]).toEqual([404, 'namespaces "nowhere" not found']);
    await h.call({ verb: 'create', resource: 'namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'going' } } });
    await h.call({ verb: 'create', resource: 'configmaps', namespace: 'going', body: { ...cm, metadata: { name: 'keep', finalizers: ['x/y'] } } });
    await h.call({ verb: 'delete', resource: 'namespaces', name: 'going' });
    const late = await h.call({ verb: 'create', resource: 'configmaps', namespace: 'going', body: cm });
    expect([late.code, late.body.message]).toEqual([403, 'configmaps "c" is forbidden: unable to create new content in namespace going because it is being terminated']);
  });

  it('defaults pods and mounts their service account token', async () => {
    const h = await newCluster();
    const r = await h.call({ verb: 'create', resource: 'pods', namespace: 'default', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } });
    const spec = r.body.spec;
    expect(spec.serviceAccountName).toBe('default');
    expect(spec.restartPolicy).toBe('Always');
    expect(spec.containers[0].imagePullPolicy).toBe('Always');
    expect(spec.containers[0].volumeMounts[0].mountPath).toBe('/var/run/secrets/kubernetes.io/serviceaccount');
    expect(spec.volumes[0].name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(spec.tolerations.map((t: any) => t.key)).toEqual(['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);
    expect(r.body.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('allocates ClusterIPs from the service CIDR and refuses a taken one', async () => {
    const h = await newCluster();
    const svc = (name: string, clusterIP?: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { clusterIP, selector: { app: name }, ports: [{ port: 80 }] } });
    const a = await h.call({ verb: 'create', resource: 'services', namespace: 'default', body: svc('a') });
    const ip = a.body.spec.clusterIP as string;
    const n = ip.split('.').map(Number);
    expect(n[0]).toBe(10);
    expect(n[1] >= 96 && n[1] <= 111).toBe(true);
    const taken = await h.call({ verb: 'create', resource: 'services', namespace: 'default', body: svc('b', '10.96.0.1') });
    expect(taken.code).toBe(422);
    expect(taken.body.details.causes[0].message).toBe('Invalid value: []string{"10.96.0.1"}: failed to allocate IP 10.96.0.1: provided IP is already allocated');
  });
});
