// kubectl's status viewers (polymorphichelpers/rollout_status.go): one line saying where a rollout
// is, whether it is done, or why it can never be watched.
import type { KObject } from '../../apiserver/types.js';
import { revisionOf } from './util.js';

export interface RolloutStatus {
  /** the line kubectl prints (with its newline); empty on error */
  message: string;
  done: boolean;
  /** set when the status can never be reached or read */
  error?: string;
}

const n = (v: unknown) => (typeof v === 'number' ? v : 0);

export function deploymentStatus(d: KObject, revision = 0): RolloutStatus {
  const name = d.metadata?.name;
  if (revision > 0) {
    const rev = revisionOf(d);
    if (rev === undefined) return { message: '', done: false, error: `cannot get the revision of deployment "${name}": ${badRevision(d)}` };
    if (rev !== revision) return { message: '', done: false, error: `desired revision (${revision}) is different from the running revision (${rev})` };
  }
  const status = d.status ?? {};
  if (n(d.metadata?.generation) <= n(status.observedGeneration)) {
    const progressing = (status.conditions ?? []).find((c: any) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') {
      return { message: '', done: false, error: `deployment "${name}" exceeded its progress deadline` };
    }
    const replicas = d.spec?.replicas;
    const updated = n(status.updatedReplicas);
    if (typeof replicas === 'number' && updated < replicas) {
      return { message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...\n`, done: false };
    }
    if (n(status.replicas) > updated) {
      return { message: `Waiting for deployment "${name}" rollout to finish: ${n(status.replicas) - updated} old replicas are pending termination...\n`, done: false };
    }
    if (n(status.availableReplicas) < updated) {
      return { message: `Waiting for deployment "${name}" rollout to finish: ${n(status.availableReplicas)} of ${updated} updated replicas are available...\n`, done: false };
    }
    return { message: `deployment "${name}" successfully rolled out\n`, done: true };
  }
  return { message: 'Waiting for deployment spec update to be observed...\n', done: false };
}

function badRevision(obj: KObject): string {
  const v = obj.metadata?.annotations?.['deployment.kubernetes.io/revision'];
  return `strconv.ParseInt: parsing "${v}": invalid syntax`;
}

export function daemonSetStatus(ds: KObject): RolloutStatus {
  const name = ds.metadata?.name;
  if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') {
    return { message: '', done: true, error: 'rollout status is only available for RollingUpdate strategy type' };
  }
  const s = ds.status ?? {};
  if (n(ds.metadata?.generation) <= n(s.observedGeneration)) {
    const desired = n(s.desiredNumberScheduled);
    if (n(s.updatedNumberScheduled) < desired) {
      return { message: `Waiting for daemon set "${name}" rollout to finish: ${n(s.updatedNumberScheduled)} out of ${desired} new pods have been updated...\n`, done: false };
    }
    if (n(s.numberAvailable) < desired) {
      return { message: `Waiting for daemon set "${name}" rollout to finish: ${n(s.numberAvailable)} of ${desired} updated pods are available...\n`, done: false };
    }
    return { message: `daemon set "${name}" successfully rolled out\n`, done: true };
  }
  return { message: 'Waiting for daemon set spec update to be observed...\n', done: false };
}

export function statefulSetStatus(sts: KObject): RolloutStatus {
  const strategy = sts.spec?.updateStrategy ?? {};
  if ((strategy.type ?? 'RollingUpdate') !== 'RollingUpdate') {
    return { message: '', done: true, error: 'rollout status is only available for RollingUpdate strategy type' };
  }
  const s = sts.status ?? {};
  if (n(s.observedGeneration) === 0 || n(sts.metadata?.generation) > n(s.observedGeneration)) {
    return { message: 'Waiting for statefulset spec update to be observed...\n', done: false };
  }
  const replicas = sts.spec?.replicas;
  if (typeof replicas === 'number' && n(s.readyReplicas) < replicas) {
    return { message: `Waiting for ${replicas - n(s.readyReplicas)} pods to be ready...\n`, done: false };
  }
  if (strategy.rollingUpdate) {
    const partition = strategy.rollingUpdate.partition;
    if (typeof replicas === 'number' && typeof partition === 'number') {
      if (n(s.updatedReplicas) < replicas - partition) {
        return { message: `Waiting for partitioned roll out to finish: ${n(s.updatedReplicas)} out of ${replicas - partition} new pods have been updated...\n`, done: false };
      }
    }
    return { message: `partitioned roll out complete: ${n(s.updatedReplicas)} new pods have been updated...\n`, done: true };
  }
  if (s.updateRevision !== s.currentRevision) {
    return { message: `waiting for statefulset rolling update to complete ${n(s.updatedReplicas)} pods at revision ${s.updateRevision ?? ''}...\n`, done: false };
  }
  return { message: `statefulset rolling update complete ${n(s.currentReplicas)} pods at revision ${s.currentRevision ?? ''}...\n`, done: true };
}

/** The viewer for a kind, or kubectl's error for kinds without one. */
export function statusFor(obj: KObject, revision = 0): RolloutStatus {
  switch (obj.kind) {
    case 'Deployment':
      return deploymentStatus(obj, revision);
    case 'DaemonSet':
      return daemonSetStatus(obj);
    case 'StatefulSet':
      return statefulSetStatus(obj);
    default:
      return { message: '', done: true, error: `no status viewer has been implemented for ${groupKind(obj)}` };
  }
}

/** schema.GroupKind's String(): "Kind.group", or just "Kind" for the core group. */
export function groupKind(obj: KObject): string {
  const av = String(obj.apiVersion ?? '');
  const group = av.includes('/') ? av.split('/')[0] : '';
  return group ? `${obj.kind}.${group}` : String(obj.kind);
}
