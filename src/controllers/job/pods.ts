// What the Job controller reads from and writes into its pods: the tracking finalizer, when a
// pod counts as failed, when it finished (for the failure backoff), the pod-failure policy, and
// the pod a Job asks the apiserver for.
import type { KObject } from '../../apiserver/types.js';
import { podFromTemplate } from '../pod-control.js';
import { COMPLETION_INDEX, COMPLETION_INDEX_ENV, generateNameWithIndex } from './indexes.js';

export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

export const hasTrackingFinalizer = (p: KObject): boolean => !!p.metadata?.finalizers?.includes(TRACKING_FINALIZER);

/** Only failed pods are replaced with podReplacementPolicy Failed (implied by a podFailurePolicy). */
export function onlyReplaceFailedPods(job: KObject): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || !!job.spec?.podFailurePolicy;
}

/**
 * isPodFailed: phase Failed; or, unless only failed pods are replaced, being deleted before it
 * succeeded (an orphan that never gets to the Failed phase still counts).
 */
export function isPodFailed(p: KObject, job: KObject): boolean {
  if (p.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded';
}

/** controller.CountTerminatingPods: being deleted and not yet in a terminal phase. */
export function isTerminating(p: KObject): boolean {
  const phase = p.status?.phase;
  return !!p.metadata?.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

const ms = (t: string | undefined): number | undefined => {
  if (!t) return undefined;
  const v = Date.parse(t);
  return Number.isFinite(v) ? v : undefined;
};

/**
 * getFinishedTime: the latest container finish when every container terminated, else the time
 * Ready went False, else the deletion time less the grace period, else the creation time.
 */
export function finishedTime(p: KObject): number {
  const statuses: any[] = p.status?.containerStatuses ?? [];
  let latest: number | undefined;
  let all = statuses.length > 0;
  for (const s of statuses) {
    const t = ms(s?.state?.terminated?.finishedAt);
    if (t === undefined) {
      all = false;
      break;
    }
    if (latest === undefined || t > latest) latest = t;
  }
  if (all && latest !== undefined) return latest;
  const ready = (p.status?.conditions ?? []).find((c: any) => c?.type === 'Ready');
  const rt = ready?.status === 'False' ? ms(ready.lastTransitionTime) : undefined;
  if (rt !== undefined) return rt;
  const del = ms(p.metadata?.deletionTimestamp);
  if (del !== undefined) return del - (p.metadata?.deletionGracePeriodSeconds ?? 0) * 1000;
  return ms(p.metadata?.creationTimestamp) ?? 0;
}

/** DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff */
export const POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 360_000;

/**
 * The backoff record the real controller keeps in memory, recomputed from the pods (they stay
 * until the Job goes): failures finished after the last success, and the time of the last one.
 */
export function backoffRecord(finished: { failed: boolean; at: number }[]): { failures: number; lastFailure?: number } {
  let lastSuccess = -Infinity;
  for (const f of finished) if (!f.failed && f.at > lastSuccess) lastSuccess = f.at;
  let failures = 0;
  let lastFailure: number | undefined;
  for (const f of finished) {
    if (!f.failed || f.at <= lastSuccess) continue;
    failures++;
    if (lastFailure === undefined || f.at > lastFailure) lastFailure = f.at;
  }
  return { failures, lastFailure };
}

/** getRemainingTimeForFailuresCount: 10 s doubling per failure, capped at 6 min, from the last failure. */
export function backoffRemaining(rec: { failures: number; lastFailure?: number }, now: number): number {
  if (!rec.failures || rec.lastFailure === undefined) return 0;
  let d = POD_FAILURE_BACKOFF_MS;
  for (let i = 1; i < rec.failures; i++) {
    d *= 2;
    if (d >= MAX_POD_FAILURE_BACKOFF_MS) {
      d = MAX_POD_FAILURE_BACKOFF_MS;
      break;
    }
  }
  const elapsed = now - rec.lastFailure;
  return d < elapsed ? 0 : d - elapsed;
}

/** pastBackoffLimitOnFailure: with restartPolicy OnFailure, container restarts count as failures. */
export function pastBackoffLimitOnFailure(job: KObject, pods: KObject[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    const phase = p.status?.phase;
    if (phase !== 'Running' && phase !== 'Pending') continue;
    for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += s?.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

export type PolicyAction = 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';

/**
 * matchPodFailurePolicy: the first rule that matches a failed pod decides. Returns the Job's failure
 * message for FailJob, whether the failure counts against backoffLimit, and the action.
 */
export function matchPodFailurePolicy(policy: any, p: KObject): { message?: string; count: boolean; action?: PolicyAction } {
  const rules: any[] = policy?.rules ?? [];
  const ns = p.metadata?.namespace;
  const name = p.metadata?.name;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    const action: PolicyAction = rule.action;
    let matched: string | undefined;
    if (rule.onExitCodes) {
      const r = rule.onExitCodes;
      const values: number[] = r.values ?? [];
      for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) {
        const code = s?.state?.terminated?.exitCode;
        if (code === undefined || code === 0) continue;
        if (r.containerName && r.containerName !== s.name) continue;
        const inValues = values.includes(code);
        if ((r.operator === 'In' && inValues) || (r.operator === 'NotIn' && !inValues)) {
          matched = `Container ${s.name} for pod ${ns}/${name} failed with exit code ${code} matching ${action} rule at index ${i}`;
          break;
        }
      }
    } else if (rule.onPodConditions) {
      for (const pat of rule.onPodConditions as any[]) {
        const want = pat.status ?? 'True';
        if ((p.status?.conditions ?? []).some((c: any) => c?.type === pat.type && c?.status === want)) {
          matched = `Pod ${ns}/${name} has condition ${pat.type} matching ${action} rule at index ${i}`;
          break;
        }
      }
    }
    if (matched === undefined) continue;
    switch (action) {
      case 'FailJob':
        return { message: matched, count: true, action };
      case 'Ignore':
        return { count: false, action };
      default:
        return { count: true, action };
    }
  }
  return { count: true };
}

/**
 * The pod a Job creates: its template, the tracking finalizer, and for an Indexed Job the index
 * (annotation, label, JOB_COMPLETION_INDEX in every container, hostname `<job>-<index>`).
 */
export function jobPod(job: KObject, index: number): KObject {
  const tpl = structuredClone(job.spec?.template ?? {});
  const md = (tpl.metadata ??= {});
  const fin: string[] = (md.finalizers ??= []);
  if (!fin.includes(TRACKING_FINALIZER)) fin.push(TRACKING_FINALIZER);
  let generateName = `${job.metadata!.name}-`;
  if (index >= 0) {
    const spec = (tpl.spec ??= {});
    for (const list of [spec.initContainers, spec.containers]) {
      for (const ctr of list ?? []) {
        const env: any[] = (ctr.env ??= []);
        if (!env.some((e) => e?.name === COMPLETION_INDEX_ENV)) {
          env.push({ name: COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } } });
        }
      }
    }
    md.annotations = { ...(md.annotations ?? {}), [COMPLETION_INDEX]: String(index) };
    md.labels = { ...(md.labels ?? {}), [COMPLETION_INDEX]: String(index) };
    spec.hostname = `${job.metadata!.name}-${index}`;
    generateName = generateNameWithIndex(job.metadata!.name!, index);
  }
  return podFromTemplate(job, tpl, generateName);
}
