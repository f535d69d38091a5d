// DefaultPreemption's PostFilter: a pod that fits nowhere looks for nodes where evicting pods of
// lower priority would make it fit (the dry run), keeps on each the fewest victims it can
// (reprieving the most important first, PodDisruptionBudget-protected ones before the others),
// and picks the node as kube-scheduler's pickOneNodeForPreemption does. The scheduler component
// then evicts the victims and nominates the node (index.ts); the pod schedules there once the
// victims have terminated. When no node qualifies, the message says why, per node, after
// "preemption: ".
import type { KObject } from '../apiserver/types.js';
import { fromLabelSelector, matches } from '../apiserver/selectors.js';
import { fitErrorMessage, runAddPod, runFiltersWithNominated, runRemovePod, type PostFilter, type PostFilterResult } from './framework.js';
import { addPod, subtractPod, withoutPods } from './resources.js';
import { cloneCycle, unresolvable, type CycleContext, type NodeInfo, type PodInfo, type Profile, type Status } from './types.js';

export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_VICTIMS = 'No preemption victims found for incoming pod';
export const NOT_ELIGIBLE_NEVER = 'not eligible due to preemptionPolicy=Never.';
export const NOT_ELIGIBLE_TERMINATING = 'not eligible due to a terminating pod on the nominated node.';
/** DefaultPreemptionArgs defaults: how many candidate nodes the dry run looks for */
export const MIN_CANDIDATE_NODES_PERCENTAGE = 10;
export const MIN_CANDIDATE_NODES_ABSOLUTE = 100;

export interface Candidate {
  node: string;
  /** most important first */
  victims: KObject[];
  numPDBViolations: number;
}

/** GetPodStartTime: a pod that has not started yet counts as starting now (the latest) */
function startTime(p: KObject): number {
  const t = Date.parse(p.status?.startTime ?? '');
  return Number.isNaN(t) ? Infinity : t;
}

/** util.MoreImportantPod: higher priority, then the one running longer */
export function moreImportant(a: PodInfo, b: PodInfo): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  return startTime(a.pod) - startTime(b.pod);
}

/** podTerminatingByPreemption: going away because a scheduler preempted it */
export function terminatingByPreemption(p: KObject): boolean {
  if (!p.metadata?.deletionTimestamp) return false;
  const c = (p.status?.conditions ?? []).find((x: any) => x.type === 'DisruptionTarget');
  return c?.status === 'True' && c.reason === 'PreemptionByScheduler';
}

/**
 * filterPodsWithPDBViolation: in the given order, the pods whose eviction would take a budget
 * below zero (counting the earlier ones), and the others. A pod the budget already lists as
 * disrupted does not count again.
 */
export function splitByPDB(pods: PodInfo[], pdbs: KObject[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((b) => b.status?.disruptionsAllowed ?? 0);
  const sels = pdbs.map((b) => {
    const s = b.spec?.selector;
    // a nil or empty selector matches nothing
    if (s == null) return undefined;
    const sel = fromLabelSelector(s);
    return sel.length ? sel : undefined;
  });
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const pi of pods) {
    const labels = pi.pod.metadata?.labels;
    let violated = false;
    if (labels && Object.keys(labels).length) {
      pdbs.forEach((b, i) => {
        if (b.metadata?.namespace !== pi.pod.metadata?.namespace || !sels[i] || !matches(sels[i]!, labels)) return;
        if (b.status?.disruptedPods && pi.pod.metadata!.name! in b.status.disruptedPods) return;
        allowed[i]--;
        if (allowed[i] < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(pi);
  }
  return { violating, nonViolating };
}

/**
 * SelectVictimsOnNode: take every lower-priority pod off the node; if the pod fits then, put them
 * back one by one, most important first (budget-protected ones first), keeping back only those
 * without which it no longer fits.
 */
export function selectVictimsOnNode(ctx: CycleContext, profile: Profile, pi: PodInfo, node: NodeInfo, pdbs: KObject[]): { victims: PodInfo[]; numPDBViolations: number } | Status {
  const potential = node.minPriority < pi.priority ? node.pods.filter((p) => p.priority < pi.priority) : [];
  if (potential.length === 0) return unresolvable('DefaultPreemption', NO_VICTIMS);
  const c2 = cloneCycle(ctx);
  const ni = withoutPods(node, new Set(potential));
  for (const v of potential) runRemovePod(c2, profile, pi, v, ni);
  const s = runFiltersWithNominated(c2, profile, pi, ni);
  if (s) return s;
  potential.sort(moreImportant);
  const { violating, nonViolating } = splitByPDB(potential, pdbs);
  const victims: PodInfo[] = [];
  let numPDBViolations = 0;
  const reprieve = (v: PodInfo): boolean => {
    addPod(ni, v);
    runAddPod(c2, profile, pi, v, ni);
    if (!runFiltersWithNominated(c2, profile, pi, ni)) return true;
    subtractPod(ni, v);
    runRemovePod(c2, profile, pi, v, ni);
    victims.push(v);
    return false;
  };
  for (const v of violating) if (!reprieve(v)) numPDBViolations++;
  for (const v of nonViolating) reprieve(v);
  if (violating.length && nonViolating.length) victims.sort(moreImportant);
  return { victims, numPDBViolations };
}

/** calculateNumCandidates: 10% of the nodes, at least 100, at most all */
export function numCandidates(numNodes: number): number {
  const n = Math.max(Math.trunc((numNodes * MIN_CANDIDATE_NODES_PERCENTAGE) / 100), MIN_CANDIDATE_NODES_ABSOLUTE);
  return Math.min(n, numNodes);
}

/**
 * DryRunPreemption over the nodes where preemption might help (those a filter found merely
 * Unschedulable): per node the status it ends with, and the candidates, budget-respecting first.
 */
export function dryRunPreemption(ctx: CycleContext, profile: Profile, pi: PodInfo, statuses: Map<string, Status>): { statuses: Map<string, Status>; candidates: Candidate[] } {
  const out = new Map<string, Status>();
  const good: Candidate[] = [];
  const violating: Candidate[] = [];
  const pdbs = ctx.snapshot.pdbs ?? [];
  const potential: NodeInfo[] = [];
  for (const node of ctx.snapshot.nodes) {
    // nodesWherePreemptionMightHelp: an UnschedulableAndUnresolvable node is not worth a try
    if (statuses.get(node.name)?.code === 'UnschedulableAndUnresolvable') out.set(node.name, unresolvable('DefaultPreemption', PREEMPTION_NOT_HELPFUL));
    else potential.push(node);
  }
  const want = numCandidates(potential.length);
  for (const node of potential) {
    const r = selectVictimsOnNode(ctx, profile, pi, node, pdbs);
    if ('code' in r) {
      out.set(node.name, r);
      continue;
    }
    const c: Candidate = { node: node.name, victims: r.victims.map((v) => v.pod), numPDBViolations: r.numPDBViolations };
    (c.numPDBViolations === 0 ? good : violating).push(c);
    if (good.length > 0 && good.length + violating.length >= want) break;
  }
  return { statuses: out, candidates: [...good, ...violating] };
}

/**
 * pickOneNodeForPreemption: fewest budget violations, then the lowest highest-priority victim,
 * then the smallest sum of priorities, then the fewest victims, then the latest start among the
 * highest-priority victims; then the first.
 */
export function selectCandidate(candidates: Candidate[]): Candidate | undefined {
  const prio = (p: KObject) => p.spec?.priority ?? 0;
  const scoreFuncs: ((c: Candidate) => number)[] = [
    (c) => -c.numPDBViolations,
    (c) => -prio(c.victims[0]),
    // +2^31 per victim: negative priorities must not make more victims look cheaper
    (c) => -c.victims.reduce((sum, p) => sum + prio(p) + 2 ** 31, 0),
    (c) => -c.victims.length,
    (c) => {
      // GetEarliestPodStartTime: the earliest start among the highest-priority victims
      const top = prio(c.victims[0]);
      let earliest = Infinity;
      for (const v of c.victims) if (prio(v) === top) earliest = Math.min(earliest, startTime(v));
      return earliest === Infinity ? Number.MAX_SAFE_INTEGER : earliest;
    },
  ];
  let pool = candidates;
  for (const f of scoreFuncs) {
    if (pool.length <= 1) break;
    let best = -Infinity;
    let next: Candidate[] = [];
    for (const c of pool) {
      const s = f(c);
      if (s > best) {
        best = s;
        next = [c];
      } else if (s === best) next.push(c);
    }
    pool = next;
  }
  return pool[0];
}

/** PodEligibleToPreemptOthers: the reason a pod may not preempt, or undefined */
export function notEligible(pi: PodInfo, ctx: CycleContext, statuses: Map<string, Status>): string | undefined {
  const pod = pi.pod;
  if (pod.spec?.preemptionPolicy === 'Never') return NOT_ELIGIBLE_NEVER;
  const nom: string | undefined = pod.status?.nominatedNodeName;
  if (nom) {
    // the nominated node cannot take it any more: preempting again elsewhere is allowed
    if (statuses.get(nom)?.code === 'UnschedulableAndUnresolvable') return undefined;
    const ni = ctx.snapshot.byName.get(nom);
    if (ni?.pods.some((p) => p.priority < pi.priority && terminatingByPreemption(p.pod))) return NOT_ELIGIBLE_TERMINATING;
  }
  return undefined;
}

export function defaultPreemption(profile: Profile): PostFilter {
  return (ctx, pi, statuses): PostFilterResult => {
    const why = notEligible(pi, ctx, statuses);
    if (why) return { message: `preemption: ${why}` };
    const dry = dryRunPreemption(ctx, profile, pi, statuses);
    if (dry.candidates.length === 0) {
      return { message: `preemption: ${fitErrorMessage(ctx.snapshot.nodes.length, dry.statuses.values())}`, clearNomination: true };
    }
    // A successful PostFilter adds nothing to the message; it nominates a node for the pod.
    const best = selectCandidate(dry.candidates)!;
    return { message: '', nominatedNode: best.node, victims: best.victims };
  };
}
