// TTL-after-finished controller (pkg/controller/ttlafterfinished): a Job with
// spec.ttlSecondsAfterFinished is deleted that many seconds after it finished (the time its
// Complete or Failed condition became true), with foreground propagation, so that its pods go
// before it does. It records no events. Waiting for the TTL is part of settling ('work').
import type { KObject } from '../apiserver/types.js';
import type { Component, ComponentClient } from './component.js';
import { finishedCondition } from './job/conditions.js';

const COMPONENT = 'ttl-after-finished-controller';

/** When the Job expires (epoch ms), or undefined when it does not need cleaning up. */
export function expiresAt(job: KObject): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || job.metadata?.deletionTimestamp) return undefined;
  const fin = finishedCondition(job);
  if (!fin || fin.at === undefined) return undefined;
  return fin.at + ttl * 1000;
}

function dirtyUids(c: ComponentClient): Set<string> | undefined {
  const changes = c.cause.changes;
  if (!changes) return undefined;
  const uids = new Set<string>(c.cause.dueKeys);
  for (const e of changes) if (e.prefix === 'batch/jobs' && e.type !== 'DELETED') uids.add(e.object.metadata!.uid!);
  return uids;
}

export const ttlAfterFinishedController: Component = {
  name: COMPONENT,
  watches: ['jobs'],
  async reconcile(c) {
    const dirty = dirtyUids(c);
    if (dirty && dirty.size === 0) return false;
    const jobs = (await c.list('jobs')).filter((j) => !dirty || dirty.has(j.metadata!.uid!));
    const now = c.now();
    let changed = false;
    for (const job of jobs) {
      const uid = job.metadata!.uid!;
      const at = expiresAt(job);
      if (at === undefined) {
        c.wakeAt(Infinity, 'work', uid);
        continue;
      }
      if (at > now) {
        c.wakeAt(at, 'work', uid);
        continue;
      }
      // processTTL re-reads the Job before deleting it: the TTL may have been changed meanwhile.
      const fresh = await c.get('jobs', job.metadata!.namespace, job.metadata!.name!);
      if (!fresh || fresh.metadata!.uid !== uid) continue;
      const freshAt = expiresAt(fresh);
      if (freshAt === undefined || freshAt > now) {
        c.wakeAt(freshAt ?? Infinity, 'work', uid);
        continue;
      }
      c.trace('Delete', `job/${job.metadata!.name}`, `finished ${job.spec.ttlSecondsAfterFinished}s ago (ttlSecondsAfterFinished)`);
      await c.delete('jobs', job.metadata!.namespace, job.metadata!.name!, { propagationPolicy: 'Foreground' });
      changed = true;
    }
    return changed;
  },
};
