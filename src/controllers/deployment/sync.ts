// The parts of a Deployment sync shared by every strategy (pkg/controller/deployment/sync.go):
// finding or creating the new ReplicaSet and keeping revisions in step, scaling a ReplicaSet with
// its ScalingReplicaSet event, proportional scaling when replicas change mid-rollout, and the
// plain status sync used while paused.
import type { KObject } from '../../apiserver/types.js';
import { newControllerRef } from '../pod-control.js';
import { COMPONENT, ref, updateReplicaSet, writeDeploymentStatus, type SyncContext } from './context.js';
import { computeHash } from './hash.js';
import { calculateStatus, sameStatus } from './progress/status.js';
import { cleanupDeployment } from './history.js';
import {
  activeReplicaSets, byCreation, desiredReplicasAnnotation, equalIgnoreHash, findActiveOrLatest, getCondition, getProportion,
  hasProgressDeadline, isRollingUpdate, isSaturated, maxRevision, maxSurge, newCondition, newRSNewReplicas, POD_TEMPLATE_HASH,
  PROGRESSING, REASONS, REVISION, replicasAnnotationsNeedUpdate, replicasOf, setCondition, setNewReplicaSetAnnotations,
  setReplicasAnnotations, specReplicas,
} from './util.js';

export interface AllReplicaSets {
  newRS?: KObject;
  oldRSs: KObject[];
}

/**
 * getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created when asked and missing) and the
 * old ones, with the new one's revision raised above every old one.
 */
export async function getAllReplicaSetsAndSyncRevision(ctx: SyncContext, createIfNotExisted: boolean): Promise<AllReplicaSets> {
  const existing = [...ctx.rsList].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, ctx.d.spec?.template));
  const oldRSs = ctx.rsList.filter((rs) => rs !== existing);
  const newRS = await getNewReplicaSet(ctx, existing, oldRSs, createIfNotExisted);
  return { newRS, oldRSs: ctx.rsList.filter((rs) => rs.metadata!.uid !== newRS?.metadata!.uid) };
}

/** Sets the Deployment's revision annotation; true when it changed. */
function setDeploymentRevision(d: KObject, revision: string): boolean {
  const a = ((d.metadata ??= {}).annotations ??= {});
  if (a[REVISION] === revision) return false;
  a[REVISION] = revision;
  return true;
}

async function getNewReplicaSet(ctx: SyncContext, existing: KObject | undefined, oldRSs: KObject[], createIfNotExisted: boolean): Promise<KObject | undefined> {
  const { c, d } = ctx;
  const newRevision = maxRevision(oldRSs) + 1;
  const now = c.now();

  if (existing) {
    const rsCopy = structuredClone(existing);
    const annotationsUpdated = setNewReplicaSetAnnotations(d, rsCopy, newRevision, true);
    const minReady = d.spec?.minReadySeconds ?? 0;
    if (annotationsUpdated || (rsCopy.spec?.minReadySeconds ?? 0) !== minReady) {
      if (minReady) rsCopy.spec.minReadySeconds = minReady;
      else delete rsCopy.spec.minReadySeconds;
      if (revisionOfText(existing) !== rsCopy.metadata!.annotations![REVISION]) {
        c.trace('Revision', `replicaset/${rsCopy.metadata!.name}`, `template back to this ReplicaSet's: revision ${revisionOfText(existing) ?? '-'} → ${newRevision}`);
      }
      // As the real controller: the ReplicaSet is updated now, the Deployment on the next pass.
      return updateReplicaSet(ctx, rsCopy);
    }
    let needsUpdate = setDeploymentRevision(d, rsCopy.metadata!.annotations![REVISION]);
    if (hasProgressDeadline(d) && !getCondition(d.status, PROGRESSING)) {
      setCondition((d.status ??= {}), newCondition(PROGRESSING, 'True', REASONS.foundNewRS, `Found new replica set "${rsCopy.metadata!.name}"`, now));
      needsUpdate = true;
    }
    if (needsUpdate) await writeDeploymentStatus(ctx);
    return existing;
  }
  if (!createIfNotExisted) return undefined;

  // A new ReplicaSet: the template plus the pod-template-hash label, named after the hash.
  const template = structuredClone(d.spec?.template ?? {});
  const hash = computeHash(template, d.status?.collisionCount);
  (template.metadata ??= {}).labels = { ...(template.metadata.labels ?? {}), [POD_TEMPLATE_HASH]: hash };
  const selector = structuredClone(d.spec?.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash };
  const md = d.metadata!;
  const rs: KObject = {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: `${md.name}-${hash}`, namespace: md.namespace, labels: { ...template.metadata.labels }, ownerReferences: [newControllerRef(d)] },
    spec: { replicas: 0, selector, template },
  };
  if (d.spec?.minReadySeconds) rs.spec.minReadySeconds = d.spec.minReadySeconds;
  const count = newRSNewReplicas(d, [...oldRSs, rs], rs);
  rs.spec.replicas = count;
  setNewReplicaSetAnnotations(d, rs, newRevision, false);

  let created = await c.create('replicasets', md.namespace, rs);
  let alreadyExists = false;
  if (!created) {
    // AlreadyExists: ours with the same template (a stale view) is fine; anything else is a hash
    // collision, and the next pass hashes with a bigger collisionCount.
    const other = await c.get('replicasets', md.namespace, rs.metadata!.name!);
    const ours = other?.metadata?.ownerReferences?.some((r) => r.controller && r.uid === md.uid);
    if (other && ours && equalIgnoreHash(other.spec?.template, d.spec?.template)) {
      created = other;
      alreadyExists = true;
    } else {
      d.status = { ...(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 };
      c.trace('Collision', ref(d), `replicaset/${rs.metadata!.name} exists with another template: collisionCount ${d.status.collisionCount}`);
      await writeDeploymentStatus(ctx);
      return undefined;
    }
  } else {
    ctx.rsList = [...ctx.rsList, created];
    ctx.changed = true;
    c.trace('Create', `replicaset/${created.metadata!.name}`, `new template: revision ${newRevision}, ${count} replicas`);
    if (count > 0) {
      await c.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata!.name} from 0 to ${count}`, { component: COMPONENT });
    }
  }
  let needsUpdate = setDeploymentRevision(d, String(newRevision));
  if (!alreadyExists && hasProgressDeadline(d)) {
    setCondition((d.status ??= {}), newCondition(PROGRESSING, 'True', REASONS.newRSCreated, `Created new replica set "${created.metadata!.name}"`, now));
    needsUpdate = true;
  }
  if (needsUpdate) await writeDeploymentStatus(ctx);
  return created;
}

function revisionOfText(rs: KObject): string | undefined {
  return rs.metadata?.annotations?.[REVISION];
}

/** scaleReplicaSetAndRecordEvent: up or down to newScale, nothing when already there. */
export async function scaleReplicaSetAndRecordEvent(ctx: SyncContext, rs: KObject, newScale: number, why: string): Promise<[scaled: boolean, rs: KObject]> {
  if (replicasOf(rs) === newScale) return [false, rs];
  return scaleReplicaSet(ctx, rs, newScale, replicasOf(rs) < newScale ? 'up' : 'down', why);
}

/** scaleReplicaSet: writes replicas and desired/max annotations; a size change gets its event. */
export async function scaleReplicaSet(ctx: SyncContext, rs: KObject, newScale: number, op: 'up' | 'down' | '', why: string): Promise<[scaled: boolean, rs: KObject]> {
  const { c, d } = ctx;
  const want = replicasOf(d);
  const max = want + maxSurge(d);
  const sizeNeedsUpdate = replicasOf(rs) !== newScale;
  if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, want, max)) return [false, rs];
  const oldScale = replicasOf(rs);
  const copy = structuredClone(rs);
  copy.spec.replicas = newScale;
  setReplicasAnnotations(copy, want, max);
  const stored = await updateReplicaSet(ctx, copy);
  if (!stored) return [false, rs];
  if (sizeNeedsUpdate) {
    const name = stored.metadata!.name!;
    c.trace('Scale', name, `${oldScale} → ${newScale} (${why})`);
    const verb = op === 'up' ? 'up' : 'down';
    await c.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${verb} replica set ${name} from ${oldScale} to ${newScale}`, { component: COMPONENT });
  }
  return [sizeNeedsUpdate, stored];
}

/** isScalingEvent: an active ReplicaSet was sized for another replica count. */
export async function isScalingEvent(ctx: SyncContext): Promise<boolean> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, false);
  for (const rs of activeReplicaSets([...oldRSs, newRS])) {
    const desired = desiredReplicasAnnotation(rs);
    if (desired !== undefined && desired !== replicasOf(ctx.d)) return true;
  }
  return false;
}

/**
 * scale: one active ReplicaSet takes the whole count; a saturated new one retires the old; during
 * a rolling update the change is spread over the active ReplicaSets in proportion to their size.
 */
export async function scale(ctx: SyncContext, newRS: KObject | undefined, oldRSs: KObject[]): Promise<void> {
  const d = ctx.d;
  const want = replicasOf(d);
  const one = findActiveOrLatest(newRS, oldRSs);
  if (one) {
    if (replicasOf(one) !== want) await scaleReplicaSetAndRecordEvent(ctx, one, want, `deployment scaled to ${want}`);
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const old of activeReplicaSets(oldRSs)) await scaleReplicaSetAndRecordEvent(ctx, old, 0, 'new replica set saturated');
    return;
  }
  if (!isRollingUpdate(d)) return;
  const all = activeReplicaSets([...oldRSs, newRS]);
  const allowed = want > 0 ? want + maxSurge(d) : 0;
  const toAdd = allowed - specReplicas(all);
  let op: 'up' | 'down' | '' = '';
  const bySizeThen = (newerFirst: boolean) => (a: KObject, b: KObject) => {
    const s = replicasOf(b) - replicasOf(a);
    if (s !== 0) return s;
    return newerFirst ? byCreation(b, a) : byCreation(a, b);
  };
  if (toAdd > 0) {
    all.sort(bySizeThen(true));
    op = 'up';
  } else if (toAdd < 0) {
    all.sort(bySizeThen(false));
    op = 'down';
  }
  let added = 0;
  const sizes = new Map<KObject, number>();
  for (const rs of all) {
    if (toAdd !== 0) {
      const p = getProportion(rs, d, toAdd, added, d.status?.replicas ?? 0);
      sizes.set(rs, replicasOf(rs) + p);
      added += p;
    } else sizes.set(rs, replicasOf(rs));
  }
  for (let i = 0; i < all.length; i++) {
    const rs = all[i];
    if (i === 0 && toAdd !== 0) sizes.set(rs, Math.max(0, sizes.get(rs)! + toAdd - added));
    await scaleReplicaSet(ctx, rs, sizes.get(rs)!, op, `proportional scaling to ${want}`);
  }
}

/** sync: scaling events and paused Deployments: no rollout, just sizes and status. */
export async function syncScaleOnly(ctx: SyncContext): Promise<void> {
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, false);
  await scale(ctx, newRS, oldRSs);
  ({ newRS, oldRSs } = refresh(ctx, newRS, oldRSs));
  if (ctx.d.spec?.paused) await cleanupDeployment(ctx, oldRSs);
  await syncDeploymentStatus(ctx, [...oldRSs, newRS], newRS);
}

/** syncStatusOnly: a Deployment being deleted only gets its status updated. */
export async function syncStatusOnly(ctx: SyncContext): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, false);
  await syncDeploymentStatus(ctx, [...oldRSs, newRS], newRS);
}

export async function syncDeploymentStatus(ctx: SyncContext, all: (KObject | undefined)[], newRS: KObject | undefined): Promise<void> {
  const status = calculateStatus(ctx, all, newRS);
  if (sameStatus(ctx.d.status, status)) return;
  ctx.d.status = status;
  await writeDeploymentStatus(ctx);
}

/** The latest stored versions of the ReplicaSets (after the writes of this sync). */
export function refresh(ctx: SyncContext, newRS: KObject | undefined, oldRSs: KObject[]): AllReplicaSets {
  const byUid = new Map(ctx.rsList.map((rs) => [rs.metadata!.uid!, rs]));
  return {
    newRS: newRS ? byUid.get(newRS.metadata!.uid!) ?? newRS : undefined,
    oldRSs: oldRSs.map((rs) => byUid.get(rs.metadata!.uid!) ?? rs),
  };
}
