// What kubectl's rollout verbs need to know about a Deployment's ReplicaSets: their revision
// numbers, which ones the Deployment controls, and which one carries the current template.
// (The deployment controller keeps its own copy of these rules; kubectl has its own too, in
// k8s.io/kubectl/pkg/util/deployment, so the client does not depend on the controller's code.)
import type { KObject } from '../../apiserver/types.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
export const HASH_LABEL = 'pod-template-hash';

/** The revision number of a ReplicaSet; undefined when the annotation is missing or not a number. */
export function revisionOf(obj: KObject): number | undefined {
  const v = obj.metadata?.annotations?.[REVISION_ANNOTATION];
  if (v === undefined) return 0;
  if (!/^-?\d+$/.test(v)) return undefined;
  return Number(v);
}

/** The objects whose controller owner reference points at `owner` (by uid). */
export function ownedBy<T extends KObject>(owner: KObject, objs: T[]): T[] {
  const uid = owner.metadata?.uid;
  return objs.filter((o) => (o.metadata?.ownerReferences ?? []).some((r: any) => r.controller && r.uid === uid));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as any)[k];
      if (x !== undefined) out[k] = canonical(x);
    }
    return out;
  }
  return v;
}

/** Two pod templates are the same rollout when they differ only in the pod-template-hash label. */
export function equalIgnoreHash(a: any, b: any): boolean {
  const strip = (t: any) => {
    const c = structuredClone(t ?? {});
    if (c.metadata?.labels) {
      delete c.metadata.labels[HASH_LABEL];
      if (Object.keys(c.metadata.labels).length === 0) delete c.metadata.labels;
    }
    if (c.metadata && Object.keys(c.metadata).length === 0) delete c.metadata;
    if (c.metadata?.creationTimestamp === null) delete c.metadata.creationTimestamp;
    return c;
  };
  return JSON.stringify(canonical(strip(a))) === JSON.stringify(canonical(strip(b)));
}

/** The ReplicaSet running the Deployment's current template (the oldest one, should there be twins). */
export function findNewReplicaSet(deployment: KObject, replicaSets: KObject[]): KObject | undefined {
  const sorted = [...replicaSets].sort((a, b) => {
    const ta = String(a.metadata?.creationTimestamp ?? '');
    const tb = String(b.metadata?.creationTimestamp ?? '');
    return ta < tb ? -1 : ta > tb ? 1 : String(a.metadata?.name).localeCompare(String(b.metadata?.name));
  });
  return sorted.find((rs) => equalIgnoreHash(rs.spec?.template, deployment.spec?.template));
}
