// ServiceAccount controller: every active namespace has a "default" ServiceAccount.
import type { Component } from './component.js';

export const serviceAccountController: Component = {
  name: 'serviceaccount-controller',
  watches: ['namespaces', 'serviceaccounts'],
  async reconcile(c) {
    let changed = false;
    for (const ns of await c.list('namespaces')) {
      if (ns.status?.phase !== 'Active') continue;
      const name = ns.metadata!.name!;
      if (await c.get('serviceaccounts', name, 'default')) continue;
      const made = await c.write({ verb: 'create', resource: 'serviceaccounts', namespace: name, body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } } });
      changed ||= !!made;
    }
    return changed;
  },
};
