// Pod specs, in Pods and in every pod template (core/validation's ValidatePodSpec and friends).
import { FieldError, duplicate, forbidden, invalid, notFound, notSupported, required } from './errors.js';
import { deepEqual, validateAnnotations, validateLabels, validateNonnegative, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { isDNS1123Label, isDNS1123Subdomain, isEnvVarName, isValidPortName, isValidPortNum, nameIsDNSSubdomain } from './names.js';
import { tryParseQuantity, compareQuantity } from '../../quantity.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const TAINT_EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];

function validatePorts(ports: any[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const ip = `${path}[${i}]`;
    if (p?.name) {
      for (const m of isValidPortName(p.name)) errs.push(invalid(`${ip}.name`, p.name, m));
      if (names.has(p.name)) errs.push(duplicate(`${ip}.name`, p.name));
      names.add(p.name);
    }
    if (!p?.containerPort) errs.push(required(`${ip}.containerPort`));
    else for (const m of isValidPortNum(p.containerPort)) errs.push(invalid(`${ip}.containerPort`, p.containerPort, m));
    if (p?.hostPort) for (const m of isValidPortNum(p.hostPort)) errs.push(invalid(`${ip}.hostPort`, p.hostPort, m));
    if (!p?.protocol) errs.push(required(`${ip}.protocol`));
    else if (!PROTOCOLS.includes(p.protocol)) errs.push(notSupported(`${ip}.protocol`, p.protocol, PROTOCOLS));
  });
  return errs;
}

function validateEnv(env: any[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  env.forEach((e, i) => {
    const ip = `${path}[${i}]`;
    if (!e?.name) errs.push(required(`${ip}.name`));
    else for (const m of isEnvVarName(e.name)) errs.push(invalid(`${ip}.name`, e.name, m));
    if (e?.valueFrom) {
      const vf = e.valueFrom;
      const n = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => vf[k]).length;
      if (e.value) errs.push(invalid(`${ip}.valueFrom`, '', 'may not be specified when `value` is not empty'));
      if (n === 0) errs.push(invalid(`${ip}.valueFrom`, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
      else if (n > 1) errs.push(invalid(`${ip}.valueFrom`, '', 'may not have more than one field specified at a time'));
    }
  });
  return errs;
}

/** ValidateResourceRequirements: each request at most its limit. */
function validateResources(res: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const limits = res?.limits ?? {};
  const requests = res?.requests ?? {};
  for (const [k, v] of Object.entries(limits)) {
    if (tryParseQuantity(v) === undefined) errs.push(invalid(`${path}.limits[${k}]`, String(v), 'must be a valid quantity'));
  }
  for (const [k, v] of Object.entries(requests)) {
    const rq = tryParseQuantity(v);
    if (rq === undefined) { errs.push(invalid(`${path}.requests[${k}]`, String(v), 'must be a valid quantity')); continue; }
    if (rq.nanos < 0n) errs.push(invalid(`${path}.requests[${k}]`, String(v), 'must be greater than or equal to 0'));
    if (k in limits) {
      const lim = tryParseQuantity(limits[k]);
      if (lim !== undefined && compareQuantity(rq, lim) > 0) {
        // the apiserver reports this one on the requests map, not the key
        errs.push(invalid(`${path}.requests`, String(v), `must be less than or equal to ${k} limit of ${limits[k]}`));
      }
    }
  }
  return errs;
}

function validateProbe(probe: any, path: string): FieldError[] {
  if (!probe) return [];
  const errs: FieldError[] = [];
  const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((k) => probe[k]);
  if (handlers.length === 0) errs.push(required(path, 'must specify a handler type'));
  else if (handlers.length > 1) errs.push(forbidden(`${path}.${handlers[1]}`, 'may not specify more than 1 handler type'));
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...validateNonnegative(probe[f], `${path}.${f}`));
  }
  const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
  if (typeof port === 'number') {
    for (const m of isValidPortNum(port)) errs.push(invalid(`${path}.${probe.httpGet ? 'httpGet' : 'tcpSocket'}.port`, port, m));
  }
  return errs;
}

function validateContainer(c: any, path: string, volumes: Set<string>, isInit: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!c?.name) errs.push(required(`${path}.name`));
  else for (const m of isDNS1123Label(c.name)) errs.push(invalid(`${path}.name`, c.name, m));
  if (!c?.image) errs.push(required(`${path}.image`));
  if (!c?.imagePullPolicy) errs.push(required(`${path}.imagePullPolicy`));
  else if (!PULL_POLICIES.includes(c.imagePullPolicy)) errs.push(notSupported(`${path}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
  if (c?.terminationMessagePolicy !== undefined && !TERMINATION_MESSAGE_POLICIES.includes(c.terminationMessagePolicy)) {
    errs.push(notSupported(`${path}.terminationMessagePolicy`, c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES));
  }
  errs.push(...validatePorts(c?.ports ?? [], `${path}.ports`));
  errs.push(...validateEnv(c?.env ?? [], `${path}.env`));
  const mountPaths = new Set<string>();
  (c?.volumeMounts ?? []).forEach((vm: any, i: number) => {
    const ip = `${path}.volumeMounts[${i}]`;
    if (!vm?.name) errs.push(required(`${ip}.name`));
    else if (!volumes.has(vm.name)) errs.push(notFound(`${ip}.name`, vm.name));
    if (!vm?.mountPath) errs.push(required(`${ip}.mountPath`));
    else if (mountPaths.has(vm.mountPath)) errs.push(invalid(`${ip}.mountPath`, vm.mountPath, 'must be unique'));
    if (vm?.mountPath) mountPaths.add(vm.mountPath);
  });
  errs.push(...validateResources(c?.resources, `${path}.resources`));
  if (!isInit || c?.restartPolicy === 'Always') {
    errs.push(...validateProbe(c?.livenessProbe, `${path}.livenessProbe`));
    errs.push(...validateProbe(c?.readinessProbe, `${path}.readinessProbe`));
    errs.push(...validateProbe(c?.startupProbe, `${path}.startupProbe`));
    for (const p of ['livenessProbe', 'startupProbe']) {
      const st = c?.[p]?.successThreshold;
      if (st !== undefined && st !== 1) errs.push(invalid(`${path}.${p}.successThreshold`, st, 'must be 1'));
    }
  } else {
    for (const p of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      if (c?.[p]) errs.push(forbidden(`${path}.${p}`, `may not be set for init containers without restartPolicy=Always`));
    }
  }
  return errs;
}

function validateVolumes(volumes: any[], path: string): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  volumes.forEach((v, i) => {
    const ip = `${path}[${i}]`;
    if (!v?.name) errs.push(required(`${ip}.name`));
    else {
      for (const m of isDNS1123Label(v.name)) errs.push(invalid(`${ip}.name`, v.name, m));
      if (names.has(v.name)) errs.push(duplicate(`${ip}.name`, v.name));
      names.add(v.name);
    }
    const sources = Object.keys(v ?? {}).filter((k) => k !== 'name');
    if (sources.length === 0) errs.push(required(ip, 'must specify a volume type'));
    else if (sources.length > 1) errs.push(forbidden(`${ip}.${sources[1]}`, 'may not specify more than 1 volume type'));
    if (v?.configMap && !v.configMap.name) errs.push(required(`${ip}.configMap.name`));
    if (v?.secret && !v.secret.secretName) errs.push(required(`${ip}.secret.secretName`));
    if (v?.persistentVolumeClaim && !v.persistentVolumeClaim.claimName) errs.push(required(`${ip}.persistentVolumeClaim.claimName`));
    if (v?.hostPath && !v.hostPath.path) errs.push(required(`${ip}.hostPath.path`));
  });
  return { errs, names };
}

/** ValidatePodSpec. `path` is "spec" for Pods, "spec.template.spec" in templates. */
export function validatePodSpec(spec: any, path: string, extraVolumes: string[] = []): FieldError[] {
  const errs: FieldError[] = [];
  spec = spec ?? {};
  const vols = validateVolumes(spec.volumes ?? [], `${path}.volumes`);
  // StatefulSets mount their volumeClaimTemplates by name without listing them as volumes.
  for (const n of extraVolumes) vols.names.add(n);
  errs.push(...vols.errs);
  const containers: any[] = spec.containers ?? [];
  const inits: any[] = spec.initContainers ?? [];
  const seen = new Set<string>();
  inits.forEach((c, i) => {
    const p = `${path}.initContainers[${i}]`;
    if (c?.name && seen.has(c.name)) errs.push(duplicate(`${p}.name`, c.name));
    if (c?.name) seen.add(c.name);
    errs.push(...validateContainer(c, p, vols.names, true));
  });
  if (containers.length === 0) errs.push(required(`${path}.containers`));
  containers.forEach((c, i) => {
    const p = `${path}.containers[${i}]`;
    if (c?.name && seen.has(c.name)) errs.push(duplicate(`${p}.name`, c.name));
    if (c?.name) seen.add(c.name);
    errs.push(...validateContainer(c, p, vols.names, false));
  });
  if (!spec.restartPolicy) errs.push(required(`${path}.restartPolicy`));
  else if (!RESTART_POLICIES.includes(spec.restartPolicy)) errs.push(notSupported(`${path}.restartPolicy`, spec.restartPolicy, RESTART_POLICIES));
  if (!spec.dnsPolicy) errs.push(required(`${path}.dnsPolicy`));
  else if (!DNS_POLICIES.includes(spec.dnsPolicy)) errs.push(notSupported(`${path}.dnsPolicy`, spec.dnsPolicy, DNS_POLICIES));
  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  if (spec.serviceAccountName) {
    for (const m of isDNS1123Subdomain(spec.serviceAccountName)) errs.push(invalid(`${path}.serviceAccountName`, spec.serviceAccountName, m));
  }
  if (spec.hostname) for (const m of isDNS1123Label(spec.hostname)) errs.push(invalid(`${path}.hostname`, spec.hostname, m));
  if (spec.subdomain) for (const m of isDNS1123Label(spec.subdomain)) errs.push(invalid(`${path}.subdomain`, spec.subdomain, m));
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null && !(spec.activeDeadlineSeconds > 0)) {
    errs.push(invalid(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive'));
  }
  (spec.tolerations ?? []).forEach((t: any, i: number) => {
    const ip = `${path}.tolerations[${i}]`;
    if (t?.operator && !['Equal', 'Exists'].includes(t.operator)) errs.push(notSupported(`${ip}.operator`, t.operator, ['Equal', 'Exists']));
    if (t?.operator === 'Exists' && t?.value) errs.push(invalid(`${ip}.operator`, t.value, 'value must be empty when `operator` is \'Exists\''));
    if (t?.effect && !TAINT_EFFECTS.includes(t.effect)) errs.push(notSupported(`${ip}.effect`, t.effect, TAINT_EFFECTS));
    if (t?.tolerationSeconds !== undefined && t?.effect !== 'NoExecute') {
      errs.push(invalid(`${ip}.effect`, t?.effect ?? '', 'effect must be \'NoExecute\' when `tolerationSeconds` is set'));
    }
  });
  return errs;
}

/** ValidatePodTemplateSpec: the template's labels/annotations and its pod spec. */
export function validatePodTemplateSpec(tpl: any, path: string, extraVolumes: string[] = []): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateLabels(tpl?.metadata?.labels, `${path}.labels`));
  errs.push(...validateAnnotations(tpl?.metadata?.annotations, `${path}.annotations`));
  errs.push(...validatePodSpec(tpl?.spec, `${path}.spec`, extraVolumes));
  return errs;
}

export function validatePod(obj: any): FieldError[] {
  const errs = [...validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain), ...validatePodSpec(obj.spec, 'spec')];
  // A gated pod is not ready to be placed, so it cannot arrive already placed.
  if (obj.spec?.schedulingGates?.length && obj.spec?.nodeName) {
    errs.push(forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  }
  return errs;
}

const UPDATABLE = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

/** A short rendering of what changed, in the spirit of the cmp.Diff the apiserver appends. */
function specDiff(old: any, cur: any, path = ''): string[] {
  if (deepEqual(old, cur)) return [];
  if (old && cur && typeof old === 'object' && typeof cur === 'object') {
    const keys = [...new Set([...Object.keys(old), ...Object.keys(cur)])];
    return keys.flatMap((k) => specDiff(old[k], cur[k], Array.isArray(old) ? `${path}[${k}]` : path ? `${path}.${k}` : k));
  }
  return [`- \t${path}: ${JSON.stringify(old ?? null)},`, `+ \t${path}: ${JSON.stringify(cur ?? null)},`];
}

/** Go field names, as the internal core.PodSpec spells them in the diff. */
const goField = (p: string) => p.replace(/(^|\.)([a-z])/g, (_m, dot, c) => dot + c.toUpperCase());

/** ValidatePodUpdate: a running pod's spec is immutable except for a few fields. */
export function validatePodUpdate(obj: any, old: any): FieldError[] {
  const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
  const munged = structuredClone(obj.spec ?? {});
  const o = old.spec ?? {};
  // Overlay the mutable fields from the old spec; whatever differs after that was forbidden.
  (munged.containers ?? []).forEach((c: any, i: number) => { if (o.containers?.[i]) c.image = o.containers[i].image; });
  (munged.initContainers ?? []).forEach((c: any, i: number) => { if (o.initContainers?.[i]) c.image = o.initContainers[i].image; });
  munged.activeDeadlineSeconds = o.activeDeadlineSeconds;
  // Scheduling gates may only be removed (checked below), never added.
  munged.schedulingGates = o.schedulingGates;
  const oldGates = new Set((o.schedulingGates ?? []).map((g: any) => g?.name));
  for (const g of obj.spec?.schedulingGates ?? []) {
    if (!oldGates.has(g?.name)) errs.push(forbidden('spec.schedulingGates', `only deletion is allowed, but found new scheduling gate '${g?.name}'`));
  }
  const oldTols: any[] = o.tolerations ?? [];
  const newTols: any[] = munged.tolerations ?? [];
  if (oldTols.every((t) => newTols.some((n) => deepEqual(n, t)))) munged.tolerations = o.tolerations;
  if (o.terminationGracePeriodSeconds < 0 && munged.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = o.terminationGracePeriodSeconds;
  if (!deepEqual(munged, o)) {
    const diff = specDiff(o, munged).map((l) => l.replace(/\t([^:]+):/, (_m, f) => `\t${goField(f)}:`));
    errs.push(forbidden('spec', `pod updates may not change fields other than ${UPDATABLE.join(',')}\n  core.PodSpec{\n${diff.join('\n')}\n  }\n`));
  }
  if (obj.spec?.activeDeadlineSeconds == null && o.activeDeadlineSeconds != null) {
    errs.push(invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  return errs;
}
