// PodTopologySpread's scoring with the cluster-level default constraints, which is what spreads a
// ReplicaSet's pods over nodes and zones in a real cluster: for a pod that a Service or its
// controller groups with others, the fewer of the group a node (maxSkew 3) and its zone (maxSkew 5)
// already hold, the better. Pods with their own topologySpreadConstraints are not modelled yet.
import type { KObject } from '../../apiserver/types.js';
import { fromLabelSelector, fromMap, matches, type Selector } from '../../apiserver/selectors.js';
import { MAX_NODE_SCORE, type CycleContext, type NodeInfo, type Plugin, type PodInfo, type Snapshot } from '../types.js';
import { requiredAffinityMatches } from './node-affinity.js';

const HOSTNAME = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
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

interface SpreadState {
  counts: Map<string, number>;
  zoneCounts: Map<string, number>;
  hostWeight: number;
  zoneWeight: number;
}

const KEY = 'PodTopologySpread';

function spreadState(ctx: CycleContext): SpreadState {
  return ctx.state.get(KEY) as SpreadState;
}

export const podTopologySpread: Plugin = {
  name: 'PodTopologySpread',
  preScore(ctx, pi, nodes) {
    if (pi.pod.spec?.topologySpreadConstraints?.length) return 'skip';
    const group = defaultGroup(ctx.snapshot, pi.pod);
    if (!group) return 'skip';
    const counts = ctx.snapshot.groupCounts(group.key, group.member);
    // the zones among the feasible nodes; hostname's size is the number of feasible nodes
    const zoneCounts = new Map<string, number>();
    for (const n of nodes) {
      const z = n.node.metadata?.labels?.[ZONE];
      if (z !== undefined) zoneCounts.set(z, 0);
    }
    // every node in a candidate zone counts, if the pod's node affinity admits it (NodeInclusionPolicy Honor)
    if (zoneCounts.size) {
      for (const n of ctx.snapshot.nodes) {
        const z = n.node.metadata?.labels?.[ZONE];
        if (z === undefined || !zoneCounts.has(z)) continue;
        const k = counts.get(n.name);
        if (k && requiredAffinityMatches(pi.pod, n.node)) zoneCounts.set(z, zoneCounts.get(z)! + k);
      }
    }
    const state: SpreadState = { counts, zoneCounts, hostWeight: Math.log(nodes.length + 2), zoneWeight: Math.log(zoneCounts.size + 2) };
    ctx.state.set(KEY, state);
    return undefined;
  },
  score(ctx, _pi: PodInfo, node: NodeInfo) {
    const s = spreadState(ctx);
    const labels = node.node.metadata?.labels ?? {};
    let score = 0;
    if (labels[HOSTNAME] !== undefined) score += (s.counts.get(node.name) ?? 0) * s.hostWeight + (3 - 1);
    const z = labels[ZONE];
    if (z !== undefined) score += (s.zoneCounts.get(z) ?? 0) * s.zoneWeight + (5 - 1);
    return Math.round(score);
  },
  normalizeScore(_ctx, _pi, scores) {
    let min = Infinity;
    let max = 0;
    for (const v of scores) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    for (let i = 0; i < scores.length; i++) {
      scores[i] = max === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (max + min - scores[i])) / max);
    }
  },
};
