// Structured records of what each component did, in order: the thread a learner follows to see
// what `kubectl apply` set in motion.
import type { ApiRequest } from '../apiserver/types.js';
import { groupVersion } from '../apiserver/resources.js';

export interface TraceRecord {
  time: number;
  component: string;
  action: string;
  object: string;
  detail?: string;
  /** for API calls: who asked and what the apiserver answered */
  user?: string;
  code?: number;
}

export class Trace {
  readonly records: TraceRecord[] = [];

  constructor(private readonly now: () => number, private component = 'kubectl') {}

  as(component: string): Trace {
    const t = new Trace(this.now, component);
    (t as any).records = this.records;
    return t;
  }

  record(action: string, object: string, detail?: string): void {
    this.records.push({ time: this.now(), component: this.component, action, object, detail });
  }

  api(req: ApiRequest, code: number, reason?: string): void {
    const ri = req.resource;
    const base = ri.group ? `/apis/${groupVersion(ri)}` : '/api/v1';
    const ns = ri.namespaced && req.namespace ? `/namespaces/${req.namespace}` : '';
    const name = req.name ? `/${req.name}` : '';
    const sub = req.subresource ? `/${req.subresource}` : '';
    const method = { get: 'GET', list: 'GET', watch: 'GET', create: 'POST', update: 'PUT', patch: 'PATCH', delete: 'DELETE', deletecollection: 'DELETE' }[req.verb];
    const query = [req.labelSelector && `labelSelector=${encodeURIComponent(req.labelSelector)}`, req.fieldSelector && `fieldSelector=${encodeURIComponent(req.fieldSelector)}`, req.dryRun && 'dryRun=All']
      .filter(Boolean)
      .join('&');
    const user = (req.impersonate ?? req.user).username;
    this.records.push({
      time: this.now(), component: this.component, action: method, object: `${base}${ns}/${ri.name}${name}${sub}${query ? `?${query}` : ''}`,
      detail: `${user} → ${code}${reason ? ` ${reason}` : ''}`, user, code,
    });
  }
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 409: 'Conflict', 410: 'Gone', 413: 'Request Entity Too Large', 422: 'Unprocessable Entity',
  429: 'Too Many Requests', 500: 'Internal Server Error',
};

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
