// The kube-apiserver of minikctl: handle(request) → response, independent of any transport.
// Every write goes through the real order: authentication (the caller's identity, impersonation),
// authorization (RBAC), decoding (strict schema), mutating admission (defaults and plugins),
// validation, validating admission, then storage. Nothing else writes to the store.
// The write path (admission, validation, patching) loads on the first write: reads stay light.
import type { Store } from '../storage/store.js';
import type { Clock } from '../cluster/clock.js';
import { rfc3339 } from '../cluster/clock.js';
import { Rng } from '../cluster/random.js';
import type { ApiRequest, ApiResponse, KObject, UserInfo } from './types.js';
import { type ResourceInfo, groupVersion, qualifiedName, storageKey, RESOURCES } from './resources.js';
import {
  ApiError, alreadyExists, badRequest, conflict, forbidden, internalError, invalid, methodNotAllowed, notFound,
  requestEntityTooLarge, staleConflict,
} from './errors.js';
import { authorize, authorizeWithReason, forbiddenMessage } from './authz.js';
import { compileFieldSelector, matches, parseLabelSelector, selectorString } from './selectors.js';
import { hasGeneration, hasStatusSubresource, initialStatus, prepareStatusUpdate, specOf } from './registry/strategy.js';
import type { AdmissionContext } from './admission/index.js';
import { etcdKey, type Trace } from '../trace/trace.js';

/** The apiserver's request body limit, and etcd's per-object limit. */
export const MAX_REQUEST_BYTES = 3 * 1024 * 1024;
export const MAX_OBJECT_BYTES = 1.5 * 1024 * 1024;

const SYSTEM_USER: UserInfo = { username: 'system:apiserver', groups: ['system:masters', 'system:authenticated'] };

function clone<T>(o: T): T {
  return o === undefined ? o : JSON.parse(JSON.stringify(o));
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

type WritePath = typeof import('./write-path.js');
let writePath: WritePath | undefined;
async function loadWritePath(): Promise<WritePath> {
  writePath ??= await import('./write-path.js');
  return writePath;
}

export class ApiServer {
  readonly rng: Rng;

  /**
   * Set by a command that will not write (and whose snapshot is thrown away afterwards): reads then
   * hand out the stored objects themselves instead of copies, which is most of a big list's cost.
   */
  readOnly = false;

  constructor(
    readonly store: Store,
    readonly clock: Clock,
    readonly trace?: Trace,
  ) {
    this.rng = new Rng(store.meta, () => store.touchMeta());
  }

  static readonly systemUser = SYSTEM_USER;

  async handle(req: ApiRequest): Promise<ApiResponse> {
    const rec = this.trace?.begin(req);
    try {
      const res = await this.dispatch(req);
      this.trace?.end(rec, res.code, res.body);
      return res;
    } catch (e) {
      if (e instanceof ApiError) {
        this.trace?.end(rec, e.code, undefined, e.status.reason, e.status.message);
        return { code: e.code, body: e.status };
      }
      this.trace?.end(rec, 500, undefined, 'InternalError', String((e as Error)?.message ?? e));
      throw e;
    }
  }

  private effectiveUser(req: ApiRequest): UserInfo {
    this.trace?.stage('authentication', () => `user "${req.user.username}", groups [${req.user.groups.join(', ')}]`);
    if (!req.impersonate) return req.user;
    const allowed = authorize(this.store, {
      user: req.user, verb: 'impersonate', apiGroup: '', resource: 'users', name: req.impersonate.username,
    });
    if (!allowed) {
      throw forbidden(`users "${req.impersonate.username}" is forbidden: User "${req.user.username}" cannot impersonate resource "users" in API group "" at the cluster scope`);
    }
    this.trace?.stage('authentication', () => `impersonating user "${req.impersonate!.username}", groups [${req.impersonate!.groups.join(', ')}] (allowed to impersonate)`);
    return req.impersonate;
  }

  private authorizeRequest(req: ApiRequest, user: UserInfo, verb: string): void {
    const ri = req.resource;
    const attrs = {
      user, verb, apiGroup: ri.group, resource: ri.name, subresource: req.subresource,
      namespace: ri.namespaced ? req.namespace : undefined, name: req.name,
    };
    const { allowed, reason } = authorizeWithReason(this.store, attrs);
    this.trace?.stage('authorization', () => `${req.verb} ${qualifiedName(ri)}${req.subresource ? `/${req.subresource}` : ''}${attrs.namespace ? ` in namespace "${attrs.namespace}"` : ''}: ${reason}`);
    if (!allowed) {
      throw forbidden(forbiddenMessage(attrs, qualifiedName(ri)), ri, req.name);
    }
  }

  private async dispatch(req: ApiRequest): Promise<ApiResponse> {
    const ri = req.resource;
    if (ri.namespaced && !req.namespace && !['list', 'watch', 'deletecollection'].includes(req.verb)) {
      throw badRequest('the server could not find the requested resource');
    }
    const user = this.effectiveUser(req);
    this.authorizeRequest(req, user, req.verb);
    if (!ri.verbs.includes(req.verb === 'patch' ? 'patch' : req.verb) && !req.subresource) {
      throw methodNotAllowed(`the server does not allow this method on the requested resource`);
    }
    switch (req.verb) {
      case 'get':
        return { code: 200, body: this.getOrFail(ri, req.namespace, req.name!, req.subresource, req.noCopy) };
      case 'list':
      case 'watch':
        return { code: 200, body: this.list(req) };
      case 'create':
        return this.create(req, user);
      case 'update':
        return this.update(req, user);
      case 'patch':
        return this.patch(req, user);
      case 'delete':
        return this.delete(req, user);
      case 'deletecollection':
        return this.deleteCollection(req, user);
    }
  }

  // ---- reads ----

  private getOrFail(ri: ResourceInfo, ns: string | undefined, name: string, subresource?: string, noCopy = false): KObject {
    const obj = this.store.get(storageKey(ri), ri.namespaced ? ns : undefined, name);
    if (!obj) throw notFound(ri, name);
    if (subresource === 'scale') return scaleOf(ri, obj);
    return this.readOnly || noCopy ? obj : clone(obj);
  }

  private list(req: ApiRequest): KObject {
    const ri = req.resource;
    let items = this.store.list(storageKey(ri), ri.namespaced ? req.namespace || undefined : undefined);
    if (req.labelSelector) {
      const sel = parseLabelSelector(req.labelSelector);
      items = items.filter((o) => matches(sel, o.metadata?.labels));
    }
    if (req.fieldSelector) {
      const f = compileFieldSelector(ri.kind, ri.name, req.fieldSelector);
      items = items.filter(f);
    }
    return {
      apiVersion: groupVersion(ri),
      kind: `${ri.kind}List`,
      metadata: { resourceVersion: String(this.store.revision) },
      items: this.readOnly || req.noCopy ? items : items.map(clone),
    };
  }

  // ---- writes ----

  private admissionContext(req: ApiRequest, user: UserInfo, operation: AdmissionContext['operation'], old?: KObject): AdmissionContext {
    return { store: this.store, rng: this.rng, now: this.clock.now(), user, operation, resource: req.resource, old, dryRun: !!req.dryRun, namespace: req.namespace, trace: this.trace };
  }

  private checkSize(body: unknown): void {
    const n = Buffer.byteLength(JSON.stringify(body ?? null));
    if (n > MAX_REQUEST_BYTES) throw requestEntityTooLarge(`Request entity too large: limit is ${MAX_REQUEST_BYTES}`);
  }

  private checkStoredSize(obj: KObject): void {
    if (Buffer.byteLength(JSON.stringify(obj)) > MAX_OBJECT_BYTES) {
      const e = internalError('');
      e.status.reason = '';
      e.status.code = 500;
      e.status.message = 'etcdserver: request is too large';
      throw e;
    }
  }

  private checkTypeMeta(ri: ResourceInfo, body: KObject): void {
    const gv = groupVersion(ri);
    if (body.apiVersion && body.apiVersion !== gv) {
      throw badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${gv})`);
    }
    if (body.kind && body.kind !== ri.kind) {
      throw badRequest(`the kind in the data (${body.kind}) does not match the expected kind (${ri.kind})`);
    }
    body.apiVersion = gv;
    body.kind = ri.kind;
  }

  private async create(req: ApiRequest, user: UserInfo): Promise<ApiResponse> {
    const ri = req.resource;
    if (req.subresource) return this.createSubresource(req, user);
    if (!req.noCopy) this.checkSize(req.body);
    const obj: KObject = clone(req.body ?? {});
    if (typeof obj !== 'object' || Array.isArray(obj)) throw badRequest('the body of the request was in an unknown format');
    this.checkTypeMeta(ri, obj);
    const { decode, admitMutating, admitValidating, validateSemantics } = await loadWritePath();
    await decode(ri, obj, req.fieldValidation);
    const md = (obj.metadata ??= {});
    if (ri.namespaced) {
      if (md.namespace && md.namespace !== req.namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      md.namespace = req.namespace;
    } else {
      delete md.namespace;
    }
    if (!md.name && md.generateName) md.name = `${md.generateName}${this.rng.string(5)}`;
    // Fields the server owns are reset whatever the client sent.
    md.uid = this.rng.uuid();
    md.creationTimestamp = rfc3339(this.clock.now());
    delete md.resourceVersion;
    delete md.deletionTimestamp;
    delete md.deletionGracePeriodSeconds;
    if (hasGeneration(ri.kind)) md.generation = 1;
    else delete md.generation;
    dropEmptyMetadata(obj);
    const ctx = this.admissionContext(req, user, 'CREATE');
    await admitMutating(ctx, obj);
    // The registry's PrepareForCreate runs after mutating admission: a pod's QoS class counts the
    // requests and limits LimitRanger filled in.
    const status = initialStatus(obj, md.creationTimestamp);
    if (status === undefined) delete obj.status;
    else obj.status = status;
    validateSemantics(ri, obj, undefined);
    this.trace?.stage('validation', () => `${groupVersion(ri)} ${ri.kind} "${md.name}": schema ok (${req.fieldValidation ?? 'Strict'} field validation), semantic validation ok`);
    if (this.store.get(storageKey(ri), md.namespace, md.name!)) throw alreadyExists(ri, md.name!);
    await admitValidating(ctx, obj);
    const stored = recordManager(ri, req, undefined, obj, this.clock.now(), await loadWritePath());
    this.checkStoredSize(stored);
    if (req.dryRun) {
      this.trace?.stage('etcd', 'not written (dry run)');
      return { code: 201, body: stored };
    }
    this.store.put(storageKey(ri), stored);
    this.trace?.stage('etcd', () => `created ${etcdKey(ri, md.namespace, md.name!)} at revision ${stored.metadata!.resourceVersion}`);
    return { code: 201, body: req.noCopy ? stored : clone(stored) };
  }

  private async update(req: ApiRequest, user: UserInfo, patched = false): Promise<ApiResponse> {
    const ri = req.resource;
    if (!req.noCopy) this.checkSize(req.body);
    const obj: KObject = patched ? req.body : clone(req.body ?? {});
    this.checkTypeMeta(ri, obj);
    const md = (obj.metadata ??= {});
    if (md.name && md.name !== req.name) {
      throw badRequest(`the name of the object (${md.name}) does not match the name on the URL (${req.name})`);
    }
    md.name = req.name;
    const current = this.store.get(storageKey(ri), ri.namespaced ? req.namespace : undefined, req.name!);
    if (!current) {
      throw notFound(ri, req.name!);
    }
    if (md.resourceVersion && md.resourceVersion !== current.metadata!.resourceVersion) throw staleConflict(ri, req.name!);
    const { decode } = await loadWritePath();
    await decode(ri, obj, req.fieldValidation);
    if (ri.namespaced) md.namespace = req.namespace;
    const cm = current.metadata!;
    md.uid = cm.uid;
    md.creationTimestamp = cm.creationTimestamp;
    if (cm.deletionTimestamp) {
      md.deletionTimestamp = cm.deletionTimestamp;
      md.deletionGracePeriodSeconds = cm.deletionGracePeriodSeconds;
    }
    delete md.resourceVersion;
    if (req.subresource === 'finalize' && ri.name === 'namespaces') {
      const next = clone(current);
      next.spec = { ...(next.spec ?? {}), finalizers: obj.spec?.finalizers ?? [] };
      if (!next.spec.finalizers.length) delete next.spec.finalizers;
      delete next.metadata!.resourceVersion;
      return this.commitUpdate(req, user, current, next);
    }
    if (req.subresource === 'status') return this.commitUpdate(req, user, current, prepareStatusUpdate(ri.kind, current, obj));
    if (hasStatusSubresource(ri.kind)) obj.status = clone(current.status);
    if (hasGeneration(ri.kind)) {
      md.generation = (cm.generation ?? 1) + (specOf(obj) === specOf(current) ? 0 : 1);
    }
    return this.commitUpdate(req, user, current, obj);
  }

  private async commitUpdate(req: ApiRequest, user: UserInfo, current: KObject, obj: KObject): Promise<ApiResponse> {
    dropEmptyMetadata(obj);
    const ri = req.resource;
    const ctx = this.admissionContext(req, user, 'UPDATE', current);
    const { admitMutating, admitValidating, validateSemantics } = await loadWritePath();
    // Subresource writes (status, finalize) change server-owned fields that defaulting must not touch.
    if (!req.subresource) {
      await admitMutating(ctx, obj);
      validateSemantics(ri, obj, current);
      this.trace?.stage('validation', () => `${groupVersion(ri)} ${ri.kind} "${req.name}": schema ok, semantic and update validation ok`);
    }
    obj.metadata!.resourceVersion = current.metadata!.resourceVersion;
    // A write that changes nothing is not a write: no new resourceVersion, no event. Who manages
    // which field is bookkeeping of a change, so it does not count as one.
    if (deepEqual(withoutManagedFields(obj), withoutManagedFields(current))) {
      this.trace?.stage('etcd', () => `unchanged: nothing written, ${etcdKey(ri, req.namespace, req.name!)} stays at revision ${current.metadata!.resourceVersion}`);
      return { code: 200, body: req.noCopy ? current : clone(current) };
    }
    await admitValidating(ctx, obj);
    obj = recordManager(ri, req, current, obj, this.clock.now(), await loadWritePath());
    this.checkStoredSize(obj);
    if (req.dryRun) {
      this.trace?.stage('etcd', 'not written (dry run)');
      return { code: 200, body: obj };
    }
    const was = current.metadata!.resourceVersion;
    this.store.put(storageKey(ri), obj);
    this.trace?.stage('etcd', () => `updated ${etcdKey(ri, req.namespace, req.name!)}${req.subresource ? ` (${req.subresource})` : ''}: revision ${was} → ${obj.metadata!.resourceVersion}`);
    // A finalized object with a deletionTimestamp goes once its last finalizer is removed, unless
    // it is still in a grace period (a terminating pod): then its kubelet's final delete does it.
    const cmd = current.metadata!;
    if (cmd.deletionTimestamp && !cmd.deletionGracePeriodSeconds && !obj.metadata!.finalizers?.length && !obj.spec?.finalizers?.length) {
      this.store.remove(storageKey(ri), obj.metadata!.namespace, obj.metadata!.name!);
    }
    return { code: 200, body: req.noCopy ? obj : clone(obj) };
  }

  private async patch(req: ApiRequest, user: UserInfo): Promise<ApiResponse> {
    const ri = req.resource;
    if (!req.noCopy) this.checkSize(req.body);
    const current = this.store.get(storageKey(ri), ri.namespaced ? req.namespace : undefined, req.name!);
    if (!current) {
      if (req.patchType === 'apply') {
        // Applying to nothing creates the object, owned by the applier from the start.
        const { serverSideApply } = await loadWritePath();
        const applied = serverSideApply(undefined, req.body, req.fieldManager ?? 'unknown', !!req.force, `${groupVersion(ri)}/${ri.kind}`, { now: rfc3339(this.clock.now()) });
        return this.create({ ...req, verb: 'create', body: applied.object }, user);
      }
      throw notFound(ri, req.name!);
    }
    const base = req.subresource === 'scale' ? scaleOf(ri, current) : clone(current);
    let next: KObject;
    const { applyPatch, jsonPatchFailureStatus } = await loadWritePath();
    try {
      next = applyPatch(req.patchType ?? 'strategic', base, req.body, ri, req.fieldManager ?? 'unknown', !!req.force);
    } catch (e: any) {
      if (e instanceof ApiError) throw e;
      if (e?.name === 'JsonPatchError') throw new ApiError(jsonPatchFailureStatus(e) as any);
      throw badRequest(e.message);
    }
    if (req.subresource === 'scale') {
      const target = clone(current);
      target.spec = { ...(target.spec ?? {}), replicas: next.spec?.replicas };
      next = target;
      return this.update({ ...req, subresource: undefined, body: next }, user, true).then((r) =>
        r.code < 300 ? { ...r, body: scaleOf(ri, r.body) } : r,
      );
    }
    // A patch that names a resourceVersion is a precondition; one that does not always applies.
    if (!(req.body && typeof req.body === 'object' && req.body.metadata?.resourceVersion)) {
      next.metadata = { ...(next.metadata ?? {}), resourceVersion: current.metadata!.resourceVersion };
    }
    return this.update({ ...req, body: next }, user, true);
  }

  private async delete(req: ApiRequest, _user: UserInfo): Promise<ApiResponse> {
    const ri = req.resource;
    const key = storageKey(ri);
    const ns = ri.namespaced ? req.namespace : undefined;
    const current = this.store.get(key, ns, req.name!);
    if (!current) throw notFound(ri, req.name!);
    const obj = clone(current);
    const md = obj.metadata!;
    const policy = req.propagationPolicy ?? defaultPropagation(ri);
    const finalizers = [...(md.finalizers ?? [])];
    if (policy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
    if (policy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
    if (ri.kind === 'Namespace') {
      if (md.deletionTimestamp) return { code: 200, body: obj };
      md.deletionTimestamp = rfc3339(this.clock.now());
      md.deletionGracePeriodSeconds = 0;
      obj.status = { ...(obj.status ?? {}), phase: 'Terminating' };
      if (req.dryRun) return { code: 200, body: obj };
      this.store.put(key, obj);
      this.trace?.stage('etcd', () => `namespace marked Terminating in ${etcdKey(ri, ns, req.name!)} at revision ${obj.metadata!.resourceVersion}; the namespace controller empties it`);
      return { code: 200, body: clone(obj) };
    }
    const graceful = ri.kind === 'Pod' && !!current.spec?.nodeName && (req.gracePeriodSeconds ?? 1) > 0;
    if (finalizers.length > 0 || graceful) {
      const grace = ri.kind === 'Pod' && current.spec?.nodeName ? (req.gracePeriodSeconds ?? current.spec?.terminationGracePeriodSeconds ?? 30) : 0;
      if (!md.deletionTimestamp) {
        md.deletionTimestamp = rfc3339(this.clock.now() + grace * 1000);
        md.deletionGracePeriodSeconds = grace;
      } else if (grace < (md.deletionGracePeriodSeconds ?? 0)) {
        // A second delete may only shorten the grace period (the kubelet's final grace-0 delete).
        md.deletionTimestamp = rfc3339(this.clock.now() + grace * 1000);
        md.deletionGracePeriodSeconds = grace;
      }
      md.finalizers = finalizers.length ? finalizers : undefined;
      if (!md.finalizers) delete md.finalizers;
      if (req.dryRun) return { code: 200, body: obj };
      this.store.put(key, obj);
      this.trace?.stage('etcd', () => `deletionTimestamp set on ${etcdKey(ri, ns, req.name!)} at revision ${obj.metadata!.resourceVersion}${graceful ? ` (grace period ${md.deletionGracePeriodSeconds}s)` : ''}${md.finalizers ? `; waiting for finalizers ${md.finalizers.join(', ')}` : ''}`);
      return { code: 200, body: clone(obj) };
    }
    if (!req.dryRun) this.store.remove(key, ns, req.name!);
    this.trace?.stage('etcd', () => (req.dryRun ? 'not deleted (dry run)' : `deleted ${etcdKey(ri, ns, req.name!)} at revision ${this.store.revision}`));
    return {
      code: 200,
      body: {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success',
        details: { name: req.name, group: ri.group, kind: ri.name, uid: md.uid },
      },
    };
  }

  private async deleteCollection(req: ApiRequest, user: UserInfo): Promise<ApiResponse> {
    const list = this.list(req);
    for (const item of list.items) {
      await this.delete({ ...req, verb: 'delete', name: item.metadata.name, namespace: item.metadata.namespace }, user);
    }
    return { code: 200, body: list };
  }

  private async createSubresource(req: ApiRequest, _user: UserInfo): Promise<ApiResponse> {
    const ri = req.resource;
    if (ri.name === 'pods' && req.subresource === 'binding') {
      const pod = this.store.get('pods', req.namespace, req.name!);
      if (!pod) throw notFound(ri, req.name!);
      if (pod.spec?.nodeName) {
        throw conflict(ri, req.name!, `pod ${req.name} is already assigned to node "${pod.spec.nodeName}"`);
      }
      const next = clone(pod);
      next.spec.nodeName = req.body?.target?.name;
      if (!req.dryRun) this.store.put('pods', next);
      this.trace?.stage('etcd', () => `spec.nodeName=${next.spec.nodeName} written to ${etcdKey(ri, req.namespace, req.name!)} at revision ${next.metadata!.resourceVersion}`);
      return { code: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } };
    }
    if (ri.name === 'pods' && req.subresource === 'eviction') {
      const { evict } = await import('./registry/eviction.js');
      // The eviction REST writes the PDB status and the pod's condition as the apiserver itself.
      const sys: ApiRequest = { ...req, user: SYSTEM_USER, fieldManager: undefined };
      return evict({
        get: (r, ns, name) => this.store.get(storageKey(resourceFor(r)), ns, name),
        list: (r, ns) => this.store.list(storageKey(resourceFor(r)), ns),
        now: () => this.clock.now(),
        writeStatus: async (r, current, next) => {
          delete next.metadata!.resourceVersion;
          await this.commitUpdate({ ...sys, verb: 'update', resource: resourceFor(r), namespace: current.metadata!.namespace, name: current.metadata!.name, subresource: 'status', body: next }, SYSTEM_USER, current, next);
        },
        deletePod: (r) => this.delete(r, _user),
        trace: (detail) => this.trace?.stage('eviction', detail),
      }, req);
    }
    throw methodNotAllowed(`the server does not allow this method on the requested resource`);
  }
}

/** ObjectMeta's maps and lists are omitempty in Go: an emptied one is not stored at all. */
function dropEmptyMetadata(o: KObject): void {
  const md = o.metadata;
  if (!md) return;
  for (const k of ['labels', 'annotations'] as const) if (md[k] && Object.keys(md[k]!).length === 0) delete md[k];
  for (const k of ['finalizers', 'ownerReferences'] as const) if (Array.isArray(md[k]) && md[k]!.length === 0) delete md[k];
}

function withoutManagedFields(o: KObject): KObject {
  if (!o.metadata?.managedFields) return o;
  const { managedFields: _m, ...metadata } = o.metadata;
  return { ...o, metadata };
}

/**
 * managedFields, as the apiserver's field manager keeps them: server-side apply records its own
 * (operation Apply, in the patch itself); every other write is an Update by its field manager.
 */
function recordManager(ri: ResourceInfo, req: ApiRequest, old: KObject | undefined, obj: KObject, now: number, wp: WritePath): KObject {
  if (req.patchType === 'apply') return obj;
  const gvk = `${groupVersion(ri)}/${ri.kind}`;
  const manager = req.fieldManager ?? (req.user.username.startsWith('system:') ? req.user.username.split(':').pop()! : 'unknown');
  return wp.updateManagedFields(old, obj, manager, 'Update', { now: rfc3339(now), subresource: req.subresource, gvk });
}

function defaultPropagation(ri: ResourceInfo): 'Background' | 'Orphan' {
  // Like the registries' DefaultGarbageCollectionPolicy: these legacy group-versions orphan by default
  // for old clients; in apps/v1 and batch/v1 it is background.
  void ri;
  return 'Background';
}

function scaleOf(ri: ResourceInfo, obj: KObject): KObject {
  const sel = obj.spec?.selector;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata!.name, namespace: obj.metadata!.namespace, uid: obj.metadata!.uid,
      resourceVersion: obj.metadata!.resourceVersion, creationTimestamp: obj.metadata!.creationTimestamp,
    },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: {
      replicas: obj.status?.replicas ?? 0,
      selector: selectorString(sel),
    },
  };
}

export function resourceFor(name: string): ResourceInfo {
  return RESOURCES.find((r) => r.name === name)!;
}
