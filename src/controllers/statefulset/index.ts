// kube-controller-manager's StatefulSet controller (pkg/controller/statefulset): pods with stable
// names `web-0, web-1, ...`, each with its own PersistentVolumeClaims made before it. With the
// default OrderedReady policy a pod is created only once every lower ordinal is Running and Ready
// (and available for minReadySeconds), and surplus pods go from the highest ordinal down, one at a
// time; Parallel does both at once. Each template is a ControllerRevision `<set>-<hash>` whose name
// labels the pods (controller-revision-hash). RollingUpdate replaces the pods at or above the
// partition, highest ordinal first, waiting for each to be healthy; OnDelete replaces only pods
// the user deletes. Claims are kept when pods go, unless persistentVolumeClaimRetentionPolicy says
// Delete (then the claim is owned by the set, or by the pod that is scaled away, and the garbage
// collector removes it).
//
// One pass does what one sync of the real controller does before it must wait for the world (a
// pod to become ready, a pod to finish terminating); level-triggered, the next round goes on.
import type { KObject, OwnerReference } from '../../apiserver/types.js';
import { fromLabelSelector, matches } from '../../apiserver/selectors.js';
import type { Component, ComponentClient } from '../component.js';
import { indexOf, lazyGroups } from '../informer.js';
import { availableAt, controllerRef, dirtyControllers, isPodAvailable, isPodReady, newControllerRef } from '../pod-control.js';
import { controllerRevisionName, ensureRevision, hashControllerRevision, ownedRevisions, REVISION_HASH_LABEL, templatePatch, truncateHistory } from '../history.js';
import { claimsFor, identityPatch, newStatefulPod, ordinalOf, REVISION_LABEL, startOrdinal } from './identity.js';

const COMPONENT = 'statefulset-controller';

const isCreated = (p: KObject | undefined): p is KObject => !!p?.status?.phase;
const isTerminating = (p: KObject) => !!p.metadata?.deletionTimestamp;
const isRunningAndReady = (p: KObject) => p.status?.phase === 'Running' && isPodReady(p);
const isHealthy = (p: KObject) => isRunningAndReady(p) && !isTerminating(p);
const revisionOfPod = (p: KObject) => p.metadata?.labels?.[REVISION_LABEL] ?? '';

interface Revisions {
  current: KObject;
  update: KObject;
  collisionCount: number;
  all: KObject[];
}

/** the template a revision puts back (ApplyRevision) */
function revisionTemplate(set: KObject, revision: KObject): any {
  const t = structuredClone(revision.data?.spec?.template ?? set.spec?.template ?? {});
  delete t.$patch;
  return t;
}

/** getStatefulSetRevisions: the update revision (made or reused) and the current one */
async function revisionsOf(c: ComponentClient, set: KObject, existing: KObject[]): Promise<{ rev?: Revisions; changed: boolean }> {
  let collisionCount = set.status?.collisionCount ?? 0;
  const mine = ownedRevisions(set, existing);
  const data = templatePatch(set);
  for (let attempt = 0; attempt < 5; attempt++) {
    const hash = hashControllerRevision(data, collisionCount);
    const labels = { ...(set.spec?.template?.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash };
    const r = await ensureRevision(c, set, mine, { name: controllerRevisionName(set.metadata!.name!, hash), labels, data });
    if (r.collision) {
      collisionCount++;
      continue;
    }
    if (!r.revision) return { changed: r.changed };
    const all = (await c.list('controllerrevisions', set.metadata!.namespace)).filter((x) => controllerRef(x)?.uid === set.metadata!.uid);
    const current = all.find((x) => x.metadata!.name === set.status?.currentRevision) ?? r.revision;
    return { rev: { current, update: r.revision, collisionCount, all }, changed: r.changed };
  }
  return { changed: false };
}

function retentionPolicy(set: KObject): { whenDeleted: string; whenScaled: string } {
  const p = set.spec?.persistentVolumeClaimRetentionPolicy ?? {};
  return { whenDeleted: p.whenDeleted ?? 'Retain', whenScaled: p.whenScaled ?? 'Retain' };
}

/**
 * updateClaimOwnerRefs: the owner references a claim should carry under the retention policy. A
 * claim owned by the set goes with the set; one owned by its pod goes when the pod is scaled away.
 */
function wantedClaimRefs(set: KObject, claim: KObject, pod: KObject | undefined, scaledDown: boolean): OwnerReference[] {
  const { whenDeleted, whenScaled } = retentionPolicy(set);
  const others = (claim.metadata?.ownerReferences ?? []).filter((r) => r.uid !== set.metadata!.uid && (!pod || r.uid !== pod.metadata!.uid));
  const ref = (o: KObject): OwnerReference => ({ apiVersion: o.apiVersion!, kind: o.kind!, name: o.metadata!.name!, uid: o.metadata!.uid! });
  const out = [...others];
  const byPod = whenScaled === 'Delete' && scaledDown && pod;
  if (byPod) out.push(ref(pod));
  else if (whenDeleted === 'Delete') out.push(ref(set));
  return out;
}

const refsKey = (refs: OwnerReference[] | undefined) => (refs ?? []).map((r) => r.uid).sort().join(',');

async function syncClaimRefs(c: ComponentClient, set: KObject, pod: KObject, ordinal: number, scaledDown: boolean): Promise<boolean> {
  let changed = false;
  for (const { claim } of claimsFor(set, ordinal)) {
    const stored = await c.get('persistentvolumeclaims', set.metadata!.namespace, claim.metadata!.name!);
    if (!stored || stored.metadata?.deletionTimestamp) continue;
    const want = wantedClaimRefs(set, stored, pod, scaledDown);
    if (refsKey(want) === refsKey(stored.metadata?.ownerReferences)) continue;
    await c.patch('persistentvolumeclaims', stored.metadata!.namespace, stored.metadata!.name!, { metadata: { ownerReferences: want.length ? want : null } });
    changed = true;
  }
  return changed;
}

interface SyncContext {
  c: ComponentClient;
  set: KObject;
  rev: Revisions;
  changed: boolean;
}

/** CreateStatefulPod: the missing claims first (each with its event), then the pod. */
async function createStatefulPod(ctx: SyncContext, pod: KObject, ordinal: number): Promise<boolean> {
  const { c, set } = ctx;
  const ns = set.metadata!.namespace!;
  const setName = set.metadata!.name!;
  const podName = pod.metadata!.name!;
  for (const { claim } of claimsFor(set, ordinal)) {
    const existing = await c.get('persistentvolumeclaims', ns, claim.metadata!.name!);
    if (existing) {
      if (existing.metadata?.deletionTimestamp) {
        await c.event(set, 'Warning', 'FailedCreate', `create Pod ${podName} in StatefulSet ${setName} failed error: pvc ${claim.metadata!.name} is being deleted`, { component: COMPONENT });
        return false;
      }
      continue;
    }
    const want = wantedClaimRefs(set, claim, undefined, false);
    if (want.length) claim.metadata!.ownerReferences = want;
    try {
      const made = await c.create('persistentvolumeclaims', ns, claim);
      if (made) {
        ctx.changed = true;
        c.trace('CreateClaim', `persistentvolumeclaim/${claim.metadata!.name}`, `for pod/${podName} of statefulset/${setName}`);
        await c.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${claim.metadata!.name} Pod ${podName} in StatefulSet ${setName} success`, { component: COMPONENT });
      }
    } catch (e) {
      const msg = (e as Error).message.replace(/^[^:]*: create [^:]*: /, '');
      await c.event(set, 'Warning', 'FailedCreate', `create Claim ${claim.metadata!.name} for Pod ${podName} in StatefulSet ${setName} failed error: ${msg}`, { component: COMPONENT });
      return false;
    }
  }
  try {
    const made = await c.create('pods', ns, pod);
    if (!made) return false;
    ctx.changed = true;
    c.trace('Create', `pod/${podName}`, `ordinal ${ordinal} of statefulset/${setName} at ${revisionOfPod(pod)}`);
    await c.event(set, 'Normal', 'SuccessfulCreate', `create Pod ${podName} in StatefulSet ${setName} successful`, { component: COMPONENT });
    return true;
  } catch (e) {
    const msg = (e as Error).message.replace(/^[^:]*: create [^:]*: /, '');
    await c.event(set, 'Warning', 'FailedCreate', `create Pod ${podName} in StatefulSet ${setName} failed error: ${msg}`, { component: COMPONENT });
    return false;
  }
}

async function deleteStatefulPod(ctx: SyncContext, pod: KObject, why: string): Promise<void> {
  const { c, set } = ctx;
  const gone = await c.delete('pods', pod.metadata!.namespace, pod.metadata!.name!);
  if (!gone) return;
  ctx.changed = true;
  c.trace('Delete', `pod/${pod.metadata!.name}`, `${why} (statefulset/${set.metadata!.name})`);
  await c.event(set, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata!.name} in StatefulSet ${set.metadata!.name} successful`, { component: COMPONENT });
}

/** updateStatefulSet: one pass over the replicas, then the condemned, then the rolling update. */
async function updateStatefulSet(ctx: SyncContext, pods: KObject[]): Promise<void> {
  const { c, set, rev } = ctx;
  const setName = set.metadata!.name!;
  const start = startOrdinal(set);
  const count = set.spec?.replicas ?? 1;
  const minReady = set.spec?.minReadySeconds ?? 0;
  const now = c.now();
  const monotonic = (set.spec?.podManagementPolicy ?? 'OrderedReady') !== 'Parallel';
  const strategy = set.spec?.updateStrategy ?? {};
  const partition = strategy.type === 'RollingUpdate' || !strategy.type ? strategy.rollingUpdate?.partition ?? 0 : 0;

  const replicas: (KObject | undefined)[] = new Array(count).fill(undefined);
  const condemned: { pod: KObject; ordinal: number }[] = [];
  for (const p of pods) {
    const ord = ordinalOf(setName, p.metadata!.name!);
    if (ord < 0) continue;
    if (ord >= start && ord < start + count) replicas[ord - start] = p;
    else condemned.push({ pod: p, ordinal: ord });
  }
  condemned.sort((a, b) => b.ordinal - a.ordinal);
  const currentTemplate = revisionTemplate(set, rev.current);
  const updateTemplate = revisionTemplate(set, rev.update);
  const newPod = (ord: number): KObject => {
    // Below the partition a missing pod comes back at the current revision.
    const useCurrent = (strategy.type ?? 'RollingUpdate') === 'RollingUpdate' && ord - start < partition && rev.current !== rev.update;
    return useCurrent ? newStatefulPod(set, currentTemplate, ord, rev.current.metadata!.name!) : newStatefulPod(set, updateTemplate, ord, rev.update.metadata!.name!);
  };
  const firstUnhealthy = [...replicas, ...condemned.map((x) => x.pod)].find((p) => p && !isHealthy(p));
  const blocking = (p: KObject): boolean => {
    const at = availableAt(p, minReady, now);
    if (at !== undefined) c.wakeAt(at, 'work', set.metadata!.uid!);
    return monotonic;
  };

  let stop = false;
  for (let i = 0; i < count && !stop; i++) {
    const ord = start + i;
    const p = replicas[i];
    if (p && (p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded')) {
      // A finished pod is deleted; the next sync makes it anew once it is gone.
      if (!isTerminating(p)) {
        if (p.status.phase === 'Failed') await c.event(set, 'Warning', 'RecreatingFailedPod', `StatefulSet ${set.metadata!.namespace}/${setName} is recreating failed Pod ${p.metadata!.name}`, { component: COMPONENT });
        else await c.event(set, 'Normal', 'RecreatingTerminatedPod', `StatefulSet ${set.metadata!.namespace}/${setName} is recreating terminated Pod ${p.metadata!.name}`, { component: COMPONENT });
        await deleteStatefulPod(ctx, p, 'finished, to be recreated');
      }
      if (monotonic) stop = true;
      continue;
    }
    if (!isCreated(p)) {
      if (p) continue; // a pod without a phase: the apiserver always sets one; leave it be
      await createStatefulPod(ctx, newPod(ord), ord);
      if (monotonic) stop = true;
      continue;
    }
    if (isTerminating(p) && monotonic) {
      stop = true;
      continue;
    }
    if (!isRunningAndReady(p) && monotonic) {
      stop = true;
      continue;
    }
    if (!isPodAvailable(p, minReady, now) && blocking(p)) {
      stop = true;
      continue;
    }
    const labels = identityPatch(set, p, ord);
    if (labels) {
      await c.patch('pods', p.metadata!.namespace, p.metadata!.name!, { metadata: { labels } });
      ctx.changed = true;
    }
    if (await syncClaimRefs(c, set, p, ord, false)) ctx.changed = true;
  }
  if (stop) return;

  // Scale down: the highest ordinal first; in order, only once the rest are healthy.
  for (const { pod, ordinal } of condemned) {
    if (isTerminating(pod)) {
      if (monotonic) return;
      continue;
    }
    if (monotonic && pod !== firstUnhealthy && (!isRunningAndReady(pod) || !isPodAvailable(pod, minReady, now))) return;
    if (await syncClaimRefs(c, set, pod, ordinal, true)) ctx.changed = true;
    await deleteStatefulPod(ctx, pod, 'scale down');
    if (monotonic) return;
  }
  if (condemned.length && !monotonic) return;

  if (strategy.type === 'OnDelete') return;
  // Rolling update: the highest ordinal not at the update revision goes, one at a time.
  for (let i = count - 1; i >= partition; i--) {
    const p = replicas[i];
    if (!p) return;
    if (revisionOfPod(p) !== rev.update.metadata!.name && !isTerminating(p)) {
      await deleteStatefulPod(ctx, p, `rolling update to ${rev.update.metadata!.name}`);
      return;
    }
    if (!isHealthy(p)) return;
  }
}

const STATUS_FIELDS = ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'currentRevision', 'updateRevision', 'collisionCount', 'observedGeneration', 'availableReplicas'];

/** updateStatefulSetStatus, with completeRollingUpdate */
async function updateStatus(c: ComponentClient, set: KObject, pods: KObject[], rev: Revisions): Promise<boolean> {
  const now = c.now();
  const minReady = set.spec?.minReadySeconds ?? 0;
  const s: any = {
    observedGeneration: set.metadata?.generation ?? 1, replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0,
    currentRevision: rev.current.metadata!.name, updateRevision: rev.update.metadata!.name, collisionCount: rev.collisionCount,
  };
  for (const p of pods) {
    if (isCreated(p)) s.replicas++;
    if (isRunningAndReady(p)) {
      s.readyReplicas++;
      if (isPodAvailable(p, minReady, now)) s.availableReplicas++;
    }
    if (isCreated(p) && !isTerminating(p)) {
      if (revisionOfPod(p) === s.currentRevision) s.currentReplicas++;
      if (revisionOfPod(p) === s.updateRevision) s.updatedReplicas++;
    }
  }
  if ((set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && s.updatedReplicas === s.replicas && s.readyReplicas === s.replicas) {
    s.currentReplicas = s.updatedReplicas;
    s.currentRevision = s.updateRevision;
  }
  // omitempty in StatefulSetStatus (replicas and availableReplicas are always written)
  for (const k of ['readyReplicas', 'currentReplicas', 'updatedReplicas']) if (!s[k]) delete s[k];
  const old = set.status ?? {};
  if (STATUS_FIELDS.every((k) => (old[k] ?? 0) === (s[k] ?? 0))) return false;
  const next = structuredClone(set);
  next.status = { ...s, ...(old.conditions ? { conditions: old.conditions } : {}) };
  const done = await c.update('statefulsets', next, 'status');
  if (done) c.trace('Status', `statefulset/${set.metadata!.name}`, `replicas ${s.replicas}, ready ${s.readyReplicas ?? 0}, updated ${s.updatedReplicas ?? 0} (${s.updateRevision})`);
  return !!done;
}

async function syncStatefulSet(c: ComponentClient, set: KObject, owned: KObject[], orphans: KObject[]): Promise<boolean> {
  const ns = set.metadata!.namespace!;
  const selector = fromLabelSelector(set.spec?.selector);
  if (selector.length === 0) return false;
  let changed = false;
  // Claim: release owned pods that stopped matching, adopt matching orphans named like ours.
  const pods: KObject[] = [];
  for (const p of owned) {
    if (matches(selector, p.metadata?.labels)) pods.push(p);
    else if (!set.metadata?.deletionTimestamp) {
      const refs = (p.metadata!.ownerReferences ?? []).filter((r) => r.uid !== set.metadata!.uid);
      await c.patch('pods', ns, p.metadata!.name!, { metadata: { ownerReferences: refs.length ? refs : null } });
      changed = true;
    }
  }
  if (!set.metadata?.deletionTimestamp) {
    for (const p of orphans) {
      if (p.metadata?.deletionTimestamp || !matches(selector, p.metadata?.labels) || ordinalOf(set.metadata!.name!, p.metadata!.name!) < 0) continue;
      const adopted = await c.patch('pods', ns, p.metadata!.name!, { metadata: { ownerReferences: [...(p.metadata!.ownerReferences ?? []), newControllerRef(set)] } });
      if (adopted) {
        pods.push(adopted);
        changed = true;
      }
    }
  }
  const revisions = await c.list('controllerrevisions', ns);
  const { rev, changed: revChanged } = await revisionsOf(c, set, revisions);
  if (revChanged) changed = true;
  if (!rev) return changed;
  const ctx: SyncContext = { c, set, rev, changed };
  if (!set.metadata?.deletionTimestamp) await updateStatefulSet(ctx, pods);
  if (ctx.changed) {
    // The world moved: the next round counts it (the real controller's status is the same count).
    return true;
  }
  const statusChanged = await updateStatus(c, set, pods, rev);
  const live = new Set([rev.current.metadata!.name!, rev.update.metadata!.name!, ...pods.map(revisionOfPod)]);
  const truncated = await truncateHistory(c, set, ownedRevisions(set, rev.all), live);
  return statusChanged || truncated;
}

export const statefulSetController: Component = {
  name: COMPONENT,
  watches: ['statefulsets', 'pods', 'controllerrevisions', 'persistentvolumeclaims'],
  async reconcile(c) {
    const all = await c.list('statefulsets');
    if (all.length === 0) return false;
    const dirty = dirtyControllers(c, 'apps/statefulsets', ['pods', 'apps/controllerrevisions']);
    const sets = !dirty ? all : all.filter((s) => dirty.uids.has(s.metadata!.uid!) || dirty.namespaces.has(s.metadata!.namespace!));
    if (sets.length === 0) return false;
    const owners = lazyGroups(await indexOf(c, 'pods', 'pods-by-controller', (p) => controllerRef(p)?.uid));
    const orphans = lazyGroups(await indexOf(c, 'pods', 'orphan-pods-by-namespace', (p) => (controllerRef(p) ? undefined : p.metadata?.namespace ?? '')));
    let changed = false;
    for (const set of sets) {
      const owned = owners.get(set.metadata!.uid!) ?? [];
      if (await syncStatefulSet(c, set, owned, orphans.get(set.metadata!.namespace!) ?? [])) changed = true;
    }
    return changed;
  },
};
