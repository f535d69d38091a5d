// ControllerRevisions, as pkg/controller/history keeps them for StatefulSets and DaemonSets: an
// immutable snapshot of a workload's pod template (a strategic patch that puts it back), numbered
// by `revision`. A rollback to an old template does not make a new object: the matching revision
// gets the next number instead. Old revisions beyond revisionHistoryLimit go, unless a live pod
// still runs them.
import type { KObject } from '../apiserver/types.js';
import type { ComponentClient } from './component.js';
import { canonicalJson, safeEncodeString } from './deployment/hash.js';
import { controllerRef, newControllerRef } from './pod-control.js';

/** the label StatefulSet revisions carry with their hash (history.ControllerRevisionHashLabel) */
export const REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';

/** FNV-1 (not 1a), 32 bits: what Go's fnv.New32 computes, the hash of HashControllerRevision */
export function fnv32(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const b of bytes) {
    h = Math.imul(h, 0x01000193) >>> 0;
    h = (h ^ b) >>> 0;
  }
  return h >>> 0;
}

/**
 * HashControllerRevision: FNV-32 over the revision's raw data (Go marshals maps with sorted keys,
 * so the canonical JSON is that raw data), then the collision count as decimal text.
 */
export function hashControllerRevision(data: unknown, collisionCount?: number | null): string {
  const enc = new TextEncoder();
  let h = fnv32(enc.encode(canonicalJson(data)));
  if (collisionCount != null) h = fnv32(enc.encode(String(collisionCount)), h);
  return safeEncodeString(String(h));
}

/** ControllerRevisionName: prefix-hash, the prefix cut to 223 bytes */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.slice(0, 223)}-${hash}`;
}

/** getPatch: the part of a workload a revision records, replacing the whole template on rollback */
export function templatePatch(owner: KObject): any {
  return { spec: { template: { $patch: 'replace', ...structuredClone(owner.spec?.template ?? {}) } } };
}

/** the revisions that a workload controls, lowest revision first */
export function ownedRevisions(owner: KObject, revisions: KObject[]): KObject[] {
  return revisions
    .filter((r) => controllerRef(r)?.uid === owner.metadata!.uid)
    .sort((a, b) => Number(a.revision ?? 0) - Number(b.revision ?? 0) || String(a.metadata?.name).localeCompare(String(b.metadata?.name)));
}

export function nextRevisionNumber(revisions: KObject[]): number {
  return revisions.reduce((m, r) => Math.max(m, Number(r.revision ?? 0)), 0) + 1;
}

export interface EnsureOptions {
  /** the revision's name for this data */
  name: string;
  labels: Record<string, string>;
  data: any;
  annotations?: Record<string, string>;
}

/**
 * The revision that holds `data`: an equal one is reused (and renumbered to the newest when it is
 * not the newest: a rollback), else one is created with the next number. Returns the revision and
 * whether anything was written. A name taken by different data is a hash collision: the caller
 * bumps its collisionCount and tries again (`collision`).
 */
export async function ensureRevision(c: ComponentClient, owner: KObject, mine: KObject[], opts: EnsureOptions): Promise<{ revision?: KObject; changed: boolean; collision?: boolean }> {
  const ns = owner.metadata!.namespace;
  const want = canonicalJson(opts.data);
  const next = nextRevisionNumber(mine);
  const equal = mine.filter((r) => canonicalJson(r.data) === want);
  if (equal.length) {
    const newest = equal[equal.length - 1];
    if (newest === mine[mine.length - 1]) return { revision: newest, changed: false };
    const body = structuredClone(newest);
    body.revision = next;
    const updated = await c.update('controllerrevisions', body);
    return { revision: updated ?? newest, changed: !!updated };
  }
  const taken = await c.get('controllerrevisions', ns, opts.name);
  if (taken) {
    if (canonicalJson(taken.data) === want && controllerRef(taken)?.uid === owner.metadata!.uid) return { revision: taken, changed: false };
    return { changed: false, collision: true };
  }
  const md: any = { name: opts.name, namespace: ns, labels: opts.labels, ownerReferences: [newControllerRef(owner)] };
  if (opts.annotations && Object.keys(opts.annotations).length) md.annotations = opts.annotations;
  const created = await c.create('controllerrevisions', ns, {
    apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: md, data: opts.data, revision: next,
  });
  return { revision: created, changed: !!created };
}

/**
 * cleanupHistory / truncateHistory: the oldest revisions beyond revisionHistoryLimit that are
 * neither the live ones nor run by any pod are deleted.
 */
export async function truncateHistory(c: ComponentClient, owner: KObject, mine: KObject[], live: Set<string>): Promise<boolean> {
  const limit = owner.spec?.revisionHistoryLimit ?? 10;
  const old = mine.filter((r) => !live.has(r.metadata!.name!));
  let excess = old.length - limit;
  let changed = false;
  for (const r of old) {
    if (excess <= 0) break;
    if (await c.delete('controllerrevisions', r.metadata!.namespace, r.metadata!.name!)) changed = true;
    excess--;
  }
  return changed;
}
