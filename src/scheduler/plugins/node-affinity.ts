// NodeAffinity: spec.nodeSelector and requiredDuringScheduling terms decide where a pod may go;
// preferredDuringScheduling terms add their weights to the nodes that match them.
import type { KObject } from '../../apiserver/types.js';
import { defaultNormalizeScore, MAX_NODE_SCORE, type Plugin, unresolvable } from '../types.js';

export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";

interface Requirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

/** strconv.ParseInt(s, 10, 64): a plain decimal integer */
function parseIntStrict(s: string | undefined): number | undefined {
  if (s === undefined || !/^[+-]?\d+$/.test(s)) return undefined;
  return Number(s);
}

/** One NodeSelectorRequirement against a value (a label, or a field for matchFields). */
function requirementMatches(req: Requirement, has: boolean, val: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return has && values.includes(val!);
    case 'NotIn':
      return !has || !values.includes(val!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || values.length !== 1) return false;
      const want = parseIntStrict(values[0]);
      const got = parseIntStrict(val);
      if (want === undefined || got === undefined) return false;
      return req.operator === 'Gt' ? got > want : got < want;
    }
    default:
      return false;
  }
}

/** A NodeSelectorTerm: all its expressions and fields must match; an empty term matches nothing. */
export function termMatches(term: any, node: KObject): boolean {
  const exprs: Requirement[] = term?.matchExpressions ?? [];
  const fields: Requirement[] = term?.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  for (const r of exprs) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    if (!requirementMatches(r, has, labels[r.key])) return false;
  }
  for (const r of fields) {
    // metadata.name is the only field a node selector may name, and only with In/NotIn
    if (r.key !== 'metadata.name' || (r.operator !== 'In' && r.operator !== 'NotIn')) return false;
    if (!requirementMatches(r, true, node.metadata?.name)) return false;
  }
  return true;
}

/** nodeSelector and required node affinity (terms ORed), as RequiredNodeAffinity.Match */
export function requiredAffinityMatches(pod: KObject, node: KObject): boolean {
  const selector: Record<string, string> | undefined = pod.spec?.nodeSelector;
  if (selector) {
    const labels = node.metadata?.labels ?? {};
    for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  }
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) {
    const terms: any[] = required.nodeSelectorTerms ?? [];
    if (!terms.some((t) => termMatches(t, node))) return false;
  }
  return true;
}

function preferredTerms(pod: KObject): any[] {
  return pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
}

export const nodeAffinity: Plugin = {
  name: 'NodeAffinity',
  filter(_ctx, pi, node) {
    return requiredAffinityMatches(pi.pod, node.node) ? undefined : unresolvable('NodeAffinity', ERR_REASON_POD);
  },
  preScore(_ctx, pi) {
    return preferredTerms(pi.pod).length === 0 ? 'skip' : undefined;
  },
  score(_ctx, pi, node) {
    let sum = 0;
    for (const t of preferredTerms(pi.pod)) {
      // a zero weight term is ignored
      if (t.weight && termMatches(t.preference, node.node)) sum += t.weight;
    }
    return sum;
  },
  normalizeScore(_ctx, _pi, scores) {
    defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
  },
};
