// Job controller (pkg/controller/job): runs a Job's pods to completion. The files:
//   sync.ts        syncJob: counting, success and failure, status tracking with the finalizer
//   manage.ts      manageJob: creating and deleting pods, suspend, the pod-failure backoff
//   pods.ts        pod-side rules: tracking finalizer, failed/terminating, finish time, backoff,
//                  podFailurePolicy, the pod a Job creates
//   indexes.ts     Indexed Jobs: completion indexes and status.completedIndexes
//   conditions.ts  Job conditions
//
// The component runs for the Jobs whose pods or selves changed, and for those whose timers fell
// due (activeDeadlineSeconds, the backoff before a replacement pod); timers are keyed by Job uid.
// It also does the orphan-pod work: a pod with the tracking finalizer whose Job is gone or
// finished loses the finalizer, so that it can be deleted.
import type { KObject } from '../../apiserver/types.js';
import type { Component, ComponentClient } from '../component.js';
import { indexOf, lazyGroups } from '../informer.js';
import { controllerRef } from '../pod-control.js';
import { isJobFinished } from './conditions.js';
import { hasTrackingFinalizer, TRACKING_FINALIZER } from './pods.js';
import { syncJob } from './sync.js';

export { COMPONENT as JOB_COMPONENT } from './context.js';
export { TRACKING_FINALIZER } from './pods.js';
export { isJobFinished, isJobSucceeded, finishedCondition } from './conditions.js';

const jobRef = (p: KObject) => {
  const ref = controllerRef(p);
  return ref && ref.kind === 'Job' && ref.apiVersion === 'batch/v1' ? ref : undefined;
};

interface Dirty {
  uids: Set<string>;
  /** pods that changed and still carry the finalizer (orphan candidates) */
  pods: KObject[];
}

function dirtyJobs(c: ComponentClient): Dirty | undefined {
  const changes = c.cause.changes;
  if (!changes) return undefined;
  const uids = new Set<string>();
  for (const k of c.cause.dueKeys) uids.add(k.startsWith('deadline/') ? k.slice(9) : k);
  const pods: KObject[] = [];
  for (const e of changes) {
    if (e.prefix === 'batch/jobs') uids.add(e.object.metadata!.uid!);
    else if (e.prefix === 'pods') {
      const ref = jobRef(e.object);
      if (ref) uids.add(ref.uid);
      if (e.type !== 'DELETED' && hasTrackingFinalizer(e.object)) pods.push(e.object);
    }
  }
  return { uids, pods };
}

/** syncOrphanPod: the finalizer goes when no unfinished Job controls the pod. */
async function releaseOrphans(c: ComponentClient, candidates: Iterable<KObject>, jobsByUid: Map<string, KObject>): Promise<boolean> {
  let changed = false;
  for (const p0 of candidates) {
    const p = await c.get('pods', p0.metadata!.namespace, p0.metadata!.name!);
    if (!p || !hasTrackingFinalizer(p)) continue;
    const ref = controllerRef(p);
    if (ref && (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1')) continue;
    const job = ref && jobsByUid.get(ref.uid);
    if (job && !isJobFinished(job)) continue;
    const rest = (p.metadata!.finalizers ?? []).filter((f) => f !== TRACKING_FINALIZER);
    c.trace('RemoveFinalizer', `pod/${p.metadata!.name}`, job ? `job/${job.metadata!.name} is finished` : 'orphan pod');
    await c.patch('pods', p.metadata!.namespace, p.metadata!.name!, { metadata: { finalizers: rest.length ? rest : null } });
    changed = true;
  }
  return changed;
}

export const jobController: Component = {
  name: 'job-controller',
  watches: ['jobs', 'pods'],
  async reconcile(c) {
    const dirty = dirtyJobs(c);
    if (dirty && dirty.uids.size === 0 && dirty.pods.length === 0) return false;
    const all = await c.list('jobs');
    const jobsByUid = new Map(all.map((j) => [j.metadata!.uid!, j]));
    const byOwner = lazyGroups(await indexOf(c, 'pods', 'pods-by-controller', (p) => controllerRef(p)?.uid));
    let changed = false;
    const jobs = dirty ? all.filter((j) => dirty.uids.has(j.metadata!.uid!)) : all;
    for (const job of jobs) {
      const pods = (byOwner.get(job.metadata!.uid!) ?? []).filter((p) => jobRef(p));
      if (await syncJob(c, job, pods)) changed = true;
    }
    // Orphans: on a full pass every pod with the finalizer, else the changed ones and the pods of
    // Jobs that went away.
    let candidates: KObject[];
    if (!dirty) {
      candidates = (await c.list('pods')).filter(hasTrackingFinalizer);
    } else {
      candidates = [...dirty.pods];
      for (const uid of dirty.uids) if (!jobsByUid.has(uid)) candidates.push(...(byOwner.get(uid) ?? []).filter(hasTrackingFinalizer));
    }
    candidates = candidates.filter((p) => {
      const ref = controllerRef(p);
      const job = ref && jobsByUid.get(ref.uid);
      return !job || isJobFinished(job);
    });
    if (candidates.length && (await releaseOrphans(c, candidates, jobsByUid))) changed = true;
    return changed;
  },
};
