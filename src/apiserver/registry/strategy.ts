// Per-resource storage strategy, like the apiserver's registry packages: what a create or update
// resets (status on the main resource), when generation moves (spec changes only), and which
// kinds carry a generation at all.
import type { KObject } from '../types.js';
import { qosClass } from '../admission/defaults/index.js';

const WITH_GENERATION = new Set([
  'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'ReplicationController',
  'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Ingress', 'NetworkPolicy',
]);

/** Kinds whose status is owned by controllers: a write to the main resource cannot set it. */
const STATUS_SUBRESOURCE = new Set([
  'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'ReplicationController',
  'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Ingress', 'Service', 'Node', 'Namespace', 'ResourceQuota',
  'PersistentVolumeClaim', 'PersistentVolume',
]);

export function hasGeneration(kind: string): boolean {
  return WITH_GENERATION.has(kind);
}

export function hasStatusSubresource(kind: string): boolean {
  return STATUS_SUBRESOURCE.has(kind);
}

/**
 * A status update (PUT .../status): what of the incoming object is kept over the stored one, as each
 * kind's status strategy decides (PrepareForUpdate). Status always; the Deployment strategy resets
 * only spec and labels, so the deployment controller's revision annotations travel with it.
 */
export function prepareStatusUpdate(kind: string, current: KObject, incoming: KObject): KObject {
  const next: KObject = JSON.parse(JSON.stringify(current));
  next.status = incoming.status;
  if (kind === 'Deployment' && incoming.metadata?.annotations) next.metadata!.annotations = incoming.metadata.annotations;
  delete next.metadata!.resourceVersion;
  return next;
}

/** What counts as "spec" for generation: everything but metadata and status. */
export function specOf(obj: KObject): string {
  const { metadata: _m, status: _s, ...rest } = obj;
  return JSON.stringify(rest);
}

/** The status a freshly created object starts with. */
export function initialStatus(obj: KObject, now = ''): any {
  switch (obj.kind) {
    case 'Pod': {
      const status: any = { phase: 'Pending', qosClass: qosClass(obj.spec) };
      // A pod created with scheduling gates says at once why the scheduler leaves it alone.
      if (obj.spec?.schedulingGates?.length) {
        status.conditions = [{
          type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: now,
          reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates',
        }];
      }
      return status;
    }
    case 'PodDisruptionBudget':
      return { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
    case 'HorizontalPodAutoscaler':
      return { currentMetrics: null, desiredReplicas: 0 };
    case 'Namespace':
      return { phase: 'Active' };
    case 'Service':
      return { loadBalancer: {} };
    case 'PersistentVolumeClaim':
      return { phase: 'Pending' };
    case 'Node':
    case 'ResourceQuota':
    case 'PersistentVolume':
      return obj.status ?? {};
    default:
      return hasStatusSubresource(obj.kind!) ? {} : obj.status;
  }
}
