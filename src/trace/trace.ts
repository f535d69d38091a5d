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
    this.record(`${method}`, `${base}${ns}/${ri.name}${name}${sub}`, `${req.user.username} → ${code}${reason ? ` ${reason}` : ''}`);
  }
}
