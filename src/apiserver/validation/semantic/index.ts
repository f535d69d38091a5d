// Semantic validation per kind, the registry strategies' Validate and ValidateUpdate.
// Runs after defaulting, so "Required" here means the user left out something with no default.
import { FieldError } from './errors.js';
import { validateObjectMeta, validateObjectMetaUpdate, validateImmutable } from './meta.js';
import { NameFn, nameIsDNSLabel, nameIsDNSSubdomain, nameIsPathSegment } from './names.js';
import { validatePod, validatePodTemplateSpec, validatePodUpdate } from './pod.js';
import { validateDeployment, validateDeploymentUpdate } from './deployment.js';
import { validateReplicaSet, validateReplicaSetUpdate, validateReplicationController } from './replicaset.js';
import { validateStatefulSet, validateStatefulSetUpdate } from './statefulset.js';
import { validateDaemonSet, validateDaemonSetUpdate } from './daemonset.js';
import { validateCronJob, validateCronJobUpdate, validateJob, validateJobUpdate } from './job.js';
import { validateService, validateServiceUpdate } from './service.js';
import { validateConfigMap, validateConfigMapUpdate, validateSecret, validateSecretUpdate } from './configmap.js';
import { validateBinding, validateBindingUpdate, validateRole } from './rbac.js';
import { validateHPA, validateLease, validateNamespace, validatePDB, validatePVC, validatePVCUpdate } from './policy.js';
import { validateIngress, validateIngressClass } from './ingress.js';
import { validateNetworkPolicyObject, validateNetworkPolicyUpdate } from './networkpolicy.js';
import { RESOURCES } from '../../resources.js';

export type { FieldError, FieldErrorType, StatusCause } from './errors.js';
export { formatInvalid, statusCauses, invalidStatus, errorBody, errorString, aggregate, renderGoValue } from './errors.js';

type Validator = (obj: any) => FieldError[];
type UpdateValidator = (obj: any, old: any) => FieldError[];

const CREATE: Record<string, Validator> = {
  Pod: validatePod,
  Deployment: validateDeployment,
  ReplicaSet: validateReplicaSet,
  ReplicationController: validateReplicationController,
  StatefulSet: validateStatefulSet,
  DaemonSet: validateDaemonSet,
  Job: validateJob,
  CronJob: validateCronJob,
  Service: validateService,
  ConfigMap: validateConfigMap,
  Secret: validateSecret,
  Namespace: validateNamespace,
  Role: (o) => validateRole(o, true),
  ClusterRole: (o) => validateRole(o, false),
  RoleBinding: (o) => validateBinding(o, true),
  ClusterRoleBinding: (o) => validateBinding(o, false),
  PodDisruptionBudget: validatePDB,
  NetworkPolicy: validateNetworkPolicyObject,
  Lease: validateLease,
  HorizontalPodAutoscaler: validateHPA,
  PersistentVolumeClaim: validatePVC,
  Ingress: validateIngress,
  IngressClass: validateIngressClass,
  PodTemplate: (o) => [...validateObjectMeta(o.metadata, true, nameIsDNSSubdomain), ...validatePodTemplateSpec(o.template, 'template')],
};

const UPDATE: Record<string, UpdateValidator> = {
  Pod: (o, old) => [...validatePodUpdate(o, old), ...validateObjectMeta(o.metadata, true, nameIsDNSSubdomain)],
  Deployment: validateDeploymentUpdate,
  ReplicaSet: validateReplicaSetUpdate,
  StatefulSet: validateStatefulSetUpdate,
  DaemonSet: validateDaemonSetUpdate,
  Job: validateJobUpdate,
  CronJob: validateCronJobUpdate,
  Service: validateServiceUpdate,
  ConfigMap: validateConfigMapUpdate,
  Secret: validateSecretUpdate,
  RoleBinding: (o, old) => validateBindingUpdate(o, old, true),
  ClusterRoleBinding: (o, old) => validateBindingUpdate(o, old, false),
  PersistentVolumeClaim: validatePVCUpdate,
  NetworkPolicy: validateNetworkPolicyUpdate,
  PodDisruptionBudget: (o, old) => [...validateObjectMetaUpdate(o.metadata, old.metadata), ...validatePDB(o)],
  ControllerRevision: (o, old) => [...validateObjectMetaUpdate(o.metadata, old.metadata), ...validateImmutable(o.data, old.data, 'data')],
};

/** Kinds whose names are path segments rather than DNS names (see each kind's ValidateXName). */
const PATH_SEGMENT_NAMES = new Set(['PersistentVolume', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);
const DNS_LABEL_NAMES = new Set(['Namespace']);

function nameFnFor(kind: string): NameFn {
  if (PATH_SEGMENT_NAMES.has(kind)) return nameIsPathSegment;
  if (DNS_LABEL_NAMES.has(kind)) return nameIsDNSLabel;
  return nameIsDNSSubdomain;
}

function isNamespaced(kind: string, apiVersion: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const ri = RESOURCES.find((r) => r.kind === kind && r.group === group) ?? RESOURCES.find((r) => r.kind === kind);
  return ri ? ri.namespaced : true;
}

/**
 * Validate an object the way the apiserver does before storing it. With `old`, it is an update:
 * the update rules (immutable fields, metadata identity) apply as well.
 * The object must already be defaulted (see admission/defaults) and, for namespaced kinds,
 * carry metadata.namespace.
 */
export function validateObject(kind: string, apiVersion: string, obj: any, old?: any): FieldError[] {
  if (old) {
    const u = UPDATE[kind];
    if (u) return u(obj, old);
    const c = CREATE[kind];
    const base = validateObjectMetaUpdate(obj?.metadata, old?.metadata);
    return [...base, ...(c ? c(obj) : validateObjectMeta(obj?.metadata, isNamespaced(kind, apiVersion), nameFnFor(kind)))];
  }
  const v = CREATE[kind];
  if (v) return v(obj ?? {});
  return validateObjectMeta(obj?.metadata, isNamespaced(kind, apiVersion), nameFnFor(kind));
}

/** Alias of statusCauses under the name the validation layer imports. */
export { statusCauses as toCauses } from './errors.js';

// Helpers other components need to agree with validation on (selectors, name formats).
export { selectorMatches, selectorIsEmpty, deepEqual } from './meta.js';
export { isDNS1123Label, isDNS1123Subdomain, isDNS1035Label, isQualifiedName, isValidLabelValue } from './names.js';
export { cronError } from './cron.js';
