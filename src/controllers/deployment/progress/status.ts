// Deployment status (pkg/controller/deployment/progress.go and sync.go's calculateStatus): the
// counts summed over the ReplicaSets, the Available condition, the Progressing condition with its
// reasons, pause/resume, and the progress deadline.
import type { KObject } from '../../../apiserver/types.js';
import { canonicalJson } from '../hash.js';
import { ref, writeDeploymentStatus, type SyncContext } from '../context.js';
import {
  actualReplicas, AVAILABLE, availableReplicas, deploymentComplete, deploymentProgressing, deploymentTimedOut, getCondition,
  hasProgressDeadline, maxUnavailable, newCondition, PROGRESSING, readyReplicas, REASONS, removeCondition, replicasOf,
  REPLICA_FAILURE, setCondition, specReplicas,
} from '../util.js';

/** calculateStatus: counts from the ReplicaSets, and Available against replicas - maxUnavailable. */
export function calculateStatus(ctx: SyncContext, all: (KObject | undefined)[], newRS: KObject | undefined): any {
  const d = ctx.d;
  const available = availableReplicas(all);
  const unavailable = Math.max(0, specReplicas(all) - available);
  // Go's omitempty: zero counts are left out, as a real apiserver returns them.
  const status: any = {};
  const put = (k: string, v: number | undefined) => {
    if (v) status[k] = v;
  };
  put('observedGeneration', d.metadata?.generation);
  put('replicas', actualReplicas(all));
  put('updatedReplicas', actualReplicas([newRS]));
  put('readyReplicas', readyReplicas(all));
  put('availableReplicas', available);
  put('unavailableReplicas', unavailable);
  if (d.status?.conditions?.length) status.conditions = structuredClone(d.status.conditions);
  if (d.status?.collisionCount != null) status.collisionCount = d.status.collisionCount;
  const now = ctx.c.now();
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setCondition(status, newCondition(AVAILABLE, 'True', REASONS.minAvailable, 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, newCondition(AVAILABLE, 'False', REASONS.minUnavailable, 'Deployment does not have minimum availability.', now));
  }
  return status;
}

export function sameStatus(a: any, b: any): boolean {
  return canonicalJson(a ?? {}) === canonicalJson(b ?? {});
}

/**
 * syncRolloutStatus: calculateStatus plus the Progressing condition: NewReplicaSetAvailable once
 * complete, ReplicaSetUpdated while counts move (keeping its lastTransitionTime, refreshing
 * lastUpdateTime), ProgressDeadlineExceeded when nothing moved for progressDeadlineSeconds.
 */
export async function syncRolloutStatus(ctx: SyncContext, all: (KObject | undefined)[], newRS: KObject | undefined): Promise<void> {
  const { c, d } = ctx;
  const now = c.now();
  const status = calculateStatus(ctx, all, newRS);
  if (!hasProgressDeadline(d)) removeCondition(status, PROGRESSING);
  const current = getCondition(d.status, PROGRESSING);
  const isComplete = (status.replicas ?? 0) === (status.updatedReplicas ?? 0) && current?.reason === REASONS.newRSAvailable;
  if (hasProgressDeadline(d) && !isComplete) {
    const rsName = newRS?.metadata?.name;
    if (deploymentComplete(d, status)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${d.metadata!.name}" has successfully progressed.`;
      setCondition(status, newCondition(PROGRESSING, 'True', REASONS.newRSAvailable, msg, now));
      c.trace('Progress', ref(d), `complete: ${msg}`);
    } else if (deploymentProgressing(d, status)) {
      const msg = rsName ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${d.metadata!.name}" is progressing.`;
      const cond = newCondition(PROGRESSING, 'True', REASONS.rsUpdated, msg, now);
      // Progress refreshes lastUpdateTime even when the reason stays: remove, then set.
      if (current) {
        if (current.status === 'True') cond.lastTransitionTime = current.lastTransitionTime;
        removeCondition(status, PROGRESSING);
      }
      setCondition(status, cond);
    } else if (deploymentTimedOut(d, status, now)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${d.metadata!.name}" exceeded its progress deadline`;
      setCondition(status, newCondition(PROGRESSING, 'False', REASONS.timedOut, msg, now));
      c.trace('Progress', ref(d), `deadline exceeded: ${msg}`);
    }
  }
  // ReplicaFailure mirrors a ReplicaSet's failure to create or delete pods.
  const failing = all.find((rs) => rs && getCondition(rs.status, REPLICA_FAILURE)?.status === 'True');
  if (failing) {
    const f = getCondition(failing.status, REPLICA_FAILURE)!;
    setCondition(status, { ...newCondition(REPLICA_FAILURE, 'True', f.reason ?? 'FailedCreate', f.message ?? '', now) });
  } else removeCondition(status, REPLICA_FAILURE);

  if (sameStatus(d.status, status)) {
    requeueStuckDeployment(ctx, status);
    return;
  }
  d.status = status;
  await writeDeploymentStatus(ctx);
  requeueStuckDeployment(ctx, status);
}

/**
 * A rollout that has not completed is looked at again when its progress deadline passes. This is
 * a `background` wake: the deadline is real time passing, not work that instant mode skips to.
 */
function requeueStuckDeployment(ctx: SyncContext, status: any): void {
  const d = ctx.d;
  const cond = getCondition(status, PROGRESSING);
  if (!hasProgressDeadline(d) || !cond || cond.reason === REASONS.newRSAvailable || cond.reason === REASONS.timedOut) return;
  if (deploymentComplete(d, status)) return;
  const from = Date.parse(cond.lastUpdateTime ?? '');
  if (Number.isFinite(from)) ctx.c.wakeAt(from + d.spec.progressDeadlineSeconds * 1000 + 1000, 'background', d.metadata!.uid!);
}

/** checkPausedConditions: Progressing Unknown DeploymentPaused / DeploymentResumed. */
export async function checkPausedConditions(ctx: SyncContext): Promise<void> {
  const { c, d } = ctx;
  if (!hasProgressDeadline(d)) return;
  const cond = getCondition(d.status, PROGRESSING);
  if (cond?.reason === REASONS.timedOut) return;
  const pausedCond = cond?.reason === REASONS.paused;
  const status = structuredClone(d.status ?? {});
  if (d.spec?.paused && !pausedCond) {
    setCondition(status, newCondition(PROGRESSING, 'Unknown', REASONS.paused, 'Deployment is paused', c.now()));
    c.trace('Pause', ref(d), 'spec.paused: no rollout until resumed');
  } else if (!d.spec?.paused && pausedCond) {
    setCondition(status, newCondition(PROGRESSING, 'Unknown', REASONS.resumed, 'Deployment is resumed', c.now()));
    c.trace('Resume', ref(d), 'spec.paused cleared: rollout continues');
  } else return;
  d.status = status;
  await writeDeploymentStatus(ctx);
}
