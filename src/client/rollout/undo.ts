// kubectl rollout undo for Deployments, done on the client as kubectl does since the server-side
// rollback went away: find the ReplicaSet of the wanted revision and copy its template (and its
// annotations) back into the Deployment with one JSON patch.
import type { KObject } from '../../apiserver/types.js';
import { HASH_LABEL, equalIgnoreHash, ownedBy, revisionOf } from './util.js';

/** Annotations that belong to the Deployment, never copied back from a ReplicaSet. */
const SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

export type UndoPlan =
  | { kind: 'error'; message: string }
  | { kind: 'dry-run'; template: any }
  | { kind: 'skip'; message: string }
  | { kind: 'patch'; patch: any[]; revision: number };

export function revisionNotFound(r: number): string {
  return `unable to find specified revision ${r} in history`;
}

/** deploymentRevision: the ReplicaSet of toRevision, or (toRevision 0) the one before the latest. */
export function replicaSetForRevision(deployment: KObject, replicaSets: KObject[], toRevision: number): KObject | string {
  let latest: { rs?: KObject; v: number } = { v: -1 };
  let previous: { rs?: KObject; v: number } = { v: -1 };
  for (const rs of ownedBy(deployment, replicaSets)) {
    const v = revisionOf(rs);
    if (v === undefined) continue;
    if (toRevision === 0) {
      if (latest.v < v) {
        previous = latest;
        latest = { rs, v };
      } else if (previous.v < v) {
        previous = { rs, v };
      }
    } else if (toRevision === v) {
      return rs;
    }
  }
  if (toRevision > 0) return revisionNotFound(toRevision);
  if (!previous.rs) return `no rollout history found for deployment "${deployment.metadata?.name}"`;
  return previous.rs;
}

export function planUndo(deployment: KObject, replicaSets: KObject[], toRevision: number, dryRunClient: boolean): UndoPlan {
  if (toRevision < 0) return { kind: 'error', message: revisionNotFound(toRevision) };
  const rs = replicaSetForRevision(deployment, replicaSets, toRevision);
  if (typeof rs === 'string') return { kind: 'error', message: rs };
  if (dryRunClient) return { kind: 'dry-run', template: rs.spec?.template };
  if (deployment.spec?.paused) {
    return { kind: 'error', message: "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again" };
  }
  if (equalIgnoreHash(rs.spec?.template, deployment.spec?.template)) {
    return { kind: 'skip', message: `skipped rollback (current template already matches revision ${toRevision})` };
  }
  const template = structuredClone(rs.spec?.template ?? {});
  if (template.metadata?.labels) delete template.metadata.labels[HASH_LABEL];
  const annotations: Record<string, string> = {};
  const own = deployment.metadata?.annotations ?? {};
  for (const k of SKIP) if (k in own) annotations[k] = own[k];
  for (const [k, v] of Object.entries<string>(rs.metadata?.annotations ?? {})) if (!SKIP.has(k)) annotations[k] = v;
  return {
    kind: 'patch',
    revision: revisionOf(rs) ?? 0,
    patch: [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: annotations },
    ],
  };
}

/**
 * DaemonSet and StatefulSet rollback: the ControllerRevision of the wanted revision (or the one
 * before the latest) holds a strategic patch that puts its template back.
 */
export function planRevisionUndo(owner: KObject, revisions: KObject[], toRevision: number, dryRunClient: boolean): UndoPlan | { kind: 'strategic'; patch: any } {
  if (toRevision < 0) return { kind: 'error', message: revisionNotFound(toRevision) };
  const mine = ownedBy(owner, revisions).sort((a, b) => Number(a.revision ?? 0) - Number(b.revision ?? 0));
  if (toRevision === 0 && mine.length <= 1) return { kind: 'error', message: 'no last revision to roll back to' };
  const target = toRevision === 0 ? mine[mine.length - 2] : mine.find((r) => Number(r.revision ?? 0) === toRevision);
  if (!target) return { kind: 'error', message: revisionNotFound(toRevision) };
  const template = structuredClone(target.data?.spec?.template ?? {});
  delete template.$patch;
  if (dryRunClient) return { kind: 'dry-run', template };
  if (equalIgnoreHash(template, owner.spec?.template)) {
    return { kind: 'skip', message: `skipped rollback (current template already matches revision ${toRevision})` };
  }
  return { kind: 'strategic', patch: target.data };
}
