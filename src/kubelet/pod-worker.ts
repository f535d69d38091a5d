// One pod's worker, as kubelet's pod workers and SyncPod run it: sandbox and IP first, then each
// init container in order to completion, then the app containers one after another (pull, create,
// start), and on deletion the containers are stopped (SIGTERM, SIGKILL at the end of the grace
// period) before the kubelet removes the pod. The record of what happened is the node's container
// runtime state, kept with the cluster; every step happens at its own virtual time (wakeAt).
import type { KObject } from '../apiserver/types.js';
import type { ComponentClient } from '../controllers/component.js';
import { imageID, lookupImage } from './catalogue.js';
import { allocate, release, type IpamState } from './cni/ipam.js';
import { finishPull, goDuration, pullDecision, schedulePull, type PullerState } from './images.js';
import { behaviourOf, newContainerID, sandboxDelayMs, sigtermStopMs, startDelayMs } from './runtime.js';
import { computePodStatus, isReady, podPhase } from './status.js';

export interface ContainerRec {
  name: string;
  init: boolean;
  /** an init container with restartPolicy Always (a sidecar): it keeps running */
  sidecar?: boolean;
  stage: 'waiting' | 'pulling' | 'starting' | 'running' | 'terminated';
  waitReason?: string;
  waitMessage?: string;
  pullRequested?: number;
  pullStart?: number;
  pullEnd?: number;
  startAt?: number;
  id?: string;
  imageID?: string;
  startedAt?: number;
  readyAt?: number;
  readyReported?: boolean;
  exitAt?: number;
  stopAt?: number;
  /** still running when the grace period ends: killed */
  sigkill?: boolean;
  finishedAt?: number;
  exitCode?: number;
  reason?: string;
}

export interface PodRec {
  key: string;
  uid: string;
  namespace: string;
  name: string;
  seenAt: number;
  sandboxAt: number;
  sandboxReady: boolean;
  ip?: string;
  cs: ContainerRec[];
  /** when the kubelet began stopping the pod (deletionTimestamp seen) */
  killAt?: number;
  /** when the last container is down and the pod can be removed */
  killDoneAt?: number;
  /** condition type → [status, since] */
  tr: Record<string, [string, number]>;
  /** status changed since last written */
  dirty: boolean;
  /** the next time something is due */
  next?: number;
}

/** What a pod worker needs from its node's kubelet. */
export interface NodeContext {
  c: ComponentClient;
  node: string;
  hostIP: string;
  podCIDR?: string;
  ipam: IpamState;
  puller: PullerState;
  /** set when the node's image cache changed (node status to update) */
  imagesChanged: boolean;
}

export function podKey(pod: KObject): string {
  const mirror = pod.metadata?.annotations?.['kubernetes.io/config.mirror'];
  return mirror ? `static/${pod.metadata!.namespace}/${pod.metadata!.name}` : pod.metadata!.uid!;
}

export function newPodRec(pod: KObject, now: number, sandboxAt: number): PodRec {
  const spec = pod.spec ?? {};
  const cs: ContainerRec[] = [
    ...(spec.initContainers ?? []).map((c: any) => ({ name: c.name, init: true, ...(c.restartPolicy === 'Always' ? { sidecar: true } : {}), stage: 'waiting' as const })),
    ...(spec.containers ?? []).map((c: any) => ({ name: c.name, init: false, stage: 'waiting' as const })),
  ];
  return {
    key: podKey(pod), uid: pod.metadata!.uid!, namespace: pod.metadata!.namespace!, name: pod.metadata!.name!,
    seenAt: now, sandboxAt, sandboxReady: false, cs, tr: {}, dirty: true,
  };
}

const fieldPath = (c: ContainerRec) => (c.init ? `spec.initContainers{${c.name}}` : `spec.containers{${c.name}}`);

function specOf(pod: KObject, c: ContainerRec): any {
  const list = c.init ? pod.spec?.initContainers : pod.spec?.containers;
  return (list ?? []).find((s: any) => s.name === c.name) ?? { name: c.name, image: 'unknown' };
}

/** The container whose turn it is to be pulled and started, if any. */
function currentContainer(rec: PodRec): ContainerRec | undefined {
  for (const c of rec.cs) {
    if (c.init) {
      if (c.stage === 'terminated' && (c.exitCode ?? 0) === 0) continue;
      if (c.sidecar && c.stage === 'running') continue;
      return c.stage === 'terminated' ? undefined : c;
    }
    if (c.stage === 'running' || c.stage === 'terminated') continue;
    return c;
  }
  return undefined;
}

/**
 * Runs the pod's steps that are due at now; returns true when it wrote anything. Writes go
 * through the node's identity: events, pods/status, and the final delete.
 */
export async function syncPod(ctx: NodeContext, pod: KObject, rec: PodRec, now: number): Promise<boolean> {
  const { c } = ctx;
  let wrote = false;
  const ev = async (cr: ContainerRec | undefined, type: 'Normal' | 'Warning', reason: string, message: string) => {
    await c.event(pod, type, reason, message, { component: 'kubelet', host: ctx.node, fieldPath: cr ? fieldPath(cr) : undefined });
    wrote = true;
  };
  const podRef = `pod/${rec.namespace}/${rec.name}`;

  if (pod.metadata?.deletionTimestamp && rec.killAt === undefined) {
    rec.killAt = now;
    const grace = (pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
    let doneAt = now + 50 + c.rng.intn(200);
    for (const cr of rec.cs) {
      if (cr.stage !== 'running') {
        // nothing runs yet: the pull or start in progress is abandoned
        if (cr.stage !== 'terminated') cr.stage = 'waiting';
        continue;
      }
      await ev(cr, 'Normal', 'Killing', `Stopping container ${cr.name}`);
      const b = behaviourOf(specOf(pod, cr));
      cr.stopAt = b.sigterm ? now + sigtermStopMs(c.rng) : now + grace;
      cr.sigkill = !b.sigterm;
      if (cr.exitAt !== undefined && cr.exitAt < cr.stopAt) {
        cr.stopAt = cr.exitAt;
        cr.sigkill = false;
      }
      doneAt = Math.max(doneAt, cr.stopAt);
    }
    rec.killDoneAt = doneAt;
    c.trace('kill', podRef, `stopping ${rec.cs.filter((x) => x.stopAt !== undefined).length} container(s), grace ${grace / 1000}s`);
    rec.dirty = true;
  }

  if (rec.killAt !== undefined) {
    for (const cr of rec.cs) {
      if (cr.stage === 'running' && cr.stopAt !== undefined && cr.stopAt <= now) {
        // SIGKILL at the end of the grace period: 128+9
        terminate(cr, cr.stopAt, cr.sigkill ? 137 : 0, cr.sigkill ? 'Error' : 'Completed');
        rec.dirty = true;
      }
    }
    if (now >= rec.killDoneAt!) {
      if (rec.ip && release(ctx.ipam, rec.key)) c.touch();
      if (rec.dirty) await writeStatus(ctx, pod, rec, now);
      await c.write({ verb: 'delete', resource: 'pods', namespace: rec.namespace, name: rec.name, gracePeriodSeconds: 0 });
      c.trace('delete', podRef, 'all containers stopped; removing the pod');
      rec.next = undefined;
      return true;
    }
    rec.next = Math.min(rec.killDoneAt!, ...rec.cs.filter((x) => x.stage === 'running' && x.stopAt !== undefined).map((x) => x.stopAt!));
    if (rec.dirty) wrote = (await writeStatus(ctx, pod, rec, now)) || wrote;
    return wrote;
  }

  let progressed = true;
  rec.next = undefined;
  const due = (t: number) => {
    if (t <= now) return true;
    rec.next = Math.min(rec.next ?? Infinity, t);
    return false;
  };
  while (progressed) {
    progressed = false;
    if (!rec.sandboxReady) {
      if (!due(rec.sandboxAt)) break;
      if (pod.spec?.hostNetwork) rec.ip = ctx.hostIP;
      else {
        // Without the node's podCIDR the CNI plugin has no range: the sandbox waits (NetworkNotReady).
        if (!ctx.podCIDR) break;
        rec.ip = allocate(ctx.ipam, ctx.podCIDR, rec.key);
        if (!rec.ip) break;
      }
      rec.sandboxReady = true;
      rec.dirty = true;
      progressed = true;
      c.trace('sandbox', podRef, `pod sandbox created; IP ${rec.ip}${pod.spec?.hostNetwork ? ' (host network)' : ` from ${ctx.podCIDR}`}`);
    }
    // containers that end on their own
    for (const cr of rec.cs) {
      if (cr.stage === 'running' && cr.exitAt !== undefined && due(cr.exitAt)) {
        const b = behaviourOf(specOf(pod, cr));
        terminate(cr, cr.exitAt, b.exitCode, b.exitCode === 0 ? 'Completed' : 'Error');
        rec.dirty = true;
        progressed = true;
        // Restarting by restartPolicy (and CrashLoopBackOff) is the next step of the kubelet's story.
      }
      if (cr.stage === 'running' && !cr.readyReported && cr.readyAt !== undefined && due(cr.readyAt)) {
        cr.readyReported = true;
        rec.dirty = true;
      }
    }
    const cur = currentContainer(rec);
    if (!cur) break;
    const spec = specOf(pod, cur);
    if (cur.stage === 'waiting') {
      if (cur.waitReason === 'ErrImageNeverPull') break;
      const decision = pullDecision(ctx.puller, spec);
      if (decision === 'present') {
        await ev(cur, 'Normal', 'Pulled', `Container image "${spec.image}" already present on machine`);
        cur.stage = 'starting';
        cur.startAt = now + startDelayMs(c.rng);
      } else if (decision === 'never') {
        cur.waitReason = 'ErrImageNeverPull';
        cur.waitMessage = `Container image "${spec.image}" is not present with pull policy of Never`;
        await ev(cur, 'Warning', 'ErrImageNeverPull', cur.waitMessage);
        rec.dirty = true;
        break;
      } else {
        await ev(cur, 'Normal', 'Pulling', `Pulling image "${spec.image}"`);
        const plan = schedulePull(ctx.puller, spec.image, now, c.rng);
        Object.assign(cur, { stage: 'pulling', pullRequested: now, pullStart: plan.start, pullEnd: plan.end });
        c.trace('pull', podRef, `pulling ${lookupImage(spec.image).name} (${lookupImage(spec.image).size} bytes), done at +${goDuration(plan.end - now)}`);
      }
      progressed = true;
      continue;
    }
    if (cur.stage === 'pulling') {
      if (!due(cur.pullEnd!)) break;
      if (finishPull(ctx.puller, spec.image, now)) ctx.imagesChanged = true;
      const info = lookupImage(spec.image);
      await ev(cur, 'Normal', 'Pulled',
        `Successfully pulled image "${spec.image}" in ${goDuration(cur.pullEnd! - cur.pullStart!)} (${goDuration(cur.pullEnd! - cur.pullRequested!)} including waiting). Image size: ${info.size} bytes.`);
      cur.stage = 'starting';
      cur.startAt = now + startDelayMs(c.rng);
      progressed = true;
      continue;
    }
    if (cur.stage === 'starting') {
      if (!due(cur.startAt!)) break;
      const info = lookupImage(spec.image);
      cur.id = newContainerID(c.rng);
      cur.imageID = imageID(info);
      await ev(cur, 'Normal', 'Created', `Created container ${cur.name}`);
      await ev(cur, 'Normal', 'Started', `Started container ${cur.name}`);
      cur.stage = 'running';
      cur.startedAt = now;
      cur.waitReason = undefined;
      const b = behaviourOf(spec);
      if (b.exitsAfterMs !== undefined && !cur.sidecar) cur.exitAt = now + b.exitsAfterMs;
      cur.readyAt = now + readinessDelayMs(spec);
      cur.readyReported = cur.readyAt <= now;
      c.trace('start', podRef, `container ${cur.name} started (containerd://${cur.id.slice(0, 13)})`);
      rec.dirty = true;
      progressed = true;
    }
  }
  // A pod that has finished (Succeeded/Failed) gives its sandbox, and its IP, back.
  if (rec.ip && !pod.spec?.hostNetwork && isTerminal(pod, rec) && release(ctx.ipam, rec.key)) c.touch();
  if (rec.dirty) wrote = (await writeStatus(ctx, pod, rec, now)) || wrote;
  return wrote;
}

function readinessDelayMs(spec: any): number {
  const probe = spec.readinessProbe ?? spec.startupProbe;
  return probe ? (probe.initialDelaySeconds ?? 0) * 1000 + 100 : 0;
}

function terminate(cr: ContainerRec, at: number, code: number, reason: string): void {
  cr.stage = 'terminated';
  cr.finishedAt = at;
  cr.exitCode = code;
  cr.reason = reason;
  cr.exitAt = undefined;
  cr.stopAt = undefined;
  cr.sigkill = undefined;
}

export function isTerminal(pod: KObject, rec: PodRec): boolean {
  const phase = podPhase(pod, rec);
  return phase === 'Succeeded' || phase === 'Failed';
}

/** pods/status, with the kubelet's field manager; true when the apiserver stored a change. */
async function writeStatus(ctx: NodeContext, pod: KObject, rec: PodRec, now: number): Promise<boolean> {
  const status = computePodStatus(pod, rec, ctx.hostIP, now);
  rec.dirty = false;
  ctx.c.touch();
  if (JSON.stringify(status) === JSON.stringify(pod.status)) return false;
  const res = await ctx.c.write({
    verb: 'update', resource: 'pods', namespace: rec.namespace, name: rec.name, subresource: 'status', fieldManager: 'kubelet',
    body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: rec.name, namespace: rec.namespace }, status },
  });
  return res !== undefined;
}

export { isReady };
