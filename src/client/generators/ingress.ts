import { sortedRecord } from './sources.js';
import { GeneratorError, type GeneratorSpec, arrayFlag, meta, oneName, stringFlag } from './types.js';

const RULE = /^([\w*\-.]*)(\/.*)=([\w-]+):([\w-]+)(,(tls)=?([\w-]+)?)?$/;

function backend(svc: string): Record<string, unknown> {
  const [name, port] = svc.split(':');
  return { service: { name, port: /^-?\d+$/.test(port) ? { number: Number(port) } : { name: port } } };
}

export const ingressGenerator: GeneratorSpec = {
  name: 'ingress',
  aliases: ['ing'],
  usage: 'NAME --rule=host/path=service:port[,tls[=secret]]',
  description: 'Create an ingress with the specified name',
  flags: [
    { flags: '--rule <rule>', description: 'Rule in format host/path=service:port[,tls=secretname]. Paths containing the leading character \'*\' are considered pathType=Prefix. tls argument is optional.', repeatable: true },
    { flags: '--class <class>', description: 'Ingress Class to be used' },
    { flags: '--default-backend <svc:port>', description: 'Default service for backend, in format of svcname:port' },
    { flags: '--annotation <key=value>', description: 'Annotation to insert in the ingress object, in the format annotation=value', repeatable: true },
  ],
  generate(args, opts, env) {
    const name = oneName(args, 'create ingress');
    const rules = arrayFlag(opts.rule);
    const annotations = arrayFlag(opts.annotation);
    const def = stringFlag(opts.defaultBackend);
    const cls = stringFlag(opts.class);
    if (def === '' && rules.length === 0) {
      throw new GeneratorError('error: not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)');
    }
    for (const r of rules) {
      if (!RULE.test(r)) throw new GeneratorError(`error: rule ${r} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]`);
    }
    for (const a of annotations) {
      if (!a.includes('=')) throw new GeneratorError(`error: annotation ${a} is invalid and should be in format key=[value]`);
    }
    if (def !== '' && def.split(':').length !== 2) throw new GeneratorError('error: default-backend should be in format servicename:serviceport');

    // TLS: one entry per secret, each host only once.
    const tls: { hosts?: string[]; secretName?: string }[] = [];
    const seenHosts = new Set<string>();
    for (const r of rules) {
      const parts = r.split(',');
      if (parts.length !== 2) continue;
      const host = r.split('/')[0];
      const sn = parts[1].split('=');
      const secret = sn.length > 1 ? sn[1] : '';
      if (seenHosts.has(host)) continue;
      const idx = tls.findIndex((t) => (t.secretName ?? '') === secret);
      seenHosts.add(host);
      if (idx >= 0) {
        (tls[idx].hosts ??= []).push(host);
        continue;
      }
      const t: { hosts?: string[]; secretName?: string } = {};
      if (host !== '') t.hosts = [host];
      if (secret !== '') t.secretName = secret;
      if (t.hosts || t.secretName) tls.push(t);
    }
    // Rules: one per host, paths appended in order.
    const ingRules: { host?: string; http: { paths: unknown[] } }[] = [];
    for (const r of rules) {
      const noTls = r.split(',')[0];
      const slash = noTls.indexOf('/');
      const host = noTls.slice(0, slash);
      const [p, svc] = noTls.slice(slash + 1).split('=');
      let path = '/' + p;
      let pathType = 'Exact';
      if (path.endsWith('*')) {
        pathType = 'Prefix';
        path = path.slice(0, -1);
      }
      const entry = { path, pathType, backend: backend(svc) };
      const existing = ingRules.find((x) => (x.host ?? '') === host);
      if (existing) existing.http.paths.push(entry);
      else ingRules.push(host !== '' ? { host, http: { paths: [entry] } } : { http: { paths: [entry] } });
    }
    const spec: Record<string, unknown> = {};
    if (cls) spec.ingressClassName = cls;
    if (def) spec.defaultBackend = backend(def);
    if (tls.length > 0) spec.tls = tls;
    if (ingRules.length > 0) spec.rules = ingRules;
    const extra: Record<string, unknown> = {};
    if (annotations.length > 0) {
      const m = new Map<string, string>();
      for (const a of annotations) m.set(a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1));
      extra.annotations = sortedRecord([...m.entries()]);
    }
    return { kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', metadata: meta(name, env, extra), spec, status: { loadBalancer: {} } };
  },
};
