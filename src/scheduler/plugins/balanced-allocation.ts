// NodeResourcesBalancedAllocation: prefers the node where, with the pod, the CPU and memory
// fractions in use are closest to each other: score = (1 - std) * 100, std of the two fractions
// being |a - b| / 2. In 1.32 it counts the actual requests (not the non-zero defaults).
import { MAX_NODE_SCORE, type NodeInfo, type PodInfo, type Plugin } from '../types.js';

export function balancedScore(requested: number[], allocatable: number[]): number {
  const fractions: number[] = [];
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    fractions.push(Math.min(requested[i] / allocatable[i], 1));
  }
  let std = 0;
  if (fractions.length === 2) std = Math.abs((fractions[0] - fractions[1]) / 2);
  else if (fractions.length > 2) {
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    std = Math.sqrt(fractions.reduce((s, f) => s + (f - mean) * (f - mean), 0) / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export function balancedAllocationScore(pi: PodInfo, node: NodeInfo): number {
  return balancedScore(
    [node.requested.milliCPU + pi.requests.milliCPU, node.requested.memory + pi.requests.memory],
    [node.allocatable.milliCPU, node.allocatable.memory],
  );
}

export const balancedAllocation: Plugin = {
  name: 'NodeResourcesBalancedAllocation',
  score(_ctx, pi, node) {
    return balancedAllocationScore(pi, node);
  },
};
