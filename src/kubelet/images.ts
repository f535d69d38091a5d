// The kubelet's image manager and puller: which images a node has (its cache, reported in
// node.status.images), whether a container needs a pull under its imagePullPolicy, and how long a
// pull takes. Pulls on one node are serialized (kubelet's default serializeImagePulls=true), so a
// pull that has to queue reports the wait: "in 1.2s (3.5s including waiting)".
import { formatGoDuration } from '../cluster/go-duration.js';
import type { Rng } from '../cluster/random.js';
import { defaultPullPolicy, imageID, lookupImage, type ImageInfo } from './catalogue.js';

export interface PullerState {
  /** normalised names of the images on the node */
  cached: string[];
  /** when the pull in progress (if any) ends */
  busyUntil: number;
  /** name → when its pull in progress ends */
  inflight: Record<string, number>;
}

export function newPullerState(preloaded: ImageInfo[]): PullerState {
  return { cached: preloaded.map((i) => i.name), busyUntil: 0, inflight: {} };
}

export function hasImage(p: PullerState, image: string): boolean {
  return p.cached.includes(lookupImage(image).name);
}

export type PullDecision = 'present' | 'pull' | 'never';

/** What EnsureImageExists decides for a container. */
export function pullDecision(p: PullerState, container: { image: string; imagePullPolicy?: string }): PullDecision {
  const policy = container.imagePullPolicy ?? defaultPullPolicy(container.image);
  const present = hasImage(p, container.image);
  if (policy === 'Always') return 'pull';
  if (present) return 'present';
  return policy === 'Never' ? 'never' : 'pull';
}

export interface PullPlan {
  /** when the registry transfer starts (after the queue) and ends */
  start: number;
  end: number;
}

/**
 * Queues a pull requested at `now`. Registry bandwidth 20-60 MB/s plus 0.3-1.2 s of round trips;
 * a pull of layers the node already has (a repeat pull, or one queued behind the same image)
 * only resolves the manifest.
 */
export function schedulePull(p: PullerState, image: string, now: number, rng: Rng): PullPlan {
  const info = lookupImage(image);
  const start = Math.max(now, p.busyUntil);
  const layersThere = p.cached.includes(info.name) || (p.inflight[info.name] ?? 0) > now;
  const bandwidth = 20 + rng.intn(41); // MB/s
  const ms = layersThere ? 150 + rng.intn(500) : Math.round(info.size / (bandwidth * 1000)) + 300 + rng.intn(900);
  const end = start + ms;
  p.busyUntil = end;
  p.inflight[info.name] = end;
  return { start, end };
}

/** Records a finished pull in the node's cache; true when the cache changed. */
export function finishPull(p: PullerState, image: string, now: number): boolean {
  const info = lookupImage(image);
  for (const [name, end] of Object.entries(p.inflight)) if (end <= now) delete p.inflight[name];
  if (p.cached.includes(info.name)) return false;
  p.cached.push(info.name);
  return true;
}

/** node.status.images: the 50 largest, each with its digest name and tag name, as kubelet reports. */
export function nodeImages(p: PullerState): { names: string[]; sizeBytes: number }[] {
  const byDigest = new Map<string, { names: string[]; sizeBytes: number }>();
  for (const name of p.cached) {
    const info = lookupImage(name);
    const id = imageID(info);
    const e = byDigest.get(id) ?? { names: [id], sizeBytes: info.size };
    e.names.push(info.name);
    byDigest.set(id, e);
  }
  return [...byDigest.values()].sort((a, b) => b.sizeBytes - a.sizeBytes || a.names[0].localeCompare(b.names[0])).slice(0, 50);
}

/** Go's time.Duration.String() of a duration truncated to the millisecond, as the Pulled event prints it. */
export function goDuration(ms: number): string {
  return formatGoDuration(Math.max(0, ms));
}
