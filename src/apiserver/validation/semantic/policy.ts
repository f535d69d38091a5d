// Namespaces, PodDisruptionBudgets, NetworkPolicies, Leases, HPAs, PVCs: the rules users meet.
import { FieldError, forbidden, invalid, notSupported, required } from './errors.js';
import { deepEqual, validateLabelSelector, validateNonnegative, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { isValidPortName, isValidPortNum, nameIsDNSLabel, nameIsDNSSubdomain } from './names.js';
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

function validateNPPorts(ports: any[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  ports.forEach((p, i) => {
    const ip = `${path}[${i}]`;
    if (p?.protocol && !['SCTP', 'TCP', 'UDP'].includes(p.protocol)) errs.push(notSupported(`${ip}.protocol`, p.protocol, ['TCP', 'UDP', 'SCTP']));
    if (typeof p?.port === 'number') for (const m of isValidPortNum(p.port)) errs.push(invalid(`${ip}.port`, p.port, m));
    if (typeof p?.port === 'string') for (const m of isValidPortName(p.port)) errs.push(invalid(`${ip}.port`, p.port, m));
    if (p?.endPort != null) {
      if (typeof p.port !== 'number') errs.push(required(`${ip}.port`, 'must specify port when endPort is specified'));
      else if (p.endPort < p.port) errs.push(invalid(`${ip}.endPort`, p.endPort, 'must be greater than or equal to `port`'));
    }
  });
  return errs;
}

function validatePeers(peers: any[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  peers.forEach((p, i) => {
    const ip = `${path}[${i}]`;
    const n = ['podSelector', 'namespaceSelector', 'ipBlock'].filter((k) => p?.[k]).length;
    if (n === 0) errs.push(required(ip, 'must specify a peer'));
    if (p?.ipBlock && (p.podSelector || p.namespaceSelector)) errs.push(forbidden(ip, 'may not specify both ipBlock and another peer'));
    if (p?.podSelector) errs.push(...validateLabelSelector(p.podSelector, `${ip}.podSelector`));
    if (p?.namespaceSelector) errs.push(...validateLabelSelector(p.namespaceSelector, `${ip}.namespaceSelector`));
    if (p?.ipBlock && !p.ipBlock.cidr) errs.push(required(`${ip}.ipBlock.cidr`));
  });
  return errs;
}

export function validateNetworkPolicy(obj: any): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain);
  const spec = obj.spec ?? {};
  errs.push(...validateLabelSelector(spec.podSelector, 'spec.podSelector'));
  (spec.ingress ?? []).forEach((r: any, i: number) => {
    errs.push(...validateNPPorts(r?.ports ?? [], `spec.ingress[${i}].ports`));
    errs.push(...validatePeers(r?.from ?? [], `spec.ingress[${i}].from`));
  });
  (spec.egress ?? []).forEach((r: any, i: number) => {
    errs.push(...validateNPPorts(r?.ports ?? [], `spec.egress[${i}].ports`));
    errs.push(...validatePeers(r?.to ?? [], `spec.egress[${i}].to`));
  });
  const types: any[] = spec.policyTypes ?? [];
  if (types.length > 2) errs.push(invalid('spec.policyTypes', types, 'may not specify more than two policyTypes', '[]string'));
  types.forEach((t, i) => {
    if (!['Ingress', 'Egress'].includes(t)) errs.push(notSupported(`spec.policyTypes[${i}]`, t, ['Ingress', 'Egress']));
  });
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
