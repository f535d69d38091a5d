// An informer's indexer, as client-go keeps one per controller: objects of one resource grouped by
// a key (a pod's controller uid, its node), kept up to date from the store's change log instead of
// rebuilt from a full list on every run. Reads stay "through the apiserver" in spirit: the first
// build lists through it, and the change log is what a watch on it would deliver.
import type { KObject } from '../apiserver/types.js';
import { resourceFor } from '../apiserver/apiserver.js';
import { storageKey } from '../apiserver/resources.js';
import type { ComponentClient } from './component.js';

type KeyFn = (o: KObject) => string | undefined;

const objKey = (o: KObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

export class Index {
  private readonly groups = new Map<string, Map<string, KObject>>();
  private readonly keyOfObj = new Map<string, string | undefined>();
  private pos = 0;

  constructor(private readonly prefix: string, private readonly keyFn: KeyFn) {}

  private put(o: KObject): void {
    const id = objKey(o);
    const old = this.keyOfObj.get(id);
    const key = this.keyFn(o);
    if (old !== undefined && old !== key) this.groups.get(old)?.delete(id);
    this.keyOfObj.set(id, key);
    if (key === undefined) return;
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = new Map()));
    g.set(id, o);
  }

  private drop(o: KObject): void {
    const id = objKey(o);
    const old = this.keyOfObj.get(id);
    if (old !== undefined) this.groups.get(old)?.delete(id);
    this.keyOfObj.delete(id);
  }

  /** brings the index up to date with the store and returns it */
  async sync(c: ComponentClient, resource: string): Promise<this> {
    const changes = c.api.store.changes;
    if (this.pos === 0 && this.keyOfObj.size === 0) {
      for (const o of await c.list(resource)) this.put(o);
      this.pos = changes.length;
      return this;
    }
    for (; this.pos < changes.length; this.pos++) {
      const e = changes[this.pos];
      if (e.prefix !== this.prefix) continue;
      if (e.type === 'DELETED') this.drop(e.object);
      else this.put(e.object);
    }
    return this;
  }

  get(key: string): KObject[] {
    const g = this.groups.get(key);
    return g ? [...g.values()] : [];
  }

  keys(): IterableIterator<string> {
    return this.groups.keys();
  }
}

const indexes = new WeakMap<object, Map<string, Index>>();

/**
 * The index of `resource` by keyFn, named `name`, shared by every run of the components in this
 * process (one per store), up to date with the store when returned.
 */
export async function indexOf(c: ComponentClient, resource: string, name: string, keyFn: KeyFn): Promise<Index> {
  let m = indexes.get(c.api.store);
  if (!m) indexes.set(c.api.store, (m = new Map()));
  let idx = m.get(name);
  if (!idx) m.set(name, (idx = new Index(storageKey(resourceFor(resource)), keyFn)));
  return idx.sync(c, resource);
}

/** An index read through the Map shape sync code often uses, filled one key at a time. */
export function lazyGroups(index: Index): Map<string, KObject[]> {
  const m = new Map<string, KObject[]>();
  const get = m.get.bind(m);
  m.get = (k: string) => {
    if (!m.has(k)) m.set(k, index.get(k));
    return get(k);
  };
  return m;
}
