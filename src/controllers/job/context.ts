// What one sync of a Job works on (syncJobCtx): the Job copy whose status is being rebuilt, its
// pods, and the counts derived from them.
import type { KObject } from '../../apiserver/types.js';
import type { JobCondition } from './conditions.js';
import type { Intervals } from './indexes.js';

export const COMPONENT = 'job-controller';
/** MaxPodCreateDeletePerSync */
export const MAX_POD_CHANGES_PER_SYNC = 500;
/** MaxUncountedPods: finished pods recorded in status.uncountedTerminatedPods per sync */
export const MAX_UNCOUNTED_PODS = 500;

export interface JobStatus {
  conditions?: JobCondition[];
  startTime?: string;
  completionTime?: string;
  active?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number;
  completedIndexes?: string;
  failedIndexes?: string;
  uncountedTerminatedPods?: { succeeded?: string[]; failed?: string[] };
  ready?: number;
}

export interface SyncCtx {
  /** a copy of the Job; its status is rebuilt in place */
  job: KObject & { status: JobStatus };
  pods: KObject[];
  active: KObject[];
  ready: number;
  terminating: number;
  uncounted: { succeeded: Set<string>; failed: Set<string> };
  succeeded: number;
  failed: number;
  /** the condition the Job is heading to (FailureTarget, SuccessCriteriaMet, then Failed, Complete) */
  finished?: JobCondition;
  /** Indexed Jobs: the completed indexes before and after this sync's new successes */
  prevSucceeded: Intervals;
  succeededIx: Intervals;
  now: number;
}

export const isIndexed = (job: KObject): boolean => job.spec?.completionMode === 'Indexed';
export const isSuspended = (job: KObject): boolean => job.spec?.suspend === true;
