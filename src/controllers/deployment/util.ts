// Deployment helpers (pkg/controller/deployment/util in kube-controller-manager): revisions,
// which ReplicaSet is the "new" one, surge/unavailable arithmetic, replica counts over
// ReplicaSets, the annotations the controller keeps on ReplicaSets, and status conditions.
// The CLI's `rollout history|undo|status` use the exported helpers too.
import type { KObject } from '../../apiserver/types.js';
import { rfc3339 } from '../../cluster/clock.js';

export const POD_TEMPLATE_HASH = 'pod-template-hash';
export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
/** kubectl's `rollout history` column comes from this annotation */
export const CHANGE_CAUSE = 'kubernetes.io/change-cause';
/** the longest revision-history annotation the controller writes */
export const MAX_REV_HISTORY_CHARS = 2000;
const MAX_INT32 = 2147483647;

/** annotations of the Deployment that are not copied to its ReplicaSets */
const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration', REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);

// ---- revisions ----

/** The revision of a ReplicaSet (0 when missing or unparsable). */
export function revisionOf(o: KObject | undefined): number {
  const v = o?.metadata?.annotations?.[REVISION];
  if (v === undefined) return 0;
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : 0;
}

export function maxRevision(sets: KObject[]): number {
  let m = 0;
  for (const rs of sets) m = Math.max(m, revisionOf(rs));
  return m;
}

// ---- templates ----

/** Semantic deep equality: undefined, null, {} and [] are all "empty", as apimachinery treats nil vs empty. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  const empty = (v: unknown) => v === undefined || v === null || (typeof v === 'object' && Object.keys(v as object).length === 0);
  if (empty(a) && empty(b)) return true;
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => semanticEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) if (!semanticEqual(ao[k], bo[k])) return false;
  return true;
}

/** Two pod templates are the same apart from the pod-template-hash label. */
export function equalIgnoreHash(t1: any, t2: any): boolean {
  const strip = (t: any) => {
    const c = structuredClone(t ?? {});
    if (c.metadata?.labels) delete c.metadata.labels[POD_TEMPLATE_HASH];
    return c;
  };
  return semanticEqual(strip(t1), strip(t2));
}

/** ReplicaSetsByCreationTimestamp: oldest first, name breaks ties. */
export function byCreation(a: KObject, b: KObject): number {
  const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
  if (ta !== tb) return ta - tb;
  return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : (a.metadata?.name ?? '') > (b.metadata?.name ?? '') ? 1 : 0;
}

/** ReplicaSetsByRevision: lowest revision first, creation time breaks ties. */
export function byRevision(a: KObject, b: KObject): number {
  const d = revisionOf(a) - revisionOf(b);
  return d !== 0 ? d : byCreation(a, b);
}

/** The ReplicaSet whose template is the Deployment's (the oldest such, as the real controller picks). */
export function findNewReplicaSet(deploy: KObject, sets: KObject[]): KObject | undefined {
  return [...sets].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, deploy.spec?.template));
}

/** Every ReplicaSet but the new one. */
export function findOldReplicaSets(deploy: KObject, sets: KObject[]): KObject[] {
  const n = findNewReplicaSet(deploy, sets);
  return sets.filter((rs) => rs !== n);
}

// ---- arithmetic ----

/** intstr.GetScaledValueFromIntOrPercent */
export function scaledValue(v: number | string | undefined | null, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) {
    const n = Number.parseInt(v, 10);
    return Number.isFinite(n) ? n : 0;
  }
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

export function isRollingUpdate(d: KObject): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

export function replicasOf(o: KObject | undefined): number {
  return o?.spec?.replicas ?? 1;
}

/** ResolveFenceposts: surge rounds up, unavailable down; both zero means one unavailable. */
export function resolveFenceposts(maxSurge: number | string | undefined, maxUnavailable: number | string | undefined, desired: number): [surge: number, unavailable: number] {
  const surge = scaledValue(maxSurge ?? '25%', desired, true);
  let unavailable = scaledValue(maxUnavailable ?? '25%', desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

export function maxSurge(d: KObject): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  return resolveFenceposts(ru.maxSurge, ru.maxUnavailable, replicasOf(d))[0];
}

export function maxUnavailable(d: KObject): number {
  const want = replicasOf(d);
  if (!isRollingUpdate(d) || want === 0) return 0;
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  return Math.min(resolveFenceposts(ru.maxSurge, ru.maxUnavailable, want)[1], want);
}

/** sum of spec.replicas */
export function specReplicas(sets: (KObject | undefined)[]): number {
  return sets.reduce((n, rs) => n + (rs ? replicasOf(rs) : 0), 0);
}

/** sum of status.replicas ("actual") */
export function actualReplicas(sets: (KObject | undefined)[]): number {
  return sets.reduce((n, rs) => n + (rs?.status?.replicas ?? 0), 0);
}

export function readyReplicas(sets: (KObject | undefined)[]): number {
  return sets.reduce((n, rs) => n + (rs?.status?.readyReplicas ?? 0), 0);
}

export function availableReplicas(sets: (KObject | undefined)[]): number {
  return sets.reduce((n, rs) => n + (rs?.status?.availableReplicas ?? 0), 0);
}

export function activeReplicaSets(sets: (KObject | undefined)[]): KObject[] {
  return sets.filter((rs): rs is KObject => !!rs && replicasOf(rs) > 0);
}

// ---- annotations the controller keeps on ReplicaSets ----

function intAnnotation(o: KObject, key: string): number | undefined {
  const v = o.metadata?.annotations?.[key];
  if (v === undefined) return undefined;
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : undefined;
}

export function desiredReplicasAnnotation(rs: KObject): number | undefined {
  return intAnnotation(rs, DESIRED_REPLICAS);
}

export function maxReplicasAnnotation(rs: KObject): number | undefined {
  return intAnnotation(rs, MAX_REPLICAS);
}

/** Sets desired-replicas and max-replicas on a (mutable) ReplicaSet; true when they changed. */
export function setReplicasAnnotations(rs: KObject, desired: number, max: number): boolean {
  const a = ((rs.metadata ??= {}).annotations ??= {});
  let changed = false;
  if (a[DESIRED_REPLICAS] !== String(desired)) {
    a[DESIRED_REPLICAS] = String(desired);
    changed = true;
  }
  if (a[MAX_REPLICAS] !== String(max)) {
    a[MAX_REPLICAS] = String(max);
    changed = true;
  }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: KObject, desired: number, max: number): boolean {
  const a = rs.metadata?.annotations ?? {};
  return a[DESIRED_REPLICAS] !== String(desired) || a[MAX_REPLICAS] !== String(max);
}

/** Copies the Deployment's own annotations (not the controller's) to a mutable ReplicaSet. */
function copyDeploymentAnnotations(d: KObject, rs: KObject): boolean {
  const a = ((rs.metadata ??= {}).annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (ANNOTATIONS_TO_SKIP.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  return changed;
}

/**
 * SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises the revision (an old
 * ReplicaSet brought back by a rollback gets the next revision, and its previous ones go to
 * revision-history), and on a new ReplicaSet sets desired/max replicas. True when changed.
 */
export function setNewReplicaSetAnnotations(d: KObject, rs: KObject, newRevision: number, exists: boolean): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const a = rs.metadata!.annotations!;
  const oldRevision = a[REVISION];
  const oldRevisionInt = oldRevision === undefined ? 0 : Number.parseInt(oldRevision, 10);
  if (oldRevision !== undefined && !Number.isFinite(oldRevisionInt)) return false;
  if (oldRevisionInt < newRevision) {
    a[REVISION] = String(newRevision);
    changed = true;
    if (oldRevision !== undefined && oldRevision !== '') {
      const history = a[REVISION_HISTORY] ?? '';
      if (!history) a[REVISION_HISTORY] = oldRevision;
      else {
        const old = history.split(',');
        let total = history.length + oldRevision.length + 1;
        let start = 0;
        while (total > MAX_REV_HISTORY_CHARS && start < old.length) total -= old[start++].length + 1;
        if (total <= MAX_REV_HISTORY_CHARS) a[REVISION_HISTORY] = [...old.slice(start), oldRevision].join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

/** IsSaturated: the new ReplicaSet runs the Deployment's full count, all available. */
export function isSaturated(d: KObject, rs: KObject | undefined): boolean {
  if (!rs) return false;
  const desired = desiredReplicasAnnotation(rs);
  if (desired === undefined) return false;
  const want = replicasOf(d);
  return replicasOf(rs) === want && desired === want && (rs.status?.availableReplicas ?? 0) === want;
}

/** FindActiveOrLatest: the only active ReplicaSet, or the newest when none is active. */
export function findActiveOrLatest(newRS: KObject | undefined, oldRSs: KObject[]): KObject | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const olds = [...oldRSs].sort(byCreation).reverse();
  const active = activeReplicaSets([...olds, newRS]);
  if (active.length === 0) return newRS ?? olds[0];
  if (active.length === 1) return active[0];
  return undefined;
}

/** GetProportion: this ReplicaSet's share of a proportional scale. */
export function getProportion(rs: KObject, d: KObject, toAdd: number, added: number, deployStatusReplicas: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d, deployStatusReplicas);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(rs: KObject, d: KObject, deployStatusReplicas: number): number {
  if (replicasOf(d) === 0) return -replicasOf(rs);
  const deploymentReplicas = replicasOf(d) + maxSurge(d);
  const annotated = maxReplicasAnnotation(rs) ?? deployStatusReplicas;
  const size = (replicasOf(rs) * deploymentReplicas) / annotated;
  // integer.RoundToInt32: math.Round, halves away from zero
  return Math.sign(size) * Math.round(Math.abs(size)) - replicasOf(rs);
}

/** NewRSNewReplicas: how big the new ReplicaSet may be now. */
export function newRSNewReplicas(d: KObject, allRSs: (KObject | undefined)[], newRS: KObject): number {
  if (!isRollingUpdate(d)) return replicasOf(d);
  const want = replicasOf(d);
  const surge = scaledValue(d.spec?.strategy?.rollingUpdate?.maxSurge ?? '25%', want, true);
  const current = specReplicas(allRSs);
  const maxTotal = want + surge;
  if (current >= maxTotal) return replicasOf(newRS);
  const up = Math.min(maxTotal - current, want - replicasOf(newRS));
  return replicasOf(newRS) + up;
}

// ---- conditions ----

export interface DeploymentCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export const AVAILABLE = 'Available';
export const PROGRESSING = 'Progressing';
export const REPLICA_FAILURE = 'ReplicaFailure';
export const REASONS = {
  newRSCreated: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  rsUpdated: 'ReplicaSetUpdated',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minAvailable: 'MinimumReplicasAvailable',
  minUnavailable: 'MinimumReplicasUnavailable',
  failedRSCreate: 'ReplicaSetCreateError',
} as const;

export function newCondition(type: string, status: DeploymentCondition['status'], reason: string, message: string, now: number): DeploymentCondition {
  const t = rfc3339(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

export function getCondition(status: any, type: string): DeploymentCondition | undefined {
  return (status?.conditions as DeploymentCondition[] | undefined)?.find((c) => c.type === type);
}

/**
 * SetDeploymentCondition: same status and reason changes nothing (not even lastUpdateTime); same
 * status keeps the lastTransitionTime; the condition moves to the end of the list.
 */
export function setCondition(status: any, cond: DeploymentCondition): void {
  const cur = getCondition(status, cond.type);
  if (cur && cur.status === cond.status && cur.reason === cond.reason) return;
  if (cur && cur.status === cond.status) cond = { ...cond, lastTransitionTime: cur.lastTransitionTime };
  status.conditions = [...((status.conditions ?? []) as DeploymentCondition[]).filter((c) => c.type !== cond.type), cond];
}

export function removeCondition(status: any, type: string): void {
  if (!status.conditions) return;
  status.conditions = (status.conditions as DeploymentCondition[]).filter((c) => c.type !== type);
  if (status.conditions.length === 0) delete status.conditions;
}

export function hasProgressDeadline(d: KObject): boolean {
  const p = d.spec?.progressDeadlineSeconds;
  return p !== undefined && p !== null && p !== MAX_INT32;
}

export function hasRevisionHistoryLimit(d: KObject): boolean {
  const l = d.spec?.revisionHistoryLimit;
  return l !== undefined && l !== null && l !== MAX_INT32;
}

/** DeploymentComplete: every replica updated and available, and the spec observed. */
export function deploymentComplete(d: KObject, status: any): boolean {
  const want = replicasOf(d);
  return (status.updatedReplicas ?? 0) === want && (status.replicas ?? 0) === want && (status.availableReplicas ?? 0) === want && (status.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
}

/** DeploymentProgressing: more updated, fewer old, more ready or more available than before. */
export function deploymentProgressing(d: KObject, status: any): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld || (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/** DeploymentTimedOut: the Progressing condition has not moved for progressDeadlineSeconds. */
export function deploymentTimedOut(d: KObject, status: any, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(status, PROGRESSING);
  if (!c) return false;
  if (c.reason === REASONS.newRSAvailable) return false;
  if (c.reason === REASONS.timedOut) return true;
  const from = Date.parse(c.lastUpdateTime ?? '');
  return Number.isFinite(from) && from + d.spec.progressDeadlineSeconds * 1000 < now;
}
