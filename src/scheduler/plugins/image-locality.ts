// ImageLocality: prefers nodes that already hold the pod's images (node.status.images), weighting
// each image's size by how widely it is spread, so one node does not attract every pod of an image.
import type { KObject } from '../../apiserver/types.js';
import { MAX_NODE_SCORE, type Plugin } from '../types.js';

const MB = 1024 * 1024;
const MIN_THRESHOLD = 23 * MB;
const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** normalizedImageName: a reference with neither tag nor digest means :latest */
export function normalizedImageName(name: string): string {
  const lastSlash = name.lastIndexOf('/');
  const lastPart = name.slice(lastSlash + 1);
  if (!lastPart.includes(':') && !name.includes('@')) return `${name}:latest`;
  return name;
}

/** image name → {size, numNodes} over all nodes (every name a node lists for an image counts) */
export function imageStates(nodes: KObject[]): Map<string, { size: number; numNodes: number }> {
  const out = new Map<string, { size: number; numNodes: number }>();
  for (const n of nodes) {
    for (const img of n.status?.images ?? []) {
      for (const name of img.names ?? []) {
        const s = out.get(name);
        if (s) s.numNodes++;
        else out.set(name, { size: img.sizeBytes ?? 0, numNodes: 1 });
      }
    }
  }
  return out;
}

export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  const s = Math.min(Math.max(sumScores, MIN_THRESHOLD), maxThreshold);
  return Math.floor((MAX_NODE_SCORE * (s - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

const namesOnNode = new WeakMap<KObject, Set<string>>();
function imagesOn(node: KObject): Set<string> {
  let names = namesOnNode.get(node);
  if (!names) {
    names = new Set();
    for (const img of node.status?.images ?? []) for (const n of img.names ?? []) names.add(n);
    namesOnNode.set(node, names);
  }
  return names;
}

export const imageLocality: Plugin = {
  name: 'ImageLocality',
  score(ctx, pi, node) {
    const onNode = imagesOn(node.node);
    if (onNode.size === 0) return 0;
    const spec = pi.pod.spec ?? {};
    const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
    const states = ctx.snapshot.images();
    const total = ctx.snapshot.nodes.length;
    let sum = 0;
    for (const c of containers) {
      const name = normalizedImageName(c.image ?? '');
      const st = onNode.has(name) ? states.get(name) : undefined;
      if (st) sum += Math.trunc(st.size * (st.numNodes / total));
    }
    return calculatePriority(sum, containers.length);
  },
};
