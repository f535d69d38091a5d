// Structured records of what each component did, in order: the thread a learner follows to see
// what `kubectl apply` set in motion. Two kinds of record share one shape:
//  - an API call (code is set): who called (`by`), the verb and path, the outcome and the
//    resourceVersion, with the apiserver's stages for that one request nested under it (`steps`);
//  - a component decision (no code): a controller's reason to act, the scheduler's choice, a
//    kubelet's stage — recorded through ComponentClient.trace().
import type { ApiRequest } from '../apiserver/types.js';
import { groupVersion, type ResourceInfo } from '../apiserver/resources.js';

/** One stage of one API request inside the apiserver (authentication, admission, etcd ...). */
export interface TraceStep {
  stage: string;
  detail: string;
}

export interface TraceRecord {
  time: number;
  component: string;
  action: string;
  object: string;
  detail?: string;
  /** for API calls: who asked and what the apiserver answered */
  user?: string;
  code?: number;
  /** API calls: the caller as a learner knows it (kubectl, kube-controller-manager, kubelet on <node>) */
  by?: string;
  /** API calls: the stages the apiserver took, in order */
  steps?: TraceStep[];
  /** API calls: the object's resourceVersion after the call */
  rv?: string;
  /** API calls: the object concerned (kind, namespace, name), for `minikctl trace TYPE/NAME` */
  kind?: string;
  ns?: string;
  name?: string;
  /** API calls: the object's controlling owners as Kind/name (a pod's ReplicaSet, a ReplicaSet's Deployment) */
  owners?: string[];
  /** API calls on events: the object the event is about, as Kind/name */
  about?: string;
  /** API calls that failed: the apiserver's message */
  error?: string;
  /** API writes by the control plane: what the write said, in a few words (bound to node, phase) */
  summary?: string;
}

/** A few words on what a control-plane write carried, cheap enough for every write of a big settle. */
function summarize(req: ApiRequest): string | undefined {
  const b = req.body;
  if (!b || typeof b !== 'object') return undefined;
  if (req.subresource === 'binding') return b.target?.name ? `bound to node ${b.target.name}` : undefined;
  const parts: string[] = [];
  if (req.subresource === 'status' && req.resource.name === 'pods') {
    if (b.status?.phase) parts.push(`phase ${b.status.phase}`);
    if (b.status?.podIP) parts.push(`podIP ${b.status.podIP}`);
  }
  else if (req.subresource === 'status' && b.status) {
    const st = b.status;
    if (typeof st.replicas === 'number') parts.push(`status: replicas ${st.replicas}, ready ${st.readyReplicas ?? 0}, available ${st.availableReplicas ?? 0}`);
  } else if (typeof b.spec?.replicas === 'number') parts.push(`replicas ${b.spec.replicas}`);
  return parts.length ? parts.join(', ') : undefined;
}

const METHOD: Record<string, string> = {
  get: 'GET', list: 'GET', watch: 'GET', create: 'POST', update: 'PUT', patch: 'PATCH', delete: 'DELETE', deletecollection: 'DELETE',
};

/** The caller of a request as the seeds name it, from the identity the apiserver authenticated. */
export function callerOf(req: Pick<ApiRequest, 'user' | 'impersonate' | 'userAgent'>): string {
  if (req.impersonate) return 'kubectl';
  const u = req.user.username;
  // kube-controller-manager's controllers share its user; its User-Agent names the controller.
  if (u === 'system:kube-controller-manager') return req.userAgent ?? 'kube-controller-manager';
  if (u === 'system:kube-scheduler') return 'kube-scheduler';
  if (u === 'system:kube-proxy') return 'kube-proxy';
  if (u === 'system:apiserver') return 'kube-apiserver';
  const node = /^system:node:(.+)$/.exec(u);
  if (node) return `kubelet (${node[1]})`;
  const sa = /^system:serviceaccount:([^:]+):(.+)$/.exec(u);
  if (sa) return `serviceaccount ${sa[1]}/${sa[2]}`;
  return 'kubectl';
}

/** The request's URL path, as kubectl would send it. */
export function requestPath(req: ApiRequest): string {
  const ri = req.resource;
  const base = ri.group ? `/apis/${groupVersion(ri)}` : '/api/v1';
  const ns = ri.namespaced && req.namespace ? `/namespaces/${req.namespace}` : '';
  const name = req.name ? `/${req.name}` : '';
  const sub = req.subresource ? `/${req.subresource}` : '';
  const query = [req.labelSelector && `labelSelector=${encodeURIComponent(req.labelSelector)}`, req.fieldSelector && `fieldSelector=${encodeURIComponent(req.fieldSelector)}`, req.dryRun && 'dryRun=All']
    .filter(Boolean)
    .join('&');
  return `${base}${ns}/${ri.name}${name}${sub}${query ? `?${query}` : ''}`;
}

// The etcd key prefixes the real apiserver uses where they differ from the resource name.
const ETCD_PREFIX: Record<string, string> = {
  services: 'services/specs', endpoints: 'services/endpoints', nodes: 'minions', ingresses: 'ingress',
};

/** The key the real kube-apiserver would write in etcd, e.g. /registry/deployments/default/my-app. */
export function etcdKey(ri: Pick<ResourceInfo, 'name' | 'namespaced'>, namespace: string | undefined, name: string): string {
  const prefix = ETCD_PREFIX[ri.name] ?? ri.name;
  return ri.namespaced ? `/registry/${prefix}/${namespace}/${name}` : `/registry/${prefix}/${name}`;
}

/**
 * Whether reads by the control plane's components are kept. They are most of a settle's API calls
 * and tell a learner little, so they are recorded only at -v=8 and above (as kubectl logs request
 * bodies only from -v=8), or when a test asks for them.
 */
export const traceSettings = { componentReads: argvVerbosity() >= 8 };

/** kubectl's -v as typed on this process's command line (0 when absent). */
export function argvVerbosity(argv: string[] = process.argv): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--?v(?:=(\d+))?$/.exec(a);
    if (!m) continue;
    const v = m[1] ?? argv[i + 1];
    if (v !== undefined && /^\d+$/.test(v)) return Number(v);
  }
  return 0;
}

interface Shared {
  records: TraceRecord[];
  /** the API request being handled, which stage() adds to */
  current?: TraceRecord;
}

export class Trace {
  private readonly shared: Shared;

  constructor(private readonly now: () => number, private component = 'kubectl', shared?: Shared) {
    this.shared = shared ?? { records: [] };
  }

  get records(): TraceRecord[] {
    return this.shared.records;
  }

  as(component: string): Trace {
    return new Trace(this.now, component, this.shared);
  }

  record(action: string, object: string, detail?: string): void {
    this.shared.records.push({ time: this.now(), component: this.component, action, object, detail });
  }

  /**
   * Opens the record of an API request; stage() then adds to it and end() gives its outcome.
   * Returns undefined for a request that is not recorded (a component's read, see traceSettings).
   */
  begin(req: ApiRequest): TraceRecord | undefined {
    const by = callerOf(req);
    const read = req.verb === 'get' || req.verb === 'list' || req.verb === 'watch';
    if (read && by !== 'kubectl' && !traceSettings.componentReads) {
      this.shared.current = undefined;
      return undefined;
    }
    const user = (req.impersonate ?? req.user).username;
    const rec: TraceRecord = {
      time: this.now(), component: this.component, action: METHOD[req.verb], object: requestPath(req), user, by,
      kind: req.resource.kind, ns: req.resource.namespaced ? req.namespace : undefined,
    };
    const name = req.name ?? req.body?.metadata?.name;
    if (name) rec.name = name;
    if (req.resource.name === 'events' && req.body?.involvedObject) rec.about = `${req.body.involvedObject.kind}/${req.body.involvedObject.name}`;
    else if (!read && by !== 'kubectl') {
      const summary = summarize(req);
      if (summary) rec.summary = summary;
    }
    this.shared.records.push(rec);
    this.shared.current = rec;
    return rec;
  }

  /**
   * Whether the request being handled keeps its stages: kubectl's requests do; the control
   * plane's own (thousands per settle) only at high verbosity, to keep a big settle light.
   */
  get detailed(): boolean {
    const cur = this.shared.current;
    return !!cur && (cur.by === 'kubectl' || traceSettings.componentReads);
  }

  /**
   * A stage of the request being handled. The detail may be a function, so that what it costs to
   * describe a stage is only paid when the stage is kept.
   */
  stage(stage: string, detail: string | (() => string)): void {
    if (!this.detailed) return;
    (this.shared.current!.steps ??= []).push({ stage, detail: typeof detail === 'function' ? detail() : detail });
  }

  /** Closes a request's record with the apiserver's answer. */
  end(rec: TraceRecord | undefined, code: number, body?: any, reason?: string, message?: string): void {
    if (this.shared.current === rec) this.shared.current = undefined;
    if (!rec) return;
    rec.code = code;
    rec.detail = `${rec.user} → ${code}${reason ? ` ${reason}` : ''}`;
    if (message) rec.error = message;
    const md = body?.kind !== 'Status' ? body?.metadata : undefined;
    if (md) {
      if (md.name && !rec.name) rec.name = md.name;
      if (md.resourceVersion && rec.action !== 'GET') rec.rv = md.resourceVersion;
      const owners = (md.ownerReferences ?? []).filter((o: any) => o.controller).map((o: any) => `${o.kind}/${o.name}`);
      if (owners.length) rec.owners = owners;
    }
  }

  /** One API call recorded at once, without stages. */
  api(req: ApiRequest, code: number, reason?: string): void {
    const rec = this.begin(req);
    this.end(rec, code, undefined, reason);
  }
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 409: 'Conflict', 410: 'Gone', 413: 'Request Entity Too Large', 422: 'Unprocessable Entity',
  429: 'Too Many Requests', 500: 'Internal Server Error',
};

export function statusText(code: number): string {
  return STATUS_TEXT[code] ?? '';
}

/**
 * The API calls a command made, as kubectl -v=6 logs them (round_trippers), so a learner can see
 * which requests a verb sends. Controllers' own calls are left out: they are not kubectl's.
 */
export function formatApiLog(records: TraceRecord[], user: string, server: string): string {
  let out = '';
  for (const r of records) {
    if (r.code === undefined || r.user !== user) continue;
    const d = new Date(r.time);
    const p2 = (n: number) => String(n).padStart(2, '0');
    const stamp = `I${p2(d.getMonth() + 1)}${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds() * 1000).padStart(6, '0')}`;
    out += `${stamp} ${String(process.pid).padStart(7)} round_trippers.go:553] ${r.action} ${server}${r.object} ${r.code} ${STATUS_TEXT[r.code] ?? ''} in 0 milliseconds\n`;
  }
  return out;
}
