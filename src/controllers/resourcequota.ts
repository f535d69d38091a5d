// ResourceQuota controller (pkg/controller/resourcequota): keeps each quota's status.hard and
// status.used true to what its namespace holds, for every resource the quota names (pods,
// requests/limits of cpu and memory, services, configmaps, PVCs, count/<resource>.<group> ...; the
// evaluators are admission's, in src/apiserver/admission/resource-quota.ts), so that usage
// released by deletions and finished pods shows up (admission only ever adds to it).
import { quotaStatus } from '../apiserver/admission/resource-quota.js';
import { resourceFor } from '../apiserver/apiserver.js';
import { storageKey } from '../apiserver/resources.js';
import type { Component } from './component.js';

/** --resource-quota-sync-period: the full recalculation that catches what no change announces */
const RESYNC_MS = 5 * 60_000;

export const resourceQuotaController: Component = {
  name: 'resourcequota-controller',
  // Only changes in a namespace that has a quota (or to a quota) can move a quota's usage.
  wants(changes, c) {
    const prefix = storageKey(resourceFor('resourcequotas'));
    const quotas = c.api.store.list(prefix);
    if (!quotas.length) return false;
    const namespaces = new Set(quotas.map((q) => q.metadata?.namespace));
    return changes.some((ch) => ch.prefix === prefix || namespaces.has(ch.object?.metadata?.namespace));
  },
  async reconcile(c) {
    let changed = false;
    const quotas = await c.list('resourcequotas');
    for (const rq of quotas) {
      const status = quotaStatus(c.api.store, rq, c.now());
      if (JSON.stringify(status) === JSON.stringify({ hard: rq.status?.hard, used: rq.status?.used })) continue;
      const done = await c.write({
        verb: 'update', resource: 'resourcequotas', namespace: rq.metadata!.namespace, name: rq.metadata!.name,
        subresource: 'status', body: { ...rq, status: { ...(rq.status ?? {}), ...status } },
      });
      changed ||= !!done;
    }
    if (quotas.length) c.wakeAt(c.now() + RESYNC_MS, 'background');
    return changed;
  },
};
