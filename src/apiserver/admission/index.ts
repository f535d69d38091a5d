// The admission chain, in the apiserver's order. Mutating plugins may change the object; validating
// plugins may only refuse it. Each plugin is its own module, named after the real one.
import type { Store } from '../../storage/store.js';
import type { Rng } from '../../cluster/random.js';
import type { KObject, UserInfo } from '../types.js';
import type { ResourceInfo } from '../resources.js';
import { namespaceLifecycle } from './namespace-lifecycle.js';
import { serviceAccountAdmission } from './service-account.js';
import { allocateService } from '../registry/service-alloc.js';
import { applyDefaults, applyDefaultTolerations } from './defaults/index.js';
import { limitRangerMutate, limitRangerValidate } from './limit-ranger.js';
import { resourceQuotaValidate } from './resource-quota.js';

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
}

export async function admitMutating(ctx: AdmissionContext, obj: KObject): Promise<void> {
  // Defaulting happens when the request is decoded, before any plugin sees the object.
  applyDefaults(obj.kind!, obj.apiVersion!, obj);
  namespaceLifecycle(ctx, obj);
  if (ctx.operation === 'CREATE') {
    if (obj.kind === 'Pod') {
      serviceAccountAdmission(ctx, obj);
      applyDefaultTolerations(obj);
      limitRangerMutate(ctx, obj);
    }
    if (obj.kind === 'Service') allocateService(ctx.store, ctx.rng, obj);
  }
}

export async function admitValidating(ctx: AdmissionContext, obj: KObject): Promise<void> {
  limitRangerValidate(ctx, obj);
  resourceQuotaValidate(ctx, obj);
}
