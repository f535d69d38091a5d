// networking.k8s.io/v1 Ingress and IngressClass.
import { FieldError, invalid, notSupported, required } from './errors.js';
import { validateObjectMeta } from './meta.js';
import { isDNS1123Subdomain, isValidPortName, isValidPortNum, nameIsDNSSubdomain } from './names.js';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

function validateBackend(b: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (b?.service && b?.resource) return [invalid(path, '', 'cannot set both resource and service backends')];
  if (b?.resource) return errs;
  if (!b?.service) return [invalid(path, '', 'resource or service backend is required')];
  if (!b.service.name) errs.push(required(`${path}.service.name`));
  const port = b.service.port ?? {};
  if (port.name && port.number) errs.push(invalid(`${path}.service.port`, '', 'cannot set both port name & port number'));
  else if (port.name) for (const m of isValidPortName(port.name)) errs.push(invalid(`${path}.service.port.name`, port.name, m));
  else if (port.number !== undefined) for (const m of isValidPortNum(port.number)) errs.push(invalid(`${path}.service.port.number`, port.number, m));
  else errs.push(invalid(`${path}.service.port`, '', 'port name or number is required'));
  return errs;
}

export function validateIngress(obj: any): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain);
  const spec = obj.spec ?? {};
  const rules: any[] = spec.rules ?? [];
  if (!rules.length && !spec.defaultBackend) {
    errs.push(invalid('spec.rules', rules, 'either `defaultBackend` or `rules` must be specified'));
  }
  if (spec.defaultBackend) errs.push(...validateBackend(spec.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((r, i) => {
    const rp = `spec.rules[${i}]`;
    if (r?.host) {
      const host: string = r.host;
      const msgs = host.startsWith('*.') ? isDNS1123Subdomain(host.slice(2)) : isDNS1123Subdomain(host);
      for (const m of msgs) errs.push(invalid(`${rp}.host`, host, m));
    }
    if (!r?.http) return;
    const paths: any[] = r.http.paths ?? [];
    if (!paths.length) errs.push(required(`${rp}.http.paths`));
    paths.forEach((p, j) => {
      const pp = `${rp}.http.paths[${j}]`;
      if (!p?.pathType) errs.push(required(`${pp}.pathType`, 'pathType must be specified'));
      else if (!PATH_TYPES.includes(p.pathType)) errs.push(notSupported(`${pp}.pathType`, p.pathType, PATH_TYPES));
      else if (p.pathType !== 'ImplementationSpecific' || p.path) {
        if (!String(p.path ?? '').startsWith('/')) errs.push(invalid(`${pp}.path`, p.path ?? '', 'must be an absolute path'));
      }
      errs.push(...validateBackend(p?.backend, `${pp}.backend`));
    });
  });
  (spec.tls ?? []).forEach((t: any, i: number) => {
    (t?.hosts ?? []).forEach((h: string, j: number) => {
      const msgs = h.startsWith('*.') ? isDNS1123Subdomain(h.slice(2)) : isDNS1123Subdomain(h);
      for (const m of msgs) errs.push(invalid(`spec.tls[${i}].hosts[${j}]`, h, m));
    });
  });
  return errs;
}

export function validateIngressClass(obj: any): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, false, nameIsDNSSubdomain);
  const ctrl = obj.spec?.controller;
  if (!ctrl) errs.push(required('spec.controller'));
  return errs;
}
