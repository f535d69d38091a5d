// --trace: the records of one command told as the seed documents tell the story — numbered steps,
// one line each, with virtual timestamps: kubectl's request and the apiserver's stages under it
// (authentication, authorization, admission, validation, etcd), then every controller, the
// scheduler and the kubelets that reacted. A big command stays readable: each kind of step is shown
// a few times and then folded into "... N more like this", and the whole is capped.
import { argvVerbosity, statusText, type TraceRecord } from './trace.js';
import { listShort } from './diff.js';

export interface FormatOptions {
  /** kubectl's -v: from 8 on, the control plane's reads, events and stages are shown too */
  verbosity?: number;
  /** how many steps of one kind (same caller, verb and resource; same component and action) are shown before folding */
  perKind?: number;
  /** the most numbered steps printed */
  maxSteps?: number;
  /** the line above the steps; '' for none */
  title?: string;
}

export const DEFAULT_PER_KIND = 5;
export const DEFAULT_MAX_STEPS = 300;

/** A component as a learner knows it (the identity a component ran as, made readable). */
export function componentLabel(c: string): string {
  if (c.startsWith('system:node:')) return `kubelet (${c.slice('system:node:'.length)})`;
  if (c.startsWith('system:')) return c.slice('system:'.length);
  return c;
}

/** kubelets on different nodes do the same kind of step: fold them together. */
function family(label: string): string {
  return /^kubelet\b/.test(label) ? 'kubelet' : label;
}

function isApi(r: TraceRecord): boolean {
  return r.code !== undefined;
}

function isRead(r: TraceRecord): boolean {
  return isApi(r) && r.action === 'GET';
}

function caller(r: TraceRecord): string {
  return r.by ?? componentLabel(r.user ?? 'kubectl');
}

function fromKubectl(r: TraceRecord): boolean {
  return caller(r) === 'kubectl';
}

/** The request path with the object's name stood in for, so that calls on sibling objects match. */
function pathPattern(r: TraceRecord): string {
  const path = r.object.split('?')[0];
  return r.name ? path.replace(`/${r.name}`, '/*') : path;
}

function keyOf(r: TraceRecord): string {
  if (isApi(r)) return `api|${family(caller(r))}|${r.action}|${pathPattern(r)}|${r.code}`;
  return `do|${family(componentLabel(r.component))}|${r.action}`;
}

function kindLabel(r: TraceRecord): string {
  if (isApi(r)) return `${family(caller(r))} ${r.action} ${pathPattern(r)} → ${r.code}`;
  return `${family(componentLabel(r.component))} ${r.action}`;
}

function outcome(r: TraceRecord): string {
  const reason = /→ \d+ (\S+)/.exec(r.detail ?? '')?.[1];
  let s = `→ ${r.code} ${statusText(r.code!)}`.trimEnd();
  if (reason && reason.replace(/\s/g, '') !== statusText(r.code!).replace(/\s/g, '')) s += ` (${reason})`;
  return s;
}

function apiLine(r: TraceRecord, withCaller = true): string {
  let s = `${withCaller ? `${caller(r)} → kube-apiserver: ` : ''}${r.action} ${r.object} ${outcome(r)}`;
  const what: string[] = [];
  // A create's path names the collection only: say which object it made.
  if (r.code! < 300 && r.action === 'POST' && r.name && !r.object.includes(`/${r.name}`)) what.push(r.name);
  if (r.summary) what.push(r.summary);
  if (r.rv && r.code! < 300) what.push(`resourceVersion ${r.rv}`);
  if (what.length) s += `: ${what.join(', ')}`;
  return s;
}

function decisionLine(r: TraceRecord, who = componentLabel(r.component)): string {
  const obj = r.object ? ` ${r.object}` : '';
  return `${who}: ${r.action}${obj}${r.detail ? ` — ${r.detail}` : ''}`;
}

function nameOf(r: TraceRecord): string {
  // a decision's object is free text like "pod/default/web-1": its last segment names it
  return r.name ?? r.object.split('/').pop() ?? r.object;
}

function rel(t: number, t0: number): string {
  return `+${((t - t0) / 1000).toFixed(3)}s`;
}

interface Hidden {
  events: number;
  leases: number;
  heartbeats: number;
  reads: number;
}

/** One numbered step: a record, and the API calls a component decision made (shown under it). */
interface Item {
  rec: TraceRecord;
  subs: TraceRecord[];
}

/** What a step line is made of, before numbering. */
interface Step {
  item?: Item;
  fold?: { count: number; label: string; names: string[] };
}

function tokens(s: string | undefined): string[] {
  return s ? s.split(/[^a-z0-9.-]+/i).filter(Boolean) : [];
}

/** The process a component runs in: every controller calls the apiserver as kube-controller-manager. */
function processOf(label: string): string {
  if (/^kubelet\b/.test(label)) return 'kubelet';
  if (/scheduler/.test(label)) return 'kube-scheduler';
  if (/proxy/.test(label)) return 'kube-proxy';
  if (label === 'kubectl' || label === 'kube-apiserver' || label.startsWith('serviceaccount ')) return label;
  return 'kube-controller-manager';
}

/** The API call was made by the component that recorded the decision, at that moment, on that object. */
function madeBy(api: TraceRecord, decision: TraceRecord): boolean {
  return api.time === decision.time && processOf(caller(api)) === processOf(componentLabel(decision.component)) && tokens(decision.object).includes(api.name!);
}

/**
 * Pairs a component's decisions with the API calls they made: components record what they did
 * just after (or just before) the call, so a call is attached to the next decision of the same
 * component about the same object, else to the previous one, else it stands on its own.
 */
function pairUp(records: TraceRecord[]): Item[] {
  const items: Item[] = [];
  let pending: TraceRecord[] = [];
  let last: Item | undefined;
  const flush = (keep?: (p: TraceRecord) => boolean) => {
    const rest: TraceRecord[] = [];
    for (const p of pending) {
      if (keep?.(p)) rest.push(p);
      else if (last && madeBy(p, last.rec)) last.subs.push(p);
      else items.push({ rec: p, subs: [] });
    }
    pending = rest;
  };
  for (const r of records) {
    if (isApi(r) && !fromKubectl(r) && r.name) {
      pending.push(r);
      continue;
    }
    if (!isApi(r)) {
      const item: Item = { rec: r, subs: [] };
      flush((p) => madeBy(p, r));
      item.subs.push(...pending);
      pending = [];
      items.push(item);
      last = item;
      continue;
    }
    flush();
    items.push({ rec: r, subs: [] });
    last = undefined;
  }
  flush();
  return items;
}

/**
 * The numbered steps of a set of records, as lines (no title). Reads by components, Event and
 * Lease writes by components are left out below -v=8 and counted in a footnote.
 */
export function formatSteps(records: TraceRecord[], opts: FormatOptions = {}): string[] {
  const verbose = (opts.verbosity ?? argvVerbosity()) >= 8;
  const perKind = opts.perKind ?? DEFAULT_PER_KIND;
  const maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
  const hidden: Hidden = { events: 0, leases: 0, heartbeats: 0, reads: 0 };
  const visible: TraceRecord[] = [];
  for (const r of records) {
    if (!verbose && isApi(r) && !fromKubectl(r)) {
      if (isRead(r)) {
        hidden.reads++;
        continue;
      }
      if (/\/events(\/|$|\?)/.test(r.object)) {
        hidden.events++;
        continue;
      }
      if (/\/leases(\/|$|\?)/.test(r.object)) {
        hidden.leases++;
        continue;
      }
      if (/^\/api\/v1\/nodes\/[^/]+\/status$/.test(r.object)) {
        hidden.heartbeats++;
        continue;
      }
    }
    visible.push(r);
  }
  const items = pairUp(visible);
  // Two passes: how many of each kind there are, then which to show and where to fold the rest
  // (a fold of one would be longer than the step itself, so a kind one over the limit is shown whole).
  const byKey = new Map<string, Item[]>();
  const keys = items.map((it) => {
    const k = keyOf(it.rec);
    let list = byKey.get(k);
    if (!list) byKey.set(k, (list = []));
    list.push(it);
    return k;
  });
  const shown = new Map<string, number>();
  const steps: Step[] = [];
  for (let i = 0; i < items.length; i++) {
    const k = keys[i];
    const all = byKey.get(k)!;
    const n = shown.get(k) ?? 0;
    shown.set(k, n + 1);
    if (n < perKind || all.length <= perKind + 1) steps.push({ item: items[i] });
    else if (n === perKind) {
      const rest = all.slice(perKind);
      steps.push({ fold: { count: rest.length, label: kindLabel(items[i].rec), names: [...new Set(rest.map((it) => nameOf(it.subs[0] ?? it.rec)))] } });
    }
  }
  const out: string[] = [];
  if (visible.length === 0 && records.length === 0) return out;
  const t0 = records[0]?.time ?? 0;
  const numbered = steps.filter((s) => s.item).length;
  const width = String(Math.min(numbered, maxSteps)).length;
  // sub-lines start under the step's text: "  " + "N." + " " + stamp + "  "
  const col = ' '.repeat(2 + width + 1 + 1 + 9 + 2);
  const stamp = (t: number) => rel(t, t0).padStart(9);
  let n = 0;
  let i = 0;
  for (; i < steps.length; i++) {
    const s = steps[i];
    if (s.fold) {
      out.push(`${col}... ${s.fold.count} more like this (${s.fold.label}): ${listShort(s.fold.names, 3)}`);
      continue;
    }
    if (n >= maxSteps) break;
    const { rec: r, subs } = s.item!;
    n++;
    const num = `${String(n).padStart(width)}.`;
    // A kubelet's decision names its node through the calls it made.
    const who = subs.length && family(caller(subs[0])) === family(componentLabel(r.component)) ? caller(subs[0]) : undefined;
    out.push(`  ${num} ${stamp(r.time)}  ${isApi(r) ? apiLine(r) : decisionLine(r, who)}`);
    if (isApi(r) && (fromKubectl(r) || verbose)) {
      for (const st of r.steps ?? []) out.push(`${col}- ${st.stage}: ${st.detail}`);
      if (r.error && r.code! >= 300) out.push(`${col}- error: ${r.error}`);
    }
    for (const sub of subs) out.push(`${col}- ${apiLine(sub, false)}`);
  }
  const left = steps.slice(i).reduce((a, s) => a + (s.item ? 1 : s.fold!.count), 0);
  if (left > 0) out.push(`  ... ${left} more steps not shown (minikctl trace TYPE/NAME shows one object's)`);
  const notes: string[] = [];
  if (hidden.events) notes.push(`${hidden.events} Event write${hidden.events === 1 ? '' : 's'} (minikctl events lists them)`);
  if (hidden.leases) notes.push(`${hidden.leases} Lease renewal${hidden.leases === 1 ? '' : 's'}`);
  if (hidden.heartbeats) notes.push(`${hidden.heartbeats} node status update${hidden.heartbeats === 1 ? '' : 's'}`);
  if (hidden.reads) notes.push(`${hidden.reads} read${hidden.reads === 1 ? '' : 's'} by components`);
  if (notes.length) out.push(`  (not shown: ${notes.join(', ')}; -v=8 shows everything)`);
  return out;
}

/** What --trace prints after a command's output. */
export function formatTrace(records: TraceRecord[], opts: FormatOptions = {}): string {
  const title = opts.title ?? 'Trace (virtual cluster time from the first step):';
  const lines = formatSteps(records, opts);
  if (lines.length === 0) return `\n${title ? `${title}\n` : ''}  (nothing was recorded: the command made no API call)\n`;
  return `\n${title ? `${title}\n` : ''}${lines.join('\n')}\n`;
}

export { persistTrace, readTraceLog, traceLogPath, type TraceCommand } from './log.js';
