// Revision history (cleanupDeployment): old ReplicaSets beyond revisionHistoryLimit are deleted,
// lowest revision first, but only those already scaled to zero and fully observed.
import type { KObject } from '../../apiserver/types.js';
import { ref, type SyncContext } from './context.js';
import { byRevision, hasRevisionHistoryLimit, replicasOf } from './util.js';

export async function cleanupDeployment(ctx: SyncContext, oldRSs: KObject[]): Promise<void> {
  const { c, d } = ctx;
  if (!hasRevisionHistoryLimit(d)) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp).sort(byRevision);
  const diff = cleanable.length - d.spec.revisionHistoryLimit;
  if (diff <= 0) return;
  for (const rs of cleanable.slice(0, diff)) {
    if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    c.trace('Cleanup', `replicaset/${rs.metadata!.name}`, `beyond revisionHistoryLimit ${d.spec.revisionHistoryLimit} of ${ref(d)}`);
    await c.delete('replicasets', rs.metadata!.namespace, rs.metadata!.name!);
    ctx.rsList = ctx.rsList.filter((x) => x.metadata!.uid !== rs.metadata!.uid);
    ctx.changed = true;
  }
}
