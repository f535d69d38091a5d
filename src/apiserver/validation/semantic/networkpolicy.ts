// NetworkPolicy validation as the v1.32 apiserver does it (pkg/apis/networking/validation:
// ValidateNetworkPolicy, ValidateNetworkPolicyUpdate), with its messages and their order: the pod
// selector, then each ingress rule's ports and peers, each egress rule's, then policyTypes.
import { FieldError, forbidden, invalid, notSupported, required } from './errors.js';
import { validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { isValidPortName, isValidPortNum, nameIsDNSSubdomain } from './names.js';
import { isStrictSubset, parseCidrSloppy } from '../../../kubelet/cni/policy-ip.js';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICY_TYPES = ['Ingress', 'Egress'];

/** a Go value printed with %#v, for the few errors whose value is a typed slice */
const goTyped = (text: string) => ({ toString: () => text });

function validatePort(p: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p?.protocol != null && !PROTOCOLS.includes(p.protocol)) errs.push(notSupported(`${path}.protocol`, p.protocol, PROTOCOLS));
  const endPort = p?.endPort;
  if (p?.port != null) {
    if (typeof p.port === 'number') {
      for (const m of isValidPortNum(p.port)) errs.push(invalid(`${path}.port`, p.port, m));
      if (endPort != null) {
        // v1.32 reports the port, not the endPort, as the bad value here
        if (endPort < p.port) errs.push(invalid(`${path}.endPort`, p.port, 'must be greater than or equal to `port`'));
        for (const m of isValidPortNum(endPort)) errs.push(invalid(`${path}.endPort`, endPort, m));
      }
    } else {
      if (endPort != null) errs.push(invalid(`${path}.endPort`, endPort, 'may not be specified when `port` is non-numeric'));
      for (const m of isValidPortName(String(p.port))) errs.push(invalid(`${path}.port`, String(p.port), m));
    }
  } else if (endPort != null) {
    errs.push(invalid(`${path}.endPort`, endPort, 'may not be specified when `port` is not specified'));
  }
  return errs;
}

function validateIPBlock(ipb: any, path: string): FieldError[] {
  const cidrText = ipb?.cidr ?? '';
  if (cidrText === '') return [required(`${path}.cidr`, '')];
  const cidr = parseCidrSloppy(String(cidrText));
  if (!cidr) return [invalid(`${path}.cidr`, cidrText, 'not a valid CIDR')];
  const errs: FieldError[] = [];
  for (const [i, text] of ((ipb.except ?? []) as string[]).entries()) {
    const ex = parseCidrSloppy(String(text));
    if (!ex) {
      errs.push(invalid(`${path}.except[${i}]`, text, 'not a valid CIDR'));
      return errs;
    }
    if (!isStrictSubset(cidr, ex)) errs.push(invalid(`${path}.except[${i}]`, text, 'must be a strict subset of `cidr`'));
  }
  return errs;
}

function validatePeer(peer: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  if (peer?.podSelector != null) {
    n++;
    errs.push(...validateLabelSelector(peer.podSelector, `${path}.podSelector`));
  }
  if (peer?.namespaceSelector != null) {
    n++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, `${path}.namespaceSelector`));
  }
  if (peer?.ipBlock != null) {
    n++;
    errs.push(...validateIPBlock(peer.ipBlock, `${path}.ipBlock`));
  }
  if (n === 0) errs.push(required(path, 'must specify a peer'));
  else if (n > 1 && peer.ipBlock != null) errs.push(forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

export function validateNetworkPolicySpec(spec: any, path = 'spec'): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateLabelSelector(spec?.podSelector ?? {}, `${path}.podSelector`));
  for (const [i, rule] of ((spec?.ingress ?? []) as any[]).entries()) {
    for (const [j, p] of ((rule?.ports ?? []) as any[]).entries()) errs.push(...validatePort(p, `${path}.ingress[${i}].ports[${j}]`));
    for (const [j, peer] of ((rule?.from ?? []) as any[]).entries()) errs.push(...validatePeer(peer, `${path}.ingress[${i}].from[${j}]`));
  }
  for (const [i, rule] of ((spec?.egress ?? []) as any[]).entries()) {
    for (const [j, p] of ((rule?.ports ?? []) as any[]).entries()) errs.push(...validatePort(p, `${path}.egress[${i}].ports[${j}]`));
    for (const [j, peer] of ((rule?.to ?? []) as any[]).entries()) errs.push(...validatePeer(peer, `${path}.egress[${i}].to[${j}]`));
  }
  const types: any[] = spec?.policyTypes ?? [];
  if (types.length > POLICY_TYPES.length) {
    const text = `[]networking.PolicyType{${types.map((t) => JSON.stringify(String(t))).join(', ')}}`;
    errs.push(invalid(`${path}.policyTypes`, goTyped(text), 'may not specify more than two policyTypes'));
    return errs;
  }
  types.forEach((t, i) => {
    if (!POLICY_TYPES.includes(t)) errs.push(notSupported(`${path}.policyTypes[${i}]`, t, POLICY_TYPES));
  });
  return errs;
}

/** ValidateNetworkPolicy: metadata (a DNS subdomain name, namespaced) and the spec. */
export function validateNetworkPolicyObject(np: any): FieldError[] {
  return [...validateObjectMeta(np?.metadata, true, nameIsDNSSubdomain), ...validateNetworkPolicySpec(np?.spec)];
}

/** ValidateNetworkPolicyUpdate: metadata update rules, then the spec as on create (it is mutable). */
export function validateNetworkPolicyUpdate(np: any, old: any): FieldError[] {
  return [...validateObjectMetaUpdate(np?.metadata, old?.metadata), ...validateNetworkPolicySpec(np?.spec)];
}
