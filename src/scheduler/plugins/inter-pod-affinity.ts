// InterPodAffinity: where a pod may go depending on the pods already there. Required affinity
// needs a matching pod in the same topology domain (same node, same zone ... by topologyKey);
// required anti-affinity forbids one; and an existing pod's required anti-affinity forbids the
// incoming pod in its domain too (symmetry). Preferred terms (and existing pods' terms that match
// the incoming pod) add or subtract their weights per domain when scoring.
//
// PreFilter counts matching pods per topology pair once per pod, so Filter is a few map lookups
// per node; the addPod/removePod extensions keep those counts right in preemption's what-ifs.
import type { KObject } from '../../apiserver/types.js';
import { fromLabelSelector, matches, type Selector } from '../../apiserver/selectors.js';
import { MAX_NODE_SCORE, type CycleContext, type NodeInfo, type Plugin, type PodInfo, type Snapshot, unresolvable, unschedulable } from '../types.js';

export const ERR_AFFINITY_RULES = "node(s) didn't match pod affinity rules";
export const ERR_ANTI_AFFINITY_RULES = "node(s) didn't match pod anti-affinity rules";
export const ERR_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
/** InterPodAffinityArgs.hardPodAffinityWeight's default: an existing pod's required affinity counts this much when scoring */
export const HARD_POD_AFFINITY_WEIGHT = 1;

const NAME = 'InterPodAffinity';

/** A PodAffinityTerm made ready to match: which namespaces, which labels, which topology. */
export interface AffinityTerm {
  /** the namespaces named (or the pod's own when neither namespaces nor namespaceSelector is set) */
  namespaces: Set<string>;
  /** namespaceSelector: undefined when absent; an empty selector matches every namespace */
  nsSelector?: Selector;
  /** undefined: a nil labelSelector, which matches no pod */
  selector?: Selector;
  topologyKey: string;
  weight: number;
}

export interface PodAffinity {
  required: AffinityTerm[];
  requiredAnti: AffinityTerm[];
  preferred: AffinityTerm[];
  preferredAnti: AffinityTerm[];
}

function toTerm(pod: KObject, t: any, weight = 1): AffinityTerm {
  const namespaces = new Set<string>(t?.namespaces ?? []);
  if (namespaces.size === 0 && t?.namespaceSelector == null) namespaces.add(pod.metadata?.namespace ?? '');
  return {
    namespaces,
    nsSelector: t?.namespaceSelector == null ? undefined : fromLabelSelector(t.namespaceSelector),
    selector: t?.labelSelector == null ? undefined : fromLabelSelector(t.labelSelector),
    topologyKey: t?.topologyKey ?? '',
    weight,
  };
}

const EMPTY: PodAffinity = { required: [], requiredAnti: [], preferred: [], preferredAnti: [] };
const parsed = new WeakMap<KObject, PodAffinity>();

/** The pod's terms, parsed once per stored pod object. */
export function podAffinity(pod: KObject): PodAffinity {
  const a = pod.spec?.affinity;
  if (!a?.podAffinity && !a?.podAntiAffinity) return EMPTY;
  let p = parsed.get(pod);
  if (!p) {
    const pa = a.podAffinity ?? {};
    const paa = a.podAntiAffinity ?? {};
    // a preferred term with weight 0 is ignored, as upstream does
    const weighted = (list: any[]) => list.filter((w) => w?.weight).map((w) => toTerm(pod, w.podAffinityTerm, w.weight));
    p = {
      required: (pa.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t: any) => toTerm(pod, t)),
      requiredAnti: (paa.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t: any) => toTerm(pod, t)),
      preferred: weighted(pa.preferredDuringSchedulingIgnoredDuringExecution ?? []),
      preferredAnti: weighted(paa.preferredDuringSchedulingIgnoredDuringExecution ?? []),
    };
    parsed.set(pod, p);
  }
  return p;
}

/** AffinityTerm.Matches: the pod's namespace is in scope and its labels match. */
export function termMatches(t: AffinityTerm, pod: KObject, snapshot: Snapshot): boolean {
  if (!t.selector || !matches(t.selector, pod.metadata?.labels)) return false;
  const ns = pod.metadata?.namespace ?? '';
  if (t.namespaces.has(ns)) return true;
  if (!t.nsSelector) return false;
  if (t.nsSelector.length === 0) return true;
  return matches(t.nsSelector, snapshot.namespaceLabels?.get(ns));
}

function allMatch(terms: AffinityTerm[], pod: KObject, snapshot: Snapshot): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!termMatches(t, pod, snapshot)) return false;
  return true;
}

/** topologyKey → topology value → count (or score) */
class TopologyCounts {
  m = new Map<string, Map<string, number>>();
  add(key: string, value: string, n: number): void {
    let inner = this.m.get(key);
    if (!inner) this.m.set(key, (inner = new Map()));
    const v = (inner.get(value) ?? 0) + n;
    if (v === 0) {
      inner.delete(value);
      if (inner.size === 0) this.m.delete(key);
    } else inner.set(value, v);
  }
  get(key: string, value: string): number {
    return this.m.get(key)?.get(value) ?? 0;
  }
  get size(): number {
    return this.m.size;
  }
  clone(): TopologyCounts {
    const c = new TopologyCounts();
    for (const [k, inner] of this.m) c.m.set(k, new Map(inner));
    return c;
  }
}

/** updateWithAffinityTerms: a pod matching ALL the terms counts once for each term's domain */
function countAffinity(m: TopologyCounts, terms: AffinityTerm[], target: KObject, node: KObject, n: number, snapshot: Snapshot): void {
  if (!allMatch(terms, target, snapshot)) return;
  const labels = node.metadata?.labels ?? {};
  for (const t of terms) if (t.topologyKey in labels) m.add(t.topologyKey, labels[t.topologyKey], n);
}

/** updateWithAntiAffinityTerms: each term the pod matches counts for that term's domain */
function countAnti(m: TopologyCounts, terms: AffinityTerm[], target: KObject, node: KObject, n: number, snapshot: Snapshot): void {
  const labels = node.metadata?.labels ?? {};
  for (const t of terms) if (t.topologyKey in labels && termMatches(t, target, snapshot)) m.add(t.topologyKey, labels[t.topologyKey], n);
}

class FilterState {
  constructor(
    readonly terms: PodAffinity,
    /** pairs where an existing pod's required anti-affinity matches the incoming pod */
    readonly existingAnti: TopologyCounts,
    /** pairs holding pods that match all the incoming pod's required affinity terms */
    readonly affinity: TopologyCounts,
    /** pairs holding pods that match the incoming pod's required anti-affinity terms */
    readonly anti: TopologyCounts,
  ) {}
  clone(): FilterState {
    return new FilterState(this.terms, this.existingAnti.clone(), this.affinity.clone(), this.anti.clone());
  }
  /** updateWithPod: a pod appearing on (n=1) or leaving (n=-1) a node in a what-if */
  update(pod: PodInfo, other: PodInfo, node: NodeInfo, n: number, snapshot: Snapshot): void {
    const theirs = podAffinity(other.pod);
    if (theirs.requiredAnti.length) countAnti(this.existingAnti, theirs.requiredAnti, pod.pod, node.node, n, snapshot);
    if (this.terms.required.length) countAffinity(this.affinity, this.terms.required, other.pod, node.node, n, snapshot);
    if (this.terms.requiredAnti.length) countAnti(this.anti, this.terms.requiredAnti, other.pod, node.node, n, snapshot);
  }
}

const FILTER_KEY = `PreFilter${NAME}`;
const SCORE_KEY = `PreScore${NAME}`;

function satisfiesAffinity(s: FilterState, pod: PodInfo, node: NodeInfo, snapshot: Snapshot): boolean {
  const labels = node.node.metadata?.labels ?? {};
  let podsExist = true;
  for (const t of s.terms.required) {
    // every topology key must be on the node
    if (!(t.topologyKey in labels)) return false;
    if (s.affinity.get(t.topologyKey, labels[t.topologyKey]) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // the first pod of a group with affinity to itself: nothing matches anywhere yet, and it
  // matches its own terms, so it may go (or the group would wait forever)
  return s.affinity.size === 0 && allMatch(s.terms.required, pod.pod, snapshot);
}

function satisfiesAnti(s: FilterState, node: NodeInfo): boolean {
  const labels = node.node.metadata?.labels ?? {};
  for (const t of s.terms.requiredAnti) {
    if (t.topologyKey in labels && s.anti.get(t.topologyKey, labels[t.topologyKey]) > 0) return false;
  }
  return true;
}

function satisfiesExistingAnti(s: FilterState, node: NodeInfo): boolean {
  if (s.existingAnti.size === 0) return true;
  const labels = node.node.metadata?.labels ?? {};
  for (const [key, inner] of s.existingAnti.m) {
    if (key in labels && (inner.get(labels[key]) ?? 0) > 0) return false;
  }
  return true;
}

interface ScoreState {
  scores: TopologyCounts;
}

export const interPodAffinity: Plugin = {
  name: NAME,
  preFilter(ctx: CycleContext, pi: PodInfo) {
    const snapshot = ctx.snapshot;
    const terms = podAffinity(pi.pod);
    const antiNodes = snapshot.havePodsWithRequiredAntiAffinity();
    // Skip: nothing about this pod or the pods already placed can rule a node out
    if (!terms.required.length && !terms.requiredAnti.length && antiNodes.length === 0) return undefined;
    const existingAnti = new TopologyCounts();
    for (const ni of antiNodes) {
      for (const other of ni.podsWithRequiredAntiAffinity) countAnti(existingAnti, podAffinity(other.pod).requiredAnti, pi.pod, ni.node, 1, snapshot);
    }
    const affinity = new TopologyCounts();
    const anti = new TopologyCounts();
    if (terms.required.length || terms.requiredAnti.length) {
      for (const ni of snapshot.nodes) {
        for (const other of ni.pods) {
          if (terms.required.length) countAffinity(affinity, terms.required, other.pod, ni.node, 1, snapshot);
          if (terms.requiredAnti.length) countAnti(anti, terms.requiredAnti, other.pod, ni.node, 1, snapshot);
        }
      }
    }
    ctx.state.set(FILTER_KEY, new FilterState(terms, existingAnti, affinity, anti));
    return undefined;
  },
  filter(ctx, pi, node) {
    const s = ctx.state.get(FILTER_KEY) as FilterState | undefined;
    if (!s) return undefined;
    if (!satisfiesAffinity(s, pi, node, ctx.snapshot)) return unresolvable(NAME, ERR_AFFINITY_RULES);
    if (!satisfiesAnti(s, node)) return unschedulable(NAME, ERR_ANTI_AFFINITY_RULES);
    if (!satisfiesExistingAnti(s, node)) return unschedulable(NAME, ERR_EXISTING_ANTI_AFFINITY);
    return undefined;
  },
  addPod(ctx, pi, added, node) {
    (ctx.state.get(FILTER_KEY) as FilterState | undefined)?.update(pi, added, node, 1, ctx.snapshot);
  },
  removePod(ctx, pi, removed, node) {
    (ctx.state.get(FILTER_KEY) as FilterState | undefined)?.update(pi, removed, node, -1, ctx.snapshot);
  },

  preScore(ctx, pi) {
    const snapshot = ctx.snapshot;
    const mine = podAffinity(pi.pod);
    const hasConstraints = mine.preferred.length > 0 || mine.preferredAnti.length > 0;
    // without preferred terms of its own, only pods with affinity can move the score
    const nodes = hasConstraints ? snapshot.nodes : snapshot.havePodsWithAffinity();
    const scores = new TopologyCounts();
    const processTerms = (terms: AffinityTerm[], target: KObject, labels: Record<string, string>, sign: number, weight?: number) => {
      for (const t of terms) {
        if (t.topologyKey in labels && termMatches(t, target, snapshot)) scores.add(t.topologyKey, labels[t.topologyKey], (weight ?? t.weight) * sign);
      }
    };
    for (const ni of nodes) {
      const labels = ni.node.metadata?.labels ?? {};
      if (Object.keys(labels).length === 0) continue;
      for (const other of hasConstraints ? ni.pods : ni.podsWithAffinity) {
        processTerms(mine.preferred, other.pod, labels, 1);
        processTerms(mine.preferredAnti, other.pod, labels, -1);
        const theirs = podAffinity(other.pod);
        if (HARD_POD_AFFINITY_WEIGHT > 0) processTerms(theirs.required, pi.pod, labels, 1, HARD_POD_AFFINITY_WEIGHT);
        processTerms(theirs.preferred, pi.pod, labels, 1);
        processTerms(theirs.preferredAnti, pi.pod, labels, -1);
      }
    }
    if (scores.size === 0) return 'skip';
    ctx.state.set(SCORE_KEY, { scores } satisfies ScoreState);
    return undefined;
  },
  score(ctx, _pi, node) {
    const s = ctx.state.get(SCORE_KEY) as ScoreState;
    const labels = node.node.metadata?.labels ?? {};
    let sum = 0;
    for (const [key, inner] of s.scores.m) if (key in labels) sum += inner.get(labels[key]) ?? 0;
    return sum;
  },
  normalizeScore(_ctx, _pi, scores) {
    let min = Infinity;
    let max = -Infinity;
    for (const v of scores) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const diff = max - min;
    for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.trunc((MAX_NODE_SCORE * (scores[i] - min)) / diff) : 0;
  },
};
