// What one Deployment's sync works on: the Deployment (a private copy whose status and
// annotations the sync edits as it goes), the ReplicaSets it owns, their pods, and the writes.
import type { KObject } from '../../apiserver/types.js';
import type { ComponentClient } from '../component.js';

export const COMPONENT = 'deployment-controller';

export interface SyncContext {
  c: ComponentClient;
  /** a private copy: the sync updates it as the real controller updates its `d` */
  d: KObject;
  /** the ReplicaSets the Deployment owns, replaced by the stored versions after each write */
  rsList: KObject[];
  /** active and inactive pods of each owned ReplicaSet, by ReplicaSet uid */
  podsByRs: Map<string, KObject[]>;
  changed: boolean;
}

export function ref(d: KObject): string {
  return `deployment/${d.metadata!.name}`;
}

/** Writes a changed ReplicaSet (spec/annotations) and keeps rsList current. */
export async function updateReplicaSet(ctx: SyncContext, rs: KObject): Promise<KObject | undefined> {
  const stored = await ctx.c.update('replicasets', rs);
  if (!stored) return undefined;
  ctx.rsList = ctx.rsList.map((x) => (x.metadata!.uid === stored.metadata!.uid ? stored : x));
  ctx.changed = true;
  return stored;
}

/**
 * UpdateStatus of the Deployment with ctx.d.status and its revision annotations: the real
 * deployment status strategy lets annotations through, so both go in one write.
 */
export async function writeDeploymentStatus(ctx: SyncContext): Promise<void> {
  const { c, d } = ctx;
  const md = d.metadata!;
  const current = await c.get('deployments', md.namespace, md.name!);
  if (!current) return;
  const want = md.annotations ?? {};
  const have = current.metadata?.annotations ?? {};
  const annotationsChanged = Object.keys(want).some((k) => have[k] !== want[k]);
  if (annotationsChanged || JSON.stringify(current.status ?? {}) !== JSON.stringify(d.status ?? {})) {
    const body = structuredClone(current);
    body.metadata!.annotations = { ...have, ...want };
    body.status = d.status ?? {};
    await c.update('deployments', body, 'status');
    ctx.changed = true;
  }
}
