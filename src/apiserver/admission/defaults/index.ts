// Defaulting, as the apiserver applies it when it decodes a request (pkg/apis/*/v1/defaults.go),
// plus the registry strategies' PrepareForCreate that fill status and generated fields.
// Everything mutates the object in place and never overwrites what the user set.
import { defaultPodTemplate } from './podspec.js';
import { defaultPod, preparePodForCreate } from './pod.js';
import { defaultDaemonSet, defaultDeployment, defaultReplicaSet, defaultReplicationController, defaultStatefulSet } from './workloads.js';
import { defaultCronJob, defaultJob, generateJobSelector } from './batch.js';
import { defaultEndpoints, defaultLimitRange, defaultNamespace, defaultNode, defaultSecret, defaultService } from './core.js';
import { defaultPV, defaultPVC, defaultStorageClass } from './storage.js';
import { defaultEndpointSlice, defaultHPA, defaultNetworkPolicy, defaultPriorityClass } from './other.js';

export { applyDefaultTolerations, applyPriorityDefaults, defaultServiceAccountName, qosClass, preparePodForCreate } from './pod.js';
export { generateJobSelector } from './batch.js';
export { defaultPodSpec, defaultPodTemplate } from './podspec.js';

import { defaultBinding } from './rbac.js';

const DEFAULTERS: Record<string, (obj: any) => void> = {
  RoleBinding: defaultBinding,
  ClusterRoleBinding: defaultBinding,
  Pod: defaultPod,
  PodTemplate: (o) => defaultPodTemplate(o.template ??= {}),
  Deployment: defaultDeployment,
  ReplicaSet: defaultReplicaSet,
  StatefulSet: defaultStatefulSet,
  DaemonSet: defaultDaemonSet,
  ReplicationController: defaultReplicationController,
  Job: defaultJob,
  CronJob: defaultCronJob,
  Service: defaultService,
  Secret: defaultSecret,
  Namespace: defaultNamespace,
  Endpoints: defaultEndpoints,
  Node: defaultNode,
  LimitRange: defaultLimitRange,
  PersistentVolumeClaim: defaultPVC,
  PersistentVolume: defaultPV,
  StorageClass: defaultStorageClass,
  NetworkPolicy: defaultNetworkPolicy,
  HorizontalPodAutoscaler: defaultHPA,
  PriorityClass: defaultPriorityClass,
  EndpointSlice: defaultEndpointSlice,
};

/**
 * Apply the API defaults of `kind` to `obj`, in place. Safe to call on updates too: only unset
 * fields are filled. apiVersion is accepted so that other versions can default differently; every
 * kind minikctl serves has one version today.
 */
export function applyDefaults(kind: string, apiVersion: string, obj: any): void {
  void apiVersion;
  if (!obj || typeof obj !== 'object') return;
  DEFAULTERS[kind]?.(obj);
  // Two PrepareForCreate steps others rely on right after defaulting: the Job's uid-based selector
  // (the uid is assigned before defaulting) and a new Pod's Pending status.
  if (kind === 'Job' && obj.metadata?.uid) generateJobSelector(obj);
  if (kind === 'Pod' && !obj.status?.phase) preparePodForCreate(obj);
}

/**
 * What the registry strategies do on create after defaulting: Pod status (Pending + QoS class),
 * the Job's generated selector and labels (needs metadata.uid already set).
 */
export function prepareForCreate(kind: string, obj: any): void {
  if (kind === 'Pod') preparePodForCreate(obj);
  if (kind === 'Job') generateJobSelector(obj);
}
