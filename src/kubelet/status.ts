// The pod status a kubelet reports (pkg/kubelet/status and kubelet_pods.go): phase, conditions
// with their transition times, IPs, QoS class and one status per container, computed from the pod
// worker's record of what the runtime did.
import type { KObject } from '../apiserver/types.js';
import { rfc3339 } from '../cluster/clock.js';
import { qosClass } from '../apiserver/admission/defaults/index.js';
import { lookupImage } from './catalogue.js';
import type { ContainerRec, PodRec } from './pod-worker.js';

const ts = (ms: number | undefined) => (ms === undefined ? undefined : rfc3339(ms));

function containerState(c: ContainerRec, waitingDefault: string): any {
  if (c.stage === 'running') return { running: { startedAt: ts(c.startedAt) } };
  if (c.stage === 'terminated' && c.startedAt !== undefined) {
    return {
      terminated: {
        containerID: `containerd://${c.id}`, exitCode: c.exitCode ?? 0, finishedAt: ts(c.finishedAt), reason: c.reason ?? 'Completed', startedAt: ts(c.startedAt),
      },
    };
  }
  return { waiting: { reason: c.waitReason ?? waitingDefault, ...(c.waitMessage ? { message: c.waitMessage } : {}) } };
}

function containerStatus(c: ContainerRec, spec: any, waitingDefault: string, now: number): any {
  // Go's field order (ContainerStatus), which -o json shows
  const s: any = {
    name: c.name,
    state: containerState(c, waitingDefault),
    lastState: {},
    ready: isReady(c, now),
    restartCount: 0,
    image: lookupImage(spec.image).name,
    imageID: c.imageID ?? '',
    containerID: c.id ? `containerd://${c.id}` : undefined,
    started: c.stage === 'running',
  };
  if (!s.containerID) delete s.containerID;
  const mounts = (spec.volumeMounts ?? []).map((m: any) => ({
    mountPath: m.mountPath, name: m.name, ...(m.readOnly ? { readOnly: true, recursiveReadOnly: 'Disabled' } : {}),
  }));
  if (mounts.length) s.volumeMounts = mounts;
  return s;
}

export function isReady(c: ContainerRec, now: number): boolean {
  return c.stage === 'running' && (c.readyAt ?? Infinity) <= now;
}

/** kubelet's getPhase: what the containers' states add up to. */
export function podPhase(pod: KObject, rec: PodRec): string {
  const inits = rec.cs.filter((c) => c.init);
  const apps = rec.cs.filter((c) => !c.init);
  const policy = pod.spec?.restartPolicy ?? 'Always';
  const initFailed = inits.some((c) => c.stage === 'terminated' && (c.exitCode ?? 0) !== 0);
  if (initFailed && policy === 'Never') return 'Failed';
  if (!inits.every((c) => c.stage === 'terminated' || (c.sidecar && c.stage === 'running'))) return 'Pending';
  const running = apps.filter((c) => c.stage === 'running').length;
  const done = apps.filter((c) => c.stage === 'terminated');
  if (done.length === apps.length && apps.length > 0) {
    const failed = done.some((c) => (c.exitCode ?? 0) !== 0);
    // A pod that is being deleted, or that will not be restarted, ends in a terminal phase.
    if (rec.killAt !== undefined || policy === 'Never' || (policy === 'OnFailure' && !failed)) return failed ? 'Failed' : 'Succeeded';
    return 'Running';
  }
  if (running > 0 || done.length > 0) return 'Running';
  return 'Pending';
}

/** Conditions, remembering in rec when each one last changed. */
function conditions(pod: KObject, rec: PodRec, phase: string, now: number): any[] {
  const inits = rec.cs.filter((c) => c.init && !c.sidecar);
  const apps = rec.cs.filter((c) => !c.init || c.sidecar);
  const incomplete = inits.filter((c) => !(c.stage === 'terminated' && (c.exitCode ?? 0) === 0)).map((c) => c.name);
  const unready = apps.filter((c) => !isReady(c, now)).map((c) => c.name);
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const out: any[] = [];
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
  cond('PodReadyToStartContainers', rec.sandboxReady && !(terminal && rec.ip === undefined && !pod.spec?.hostNetwork));
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
  status.qosClass = pod.status?.qosClass ?? qosClass(spec);
  return status;
}
