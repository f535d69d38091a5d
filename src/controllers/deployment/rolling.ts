// RollingUpdate (pkg/controller/deployment/rolling.go): grow the new ReplicaSet as far as
// maxSurge allows, shrink the old ones as far as maxUnavailable allows (unhealthy pods first),
// one step per pass; each pass is driven by pods becoming available.
import type { KObject } from '../../apiserver/types.js';
import type { SyncContext } from './context.js';
import { cleanupDeployment } from './history.js';
import { syncRolloutStatus } from './progress/status.js';
import { getAllReplicaSetsAndSyncRevision, refresh, scaleReplicaSetAndRecordEvent } from './sync.js';
import { activeReplicaSets, availableReplicas, byCreation, deploymentComplete, maxUnavailable, newRSNewReplicas, replicasOf, specReplicas } from './util.js';

export async function rolloutRolling(ctx: SyncContext): Promise<void> {
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, true);
  if (!newRS) return; // a hash collision: the next pass tries again
  if (await reconcileNewReplicaSet(ctx, [...oldRSs, newRS], newRS)) {
    ({ newRS, oldRSs } = refresh(ctx, newRS, oldRSs));
    return syncRolloutStatus(ctx, [...oldRSs, newRS], newRS);
  }
  if (await reconcileOldReplicaSets(ctx, [...oldRSs, newRS], activeReplicaSets(oldRSs), newRS)) {
    ({ newRS, oldRSs } = refresh(ctx, newRS, oldRSs));
    return syncRolloutStatus(ctx, [...oldRSs, newRS], newRS);
  }
  if (deploymentComplete(ctx.d, ctx.d.status ?? {})) await cleanupDeployment(ctx, oldRSs);
  ({ newRS, oldRSs } = refresh(ctx, newRS, oldRSs));
  return syncRolloutStatus(ctx, [...oldRSs, newRS], newRS);
}

async function reconcileNewReplicaSet(ctx: SyncContext, all: KObject[], newRS: KObject): Promise<boolean> {
  const want = replicasOf(ctx.d);
  if (replicasOf(newRS) === want) return false;
  if (replicasOf(newRS) > want) return (await scaleReplicaSetAndRecordEvent(ctx, newRS, want, 'new replica set above replicas'))[0];
  const count = newRSNewReplicas(ctx.d, all, newRS);
  return (await scaleReplicaSetAndRecordEvent(ctx, newRS, count, `rolling update: surge allows ${count}`))[0];
}

async function reconcileOldReplicaSets(ctx: SyncContext, all: KObject[], oldRSs: KObject[], newRS: KObject): Promise<boolean> {
  const d = ctx.d;
  if (specReplicas(oldRSs) === 0) return false;
  const allPods = specReplicas(all);
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const [olds, cleaned] = await cleanupUnhealthyReplicas(ctx, oldRSs, maxScaledDown);
  const scaled = await scaleDownOldReplicaSetsForRollingUpdate(ctx, [...olds, newRS], olds);
  return cleaned + scaled > 0;
}

/** Old pods that are not available go first: they would block the rollout for nothing. */
async function cleanupUnhealthyReplicas(ctx: SyncContext, oldRSs: KObject[], maxCleanup: number): Promise<[KObject[], number]> {
  const olds = [...oldRSs].sort(byCreation);
  let total = 0;
  for (let i = 0; i < olds.length; i++) {
    if (total >= maxCleanup) break;
    const rs = olds[i];
    const avail = rs.status?.availableReplicas ?? 0;
    if (replicasOf(rs) === 0 || replicasOf(rs) === avail) continue;
    const down = Math.min(maxCleanup - total, replicasOf(rs) - avail);
    const [, stored] = await scaleReplicaSetAndRecordEvent(ctx, rs, replicasOf(rs) - down, 'unavailable old pods first');
    olds[i] = stored;
    total += down;
  }
  return [olds, total];
}

async function scaleDownOldReplicaSetsForRollingUpdate(ctx: SyncContext, all: KObject[], oldRSs: KObject[]): Promise<number> {
  const d = ctx.d;
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const available = availableReplicas(all);
  if (available <= minAvailable) return 0;
  const target = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= target) break;
    if (replicasOf(rs) === 0) continue;
    const down = Math.min(replicasOf(rs), target - total);
    await scaleReplicaSetAndRecordEvent(ctx, rs, replicasOf(rs) - down, `rolling update: ${available} available, ${minAvailable} must stay`);
    total += down;
  }
  return total;
}
