// apps/v1 ReplicaSet and core/v1 ReplicationController.
import { FieldError, invalid, required } from './errors.js';
import { selectorMatches, validateImmutable, validateLabels, validateNonnegative, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { nameIsDNSSubdomain } from './names.js';
import { validateSelector, validateTemplateForSelector } from './controller-common.js';
import { notSupported } from './errors.js';
import { validatePodTemplateSpec } from './pod.js';

export function validateReplicaSet(obj: any): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain);
  const spec = obj.spec ?? {};
  errs.push(...validateNonnegative(spec.replicas, 'spec.replicas'));
  errs.push(...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateSelector(spec, 'spec', 'deployment'));
  errs.push(...validateTemplateForSelector(spec, 'spec'));
  return errs;
}

export function validateReplicaSetUpdate(obj: any, old: any): FieldError[] {
  return [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateReplicaSet(obj),
    ...validateImmutable(obj.spec?.selector, old.spec?.selector, 'spec.selector', 'LabelSelector'),
  ];
}

/** ReplicationController: the selector is a plain map and may be defaulted from the template. */
export function validateReplicationController(obj: any): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain);
  const spec = obj.spec ?? {};
  errs.push(...validateNonnegative(spec.replicas, 'spec.replicas'));
  const sel = spec.selector ?? {};
  if (Object.keys(sel).length === 0) errs.push(required('spec.selector'));
  else errs.push(...validateLabels(sel, 'spec.selector'));
  const tpl = spec.template;
  if (!tpl) errs.push(required('spec.template'));
  else {
    if (Object.keys(sel).length && !selectorMatches({ matchLabels: sel }, tpl.metadata?.labels)) {
      errs.push(invalid('spec.template.metadata.labels', tpl.metadata?.labels ?? null, '`selector` does not match template `labels`', 'map[string]string'));
    }
    errs.push(...validatePodTemplateSpec(tpl, 'spec.template'));
    const rp = tpl.spec?.restartPolicy;
    if (rp && rp !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', rp, ['Always']));
  }
  return errs;
}
