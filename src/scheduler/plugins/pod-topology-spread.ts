// PodTopologySpread. A pod's own topologySpreadConstraints: whenUnsatisfiable DoNotSchedule is a
// Filter (placing the pod in a domain must not make it hold more than maxSkew above the emptiest
// eligible domain), ScheduleAnyway is scored. A pod without constraints is scored with the
// cluster-level default constraints, which is what spreads a ReplicaSet's pods over nodes and
// zones in a real cluster: the fewer of its group (the Services that select it and its controller)
// a node (maxSkew 3) and its zone (maxSkew 5) already hold, the better.
//
// Counting matching pods per node goes through the snapshot's group counts (built once per
// reconcile and kept current as pods are bound), so a cycle is O(nodes), not O(pods).
import type { KObject } from '../../apiserver/types.js';
import { fromLabelSelector, fromMap, matches, type Selector } from '../../apiserver/selectors.js';
import { MAX_NODE_SCORE, type CycleContext, type NodeInfo, type Plugin, type PodInfo, type Snapshot, unresolvable, unschedulable } from '../types.js';
import { requiredAffinityMatches } from './node-affinity.js';
import { tolerated } from './taint-toleration.js';

const HOSTNAME = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
const NAME = 'PodTopologySpread';
export const ERR_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_NODE_LABEL_NOT_MATCH = `${ERR_CONSTRAINTS_NOT_MATCH} (missing required label)`;

/** the system default constraints (both ScheduleAnyway) */
export const SYSTEM_DEFAULT_CONSTRAINTS = [
  { topologyKey: HOSTNAME, maxSkew: 3 },
  { topologyKey: ZONE, maxSkew: 5 },
];

interface Group {
  key: string;
  member: (p: KObject) => boolean;
}

/**
 * helper.DefaultSelector: the selectors of the Services that select the pod, and of its
 * controlling ReplicationController, ReplicaSet or StatefulSet, together. undefined when none.
 */
export function defaultGroup(snapshot: Snapshot, pod: KObject): Group | undefined {
  const src = snapshot.spread;
  if (!src) return undefined;
  const ns = pod.metadata?.namespace ?? '';
  const labels = pod.metadata?.labels ?? {};
  const sels: Selector[] = [];
  const keys: string[] = [];
  for (const svc of src.services.get(ns) ?? []) {
    const sel = svc.spec?.selector;
    if (!sel || Object.keys(sel).length === 0) continue;
    const s = fromMap(sel);
    if (!matches(s, labels)) continue;
    sels.push(s);
    keys.push(`svc:${svc.metadata?.name}`);
  }
  const owner = (pod.metadata?.ownerReferences ?? []).find((o: any) => o.controller);
  if (owner && ['ReplicaSet', 'ReplicationController', 'StatefulSet'].includes(owner.kind)) {
    const ctl = src.controllers.get(`${owner.kind}/${ns}/${owner.name}`);
    if (ctl) {
      sels.push(owner.kind === 'ReplicationController' ? fromMap(ctl.spec?.selector) : fromLabelSelector(ctl.spec?.selector));
      keys.push(`${owner.kind}:${owner.name}`);
    }
  }
  if (sels.every((s) => s.length === 0)) return undefined;
  return {
    key: `${ns}|${keys.join('|')}`,
    // countPodsMatchSelector: same namespace, not terminating, every selector matches
    member: (p) => (p.metadata?.namespace ?? '') === ns && !p.metadata?.deletionTimestamp && sels.every((s) => matches(s, p.metadata?.labels)),
  };
}

/** A constraint made ready to count with. */
export interface Constraint {
  maxSkew: number;
  topologyKey: string;
  minDomains: number;
  honorNodeAffinity: boolean;
  honorNodeTaints: boolean;
  group: Group;
  /** whether the incoming pod itself matches the selector (it adds one to its domain) */
  selfMatch: boolean;
}

/**
 * The pod's constraints with the given whenUnsatisfiable. The labelSelector (a nil one matches no
 * pod) with matchLabelKeys merged in as "key in (the pod's value)", as the scheduler does in 1.32.
 */
export function podConstraints(pod: KObject, when: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
  const ns = pod.metadata?.namespace ?? '';
  const labels: Record<string, string> = pod.metadata?.labels ?? {};
  const out: Constraint[] = [];
  for (const c of pod.spec?.topologySpreadConstraints ?? []) {
    if ((c.whenUnsatisfiable ?? 'DoNotSchedule') !== when) continue;
    let sel: Selector | undefined = c.labelSelector == null ? undefined : fromLabelSelector(c.labelSelector);
    const extra: Selector = [];
    for (const k of c.matchLabelKeys ?? []) if (k in labels) extra.push({ key: k, op: '=', values: [labels[k]] });
    if (extra.length) sel = [...(sel ?? []), ...extra];
    const s = sel;
    out.push({
      maxSkew: c.maxSkew ?? 1,
      topologyKey: c.topologyKey,
      minDomains: c.minDomains ?? 1,
      honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      honorNodeTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
      group: {
        key: `${ns}|tsc|${JSON.stringify(s ?? null)}`,
        member: (p) => !!s && (p.metadata?.namespace ?? '') === ns && !p.metadata?.deletionTimestamp && matches(s, p.metadata?.labels),
      },
      selfMatch: !!s && matches(s, labels),
    });
  }
  return out;
}

function hasAllKeys(node: KObject, cs: Constraint[]): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const c of cs) if (!(c.topologyKey in labels)) return false;
  return true;
}

/** matchNodeInclusionPolicies: whether the node's domain takes part in the spreading at all */
function included(c: Constraint, pod: KObject, node: KObject): boolean {
  if (c.honorNodeAffinity && !requiredAffinityMatches(pod, node)) return false;
  if (c.honorNodeTaints) {
    for (const t of node.spec?.taints ?? []) {
      if ((t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerated(pod.spec?.tolerations, t)) return false;
    }
  }
  return true;
}

// ---- Filter (DoNotSchedule) ----

class FilterState {
  constructor(
    readonly constraints: Constraint[],
    /** per constraint: topology value → matching pods there */
    readonly counts: Map<string, number>[],
  ) {}
  clone(): FilterState {
    return new FilterState(this.constraints, this.counts.map((m) => new Map(m)));
  }
  update(pod: PodInfo, other: PodInfo, node: NodeInfo, n: number): void {
    if (!hasAllKeys(node.node, this.constraints)) return;
    const labels = node.node.metadata?.labels ?? {};
    this.constraints.forEach((c, i) => {
      if (!included(c, pod.pod, node.node) || !c.group.member(other.pod)) return;
      const v = labels[c.topologyKey];
      if (this.counts[i].has(v)) this.counts[i].set(v, this.counts[i].get(v)! + n);
    });
  }
}

const FILTER_KEY = `PreFilter${NAME}`;

function preFilterState(snapshot: Snapshot, pod: KObject): FilterState | undefined {
  const constraints = podConstraints(pod, 'DoNotSchedule');
  if (constraints.length === 0) return undefined;
  const perNode = constraints.map((c) => snapshot.groupCounts(c.group.key, c.group.member));
  const counts = constraints.map(() => new Map<string, number>());
  for (const ni of snapshot.nodes) {
    if (!hasAllKeys(ni.node, constraints)) continue;
    const labels = ni.node.metadata?.labels ?? {};
    constraints.forEach((c, i) => {
      if (!included(c, pod, ni.node)) return;
      const v = labels[c.topologyKey];
      counts[i].set(v, (counts[i].get(v) ?? 0) + (perNode[i].get(ni.name) ?? 0));
    });
  }
  return new FilterState(constraints, counts);
}

// ---- Score (ScheduleAnyway, or the system defaults) ----

interface ScoreState {
  constraints: Constraint[];
  /** per constraint: matching pods per node (hostname) */
  perNode: Map<string, number>[];
  /** per constraint other than hostname: topology value → matching pods there */
  perValue: Map<string, number>[];
  weights: number[];
  /** indexes (in the scored nodes) of nodes missing a topology key: they score 0 */
  ignored: Set<number>;
}

const SCORE_KEY = `PreScore${NAME}`;

function scoreConstraints(snapshot: Snapshot, pod: KObject): { constraints: Constraint[]; requireAll: boolean } {
  if (pod.spec?.topologySpreadConstraints?.length) return { constraints: podConstraints(pod, 'ScheduleAnyway'), requireAll: true };
  const group = defaultGroup(snapshot, pod);
  if (!group) return { constraints: [], requireAll: false };
  return {
    constraints: SYSTEM_DEFAULT_CONSTRAINTS.map((d) => ({
      maxSkew: d.maxSkew, topologyKey: d.topologyKey, minDomains: 1, honorNodeAffinity: true, honorNodeTaints: false, group, selfMatch: false,
    })),
    requireAll: false,
  };
}

export const podTopologySpread: Plugin = {
  name: NAME,
  preFilter(ctx: CycleContext, pi: PodInfo) {
    const s = preFilterState(ctx.snapshot, pi.pod);
    if (s) ctx.state.set(FILTER_KEY, s);
    return undefined;
  },
  filter(ctx, pi, node) {
    const s = ctx.state.get(FILTER_KEY) as FilterState | undefined;
    if (!s) return undefined;
    const labels = node.node.metadata?.labels ?? {};
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i];
      if (!(c.topologyKey in labels)) return unresolvable(NAME, ERR_NODE_LABEL_NOT_MATCH);
      const counts = s.counts[i];
      // the global minimum over the eligible domains; 0 while fewer than minDomains exist
      let min = Infinity;
      for (const v of counts.values()) if (v < min) min = v;
      if (counts.size < c.minDomains) min = 0;
      const skew = (counts.get(labels[c.topologyKey]) ?? 0) + (c.selfMatch ? 1 : 0) - min;
      if (skew > c.maxSkew) return unschedulable(NAME, ERR_CONSTRAINTS_NOT_MATCH);
    }
    return undefined;
  },
  addPod(ctx, pi, added, node) {
    (ctx.state.get(FILTER_KEY) as FilterState | undefined)?.update(pi, added, node, 1);
  },
  removePod(ctx, pi, removed, node) {
    (ctx.state.get(FILTER_KEY) as FilterState | undefined)?.update(pi, removed, node, -1);
  },

  preScore(ctx, pi, nodes) {
    const { constraints, requireAll } = scoreConstraints(ctx.snapshot, pi.pod);
    if (constraints.length === 0 || nodes.length === 0) return 'skip';
    const perNode = constraints.map((c) => ctx.snapshot.groupCounts(c.group.key, c.group.member));
    const perValue = constraints.map(() => new Map<string, number>());
    const ignored = new Set<number>();
    nodes.forEach((n, j) => {
      if (requireAll && !hasAllKeys(n.node, constraints)) {
        ignored.add(j);
        return;
      }
      const labels = n.node.metadata?.labels ?? {};
      // the domains among the scored nodes (a node without the key registers the "" domain, as upstream)
      constraints.forEach((c, i) => {
        if (c.topologyKey !== HOSTNAME) perValue[i].set(labels[c.topologyKey] ?? '', 0);
      });
    });
    // every node in a candidate domain counts, if the policies admit it
    if (perValue.some((m) => m.size)) {
      for (const n of ctx.snapshot.nodes) {
        if (requireAll && !hasAllKeys(n.node, constraints)) continue;
        const labels = n.node.metadata?.labels ?? {};
        constraints.forEach((c, i) => {
          if (c.topologyKey === HOSTNAME) return;
          const v = labels[c.topologyKey] ?? '';
          const cur = perValue[i].get(v);
          if (cur === undefined) return;
          const k = perNode[i].get(n.name);
          if (k && included(c, pi.pod, n.node)) perValue[i].set(v, cur + k);
        });
      }
    }
    const weights = constraints.map((c, i) => Math.log((c.topologyKey === HOSTNAME ? nodes.length - ignored.size : perValue[i].size) + 2));
    ctx.state.set(SCORE_KEY, { constraints, perNode, perValue, weights, ignored } satisfies ScoreState);
    return undefined;
  },
  score(ctx, _pi: PodInfo, node: NodeInfo) {
    const s = ctx.state.get(SCORE_KEY) as ScoreState;
    const labels = node.node.metadata?.labels ?? {};
    let score = 0;
    s.constraints.forEach((c, i) => {
      const v = labels[c.topologyKey];
      if (v === undefined) return;
      const cnt = c.topologyKey === HOSTNAME ? s.perNode[i].get(node.name) ?? 0 : s.perValue[i].get(v) ?? 0;
      score += cnt * s.weights[i] + (c.maxSkew - 1);
    });
    return Math.round(score);
  },
  normalizeScore(ctx, _pi, scores) {
    const s = ctx.state.get(SCORE_KEY) as ScoreState;
    let min = Infinity;
    let max = 0;
    scores.forEach((v, i) => {
      if (s.ignored.has(i)) return;
      if (v < min) min = v;
      if (v > max) max = v;
    });
    for (let i = 0; i < scores.length; i++) {
      if (s.ignored.has(i)) scores[i] = 0;
      else scores[i] = max === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (max + min - scores[i])) / max);
    }
  },
};
