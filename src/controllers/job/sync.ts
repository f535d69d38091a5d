// syncJob (pkg/controller/job/job_controller.go): counts a Job's pods, decides whether it has
// succeeded or failed, runs manageJob while it has not, and tracks finished pods through
// status.uncountedTerminatedPods and the batch.kubernetes.io/job-tracking finalizer:
//
//   1. a finished pod's uid goes into uncountedTerminatedPods (status write),
//   2. its finalizer is removed,
//   3. it moves into status.succeeded / status.failed (status write).
//
// A Job that met its goal first gets the interim SuccessCriteriaMet (or FailureTarget) condition,
// and the final Complete (or Failed) once no pod is left uncounted or terminating: the order of
// kube-controller-manager 1.32, where the JobPodReplacementPolicy and JobManagedBy gates are on.
import type { KObject } from '../../apiserver/types.js';
import { rfc3339 } from '../../cluster/clock.js';
import type { ComponentClient } from '../component.js';
import { deleteOwnedPod, isPodActive, isPodReady } from '../pod-control.js';
import { ensureCondition, findCondition, isJobFinished, newCondition, type JobCondition } from './conditions.js';
import { COMPONENT, MAX_UNCOUNTED_PODS, isIndexed, isSuspended, type JobStatus, type SyncCtx } from './context.js';
import { completionIndex, formatIntervals, parseIntervals, total, withIndexes, hasIndex } from './indexes.js';
import { manageJob } from './manage.js';
import { hasTrackingFinalizer, isPodFailed, isTerminating, matchPodFailurePolicy, pastBackoffLimitOnFailure, TRACKING_FINALIZER } from './pods.js';

export const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller';

const validIndex = (job: KObject, p: KObject): boolean => {
  const ix = completionIndex(p);
  return ix >= 0 && ix < (job.spec?.completions ?? 0);
};

/** Pods that finished and are not counted yet: they carry the finalizer and are not in uncounted. */
function newFinishedPods(ctx: SyncCtx): { succeeded: KObject[]; failed: KObject[] } {
  const succeeded: KObject[] = [];
  const failed: KObject[] = [];
  for (const p of ctx.pods) {
    const uid = p.metadata!.uid!;
    if (!hasTrackingFinalizer(p)) continue;
    if (isIndexed(ctx.job) && !validIndex(ctx.job, p)) continue;
    if (p.status?.phase === 'Succeeded' && !ctx.uncounted.succeeded.has(uid)) succeeded.push(p);
    else if (isPodFailed(p, ctx.job) && !ctx.uncounted.failed.has(uid)) failed.push(p);
  }
  return { succeeded, failed };
}

function countedFailures(job: KObject, pods: KObject[]): number {
  if (!job.spec?.podFailurePolicy) return pods.length;
  return pods.filter((p) => matchPodFailurePolicy(job.spec.podFailurePolicy, p).count).length;
}

/** getFailJobMessage: the first failed pod that a FailJob rule of the podFailurePolicy matches. */
function failJobMessage(job: KObject, pods: KObject[]): string | undefined {
  if (!job.spec?.podFailurePolicy) return undefined;
  for (const p of pods) {
    if (!isPodFailed(p, job)) continue;
    const m = matchPodFailurePolicy(job.spec.podFailurePolicy, p);
    if (m.action === 'FailJob' && m.message) return m.message;
  }
  return undefined;
}

/** The status as the apiserver stores it: omitempty counters and strings dropped. */
function wireStatus(st: JobStatus): JobStatus {
  const out: JobStatus = {};
  if (st.conditions?.length) out.conditions = st.conditions;
  if (st.startTime) out.startTime = st.startTime;
  if (st.completionTime) out.completionTime = st.completionTime;
  if (st.active) out.active = st.active;
  if (st.succeeded) out.succeeded = st.succeeded;
  if (st.failed) out.failed = st.failed;
  if (st.terminating !== undefined) out.terminating = st.terminating;
  if (st.completedIndexes) out.completedIndexes = st.completedIndexes;
  if (st.failedIndexes !== undefined) out.failedIndexes = st.failedIndexes;
  const u = st.uncountedTerminatedPods ?? {};
  out.uncountedTerminatedPods = {};
  if (u.succeeded?.length) out.uncountedTerminatedPods.succeeded = u.succeeded;
  if (u.failed?.length) out.uncountedTerminatedPods.failed = u.failed;
  if (st.ready !== undefined) out.ready = st.ready;
  return out;
}

async function writeStatus(c: ComponentClient, ctx: SyncCtx): Promise<boolean> {
  const body = structuredClone(ctx.job);
  body.status = wireStatus(ctx.job.status);
  const saved = await c.update('jobs', body, 'status');
  if (!saved) return false;
  // Later writes of this sync build on what was stored (its resourceVersion).
  ctx.job.metadata = structuredClone(saved.metadata);
  return true;
}

/** cleanUncountedPodsWithoutFinalizers: uids whose finalizer is gone move into the counters. */
function cleanUncounted(st: JobStatus, withFinalizer: Set<string>): boolean {
  const u = (st.uncountedTerminatedPods ??= {});
  let changed = false;
  const keepS = (u.succeeded ?? []).filter((x) => withFinalizer.has(x));
  if (keepS.length !== (u.succeeded ?? []).length) {
    st.succeeded = (st.succeeded ?? 0) + (u.succeeded!.length - keepS.length);
    u.succeeded = keepS;
    changed = true;
  }
  const keepF = (u.failed ?? []).filter((x) => withFinalizer.has(x));
  if (keepF.length !== (u.failed ?? []).length) {
    st.failed = (st.failed ?? 0) + (u.failed!.length - keepF.length);
    u.failed = keepF;
    changed = true;
  }
  return changed;
}

/** Syncs one Job against its pods; returns whether anything was written. */
export async function syncJob(c: ComponentClient, shared: KObject, pods: KObject[]): Promise<boolean> {
  // Timers are asked anew on every sync (a finished Job needs none): forget the old ones.
  const uid = shared.metadata!.uid!;
  c.wakeAt(Infinity, 'work', uid);
  c.wakeAt(Infinity, 'work', `deadline/${uid}`);
  if (isJobFinished(shared)) return false;
  const managedBy = shared.spec?.managedBy;
  if (managedBy && managedBy !== JOB_CONTROLLER_NAME) return false;
  const job = structuredClone(shared) as SyncCtx['job'];
  job.status ??= {};
  const now = c.now();
  const name = job.metadata!.name!;
  if (job.spec?.completionMode && job.spec.completionMode !== 'NonIndexed' && job.spec.completionMode !== 'Indexed') {
    await c.event(job, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown', { component: COMPONENT });
    return true;
  }
  const st = job.status;
  st.uncountedTerminatedPods ??= {};
  const active = pods.filter(isPodActive);
  const ctx: SyncCtx = {
    job, pods, active, now,
    ready: active.filter(isPodReady).length,
    terminating: pods.filter(isTerminating).length,
    uncounted: { succeeded: new Set(st.uncountedTerminatedPods.succeeded ?? []), failed: new Set(st.uncountedTerminatedPods.failed ?? []) },
    succeeded: 0, failed: 0, prevSucceeded: [], succeededIx: [],
  };
  const fresh = newFinishedPods(ctx);
  ctx.succeeded = (st.succeeded ?? 0) + fresh.succeeded.length + ctx.uncounted.succeeded.size;
  ctx.failed = (st.failed ?? 0) + countedFailures(job, fresh.failed) + ctx.uncounted.failed.size;

  if (!st.startTime && !isSuspended(job)) st.startTime = rfc3339(now);

  // What the Job is heading to.
  const conds = (st.conditions ??= []);
  const met = findCondition(conds, 'SuccessCriteriaMet');
  ctx.finished = met?.status === 'True' ? met : undefined;
  if (!ctx.finished) {
    const target = findCondition(conds, 'FailureTarget');
    if (target?.status === 'True') ctx.finished = newCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
    else {
      const msg = failJobMessage(job, pods);
      if (msg) ctx.finished = newCondition('FailureTarget', 'True', 'PodFailurePolicy', msg, now);
    }
  }
  if (!ctx.finished) {
    const ads = job.spec?.activeDeadlineSeconds;
    const start = st.startTime ? Date.parse(st.startTime) : undefined;
    if (ctx.failed > (job.spec?.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, pods)) {
      ctx.finished = newCondition('FailureTarget', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', now);
    } else if (ads != null && start !== undefined && !isSuspended(job) && now - start >= ads * 1000) {
      ctx.finished = newCondition('FailureTarget', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline', now);
    } else if (ads != null && start !== undefined && !isSuspended(job)) {
      c.wakeAt(start + ads * 1000, 'work', `deadline/${uid}`);
    }
  }
  if (isIndexed(job)) {
    const completions = job.spec?.completions ?? 0;
    ctx.prevSucceeded = parseIntervals(st.completedIndexes, completions);
    const fresh = pods.filter((p) => p.status?.phase === 'Succeeded' && validIndex(job, p) && hasTrackingFinalizer(p)).map(completionIndex);
    ctx.succeededIx = withIndexes(ctx.prevSucceeded, fresh);
    ctx.succeeded = total(ctx.succeededIx);
  }

  let suspendChanged = false;
  if (ctx.finished) {
    // A finished Job's remaining pods go (their finalizers stay until they are counted).
    const before = ctx.active.length;
    const gone = new Set<KObject>();
    for (const p of ctx.active) {
      if (await deleteOwnedPod(c, job, p, COMPONENT)) {
        gone.add(p);
        if (isPodReady(p)) ctx.ready--;
      }
    }
    const deleted = gone.size;
    if (deleted !== before) ctx.finished = undefined;
    ctx.terminating += deleted;
    ctx.active = ctx.active.filter((p) => !gone.has(p));
    if (deleted) c.trace('Finish', `job/${name}`, `${ctx.finished?.type ?? 'finishing'}: deleted ${deleted} active pods`);
  } else {
    let managed = false;
    if (!job.metadata!.deletionTimestamp) {
      await manageJob(c, ctx);
      managed = true;
    }
    const n = ctx.active.length;
    const completions = job.spec?.completions;
    const complete = completions == null ? ctx.succeeded > 0 && n === 0 : ctx.succeeded >= completions && n === 0;
    if (complete) {
      ctx.finished = newCondition('SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', now);
    } else if (managed) {
      if (isSuspended(job)) {
        if (ensureCondition(conds, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)) {
          suspendChanged = true;
          await c.event(job, 'Normal', 'Suspended', 'Job suspended', { component: COMPONENT });
        }
      } else if (ensureCondition(conds, 'Suspended', 'False', 'JobResumed', 'Job resumed', now)) {
        suspendChanged = true;
        await c.event(job, 'Normal', 'Resumed', 'Job resumed', { component: COMPONENT });
        // activeDeadlineSeconds counts the time a Job is continuously active: resuming restarts it.
        st.startTime = rfc3339(now);
      }
    }
  }
  const needsUpdate = suspendChanged || ctx.active.length !== (st.active ?? 0) || ctx.ready !== st.ready || ctx.terminating !== st.terminating;
  st.active = ctx.active.length;
  st.ready = ctx.ready;
  st.terminating = ctx.terminating;
  return trackStatus(c, ctx, needsUpdate);
}

/** trackJobStatusAndRemoveFinalizers */
async function trackStatus(c: ComponentClient, ctx: SyncCtx, needsFlushIn: boolean): Promise<boolean> {
  const job = ctx.job;
  const st = job.status;
  const indexed = isIndexed(job);
  let needsFlush = needsFlushIn;
  let wrote = false;
  const pods = indexed ? [...ctx.pods].sort((a, b) => completionIndex(a) - completionIndex(b)) : ctx.pods;
  const withFinalizer = new Set(pods.filter(hasTrackingFinalizer).map((p) => p.metadata!.uid!));
  if (cleanUncounted(st, withFinalizer)) needsFlush = true;
  const u = st.uncountedTerminatedPods!;
  u.succeeded ??= [];
  u.failed ??= [];
  const toRemove: KObject[] = [];
  const newSucceededIx: number[] = [];
  for (const p of pods) {
    if (!hasTrackingFinalizer(p)) continue;
    const uid = p.metadata!.uid!;
    const failed = isPodFailed(p, job);
    // canRemoveFinalizer
    if (!(job.metadata!.deletionTimestamp || ctx.finished || p.status?.phase === 'Succeeded' || failed)) continue;
    toRemove.push(p);
    if (p.status?.phase === 'Succeeded' && !ctx.uncounted.failed.has(uid)) {
      if (indexed) {
        const ix = completionIndex(p);
        if (validIndex(job, p) && !hasIndex(ctx.prevSucceeded, ix)) {
          newSucceededIx.push(ix);
          needsFlush = true;
        }
      } else if (!ctx.uncounted.succeeded.has(uid)) {
        u.succeeded.push(uid);
        needsFlush = true;
      }
    } else if (failed || (ctx.finished && ctx.finished.type !== 'SuccessCriteriaMet')) {
      // A finishing Job counts every pod that did not succeed as failed.
      if (!ctx.uncounted.failed.has(uid) && (!indexed || validIndex(job, p))) {
        if (!job.spec?.podFailurePolicy || matchPodFailurePolicy(job.spec.podFailurePolicy, p).count) {
          u.failed.push(uid);
          needsFlush = true;
        }
      }
    }
    if (newSucceededIx.length + u.succeeded.length + u.failed.length >= MAX_UNCOUNTED_PODS) break;
  }
  if (indexed) {
    ctx.succeededIx = withIndexes(ctx.succeededIx, newSucceededIx);
    const s = formatIntervals(ctx.succeededIx);
    if (s !== (st.completedIndexes ?? '')) needsFlush = true;
    st.succeeded = total(ctx.succeededIx);
    st.completedIndexes = s;
  }
  let finished = ctx.finished;
  const conds = (st.conditions ??= []);
  if (finished?.type === 'FailureTarget') {
    // Recorded before the finalizers go, so the reason survives a restart.
    conds.push(finished);
    needsFlush = true;
    finished = newCondition('Failed', 'True', finished.reason ?? '', finished.message ?? '', ctx.now);
  }
  if (finished?.type === 'SuccessCriteriaMet') {
    if (!findCondition(conds, 'SuccessCriteriaMet')) {
      conds.push(finished);
      needsFlush = true;
    }
    finished = newCondition('Complete', 'True', finished.reason ?? '', finished.message ?? '', ctx.now);
  }
  if (needsFlush) {
    if (!(await writeStatus(c, ctx))) return true;
    wrote = true;
    needsFlush = false;
  }
  for (const p of toRemove) {
    const rest = (p.metadata!.finalizers ?? []).filter((f) => f !== TRACKING_FINALIZER);
    await c.patch('pods', p.metadata!.namespace, p.metadata!.name!, { metadata: { finalizers: rest.length ? rest : null } });
    withFinalizer.delete(p.metadata!.uid!);
    wrote = true;
  }
  if (cleanUncounted(st, withFinalizer)) needsFlush = true;
  const jobFinished = enactFinished(ctx, finished);
  if (jobFinished) needsFlush = true;
  if (needsFlush) {
    if (!(await writeStatus(c, ctx))) return true;
    wrote = true;
    if (jobFinished && finished) await recordFinished(c, ctx, finished);
  }
  return wrote;
}

/** enactJobFinished: the final condition, once nothing is uncounted or terminating. */
function enactFinished(ctx: SyncCtx, finished: JobCondition | undefined): boolean {
  if (!finished) return false;
  const st = ctx.job.status;
  const u = st.uncountedTerminatedPods ?? {};
  if ((u.succeeded?.length ?? 0) + (u.failed?.length ?? 0) > 0) return false;
  if (ctx.terminating > 0) return false;
  ensureCondition((st.conditions ??= []), finished.type, 'True', finished.reason ?? '', finished.message ?? '', ctx.now);
  if (finished.type === 'Complete') st.completionTime = rfc3339(ctx.now);
  return true;
}

async function recordFinished(c: ComponentClient, ctx: SyncCtx, finished: JobCondition): Promise<void> {
  const job = ctx.job;
  const name = job.metadata!.name!;
  if (finished.type === 'Complete') {
    const completions = job.spec?.completions;
    if (completions != null && (job.status.succeeded ?? 0) > completions) {
      await c.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached', { component: COMPONENT });
    }
    c.trace('Complete', `job/${name}`, `${job.status.succeeded ?? 0} succeeded`);
    await c.event(job, 'Normal', 'Completed', 'Job completed', { component: COMPONENT });
  } else {
    c.trace('Fail', `job/${name}`, `${finished.reason}: ${finished.message}`);
    await c.event(job, 'Warning', finished.reason ?? '', finished.message ?? '', { component: COMPONENT });
  }
}
