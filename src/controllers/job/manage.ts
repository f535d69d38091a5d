// manageJob: keeps the right number of pods running for a Job that is not finished: deletes the
// pods of a suspended Job and surplus pods, creates missing ones (after the pod-failure backoff), in
// slow-start batches like every workload controller.
import type { KObject } from '../../apiserver/types.js';
import type { ComponentClient } from '../component.js';
import { compareForDeletion, createOwnedPod, deleteOwnedPod, isPodReady } from '../pod-control.js';
import { COMPONENT, MAX_POD_CHANGES_PER_SYNC, isIndexed, isSuspended, type SyncCtx } from './context.js';
import { completionIndex, firstPendingIndexes } from './indexes.js';
import { backoffRecord, backoffRemaining, finishedTime, hasTrackingFinalizer, isPodFailed, jobPod, onlyReplaceFailedPods, TRACKING_FINALIZER } from './pods.js';

/** deleteJobPods: removes the tracking finalizer (the pod is not counted), then deletes the pod. */
async function deleteJobPods(c: ComponentClient, ctx: SyncCtx, pods: KObject[]): Promise<void> {
  const job = ctx.job;
  for (const p of pods) {
    if (hasTrackingFinalizer(p)) {
      const rest = (p.metadata!.finalizers ?? []).filter((f) => f !== TRACKING_FINALIZER);
      await c.patch('pods', p.metadata!.namespace, p.metadata!.name!, { metadata: { finalizers: rest.length ? rest : null } });
    }
    if (await deleteOwnedPod(c, job, p, COMPONENT)) {
      ctx.terminating++;
      if (isPodReady(p)) ctx.ready--;
      ctx.active = ctx.active.filter((x) => x !== p);
    }
  }
}

/**
 * activePodsForRemoval: for an Indexed Job, first the pods with no index, an index out of range or
 * a repeated index (keeping the most advanced of each); then, to reach rmAtLeast, the least
 * advanced pods (unscheduled, pending, not ready, newest first).
 */
function podsForRemoval(ctx: SyncCtx, rmAtLeast: number): KObject[] {
  const job = ctx.job;
  const order = (a: KObject, b: KObject) => compareForDeletion(a, b, 0, 0, ctx.now);
  let rm: KObject[] = [];
  let left = ctx.active;
  if (isIndexed(job)) {
    const completions = job.spec.completions ?? 0;
    const byIndex = new Map<number, KObject[]>();
    left = [];
    for (const p of ctx.active) {
      const ix = completionIndex(p);
      if (ix < 0 || ix >= completions) rm.push(p);
      else byIndex.set(ix, [...(byIndex.get(ix) ?? []), p]);
    }
    for (const group of byIndex.values()) {
      group.sort(order);
      rm.push(...group.slice(0, -1));
      left.push(group[group.length - 1]);
    }
  }
  if (rm.length < rmAtLeast) rm = [...rm, ...[...left].sort(order).slice(0, rmAtLeast - rm.length)];
  return rm;
}

/** Returns the number of active pods after this sync's creations and deletions. */
export async function manageJob(c: ComponentClient, ctx: SyncCtx): Promise<void> {
  const job = ctx.job;
  const uid = job.metadata!.uid!;
  const parallelism = job.spec?.parallelism ?? 1;
  if (isSuspended(job)) {
    if (ctx.active.length) {
      c.trace('Suspend', `job/${job.metadata!.name}`, `deleting ${ctx.active.length} active pods`);
      await deleteJobPods(c, ctx, [...ctx.active]);
    }
    return;
  }
  const active = ctx.active.length;
  const completions: number | undefined = job.spec?.completions ?? undefined;
  let want: number;
  if (completions === undefined || completions === null) want = ctx.succeeded > 0 ? active : parallelism;
  else want = Math.max(0, Math.min(completions - ctx.succeeded, parallelism));

  const victims = podsForRemoval(ctx, Math.max(0, active - want)).slice(0, MAX_POD_CHANGES_PER_SYNC);
  if (victims.length) {
    c.trace('Scale', `job/${job.metadata!.name}`, `${active} active, want ${want}: deleting ${victims.map((p) => p.metadata!.name).join(', ')}`);
    // Deletion and creation never happen in the same sync; deletion goes first.
    await deleteJobPods(c, ctx, victims);
    return;
  }

  const terminating = onlyReplaceFailedPods(job) ? ctx.terminating : 0;
  let diff = want - terminating - active;
  if (diff <= 0) return;
  const rec = backoffRecord(ctx.pods.filter((p) => p.status?.phase === 'Succeeded' || isPodFailed(p, job)).map((p) => ({ failed: p.status?.phase !== 'Succeeded', at: finishedTime(p) })));
  const remaining = backoffRemaining(rec, ctx.now);
  if (remaining > 0) {
    // enqueueSyncJobWithDelay: never sooner than the 1 s batch period
    const at = ctx.now + Math.max(remaining, 1000);
    c.trace('Backoff', `job/${job.metadata!.name}`, `${rec.failures} failed pods: next pod in ${Math.ceil(remaining / 1000)}s`);
    c.wakeAt(at, 'work', uid);
    return;
  }
  diff = Math.min(diff, MAX_POD_CHANGES_PER_SYNC);
  let indexes: number[] = [];
  if (isIndexed(job)) {
    indexes = firstPendingIndexes(ctx.succeededIx, ctx.active, diff, completions ?? 0);
    diff = indexes.length;
  }
  if (diff <= 0) return;
  c.trace('Scale', `job/${job.metadata!.name}`, `${active} active, want ${want}: creating ${diff}`);
  // Slow start: batches of 1, 2, 4, ...; a batch with a failure stops the rest.
  for (let batch = Math.min(diff, 1); diff > 0; batch = Math.min(2 * batch, diff)) {
    let failed = false;
    for (let i = 0; i < batch; i++) {
      const ix = indexes.length ? indexes.shift()! : -1;
      const r = await createOwnedPod(c, job, jobPod(job, ix), COMPONENT);
      if ('pod' in r) ctx.active.push(r.pod);
      else failed = true;
    }
    diff -= batch;
    if (failed) break;
  }
}
