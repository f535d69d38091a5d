// SchedulingGates (PreEnqueue): a pod with spec.schedulingGates never enters the scheduling queue;
// it waits until whoever owns the gates removes them all. The PodScheduled=False condition with
// reason SchedulingGated is the apiserver's doing (pod strategy PrepareForCreate sets it when a
// gated pod is created); the scheduler only writes it for a gated pod that lacks it (see index.ts).
import type { KObject } from '../../apiserver/types.js';

export const SCHEDULING_GATED = 'SchedulingGated';
/** the condition message the apiserver gives a gated pod */
export const SCHEDULING_GATED_MESSAGE = 'Scheduling is blocked due to non-empty scheduling gates';

export function gates(pod: KObject): string[] {
  return (pod.spec?.schedulingGates ?? []).map((g: any) => g?.name ?? '');
}

export function isGated(pod: KObject): boolean {
  return (pod.spec?.schedulingGates?.length ?? 0) > 0;
}

/** PreEnqueue's status message, for the scheduler's trace: "waiting for scheduling gates: [a b]" */
export function gatedMessage(pod: KObject): string {
  return `waiting for scheduling gates: [${gates(pod).join(' ')}]`;
}

/** whether the pod still needs its SchedulingGated condition (any PodScheduled condition counts) */
export function needsGatedCondition(pod: KObject): boolean {
  if (!isGated(pod) || pod.spec?.nodeName || pod.metadata?.deletionTimestamp) return false;
  return !(pod.status?.conditions ?? []).some((c: any) => c.type === 'PodScheduled');
}
