// Recreate (pkg/controller/deployment/recreate.go): scale every old ReplicaSet to zero, wait until
// none of their pods is left (terminating ones included), then create and scale up the new one.
import type { KObject } from '../../apiserver/types.js';
import type { SyncContext } from './context.js';
import { cleanupDeployment } from './history.js';
import { syncRolloutStatus } from './progress/status.js';
import { getAllReplicaSetsAndSyncRevision, refresh, scaleReplicaSetAndRecordEvent } from './sync.js';
import { activeReplicaSets, actualReplicas, deploymentComplete, replicasOf } from './util.js';

export async function rolloutRecreate(ctx: SyncContext): Promise<void> {
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, false);
  let scaledDown = false;
  for (const rs of activeReplicaSets(oldRSs)) {
    if ((await scaleReplicaSetAndRecordEvent(ctx, rs, 0, 'recreate: old pods go first'))[0]) scaledDown = true;
  }
  ({ newRS, oldRSs } = refresh(ctx, newRS, oldRSs));
  if (scaledDown || oldPodsRunning(ctx, newRS, oldRSs)) return syncRolloutStatus(ctx, [...oldRSs, newRS], newRS);
  if (!newRS) {
    ({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, true));
    if (!newRS) return;
  }
  await scaleReplicaSetAndRecordEvent(ctx, newRS, replicasOf(ctx.d), 'recreate: old pods are gone');
  if (deploymentComplete(ctx.d, ctx.d.status ?? {})) await cleanupDeployment(ctx, oldRSs);
  ({ newRS, oldRSs } = refresh(ctx, newRS, oldRSs));
  return syncRolloutStatus(ctx, [...oldRSs, newRS], newRS);
}

/** Any pod of an old ReplicaSet that has not finished, terminating or not, holds the new one back. */
function oldPodsRunning(ctx: SyncContext, newRS: KObject | undefined, oldRSs: KObject[]): boolean {
  if (actualReplicas(oldRSs) > 0) return true;
  for (const [uid, pods] of ctx.podsByRs) {
    if (newRS && newRS.metadata!.uid === uid) continue;
    for (const p of pods) {
      const phase = p.status?.phase;
      if (phase !== 'Failed' && phase !== 'Succeeded') return true;
    }
  }
  return false;
}
