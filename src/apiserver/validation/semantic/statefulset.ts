// apps/v1 StatefulSet.
import { FieldError, forbidden, invalid, notSupported, required } from './errors.js';
import { deepEqual, selectorIsEmpty, validateLabelSelector, validateNonnegative, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { nameIsDNSSubdomain } from './names.js';
import { validateTemplateForSelector } from './controller-common.js';

export function validateStatefulSet(obj: any): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain);
  const spec = obj.spec ?? {};
  const pmp = spec.podManagementPolicy;
  if (!pmp) errs.push(required('spec.podManagementPolicy'));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push(invalid('spec.podManagementPolicy', pmp, "must be 'OrderedReady' or 'Parallel'"));
  const us = spec.updateStrategy ?? {};
  if (!us.type) errs.push(required('spec.updateStrategy'));
  else if (us.type === 'OnDelete') {
    if (us.rollingUpdate) errs.push(invalid('spec.updateStrategy.rollingUpdate', us.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
  } else if (us.type === 'RollingUpdate') {
    errs.push(...validateNonnegative(us.rollingUpdate?.partition, 'spec.updateStrategy.rollingUpdate.partition'));
  } else errs.push(invalid('spec.updateStrategy', us, "must be 'RollingUpdate' or 'OnDelete'"));
  errs.push(...validateNonnegative(spec.replicas, 'spec.replicas'));
  if (!spec.selector) errs.push(required('spec.selector'));
  else {
    errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
    if (selectorIsEmpty(spec.selector)) errs.push(invalid('spec.selector', spec.selector, 'empty selector is invalid for statefulset', 'LabelSelector'));
  }
  const claimNames = (spec.volumeClaimTemplates ?? []).map((t: any) => t?.metadata?.name).filter(Boolean);
  errs.push(...validateTemplateForSelector(spec, 'spec', { extraVolumes: claimNames }));
  if (spec.serviceName !== undefined && spec.serviceName !== '') {
    // the governing service name becomes part of pod DNS names
    if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(spec.serviceName)) errs.push(invalid('spec.serviceName', spec.serviceName, 'must be a DNS-1035 label'));
  }
  return errs;
}

const MUTABLE = ['replicas', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds', 'ordinals', 'revisionHistoryLimit'];

export function validateStatefulSetUpdate(obj: any, old: any): FieldError[] {
  const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
  errs.push(...validateStatefulSet(obj));
  const strip = (s: any) => Object.fromEntries(Object.entries(s ?? {}).filter(([k]) => !MUTABLE.includes(k)));
  if (!deepEqual(strip(obj.spec), strip(old.spec))) {
    errs.push(forbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
  }
  return errs;
}
void notSupported;
