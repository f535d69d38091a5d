// apps/v1 DaemonSet.
import { FieldError, invalid, notSupported, required } from './errors.js';
import { validateImmutable, validateNonnegative, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { nameIsDNSSubdomain } from './names.js';
import { isZero, validateIntOrPercent, validateSelector, validateTemplateForSelector } from './controller-common.js';

export function validateDaemonSet(obj: any): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain);
  const spec = obj.spec ?? {};
  errs.push(...validateSelector(spec, 'spec', 'daemonset'));
  errs.push(...validateTemplateForSelector(spec, 'spec'));
  errs.push(...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonnegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  const us = spec.updateStrategy ?? {};
  if (!us.type) errs.push(required('spec.updateStrategy.type'));
  else if (us.type === 'RollingUpdate') {
    const ru = us.rollingUpdate ?? {};
    errs.push(...validateIntOrPercent(ru.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable'));
    errs.push(...validateIntOrPercent(ru.maxSurge, 'spec.updateStrategy.rollingUpdate.maxSurge'));
    if (isZero(ru.maxUnavailable) && isZero(ru.maxSurge ?? 0)) {
      errs.push(invalid('spec.updateStrategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
    }
  } else if (us.type !== 'OnDelete') errs.push(notSupported('spec.updateStrategy.type', us.type, ['OnDelete', 'RollingUpdate']));
  return errs;
}

export function validateDaemonSetUpdate(obj: any, old: any): FieldError[] {
  return [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateDaemonSet(obj),
    ...validateImmutable(obj.spec?.selector, old.spec?.selector, 'spec.selector', 'LabelSelector'),
  ];
}
