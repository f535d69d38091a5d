// What the workload controllers share about pods (pkg/api/v1/pod and pkg/controller's
// controller_utils in kube-controller-manager): which pods count, readiness and availability,
// controller references, and the order in which surplus pods are chosen for deletion.
import type { KObject, OwnerReference } from '../apiserver/types.js';

/** The owner reference that marks the managing controller, if any. */
export function controllerRef(o: KObject | undefined): OwnerReference | undefined {
  return o?.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** metav1.NewControllerRef: controller and blockOwnerDeletion both true. */
export function newControllerRef(owner: KObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion!, kind: owner.kind!, name: owner.metadata!.name!, uid: owner.metadata!.uid!,
    controller: true, blockOwnerDeletion: true,
  };
}

/** controller.IsPodActive: not finished and not being deleted. */
export function isPodActive(p: KObject): boolean {
  const phase = p.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !p.metadata?.deletionTimestamp;
}

function readyCondition(p: KObject): any | undefined {
  return (p.status?.conditions as any[] | undefined)?.find((c) => c?.type === 'Ready');
}

export function isPodReady(p: KObject): boolean {
  return readyCondition(p)?.status === 'True';
}

/** When the pod last became Ready (epoch ms), 0 when it is not ready or no time is known. */
export function podReadyTime(p: KObject): number {
  const c = readyCondition(p);
  if (c?.status !== 'True' || !c.lastTransitionTime) return 0;
  return Date.parse(c.lastTransitionTime);
}

/**
 * podutil.IsPodAvailable: Ready, and Ready for longer than minReadySeconds (strictly: the Ready
 * transition plus minReadySeconds is before now).
 */
export function isPodAvailable(p: KObject, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(p)) return false;
  if (!minReadySeconds) return true;
  const t = podReadyTime(p);
  return t > 0 && t + minReadySeconds * 1000 < now;
}

/**
 * For a pod that is Ready but not yet available: the first virtual instant at which it becomes
 * available (the controller asks to be woken then). undefined when there is nothing to wait for.
 */
export function availableAt(p: KObject, minReadySeconds: number, now: number): number | undefined {
  if (!minReadySeconds || !isPodReady(p) || isPodAvailable(p, minReadySeconds, now)) return undefined;
  const t = podReadyTime(p);
  return t > 0 ? t + minReadySeconds * 1000 + 1 : undefined;
}

// ---- which pods go first when a ReplicaSet scales down (controller.ActivePodsWithRanks) ----

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function maxRestarts(p: KObject): [regular: number, sidecar: number] {
  let regular = 0;
  let sidecar = 0;
  for (const s of p.status?.containerStatuses ?? []) regular = Math.max(regular, s?.restartCount ?? 0);
  const sidecars = new Set<string>((p.spec?.initContainers ?? []).filter((c: any) => c?.restartPolicy === 'Always').map((c: any) => c.name));
  for (const s of p.status?.initContainerStatuses ?? []) if (sidecars.has(s?.name)) sidecar = Math.max(sidecar, s?.restartCount ?? 0);
  return [regular, sidecar];
}

function deletionCost(p: KObject): number {
  const v = p.metadata?.annotations?.['controller.kubernetes.io/pod-deletion-cost'];
  const n = v === undefined ? 0 : Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : 0;
}

/** LogarithmicScaleDown: timestamps compare by the power of two of their age (in nanoseconds). */
function logRank(t: number, now: number): number {
  const d = (now - t) * 1e6;
  return d <= 0 ? -1 : Math.floor(Math.log2(d));
}

/**
 * A sort of pods, first the ones to delete: unscheduled before scheduled; Pending before Unknown
 * before Running; not ready before ready; lower pod-deletion-cost first; more pods of the same
 * owner on the node first; ready for less time first; more restarts first; newer first. Times are
 * compared on a logarithmic scale (uids break ties), as with the LogarithmicScaleDown gate (on by
 * default).
 */
export function compareForDeletion(a: KObject, b: KObject, rankA: number, rankB: number, now: number): number {
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (!na || !nb)) return !na ? -1 : 1;
  const pa = PHASE_ORDINAL[a.status?.phase ?? ''] ?? 0;
  const pb = PHASE_ORDINAL[b.status?.phase ?? ''] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return ra ? 1 : -1;
  const ca = deletionCost(a);
  const cb = deletionCost(b);
  if (ca !== cb) return ca - cb;
  if (rankA !== rankB) return rankB - rankA;
  const byTime = (ta: number, tb: number): number => {
    // afterOrZero: a missing time sorts first, then the later time.
    if (!ta || !tb) return !ta ? -1 : 1;
    const d = logRank(ta, now) - logRank(tb, now);
    if (d !== 0) return d;
    const ua = a.metadata?.uid ?? '';
    const ub = b.metadata?.uid ?? '';
    return ua < ub ? -1 : ua > ub ? 1 : 0;
  };
  if (ra && rb) {
    const ta = podReadyTime(a);
    const tb = podReadyTime(b);
    if (ta !== tb) return byTime(ta, tb);
  }
  const [xa, sa] = maxRestarts(a);
  const [xb, sb] = maxRestarts(b);
  if (xa !== xb) return xb - xa;
  if (sa !== sb) return sb - sa;
  const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
  if (ta !== tb) return byTime(ta, tb);
  return 0;
}

/**
 * getPodsToDelete: the `count` pods to remove from `pods`. `related` are all active pods of the
 * same owner family (for the "doubled up on one node" rank).
 */
export function podsToDelete(pods: KObject[], related: KObject[], count: number, now: number): KObject[] {
  if (count >= pods.length) return pods.slice(0, count);
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const n = p.spec?.nodeName ?? '';
    onNode.set(n, (onNode.get(n) ?? 0) + 1);
  }
  const ranked = pods.map((p) => ({ p, rank: onNode.get(p.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort((x, y) => compareForDeletion(x.p, y.p, x.rank, y.rank, now));
  return ranked.slice(0, count).map((x) => x.p);
}

// ---- creating and deleting a controller's pods (controller.RealPodControl) ----

/**
 * controller.GetPodFromTemplate: a pod from a template, owned by `owner` (the controller ref),
 * named by generateName (`<owner>-` unless told otherwise). Template labels, annotations and
 * finalizers are copied; the spec is a deep copy.
 */
export function podFromTemplate(owner: KObject, template: any, generateName = `${owner.metadata!.name}-`): KObject {
  const tmd = template?.metadata ?? {};
  const meta: any = { generateName, namespace: owner.metadata!.namespace };
  if (tmd.labels) meta.labels = { ...tmd.labels };
  if (tmd.annotations) meta.annotations = { ...tmd.annotations };
  if (tmd.finalizers) meta.finalizers = [...tmd.finalizers];
  meta.ownerReferences = [newControllerRef(owner)];
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: structuredClone(template?.spec ?? {}) };
}

type PodControlClient = import('./component.js').ComponentClient;

/**
 * RealPodControl.CreatePods: creates the pod and records SuccessfulCreate "Created pod: NAME" (or
 * FailedCreate "Error creating: ...") on the owner, as `component`.
 */
export async function createOwnedPod(c: PodControlClient, owner: KObject, body: KObject, component: string): Promise<{ pod: KObject } | { error: string }> {
  const kind = owner.kind?.toLowerCase() ?? 'owner';
  try {
    const pod = await c.create('pods', owner.metadata!.namespace, body);
    if (!pod) return { error: 'Error creating: conflict' };
    c.trace('Create', `pod/${pod.metadata!.name}`, `for ${kind}/${owner.metadata!.name}`);
    await c.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata!.name}`, { component });
    return { pod };
  } catch (e) {
    // The client's message is "<component>: create pods <name>: <apiserver message>".
    const msg = `Error creating: ${(e as Error).message.replace(/^[^:]*: create pods [^:]*: /, '')}`;
    await c.event(owner, 'Warning', 'FailedCreate', msg, { component });
    return { error: msg };
  }
}

/** RealPodControl.DeletePod: deletes the pod and records SuccessfulDelete "Deleted pod: NAME". */
export async function deleteOwnedPod(c: PodControlClient, owner: KObject, pod: KObject, component: string): Promise<boolean> {
  const name = pod.metadata!.name!;
  try {
    await c.delete('pods', pod.metadata!.namespace, name);
  } catch (e) {
    await c.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${(e as Error).message}`, { component });
    return false;
  }
  await c.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`, { component });
  return true;
}

/**
 * The controllers a run must sync, from what changed, as the real controllers' event handlers
 * enqueue them: a changed controller (resource `own`), the controller of a changed dependent
 * (resources `owned`), every controller of the namespace for a dependent without one (it may be
 * adopted) or for any other change, and those whose timers fell due. Undefined: sync them all.
 */
export function dirtyControllers(c: PodControlClient, own: string, owned: readonly string[]): { uids: Set<string>; namespaces: Set<string> } | undefined {
  const changes = c.cause.changes;
  if (!changes) return undefined;
  const uids = new Set<string>(c.cause.dueKeys);
  const namespaces = new Set<string>();
  for (const e of changes) {
    if (e.prefix === own) uids.add(e.object.metadata!.uid!);
    else {
      const ref = owned.includes(e.prefix) ? controllerRef(e.object) : undefined;
      if (ref) uids.add(ref.uid);
      else namespaces.add(e.object.metadata?.namespace ?? '');
    }
  }
  return { uids, namespaces };
}
