// Garbage collector: objects whose owners are gone are deleted (background), owners deleted with
// foreground propagation wait for their dependents, and "orphan" releases dependents.
import { findByKind, RESOURCES, storageKey } from '../apiserver/resources.js';
import type { WatchEvent } from '../storage/store.js';
import type { KObject } from '../apiserver/types.js';
import type { Component, ComponentClient } from './component.js';

/**
 * The graph only needs another look when an object went away, is being deleted, or names an owner
 * that does not exist (the real collector's graph builder reacts to the same three things).
 */
function wants(changes: readonly WatchEvent[], c: ComponentClient): boolean {
  for (const e of changes) {
    const md = e.object.metadata ?? {};
    if (e.type === 'DELETED' || md.deletionTimestamp) return true;
    if (e.type === 'ADDED' && md.ownerReferences?.length) {
      for (const ref of md.ownerReferences) {
        const ri = findByKind(ref.apiVersion, ref.kind);
        const owner = ri && c.api.store.get(storageKey(ri), ri.namespaced ? md.namespace : undefined, ref.name);
        if (!owner || owner.metadata?.uid !== ref.uid) return true;
      }
    }
  }
  return false;
}

export const garbageCollector: Component = {
  name: 'garbage-collector',
  wants,
  async reconcile(c) {
    const store = c.api.store;
    const byUid = new Map<string, KObject>();
    const all: [string, KObject][] = [];
    for (const ri of RESOURCES) {
      if (!ri.verbs.includes('list') || ri.group === 'events.k8s.io') continue;
      for (const o of store.list(storageKey(ri))) {
        byUid.set(o.metadata!.uid!, o);
        all.push([ri.name, o]);
      }
    }
    let changed = false;
    const dependents = (uid: string) => all.filter(([, o]) => o.metadata?.ownerReferences?.some((r) => r.uid === uid));
    for (const [resource, o] of all) {
      const md = o.metadata!;
      // Owners being deleted with a finalizer of the garbage collector's own.
      if (md.deletionTimestamp && md.finalizers?.length) {
        const deps = dependents(md.uid!);
        if (md.finalizers.includes('orphan')) {
          for (const [r, d] of deps) {
            const refs = d.metadata!.ownerReferences!.filter((x) => x.uid !== md.uid);
            await c.write({ verb: 'patch', resource: r, namespace: d.metadata!.namespace, name: d.metadata!.name, patchType: 'merge', body: { metadata: { ownerReferences: refs.length ? refs : null } } });
          }
          await c.write({ verb: 'patch', resource, namespace: md.namespace, name: md.name, patchType: 'json', body: [{ op: 'replace', path: '/metadata/finalizers', value: md.finalizers.filter((f) => f !== 'orphan') }] });
          changed = true;
        } else if (md.finalizers.includes('foregroundDeletion')) {
          const live = deps.filter(([, d]) => !d.metadata!.deletionTimestamp);
          for (const [r, d] of live) {
            await c.write({ verb: 'delete', resource: r, namespace: d.metadata!.namespace, name: d.metadata!.name, propagationPolicy: 'Foreground' });
            changed = true;
          }
          if (deps.length === 0) {
            await c.write({ verb: 'patch', resource, namespace: md.namespace, name: md.name, patchType: 'json', body: [{ op: 'replace', path: '/metadata/finalizers', value: md.finalizers.filter((f) => f !== 'foregroundDeletion') }] });
            changed = true;
          }
        }
        continue;
      }
      const refs = md.ownerReferences ?? [];
      if (refs.length === 0 || md.deletionTimestamp) continue;
      if (refs.every((r) => !byUid.has(r.uid))) {
        await c.write({ verb: 'delete', resource, namespace: md.namespace, name: md.name, propagationPolicy: 'Background' });
        changed = true;
      }
    }
    return changed;
  },
};
