// Namespace controller: a namespace being deleted empties itself of every namespaced object,
// then drops its "kubernetes" finalizer and is gone.
import { RESOURCES } from '../apiserver/resources.js';
import type { Component } from './component.js';

export const namespaceController: Component = {
  name: 'namespace-controller',
  async reconcile(c) {
    let changed = false;
    for (const ns of await c.list('namespaces')) {
      if (!ns.metadata?.deletionTimestamp) continue;
      const name = ns.metadata.name!;
      let remaining = 0;
      for (const ri of RESOURCES) {
        if (!ri.namespaced || !ri.verbs.includes('list') || !ri.verbs.includes('delete') || ri.group === 'events.k8s.io') continue;
        const plural = ri.name;
        const items = await c.list(plural, name);
        for (const item of items) {
          remaining++;
          if (item.metadata?.deletionTimestamp) continue;
          await c.write({ verb: 'delete', resource: plural, namespace: name, name: item.metadata!.name, gracePeriodSeconds: 0 });
          changed = true;
        }
      }
      if (remaining > 0) continue;
      // Empty: clear spec.finalizers through the finalize subresource; the apiserver then removes it.
      await c.write({ verb: 'update', resource: 'namespaces', name, subresource: 'finalize', body: { ...ns, spec: { finalizers: [] } } });
      changed = true;
    }
    return changed;
  },
};
