// CronJob controller (pkg/controller/cronjob, ControllerV2): starts a Job `<cronjob>-<minutes since
// the epoch of the scheduled time>` at each schedule time of the VIRTUAL clock, honours
// concurrencyPolicy (Allow, Forbid, Replace), suspend and startingDeadlineSeconds, keeps
// status.active / lastScheduleTime / lastSuccessfulTime, and deletes finished Jobs beyond the
// history limits. Schedule times are 'background' wake-ups: a schedule fires only as time passes
// (`cluster advance 1m`, or the wall clock in realtime mode), never by instant mode skipping ahead.
//   schedule.ts  cron parsing and next-time computation (robfig/cron's standard parser)
//   zone.ts      time zones (spec.timeZone, CRON_TZ=/TZ= prefixes)
//   times.ts     the most recent unmet schedule time, missed starts, the next wake-up
import type { KObject } from '../../apiserver/types.js';
import type { Component, ComponentClient } from '../component.js';
import { indexOf, lazyGroups } from '../informer.js';
import { controllerRef, newControllerRef } from '../pod-control.js';
import { rfc3339 } from '../../cluster/clock.js';
import { isJobFinished, isJobSucceeded } from '../job/conditions.js';
import { parseSchedule, type Schedule } from './schedule.js';
import { mostRecentScheduleTime, nextScheduleDelay } from './times.js';
import { loadZone, rfc3339In } from './zone.js';

const COMPONENT = 'cronjob-controller';
export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** getJobName: the scheduled time in minutes since the epoch makes the name (and a lock). */
export const jobName = (cj: KObject, scheduled: number): string => `${cj.metadata!.name}-${Math.floor(scheduled / 60_000)}`;

/** ObjectReference as ref.GetReference writes it for a Job (Go's field order). */
function jobReference(job: KObject): any {
  return { kind: 'Job', namespace: job.metadata!.namespace, name: job.metadata!.name, uid: job.metadata!.uid, apiVersion: 'batch/v1', resourceVersion: job.metadata!.resourceVersion };
}

/** getJobFromTemplate2 */
export function jobFromTemplate(cj: KObject, scheduled: number): KObject {
  const jt = cj.spec?.jobTemplate ?? {};
  const labels = { ...(jt.metadata?.labels ?? {}) };
  const annotations: Record<string, string> = { ...(jt.metadata?.annotations ?? {}) };
  annotations[SCHEDULED_TIMESTAMP] = rfc3339In(scheduled, loadZone(cj.spec?.timeZone ?? ''));
  const md: any = { name: jobName(cj, scheduled), namespace: cj.metadata!.namespace };
  if (Object.keys(labels).length) md.labels = labels;
  md.annotations = annotations;
  md.ownerReferences = [newControllerRef(cj)];
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: md, spec: structuredClone(jt.spec ?? {}) };
}

/** formatSchedule: spec.timeZone becomes a TZ= prefix; a TZ in the schedule itself is warned about. */
async function formatSchedule(c: ComponentClient, cj: KObject): Promise<string> {
  const s: string = cj.spec?.schedule ?? '';
  if (s.includes('TZ')) {
    await c.event(cj, 'Warning', 'UnsupportedSchedule', `CRON_TZ or TZ used in schedule ${JSON.stringify(s)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`, { component: COMPONENT });
    return s;
  }
  const tz = cj.spec?.timeZone;
  return tz != null ? `TZ=${tz} ${s}` : s;
}

const startTime = (j: KObject): number | undefined => (j.status?.startTime ? Date.parse(j.status.startTime) : undefined);

/** byJobStartTime: started before not started, earlier first, then by name. */
function byStartTime(a: KObject, b: KObject): number {
  const ta = startTime(a);
  const tb = startTime(b);
  if (ta === undefined && tb !== undefined) return 1;
  if (ta !== undefined && tb === undefined) return -1;
  if (ta === tb) return a.metadata!.name! < b.metadata!.name! ? -1 : a.metadata!.name! > b.metadata!.name! ? 1 : 0;
  return ta! - tb!;
}

interface Sync {
  cj: KObject;
  update: boolean;
}

/** deleteJob: the Job (and, in the background, its pods), and its entry in status.active. */
async function deleteJob(c: ComponentClient, s: Sync, job: KObject): Promise<boolean> {
  try {
    await c.delete('jobs', job.metadata!.namespace, job.metadata!.name!, { propagationPolicy: 'Background' });
  } catch (e) {
    await c.event(s.cj, 'Warning', 'FailedDelete', `Deleted job: ${(e as Error).message}`, { component: COMPONENT });
    return false;
  }
  s.cj.status.active = (s.cj.status.active ?? []).filter((r: any) => r.uid !== job.metadata!.uid);
  await c.event(s.cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata!.name}`, { component: COMPONENT });
  return true;
}

/** syncCronJob: returns the delay until the next look, if any. */
async function syncCronJob(c: ComponentClient, s: Sync, jobs: KObject[]): Promise<number | undefined> {
  const cj = s.cj;
  const st = cj.status;
  const now = c.now();
  const inActive = (uid: string) => (st.active ?? []).some((r: any) => r.uid === uid);
  const children = new Set<string>();
  for (const j of jobs) {
    const uid = j.metadata!.uid!;
    children.add(uid);
    const found = inActive(uid);
    if (!found && !isJobFinished(j)) {
      await c.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata!.name}`, { component: COMPONENT });
    } else if (isJobFinished(j)) {
      if (found) {
        const cond = (j.status?.conditions ?? []).find((x: any) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
        st.active = st.active.filter((r: any) => r.uid !== uid);
        await c.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata!.name}, condition: ${cond?.type}`, { component: COMPONENT });
        s.update = true;
      }
      const done = j.status?.completionTime;
      if (isJobSucceeded(j) && done && (!st.lastSuccessfulTime || Date.parse(done) > Date.parse(st.lastSuccessfulTime))) {
        st.lastSuccessfulTime = done;
        s.update = true;
      }
    }
  }
  for (const r of [...(st.active ?? [])]) {
    if (children.has(r.uid)) continue;
    if (await c.get('jobs', r.namespace, r.name)) continue;
    await c.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${r.name}`, { component: COMPONENT });
    st.active = st.active.filter((x: any) => x.uid !== r.uid);
    s.update = true;
  }
  if (cj.metadata!.deletionTimestamp) return undefined;
  const tz = cj.spec?.timeZone;
  if (tz != null) {
    try {
      loadZone(tz);
    } catch (e) {
      await c.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(tz)}: ${(e as Error).message}`, { component: COMPONENT });
      return undefined;
    }
  }
  if (cj.spec?.suspend === true) return undefined;
  let sched: Schedule;
  try {
    sched = parseSchedule(await formatSchedule(c, cj));
  } catch (e) {
    await c.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(cj.spec?.schedule)} : ${(e as Error).message}`, { component: COMPONENT });
    return undefined;
  }
  const recent = mostRecentScheduleTime(cj, now, sched, true);
  if (recent.error) {
    await c.event(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${cj.spec?.schedule} : ${recent.error}`, { component: COMPONENT });
    return undefined;
  }
  const scheduled = recent.mostRecent;
  if (scheduled === undefined || scheduled > now) return nextScheduleDelay(cj, now, sched);
  if (recent.missed === 'many') {
    await c.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew', { component: COMPONENT });
  }
  const deadline = cj.spec?.startingDeadlineSeconds;
  if (deadline != null && scheduled + deadline * 1000 < now) {
    await c.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`, { component: COMPONENT });
    return nextScheduleDelay(cj, now, sched);
  }
  const name = jobName(cj, scheduled);
  const last = st.lastScheduleTime ? Date.parse(st.lastScheduleTime) : undefined;
  if ((st.active ?? []).some((r: any) => r.name === name && r.namespace === cj.metadata!.namespace) || last === Math.floor(scheduled / 1000) * 1000) {
    return nextScheduleDelay(cj, now, sched);
  }
  if (cj.spec?.concurrencyPolicy === 'Forbid' && (st.active ?? []).length > 0) {
    c.trace('Skip', `cronjob/${cj.metadata!.name}`, 'a Job is still running and concurrencyPolicy is Forbid');
    await c.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid', { component: COMPONENT });
    return nextScheduleDelay(cj, now, sched);
  }
  if (cj.spec?.concurrencyPolicy === 'Replace') {
    for (const r of [...(st.active ?? [])]) {
      const job = await c.get('jobs', r.namespace, r.name);
      if (!job) {
        await c.event(cj, 'Warning', 'FailedGet', `Get job: jobs.batch "${r.name}" not found`, { component: COMPONENT });
        return undefined;
      }
      c.trace('Replace', `job/${r.name}`, `still running at the next schedule of cronjob/${cj.metadata!.name}`);
      if (!(await deleteJob(c, s, job))) return undefined;
      s.update = true;
    }
  }
  let job: KObject | undefined;
  try {
    job = await c.create('jobs', cj.metadata!.namespace, jobFromTemplate(cj, scheduled));
  } catch (e) {
    await c.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${(e as Error).message.replace(/^[^:]*: create jobs [^:]*: /, '')}`, { component: COMPONENT });
    return undefined;
  }
  if (!job) {
    // AlreadyExists: ours but missing from status.active (a lost status write), or someone else's.
    job = await c.get('jobs', cj.metadata!.namespace, name);
    if (!job || controllerRef(job)?.uid !== cj.metadata!.uid || inActive(job.metadata!.uid!)) return undefined;
  } else {
    c.trace('Create', `job/${name}`, `scheduled ${rfc3339(scheduled)} by cronjob/${cj.metadata!.name}`);
    await c.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${name}`, { component: COMPONENT });
  }
  st.active = [...(st.active ?? []), jobReference(job)];
  st.lastScheduleTime = rfc3339(scheduled);
  s.update = true;
  return nextScheduleDelay(cj, now, sched);
}

/** cleanupFinishedJobs: the oldest finished Jobs beyond the history limits go. */
async function cleanupFinishedJobs(c: ComponentClient, s: Sync, jobs: KObject[]): Promise<void> {
  const spec = s.cj.spec ?? {};
  if (spec.failedJobsHistoryLimit == null && spec.successfulJobsHistoryLimit == null) return;
  const finished = (type: string) => jobs.filter((j) => (j.status?.conditions ?? []).find((x: any) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True')?.type === type);
  for (const [list, limit] of [[finished('Complete'), spec.successfulJobsHistoryLimit], [finished('Failed'), spec.failedJobsHistoryLimit]] as const) {
    if (limit == null || list.length <= limit) continue;
    const oldest = [...list].sort(byStartTime).slice(0, list.length - limit);
    for (const j of oldest) {
      c.trace('Cleanup', `job/${j.metadata!.name}`, `beyond the history limit of cronjob/${s.cj.metadata!.name}`);
      if (await deleteJob(c, s, j)) s.update = true;
    }
  }
}

function rfc1123z(ms: number): string {
  // Go's time.RFC1123Z: "Mon, 02 Jan 2006 15:04:05 -0700"
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

const STATUS_KEYS = ['active', 'lastScheduleTime', 'lastSuccessfulTime'];

async function syncOne(c: ComponentClient, shared: KObject, jobs: KObject[]): Promise<boolean> {
  const cj = structuredClone(shared);
  cj.status ??= {};
  const s: Sync = { cj, update: false };
  const delay = await syncCronJob(c, s, jobs);
  // Jobs deleted above (Replace) are gone from the history too.
  const live = jobs.filter((j) => (s.cj.status.active ?? []).some((r: any) => r.uid === j.metadata!.uid) || isJobFinished(j));
  await cleanupFinishedJobs(c, s, live);
  const uid = cj.metadata!.uid!;
  c.wakeAt(delay === undefined ? Infinity : c.now() + Math.max(delay, 1), 'background', uid);
  if (!s.update) return false;
  const status: any = {};
  for (const k of STATUS_KEYS) if (cj.status[k] !== undefined && !(k === 'active' && !cj.status.active.length)) status[k] = cj.status[k];
  const body = structuredClone(shared);
  body.status = status;
  await c.update('cronjobs', body, 'status');
  return true;
}

function dirtyCronJobs(c: ComponentClient): Set<string> | undefined {
  const changes = c.cause.changes;
  if (!changes) return undefined;
  const uids = new Set<string>(c.cause.dueKeys);
  for (const e of changes) {
    if (e.prefix === 'batch/cronjobs') uids.add(e.object.metadata!.uid!);
    else if (e.prefix === 'batch/jobs') {
      const ref = controllerRef(e.object);
      if (ref?.kind === 'CronJob') uids.add(ref.uid);
    }
  }
  return uids;
}

export const cronJobController: Component = {
  name: COMPONENT,
  watches: ['cronjobs', 'jobs'],
  async reconcile(c) {
    const dirty = dirtyCronJobs(c);
    if (dirty && dirty.size === 0) return false;
    const all = await c.list('cronjobs');
    const cjs = dirty ? all.filter((x) => dirty.has(x.metadata!.uid!)) : all;
    if (!cjs.length) return false;
    const byOwner = lazyGroups(await indexOf(c, 'jobs', 'jobs-by-controller', (j) => controllerRef(j)?.uid));
    let changed = false;
    for (const cj of cjs) {
      if (await syncOne(c, cj, byOwner.get(cj.metadata!.uid!) ?? [])) changed = true;
    }
    return changed;
  },
};
