// NodeResourcesFit: the pod's requests must fit in what the node's allocatable leaves after the
// requests of the pods already there, and the node must have room for one more pod. Every
// shortfall is a reason of its own ("Insufficient cpu", "Insufficient memory", "Too many pods").
// Its Score is the LeastAllocated strategy.
import { type NodeInfo, type PodInfo, type Plugin, unschedulable } from '../types.js';
import { leastAllocatedScore } from './least-allocated.js';

export function insufficientResources(pi: PodInfo, node: NodeInfo): string[] {
  const reasons: string[] = [];
  if (node.pods.length + 1 > node.allowedPods) reasons.push('Too many pods');
  const r = pi.requests;
  const scalar = r.scalar ? Object.entries(r.scalar).filter(([, v]) => v > 0) : [];
  if (r.milliCPU === 0 && r.memory === 0 && r.ephemeralStorage === 0 && scalar.length === 0) return reasons;
  const a = node.allocatable;
  const used = node.requested;
  if (r.milliCPU > 0 && r.milliCPU > a.milliCPU - used.milliCPU) reasons.push('Insufficient cpu');
  if (r.memory > 0 && r.memory > a.memory - used.memory) reasons.push('Insufficient memory');
  if (r.ephemeralStorage > 0 && r.ephemeralStorage > a.ephemeralStorage - used.ephemeralStorage) reasons.push('Insufficient ephemeral-storage');
  for (const [name, v] of scalar) {
    if (v > (a.scalar?.[name] ?? 0) - (used.scalar?.[name] ?? 0)) reasons.push(`Insufficient ${name}`);
  }
  return reasons;
}

export const nodeResourcesFit: Plugin = {
  name: 'NodeResourcesFit',
  filter(_ctx, pi, node) {
    const reasons = insufficientResources(pi, node);
    // 1.32 says Unschedulable even when the node could never hold the pod: preemption is tried
    return reasons.length ? unschedulable('NodeResourcesFit', ...reasons) : undefined;
  },
  score(_ctx, pi, node) {
    return leastAllocatedScore(pi, node);
  },
};
