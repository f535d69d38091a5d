// `kubectl describe` output for one object. kubectl picks a describer by group and kind and falls
// back to its generic describer for the rest; the CLI joins several outputs with joinDescriptions.
import type { DescribeLookup } from './types.js';
import { describePod } from './pod.js';
import { describeDeployment } from './deployment.js';
import { describeReplicaSet } from './replicaset.js';
import { describeReplicationController } from './replicationcontroller.js';
import { describeDaemonSet } from './daemonset.js';
import { describeStatefulSet } from './statefulset.js';
import { describeJob } from './job.js';
import { describeCronJob } from './cronjob.js';
import { describeService } from './service.js';
import { describeEndpoints } from './endpoints.js';
import { describeEndpointSlice } from './endpointslice.js';
import { describeIngress } from './ingress.js';
import { describeNetworkPolicy } from './networkpolicy.js';
import { describeNamespace } from './namespace.js';
import { describeResourceQuota, describeLimitRange } from './quota.js';
import { describeConfigMap } from './configmap.js';
import { describeSecret } from './secret.js';
import { describeServiceAccount } from './serviceaccount.js';
import { describePriorityClass } from './priorityclass.js';
import { describeNode } from './node.js';
import { describeRole, describeRoleBinding } from './rbac.js';
import { describePVC, describePV, describeStorageClass } from './storage.js';
import { describeHPA } from './hpa.js';
import { describePDB } from './pdb.js';
import { describeGeneric } from './generic.js';

export type { DescribeLookup } from './types.js';

type Describer = (obj: any, lookup: DescribeLookup) => string;

const DESCRIBERS: Record<string, Describer> = {
  Pod: describePod,
  Deployment: describeDeployment,
  ReplicaSet: describeReplicaSet,
  ReplicationController: describeReplicationController,
  DaemonSet: describeDaemonSet,
  StatefulSet: describeStatefulSet,
  Job: describeJob,
  CronJob: describeCronJob,
  Service: describeService,
  Endpoints: describeEndpoints,
  EndpointSlice: describeEndpointSlice,
  Ingress: describeIngress,
  NetworkPolicy: describeNetworkPolicy,
  Namespace: describeNamespace,
  ResourceQuota: describeResourceQuota,
  LimitRange: describeLimitRange,
  ConfigMap: describeConfigMap,
  Secret: describeSecret,
  ServiceAccount: describeServiceAccount,
  PriorityClass: describePriorityClass,
  Node: describeNode,
  Role: describeRole,
  ClusterRole: describeRole,
  RoleBinding: describeRoleBinding,
  ClusterRoleBinding: describeRoleBinding,
  PersistentVolumeClaim: describePVC,
  PersistentVolume: describePV,
  StorageClass: describeStorageClass,
  HorizontalPodAutoscaler: describeHPA,
  PodDisruptionBudget: describePDB,
  // Event, Lease and everything else: kubectl has no dedicated describer for them.
};

export function hasDescriber(kind: string): boolean {
  return kind in DESCRIBERS;
}

/** The text `kubectl describe` prints for obj (ends with a newline). */
export function describe(kind: string, obj: any, lookup: DescribeLookup): string {
  const fn = DESCRIBERS[kind] ?? describeGeneric;
  return fn(obj, lookup);
}

/** How kubectl prints several descriptions: the first as is, each next one after "\n\n". */
export function joinDescriptions(outputs: string[]): string {
  return outputs.join('\n\n');
}
