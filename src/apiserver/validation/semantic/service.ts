// core/v1 Service. ClusterIP allocation happens in the registry; this checks what the user wrote.
import { FieldError, duplicate, forbidden, invalid, notSupported, required } from './errors.js';
import { deepEqual, validateLabels, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { isDNS1123Label, isDNS1123Subdomain, isValidPortName, isValidPortNum, nameIsDNS1035Label } from './names.js';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export function validateService(obj: any): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, true, nameIsDNS1035Label);
  const spec = obj.spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  const ports: any[] = spec.ports ?? [];
  if (!TYPES.includes(type)) errs.push(notSupported('spec.type', type, TYPES));
  if (type === 'ExternalName') {
    if (spec.clusterIP && spec.clusterIP !== 'None') errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (!spec.externalName) errs.push(required('spec.externalName'));
    else {
      const n = spec.externalName.endsWith('.') ? spec.externalName.slice(0, -1) : spec.externalName;
      for (const m of isDNS1123Subdomain(n)) errs.push(invalid('spec.externalName', n, m));
    }
  } else if (ports.length === 0 && spec.clusterIP !== 'None') {
    errs.push(required('spec.ports'));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const ip = `spec.ports[${i}]`;
    if (ports.length > 1 && !p?.name) errs.push(required(`${ip}.name`));
    if (p?.name) {
      for (const m of isDNS1123Label(p.name)) errs.push(invalid(`${ip}.name`, p.name, m));
      if (names.has(p.name)) errs.push(duplicate(`${ip}.name`, p.name));
      names.add(p.name);
    }
    for (const m of isValidPortNum(p?.port ?? 0)) errs.push(invalid(`${ip}.port`, p?.port ?? 0, m));
    if (!p?.protocol) errs.push(required(`${ip}.protocol`));
    else if (!PROTOCOLS.includes(p.protocol)) errs.push(notSupported(`${ip}.protocol`, p.protocol, PROTOCOLS));
    const tp = p?.targetPort;
    if (typeof tp === 'number') for (const m of isValidPortNum(tp)) errs.push(invalid(`${ip}.targetPort`, tp, m));
    if (typeof tp === 'string') for (const m of isValidPortName(tp)) errs.push(invalid(`${ip}.targetPort`, tp, m));
    if (p?.nodePort) {
      if (type === 'ClusterIP' || type === 'ExternalName') errs.push(forbidden(`${ip}.nodePort`, `may not be used when \`type\` is '${type}'`));
      else for (const m of isValidPortNum(p.nodePort)) errs.push(invalid(`${ip}.nodePort`, p.nodePort, m));
    }
  });
  if (spec.sessionAffinity !== undefined && !['ClientIP', 'None'].includes(spec.sessionAffinity)) {
    errs.push(notSupported('spec.sessionAffinity', spec.sessionAffinity, ['ClientIP', 'None']));
  }
  const to = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if (to !== undefined && !(to > 0 && to <= 86400)) {
    errs.push(invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', to, 'must be greater than 0 and less than 86400'));
  }
  if (spec.externalTrafficPolicy !== undefined && spec.externalTrafficPolicy !== '') {
    if (type === 'ClusterIP' || type === 'ExternalName') {
      errs.push(invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
    } else if (!['Cluster', 'Local'].includes(spec.externalTrafficPolicy)) {
      errs.push(notSupported('spec.externalTrafficPolicy', spec.externalTrafficPolicy, ['Cluster', 'Local']));
    }
  }
  if (spec.internalTrafficPolicy !== undefined && !['Cluster', 'Local'].includes(spec.internalTrafficPolicy)) {
    errs.push(notSupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, ['Cluster', 'Local']));
  }
  errs.push(...validateLabels(spec.selector, 'spec.selector'));
  return errs;
}

export function validateServiceUpdate(obj: any, old: any): FieldError[] {
  const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
  errs.push(...validateService(obj));
  const oldType = old.spec?.type ?? 'ClusterIP';
  const newType = obj.spec?.type ?? 'ClusterIP';
  // The primary cluster IP sticks for the life of the service unless it moves to or from ExternalName.
  if (oldType !== 'ExternalName' && newType !== 'ExternalName') {
    const oldIPs: string[] = old.spec?.clusterIPs ?? (old.spec?.clusterIP ? [old.spec.clusterIP] : []);
    const newIPs: string[] = obj.spec?.clusterIPs ?? (obj.spec?.clusterIP ? [obj.spec.clusterIP] : []);
    if (oldIPs.length && newIPs.length && oldIPs[0] !== newIPs[0]) {
      errs.push(invalid('spec.clusterIPs[0]', newIPs, 'may not change once set', '[]string'));
    } else if (oldIPs.length && obj.spec?.clusterIP !== undefined && obj.spec.clusterIP !== oldIPs[0]) {
      errs.push(invalid('spec.clusterIP', obj.spec.clusterIP, 'field is immutable'));
    }
  }
  void deepEqual;
  return errs;
}
