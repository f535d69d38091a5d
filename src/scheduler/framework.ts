// One scheduling cycle, as kube-scheduler's schedulePod runs it: PreFilter, then Filter on the
// nodes from a rotating start index until enough feasible ones are found, then Score (each
// plugin's scores normalized to 0..100 and multiplied by its weight), then selectHost, which picks
// the best total and breaks ties by reservoir sampling. A pod that fits nowhere gets a FitError
// whose message is the one kube-scheduler writes in its FailedScheduling event.
import type { KObject } from '../apiserver/types.js';
import { imageStates } from './plugins/image-locality.js';
import { addPod, withPods } from './resources.js';
import { cloneCycle, type BindContext, type CycleContext, type NodeInfo, type Plugin, type PodInfo, type PreBindResult, type Profile, type Snapshot, type SpreadSources, type Status } from './types.js';

export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';
/** below this many nodes every node is checked */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

export interface RandomSource {
  intn(n: number): number;
}

export function newSnapshot(nodes: NodeInfo[], spread?: SpreadSources): Snapshot {
  let images: ReturnType<typeof imageStates> | undefined;
  const byName = new Map(nodes.map((n) => [n.name, n]));
  // counted once per group and reconcile, then kept current as pods are bound: no pods x pods
  const groups = new Map<string, { member: (p: KObject) => boolean; counts: Map<string, number> }>();
  // the nodes holding pods with pod (anti-)affinity, found once and kept current by addPod
  let withAffinity: Set<NodeInfo> | undefined;
  let withAnti: Set<NodeInfo> | undefined;
  const findAffinity = () => {
    withAffinity = new Set();
    withAnti = new Set();
    for (const n of nodes) {
      if (n.podsWithAffinity.length) withAffinity.add(n);
      if (n.podsWithRequiredAntiAffinity.length) withAnti.add(n);
    }
  };
  return {
    nodes, byName, spread,
    havePodsWithAffinity() {
      if (!withAffinity) findAffinity();
      return [...withAffinity!];
    },
    havePodsWithRequiredAntiAffinity() {
      if (!withAnti) findAffinity();
      return [...withAnti!];
    },
    images: () => (images ??= imageStates(nodes.map((n) => n.node))),
    groupCounts(key, member) {
      let g = groups.get(key);
      if (!g) {
        const counts = new Map<string, number>();
        for (const n of nodes) {
          let k = 0;
          for (const p of n.pods) if (member(p.pod)) k++;
          if (k) counts.set(n.name, k);
        }
        g = { member, counts };
        groups.set(key, g);
      }
      return g.counts;
    },
    addPod(node, pi) {
      const ni = byName.get(node);
      if (!ni) return;
      addPod(ni, pi);
      if (withAffinity && ni.podsWithAffinity.length) withAffinity.add(ni);
      if (withAnti && ni.podsWithRequiredAntiAffinity.length) withAnti.add(ni);
      for (const g of groups.values()) if (g.member(pi.pod)) g.counts.set(node, (g.counts.get(node) ?? 0) + 1);
    },
  };
}

/**
 * numFeasibleNodesToFind with the adaptive default percentageOfNodesToScore: all nodes below 100,
 * then 50% minus 1% per 125 nodes (at least 5%), never fewer than 100.
 */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  if (percentage === 0) {
    percentage = 50 - Math.trunc(numAllNodes / 125);
    if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const n = Math.trunc((numAllNodes * percentage) / 100);
  return n < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : n;
}

/** RunFilterPlugins: the first plugin that rejects the node decides its status. */
export function runFilters(ctx: CycleContext, profile: Profile, pi: PodInfo, node: NodeInfo): Status | undefined {
  for (const p of profile.filters) {
    const s = p.filter?.(ctx, pi, node);
    if (s) return s;
  }
  return undefined;
}

/** RunPreFilterExtensionAddPod / RemovePod over every filter plugin that keeps pre-computed state */
export function runAddPod(ctx: CycleContext, profile: Profile, pi: PodInfo, added: PodInfo, node: NodeInfo): void {
  for (const p of profile.filters) p.addPod?.(ctx, pi, added, node);
}

export function runRemovePod(ctx: CycleContext, profile: Profile, pi: PodInfo, removed: PodInfo, node: NodeInfo): void {
  for (const p of profile.filters) p.removePod?.(ctx, pi, removed, node);
}

/**
 * RunFilterPluginsWithNominatedPods: pods that an earlier preemption nominated to this node, of
 * the pod's priority or above, count as if they were there already, so that the room made for
 * them is not taken by someone else while their victims terminate.
 */
export function runFiltersWithNominated(ctx: CycleContext, profile: Profile, pi: PodInfo, node: NodeInfo): Status | undefined {
  const nominated = ctx.snapshot.nominated?.get(node.name);
  if (nominated?.length) {
    const uid = pi.pod.metadata?.uid;
    const more = nominated.filter((n) => n.priority >= pi.priority && n.pod.metadata?.uid !== uid);
    if (more.length) {
      const c2 = cloneCycle(ctx);
      const n2 = withPods(node, more);
      for (const m of more) runAddPod(c2, profile, pi, m, n2);
      return runFilters(c2, profile, pi, n2);
    }
  }
  return runFilters(ctx, profile, pi, node);
}

export interface FilterResult {
  feasible: NodeInfo[];
  /** why each rejected node was rejected */
  statuses: Map<string, Status>;
  processed: number;
  preFilterStatus?: Status;
}

export function findNodesThatFit(ctx: CycleContext, profile: Profile, pi: PodInfo, start: number): FilterResult {
  const statuses = new Map<string, Status>();
  const all = ctx.snapshot.nodes;
  for (const p of profile.filters) {
    const s = p.preFilter?.(ctx, pi);
    if (s) {
      // a PreFilter rejection applies to every node
      for (const n of all) statuses.set(n.name, s);
      return { feasible: [], statuses, processed: all.length, preFilterStatus: s };
    }
  }
  // evaluateNominatedNode: a pod that preempted for a node tries that node first, alone
  const nominated = ctx.snapshot.byName.get(pi.pod.status?.nominatedNodeName ?? '');
  if (nominated && !runFiltersWithNominated(ctx, profile, pi, nominated)) return { feasible: [nominated], statuses, processed: 0 };
  const want = numFeasibleNodesToFind(all.length);
  const feasible: NodeInfo[] = [];
  let processed = 0;
  for (let i = 0; i < all.length && feasible.length < want; i++) {
    const node = all[(start + i) % all.length];
    processed++;
    const s = runFiltersWithNominated(ctx, profile, pi, node);
    if (s) statuses.set(node.name, s);
    else feasible.push(node);
  }
  return { feasible, statuses, processed };
}

export interface PluginScores {
  plugin: string;
  /** weighted scores, one per feasible node */
  scores: number[];
}

/** prioritizeNodes: per plugin, raw scores → NormalizeScore → × weight; returns the totals too. */
export function prioritize(ctx: CycleContext, profile: Profile, pi: PodInfo, nodes: NodeInfo[]): { totals: number[]; byPlugin: PluginScores[] } {
  const totals = new Array<number>(nodes.length).fill(0);
  const byPlugin: PluginScores[] = [];
  for (const { plugin, weight } of profile.scorers) {
    if (!plugin.score || plugin.preScore?.(ctx, pi, nodes) === 'skip') continue;
    const scores = nodes.map((n) => plugin.score!(ctx, pi, n));
    plugin.normalizeScore?.(ctx, pi, scores);
    for (let i = 0; i < scores.length; i++) {
      scores[i] *= weight;
      totals[i] += scores[i];
    }
    byPlugin.push({ plugin: plugin.name, scores });
  }
  return { totals, byPlugin };
}

/** selectHost: the highest total wins; among equals each has the same chance (reservoir sampling). */
export function selectHost(totals: number[], rng: RandomSource): number {
  let best = 0;
  let ties = 1;
  for (let i = 1; i < totals.length; i++) {
    if (totals[i] > totals[best]) {
      best = i;
      ties = 1;
    } else if (totals[i] === totals[best]) {
      ties++;
      if (rng.intn(ties) === 0) best = i;
    }
  }
  return best;
}

/**
 * FitError.Error() of 1.32: "0/N nodes are available: " then the PreFilter message, or else the
 * histogram of filter reasons ("<count> <reason>", sorted as strings), each part ending with ".",
 * then the PostFilter (preemption) message as it is.
 */
export function fitErrorMessage(numAllNodes: number, statuses: Iterable<Status>, preFilterMsg = '', postFilterMsg = ''): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (preFilterMsg) msg += ` ${preFilterMsg}.`;
  else {
    const counts = new Map<string, number>();
    for (const s of statuses) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    const parts = [...counts].map(([r, n]) => `${n} ${r}`);
    // Go's sort.Strings: byte order, not locale order
    parts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (parts.length) msg += ` ${parts.join(', ')}.`;
  }
  if (postFilterMsg) msg += ` ${postFilterMsg}`;
  return msg;
}

/** What PostFilter (preemption) made of a failure: its message, and a node it would make room on. */
export interface PostFilterResult {
  message: string;
  nominatedNode?: string;
  victims?: KObject[];
  /** preemption cannot help anywhere: a nomination the pod carries from earlier is cleared */
  clearNomination?: boolean;
}

export type PostFilter = (ctx: CycleContext, pi: PodInfo, statuses: Map<string, Status>) => PostFilterResult;

export type CycleResult =
  | {
      ok: true;
      node: string;
      filter: FilterResult;
      /** the feasible nodes and their total scores (absent when one node was feasible: no scoring) */
      scores?: { node: string; total: number }[];
      nextStart: number;
    }
  | {
      ok: false;
      message: string;
      filter?: FilterResult;
      postFilter?: PostFilterResult;
      nextStart: number;
    };

export interface CycleOptions {
  rng: RandomSource;
  /** nextStartNodeIndex: where the last cycle stopped looking */
  start?: number;
  postFilter?: PostFilter;
}

export function schedulePod(snapshot: Snapshot, profile: Profile, pi: PodInfo, opts: CycleOptions): CycleResult {
  const all = snapshot.nodes;
  const start = all.length ? (opts.start ?? 0) % all.length : 0;
  if (all.length === 0) return { ok: false, message: NO_NODES_AVAILABLE, nextStart: 0 };
  const ctx: CycleContext = { state: new Map(), snapshot };
  const filter = findNodesThatFit(ctx, profile, pi, start);
  const nextStart = (start + filter.processed) % all.length;
  if (filter.feasible.length === 0) {
    const post = opts.postFilter?.(ctx, pi, filter.statuses);
    const message = fitErrorMessage(all.length, filter.statuses.values(), filter.preFilterStatus?.reasons.join(', ') ?? '', post?.message ?? '');
    return { ok: false, message, filter, postFilter: post, nextStart };
  }
  if (filter.feasible.length === 1) return { ok: true, node: filter.feasible[0].name, filter, nextStart };
  const { totals } = prioritize(ctx, profile, pi, filter.feasible);
  const i = selectHost(totals, opts.rng);
  return {
    ok: true, node: filter.feasible[i].name, filter, nextStart,
    scores: filter.feasible.map((n, j) => ({ node: n.name, total: totals[j] })),
  };
}

// ---- the binding cycle ----

/** the profile's plugins with a PreBind extension, each once, in profile order */
export function preBindPlugins(profile: Profile): Plugin[] {
  const out: Plugin[] = [];
  for (const p of [...profile.filters, ...profile.scorers.map((s) => s.plugin)]) if (p.preBind && !out.includes(p)) out.push(p);
  return out;
}

/**
 * RunPreBindPlugins: each plugin in turn; one still waiting holds the ones after it back (the real
 * framework calls them in sequence, each blocking until done). A plugin's error is wrapped the way
 * the framework wraps it: `running PreBind plugin "VolumeBinding": ...`.
 * `states` holds each plugin's BindContext.state, by plugin name (kept with the assumed pod).
 */
export async function runPreBind(profile: Profile, pi: PodInfo, node: string, bc: Omit<BindContext, 'state'>, states: Record<string, Record<string, any>>): Promise<PreBindResult> {
  for (const p of preBindPlugins(profile)) {
    const r = await p.preBind!({ ...bc, state: (states[p.name] ??= {}) }, pi, node);
    if (!r) continue;
    if (r.code === 'Error') return { code: 'Error', message: `running PreBind plugin "${p.name}": ${r.message}` };
    return r;
  }
  return undefined;
}
