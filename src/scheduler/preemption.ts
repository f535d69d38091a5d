// DefaultPreemption's PostFilter, as far as the FailedScheduling message needs it: which nodes
// preemption could help on, and on which of them removing every lower-priority pod would make
// room. Evicting the victims is the next step (a hook: `candidates` names them); until then a pod
// with candidates simply waits, as a preemptor waits for its victims to go.
import type { KObject } from '../apiserver/types.js';
import { fitErrorMessage, runFilters, type PostFilter, type PostFilterResult } from './framework.js';
import { withoutPods } from './resources.js';
import type { CycleContext, NodeInfo, PodInfo, Profile, Status } from './types.js';
import { unresolvable } from './types.js';

export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_VICTIMS = 'No preemption victims found for incoming pod';

export interface Candidate {
  node: string;
  victims: KObject[];
}

/** The dry run: per node, the status preemption would end with, and the nodes where it would work. */
export function dryRunPreemption(ctx: CycleContext, profile: Profile, pi: PodInfo, statuses: Map<string, Status>): { statuses: Map<string, Status>; candidates: Candidate[] } {
  const out = new Map<string, Status>();
  const candidates: Candidate[] = [];
  for (const node of ctx.snapshot.nodes) {
    const s = statuses.get(node.name);
    // nodesWherePreemptionMightHelp: only an Unschedulable (resolvable) node is worth a try
    if (s?.code === 'UnschedulableAndUnresolvable') {
      out.set(node.name, unresolvable('DefaultPreemption', PREEMPTION_NOT_HELPFUL));
      continue;
    }
    // all pods here at the pod's priority or above: nothing to look through (the common case)
    const victims = node.minPriority < pi.priority ? node.pods.filter((p) => p.priority < pi.priority) : [];
    if (victims.length === 0) {
      out.set(node.name, unresolvable('DefaultPreemption', NO_VICTIMS));
      continue;
    }
    const emptied: NodeInfo = withoutPods(node, new Set(victims));
    const after = runFilters(ctx, profile, pi, emptied);
    if (after) out.set(node.name, after);
    else candidates.push({ node: node.name, victims: victims.map((v) => v.pod) });
  }
  return { statuses: out, candidates };
}

export function defaultPreemption(profile: Profile): PostFilter {
  return (ctx, pi, statuses): PostFilterResult => {
    if (pi.pod.spec?.preemptionPolicy === 'Never') return { message: 'preemption: not eligible due to preemptionPolicy=Never.' };
    const dry = dryRunPreemption(ctx, profile, pi, statuses);
    if (dry.candidates.length === 0) {
      return { message: `preemption: ${fitErrorMessage(ctx.snapshot.nodes.length, dry.statuses.values())}` };
    }
    // A successful PostFilter adds nothing to the message; it nominates a node for the pod.
    // HOOK (next issue): pick the best candidate as SelectCandidate does and evict its victims.
    const best = dry.candidates[0];
    return { message: '', nominatedNode: best.node, victims: best.victims };
  };
}
