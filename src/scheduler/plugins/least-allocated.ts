// NodeResourcesFit's default scoring strategy, LeastAllocated: the more of a node's allocatable
// CPU and memory stays free once the pod is there, the higher the score (cpu and memory weigh 1
// each). It counts non-zero requests, so pods without requests still spread out.
import { MAX_NODE_SCORE, type NodeInfo, type PodInfo } from '../types.js';

/** leastRequestedScore: ((capacity - requested) * 100) / capacity, in integers */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

export function leastAllocatedScore(pi: PodInfo, node: NodeInfo): number {
  const cpu = leastRequestedScore(node.nonZeroRequested.milliCPU + pi.nonZero.milliCPU, node.allocatable.milliCPU);
  const mem = leastRequestedScore(node.nonZeroRequested.memory + pi.nonZero.memory, node.allocatable.memory);
  return Math.floor((cpu + mem) / 2);
}
