// core/v1 Service: ValidateService / ValidateServiceUpdate, in the order the apiserver checks, with
// its messages. ClusterIP and node-port allocation happen before this (registry/service-alloc.ts),
// so what is validated here is the object as it will be stored.
import { FieldError, duplicate, forbidden, invalid, notSupported, required } from './errors.js';
import { validateLabels, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidPortName, isValidPortNum, nameIsDNS1035Label } from './names.js';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const FAMILIES = ['IPv4', 'IPv6'];
const FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const MAX_AFFINITY_SECONDS = 86400;

const IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const CIDR_MSG = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

function v4Octets(s: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const o = m.slice(1).map(Number);
  return o.every((x) => x <= 255) ? o : undefined;
}
function isIPv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(':')) return false;
  const parts = s.split('::');
  if (parts.length > 2) return false;
  const groups = parts.flatMap((p) => (p ? p.split(':') : []));
  return groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g)) && (parts.length === 2 ? groups.length < 8 : groups.length === 8);
}
export function isValidIP(s: unknown): boolean {
  return typeof s === 'string' && (!!v4Octets(s) || isIPv6(s));
}
function isValidCIDR(s: string): boolean {
  const [ip, bits, ...rest] = s.split('/');
  if (rest.length || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
  return v4Octets(ip) ? Number(bits) <= 32 : isIPv6(ip) && Number(bits) <= 128;
}

/** ValidateNonSpecialIP, for externalIPs. */
function nonSpecialIP(ip: string, field: string): FieldError[] {
  const o = v4Octets(ip);
  if (!o) return [];
  if (o.every((x) => x === 0)) return [invalid(field, ip, 'may not be unspecified (0.0.0.0)')];
  if (o[0] === 127) return [invalid(field, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)')];
  if (o[0] === 169 && o[1] === 254) return [invalid(field, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)')];
  if (o[0] === 224 && o[1] === 0 && o[2] === 0) return [invalid(field, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)')];
  return [];
}

const isHeadless = (spec: any) => Array.isArray(spec.clusterIPs) && spec.clusterIPs.length === 1 && spec.clusterIPs[0] === 'None';
/** apiservice.ExternallyAccessible */
const externallyAccessible = (spec: any) =>
  spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && (spec.externalIPs ?? []).length > 0);

/** Go's %#v of the (protocol, port) key the duplicate-port check uses, as kubectl shows it. */
function servicePortKey(protocol: string, port: number): { toString(): string } {
  const text = `core.ServicePort{Name:"", Protocol:"${protocol}", AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;
  return { toString: () => text };
}

/**
 * ValidateServiceClusterIPsRelatedFields: clusterIP and clusterIPs agree, the IPs are IPs, the
 * families and the policy are known values. The allocator runs it first, as the real one does.
 */
export function validateServiceClusterIPsRelatedFields(svc: any): FieldError[] {
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ips: string[] = spec.clusterIPs ?? [];
  if (spec.clusterIP) {
    if (!ips.length) errs.push(required('spec.clusterIPs'));
    else if (ips[0] !== spec.clusterIP) errs.push(invalid('spec.clusterIPs', ips, 'first value must match `clusterIP`', '[]string'));
  } else if (ips.length) {
    errs.push(invalid('spec.clusterIPs', ips, 'must be empty when `clusterIP` is not specified', '[]string'));
  }
  const seen = new Set<string>();
  (spec.ipFamilies ?? []).forEach((f: string, i: number) => {
    if (!FAMILIES.includes(f)) errs.push(notSupported(`spec.ipFamilies[${i}]`, f, FAMILIES));
    if (seen.has(f)) errs.push(duplicate(`spec.ipFamilies[${i}]`, f));
    seen.add(f);
  });
  if (spec.ipFamilyPolicy != null && !FAMILY_POLICIES.includes(spec.ipFamilyPolicy)) errs.push(notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, FAMILY_POLICIES));
  let bad = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        bad = true;
        errs.push(invalid('spec.clusterIPs', ips, "'None' must be the first and only value", '[]string'));
      }
      return;
    }
    if (!isValidIP(ip)) {
      bad = true;
      errs.push(invalid(`spec.clusterIPs[${i}]`, ip, IP_MSG));
    }
  });
  if (ips.length > 2) errs.push(invalid('spec.clusterIPs', ips, 'may only hold up to 2 values', '[]string'));
  if (bad) return errs;
  if (ips.length > 1 && ips[0].includes(':') === ips[1].includes(':')) errs.push(invalid('spec.clusterIPs', ips, 'may specify no more than one IP for each IP family', '[]string'));
  if (!isHeadless(spec) && ips.length && (spec.ipFamilies ?? []).length) {
    ips.forEach((ip, i) => {
      const fam = spec.ipFamilies[i];
      if (fam === 'IPv4' && ip.includes(':')) errs.push(invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (fam === 'IPv6' && !ip.includes(':')) errs.push(invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errs;
}

function validateServicePort(p: any, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !p?.name) errs.push(required(`${path}.name`));
  else if (p?.name) {
    for (const m of isDNS1123Label(p.name)) errs.push(invalid(`${path}.name`, p.name, m));
    if (names.has(p.name)) errs.push(duplicate(`${path}.name`, p.name));
    else names.add(p.name);
  }
  for (const m of isValidPortNum(p?.port ?? 0)) errs.push(invalid(`${path}.port`, p?.port ?? 0, m));
  if (!p?.protocol) errs.push(required(`${path}.protocol`));
  else if (!PROTOCOLS.includes(p.protocol)) errs.push(notSupported(`${path}.protocol`, p.protocol, PROTOCOLS));
  const tp = p?.targetPort;
  if (typeof tp === 'number') for (const m of isValidPortNum(tp)) errs.push(invalid(`${path}.targetPort`, tp, m));
  if (typeof tp === 'string') for (const m of isValidPortName(tp)) errs.push(invalid(`${path}.targetPort`, tp, m));
  if (p?.appProtocol != null) for (const m of isQualifiedName(p.appProtocol)) errs.push(invalid(`${path}.appProtocol`, p.appProtocol, m));
  return errs;
}

export function validateService(obj: any): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, true, nameIsDNS1035Label);
  const spec = obj.spec ?? {};
  const type = spec.type;
  const ports: any[] = spec.ports ?? [];
  if (ports.length === 0 && !isHeadless(spec) && type !== 'ExternalName') errs.push(required('spec.ports'));
  switch (type) {
    case 'LoadBalancer':
      if (isHeadless(spec)) errs.push(invalid('spec.clusterIPs[0]', spec.clusterIPs[0], "may not be set to 'None' for LoadBalancer services"));
      break;
    case 'NodePort':
      if (isHeadless(spec)) errs.push(invalid('spec.clusterIPs[0]', spec.clusterIPs[0], "may not be set to 'None' for NodePort services"));
      break;
    case 'ExternalName': {
      if ((spec.clusterIPs ?? []).length > 0) errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
      if ((spec.ipFamilies ?? []).length > 0) errs.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
      if (spec.ipFamilyPolicy != null) errs.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
      // A trailing dot marks the name fully qualified.
      const cname = String(spec.externalName ?? '').replace(/\.$/, '');
      if (cname) for (const m of isDNS1123Subdomain(cname)) errs.push(invalid('spec.externalName', cname, m));
      else errs.push(required('spec.externalName'));
      break;
    }
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, `spec.ports[${i}]`)));
  if (spec.selector != null) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  if (!spec.sessionAffinity) errs.push(required('spec.sessionAffinity'));
  else if (!['ClientIP', 'None'].includes(spec.sessionAffinity)) errs.push(notSupported('spec.sessionAffinity', spec.sessionAffinity, ['ClientIP', 'None']));
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg = spec.sessionAffinityConfig;
    const when = 'when session affinity type is ClientIP';
    if (cfg == null) errs.push(required('spec.sessionAffinityConfig', when));
    else if (cfg.clientIP == null) errs.push(required('spec.sessionAffinityConfig.clientIP', when));
    else if (cfg.clientIP.timeoutSeconds == null) errs.push(required('spec.sessionAffinityConfig.clientIP.timeoutSeconds', when));
    else {
      const to = cfg.clientIP.timeoutSeconds;
      if (!(to > 0 && to <= MAX_AFFINITY_SECONDS)) errs.push(invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', to, `must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`));
    }
  } else if (spec.sessionAffinity === 'None' && spec.sessionAffinityConfig != null) {
    errs.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  errs.push(...validateServiceClusterIPsRelatedFields(obj));
  (spec.externalIPs ?? []).forEach((ip: string, i: number) => {
    const f = `spec.externalIPs[${i}]`;
    if (!isValidIP(ip)) errs.push(invalid(f, ip, IP_MSG));
    else errs.push(...nonSpecialIP(ip, f));
  });
  if (!type) errs.push(required('spec.type'));
  else if (!TYPES.includes(type)) errs.push(notSupported('spec.type', type, TYPES));
  if (type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (p?.nodePort) errs.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  // Duplicates count (protocol, port) pairs: TCP and UDP 53 are two ports.
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p?.nodePort) return;
    const k = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(k)) errs.push(duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
    nodePorts.add(k);
  });
  const portKeys = new Set<string>();
  ports.forEach((p, i) => {
    const k = `${p?.protocol}/${p?.port}`;
    if (portKeys.has(k)) errs.push(duplicate(`spec.ports[${i}]`, servicePortKey(p?.protocol ?? '', p?.port ?? 0)));
    portKeys.add(k);
  });
  const ranges: string[] = spec.loadBalancerSourceRanges ?? [];
  if (ranges.length) {
    // The apiserver names this field with a capital L.
    const f = 'spec.LoadBalancerSourceRanges';
    if (type !== 'LoadBalancer') errs.push(forbidden(f, "may only be used when `type` is 'LoadBalancer'"));
    ranges.forEach((r, i) => {
      const v = String(r).trim();
      if (!isValidCIDR(v)) errs.push(invalid(`${f}[${i}]`, v, CIDR_MSG));
    });
  }
  if (spec.allocateLoadBalancerNodePorts != null && type !== 'LoadBalancer') {
    errs.push(forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  }
  if (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts == null) errs.push(required('allocateLoadBalancerNodePorts'));
  if (type === 'LoadBalancer') {
    if (spec.loadBalancerClass != null) for (const m of isQualifiedName(spec.loadBalancerClass)) errs.push(invalid('spec.loadBalancerClass', spec.loadBalancerClass, m));
  } else if (spec.loadBalancerClass != null) {
    errs.push(forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
  }
  // externalTrafficPolicy and healthCheckNodePort
  if (!externallyAccessible(spec)) {
    if (spec.externalTrafficPolicy) errs.push(invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  } else if (!spec.externalTrafficPolicy) {
    errs.push(required('spec.externalTrafficPolicy'));
  } else if (!['Cluster', 'Local'].includes(spec.externalTrafficPolicy)) {
    errs.push(notSupported('spec.externalTrafficPolicy', spec.externalTrafficPolicy, ['Cluster', 'Local']));
  }
  const needsHC = type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
  if (!needsHC) {
    if (spec.healthCheckNodePort) errs.push(invalid('spec.healthCheckNodePort', spec.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  } else if (!spec.healthCheckNodePort) {
    errs.push(required('spec.healthCheckNodePort'));
  } else {
    for (const m of isValidPortNum(spec.healthCheckNodePort)) errs.push(invalid('spec.healthCheckNodePort', spec.healthCheckNodePort, m));
  }
  if (spec.internalTrafficPolicy == null) {
    if (['NodePort', 'LoadBalancer', 'ClusterIP'].includes(type)) errs.push(required('spec.internalTrafficPolicy'));
  } else if (!['Cluster', 'Local'].includes(spec.internalTrafficPolicy)) {
    errs.push(notSupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, ['Cluster', 'Local']));
  }
  if (spec.trafficDistribution != null && spec.trafficDistribution !== 'PreferClose') {
    errs.push(notSupported('spec.trafficDistribution', spec.trafficDistribution, ['PreferClose']));
  }
  return errs;
}

/** validateUpgradeDowngradeClusterIPs, for one family: the primary IP stays put. */
function clusterIPsUpdate(spec: any, old: any): FieldError[] {
  if (spec.type === 'ExternalName' || old.type === 'ExternalName') return [];
  if (isHeadless(spec) && isHeadless(old)) return [];
  const a: string[] = old.clusterIPs ?? [];
  const b: string[] = spec.clusterIPs ?? [];
  const errs: FieldError[] = [];
  if (a.length === b.length) {
    a.forEach((ip, i) => {
      if (ip !== b[i]) errs.push(invalid(`spec.clusterIPs[${i}]`, b, 'may not change once set', '[]string'));
    });
  } else if (a.length > b.length) {
    if (b.length === 0) errs.push(invalid('spec.clusterIPs[0]', b, 'primary clusterIP can not be unset', '[]string'));
    else if (b[0] !== a[0]) errs.push(invalid('spec.clusterIPs[0]', b, 'may not change once set', '[]string'));
    if (b.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') {
      errs.push(invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary clusterIP"));
    }
  } else if (a.length > 0 && b[0] !== a[0]) {
    errs.push(invalid('spec.clusterIPs[0]', b, 'may not change once set', '[]string'));
  }
  return errs;
}

function ipFamiliesUpdate(spec: any, old: any): FieldError[] {
  if (spec.type === 'ExternalName' || old.type === 'ExternalName') return [];
  if (isHeadless(spec) !== isHeadless(old) || isHeadless(spec)) return [];
  const a: string[] = old.ipFamilies ?? [];
  const b: string[] = spec.ipFamilies ?? [];
  if (a.length === b.length && a.some((f, i) => f !== b[i])) return [invalid('spec.ipFamilies[0]', b, 'may not change once set', '[]string')];
  if (b.length && a.length && b[0] !== a[0]) return [invalid('spec.ipFamilies[0]', spec.clusterIPs ?? [], 'may not change once set', '[]string')];
  return [];
}

export function validateServiceUpdate(obj: any, old: any): FieldError[] {
  const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
  const spec = obj.spec ?? {};
  const os = old.spec ?? {};
  errs.push(...clusterIPsUpdate(spec, os));
  errs.push(...ipFamiliesUpdate(spec, os));
  if (os.type === 'LoadBalancer' && spec.type === 'LoadBalancer' && (os.loadBalancerClass ?? null) !== (spec.loadBalancerClass ?? null)) {
    errs.push(invalid('spec.loadBalancerClass', spec.loadBalancerClass ?? null, 'may not change once set'));
  }
  const hc = (s: any) => s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
  if (hc(os) && hc(spec) && os.healthCheckNodePort !== spec.healthCheckNodePort) errs.push(forbidden('spec.healthCheckNodePort', 'field is immutable'));
  errs.push(...validateService(obj));
  return errs;
}
