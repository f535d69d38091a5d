// What a container has written to its log, derived rather than stored: what its image prints when
// it starts (fixtures/images.yaml), or what its command writes (the process model, stdout and
// stderr both, as the container runtime's log holds them), timed from the instance's startedAt in
// the pod status (state for the current instance, lastState for `logs -p`). The same pod at the same virtual time always has the same log.
import type { KObject } from '../apiserver/types.js';
import { milliValue, parseQuantity, value } from '../apiserver/quantity.js';
import { lookupImage } from './catalogue.js';
import { argvOf, KUBERNETES_SERVICE, serviceLinkVars, timeline, type ProcEvent, type ResolvedEnv } from './process.js';
import { containerNet, storedRun, usesNetwork } from './net/container.js';
import type { NetWorld } from './net/types.js';

export interface LogLine {
  /** virtual epoch ms the line was written */
  time: number;
  text: string;
}

/** a loop's lines are produced up to this many, as kubelet's log rotation would also bound them */
const MAX_LINES = 5000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function fill(template: string, t: number, vars: Record<string, string>): string {
  const d = new Date(t);
  const date = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const redis = `${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
  const httpd = `${d.toUTCString().slice(0, 3)} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}000 ${d.getUTCFullYear()}`;
  return template
    .replaceAll('{nginxdate}', date)
    .replaceAll('{redisdate}', redis)
    .replaceAll('{httpddate}', httpd)
    .replaceAll('{iso}', d.toISOString())
    .replace(/\{(\w+)\}/g, (m, k) => vars[k] ?? m);
}

/** busybox's `date`: Thu Jan  1 00:00:00 UTC 2026 */
function busyboxDate(t: number): string {
  const d = new Date(t);
  const day = d.toUTCString().slice(0, 3);
  return `${day} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** glog's header: I1123 14:30:39.123456       1 main.go:26] */
function glogHeader(t: number, where: string): string {
  const d = new Date(t);
  const us = `${pad(d.getUTCMilliseconds(), 3)}${pad((t * 7) % 1000, 3)}`;
  return `I${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${us}       1 ${where}] `;
}

/** a downward API fieldRef, as the kubelet resolves it from the pod */
function fieldValue(pod: KObject, path: string): string | undefined {
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m) return (pod.metadata as any)?.[m[1]]?.[m[2]];
  switch (path) {
    case 'metadata.name': return pod.metadata?.name;
    case 'metadata.namespace': return pod.metadata?.namespace;
    case 'metadata.uid': return pod.metadata?.uid;
    case 'spec.nodeName': return pod.spec?.nodeName;
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName;
    case 'status.hostIP': return pod.status?.hostIP;
    case 'status.hostIPs': return (pod.status?.hostIPs ?? []).map((x: any) => x.ip).join(',') || pod.status?.hostIP;
    case 'status.podIP': return pod.status?.podIP;
    case 'status.podIPs': return (pod.status?.podIPs ?? []).map((x: any) => x.ip).join(',') || pod.status?.podIP;
    default: return undefined;
  }
}

/** a resourceFieldRef (limits.cpu, requests.memory ...) over its divisor, rounded up as the kubelet does */
function resourceValue(pod: KObject, spec: any, ref: any): string | undefined {
  const c = ref.containerName ? (pod.spec?.containers ?? []).find((x: any) => x.name === ref.containerName) : spec;
  const [kind, res] = String(ref.resource ?? '').split('.');
  let q = c?.resources?.[kind]?.[res];
  // no limit: the node's allocatable (not known here; left out) — a request defaults to the limit
  if (q === undefined && kind === 'requests') q = c?.resources?.limits?.[res];
  if (q === undefined) return undefined;
  try {
    if (res === 'cpu') {
      const div = ref.divisor ? milliValue(parseQuantity(ref.divisor)) : 1000;
      return String(Math.ceil(milliValue(parseQuantity(q)) / (div || 1000)));
    }
    const div = ref.divisor ? value(parseQuantity(ref.divisor)) : 1;
    return String(Math.ceil(value(parseQuantity(q)) / (div || 1)));
  } catch {
    return undefined;
  }
}

/**
 * The variables the kubelet gives a container beyond literal values: valueFrom fieldRef and
 * resourceFieldRef (configMapKeyRef / secretKeyRef when `objects` holds the ConfigMaps and
 * Secrets), and the Service links: the kubernetes Service always, the pod's namespace's
 * Services unless enableServiceLinks is false — those that existed when the container started.
 * Without `services`, the kubernetes Service is taken at its default address.
 */
export function containerEnv(pod: KObject, spec: any, opts: { services?: KObject[]; objects?: KObject[]; startedAt?: number } = {}): ResolvedEnv {
  const out: ResolvedEnv = {};
  const ns = pod.metadata?.namespace ?? 'default';
  const obj = (kind: string, name: string) => opts.objects?.find((o) => o.kind === kind && o.metadata?.name === name && (o.metadata?.namespace ?? ns) === ns);
  for (const e of spec.env ?? []) {
    const from = e.valueFrom;
    if (!from) continue;
    let v: string | undefined;
    if (from.fieldRef?.fieldPath) v = fieldValue(pod, from.fieldRef.fieldPath);
    else if (from.resourceFieldRef) v = resourceValue(pod, spec, from.resourceFieldRef);
    else if (from.configMapKeyRef) v = obj('ConfigMap', from.configMapKeyRef.name)?.data?.[from.configMapKeyRef.key];
    else if (from.secretKeyRef) {
      const b64 = obj('Secret', from.secretKeyRef.name)?.data?.[from.secretKeyRef.key];
      v = b64 === undefined ? undefined : Buffer.from(b64, 'base64').toString('utf8');
    }
    if (v !== undefined) out[e.name] = v;
  }
  for (const src of spec.envFrom ?? []) {
    const o = src.configMapRef ? obj('ConfigMap', src.configMapRef.name) : src.secretRef ? obj('Secret', src.secretRef.name) : undefined;
    for (const [k, raw] of Object.entries<string>(o?.data ?? {})) {
      const key = `${src.prefix ?? ''}${k}`;
      if (!(key in out)) out[key] = src.secretRef ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    }
  }
  const existed = (s: KObject) => opts.startedAt === undefined || !s.metadata?.creationTimestamp || Date.parse(s.metadata.creationTimestamp) <= opts.startedAt;
  const linked: KObject[] = [];
  const master = opts.services?.find((s) => s.metadata?.namespace === 'default' && s.metadata?.name === 'kubernetes') ?? KUBERNETES_SERVICE;
  if (pod.spec?.enableServiceLinks !== false) {
    for (const s of opts.services ?? []) if (s.metadata?.namespace === ns && s !== master && existed(s)) linked.push(s);
  }
  linked.push(master);
  for (const s of linked) for (const [k, v] of serviceLinkVars(s)) if (!(k in out)) out[k] = v;
  return out;
}

function instance(pod: KObject, container: string, previous: boolean): { spec: any; startedAt?: number; finishedAt?: number; id?: string; restartCount: number } | undefined {
  const spec = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((c: any) => c.name === container);
  if (!spec) return undefined;
  const st = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find((c: any) => c.name === container);
  // a container waiting to start again (a back-off) shows its latest instance, which lastState holds
  const older = previous || (st?.state?.waiting && st?.lastState?.terminated);
  const state = older ? st?.lastState : st?.state;
  const s = state?.running ?? state?.terminated;
  if (!s?.startedAt) return undefined;
  const cid: string | undefined = older ? s.containerID : (s.containerID ?? st?.containerID);
  // the instance's restart count, which seeds its network choices
  const restartCount = Math.max(0, (st?.restartCount ?? 0) - (previous && !st?.state?.waiting ? 1 : 0));
  return { spec, startedAt: Date.parse(s.startedAt), finishedAt: s.finishedAt ? Date.parse(s.finishedAt) : undefined, id: cid?.replace(/^\w+:\/\//, ''), restartCount };
}

/**
 * `services` (and `objects`: ConfigMaps and Secrets) let the container's environment be what the
 * kubelet gave it; see containerEnv.
 */
/** the container's hostname: spec.hostname, else the pod's name (cut to 63 characters) */
function podHostname(pod: KObject): string | undefined {
  const h = pod.spec?.hostname ?? pod.metadata?.name;
  return h === undefined ? undefined : String(h).slice(0, 63).replace(/[-.]+$/, '');
}

/**
 * `world`: the network now, for a container whose command uses it (see src/kubelet/net/container.ts):
 * a command that ended is read from what the kubelet kept at its start; one that runs on (a
 * request loop) is run against this world. Without it, such a container logs as the pure model says.
 */
export function containerLogs(pod: KObject, container: string, now: number, opts: { previous?: boolean; services?: KObject[]; objects?: KObject[]; world?: NetWorld } = {}): LogLine[] | undefined {
  const inst = instance(pod, container, !!opts.previous);
  if (!inst) return undefined;
  const { spec, startedAt = now } = inst;
  // status times have second precision: an ended instance wrote everything up to its end's second
  const end = Math.min(now, inst.finishedAt !== undefined ? inst.finishedAt + 999 : Infinity);
  const info = lookupImage(spec.image);
  const vars: Record<string, string> = {
    tag: info.tag, hostname: pod.metadata?.name ?? '', podip: pod.status?.podIP ?? '', hostip: pod.status?.hostIP ?? '',
  };
  const out: LogLine[] = [];
  const resolved = containerEnv(pod, spec, { services: opts.services, objects: opts.objects, startedAt });
  const argv = argvOf(spec, resolved);
  const ownProgram = argv && info.logs.length > 0 && info.repository.endsWith(`/${argv[0].split('/').pop()}`);
  if (argv && !ownProgram) {
    // the command's own output, from the process model, up to now (or the instance's end)
    let base = startedAt;
    let events: ProcEvent[] | undefined;
    if (opts.world && usesNetwork(spec)) {
      const kept = storedRun(opts.world.components, pod, container, { id: inst.id, startedAt });
      if (kept) {
        // decided at the start: the lines it wrote, timed from its precise start
        base = kept.startedAt;
        events = kept.lines.filter(([at]) => kept.startedAt + at <= end).map(([at, text, err]) => ({ at, kind: 'log' as const, text, ...(err ? { stderr: true } : {}) }));
      } else {
        // running on: what it wrote so far, against the network as it is now
        const { tools, files } = containerNet(opts.world, pod, container, inst.restartCount);
        events = timeline(spec, Math.max(0, end - startedAt), podHostname(pod), resolved, { tools, files, maxLogs: MAX_LINES }).events;
      }
    }
    const run = { events: events ?? timeline(spec, Math.max(0, end - startedAt), podHostname(pod), resolved).events };
    for (const e of run.events) {
      if (e.kind !== 'log' || out.length >= MAX_LINES) continue;
      const t = base + e.at;
      const text = (e.text ?? '').replaceAll('{date}', busyboxDate(t)).replace(/\{glog:([^}]+)\}/g, (_m, where) => glogHeader(t, where));
      out.push({ time: t, text: fill(text, t, vars) });
    }
    return out;
  }
  // An image's own start-up lines: it runs its own program (a command naming that program too).
  info.logs.forEach((line, i) => {
    const t = startedAt + 10 + i * 3;
    if (t <= end) out.push({ time: t, text: fill(line, t, vars) });
  });
  return out;
}
