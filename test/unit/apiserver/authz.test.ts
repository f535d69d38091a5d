// RBAC, as the apiserver's authorizer evaluates it against stored roles and bindings.
import { describe, expect, it } from 'vitest';
import { newCluster } from './harness.js';

const student = { username: 'student1', groups: ['system:authenticated'] };

describe('RBAC', () => {
  it('allows what a RoleBinding grants, in its namespace only', async () => {
    const h = await newCluster();
    await h.call({ verb: 'create', resource: 'namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'class' } } });
    await h.call({ verb: 'create', resource: 'rolebindings', namespace: 'class', body: {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'edit' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'student1' }],
    } });
    expect((await h.call({ verb: 'list', resource: 'pods', namespace: 'class', user: student })).code).toBe(200);
    const other = await h.call({ verb: 'list', resource: 'pods', namespace: 'default', user: student });
    expect(other.code).toBe(403);
    const cluster = await h.call({ verb: 'list', resource: 'nodes', user: student });
    expect(cluster.body.message).toBe('nodes is forbidden: User "student1" cannot list resource "nodes" in API group "" at the cluster scope');
  });

  it('honours resourceNames and subresources in a Role', async () => {
    const h = await newCluster();
    await h.call({ verb: 'create', resource: 'roles', namespace: 'default', body: {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'one-cm' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['allowed'], verbs: ['get'] }, { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['patch'] }],
    } });
    await h.call({ verb: 'create', resource: 'rolebindings', namespace: 'default', body: {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'one-cm' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'one-cm' },
      subjects: [{ kind: 'User', name: 'student1' }],
    } });
    await h.call({ verb: 'create', resource: 'configmaps', namespace: 'default', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'allowed' } } });
    expect((await h.call({ verb: 'get', resource: 'configmaps', namespace: 'default', name: 'allowed', user: student })).code).toBe(200);
    const denied = await h.call({ verb: 'get', resource: 'configmaps', namespace: 'default', name: 'kube-root-ca.crt', user: student });
    expect(denied.body.message).toBe('configmaps "kube-root-ca.crt" is forbidden: User "student1" cannot get resource "configmaps" in API group "" in the namespace "default"');
    const list = await h.call({ verb: 'list', resource: 'configmaps', namespace: 'default', user: student });
    expect(list.code).toBe(403);
  });

  it('lets only users allowed to impersonate act as someone else', async () => {
    const h = await newCluster();
    const asStudent = await h.call({ verb: 'list', resource: 'pods', namespace: 'default', impersonate: student });
    expect(asStudent.code).toBe(403);
    expect(asStudent.body.message).toContain('User "student1" cannot list resource "pods"');
    const byStudent = await h.call({ verb: 'list', resource: 'pods', namespace: 'default', user: student, impersonate: { username: 'kubernetes-admin', groups: [] } });
    expect(byStudent.body.message).toBe('users "kubernetes-admin" is forbidden: User "student1" cannot impersonate resource "users" in API group "" at the cluster scope');
  });

  it('treats ServiceAccount subjects as system:serviceaccount users', async () => {
    const h = await newCluster();
    await h.call({ verb: 'create', resource: 'rolebindings', namespace: 'default', body: {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'sa-view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'default' }],
    } });
    const sa = { username: 'system:serviceaccount:default:default', groups: ['system:serviceaccounts', 'system:authenticated'] };
    expect((await h.call({ verb: 'list', resource: 'pods', namespace: 'default', user: sa })).code).toBe(200);
    expect((await h.call({ verb: 'list', resource: 'secrets', namespace: 'default', user: sa })).code).toBe(403);
  });
});
