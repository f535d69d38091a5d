// One pod's worker, as kubelet's pod workers and SyncPod run it: sandbox and IP first, then each
// init container in order to completion, then the app containers one after another (pull, create,
// start), and on deletion the containers are stopped (SIGTERM, SIGKILL at the end of the grace
// period) before the kubelet removes the pod. The record of what happened is the node's container
// runtime state, kept with the cluster; every step happens at its own virtual time (wakeAt).
import type { KObject } from '../apiserver/types.js';
import type { ComponentClient } from '../controllers/component.js';
import { imageID, lookupImage, pullError, referenceError, sha256Hex } from './catalogue.js';
import { allocate, release, type IpamState } from './cni/ipam.js';
import { finishPull, goDuration, pullDecision, schedulePull, type PullerState } from './images.js';
import { newContainerID, sigtermStopMs, startDelayMs } from './runtime.js';
import { fileAt, fileChanges, memoryUseBytes, processModel } from './process.js';
import { advanceProbes, newProbeState, type ProbeState } from './probes/index.js';
import { parseQuantity, value } from '../apiserver/quantity.js';
import { computePodStatus, isReady, podPhase } from './status.js';
import { runAtStart, runsToAnEnd, usesNetwork, type NetRun } from './net/container.js';
import { loadNetWorld } from './net/world.js';
import { containerEnv } from './logs.js';

/** one ended instance of a container, as lastState / state.terminated report it */
export interface Termination {
  exitCode: number;
  reason: string;
  startedAt: number;
  finishedAt: number;
  id: string;
}

/** a flowcontrol.Backoff entry: the current delay and when it was last moved on */
export interface BackoffEntry {
  ms: number;
  lastUpdate: number;
}

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
  /** the pull under way will fail with this error (the registry refuses it) */
  pullFail?: string;
  startAt?: number;
  id?: string;
  imageID?: string;
  startedAt?: number;
  /** without probes: when the container counts as ready */
  readyAt?: number;
  readyReported?: boolean;
  /** with probes: what the prober says */
  probe?: ProbeState;
  probeReady?: boolean;
  probeStarted?: boolean;
  exitAt?: number;
  /** the instance running now will be killed by the kernel for exceeding its memory limit */
  oom?: boolean;
  stopAt?: number;
  /** still running when the grace period ends: killed */
  sigkill?: boolean;
  /** the latest instance's end (state.terminated, or lastState once the next instance runs) */
  term?: Termination;
  /** the instance before the latest one (lastState while the latest is running or just ended) */
  last?: Termination;
  restartCount?: number;
  /** after an exit: when the kubelet acts on it (restart or not) */
  decideAt?: number;
  /** waiting: not before this time (crash loop or image pull back-off) */
  retryAt?: number;
  /** in a back-off: the pod worker's next re-sync, which says so again (BackOff events) */
  resyncAt?: number;
  crashBackoff?: BackoffEntry;
  pullBackoff?: BackoffEntry;
  /** a network command run at this instance's start: its exit and log lines (src/kubelet/net/container.ts) */
  net?: NetRun;
  /** the previous instance's (for `logs -p`) */
  lastNet?: NetRun;
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
  /** volumes that cannot be set up yet (a missing Secret or ConfigMap): the volume manager's retries */
  mount?: { since: number; failures: number; retryAt: number; timeoutAt: number };
  /** the next time only housekeeping is due (a failing probe's next report): real time must pass */
  nextBg?: number;
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
  /** the network as it is now, read once per reconcile when a network command starts */
  world?: ReturnType<typeof loadNetWorld>;
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

/** kubelet's backoff: 10 s doubling to 5 min (MaxContainerBackOff), forgotten after twice that */
const BACKOFF_INITIAL_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;
/** PLEG relists every second: the kubelet acts on an exited container that much later */
const PLEG_MS = 1_000;

/** flowcontrol.Backoff.Next: the first delay, or twice the last (at most 5 min); reset once stable */
function nextBackoff(e: BackoffEntry | undefined, eventTime: number, now: number): BackoffEntry {
  const expired = !e || eventTime - e.lastUpdate > 2 * BACKOFF_MAX_MS;
  return { ms: expired ? BACKOFF_INITIAL_MS : Math.min(e!.ms * 2, BACKOFF_MAX_MS), lastUpdate: now };
}

/** format.Pod: name_namespace(uid) */
const formatPod = (pod: KObject) => `${pod.metadata!.name}_${pod.metadata!.namespace}(${pod.metadata!.uid})`;

/** Whether the kubelet starts this container again after it ended (restartPolicy, sidecars). */
function restarts(pod: KObject, cr: ContainerRec): boolean {
  if (cr.sidecar) return true;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  const failed = (cr.term?.exitCode ?? 0) !== 0;
  // an init container that succeeded is done; one that failed is retried unless Never
  if (cr.init) return failed && policy !== 'Never';
  return policy === 'Always' || (policy === 'OnFailure' && failed);
}

/** An init container that is done: it succeeded, or (a sidecar) it runs. */
function initDone(cr: ContainerRec): boolean {
  if (cr.sidecar) return cr.stage === 'running';
  return cr.stage === 'terminated' && cr.term?.exitCode === 0;
}

/**
 * The containers whose turn it is: the first init container that is not done (init containers run
 * one at a time, in order), or once they all are, every app container.
 */
function containersInTurn(rec: PodRec): ContainerRec[] {
  for (const c of rec.cs) {
    if (!c.init) break;
    if (initDone(c)) continue;
    return [c];
  }
  return rec.cs.filter((c) => !c.init || c.sidecar);
}

function hasProbes(spec: any): boolean {
  return !!(spec.livenessProbe || spec.readinessProbe || spec.startupProbe);
}

/** the memory limit (bytes) of a container, if it has one */
function memoryLimit(spec: any): number | undefined {
  const q = spec.resources?.limits?.memory;
  return q === undefined ? undefined : value(parseQuantity(String(q)));
}

/** the pod's imagePullSecrets that name no Secret (the kubelet warns, then pulls without them) */
async function missingPullSecrets(ctx: NodeContext, pod: KObject): Promise<string[]> {
  const out: string[] = [];
  for (const ref of pod.spec?.imagePullSecrets ?? []) {
    if (ref?.name && !(await ctx.c.get('secrets', pod.metadata!.namespace, ref.name))) out.push(ref.name);
  }
  return out;
}

/**
 * generateContainerConfig's complaint, if any: an environment variable or envFrom naming a Secret
 * or ConfigMap (or a key in one) that is not there, and not marked optional.
 */
async function containerConfigError(ctx: NodeContext, pod: KObject, spec: any): Promise<string | undefined> {
  const ns = pod.metadata!.namespace!;
  const lookup = async (kind: 'Secret' | 'ConfigMap', name: string, key: string | undefined, optional: boolean): Promise<string | undefined> => {
    const obj = await ctx.c.get(kind === 'Secret' ? 'secrets' : 'configmaps', ns, name);
    if (!obj) return optional ? undefined : `${kind.toLowerCase()} "${name}" not found`;
    if (key === undefined) return undefined;
    const has = (obj.data && key in obj.data) || (obj.stringData && key in obj.stringData) || (kind === 'ConfigMap' && obj.binaryData && key in obj.binaryData);
    return has || optional ? undefined : `couldn't find key ${key} in ${kind} ${ns}/${name}`;
  };
  for (const from of spec.envFrom ?? []) {
    const err = from.configMapRef ? await lookup('ConfigMap', from.configMapRef.name, undefined, !!from.configMapRef.optional)
      : from.secretRef ? await lookup('Secret', from.secretRef.name, undefined, !!from.secretRef.optional) : undefined;
    if (err) return err;
  }
  for (const e of spec.env ?? []) {
    const v = e?.valueFrom;
    const err = v?.secretKeyRef ? await lookup('Secret', v.secretKeyRef.name, v.secretKeyRef.key, !!v.secretKeyRef.optional)
      : v?.configMapKeyRef ? await lookup('ConfigMap', v.configMapKeyRef.name, v.configMapKeyRef.key, !!v.configMapKeyRef.optional) : undefined;
    if (err) return err;
  }
  return undefined;
}

/** The pod's Secret and ConfigMap volumes (and projected sources) whose object is missing, with the plugin's error. */
async function unmountable(ctx: NodeContext, pod: KObject): Promise<[string, string][]> {
  const ns = pod.metadata!.namespace!;
  const out: [string, string][] = [];
  const missing = async (kind: 'secret' | 'configmap', name: string | undefined, optional: boolean) =>
    !optional && !!name && !(await ctx.c.get(kind === 'secret' ? 'secrets' : 'configmaps', ns, name));
  for (const v of pod.spec?.volumes ?? []) {
    if (v.secret && (await missing('secret', v.secret.secretName, !!v.secret.optional))) out.push([v.name, `secret "${v.secret.secretName}" not found`]);
    else if (v.configMap && (await missing('configmap', v.configMap.name, !!v.configMap.optional))) out.push([v.name, `configmap "${v.configMap.name}" not found`]);
    else if (v.projected) {
      for (const src of v.projected.sources ?? []) {
        if (src.secret && (await missing('secret', src.secret.name, !!src.secret.optional))) out.push([v.name, `secret "${src.secret.name}" not found`]);
        else if (src.configMap && (await missing('configmap', src.configMap.name, !!src.configMap.optional))) out.push([v.name, `configmap "${src.configMap.name}" not found`]);
        else continue;
        break;
      }
    }
  }
  return out;
}

/** the volume manager's retry back-off for a failed mount: 500 ms doubling to 2m2s */
const MOUNT_BACKOFF_MS = [500, 122_000] as const;
/** WaitForAttachAndMount gives up on a pod's sync after 2m3s (and the next sync waits again) */
const MOUNT_TIMEOUT_MS = 123_000;

/**
 * Whether the pod's volumes are all set up. A Secret or ConfigMap volume whose object is missing
 * fails (FailedMount "MountVolume.SetUp failed ..."), retried with the volume manager's back-off;
 * each 2m3s the pod sync gives up waiting ("Unable to attach or mount volumes ..."). The pod stays
 * ContainerCreating until the object exists. Retries are housekeeping: nothing fixes itself.
 */
async function mountVolumes(ctx: NodeContext, pod: KObject, rec: PodRec, now: number,
  ev: (cr: ContainerRec | undefined, type: 'Normal' | 'Warning', reason: string, message: string) => Promise<void>,
  later: (t: number) => void): Promise<boolean> {
  const m = rec.mount;
  if (m && now < m.retryAt && now < m.timeoutAt) {
    later(Math.min(m.retryAt, m.timeoutAt));
    return false;
  }
  const failed = await unmountable(ctx, pod);
  if (!failed.length) {
    rec.mount = undefined;
    return true;
  }
  const st = (rec.mount ??= { since: now, failures: 0, retryAt: now, timeoutAt: now + MOUNT_TIMEOUT_MS });
  if (now >= st.retryAt) {
    for (const [name, err] of failed) await ev(undefined, 'Warning', 'FailedMount', `MountVolume.SetUp failed for volume "${name}" : ${err}`);
    st.retryAt = now + Math.min(MOUNT_BACKOFF_MS[0] * 2 ** st.failures, MOUNT_BACKOFF_MS[1]);
    st.failures++;
  }
  if (now >= st.timeoutAt) {
    const names = [...new Set(failed.map(([n]) => n))].sort();
    await ev(undefined, 'Warning', 'FailedMount', `Unable to attach or mount volumes: unmounted volumes=[${names.join(' ')}], unattached volumes=[], failed to process volumes=[]: timed out waiting for the condition`);
    st.timeoutAt = now + MOUNT_TIMEOUT_MS;
  }
  ctx.c.touch();
  later(Math.min(st.retryAt, st.timeoutAt));
  return false;
}

/**
 * The pod worker's back-off before it syncs a pod whose last sync failed: 10 s plus up to 50%
 * jitter, drawn from the pod and the moment (not the cluster's generator, whose sequence would
 * shift every name and timing after it).
 */
function workerResyncMs(pod: KObject, container: string, now: number): number {
  return 10_000 + (Number.parseInt(sha256Hex(`${pod.metadata!.uid}/${container}/${now}`).slice(0, 8), 16) % 5_000);
}

/** whether one of the pod's imagePullSecrets names a Secret that exists (the kubelet's keyring) */
async function hasPullCredentials(ctx: NodeContext, pod: KObject): Promise<boolean> {
  for (const ref of pod.spec?.imagePullSecrets ?? []) {
    if (ref?.name && (await ctx.c.get('secrets', pod.metadata!.namespace, ref.name))) return true;
  }
  return false;
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
  const grace = (pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000;

  if (pod.metadata?.deletionTimestamp && rec.killAt === undefined) {
    rec.killAt = now;
    let doneAt = now + 50 + c.rng.intn(200);
    for (const cr of rec.cs) {
      if (cr.stage !== 'running') {
        // nothing runs: the pull, start or back-off in progress is abandoned
        if (cr.stage !== 'terminated') cr.stage = 'waiting';
        cr.decideAt = undefined;
        continue;
      }
      await ev(cr, 'Normal', 'Killing', `Stopping container ${cr.name}`);
      const b = processModel(specOf(pod, cr));
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
        const natural = cr.exitAt !== undefined && cr.exitAt <= cr.stopAt && !cr.sigkill;
        const code = natural ? (cr.oom ? 137 : exitCodeOf(cr, specOf(pod, cr))) : cr.sigkill ? 137 : processModel(specOf(pod, cr)).sigtermExit;
        terminate(cr, cr.stopAt, code, natural && cr.oom ? 'OOMKilled' : code === 0 ? 'Completed' : 'Error');
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
  rec.nextBg = undefined;
  const dueBg = (t: number) => {
    if (t > now) rec.nextBg = Math.min(rec.nextBg ?? Infinity, t);
  };
  const due = (t: number) => {
    if (t <= now) return true;
    rec.next = Math.min(rec.next ?? Infinity, t);
    return false;
  };
  // A pod that reached Succeeded or Failed does nothing more.
  const terminal = () => isTerminal(pod, rec);
  while (progressed && !terminal()) {
    progressed = false;
    if (!rec.sandboxReady) {
      if (!due(rec.sandboxAt)) break;
      // The volume manager mounts the pod's volumes before its sandbox is made.
      if (!(await mountVolumes(ctx, pod, rec, now, ev, dueBg))) break;
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

    // Running containers: probes, a liveness kill under way, an exit of their own.
    for (const cr of rec.cs) {
      if (cr.stage !== 'running') continue;
      const spec = specOf(pod, cr);
      if (cr.probe && cr.stopAt === undefined) {
        const out = advanceProbes(cr.probe, {
          spec, podIP: rec.ip ?? '', restartPolicy: pod.spec?.restartPolicy,
          fileAt: (path, ms) => fileAt(spec, path, ms), fileChanges: fileChanges(spec),
        }, cr.startedAt!, now);
        for (const e of out.events) await ev(cr, e.type, e.reason, e.message);
        if (out.ready !== cr.probeReady || out.started !== cr.probeStarted) {
          cr.probeReady = out.ready;
          cr.probeStarted = out.started;
          rec.dirty = true;
        }
        if (out.restartAt !== undefined) {
          // computePodActions: a failed liveness (or startup) probe kills the container
          await ev(cr, 'Normal', 'Killing', out.restartMessage ?? `Container ${cr.name} failed liveness probe, will be restarted`);
          const b = processModel(spec);
          const probeGrace = (spec.livenessProbe?.terminationGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
          cr.stopAt = b.sigterm ? now + sigtermStopMs(c.rng) : now + probeGrace;
          cr.sigkill = !b.sigterm;
          if (cr.exitAt !== undefined && cr.exitAt <= cr.stopAt) cr.stopAt = undefined;
          rec.dirty = true;
          c.trace('kill', podRef, `container ${cr.name}: ${out.restartMessage}`);
        } else {
          // A change of readiness or a coming restart is work to settle; a probe that just keeps
          // failing (an Unhealthy event per period) waits for real time, so instant mode settles.
          if (out.changeAt !== undefined) due(out.changeAt);
          if (out.nextAt !== undefined && out.nextAt !== out.changeAt) dueBg(out.nextAt);
        }
      }
      if (cr.stopAt !== undefined && cr.stopAt <= (cr.exitAt ?? Infinity) && due(cr.stopAt)) {
        const code = cr.sigkill ? 137 : processModel(spec).sigtermExit;
        terminate(cr, cr.stopAt, code, code === 0 ? 'Completed' : 'Error');
        cr.decideAt = now;
        rec.dirty = true;
        progressed = true;
        continue;
      }
      if (cr.exitAt !== undefined && due(cr.exitAt)) {
        const code = cr.oom ? 137 : exitCodeOf(cr, spec);
        terminate(cr, cr.exitAt, code, cr.oom ? 'OOMKilled' : code === 0 ? 'Completed' : 'Error');
        c.trace('exit', podRef, `container ${cr.name} exited with ${code}${cr.oom ? ' (OOMKilled: memory limit exceeded)' : ''}`);
        // the PLEG notices the exit at its next relist
        cr.decideAt = cr.term!.finishedAt + PLEG_MS;
        rec.dirty = true;
        progressed = true;
        continue;
      }
      if (!cr.probe && !cr.readyReported && cr.readyAt !== undefined && due(cr.readyAt)) {
        cr.readyReported = true;
        rec.dirty = true;
      }
    }

    // Ended containers: restarted under the restart policy, after the crash loop back-off.
    for (const cr of rec.cs) {
      if (cr.stage !== 'terminated' || cr.decideAt === undefined || !due(cr.decideAt)) continue;
      cr.decideAt = undefined;
      progressed = true;
      if (!restarts(pod, cr)) continue;
      const ts = cr.term!.finishedAt;
      const bo = cr.crashBackoff;
      cr.stage = 'waiting';
      if (bo && ts - bo.lastUpdate <= 2 * BACKOFF_MAX_MS && now - ts < bo.ms) {
        // doBackOff: still inside the back-off since the last exit
        cr.waitReason = 'CrashLoopBackOff';
        cr.waitMessage = `back-off ${goDuration(bo.ms)} restarting failed container=${cr.name} pod=${formatPod(pod)}`;
        cr.retryAt = ts + bo.ms;
        await ev(cr, 'Warning', 'BackOff', `Back-off restarting failed container ${cr.name} in pod ${formatPod(pod)}`);
        c.trace('backoff', podRef, `container ${cr.name}: back-off ${goDuration(bo.ms)} before restarting`);
      } else {
        cr.crashBackoff = nextBackoff(bo, ts, now);
        cr.retryAt = undefined;
      }
      rec.dirty = true;
    }

    // Containers whose turn it is: pull (or back off), create, start. They start one after
    // another, as SyncPod starts them in order.
    for (const cur of containersInTurn(rec)) {
      if (cur.stage === 'running' || cur.stage === 'terminated') continue;
      const spec = specOf(pod, cur);
      if (cur.stage === 'waiting') {
        if (cur.retryAt !== undefined && cur.retryAt > now && (cur.waitReason === 'CrashLoopBackOff' || cur.waitReason === 'ImagePullBackOff')) {
          // The pod worker re-syncs a pod whose sync failed every 10-15 s (backOffPeriod with
          // jitter), and each sync in a back-off reports it again: "BackOff (x25 over 7m)".
          if (cur.resyncAt === undefined) cur.resyncAt = now + workerResyncMs(pod, cur.name, now);
          else if (cur.resyncAt <= now) {
            if (cur.waitReason === 'CrashLoopBackOff') {
              await ev(cur, 'Warning', 'BackOff', `Back-off restarting failed container ${cur.name} in pod ${formatPod(pod)}`);
            } else {
              await ev(cur, 'Normal', 'BackOff', `Back-off pulling image "${spec.image}"`);
              await ev(cur, 'Warning', 'Failed', 'Error: ImagePullBackOff');
            }
            cur.resyncAt = now + workerResyncMs(pod, cur.name, now);
          }
          if (cur.resyncAt < cur.retryAt) dueBg(cur.resyncAt);
        } else cur.resyncAt = undefined;
        if (cur.retryAt !== undefined) {
          // A missing Secret or ConfigMap does not appear by itself: the pod worker's 10 s re-sync
          // is housekeeping, not work to jump to.
          const housekeeping = cur.waitReason === 'CreateContainerConfigError';
          if (cur.retryAt > now) {
            if (housekeeping) dueBg(cur.retryAt);
            else due(cur.retryAt);
            continue;
          }
          cur.retryAt = undefined;
          if (cur.waitReason === 'CrashLoopBackOff') {
            // the back-off has passed: Next() moves it on, and the container starts again
            cur.crashBackoff = nextBackoff(cur.crashBackoff, cur.term?.finishedAt ?? now, now);
          }
        }
        if (cur.waitReason === 'ErrImageNeverPull' || cur.waitReason === 'InvalidImageName') break;
        const refErr = referenceError(spec.image);
        if (refErr) {
          cur.waitReason = 'InvalidImageName';
          cur.waitMessage = `Failed to apply default image tag "${spec.image}": couldn't parse image name "${spec.image}": ${refErr}`;
          await ev(cur, 'Warning', 'InspectFailed', cur.waitMessage);
          await ev(cur, 'Warning', 'Failed', 'Error: InvalidImageName');
          rec.dirty = true;
          break;
        }
        const missing = await missingPullSecrets(ctx, pod);
        if (missing.length) {
          await ev(cur, 'Warning', 'FailedToRetrieveImagePullSecret', `Unable to retrieve some image pull secrets (${missing.join(', ')}); attempting to pull the image may not succeed.`);
        }
        const decision = pullDecision(ctx.puller, spec);
        if (decision === 'present') {
          await ev(cur, 'Normal', 'Pulled', `Container image "${spec.image}" already present on machine`);
          cur.stage = 'starting';
          cur.startAt = now + startDelayMs(c.rng);
        } else if (decision === 'never') {
          cur.waitReason = 'ErrImageNeverPull';
          cur.waitMessage = `Container image "${spec.image}" is not present with pull policy of Never`;
          await ev(cur, 'Warning', 'ErrImageNeverPull', cur.waitMessage);
          await ev(cur, 'Warning', 'Failed', 'Error: ErrImageNeverPull');
          rec.dirty = true;
          break;
        } else {
          const pb = cur.pullBackoff;
          if (pb && now - pb.lastUpdate < pb.ms) {
            // IsInBackOffSinceUpdate: no pull until the back-off since the last failure has passed
            cur.retryAt = pb.lastUpdate + pb.ms;
            if (cur.waitReason !== 'ImagePullBackOff') {
              cur.waitReason = 'ImagePullBackOff';
              cur.waitMessage = `Back-off pulling image "${spec.image}"`;
              await ev(cur, 'Normal', 'BackOff', cur.waitMessage);
              await ev(cur, 'Warning', 'Failed', 'Error: ImagePullBackOff');
              rec.dirty = true;
            }
            due(cur.retryAt);
            break;
          }
          await ev(cur, 'Normal', 'Pulling', `Pulling image "${spec.image}"`);
          const fail = pullError(spec.image, await hasPullCredentials(ctx, pod));
          if (fail) {
            // the registry answers at once: resolving the reference fails
            Object.assign(cur, { stage: 'pulling', pullRequested: now, pullStart: now, pullEnd: now + 300 + c.rng.intn(900), pullFail: fail });
            c.trace('pull', podRef, `pulling ${spec.image}: the registry will refuse it`);
          } else {
            const plan = schedulePull(ctx.puller, spec.image, now, c.rng);
            Object.assign(cur, { stage: 'pulling', pullRequested: now, pullStart: plan.start, pullEnd: plan.end, pullFail: undefined });
            c.trace('pull', podRef, `pulling ${lookupImage(spec.image).name} (${lookupImage(spec.image).size} bytes), done at +${goDuration(plan.end - now)}`);
          }
        }
        progressed = true;
      }
      if (cur.stage === 'pulling') {
        if (!due(cur.pullEnd!)) break;
        if (cur.pullFail) {
          await ev(cur, 'Warning', 'Failed', `Failed to pull image "${spec.image}": ${cur.pullFail}`);
          cur.pullBackoff = nextBackoff(cur.pullBackoff, now, now);
          await ev(cur, 'Warning', 'Failed', 'Error: ErrImagePull');
          cur.stage = 'waiting';
          cur.waitReason = 'ErrImagePull';
          cur.waitMessage = cur.pullFail;
          cur.pullFail = undefined;
          // the pod worker syncs again shortly, and finds the image in back-off
          cur.retryAt = now + 1000 + c.rng.intn(1000);
          due(cur.retryAt);
          rec.dirty = true;
          progressed = true;
          break;
        }
        if (finishPull(ctx.puller, spec.image, now)) ctx.imagesChanged = true;
        const info = lookupImage(spec.image);
        await ev(cur, 'Normal', 'Pulled',
          `Successfully pulled image "${spec.image}" in ${goDuration(cur.pullEnd! - cur.pullStart!)} (${goDuration(cur.pullEnd! - cur.pullRequested!)} including waiting). Image size: ${info.size} bytes.`);
        cur.stage = 'starting';
        cur.startAt = now + startDelayMs(c.rng);
        progressed = true;
      }
      if (cur.stage === 'starting') {
        if (!due(cur.startAt!)) break;
        const configErr = await containerConfigError(ctx, pod, spec);
        if (configErr) {
          // CreateContainerConfigError: the kubelet tries again at its next sync of the pod
          await ev(cur, 'Warning', 'Failed', `Error: ${configErr}`);
          cur.stage = 'waiting';
          cur.waitReason = 'CreateContainerConfigError';
          cur.waitMessage = configErr;
          cur.retryAt = now + 10_000 + c.rng.intn(5000);
          dueBg(cur.retryAt);
          rec.dirty = true;
          break;
        }
        startContainer(ctx, pod, rec, cur, spec, now);
        await ev(cur, 'Normal', 'Created', `Created container ${cur.name}`);
        await ev(cur, 'Normal', 'Started', `Started container ${cur.name}`);
        c.trace('start', podRef, `container ${cur.name} started (containerd://${cur.id!.slice(0, 13)})${cur.restartCount ? `, restart ${cur.restartCount}` : ''}`);
        rec.dirty = true;
        progressed = true;
        // the next container is started by the same sync, after this one
        continue;
      }
    }
  }
  // A pod that has finished (Succeeded/Failed) gives its sandbox, and its IP, back.
  if (rec.ip && !pod.spec?.hostNetwork && terminal() && release(ctx.ipam, rec.key)) c.touch();
  if (rec.dirty) wrote = (await writeStatus(ctx, pod, rec, now)) || wrote;
  return wrote;
}

/** A new instance of the container runs: restartCount, lastState, its own exit and probes. */
function startContainer(ctx: NodeContext, pod: KObject, rec: PodRec, cur: ContainerRec, spec: any, now: number): void {
  const { c } = ctx;
  if (cur.term) {
    cur.last = cur.term;
    cur.term = undefined;
    cur.restartCount = (cur.restartCount ?? 0) + 1;
  }
  cur.id = newContainerID(c.rng);
  cur.imageID = imageID(lookupImage(spec.image));
  cur.stage = 'running';
  cur.startedAt = now;
  cur.waitReason = undefined;
  cur.waitMessage = undefined;
  cur.retryAt = undefined;
  cur.stopAt = undefined;
  cur.sigkill = undefined;
  const b = processModel(spec);
  cur.exitAt = b.exitAfterMs !== undefined ? now + b.exitAfterMs : undefined;
  cur.lastNet = cur.net;
  cur.net = startNetwork(ctx, pod, rec, cur, spec, now);
  if (cur.net) cur.exitAt = now + cur.net.exitAfterMs;
  // a command that would end, but not with the network as it is (retrying a name that never resolves)
  else if (usesNetwork(spec) && runsToAnEnd(spec)) cur.exitAt = undefined;
  // The kernel's OOM killer: a process that needs more memory than its limit dies soon after it starts.
  const limit = memoryLimit(spec);
  const use = memoryUseBytes(spec) ?? lookupImage(spec.image).memoryBytes;
  cur.oom = limit !== undefined && use > limit;
  if (cur.oom) {
    const at = now + 300 + c.rng.intn(700);
    if (cur.exitAt === undefined || at < cur.exitAt) cur.exitAt = at;
    else cur.oom = false;
  }
  if (hasProbes(spec)) {
    cur.probe = newProbeState();
    cur.probeReady = false;
    cur.probeStarted = !spec.startupProbe;
    cur.readyAt = undefined;
  } else {
    cur.probe = undefined;
    cur.readyAt = now;
    cur.readyReported = true;
  }
}

/** the exit code of a process that ended by itself: what its network run gave, else the process model's */
function exitCodeOf(cr: ContainerRec, spec: any): number {
  return cr.net && cr.net.id === cr.id ? cr.net.exitCode : processModel(spec).exitCode;
}

/**
 * A container whose command names a network program and ends by itself: run it now, against the
 * world as it is at its start, and remember its exit and lines. Other containers: nothing.
 */
function startNetwork(ctx: NodeContext, pod: KObject, rec: PodRec, cur: ContainerRec, spec: any, now: number): NetRun | undefined {
  if (!usesNetwork(spec) || !runsToAnEnd(spec)) return undefined;
  const c = ctx.c;
  const world = (ctx.world ??= loadNetWorld(c.api, now));
  // the pod as its sandbox made it: the status may not say its IP yet
  const ip = rec.ip ?? pod.status?.podIP;
  const self: KObject = { ...pod, spec: { ...pod.spec, nodeName: pod.spec?.nodeName ?? ctx.node }, status: { ...pod.status, hostIP: ctx.hostIP, ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}) } };
  const ns = pod.metadata?.namespace ?? 'default';
  const refers = /"(configMapKeyRef|secretKeyRef|configMapRef|secretRef)"/.test(JSON.stringify(spec));
  const objects = refers
    ? [...c.api.store.list('configmaps', ns).map((o) => ({ ...o, kind: 'ConfigMap' })), ...c.api.store.list('secrets', ns).map((o) => ({ ...o, kind: 'Secret' }))]
    : [];
  const resolved = containerEnv(self, spec, { services: world.services, objects, startedAt: now });
  const run = runAtStart(world, self, spec, cur.restartCount ?? 0, cur.id ?? '', now, resolved);
  c.trace('network', `pod/${rec.namespace}/${rec.name}`, run
    ? `container ${cur.name}: its command reached the network at its start and ends after ${run.exitAfterMs} ms with exit code ${run.exitCode}`
    : `container ${cur.name}: its command keeps using the network; what it writes is computed when read`);
  return run;
}

function terminate(cr: ContainerRec, at: number, code: number, reason: string): void {
  cr.stage = 'terminated';
  cr.term = { exitCode: code, reason, startedAt: cr.startedAt ?? at, finishedAt: at, id: cr.id ?? '' };
  cr.exitAt = undefined;
  cr.stopAt = undefined;
  cr.sigkill = undefined;
  cr.oom = undefined;
  cr.probeReady = false;
}

/**
 * The machine rebooted: every container it ran is gone (the runtime reports them exited 255,
 * reason Unknown) and the pod's sandbox must be made again; the pod worker then restarts the
 * containers under the pod's restart policy. A pod that was being deleted is simply gone.
 */
export function rebootPod(rec: PodRec, now: number, sandboxAt: number): void {
  for (const cr of rec.cs) {
    if (cr.stage === 'running' || cr.stage === 'starting' || cr.stage === 'pulling') {
      terminate(cr, now, 255, 'Unknown');
      if (rec.killAt === undefined) cr.decideAt = now;
    }
  }
  if (rec.killAt !== undefined) rec.killDoneAt = now;
  else {
    rec.sandboxReady = false;
    rec.sandboxAt = sandboxAt;
  }
  rec.dirty = true;
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
