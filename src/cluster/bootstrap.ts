// What a new cluster holds before anyone applies anything: the system namespaces, the
// `kubernetes` Service, and the bootstrap RBAC policy (the roles kubeadm and the apiserver create).
// Everything is created through the apiserver, as the real bootstrap controllers do.
import { ApiServer, resourceFor } from '../apiserver/apiserver.js';
import type { KObject } from '../apiserver/types.js';
import { ADMIN_GROUP } from './home.js';

export const CONTROL_PLANE_IP = '172.18.0.2';
export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

const VIEWABLE: [string, string[]][] = [
  ['', ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'pods/log', 'pods/status',
    'replicationcontrollers', 'replicationcontrollers/scale', 'replicationcontrollers/status', 'serviceaccounts', 'services',
    'services/status', 'bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'resourcequotas', 'resourcequotas/status', 'namespaces']],
  ['apps', ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status',
    'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status']],
  ['autoscaling', ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']],
  ['batch', ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']],
  ['discovery.k8s.io', ['endpointslices']],
  ['networking.k8s.io', ['ingresses', 'ingresses/status', 'networkpolicies']],
  ['policy', ['poddisruptionbudgets', 'poddisruptionbudgets/status']],
];

const EDITABLE: [string, string[]][] = [
  ['', ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'configmaps', 'endpoints', 'persistentvolumeclaims',
    'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy', 'pods/eviction']],
  ['apps', ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale']],
  ['autoscaling', ['horizontalpodautoscalers']],
  ['batch', ['cronjobs', 'jobs']],
  ['discovery.k8s.io', ['endpointslices']],
  ['networking.k8s.io', ['ingresses', 'networkpolicies']],
  ['policy', ['poddisruptionbudgets']],
];

function rulesOf(table: [string, string[]][], verbs: string[]): any[] {
  return table.map(([g, resources]) => ({ apiGroups: [g], resources: [...new Set(resources)], verbs }));
}

function clusterRole(name: string, rules: any[], labels: Record<string, string> = {}): KObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole',
    metadata: { name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...labels }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
    rules,
  };
}

function clusterRoleBinding(name: string, role: string, subjects: any[], bootstrapping = true): KObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding',
    metadata: bootstrapping
      ? { name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } }
      : { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects,
  };
}

const group = (name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name });

export function bootstrapObjects(): [string, string | undefined, KObject][] {
  const objs: [string, string | undefined, KObject][] = [];
  for (const ns of SYSTEM_NAMESPACES) {
    objs.push(['namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }]);
  }
  const roles = [
    clusterRole('cluster-admin', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }]),
    clusterRole('admin', [
      ...rulesOf(EDITABLE, [...READ, ...WRITE]),
      ...rulesOf(VIEWABLE, READ),
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'roles'], verbs: [...WRITE, ...READ] },
      { apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'], verbs: ['create'] },
    ], { 'kubernetes.io/bootstrapping': 'rbac-defaults' }),
    clusterRole('edit', [...rulesOf(EDITABLE, [...READ, ...WRITE]), ...rulesOf(VIEWABLE, READ)], { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' }),
    clusterRole('view', rulesOf(VIEWABLE, READ), { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' }),
    clusterRole('system:basic-user', [
      { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] },
      { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
    ]),
    clusterRole('system:discovery', [{ nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], verbs: ['get'] }]),
    clusterRole('system:public-info-viewer', [{ nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] }]),
  ];
  for (const r of roles) objs.push(['clusterroles', undefined, r]);
  const bindings = [
    clusterRoleBinding('cluster-admin', 'cluster-admin', [group('system:masters')]),
    clusterRoleBinding('kubeadm:cluster-admins', 'cluster-admin', [group(ADMIN_GROUP)], false),
    clusterRoleBinding('system:basic-user', 'system:basic-user', [group('system:authenticated')]),
    clusterRoleBinding('system:discovery', 'system:discovery', [group('system:authenticated')]),
    clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')]),
  ];
  for (const b of bindings) objs.push(['clusterrolebindings', undefined, b]);
  objs.push(['services', 'default', {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None', type: 'ClusterIP' },
  }]);
  objs.push(['endpoints', 'default', {
    apiVersion: 'v1', kind: 'Endpoints',
    metadata: { name: 'kubernetes', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: CONTROL_PLANE_IP }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
  }]);
  objs.push(['endpointslices', 'default', {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [CONTROL_PLANE_IP], conditions: { ready: true } }],
    ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
  }]);
  return objs;
}

export async function bootstrapCluster(api: ApiServer): Promise<void> {
  for (const [resource, namespace, body] of bootstrapObjects()) {
    const res = await api.handle({ verb: 'create', resource: resourceFor(resource), namespace, body, user: ApiServer.systemUser });
    if (res.code >= 300) throw new Error(`bootstrap: creating ${resource} ${body.metadata?.name}: ${res.body.message}`);
  }
}
