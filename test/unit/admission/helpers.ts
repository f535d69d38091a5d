// A store and an admission context, and a create that runs the steps the apiserver runs around
// LimitRanger and ResourceQuota (defaulting → mutate → validate → write), without the rest of it.
import { Store } from '../../../src/storage/store.js';
import { RESOURCES } from '../../../src/apiserver/resources.js';
import type { AdmissionContext } from '../../../src/apiserver/admission/index.js';
import type { KObject } from '../../../src/apiserver/types.js';
import { applyDefaults } from '../../../src/apiserver/admission/defaults/index.js';
import { limitRangerMutate, limitRangerValidate } from '../../../src/apiserver/admission/limit-ranger.js';
import { resourceQuotaValidate } from '../../../src/apiserver/admission/resource-quota.js';

export const NOW = Date.parse('2026-01-01T00:00:00Z');

export function newStore(namespaces: string[] = ['default']): Store {
  const store = new Store({ format: 'minikctl/v1', revision: 0, cluster: { name: 't', createdAt: '', seed: 1, rngState: 1 }, objects: {} });
  for (const ns of namespaces) store.put('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  return store;
}

export function resourceOf(kind: string) {
  const ri = RESOURCES.find((r) => r.kind === kind);
  if (!ri) throw new Error(`no resource for ${kind}`);
  return ri;
}

export function ctxFor(store: Store, obj: KObject, opts: Partial<AdmissionContext> = {}): AdmissionContext {
  return {
    store,
    rng: undefined as any,
    now: NOW,
    user: { username: 'admin', groups: ['system:masters'] },
    operation: 'CREATE',
    resource: resourceOf(obj.kind!),
    namespace: obj.metadata?.namespace ?? 'default',
    dryRun: false,
    ...opts,
  };
}

let uid = 0;

/** Creates obj in ns as the apiserver would; throws the admission error when refused. */
export function create(store: Store, obj: KObject, ns = 'default', opts: Partial<AdmissionContext> = {}): KObject {
  const o: KObject = structuredClone(obj);
  o.metadata = { ...(o.metadata ?? {}), namespace: ns, uid: `uid-${++uid}` };
  const ctx = ctxFor(store, o, { namespace: ns, ...opts });
  applyDefaults(o.kind!, o.apiVersion!, o);
  limitRangerMutate(ctx, o);
  limitRangerValidate(ctx, o);
  resourceQuotaValidate(ctx, o);
  if (!ctx.dryRun) {
    const ri = ctx.resource;
    store.put(ri.group ? `${ri.group}/${ri.name}` : ri.name, o);
  }
  return o;
}

/** The error message create() fails with, or undefined when it succeeds. */
export function refusal(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e: any) {
    if (e?.status?.code !== 403) throw e;
    return e.message;
  }
}

export function pod(name: string, containers: { name: string; requests?: Record<string, string>; limits?: Record<string, string> }[], extra: any = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      containers: containers.map((c) => ({
        name: c.name,
        image: 'nginx',
        ...(c.requests || c.limits ? { resources: { ...(c.requests ? { requests: c.requests } : {}), ...(c.limits ? { limits: c.limits } : {}) } } : {}),
      })),
      ...extra,
    },
  };
}

export function quota(name: string, hard: Record<string, string>, spec: any = {}): KObject {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name }, spec: { hard, ...spec } };
}

export function limitRange(name: string, limits: any[]): KObject {
  return { apiVersion: 'v1', kind: 'LimitRange', metadata: { name }, spec: { limits } };
}
