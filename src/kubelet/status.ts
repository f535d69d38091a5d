// The pod status a kubelet reports (pkg/kubelet/status and kubelet_pods.go): phase, conditions
// with their transition times, IPs, QoS class and one status per container, computed from the pod
// worker's record of what the runtime did.
import type { KObject } from '../apiserver/types.js';
import { rfc3339 } from '../cluster/clock.js';
import { qosClass } from '../apiserver/admission/defaults/index.js';
import { lookupImage } from './catalogue.js';
import type { ContainerRec, PodRec, Termination } from './pod-worker.js';

const ts = (ms: number | undefined) => (ms === undefined ? undefined : rfc3339(ms));

const terminated = (t: Termination) => ({
  terminated: { containerID: `containerd://${t.id}`, exitCode: t.exitCode, finishedAt: ts(t.finishedAt), reason: t.reason, startedAt: ts(t.startedAt) },
});

/**
 * state and lastState as the kubelet converts the runtime's containers: the latest instance (running,
 * or ended) and the one before; while a restart waits (a back-off), the latest end is lastState.
 */
function containerStates(c: ContainerRec, waitingDefault: string): { state: any; lastState: any } {
  const last = c.last ? terminated(c.last) : {};
  if (c.stage === 'running') return { state: { running: { startedAt: ts(c.startedAt) } }, lastState: last };
  if (c.term && (c.stage === 'terminated' || !c.waitReason)) return { state: terminated(c.term), lastState: last };
  const waiting = { waiting: { reason: c.waitReason ?? waitingDefault, ...(c.waitMessage ? { message: c.waitMessage } : {}) } };
  return { state: waiting, lastState: c.term ? terminated(c.term) : last };
}

function containerStatus(c: ContainerRec, spec: any, waitingDefault: string, now: number): any {
  const { state, lastState } = containerStates(c, waitingDefault);
  // Go's field order (ContainerStatus), which -o json shows
  const s: any = {
    name: c.name,
    state,
    lastState,
    ready: isReady(c, now),
    restartCount: c.restartCount ?? 0,
    image: lookupImage(spec.image).name,
    imageID: c.imageID ?? '',
    containerID: c.id ? `containerd://${c.id}` : undefined,
    started: c.stage === 'running' && (c.probeStarted ?? true),
  };
  if (!s.containerID) delete s.containerID;
  const mounts = (spec.volumeMounts ?? []).map((m: any) => ({
    mountPath: m.mountPath, name: m.name, ...(m.readOnly ? { readOnly: true, recursiveReadOnly: 'Disabled' } : {}),
  }));
  if (mounts.length) s.volumeMounts = mounts;
  return s;
}

export function isReady(c: ContainerRec, now: number): boolean {
  if (c.stage !== 'running') return false;
  if (c.probe) return !!c.probeReady;
  return (c.readyAt ?? Infinity) <= now;
}

/** an instance ended with a failure (the latest one) */
const failedLast = (c: ContainerRec) => c.term !== undefined && c.term.exitCode !== 0;

/** kubelet's getPhase: what the containers' states add up to. */
export function podPhase(pod: KObject, rec: PodRec): string {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  let pendingInit = 0;
  let failedInit = 0;
  for (const c of rec.cs) {
    if (!c.init) continue;
    if (c.sidecar) {
      if (c.stage !== 'running') pendingInit++;
      continue;
    }
    if (c.stage === 'running') pendingInit++;
    else if (c.term) {
      if (failedLast(c)) failedInit++;
    } else pendingInit++;
  }
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of rec.cs) {
    if (c.init) continue;
    if (c.stage === 'running') running++;
    else if (c.term) {
      // ended, or waiting to start again after it ended
      stopped++;
      if (c.term.exitCode === 0) succeeded++;
    } else waiting++;
  }
  if (pendingInit > 0 || failedInit > 0) return 'Pending';
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    const allStopped = rec.cs.filter((c) => !c.init).every((c) => c.stage === 'terminated');
    // A pod being deleted whose containers have all stopped ends in a terminal phase too.
    if (rec.killAt !== undefined && allStopped) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return allStopped ? 'Succeeded' : 'Running';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

const KUBELET_CONDITIONS = new Set(['PodScheduled', 'PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady']);

/** Conditions, remembering in rec when each one last changed. */
function conditions(pod: KObject, rec: PodRec, phase: string, now: number): any[] {
  const inits = rec.cs.filter((c) => c.init && !c.sidecar);
  const apps = rec.cs.filter((c) => !c.init || c.sidecar);
  const incomplete = inits.filter((c) => !(c.stage === 'terminated' && c.term?.exitCode === 0)).map((c) => c.name);
  const unready = apps.filter((c) => !isReady(c, now)).map((c) => c.name);
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  // Conditions other components own (DisruptionTarget, readiness gates) are kept, ahead of the
  // kubelet's own, as its status manager merges them.
  const out: any[] = (pod.status?.conditions ?? []).filter((c: any) => !KUBELET_CONDITIONS.has(c.type));
  const cond = (type: string, ok: boolean, reason?: string, message?: string) => {
    const status = ok ? 'True' : 'False';
    const prev = rec.tr[type];
    if (!prev || prev[0] !== status) rec.tr[type] = [status, now];
    const c: any = { type, status, lastProbeTime: null, lastTransitionTime: rfc3339(rec.tr[type][1]) };
    if (!ok && reason) {
      c.reason = reason;
      if (message) c.message = message;
    }
    out.push(c);
  };
  // A pod that has finished has its sandbox stopped by the kubelet (it kills Succeeded and Failed
  // pods), so it is no longer ready to start containers; its IP stays in the status.
  cond('PodReadyToStartContainers', rec.sandboxReady && !terminal);
  if (terminal && incomplete.length === 0) cond('Initialized', true);
  else cond('Initialized', incomplete.length === 0, 'ContainersNotInitialized', `containers with incomplete status: [${incomplete.join(' ')}]`);
  const podCompleted = terminal && apps.every((c) => c.stage === 'terminated');
  const readyReason = podCompleted ? 'PodCompleted' : 'ContainersNotReady';
  const readyMsg = podCompleted ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  cond('Ready', unready.length === 0 && !podCompleted, readyReason, readyMsg);
  cond('ContainersReady', unready.length === 0 && !podCompleted, readyReason, readyMsg);
  const scheduled = (pod.status?.conditions ?? []).find((c: any) => c.type === 'PodScheduled');
  out.push(scheduled ?? { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(rec.seenAt) });
  return out;
}

export function computePodStatus(pod: KObject, rec: PodRec, hostIP: string, now: number): any {
  const spec = pod.spec ?? {};
  const phase = podPhase(pod, rec);
  const waitingDefault = (spec.initContainers ?? []).length > 0 ? 'PodInitializing' : 'ContainerCreating';
  const specs = new Map<string, any>();
  for (const c of spec.initContainers ?? []) specs.set(`i/${c.name}`, c);
  for (const c of spec.containers ?? []) specs.set(`c/${c.name}`, c);
  // Go's field order (PodStatus), which -o json shows
  const status: any = { phase, conditions: conditions(pod, rec, phase, now), hostIP, hostIPs: [{ ip: hostIP }] };
  // A host-network pod has the node's address from its first status on: it needs no sandbox IP.
  const ip = rec.ip ?? (spec.hostNetwork ? hostIP : undefined);
  if (ip) {
    status.podIP = ip;
    status.podIPs = [{ ip }];
  }
  status.startTime = rfc3339(rec.seenAt);
  const inits = rec.cs.filter((c) => c.init).map((c) => containerStatus(c, specs.get(`i/${c.name}`), waitingDefault, now));
  if (inits.length) status.initContainerStatuses = inits;
  status.containerStatuses = rec.cs.filter((c) => !c.init).map((c) => containerStatus(c, specs.get(`c/${c.name}`), waitingDefault, now));
  // The kubelet recomputes the class from the spec on every status (generateAPIPodStatus), so it
  // reflects the resources admission defaulted (LimitRanger), whatever the pod was created with.
  status.qosClass = qosClass(spec);
  return status;
}
