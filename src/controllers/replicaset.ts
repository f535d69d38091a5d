// ReplicaSet controller (pkg/controller/replicaset): keeps spec.replicas active pods for every
// ReplicaSet. It claims its pods (adopts matching orphans, releases owned pods that no longer
// match), creates missing pods through the apiserver with generateName `<rs>-`, deletes surplus
// pods in the real order (pod-control.ts), and writes status (replicas, fullyLabeledReplicas,
// readyReplicas, availableReplicas, observedGeneration).
//
// Expectations: the real controller waits for its own creates/deletes to show up in its informer
// cache before acting again. Here every write is synchronous and every round re-reads the store,
// so the level-triggered recount is already exact and no expectations are needed.
//
// Creation batches: the real controller creates at most burstReplicas (500) pods per sync in
// slow-start batches of 1, 2, 4, ..., all inside one sync, stopping at the first batch with a
// failure. We do exactly that: a healthy ReplicaSet gets all its pods in one reconcile.
import type { KObject } from '../apiserver/types.js';
import { fromLabelSelector, fromMap, matches } from '../apiserver/selectors.js';
import type { Component, ComponentClient } from './component.js';
import { indexOf, lazyGroups } from './informer.js';
import { rfc3339 } from '../cluster/clock.js';
import { availableAt, controllerRef, dirtyControllers, isPodActive, isPodAvailable, isPodReady, newControllerRef, podsToDelete } from './pod-control.js';

const COMPONENT = 'replicaset-controller';
/** controller.BurstReplicas: the most pods one sync creates or deletes */
export const BURST_REPLICAS = 500;
const SLOW_START_INITIAL_BATCH = 1;

/** Pods indexed once per reconcile: by controller uid, and orphans by namespace. */
export interface PodIndex {
  byOwner: Map<string, KObject[]>;
  orphans: Map<string, KObject[]>;
}

export function indexPods(pods: KObject[]): PodIndex {
  const byOwner = new Map<string, KObject[]>();
  const orphans = new Map<string, KObject[]>();
  for (const p of pods) {
    const ref = controllerRef(p);
    if (ref) push(byOwner, ref.uid, p);
    else push(orphans, p.metadata?.namespace ?? '', p);
  }
  return { byOwner, orphans };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

export const replicaSetController: Component = {
  name: COMPONENT,
  watches: ['replicasets', 'pods'],
  async reconcile(c) {
    const all = await c.list('replicasets');
    if (all.length === 0) return false;
    const dirty = dirtyControllers(c, 'apps/replicasets', ['pods']);
    const sets = !dirty ? all : all.filter((rs) => dirty.uids.has(rs.metadata!.uid!) || dirty.namespaces.has(rs.metadata!.namespace!));
    if (sets.length === 0) return false;
    const owners = await indexOf(c, 'pods', 'pods-by-controller', (p) => controllerRef(p)?.uid);
    const orphans = await indexOf(c, 'pods', 'orphan-pods-by-namespace', (p) => (controllerRef(p) ? undefined : p.metadata?.namespace ?? ''));
    const idx: PodIndex = { byOwner: lazyGroups(owners), orphans: lazyGroups(orphans) };
    // Pods of sibling ReplicaSets (same Deployment), for the "doubled up on a node" deletion rank.
    const rsByOwner = new Map<string, KObject[]>();
    for (const rs of all) {
      const ref = controllerRef(rs);
      if (ref) push(rsByOwner, ref.uid, rs);
    }
    let changed = false;
    for (const rs of sets) {
      if (await syncReplicaSet(c, rs, idx, rsByOwner)) changed = true;
    }
    return changed;
  },
};

async function syncReplicaSet(c: ComponentClient, rs: KObject, idx: PodIndex, rsByOwner: Map<string, KObject[]>): Promise<boolean> {
  const md = rs.metadata!;
  const ns = md.namespace!;
  const uid = md.uid!;
  const selector = fromLabelSelector(rs.spec?.selector);
  // An empty selector would select everything: the apiserver refuses it, and so do we.
  if (selector.length === 0) return false;
  let changed = false;
  const now = c.now();

  // Claim: keep owned pods that still match, release the others, adopt matching orphans.
  const owned: KObject[] = [];
  for (const p of idx.byOwner.get(uid) ?? []) {
    if (!isPodActive(p)) continue;
    if (matches(selector, p.metadata?.labels)) {
      owned.push(p);
    } else if (!md.deletionTimestamp) {
      const refs = (p.metadata!.ownerReferences ?? []).filter((r) => r.uid !== uid);
      c.trace('Release', `pod/${p.metadata!.name}`, `labels no longer match ${rs.kind?.toLowerCase() ?? 'replicaset'}/${md.name}`);
      await c.patch('pods', ns, p.metadata!.name!, { metadata: { ownerReferences: refs.length ? refs : null } });
      changed = true;
    }
  }
  if (!md.deletionTimestamp) {
    for (const p of idx.orphans.get(ns) ?? []) {
      if (!isPodActive(p) || controllerRef(p) || !matches(selector, p.metadata?.labels)) continue;
      const refs = [...(p.metadata!.ownerReferences ?? []), newControllerRef(rs)];
      const adopted = await c.patch('pods', ns, p.metadata!.name!, { metadata: { ownerReferences: refs } });
      if (adopted) {
        c.trace('Adopt', `pod/${p.metadata!.name}`, `matches replicaset/${md.name}`);
        owned.push(adopted);
        // The index is shared by every ReplicaSet of this round: the pod is no orphan any more.
        idx.orphans.set(ns, (idx.orphans.get(ns) ?? []).filter((x) => x !== p));
        changed = true;
      }
    }
  }

  let failure: { reason: string; message: string } | undefined;
  let active = owned;
  if (!md.deletionTimestamp) {
    const r = await manageReplicas(c, rs, owned, idx, rsByOwner, now);
    if (r.changed) changed = true;
    failure = r.failure;
    active = r.active;
  }

  // Status, written only when it moved.
  const minReady = rs.spec?.minReadySeconds ?? 0;
  const tplSelector = fromMap(rs.spec?.template?.metadata?.labels);
  let fully = 0;
  let ready = 0;
  let available = 0;
  for (const p of active) {
    if (matches(tplSelector, p.metadata?.labels)) fully++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, minReady, now)) available++;
      else {
        const at = availableAt(p, minReady, now);
        if (at !== undefined) c.wakeAt(at, 'work', uid);
      }
    }
  }
  const old = rs.status ?? {};
  const status: any = { replicas: active.length };
  if (fully) status.fullyLabeledReplicas = fully;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  if (md.generation) status.observedGeneration = md.generation;
  const conditions = ((old.conditions ?? []) as any[]).filter((x) => x.type !== 'ReplicaFailure');
  const oldFailure = (old.conditions ?? []).find((x: any) => x.type === 'ReplicaFailure');
  if (failure) {
    conditions.push(oldFailure ?? { type: 'ReplicaFailure', status: 'True', lastTransitionTime: rfc3339(now), reason: failure.reason, message: failure.message });
  }
  if (conditions.length) status.conditions = conditions;
  if (!sameStatus(old, status)) {
    const current = await c.get('replicasets', ns, md.name!);
    if (current) {
      const body = structuredClone(current);
      body.status = status;
      await c.update('replicasets', body, 'status');
      c.trace('Status', `replicaset/${md.name}`, `replicas ${status.replicas}, ready ${ready}, available ${available}`);
      changed = true;
    }
  }
  return changed;
}

const STATUS_FIELDS = ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'];

function sameStatus(a: any, b: any): boolean {
  for (const f of STATUS_FIELDS) if ((a[f] ?? 0) !== (b[f] ?? 0)) return false;
  return JSON.stringify(a.conditions ?? []) === JSON.stringify(b.conditions ?? []);
}

interface ManageResult {
  changed: boolean;
  active: KObject[];
  failure?: { reason: string; message: string };
}

/** manageReplicas: create or delete the difference between active pods and spec.replicas. */
async function manageReplicas(c: ComponentClient, rs: KObject, pods: KObject[], idx: PodIndex, rsByOwner: Map<string, KObject[]>, now: number): Promise<ManageResult> {
  const md = rs.metadata!;
  const want = rs.spec?.replicas ?? 1;
  const diff = pods.length - want;
  if (diff < 0) {
    const count = Math.min(-diff, BURST_REPLICAS);
    c.trace('Scale', `replicaset/${md.name}`, `${pods.length} → ${want} pods: creating ${count}`);
    const created: KObject[] = [];
    let failure: ManageResult['failure'];
    // Slow start: batches of 1, 2, 4, ... stop at the first batch that fails.
    let remaining = count;
    for (let batch = Math.min(remaining, SLOW_START_INITIAL_BATCH); batch > 0; batch = Math.min(2 * batch, remaining)) {
      let failed = false;
      for (let i = 0; i < batch; i++) {
        const r = await createPod(c, rs);
        if ('pod' in r) created.push(r.pod);
        else {
          failed = true;
          failure = { reason: 'FailedCreate', message: r.error };
        }
      }
      remaining -= batch;
      if (failed) break;
    }
    // A failure alone is not progress: the next command retries (the real controller backs off).
    return { changed: created.length > 0, active: [...pods, ...created], failure };
  }
  if (diff > 0) {
    const count = Math.min(diff, BURST_REPLICAS);
    // Related pods: every active pod of the ReplicaSets that share this one's controller.
    const owner = controllerRef(rs);
    const siblings = owner ? rsByOwner.get(owner.uid) ?? [rs] : [rs];
    const related = siblings.flatMap((s) => idx.byOwner.get(s.metadata!.uid!) ?? []);
    const victims = podsToDelete(pods, related, count, now);
    c.trace('Scale', `replicaset/${md.name}`, `${pods.length} → ${want} pods: deleting ${victims.map((p) => p.metadata!.name).join(', ')}`);
    const gone = new Set<KObject>();
    let failure: ManageResult['failure'];
    for (const p of victims) {
      try {
        await c.delete('pods', md.namespace, p.metadata!.name!);
        gone.add(p);
        await c.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata!.name}`, { component: COMPONENT });
      } catch (e) {
        const msg = `Error deleting: ${(e as Error).message}`;
        failure = { reason: 'FailedDelete', message: msg };
        await c.event(rs, 'Warning', 'FailedDelete', msg, { component: COMPONENT });
      }
    }
    return { changed: true, active: pods.filter((p) => !gone.has(p)), failure };
  }
  return { changed: false, active: pods };
}

/** controller.GetPodFromTemplate + CreatePods: the pod a ReplicaSet asks the apiserver for. */
async function createPod(c: ComponentClient, rs: KObject): Promise<{ pod: KObject } | { error: string }> {
  const md = rs.metadata!;
  const tpl = rs.spec?.template ?? {};
  const tmd = tpl.metadata ?? {};
  const meta: any = { generateName: `${md.name}-`, namespace: md.namespace };
  if (tmd.labels) meta.labels = { ...tmd.labels };
  if (tmd.annotations) meta.annotations = { ...tmd.annotations };
  if (tmd.finalizers) meta.finalizers = [...tmd.finalizers];
  meta.ownerReferences = [newControllerRef(rs)];
  const body: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: structuredClone(tpl.spec ?? {}) };
  try {
    const pod = await c.create('pods', md.namespace, body);
    if (!pod) return { error: 'Error creating: conflict' };
    c.trace('Create', `pod/${pod.metadata!.name}`, `for replicaset/${md.name}`);
    await c.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata!.name}`, { component: COMPONENT });
    return { pod };
  } catch (e) {
    // The client's message is "<component>: create pods <name>: <apiserver message>".
    const msg = `Error creating: ${(e as Error).message.replace(/^[^:]*: create pods [^:]*: /, '')}`;
    await c.event(rs, 'Warning', 'FailedCreate', msg, { component: COMPONENT });
    return { error: msg };
  }
}
