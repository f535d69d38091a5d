// The API resources this apiserver serves, in the order the real apiserver's discovery lists them.
// Everything that resolves a user's word ("po", "deploy", "deployments.apps") to a resource, and
// everything that builds a storage key or a URL path, starts here.

export interface ResourceInfo {
  /** plural resource name, e.g. "deployments" */
  name: string;
  singular: string;
  kind: string;
  group: string; // "" for the core group
  version: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** subresources served, e.g. ["status", "scale"] */
  subresources: string[];
}

const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const CREATE_ONLY = ['create'];

function r(
  name: string,
  kind: string,
  groupVersion: string,
  namespaced: boolean,
  shortNames: string[] = [],
  opts: { categories?: string[]; verbs?: string[]; singular?: string; subresources?: string[] } = {},
): ResourceInfo {
  const slash = groupVersion.indexOf('/');
  const group = slash < 0 ? '' : groupVersion.slice(0, slash);
  const version = slash < 0 ? groupVersion : groupVersion.slice(slash + 1);
  return {
    name,
    singular: opts.singular ?? kind.toLowerCase(),
    kind,
    group,
    version,
    namespaced,
    shortNames,
    categories: opts.categories ?? [],
    verbs: opts.verbs ?? RW,
    subresources: opts.subresources ?? [],
  };
}

const ALL = ['all'];

export const RESOURCES: ResourceInfo[] = [
  r('bindings', 'Binding', 'v1', true, [], { verbs: CREATE_ONLY }),
  r('componentstatuses', 'ComponentStatus', 'v1', false, ['cs'], { verbs: ['get', 'list'] }),
  r('configmaps', 'ConfigMap', 'v1', true, ['cm']),
  r('endpoints', 'Endpoints', 'v1', true, ['ep'], { singular: 'endpoints' }),
  r('events', 'Event', 'v1', true, ['ev']),
  r('limitranges', 'LimitRange', 'v1', true, ['limits']),
  r('namespaces', 'Namespace', 'v1', false, ['ns'], {
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: ['status', 'finalize'],
  }),
  r('nodes', 'Node', 'v1', false, ['no'], { subresources: ['status', 'proxy'] }),
  r('persistentvolumeclaims', 'PersistentVolumeClaim', 'v1', true, ['pvc'], { subresources: ['status'] }),
  r('persistentvolumes', 'PersistentVolume', 'v1', false, ['pv'], { subresources: ['status'] }),
  r('pods', 'Pod', 'v1', true, ['po'], {
    categories: ALL,
    subresources: ['attach', 'binding', 'ephemeralcontainers', 'eviction', 'exec', 'log', 'portforward', 'proxy', 'resize', 'status'],
  }),
  r('podtemplates', 'PodTemplate', 'v1', true),
  r('replicationcontrollers', 'ReplicationController', 'v1', true, ['rc'], { categories: ALL, subresources: ['scale', 'status'] }),
  r('resourcequotas', 'ResourceQuota', 'v1', true, ['quota'], { subresources: ['status'] }),
  r('secrets', 'Secret', 'v1', true),
  r('serviceaccounts', 'ServiceAccount', 'v1', true, ['sa'], { subresources: ['token'] }),
  r('services', 'Service', 'v1', true, ['svc'], {
    categories: ALL,
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: ['proxy', 'status'],
  }),
  r('controllerrevisions', 'ControllerRevision', 'apps/v1', true),
  r('daemonsets', 'DaemonSet', 'apps/v1', true, ['ds'], { categories: ALL, subresources: ['status'] }),
  r('deployments', 'Deployment', 'apps/v1', true, ['deploy'], { categories: ALL, subresources: ['scale', 'status'] }),
  r('replicasets', 'ReplicaSet', 'apps/v1', true, ['rs'], { categories: ALL, subresources: ['scale', 'status'] }),
  r('statefulsets', 'StatefulSet', 'apps/v1', true, ['sts'], { categories: ALL, subresources: ['scale', 'status'] }),
  r('selfsubjectreviews', 'SelfSubjectReview', 'authentication.k8s.io/v1', false, [], { verbs: CREATE_ONLY }),
  r('tokenreviews', 'TokenReview', 'authentication.k8s.io/v1', false, [], { verbs: CREATE_ONLY }),
  r('localsubjectaccessreviews', 'LocalSubjectAccessReview', 'authorization.k8s.io/v1', true, [], { verbs: CREATE_ONLY }),
  r('selfsubjectaccessreviews', 'SelfSubjectAccessReview', 'authorization.k8s.io/v1', false, [], { verbs: CREATE_ONLY }),
  r('selfsubjectrulesreviews', 'SelfSubjectRulesReview', 'authorization.k8s.io/v1', false, [], { verbs: CREATE_ONLY }),
  r('subjectaccessreviews', 'SubjectAccessReview', 'authorization.k8s.io/v1', false, [], { verbs: CREATE_ONLY }),
  r('horizontalpodautoscalers', 'HorizontalPodAutoscaler', 'autoscaling/v2', true, ['hpa'], { categories: ALL, subresources: ['status'] }),
  r('cronjobs', 'CronJob', 'batch/v1', true, ['cj'], { categories: ALL, subresources: ['status'] }),
  r('jobs', 'Job', 'batch/v1', true, [], { categories: ALL, subresources: ['status'] }),
  r('leases', 'Lease', 'coordination.k8s.io/v1', true),
  r('endpointslices', 'EndpointSlice', 'discovery.k8s.io/v1', true),
  r('events', 'Event', 'events.k8s.io/v1', true, ['ev']),
  r('ingressclasses', 'IngressClass', 'networking.k8s.io/v1', false),
  r('ingresses', 'Ingress', 'networking.k8s.io/v1', true, ['ing'], { subresources: ['status'] }),
  r('networkpolicies', 'NetworkPolicy', 'networking.k8s.io/v1', true, ['netpol']),
  r('poddisruptionbudgets', 'PodDisruptionBudget', 'policy/v1', true, ['pdb'], { subresources: ['status'] }),
  r('clusterrolebindings', 'ClusterRoleBinding', 'rbac.authorization.k8s.io/v1', false),
  r('clusterroles', 'ClusterRole', 'rbac.authorization.k8s.io/v1', false),
  r('rolebindings', 'RoleBinding', 'rbac.authorization.k8s.io/v1', true),
  r('roles', 'Role', 'rbac.authorization.k8s.io/v1', true),
  r('priorityclasses', 'PriorityClass', 'scheduling.k8s.io/v1', false, ['pc']),
  r('storageclasses', 'StorageClass', 'storage.k8s.io/v1', false, ['sc']),
];

export function groupVersion(ri: { group: string; version: string }): string {
  return ri.group ? `${ri.group}/${ri.version}` : ri.version;
}

/** "deployments.apps", or "pods" for the core group: the form kubectl uses in messages. */
export function qualifiedName(ri: ResourceInfo): string {
  return ri.group ? `${ri.name}.${ri.group}` : ri.name;
}

/** The storage prefix of a resource, like the apiserver's etcd key prefix. */
export function storageKey(ri: ResourceInfo): string {
  return ri.group ? `${ri.group}/${ri.name}` : ri.name;
}

export function findByKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  return RESOURCES.find((ri) => ri.kind === kind && ri.group === group && ri.version === version);
}

/** Any version of the kind's group exists? Used to tell "no matches for kind" apart. */
export function kindExists(kind: string): boolean {
  return RESOURCES.some((ri) => ri.kind === kind);
}

/**
 * Resolve a word typed on the command line the way kubectl's RESTMapper does:
 * plural, singular, short name or kind, optionally followed by ".group" or ".version.group".
 * The events.k8s.io duplicate of events loses to the core one, as in kubectl.
 */
export function resolveResource(word: string): ResourceInfo | undefined {
  const lower = word.toLowerCase();
  const matches = (ri: ResourceInfo, w: string) =>
    ri.name === w || ri.singular === w || ri.kind.toLowerCase() === w || ri.shortNames.includes(w);
  const direct = RESOURCES.find((ri) => matches(ri, lower) && !(ri.group === 'events.k8s.io'));
  if (direct) return direct;
  const dot = lower.indexOf('.');
  if (dot > 0) {
    const head = lower.slice(0, dot);
    const rest = lower.slice(dot + 1);
    for (const ri of RESOURCES) {
      if (!matches(ri, head)) continue;
      if (ri.group === rest) return ri;
      if (`${ri.version}.${ri.group}` === rest) return ri;
      if (ri.group === '' && (rest === ri.version || rest === '')) return ri;
    }
  }
  return undefined;
}

export function resourcesInCategory(category: string): ResourceInfo[] {
  return RESOURCES.filter((ri) => ri.categories.includes(category));
}

/** Every group-version served, core first, as /api and /apis list them. */
export function apiVersions(): string[] {
  const seen = new Set<string>();
  for (const ri of RESOURCES) seen.add(groupVersion(ri));
  // The apiserver also serves these group versions even though minikctl stores nothing in them.
  for (const extra of ['admissionregistration.k8s.io/v1', 'apiextensions.k8s.io/v1', 'apiregistration.k8s.io/v1',
    'certificates.k8s.io/v1', 'flowcontrol.apiserver.k8s.io/v1', 'node.k8s.io/v1', 'autoscaling/v1']) seen.add(extra);
  return [...seen];
}
