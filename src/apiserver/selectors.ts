// Label and field selectors: the string forms used on the command line and in list requests, and
// the LabelSelector objects (matchLabels / matchExpressions) used in specs.
import { badRequest } from './errors.js';

export interface Requirement {
  key: string;
  op: 'in' | 'notin' | 'exists' | '!' | '=' | '==' | '!=' | 'gt' | 'lt';
  values: string[];
}

export type Selector = Requirement[];

/** Parses "a=b,c!=d,e in (f,g),!h,i" the way apimachinery's labels.Parse does. */
export function parseLabelSelector(s: string): Selector {
  const out: Requirement[] = [];
  let i = 0;
  const src = s.trim();
  const fail = (why: string): never => {
    throw badRequest(`unable to parse requirement: ${why}`);
  };
  const skipWs = () => {
    while (i < src.length && /\s/.test(src[i])) i++;
  };
  const readIdent = (): string => {
    skipWs();
    const start = i;
    while (i < src.length && !/[\s,=!()<>]/.test(src[i])) i++;
    return src.slice(start, i);
  };
  while (i < src.length) {
    skipWs();
    if (i >= src.length) break;
    let negate = false;
    if (src[i] === '!') {
      negate = true;
      i++;
    }
    const key = readIdent();
    if (!key) fail(`found '${src[i] ?? ''}', expected: identifier`);
    skipWs();
    if (negate) {
      out.push({ key, op: '!', values: [] });
    } else if (i >= src.length || src[i] === ',') {
      out.push({ key, op: 'exists', values: [] });
    } else if (src.startsWith('==', i) || src.startsWith('!=', i)) {
      const op = src.slice(i, i + 2) as '==' | '!=';
      i += 2;
      out.push({ key, op, values: [readIdent()] });
    } else if (src[i] === '=') {
      i++;
      out.push({ key, op: '=', values: [readIdent()] });
    } else if (src[i] === '>' || src[i] === '<') {
      const op = src[i] === '>' ? 'gt' : 'lt';
      i++;
      out.push({ key, op, values: [readIdent()] });
    } else {
      const word = readIdent();
      if (word !== 'in' && word !== 'notin') fail(`found '${word}', expected: in, notin, =, ==, !=, gt, lt`);
      skipWs();
      if (src[i] !== '(') fail(`found '${src[i] ?? ''}', expected: '('`);
      i++;
      const values: string[] = [];
      for (;;) {
        const v = readIdent();
        values.push(v);
        skipWs();
        if (src[i] === ',') {
          i++;
          continue;
        }
        if (src[i] === ')') {
          i++;
          break;
        }
        fail(`found '${src[i] ?? ''}', expected: ',' or ')'`);
      }
      out.push({ key, op: word as 'in' | 'notin', values });
    }
    skipWs();
    if (i < src.length) {
      if (src[i] !== ',') fail(`found '${src[i]}', expected: ',' or 'end of string'`);
      i++;
    }
  }
  return out;
}

export function matches(sel: Selector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const r of sel) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case '=':
      case '==':
      case 'in':
        if (!has || !r.values.includes(v)) return false;
        break;
      case '!=':
      case 'notin':
        if (has && r.values.includes(v)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case '!':
        if (has) return false;
        break;
      case 'gt':
      case 'lt': {
        if (!has) return false;
        const n = Number(v);
        const m = Number(r.values[0]);
        if (Number.isNaN(n) || (r.op === 'gt' ? !(n > m) : !(n < m))) return false;
        break;
      }
    }
  }
  return true;
}

/** metav1.LabelSelector (matchLabels + matchExpressions) as requirements. An empty selector matches everything. */
export function fromLabelSelector(ls: any): Selector {
  const out: Requirement[] = [];
  for (const [k, v] of Object.entries(ls?.matchLabels ?? {})) out.push({ key: k, op: '=', values: [String(v)] });
  for (const e of ls?.matchExpressions ?? []) {
    const op = String(e.operator);
    if (op === 'In') out.push({ key: e.key, op: 'in', values: e.values ?? [] });
    else if (op === 'NotIn') out.push({ key: e.key, op: 'notin', values: e.values ?? [] });
    else if (op === 'Exists') out.push({ key: e.key, op: 'exists', values: [] });
    else if (op === 'DoesNotExist') out.push({ key: e.key, op: '!', values: [] });
  }
  return out;
}

/** A plain map selector (Service, ReplicationController spec.selector). */
export function fromMap(m: Record<string, string> | undefined): Selector {
  return Object.entries(m ?? {}).map(([key, v]) => ({ key, op: '=' as const, values: [v] }));
}

/**
 * A LabelSelector as labels.Selector.String() prints it: requirements sorted by key (matchLabels
 * and matchExpressions together), values sorted, "" when empty. Describe, the get tables and the
 * controllers all print selectors through this one function.
 */
export function selectorString(ls: any): string {
  return selectorText(ls) ?? '';
}

/** undefined when an operator is unknown (the selector does not convert). */
function selectorText(ls: any): string | undefined {
  if (!ls) return '';
  const reqs: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries<string>(ls.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${v}` });
  for (const e of ls.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    switch (e.operator) {
      case 'In':
        reqs.push({ key: e.key, text: `${e.key} in (${values})` });
        break;
      case 'NotIn':
        reqs.push({ key: e.key, text: `${e.key} notin (${values})` });
        break;
      case 'Exists':
        reqs.push({ key: e.key, text: e.key });
        break;
      case 'DoesNotExist':
        reqs.push({ key: e.key, text: `!${e.key}` });
        break;
      default:
        return undefined;
    }
  }
  // A stable sort by key, as the selector's Add() keeps requirements ordered.
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(',');
}

/** metav1.FormatLabelSelector: the selector, "<none>" when missing or empty, "<error>" when invalid. */
export function formatLabelSelector(ls: any): string {
  const text = selectorText(ls);
  if (text === undefined) return '<error>';
  return text || '<none>';
}

/** labels.FormatLabels: sorted "k=v,k2=v2", or "<none>" when there are none. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

/** Field selectors: "metadata.name=x,status.phase!=Running". */
export function parseFieldSelector(s: string): FieldRequirement[] {
  const out: FieldRequirement[] = [];
  for (const part of s.split(',')) {
    const p = part.trim();
    if (!p) continue;
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(p);
    if (!m) throw badRequest(`invalid selector: '${s}'; can't understand '${p}'`);
    out.push({ field: m[1].trim(), op: m[2] === '!=' ? '!=' : '=', value: m[3].trim() });
  }
  return out;
}

/** The fields each kind supports in field selectors (metadata.name and metadata.namespace for all). */
const FIELD_GETTERS: Record<string, Record<string, (o: any) => string | undefined>> = {
  Pod: {
    'spec.nodeName': (o) => o.spec?.nodeName ?? '',
    'spec.restartPolicy': (o) => o.spec?.restartPolicy,
    'spec.schedulerName': (o) => o.spec?.schedulerName,
    'spec.serviceAccountName': (o) => o.spec?.serviceAccountName,
    'spec.hostNetwork': (o) => String(!!o.spec?.hostNetwork),
    'status.phase': (o) => o.status?.phase ?? '',
    'status.podIP': (o) => o.status?.podIP ?? '',
    'status.nominatedNodeName': (o) => o.status?.nominatedNodeName ?? '',
  },
  Event: {
    'involvedObject.kind': (o) => o.involvedObject?.kind,
    'involvedObject.namespace': (o) => o.involvedObject?.namespace,
    'involvedObject.name': (o) => o.involvedObject?.name,
    'involvedObject.uid': (o) => o.involvedObject?.uid,
    'involvedObject.apiVersion': (o) => o.involvedObject?.apiVersion,
    'involvedObject.resourceVersion': (o) => o.involvedObject?.resourceVersion,
    'involvedObject.fieldPath': (o) => o.involvedObject?.fieldPath,
    reason: (o) => o.reason,
    reportingComponent: (o) => o.reportingComponent,
    source: (o) => o.source?.component,
    type: (o) => o.type,
  },
  Node: { 'spec.unschedulable': (o) => String(!!o.spec?.unschedulable) },
  Namespace: { 'status.phase': (o) => o.status?.phase },
  Secret: { type: (o) => o.type },
  ReplicaSet: { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
  Job: { 'status.successful': (o) => String(o.status?.succeeded ?? 0) },
};

export function fieldGetter(kind: string, field: string): ((o: any) => string | undefined) | undefined {
  if (field === 'metadata.name') return (o) => o.metadata?.name;
  if (field === 'metadata.namespace') return (o) => o.metadata?.namespace ?? '';
  return FIELD_GETTERS[kind]?.[field];
}

export function compileFieldSelector(kind: string, resource: string, s: string): (o: any) => boolean {
  const reqs = parseFieldSelector(s);
  const getters = reqs.map((r) => {
    const g = fieldGetter(kind, r.field);
    if (!g) throw badRequest(`field label not supported: ${r.field}`);
    return g;
  });
  void resource;
  return (o) => reqs.every((r, i) => (getters[i](o) === r.value) === (r.op === '='));
}
