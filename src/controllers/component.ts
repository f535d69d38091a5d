// A control-plane component: level-triggered, it reads the world through the apiserver and
// writes through it, and says whether it changed anything. Given the same world (and the same
// virtual time) it makes the same decisions.
//
// Components keep no memory between commands except what they put in the cluster (objects, and
// their small private state kept with the cluster, as a kubelet's checkpoint files would be). A
// component that must act at a later time (an image pull finishing, a grace period ending) asks
// the runtime to wake it then with wakeAt(); the runtime advances the virtual clock to the
// earliest such time.
import type { ApiServer } from '../apiserver/apiserver.js';
import { resourceFor } from '../apiserver/apiserver.js';
import type { ApiRequest, KObject, PatchType, UserInfo } from '../apiserver/types.js';
import { rfc3339, rfc3339Micro } from '../cluster/clock.js';
import type { Trace } from '../trace/trace.js';
import type { WatchEvent } from '../storage/store.js';

export interface Component {
  name: string;
  reconcile(c: ComponentClient): Promise<boolean>;
  /**
   * The resources whose changes can give this component work (resource names, e.g. 'pods',
   * 'deployments'), like the informers a real controller starts. The runtime runs a component only
   * when one of them changed since its last run or a wake-up it asked for is due; without
   * `watches` (and without `wants`) it runs in every round.
   */
  watches?: string[];
  /** a finer filter over the changes since the last run, for components that watch everything */
  wants?(changes: readonly WatchEvent[], c: ComponentClient): boolean;
}

/**
 * Why a component wants to wake: `work` is part of getting to a settled state (instant mode jumps
 * over it); `background` is housekeeping that should happen only when real time gets there (event
 * expiry, periodic resyncs), so instant mode does not fast-forward to it.
 */
export type WakeKind = 'work' | 'background';

/** What the runtime gives every component: the wake-up requests it collects, the trace. */
export class RuntimeHooks {
  /** per component: the earliest wake-up it asked for in its last run */
  readonly work = new Map<string, number>();
  readonly background = new Map<string, number>();
  /**
   * per component: wake-ups for one key (a node, a ReplicaSet), kept until they fall due, so that
   * a component can run for what changed without re-asking for everything else
   */
  readonly keyed = new Map<string, Map<string, { t: number; kind: WakeKind }>>();
  /** the component being run (wake-ups are attributed to it) */
  current = '';
  constructor(readonly trace?: Trace) {}

  wake(t: number, kind: WakeKind, key?: string): void {
    if (key !== undefined) {
      let m = this.keyed.get(this.current);
      if (!m) this.keyed.set(this.current, (m = new Map()));
      m.set(key, { t, kind });
      return;
    }
    const m = kind === 'work' ? this.work : this.background;
    m.set(this.current, Math.min(m.get(this.current) ?? Infinity, t));
  }

  /** takes out the keyed wake-ups of a component that are due at now */
  takeDue(component: string, now: number): Set<string> {
    const out = new Set<string>();
    const m = this.keyed.get(component);
    if (!m) return out;
    for (const [k, w] of m) {
      if (w.t <= now) {
        out.add(k);
        m.delete(k);
      }
    }
    return out;
  }

  /** forgets a component's wake-ups before it runs again (it asks anew: level-triggered) */
  reset(component: string): void {
    this.work.delete(component);
    this.background.delete(component);
  }

  private keyedMin(component: string | undefined, kind?: WakeKind): number {
    let t = Infinity;
    const maps = component === undefined ? [...this.keyed.values()] : [this.keyed.get(component)];
    for (const m of maps) {
      if (!m) continue;
      for (const w of m.values()) if ((!kind || w.kind === kind) && w.t < t) t = w.t;
    }
    return t;
  }

  dueAt(component: string): number {
    return Math.min(this.work.get(component) ?? Infinity, this.background.get(component) ?? Infinity, this.keyedMin(component));
  }

  get nextWork(): number {
    let t = this.keyedMin(undefined, 'work');
    for (const v of this.work.values()) t = Math.min(t, v);
    return t;
  }

  get nextBackground(): number {
    let t = this.keyedMin(undefined, 'background');
    for (const v of this.background.values()) t = Math.min(t, v);
    return t;
  }
}

export interface EventOptions {
  /** source.component / reportingComponent, e.g. "kubelet", "deployment-controller" */
  component: string;
  /** source.host / reportingInstance for kubelet events: the node name */
  host?: string;
  /** involvedObject.fieldPath, e.g. "spec.containers{nginx}" */
  fieldPath?: string;
  /**
   * events.k8s.io-style (as kube-scheduler writes them): eventTime, action, reportingInstance,
   * no firstTimestamp/lastTimestamp/count, empty source.
   */
  action?: string;
  reportingInstance?: string;
}

/** What set a component's run off: the changes since its last run and the keys that fell due. */
export interface RunCause {
  /** the store's changes since this component last ran; undefined: a full pass (first run) */
  changes?: readonly WatchEvent[];
  /** the keys of keyed wake-ups (wakeAt(t, kind, key)) that are due now */
  dueKeys: ReadonlySet<string>;
}

const FULL_PASS: RunCause = { dueKeys: new Set() };

/** The in-process client a component uses: same apiserver, same checks, its own identity. */
export class ComponentClient {
  constructor(readonly api: ApiServer, readonly user: UserInfo, readonly hooks: RuntimeHooks = new RuntimeHooks(), readonly component = user.username, readonly cause: RunCause = FULL_PASS) {}

  /** the same runtime, another identity (a kubelet is system:node:<name>) */
  as(user: UserInfo, component = user.username): ComponentClient {
    return new ComponentClient(this.api, user, this.hooks, component, this.cause);
  }

  /** the same identity, run for a cause (the runtime calls this) */
  withCause(component: string, cause: RunCause): ComponentClient {
    return new ComponentClient(this.api, this.user, this.hooks, component, cause);
  }

  now(): number {
    return this.api.clock.now();
  }

  get rng() {
    return this.api.rng;
  }

  /** the cluster's shape (machines, CIDRs), set by `cluster create` */
  get config(): import('../cluster/config.js').ClusterConfig | undefined {
    return this.api.store.meta.config;
  }

  /**
   * Asks the runtime to run this component again at virtual time t. Without a key, the request
   * holds until the component's next run (it asks again each run). With a key (a node's name, an
   * object's uid), it holds until it falls due, and then the key is in cause.dueKeys: a component
   * that works only on what changed keeps its timers for everything else that way.
   */
  wakeAt(t: number, kind: WakeKind = 'work', key?: string): void {
    this.hooks.wake(t, kind, key);
  }

  /** a component decision, recorded with the virtual time for --trace */
  trace(action: string, object: string, detail?: string): void {
    this.hooks.trace?.as(this.component).record(action, object, detail);
  }

  /**
   * Private state kept with the cluster under key (created with init() the first time). Mutate
   * the returned object freely; call touch() after changing it so that it is saved.
   */
  state<T extends object>(key: string, init: () => T): T {
    const all = (this.api.store.meta.components ??= {});
    return (all[key] ??= init());
  }

  touch(): void {
    this.api.store.touchMeta(true);
  }

  /**
   * Lists through the apiserver. The objects are the stored ones, not copies: never mutate them
   * (copy with structuredClone first). This is what keeps a settle over thousands of pods cheap.
   */
  async list(resource: string, namespace?: string, opts: { labelSelector?: string; fieldSelector?: string } = {}): Promise<KObject[]> {
    const res = await this.api.handle({ verb: 'list', resource: resourceFor(resource), namespace, user: this.user, noCopy: true, userAgent: this.component, ...opts });
    if (res.code >= 300) throw new Error(`${resource}: ${res.body.message}`);
    return res.body.items;
  }

  /** Gets through the apiserver; like list(), the object is the stored one: do not mutate it. */
  async get(resource: string, namespace: string | undefined, name: string): Promise<KObject | undefined> {
    const res = await this.api.handle({ verb: 'get', resource: resourceFor(resource), namespace, name, user: this.user, noCopy: true, userAgent: this.component });
    return res.code === 200 ? res.body : undefined;
  }

  /** Sends a write; AlreadyExists, NotFound and Conflict are normal for a level-triggered loop. */
  async write(req: Omit<ApiRequest, 'user' | 'resource'> & { resource: string }): Promise<KObject | undefined> {
    const res = await this.api.handle({ ...req, resource: resourceFor(req.resource), user: this.user, noCopy: true, userAgent: this.component });
    if (res.code >= 300) {
      if ([404, 409].includes(res.code)) return undefined;
      throw new Error(`${this.component}: ${req.verb} ${req.resource} ${req.name ?? req.body?.metadata?.name ?? ''}: ${res.body.message}`);
    }
    return res.body;
  }

  create(resource: string, namespace: string | undefined, body: KObject): Promise<KObject | undefined> {
    return this.write({ verb: 'create', resource, namespace, body });
  }

  /** a full update (optimistic: body carries the resourceVersion it was read at) */
  update(resource: string, body: KObject, subresource?: string): Promise<KObject | undefined> {
    return this.write({ verb: 'update', resource, namespace: body.metadata?.namespace, name: body.metadata?.name, body, subresource });
  }

  patch(resource: string, namespace: string | undefined, name: string, body: any, opts: { patchType?: PatchType; subresource?: string } = {}): Promise<KObject | undefined> {
    return this.write({ verb: 'patch', resource, namespace, name, body, patchType: opts.patchType ?? 'merge', subresource: opts.subresource });
  }

  delete(resource: string, namespace: string | undefined, name: string, opts: { gracePeriodSeconds?: number; propagationPolicy?: ApiRequest['propagationPolicy'] } = {}): Promise<KObject | undefined> {
    return this.write({ verb: 'delete', resource, namespace, name, ...opts });
  }

  /**
   * Records a Kubernetes Event about obj, as client-go's recorder does: a repeat of the same
   * (object, type, reason, message, source) bumps count and lastTimestamp instead of adding one.
   */
  async event(obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string, opts: EventOptions): Promise<void> {
    await recordEvent(this, obj, type, reason, message, opts);
  }
}

// ---- events ----

interface EventIndex {
  byKey: Map<string, { namespace: string; name: string }>;
}
const eventIndexes = new WeakMap<object, EventIndex>();

function eventKey(io: any, type: string, reason: string, message: string, opts: EventOptions): string {
  return [io.uid, io.fieldPath ?? '', type, reason, message, opts.component, opts.host ?? ''].join('\u0000');
}

function indexFor(c: ComponentClient): EventIndex {
  let idx = eventIndexes.get(c.api.store);
  if (!idx) {
    idx = { byKey: new Map() };
    for (const e of c.api.store.list('events')) {
      const where = { namespace: e.metadata!.namespace!, name: e.metadata!.name! };
      if (e.eventTime && !e.firstTimestamp) {
        const opts: EventOptions = { component: e.reportingComponent ?? '', action: e.action };
        idx.byKey.set(`series\u0000${e.action}\u0000${eventKey(e.involvedObject ?? {}, e.type, e.reason, e.message, opts)}`, where);
        continue;
      }
      const opts: EventOptions = { component: e.source?.component ?? '', host: e.source?.host };
      idx.byKey.set(eventKey(e.involvedObject ?? {}, e.type, e.reason, e.message, opts), where);
    }
    eventIndexes.set(c.api.store, idx);
  }
  return idx;
}

/** Event names are <object>.<unix nanoseconds in hex>; nanoseconds never repeat within a cluster. */
function eventName(c: ComponentClient, objName: string): string {
  const meta = c.api.store.meta;
  let ns = BigInt(c.now()) * 1_000_000n;
  const last = meta.lastEventNs ? BigInt(meta.lastEventNs) : 0n;
  if (ns <= last) ns = last + 1n + BigInt(c.rng.intn(997));
  else ns += BigInt(c.rng.intn(999_983));
  meta.lastEventNs = ns.toString();
  return `${objName}.${ns.toString(16)}`;
}

async function recordEvent(c: ComponentClient, obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string, opts: EventOptions): Promise<void> {
  const md = obj.metadata ?? {};
  const namespace = md.namespace || 'default';
  const io: Record<string, unknown> = {
    apiVersion: obj.apiVersion, fieldPath: opts.fieldPath, kind: obj.kind, name: md.name, namespace: md.namespace, resourceVersion: md.resourceVersion, uid: md.uid,
  };
  if (!opts.fieldPath) delete io.fieldPath;
  if (!md.namespace) delete io.namespace;
  const now = c.now();
  if (opts.action) {
    // events.k8s.io style, as kube-scheduler records them (seen through core/v1). A repeat becomes
    // a series on the first one (count and last observed time), as the events library does.
    const idx = indexFor(c);
    const key = `series\u0000${opts.action}\u0000${eventKey(io, type, reason, message, opts)}`;
    const seen = idx.byKey.get(key);
    const existing = seen && (await c.get('events', seen.namespace, seen.name));
    if (existing) {
      await c.patch('events', seen!.namespace, seen!.name, { series: { count: (existing.series?.count ?? 1) + 1, lastObservedTime: rfc3339Micro(now) } });
      return;
    }
    const name = eventName(c, md.name!);
    idx.byKey.set(key, { namespace, name });
    await c.create('events', namespace, {
      apiVersion: 'v1', kind: 'Event',
      metadata: { name, namespace },
      action: opts.action, eventTime: rfc3339Micro(now), firstTimestamp: null, lastTimestamp: null,
      involvedObject: io, message, reason, reportingComponent: opts.component, reportingInstance: opts.reportingInstance ?? '', source: {}, type,
    });
    return;
  }
  const idx = indexFor(c);
  const key = eventKey(io, type, reason, message, opts);
  const seen = idx.byKey.get(key);
  if (seen) {
    const existing = await c.get('events', seen.namespace, seen.name);
    if (existing) {
      await c.patch('events', seen.namespace, seen.name, { count: (existing.count ?? 1) + 1, lastTimestamp: rfc3339(now) });
      return;
    }
  }
  const name = eventName(c, md.name!);
  const created = await c.create('events', namespace, {
    apiVersion: 'v1', kind: 'Event',
    metadata: { name, namespace },
    count: 1, eventTime: null, firstTimestamp: rfc3339(now), lastTimestamp: rfc3339(now),
    involvedObject: io, message, reason, reportingComponent: opts.component, reportingInstance: opts.host ?? '',
    source: opts.host ? { component: opts.component, host: opts.host } : { component: opts.component }, type,
  });
  if (created) idx.byKey.set(key, { namespace, name });
}

export const CONTROLLER_MANAGER: UserInfo = { username: 'system:kube-controller-manager', groups: ['system:masters', 'system:authenticated'] };
export const SCHEDULER: UserInfo = { username: 'system:kube-scheduler', groups: ['system:masters', 'system:authenticated'] };
/** a kubelet's identity; the Node authorizer's group, plus masters since minikctl has no Node authorizer */
export function nodeUser(node: string): UserInfo {
  return { username: `system:node:${node}`, groups: ['system:nodes', 'system:masters', 'system:authenticated'] };
}
