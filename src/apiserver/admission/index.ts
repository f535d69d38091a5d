// The admission chain, in the apiserver's order. Mutating plugins may change the object; validating
// plugins may only refuse it. Each plugin is its own module, named after the real one.
import type { Store } from '../../storage/store.js';
import type { Rng } from '../../cluster/random.js';
import type { KObject, UserInfo } from '../types.js';
import type { ResourceInfo } from '../resources.js';
import { namespaceLifecycle } from './namespace-lifecycle.js';
import { serviceAccountAdmission } from './service-account.js';
import { allocateService } from '../registry/service-alloc.js';
import { priorityAdmission } from './priority.js';
import { applyDefaults, applyDefaultTolerations } from './defaults/index.js';
import { limitRangerMutate, limitRangerValidate } from './limit-ranger.js';
import { resourceQuotaValidate } from './resource-quota.js';
import { defaultStorageClass } from './default-storage-class.js';
import { storageObjectInUseProtection } from './storage-protection.js';
import type { Trace } from '../../trace/trace.js';
import { changedPaths, listShort, snapshot } from '../../trace/diff.js';

export interface AdmissionContext {
  store: Store;
  rng: Rng;
  now: number;
  user: UserInfo;
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  resource: ResourceInfo;
  namespace?: string;
  old?: KObject;
  dryRun: boolean;
  /** the apiserver's trace: each plugin says what it did, for --trace */
  trace?: Trace;
}

/**
 * Runs one mutating step and, when the request is traced in detail, records which fields it set
 * (the plugins mutate in place, so the object is compared before and after).
 */
function traced(ctx: AdmissionContext, obj: KObject, stage: string, plugin: string, step: () => void, quiet?: string): void {
  if (!ctx.trace?.detailed) return step();
  const before = snapshot(obj);
  step();
  // An empty creationTimestamp is how an object is serialized, not something a plugin decided.
  const changed = changedPaths(before, obj).filter((p) => !p.startsWith('metadata.managedFields') && !p.endsWith('creationTimestamp=null'));
  if (changed.length) ctx.trace.stage(stage, `${plugin}: ${listShort(changed, 6)}`);
  else if (quiet) ctx.trace.stage(stage, `${plugin}: ${quiet}`);
}

export async function admitMutating(ctx: AdmissionContext, obj: KObject): Promise<void> {
  // Defaulting happens when the request is decoded, before any plugin sees the object.
  traced(ctx, obj, 'defaulting', `${obj.apiVersion} ${obj.kind} defaults`, () => applyDefaults(obj.kind!, obj.apiVersion!, obj), 'nothing to fill in');
  namespaceLifecycle(ctx, obj);
  if (ctx.resource.namespaced && ctx.operation === 'CREATE') {
    ctx.trace?.stage('mutating admission', () => `NamespaceLifecycle: namespace "${obj.metadata?.namespace ?? ctx.namespace}" exists and is not terminating`);
  }
  if (ctx.operation === 'CREATE') {
    if (obj.kind === 'Pod') {
      traced(ctx, obj, 'mutating admission', 'ServiceAccount', () => serviceAccountAdmission(ctx, obj), 'nothing to change');
      traced(ctx, obj, 'mutating admission', 'Priority', () => priorityAdmission(ctx, obj), 'priority already set');
      traced(ctx, obj, 'mutating admission', 'DefaultTolerationSeconds', () => applyDefaultTolerations(obj), 'tolerations already set');
      traced(ctx, obj, 'mutating admission', 'LimitRanger', () => limitRangerMutate(ctx, obj), 'no LimitRange defaults apply');
    }
    if (obj.kind === 'PersistentVolumeClaim') traced(ctx, obj, 'mutating admission', 'DefaultStorageClass', () => defaultStorageClass(ctx, obj), 'class already named, or no default class');
    if (obj.kind === 'PersistentVolumeClaim' || obj.kind === 'PersistentVolume') traced(ctx, obj, 'mutating admission', 'StorageObjectInUseProtection', () => storageObjectInUseProtection(ctx, obj), 'finalizer already set');
  }
  // The Service registry allocates (and, on a type change, releases) IPs and node ports on update too.
  if (obj.kind === 'Service') traced(ctx, obj, 'mutating admission', 'ClusterIP allocator', () => allocateService(ctx.store, ctx.rng, obj, ctx.store.meta.config?.serviceSubnet, ctx.operation === 'UPDATE' ? ctx.old : undefined), 'no IP to allocate');
}

export async function admitValidating(ctx: AdmissionContext, obj: KObject): Promise<void> {
  limitRangerValidate(ctx, obj);
  resourceQuotaValidate(ctx, obj);
  ctx.trace?.stage('validating admission', () => {
    const ns = ctx.resource.namespaced ? obj.metadata?.namespace ?? ctx.namespace : undefined;
    if (!ns) return 'LimitRanger, ResourceQuota: nothing to check for a cluster-scoped object: admitted';
    const lr = ns ? ctx.store.list('limitranges', ns).length : 0;
    const rq = ns ? ctx.store.list('resourcequotas', ns).length : 0;
    return `LimitRanger: ${lr ? `within ${lr} LimitRange(s)` : 'no LimitRange'}; ResourceQuota: ${rq ? `within ${rq} quota(s)` : 'no quota'} in namespace "${ns}": admitted`;
  });
}
