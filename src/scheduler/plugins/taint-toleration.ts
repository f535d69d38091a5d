// TaintToleration: a node's NoSchedule and NoExecute taints keep out pods that do not tolerate them;
// PreferNoSchedule taints only lower the node's score (the fewer untolerated, the better).
import { defaultNormalizeScore, MAX_NODE_SCORE, type Plugin, unresolvable } from '../types.js';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

/** v1.Toleration.ToleratesTaint */
export function toleratesTaint(t: any, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
    case '':
      return (t.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

export function tolerated(tolerations: any[] | undefined, taint: Taint): boolean {
  return !!tolerations?.some((t) => toleratesTaint(t, taint));
}

export function untoleratedTaintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
}

export const taintToleration: Plugin = {
  name: 'TaintToleration',
  filter(_ctx, pi, node) {
    const tolerations = pi.pod.spec?.tolerations;
    for (const taint of (node.node.spec?.taints ?? []) as Taint[]) {
      if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
      if (!tolerated(tolerations, taint)) return unresolvable('TaintToleration', untoleratedTaintReason(taint));
    }
    return undefined;
  },
  score(ctx, pi, node) {
    const taints = node.node.spec?.taints as Taint[] | undefined;
    if (!taints?.length) return 0;
    // only the pod's tolerations that can apply to PreferNoSchedule count here (PreScore's state)
    let tolerations = ctx.state.get('TaintToleration') as any[] | undefined;
    if (!tolerations) {
      tolerations = (pi.pod.spec?.tolerations ?? []).filter((t: any) => !t.effect || t.effect === 'PreferNoSchedule');
      ctx.state.set('TaintToleration', tolerations);
    }
    let count = 0;
    for (const taint of taints) {
      if (taint.effect === 'PreferNoSchedule' && !tolerated(tolerations, taint)) count++;
    }
    return count;
  },
  normalizeScore(_ctx, _pi, scores) {
    defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
  },
};
