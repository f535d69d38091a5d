// ResourceQuota controller: keeps each quota's status.used true to what the namespace holds, so
// usage released by deletions shows up (admission only ever adds to it).
import { quotaStatus } from '../apiserver/admission/resource-quota.js';
import type { Component } from './component.js';

export const resourceQuotaController: Component = {
  name: 'resourcequota-controller',
  async reconcile(c) {
    let changed = false;
    for (const rq of await c.list('resourcequotas')) {
      const status = quotaStatus(c.api.store, rq, c.now());
      if (JSON.stringify(status) === JSON.stringify({ hard: rq.status?.hard, used: rq.status?.used })) continue;
      const done = await c.write({
        verb: 'update', resource: 'resourcequotas', namespace: rq.metadata!.namespace, name: rq.metadata!.name,
        subresource: 'status', body: { ...rq, status: { ...(rq.status ?? {}), ...status } },
      });
      changed ||= !!done;
    }
    return changed;
  },
};
