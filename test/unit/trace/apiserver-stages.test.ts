// The apiserver's stages, as the trace records them for one request: authentication,
// authorization (which binding allowed it), defaulting and admission (what each plugin did),
// validation and the etcd write (key and revision).
import { afterEach, describe, expect, it } from 'vitest';
import { newSim, ADMIN, type Sim } from '../controlplane/harness.js';
import { traceSettings, type TraceRecord } from '../../../src/trace/trace.js';
import { CONTROLLER_MANAGER } from '../../../src/controllers/component.js';

const deployment = (name: string) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
  spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } },
});

/** The records a call adds. */
async function traced(sim: Sim, fn: () => Promise<unknown>): Promise<TraceRecord[]> {
  const from = sim.trace.records.length;
  await fn();
  return sim.trace.records.slice(from);
}

const stages = (r: TraceRecord) => (r.steps ?? []).map((s) => s.stage);
const step = (r: TraceRecord, stage: string) => (r.steps ?? []).filter((s) => s.stage === stage).map((s) => s.detail);

afterEach(() => {
  traceSettings.componentReads = false;
});

describe('trace records of the apiserver\'s stages', () => {
  it('tells a kubectl create in the apiserver\'s order, with the RBAC binding that allowed it and the etcd key and revision', async () => {
    const sim = await newSim();
    let body: any;
    const [rec, ...rest] = await traced(sim, async () => {
      body = (await sim.call({ verb: 'create', resource: 'deployments', namespace: 'default', body: deployment('web') })).body;
    });
    expect(rest).toEqual([]);
    expect(rec).toMatchObject({ action: 'POST', object: '/apis/apps/v1/namespaces/default/deployments', by: 'kubectl', user: 'kubernetes-admin', code: 201, kind: 'Deployment', ns: 'default', name: 'web', rv: body.metadata.resourceVersion });
    expect(stages(rec)).toEqual(['authentication', 'authorization', 'defaulting', 'mutating admission', 'validation', 'validating admission', 'etcd']);
    expect(step(rec, 'authentication')[0]).toBe('user "kubernetes-admin", groups [kubeadm:cluster-admins, system:authenticated]');
    expect(step(rec, 'authorization')[0]).toBe('create deployments.apps in namespace "default": RBAC: allowed by ClusterRoleBinding "kubeadm:cluster-admins" of ClusterRole "cluster-admin" to Group "kubeadm:cluster-admins"');
    expect(step(rec, 'defaulting')[0]).toMatch(/^apps\/v1 Deployment defaults: .*spec\.strategy\.type=RollingUpdate/);
    expect(step(rec, 'mutating admission')[0]).toBe('NamespaceLifecycle: namespace "default" exists and is not terminating');
    expect(step(rec, 'etcd')[0]).toBe(`created /registry/deployments/default/web at revision ${body.metadata.resourceVersion}`);
  });

  it('says what the Pod admission plugins did: ServiceAccount mounted the token volume, DefaultTolerationSeconds added tolerations', async () => {
    const sim = await newSim();
    const [rec] = await traced(sim, () => sim.call({ verb: 'create', resource: 'pods', namespace: 'default', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } }));
    const adm = step(rec, 'mutating admission');
    expect(adm[0]).toMatch(/^NamespaceLifecycle/);
    expect(adm[1]).toMatch(/^ServiceAccount: spec\.serviceAccountName=default, spec\.serviceAccount=default, spec\.volumes\[kube-api-access-\w{5}\] added, spec\.containers\[c\]\.volumeMounts\[kube-api-access-\w{5}\] added$/);
    expect(adm[2]).toBe('Priority: spec.priority=0, spec.preemptionPolicy=PreemptLowerPriority');
    expect(adm[3]).toMatch(/^DefaultTolerationSeconds: spec\.tolerations\[0\] added, spec\.tolerations\[1\] added$/);
    expect(adm[4]).toBe('LimitRanger: no LimitRange defaults apply');
  });

  it('shows the ClusterIP a Service was given', async () => {
    const sim = await newSim();
    let body: any;
    const [rec] = await traced(sim, async () => {
      body = (await sim.call({ verb: 'create', resource: 'services', namespace: 'default', body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { a: 'b' }, ports: [{ port: 80 }] } } })).body;
    });
    expect(step(rec, 'mutating admission').join('\n')).toContain(`ClusterIP allocator: spec.clusterIP=${body.spec.clusterIP}`);
    expect(step(rec, 'etcd')[0]).toMatch(/^created \/registry\/services\/specs\/default\/s at revision \d+$/);
  });

  it('stops at authorization for a user no role allows, and names the binding that allowed one that is', async () => {
    const sim = await newSim();
    const bob = { username: 'bob', groups: ['system:authenticated'] };
    const [denied] = await traced(sim, () => sim.call({ verb: 'create', resource: 'deployments', namespace: 'default', body: deployment('x'), user: bob }));
    expect(denied.code).toBe(403);
    expect(stages(denied)).toEqual(['authentication', 'authorization']);
    expect(step(denied, 'authorization')[0]).toContain('RBAC: denied');
    expect(denied.error).toContain('User "bob" cannot create resource "deployments"');

    await sim.create('roles', 'default', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }] });
    await sim.create('rolebindings', 'default', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'bob-reads' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects: [{ kind: 'User', name: 'bob', apiGroup: 'rbac.authorization.k8s.io' }] });
    const [allowed] = await traced(sim, () => sim.call({ verb: 'list', resource: 'pods', namespace: 'default', user: bob }));
    expect(step(allowed, 'authorization')[0]).toBe('list pods in namespace "default": RBAC: allowed by RoleBinding "bob-reads/default" of Role "reader" to User "bob"');
  });

  it('records an update that changes nothing as no write, and a delete with its key', async () => {
    const sim = await newSim();
    await sim.create('configmaps', 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } });
    const [same] = await traced(sim, () => sim.call({ verb: 'patch', resource: 'configmaps', namespace: 'default', name: 'cm', patchType: 'merge', body: { data: { a: '1' } } }));
    expect(step(same, 'etcd')[0]).toMatch(/^unchanged: nothing written, \/registry\/configmaps\/default\/cm stays at revision \d+$/);
    const [changed] = await traced(sim, () => sim.call({ verb: 'patch', resource: 'configmaps', namespace: 'default', name: 'cm', patchType: 'merge', body: { data: { a: '2' } } }));
    expect(step(changed, 'etcd')[0]).toMatch(/^updated \/registry\/configmaps\/default\/cm: revision (\d+) → (\d+)$/);
    const [gone] = await traced(sim, () => sim.call({ verb: 'delete', resource: 'configmaps', namespace: 'default', name: 'cm' }));
    expect(step(gone, 'etcd')[0]).toMatch(/^deleted \/registry\/configmaps\/default\/cm at revision \d+$/);
  });

  it('keeps the control plane\'s own calls light: writes without stages, reads not at all unless asked for', async () => {
    const sim = await newSim();
    const cm = { username: CONTROLLER_MANAGER.username, groups: CONTROLLER_MANAGER.groups };
    const recs = await traced(sim, async () => {
      await sim.call({ verb: 'list', resource: 'pods', namespace: 'default', user: cm });
      await sim.call({ verb: 'create', resource: 'configmaps', namespace: 'default', user: cm, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } });
    });
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({ by: 'kube-controller-manager', action: 'POST', code: 201, name: 'x' });
    expect(recs[0].steps).toBeUndefined();

    traceSettings.componentReads = true;
    const loud = await traced(sim, () => sim.call({ verb: 'list', resource: 'pods', namespace: 'default', user: cm }));
    expect(loud).toHaveLength(1);
    expect(stages(loud[0])).toEqual(['authentication', 'authorization']);
    expect(step(loud[0], 'authorization')[0]).toContain('privileged group "system:masters"');
  });

  it('names a kubelet by its node, and says what its status write carried', async () => {
    const sim = await newSim();
    await sim.create('pods', 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const node = { username: 'system:node:w1', groups: ['system:nodes', 'system:masters', 'system:authenticated'] };
    const pod = sim.get('pods', 'default', 'p')!;
    const [rec] = await traced(sim, () => sim.call({ verb: 'update', resource: 'pods', namespace: 'default', name: 'p', subresource: 'status', user: node, body: { ...pod, status: { phase: 'Running', podIP: '10.244.1.7' } } }));
    expect(rec).toMatchObject({ by: 'kubelet (w1)', action: 'PUT', object: '/api/v1/namespaces/default/pods/p/status', summary: 'phase Running, podIP 10.244.1.7' });
    void ADMIN;
  });
});
