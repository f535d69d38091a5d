// batch/v1 Job and CronJob.
import { FieldError, forbidden, invalid, notSupported, required } from './errors.js';
import { selectorIsEmpty, selectorMatches, validateImmutable, validateLabelSelector, validateNonnegative, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { maxLenError, nameIsDNSSubdomain } from './names.js';
import { validatePodTemplateSpec } from './pod.js';
import { cronError } from './cron.js';

const RESTART = ['OnFailure', 'Never'];

/** ValidateJobSpec; `requireSelector` is false inside a CronJob's jobTemplate (selectors are generated per Job). */
export function validateJobSpec(spec: any, path: string, requireSelector: boolean): FieldError[] {
  const errs: FieldError[] = [];
  spec = spec ?? {};
  errs.push(...validateNonnegative(spec.parallelism, `${path}.parallelism`));
  errs.push(...validateNonnegative(spec.completions, `${path}.completions`));
  errs.push(...validateNonnegative(spec.backoffLimit, `${path}.backoffLimit`));
  errs.push(...validateNonnegative(spec.activeDeadlineSeconds, `${path}.activeDeadlineSeconds`));
  errs.push(...validateNonnegative(spec.ttlSecondsAfterFinished, `${path}.ttlSecondsAfterFinished`));
  if (spec.completionMode !== undefined && !['NonIndexed', 'Indexed'].includes(spec.completionMode)) {
    errs.push(notSupported(`${path}.completionMode`, spec.completionMode, ['NonIndexed', 'Indexed']));
  }
  if (spec.completionMode === 'Indexed' && spec.completions == null) {
    errs.push(required(`${path}.completions`, 'when completion mode is Indexed'));
  }
  if (requireSelector) {
    if (!spec.selector) errs.push(required(`${path}.selector`));
    else errs.push(...validateLabelSelector(spec.selector, `${path}.selector`));
  } else if (spec.selector) {
    errs.push(...validateLabelSelector(spec.selector, `${path}.selector`));
  }
  const tpl = spec.template;
  if (!tpl) return [...errs, required(`${path}.template`)];
  if (spec.selector && !selectorIsEmpty(spec.selector) && !selectorMatches(spec.selector, tpl.metadata?.labels)) {
    errs.push(invalid(`${path}.template.metadata.labels`, tpl.metadata?.labels ?? null, '`selector` does not match template `labels`', 'map[string]string'));
  }
  errs.push(...validatePodTemplateSpec(tpl, `${path}.template`));
  const rp = tpl.spec?.restartPolicy;
  if (rp && !RESTART.includes(rp)) errs.push(notSupported(`${path}.template.spec.restartPolicy`, rp, RESTART));
  return errs;
}

/**
 * ValidateGeneratedSelector: without manualSelector, the selector must be the generated one
 * (it selects the Job's own uid) and the template must carry the generated labels.
 */
function validateGeneratedSelector(obj: any): FieldError[] {
  const spec = obj.spec ?? {};
  if (spec.manualSelector === true || !spec.selector) return [];
  const errs: FieldError[] = [];
  const uid = obj.metadata?.uid ?? '';
  const name = obj.metadata?.name ?? '';
  if (!uid) errs.push(required('metadata.uid'));
  const labels = spec.template?.metadata?.labels ?? {};
  for (const [k, v] of [['batch.kubernetes.io/controller-uid', uid], ['batch.kubernetes.io/job-name', name], ['controller-uid', uid], ['job-name', name]]) {
    // ValidateHasLabel's messages
    if (labels[k] === undefined) errs.push(required(`spec.template.metadata.labels[${k}]`, v));
    else if (labels[k] !== v) errs.push(invalid(`spec.template.metadata.labels[${k}]`, labels, `must be '${v}'`, 'map[string]string'));
  }
  const expected = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': name, 'controller-uid': uid, 'job-name': name };
  if (!selectorMatches(spec.selector, expected)) {
    errs.push(invalid('spec.selector', spec.selector, '`selector` not auto-generated', 'LabelSelector'));
  }
  return errs;
}

export function validateJob(obj: any): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain);
  errs.push(...validateGeneratedSelector(obj));
  errs.push(...validateJobSpec(obj.spec, 'spec', true));
  return errs;
}

export function validateJobUpdate(obj: any, old: any): FieldError[] {
  const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
  errs.push(...validateJob(obj));
  errs.push(...validateImmutable(obj.spec?.selector, old.spec?.selector, 'spec.selector', 'LabelSelector'));
  if (obj.spec?.completionMode !== 'Indexed') errs.push(...validateImmutable(obj.spec?.completions, old.spec?.completions, 'spec.completions'));
  errs.push(...validateImmutable(obj.spec?.completionMode, old.spec?.completionMode, 'spec.completionMode'));
  errs.push(...validateImmutable(obj.spec?.template, old.spec?.template, 'spec.template'));
  return errs;
}

const CONCURRENCY = ['Allow', 'Forbid', 'Replace'];

export function validateCronJob(obj: any): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain);
  const name: string = obj.metadata?.name ?? '';
  // The controller appends an 11-character suffix to make Job names, which must stay <= 63.
  if (name.length > 52) errs.push(invalid('metadata.name', name, maxLenError(52)));
  const spec = obj.spec ?? {};
  if (!spec.schedule) errs.push(required('spec.schedule'));
  else {
    const e = cronError(spec.schedule);
    if (e) errs.push(invalid('spec.schedule', spec.schedule, e));
    if (/(^|\s)(CRON_)?TZ=/.test(spec.schedule)) {
      errs.push(invalid('spec.schedule', spec.schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
    }
  }
  if (spec.timeZone !== undefined && spec.timeZone !== null) {
    if (spec.timeZone === '' || /\s/.test(spec.timeZone) || !isKnownTimeZone(spec.timeZone)) {
      errs.push(invalid('spec.timeZone', spec.timeZone, 'unknown time zone ' + spec.timeZone));
    }
  }
  errs.push(...validateNonnegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  if (!spec.concurrencyPolicy) errs.push(required('spec.concurrencyPolicy'));
  else if (!CONCURRENCY.includes(spec.concurrencyPolicy)) errs.push(notSupported('spec.concurrencyPolicy', spec.concurrencyPolicy, CONCURRENCY));
  errs.push(...validateNonnegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  errs.push(...validateNonnegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  if (!spec.jobTemplate) errs.push(required('spec.jobTemplate'));
  else {
    if (spec.jobTemplate.spec?.selector) {
      errs.push(invalid('spec.jobTemplate.spec.selector', spec.jobTemplate.spec.selector, '`selector` will be auto-generated', 'LabelSelector'));
    }
    if (spec.jobTemplate.spec?.manualSelector === true) {
      errs.push(notSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
    }
    errs.push(...validateJobSpec(spec.jobTemplate.spec, 'spec.jobTemplate.spec', false));
  }
  return errs;
}

function isKnownTimeZone(tz: string): boolean {
  try { new Intl.DateTimeFormat('en-US', { timeZone: tz }); return true; } catch { return false; }
}

export function validateCronJobUpdate(obj: any, old: any): FieldError[] {
  return [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validateCronJob(obj)];
}
void forbidden;
