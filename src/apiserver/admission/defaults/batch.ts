// batch/v1 Job and CronJob.
import { defaultPodTemplate } from './podspec.js';

const MAX_INT32 = 2147483647;

/** SetDefaults_Job, for the Job object itself. */
export function defaultJob(job: any): void {
  const spec = (job.spec ??= {});
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex != null ? MAX_INT32 : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  defaultPodTemplate(spec.template ??= {});
}

/**
 * jobStrategy.PrepareForCreate's generateSelector: unless the user takes over with
 * manualSelector, the Job selects its pods by its own uid.
 */
export function generateJobSelector(job: any): void {
  const spec = (job.spec ??= {});
  if (spec.manualSelector === true) return;
  const uid: string = job.metadata?.uid ?? '';
  const name: string = job.metadata?.name ?? '';
  const tpl = (spec.template ??= {});
  tpl.metadata ??= {};
  const labels = (tpl.metadata.labels ??= {});
  labels['batch.kubernetes.io/controller-uid'] ??= uid;
  labels['batch.kubernetes.io/job-name'] ??= name;
  // The legacy keys are still written for older selectors and tooling.
  labels['controller-uid'] ??= uid;
  labels['job-name'] ??= name;
  spec.selector ??= {};
  spec.selector.matchLabels ??= {};
  spec.selector.matchLabels['batch.kubernetes.io/controller-uid'] ??= uid;
}

export function defaultCronJob(cj: any): void {
  const spec = (cj.spec ??= {});
  spec.concurrencyPolicy ??= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  const jt = (spec.jobTemplate ??= {});
  jt.metadata ??= {};
  jt.metadata.creationTimestamp ??= null;
  const js = (jt.spec ??= {});
  defaultPodTemplate(js.template ??= {});
}
