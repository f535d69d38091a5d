// When a CronJob should have started a Job (pkg/controller/cronjob/utils.go): the most recent
// unmet schedule time since the last one (or the CronJob's creation), how many were missed, and
// when to look again.
import type { KObject } from '../../apiserver/types.js';
import { ZERO_TIME, type Schedule } from './schedule.js';

export type Missed = 'none' | 'few' | 'many';

export interface Recent {
  earliest: number;
  mostRecent?: number;
  missed: Missed;
  error?: string;
}

const parse = (t: string | undefined): number | undefined => (t ? Date.parse(t) : undefined);

/** mostRecentScheduleTime */
export function mostRecentScheduleTime(cj: KObject, now: number, sched: Schedule, withDeadline: boolean): Recent {
  let earliest = parse(cj.status?.lastScheduleTime) ?? parse(cj.metadata?.creationTimestamp) ?? ZERO_TIME;
  const deadline = cj.spec?.startingDeadlineSeconds;
  if (withDeadline && deadline != null) {
    // Nothing older than the starting deadline is going to be scheduled.
    const limit = now - deadline * 1000;
    if (limit > earliest) earliest = limit;
  }
  const t1 = sched.next(earliest);
  const t2 = sched.next(t1);
  if (now < t1) return { earliest, missed: 'none' };
  if (now < t2) return { earliest, mostRecent: t1, missed: 'none' };
  // "59 23 31 2 *" parses but never happens: two schedules less than a second apart.
  const between = Math.round((t2 - t1) / 1000);
  if (between < 1) return { earliest, missed: 'none', error: 'time difference between two schedules is less than 1 second' };
  const elapsed = Math.trunc((now - t1) / 1000);
  const count = Math.floor(elapsed / between) + 1;
  // Start two intervals before the estimated last one and let the schedule find it exactly.
  let mostRecent: number | undefined;
  for (let t = sched.next(t1 + (count - 2) * between * 1000); t <= now && t > ZERO_TIME; t = sched.next(t)) mostRecent = t;
  const missed: Missed = count > 100 ? 'many' : count > 0 ? 'few' : 'none';
  return { earliest, mostRecent, missed };
}

/** nextScheduleTimeDuration: how long until the next schedule, plus 100 ms for clock skew. */
export function nextScheduleDelay(cj: KObject, now: number, sched: Schedule): number {
  const r = mostRecentScheduleTime(cj, now, sched, false);
  let from: number;
  if (r.error) from = now;
  else if (r.mostRecent === undefined) from = r.missed === 'none' ? r.earliest : now;
  else from = r.mostRecent;
  return sched.next(from) + 100 - now;
}
