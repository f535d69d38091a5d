// Job conditions (batch/v1 JobCondition) and the rules about them the controller follows.
import type { KObject } from '../../apiserver/types.js';
import { rfc3339 } from '../../cluster/clock.js';

export interface JobCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastProbeTime: string;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

export function newCondition(type: string, status: 'True' | 'False', reason: string, message: string, now: number): JobCondition {
  const t = rfc3339(now);
  const c: JobCondition = { type, status, lastProbeTime: t, lastTransitionTime: t, reason, message };
  if (!reason) delete c.reason;
  if (!message) delete c.message;
  return c;
}

export function findCondition(list: JobCondition[] | undefined, type: string): JobCondition | undefined {
  return (list ?? []).find((c) => c.type === type);
}

const isTrue = (job: KObject, type: string): boolean => (job.status?.conditions ?? []).some((c: any) => c.type === type && c.status === 'True');

/** util.IsJobFinished: Complete or Failed is True. */
export function isJobFinished(job: KObject): boolean {
  return isTrue(job, 'Complete') || isTrue(job, 'Failed');
}

export const isJobSucceeded = (job: KObject): boolean => isTrue(job, 'Complete');

/** The finished condition's type and the time it became true (the TTL controller's clock start). */
export function finishedCondition(job: KObject): { type: string; at?: number } | undefined {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') {
      const at = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
      return { type: c.type, at: Number.isFinite(at) ? at : undefined };
    }
  }
  return undefined;
}

/**
 * ensureJobConditionStatus: updates the condition of that type when status, reason or message
 * differ; appends it when missing, unless it would be False (nothing to False says nothing).
 */
export function ensureCondition(list: JobCondition[], type: string, status: 'True' | 'False', reason: string, message: string, now: number): boolean {
  const i = list.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = list[i];
    if (c.status === status && (c.reason ?? '') === reason && (c.message ?? '') === message) return false;
    list[i] = newCondition(type, status, reason, message, now);
    return true;
  }
  if (status === 'False') return false;
  list.push(newCondition(type, status, reason, message, now));
  return true;
}
