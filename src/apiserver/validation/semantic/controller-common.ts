// Pieces shared by the controllers that own pods through a selector and a template.
import { FieldError, forbidden, invalid, notSupported, required } from './errors.js';
import { selectorIsEmpty, selectorMatches, validateLabelSelector } from './meta.js';
import { validatePodTemplateSpec } from './pod.js';

/** selector present, non-empty and valid; `what` names the kind in the "empty selector" message. */
export function validateSelector(spec: any, path: string, what: string): FieldError[] {
  if (!spec?.selector) return [required(`${path}.selector`)];
  const errs = validateLabelSelector(spec.selector, `${path}.selector`);
  if (selectorIsEmpty(spec.selector)) {
    errs.push(invalid(`${path}.selector`, spec.selector, `empty selector is invalid for ${what}`, 'LabelSelector'));
  }
  return errs;
}

/** ValidatePodTemplateSpecForReplicaSet: labels must match the selector, pods must restart Always. */
export function validateTemplateForSelector(spec: any, path: string, opts: { extraVolumes?: string[]; alwaysRestart?: boolean } = {}): FieldError[] {
  const errs: FieldError[] = [];
  const tpl = spec?.template;
  const tp = `${path}.template`;
  if (!tpl) return [required(tp)];
  if (spec.selector && !selectorIsEmpty(spec.selector) && !selectorMatches(spec.selector, tpl.metadata?.labels)) {
    errs.push(invalid(`${tp}.metadata.labels`, tpl.metadata?.labels ?? null, '`selector` does not match template `labels`', 'map[string]string'));
  }
  errs.push(...validatePodTemplateSpec(tpl, tp, opts.extraVolumes ?? []));
  if (opts.alwaysRestart !== false) {
    const rp = tpl.spec?.restartPolicy;
    if (rp && rp !== 'Always') errs.push(notSupported(`${tp}.spec.restartPolicy`, rp, ['Always']));
  }
  if (tpl.spec?.activeDeadlineSeconds != null) {
    errs.push(forbidden(`${tp}.spec.activeDeadlineSeconds`, 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

/** IntOrString that is a non-negative int or a percentage string. */
export function validateIntOrPercent(v: any, path: string): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'number') return v < 0 ? [invalid(path, v, 'must be greater than or equal to 0')] : [];
  if (typeof v === 'string') {
    if (!/^[0-9]+%$/.test(v)) {
      return [invalid(path, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
    }
    return [];
  }
  return [invalid(path, v, 'must be an integer or percentage (e.g \'5%\')')];
}

export function percentOver100(v: any, path: string): FieldError[] {
  return typeof v === 'string' && /^[0-9]+%$/.test(v) && parseInt(v, 10) > 100
    ? [invalid(path, v, 'must not be greater than 100%')] : [];
}

export const isZero = (v: any) => v === 0 || v === '0%';
