// kube-controller-manager's DaemonSet controller: one pod of each DaemonSet on every node that
// should run it. Since Kubernetes 1.12 the controller does not place the pods itself: it pins each
// pod to its node with a required node affinity (`matchFields metadata.name In [node]`) and lets
// the default scheduler bind it. It adds the tolerations every daemon pod carries (so kube-proxy
// keeps running on a not-ready, cordoned or pressured node), labels pods with the template's
// controller-revision-hash (the name of a ControllerRevision it keeps), and reports the counts
// `kubectl get ds` shows. Rolling updates come with the next issue: for now a changed template
// only counts the old pods as not updated.
import type { Component, ComponentClient } from './component.js';
import type { KObject } from '../apiserver/types.js';
import { controllerRef, isPodReady, isPodAvailable, availableAt, newControllerRef } from './pod-control.js';
import { computeHash } from './deployment/hash.js';

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

const STATUS_FIELDS = ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady', 'observedGeneration', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'] as const;

// ---- the controller ----

async function ensureRevision(c: ComponentClient, ds: KObject, hash: string, revisions: KObject[]): Promise<boolean> {
  const name = `${ds.metadata!.name}-${hash}`;
  const mine = revisions.filter((r) => controllerRef(r)?.uid === ds.metadata!.uid);
  if (mine.some((r) => r.metadata!.name === name)) return false;
  const revision = mine.reduce((m, r) => Math.max(m, r.revision ?? 0), 0) + 1;
  const created = await c.create('controllerrevisions', ds.metadata!.namespace, {
    apiVersion: 'apps/v1', kind: 'ControllerRevision',
    metadata: { name, namespace: ds.metadata!.namespace, labels: { ...(ds.spec?.template?.metadata?.labels ?? {}), 'controller-revision-hash': hash }, ownerReferences: [newControllerRef(ds)] },
    // What a rollback would put back: the template, replacing the whole of it.
    data: { spec: { template: { $patch: 'replace', ...structuredClone(ds.spec?.template ?? {}) } } },
    revision,
  });
  return !!created;
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
      if (running.length > 1) toDelete.push(...[...running].sort(daemonPodOrder).slice(1));
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
    const labels = pod.metadata?.labels ?? {};
    if (labels['controller-revision-hash'] === hash || (labels['controller-revision-hash'] === undefined && labels['pod-template-generation'] === generation)) updated++;
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
