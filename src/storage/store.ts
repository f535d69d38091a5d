// The cluster's "etcd": every object keyed by resource, namespace and name, one revision counter
// for the whole cluster (etcd's revision), and nothing else. Only the apiserver calls this.
import type { KObject } from '../apiserver/types.js';

export interface ClusterMeta {
  name: string;
  createdAt: string;
  /** state of the seeded generator behind names, uids and IPs */
  seed: number;
  rngState: number;
  /** free-form allocator and component state kept with the cluster (service IPs, node ports, ...) */
  [key: string]: any;
}

export interface StateData {
  format: 'minikctl/v1';
  revision: number;
  cluster: ClusterMeta;
  /** storage prefix ("pods", "apps/deployments") → "namespace/name" or "name" → object */
  objects: Record<string, Record<string, KObject>>;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  prefix: string;
  object: KObject;
}

function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export class Store {
  private dirty = false;
  /** changes made by this process, in order; watchers and the trace read them */
  readonly changes: WatchEvent[] = [];
  /** each bucket's keys in order, kept until a key is added or removed (lists are frequent) */
  private readonly sorted = new Map<string, string[]>();

  constructor(readonly data: StateData) {}

  get revision(): number {
    return this.data.revision;
  }

  get changed(): boolean {
    return this.dirty;
  }

  get meta(): ClusterMeta {
    return this.data.cluster;
  }

  /**
   * Marks cluster metadata as changed. Allocator and generator state is saved with the next object
   * write, never on its own: a refused request leaves the state file byte for byte as it was.
   */
  touchMeta(force = false): void {
    if (force) this.dirty = true;
  }

  get(prefix: string, namespace: string | undefined, name: string): KObject | undefined {
    return this.data.objects[prefix]?.[objectKey(namespace, name)];
  }

  /** objects under a prefix, in one namespace or all; in key order, as etcd returns them */
  list(prefix: string, namespace?: string): KObject[] {
    const bucket = this.data.objects[prefix];
    if (!bucket) return [];
    let keys = this.sorted.get(prefix);
    if (!keys) {
      keys = Object.keys(bucket).sort();
      this.sorted.set(prefix, keys);
    }
    const out: KObject[] = [];
    if (namespace === undefined) {
      for (const k of keys) out.push(bucket[k]);
    } else {
      const p = `${namespace}/`;
      for (const k of keys) if (k.startsWith(p)) out.push(bucket[k]);
    }
    return out;
  }

  count(prefix: string, namespace?: string): number {
    const bucket = this.data.objects[prefix];
    if (!bucket) return 0;
    if (namespace === undefined) return Object.keys(bucket).length;
    const p = `${namespace}/`;
    let n = 0;
    for (const k in bucket) if (k.startsWith(p)) n++;
    return n;
  }

  /** Stores a new or replaced object, stamping the next revision as its resourceVersion. */
  put(prefix: string, obj: KObject): KObject {
    const md = obj.metadata!;
    const key = objectKey(md.namespace, md.name!);
    const bucket = (this.data.objects[prefix] ??= {});
    const existed = key in bucket;
    if (!existed) this.sorted.delete(prefix);
    this.data.revision += 1;
    md.resourceVersion = String(this.data.revision);
    bucket[key] = obj;
    this.dirty = true;
    this.changes.push({ type: existed ? 'MODIFIED' : 'ADDED', prefix, object: obj });
    return obj;
  }

  remove(prefix: string, namespace: string | undefined, name: string): KObject | undefined {
    const bucket = this.data.objects[prefix];
    const key = objectKey(namespace, name);
    const obj = bucket?.[key];
    if (!obj) return undefined;
    delete bucket[key];
    this.sorted.delete(prefix);
    this.data.revision += 1;
    this.dirty = true;
    this.changes.push({ type: 'DELETED', prefix, object: obj });
    return obj;
  }
}
