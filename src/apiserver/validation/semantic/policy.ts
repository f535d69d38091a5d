// Namespaces, PodDisruptionBudgets, Leases, HPAs, PVCs: the rules users meet (NetworkPolicies: networkpolicy.ts).
import { FieldError, forbidden, invalid, notSupported, required } from './errors.js';
import { deepEqual, validateLabelSelector, validateNonnegative, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { nameIsDNSLabel, nameIsDNSSubdomain } from './names.js';
import { validateIntOrPercent, percentOver100 } from './controller-common.js';

export function validateNamespace(obj: any): FieldError[] {
  return validateObjectMeta(obj.metadata, false, nameIsDNSLabel);
}

export function validatePDB(obj: any): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain);
  const spec = obj.spec ?? {};
  if (spec.minAvailable != null && spec.maxUnavailable != null) {
    errs.push(invalid('spec', { toString: () => 'policy.PodDisruptionBudgetSpec{...}' }, 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const f of ['minAvailable', 'maxUnavailable']) {
    errs.push(...validateIntOrPercent(spec[f], `spec.${f}`));
    errs.push(...percentOver100(spec[f], `spec.${f}`));
  }
  if (spec.selector) errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const uhp = spec.unhealthyPodEvictionPolicy;
  if (uhp !== undefined && !['AlwaysAllow', 'IfHealthyBudget'].includes(uhp)) {
    errs.push(notSupported('spec.unhealthyPodEvictionPolicy', uhp, ['AlwaysAllow', 'IfHealthyBudget']));
  }
  return errs;
}

export function validateLease(obj: any): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain);
  const spec = obj.spec ?? {};
  if (spec.leaseDurationSeconds != null && spec.leaseDurationSeconds <= 0) {
    errs.push(invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  errs.push(...validateNonnegative(spec.leaseTransitions, 'spec.leaseTransitions'));
  if (spec.strategy !== undefined && spec.strategy !== 'OldestEmulationVersion') {
    errs.push(notSupported('spec.strategy', spec.strategy, ['OldestEmulationVersion']));
  }
  return errs;
}

export function validateHPA(obj: any): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain);
  const spec = obj.spec ?? {};
  const ref = spec.scaleTargetRef ?? {};
  if (!ref.kind) errs.push(required('spec.scaleTargetRef.kind'));
  if (!ref.name) errs.push(required('spec.scaleTargetRef.name'));
  if (spec.minReplicas != null && spec.minReplicas < 1) {
    errs.push(invalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1'));
  }
  if (!(spec.maxReplicas >= 1)) errs.push(invalid('spec.maxReplicas', spec.maxReplicas ?? 0, 'must be greater than 0'));
  else if (spec.minReplicas != null && spec.maxReplicas < spec.minReplicas) {
    errs.push(invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  }
  (spec.metrics ?? []).forEach((m: any, i: number) => {
    const types = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
    if (!m?.type) errs.push(required(`spec.metrics[${i}].type`));
    else if (!types.includes(m.type)) errs.push(notSupported(`spec.metrics[${i}].type`, m.type, types));
  });
  return errs;
}

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

export function validatePVC(obj: any): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain);
  const spec = obj.spec ?? {};
  const modes: any[] = spec.accessModes ?? [];
  if (!modes.length) errs.push(required('spec.accessModes', 'at least 1 access mode is required'));
  modes.forEach((m) => { if (!ACCESS_MODES.includes(m)) errs.push(notSupported('spec.accessModes', m, ACCESS_MODES)); });
  if (!spec.resources?.requests?.storage && !spec.dataSourceRef) errs.push(required('spec.resources[storage]'));
  if (spec.volumeMode !== undefined && !['Block', 'Filesystem'].includes(spec.volumeMode)) {
    errs.push(notSupported('spec.volumeMode', spec.volumeMode, ['Block', 'Filesystem']));
  }
  return errs;
}

export function validatePVCUpdate(obj: any, old: any): FieldError[] {
  const errs = [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...validatePVC(obj)];
  const strip = (s: any) => { const c = structuredClone(s ?? {}); if (c.resources) delete c.resources.requests; delete c.volumeAttributesClassName; if (!old.spec?.volumeName) delete c.volumeName; return c; };
  if (!deepEqual(strip(obj.spec), strip(old.spec))) {
    errs.push(forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  }
  return errs;
}
