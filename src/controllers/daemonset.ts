// kube-controller-manager's DaemonSet controller: one pod of each DaemonSet on every node that
// should run it. Since Kubernetes 1.12 the controller does not place the pods itself: it pins each
// pod to its node with a required node affinity (`matchFields metadata.name In [node]`) and lets
// the default scheduler bind it. It adds the tolerations every daemon pod carries (so kube-proxy
// keeps running on a not-ready, cordoned or pressured node), labels pods with the template's
// controller-revision-hash (the name of a ControllerRevision it keeps), and reports the counts
// `kubectl get ds` shows. A changed template rolls out node by node (update.go): with RollingUpdate
// the old pod of a node is deleted and a new one made once it is gone, at most maxUnavailable
// nodes at a time; with maxSurge the new pod starts beside the old one, which goes once the new
// one is available; OnDelete replaces only the pods the user deletes. A rollback reuses the old
// ControllerRevision under the next revision number.
import type { Component, ComponentClient } from './component.js';
import type { KObject } from '../apiserver/types.js';
import { controllerRef, isPodReady, isPodAvailable, availableAt, newControllerRef } from './pod-control.js';
import { computeHash } from './deployment/hash.js';
import { scaledValue } from './deployment/util.js';
import { ensureRevision as ensureControllerRevision, ownedRevisions, templatePatch, truncateHistory } from './history.js';

const COMPONENT = 'daemonset-controller';

// ---- the scheduling rules the controller applies before it makes a pod (its `predicates`) ----

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** v1helper.ToleratesTaint */
export function toleratesTaint(t: Toleration, taint: { key: string; value?: string; effect: string }): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && t.operator !== 'Exists') return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

/** The tolerations util.AddOrUpdateDaemonPodTolerations gives every daemon pod, in its order. */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const t = (key: string, effect: string): Toleration => ({ key: `node.kubernetes.io/${key}`, operator: 'Exists', effect });
  const out = [
    t('not-ready', 'NoExecute'), t('unreachable', 'NoExecute'),
    t('disk-pressure', 'NoSchedule'), t('memory-pressure', 'NoSchedule'), t('pid-pressure', 'NoSchedule'), t('unschedulable', 'NoSchedule'),
  ];
  if (hostNetwork) out.push(t('network-unavailable', 'NoSchedule'));
  return out;
}

/** AddOrUpdateTolerationInPodSpec: an existing toleration of the same key, operator and effect is replaced. */
export function withDaemonTolerations(spec: any): Toleration[] {
  const tols: Toleration[] = [...(spec.tolerations ?? [])];
  for (const add of daemonTolerations(!!spec.hostNetwork)) {
    const i = tols.findIndex((t) => (t.key ?? '') === add.key && (t.operator ?? 'Equal') === add.operator && (t.effect ?? '') === add.effect);
    if (i >= 0) tols[i] = add;
    else tols.push(add);
  }
  return tols;
}

function matchExpression(e: any, get: (key: string) => string | undefined): boolean {
  const v = get(e.key);
  const values: string[] = e.values ?? [];
  switch (e.operator) {
    case 'In': return v !== undefined && values.includes(v);
    case 'NotIn': return v === undefined || !values.includes(v);
    case 'Exists': return v !== undefined;
    case 'DoesNotExist': return v === undefined;
    case 'Gt':
    case 'Lt': {
      const n = Number.parseInt(v ?? '', 10);
      const lim = Number.parseInt(values[0] ?? '', 10);
      if (Number.isNaN(n) || Number.isNaN(lim)) return false;
      return e.operator === 'Gt' ? n > lim : n < lim;
    }
    default: return false;
  }
}

/** nodeSelector and requiredDuringSchedulingIgnoredDuringExecution, as the scheduler's NodeAffinity reads them */
export function matchesNodeAffinity(podSpec: any, node: KObject): boolean {
  const labels: Record<string, string> = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(podSpec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const terms: any[] | undefined = podSpec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms) return true;
  const field = (k: string) => (k === 'metadata.name' ? node.metadata?.name : undefined);
  return terms.some((t) => {
    const exprs = t?.matchExpressions ?? [];
    const fields = t?.matchFields ?? [];
    // A term with no requirements selects no node.
    if (exprs.length === 0 && fields.length === 0) return false;
    return exprs.every((e: any) => matchExpression(e, (k) => labels[k])) && fields.every((e: any) => matchExpression(e, field));
  });
}

/**
 * NodeShouldRunDaemonPod: whether a new daemon pod belongs on the node, and whether one already
 * there may stay (it may while the only untolerated taints are NoSchedule ones).
 */
export function nodeShouldRunDaemonPod(node: KObject, ds: KObject): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const spec = ds.spec?.template?.spec ?? {};
  const no = { shouldRun: false, shouldContinueRunning: false };
  if (spec.nodeName && spec.nodeName !== node.metadata?.name) return no;
  if (!matchesNodeAffinity(spec, node)) return no;
  const tols = withDaemonTolerations(spec);
  const untolerated = (effects: string[]) =>
    (node.spec?.taints ?? []).some((taint: any) => effects.includes(taint.effect) && !tols.some((t) => toleratesTaint(t, taint)));
  if (untolerated(['NoSchedule', 'NoExecute'])) return { shouldRun: false, shouldContinueRunning: !untolerated(['NoExecute']) };
  return { shouldRun: true, shouldContinueRunning: true };
}

/** the node a daemon pod is meant for: its nodeName, or the node its matchFields affinity names */
export function targetNodeName(pod: KObject): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const t of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of t?.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

/** util.ReplaceDaemonSetPodNodeNameNodeAffinity: the required terms become one term naming the node. */
function pinToNode(spec: any, node: string): void {
  const affinity = (spec.affinity = { ...(spec.affinity ?? {}) });
  const nodeAffinity = (affinity.nodeAffinity = { ...(affinity.nodeAffinity ?? {}) });
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
  };
}

/** util.GetTemplateGeneration: the apiserver's deprecated annotation, else the object's generation */
function templateGeneration(ds: KObject): string {
  return ds.metadata?.annotations?.['deprecated.daemonset.template.generation'] ?? String(ds.metadata?.generation ?? 1);
}

/** controller.GetPodFromTemplate plus the daemon-pod changes, for one node */
export function newDaemonPod(ds: KObject, node: string, hash: string): KObject {
  const tpl = structuredClone(ds.spec?.template ?? {});
  const spec = tpl.spec ?? {};
  spec.tolerations = withDaemonTolerations(spec);
  pinToNode(spec, node);
  const md: any = {
    generateName: `${ds.metadata!.name}-`,
    namespace: ds.metadata!.namespace,
    labels: { ...(tpl.metadata?.labels ?? {}), 'controller-revision-hash': hash, 'pod-template-generation': templateGeneration(ds) },
    ownerReferences: [newControllerRef(ds)],
  };
  if (tpl.metadata?.annotations) md.annotations = { ...tpl.metadata.annotations };
  if (tpl.metadata?.finalizers) md.finalizers = [...tpl.metadata.finalizers];
  return { apiVersion: 'v1', kind: 'Pod', metadata: md, spec };
}

/** podByCreationTimestampAndPhase: scheduled before unscheduled, ready before not, then oldest */
function daemonPodOrder(a: KObject, b: KObject): number {
  const sa = !!a.spec?.nodeName;
  const sb = !!b.spec?.nodeName;
  if (sa !== sb) return sa ? -1 : 1;
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return ra ? -1 : 1;
  const ta = a.metadata?.creationTimestamp ?? '';
  const tb = b.metadata?.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1;
}

/**
 * The extra pods of a node. Without surge all but the first (podByCreationTimestampAndPhase) go;
 * with surge one old and one new pod may share a node until the new one is available.
 */
function surplusPods(ds: KObject, running: KObject[], hash: string, now: number): KObject[] {
  const sorted = [...running].sort(daemonPodOrder);
  const { maxSurge } = rollingCounts(ds, 1);
  const surge = (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && !!ds.spec?.updateStrategy?.rollingUpdate?.maxSurge && maxSurge > 0;
  if (!surge) return sorted.slice(1);
  const out: KObject[] = [];
  let oldestNew: KObject | undefined;
  let oldestOld: KObject | undefined;
  for (const p of sorted) {
    if (p.metadata?.labels?.['controller-revision-hash'] === hash) {
      if (!oldestNew) {
        oldestNew = p;
        continue;
      }
    } else if (!oldestOld) {
      oldestOld = p;
      continue;
    }
    out.push(p);
  }
  if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, ds.spec?.minReadySeconds ?? 0, now))) out.push(oldestOld);
  return out;
}

const STATUS_FIELDS = ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady', 'observedGeneration', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'] as const;

// ---- the controller ----

/** constructHistory: the revision of the current template (made, or renumbered on a rollback) */
async function ensureRevision(c: ComponentClient, ds: KObject, hash: string, revisions: KObject[]): Promise<boolean> {
  const annotations = { ...(ds.metadata?.annotations ?? {}) };
  const r = await ensureControllerRevision(c, ds, ownedRevisions(ds, revisions), {
    name: `${ds.metadata!.name}-${hash}`,
    labels: { ...(ds.spec?.template?.metadata?.labels ?? {}), 'controller-revision-hash': hash },
    // What a rollback would put back: the template, replacing the whole of it.
    data: templatePatch(ds),
    annotations,
  });
  return r.changed;
}

/** util.IsPodUpdated: the pod carries the current hash, or the current template generation */
export function isPodUpdated(pod: KObject, hash: string, generation: string): boolean {
  const labels = pod.metadata?.labels ?? {};
  return (!!hash && labels['controller-revision-hash'] === hash) || labels['pod-template-generation'] === generation;
}

/** findUpdatedPodsOnNode: the node's live new and old pod; not ok when it has two of either */
function updatedPodsOnNode(pods: KObject[], hash: string, generation: string): { newPod?: KObject; oldPod?: KObject; ok: boolean } {
  let newPod: KObject | undefined;
  let oldPod: KObject | undefined;
  for (const p of pods) {
    if (p.metadata?.deletionTimestamp) continue;
    if (isPodUpdated(p, hash, generation)) {
      if (newPod) return { ok: false };
      newPod = p;
    } else {
      if (oldPod) return { ok: false };
      oldPod = p;
    }
  }
  return { newPod, oldPod, ok: true };
}

/** updatedDesiredNodeCounts: maxSurge and maxUnavailable in pods (unavailable 1 when both are 0) */
export function rollingCounts(ds: KObject, desired: number): { maxSurge: number; maxUnavailable: number } {
  const ru = ds.spec?.updateStrategy?.rollingUpdate ?? {};
  const maxUnavailable = scaledValue(ru.maxUnavailable ?? 1, desired, true);
  const maxSurge = scaledValue(ru.maxSurge ?? 0, desired, true);
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) return { maxSurge, maxUnavailable: 1 };
  return { maxSurge, maxUnavailable };
}

/**
 * rollingUpdate: which old pods to delete (and, surging, on which nodes to start a new pod
 * beside the old one) so that no more than maxUnavailable nodes lack an available pod.
 */
export function planRollingUpdate(ds: KObject, nodes: KObject[], byNode: Map<string, KObject[]>, hash: string, now: number): { deletePods: KObject[]; createOn: string[] } {
  const generation = templateGeneration(ds);
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const nodePods = new Map<string, KObject[]>();
  let desired = 0;
  for (const node of nodes) {
    const name = node.metadata!.name!;
    const pods = byNode.get(name);
    if (pods?.length) nodePods.set(name, pods);
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) continue;
    desired++;
    if (!nodePods.has(name)) nodePods.set(name, []);
  }
  const { maxSurge, maxUnavailable } = rollingCounts(ds, desired);
  const names = [...nodePods.keys()].sort();
  const deletePods: KObject[] = [];
  const createOn: string[] = [];
  if (maxSurge === 0) {
    let unavailable = 0;
    const replace: KObject[] = [];
    const candidates: KObject[] = [];
    for (const name of names) {
      const { newPod, oldPod, ok } = updatedPodsOnNode(nodePods.get(name)!, hash, generation);
      if (!ok || (!newPod && !oldPod) || (newPod && oldPod)) {
        unavailable++;
      } else if (newPod) {
        if (!isPodAvailable(newPod, minReady, now)) unavailable++;
      } else if (!isPodAvailable(oldPod!, minReady, now)) {
        // an old pod that is not available anyway is replaced at no cost
        replace.push(oldPod!);
      } else if (unavailable < maxUnavailable) {
        candidates.push(oldPod!);
      }
    }
    const room = Math.max(0, Math.min(maxUnavailable - unavailable, candidates.length));
    deletePods.push(...replace, ...candidates.slice(0, room));
    return { deletePods, createOn };
  }
  let surged = 0;
  for (const name of names) {
    const { newPod, oldPod, ok } = updatedPodsOnNode(nodePods.get(name)!, hash, generation);
    if (!ok || !oldPod) continue;
    if (!newPod) {
      if (!isPodAvailable(oldPod, minReady, now)) createOn.push(name);
      else if (surged < maxSurge) {
        surged++;
        createOn.push(name);
      }
    } else if (!isPodAvailable(newPod, minReady, now)) {
      surged++;
    } else {
      deletePods.push(oldPod);
    }
  }
  return { deletePods, createOn };
}

async function syncDaemonSet(c: ComponentClient, ds: KObject, nodes: KObject[], pods: KObject[], revisions: KObject[]): Promise<boolean> {
  const ns = ds.metadata!.namespace!;
  const dsName = ds.metadata!.name!;
  const hash = computeHash(ds.spec?.template, ds.status?.collisionCount);
  let changed = await ensureRevision(c, ds, hash, revisions);
  if (ds.metadata?.deletionTimestamp) return changed;

  const byNode = new Map<string, KObject[]>();
  for (const p of pods) {
    const n = targetNodeName(p);
    if (n === undefined) continue;
    const list = byNode.get(n);
    if (list) list.push(p);
    else byNode.set(n, [p]);
  }

  const toCreate: string[] = [];
  const toDelete: KObject[] = [];
  const failed: [KObject, string][] = [];
  for (const node of nodes) {
    const nodeName = node.metadata!.name!;
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
    const daemonPods = byNode.get(nodeName) ?? [];
    if (shouldRun && daemonPods.length === 0) {
      toCreate.push(nodeName);
    } else if (shouldContinueRunning) {
      // A failed daemon pod is killed so that a fresh one replaces it; surplus ones go too.
      const running: KObject[] = [];
      for (const p of daemonPods) {
        if (p.metadata?.deletionTimestamp) continue;
        if (p.status?.phase === 'Failed') {
          failed.push([p, nodeName]);
          toDelete.push(p);
          continue;
        }
        running.push(p);
      }
      if (running.length > 1) toDelete.push(...surplusPods(ds, running, hash, c.now()));
    } else {
      for (const p of daemonPods) if (!p.metadata?.deletionTimestamp) toDelete.push(p);
    }
  }

  for (const [p, nodeName] of failed) {
    await c.event(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${ns}/${p.metadata!.name} on node ${nodeName}, will try to kill it`, { component: COMPONENT });
  }
  for (const nodeName of toCreate) {
    const pod = await c.create('pods', ns, newDaemonPod(ds, nodeName, hash));
    if (!pod) continue;
    changed = true;
    c.trace('create-pod', `daemonset/${dsName}`, `pod/${pod.metadata!.name} for node ${nodeName}`);
    await c.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata!.name}`, { component: COMPONENT });
    pods.push(pod);
    byNode.set(nodeName, [pod]);
  }
  for (const p of toDelete) {
    const gone = await c.delete('pods', ns, p.metadata!.name!);
    if (!gone) continue;
    changed = true;
    c.trace('delete-pod', `daemonset/${dsName}`, `pod/${p.metadata!.name} from node ${targetNodeName(p)}`);
    await c.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata!.name}`, { component: COMPONENT });
  }
  if (toCreate.length || toDelete.length) {
    // The pods just written changed the world: the next round recounts from it.
    return true;
  }
  if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
    const plan = planRollingUpdate(ds, nodes, byNode, hash, c.now());
    for (const p of plan.deletePods) {
      if (!(await c.delete('pods', ns, p.metadata!.name!))) continue;
      changed = true;
      c.trace('delete-pod', `daemonset/${dsName}`, `pod/${p.metadata!.name} on node ${targetNodeName(p)}: rolling update to ${hash}`);
      await c.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata!.name}`, { component: COMPONENT });
    }
    for (const nodeName of plan.createOn) {
      const pod = await c.create('pods', ns, newDaemonPod(ds, nodeName, hash));
      if (!pod) continue;
      changed = true;
      c.trace('create-pod', `daemonset/${dsName}`, `pod/${pod.metadata!.name} for node ${nodeName} (surge)`);
      await c.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata!.name}`, { component: COMPONENT });
    }
    if (plan.deletePods.length || plan.createOn.length) return true;
  }
  const live = new Set<string>([`${dsName}-${hash}`]);
  for (const p of pods) {
    const h = p.metadata?.labels?.['controller-revision-hash'];
    if (h) live.add(`${dsName}-${h}`);
  }
  if (await truncateHistory(c, ds, ownedRevisions(ds, revisions), live)) changed = true;
  return (await updateStatus(c, ds, nodes, byNode, hash)) || changed;
}

async function updateStatus(c: ComponentClient, ds: KObject, nodes: KObject[], byNode: Map<string, KObject[]>, hash: string): Promise<boolean> {
  const now = c.now();
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const generation = templateGeneration(ds);
  let desired = 0, current = 0, ready = 0, available = 0, updated = 0, misscheduled = 0;
  for (const node of nodes) {
    const { shouldRun } = nodeShouldRunDaemonPod(node, ds);
    const daemonPods = byNode.get(node.metadata!.name!) ?? [];
    if (!shouldRun) {
      if (daemonPods.length) misscheduled++;
      continue;
    }
    desired++;
    if (!daemonPods.length) continue;
    current++;
    const pod = [...daemonPods].sort(daemonPodOrder)[0];
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, now)) available++;
      else {
        const t = availableAt(pod, minReady, now);
        if (t !== undefined) c.wakeAt(t, 'work');
      }
    }
    if (isPodUpdated(pod, hash, generation)) updated++;
  }
  const status: Record<string, number> = {
    currentNumberScheduled: current, numberMisscheduled: misscheduled, desiredNumberScheduled: desired, numberReady: ready,
    observedGeneration: ds.metadata?.generation ?? 1, updatedNumberScheduled: updated, numberAvailable: available, numberUnavailable: desired - available,
  };
  // omitempty in DaemonSetStatus
  for (const k of ['updatedNumberScheduled', 'numberAvailable', 'numberUnavailable']) if (!status[k]) delete status[k];
  const old = ds.status ?? {};
  if (STATUS_FIELDS.every((k) => (old[k] ?? 0) === (status[k] ?? 0)) && old.observedGeneration !== undefined) return false;
  const next = structuredClone(ds);
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(old)) if (!(STATUS_FIELDS as readonly string[]).includes(k)) kept[k] = v;
  next.status = { ...status, ...kept };
  return !!(await c.update('daemonsets', next, 'status'));
}

export const daemonSetController: Component = {
  name: COMPONENT,
  watches: ['daemonsets', 'pods', 'nodes', 'controllerrevisions'],
  async reconcile(c: ComponentClient): Promise<boolean> {
    const all = await c.list('daemonsets');
    if (all.length === 0) return false;
    const nodes = (await c.list('nodes')).filter((n) => !n.metadata?.deletionTimestamp);
    const namespaces = [...new Set(all.map((d) => d.metadata!.namespace!))];
    // One list per namespace, grouped by owner: no pass over pods per DaemonSet.
    const podsByOwner = new Map<string, KObject[]>();
    const revisionsByNs = new Map<string, KObject[]>();
    for (const ns of namespaces) {
      for (const p of await c.list('pods', ns)) {
        const ref = controllerRef(p);
        if (ref?.kind !== 'DaemonSet') continue;
        const list = podsByOwner.get(ref.uid);
        if (list) list.push(p);
        else podsByOwner.set(ref.uid, [p]);
      }
      revisionsByNs.set(ns, await c.list('controllerrevisions', ns));
    }
    let changed = false;
    for (const ds of all) {
      const pods = podsByOwner.get(ds.metadata!.uid!) ?? [];
      if (await syncDaemonSet(c, ds, nodes, pods, revisionsByNs.get(ds.metadata!.namespace!) ?? [])) changed = true;
    }
    return changed;
  },
};
