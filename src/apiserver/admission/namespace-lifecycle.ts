// NamespaceLifecycle: nothing is created in a namespace that does not exist or is being deleted,
// and the system namespaces cannot be deleted.
import type { AdmissionContext } from './index.js';
import type { KObject } from '../types.js';
import { ApiError, forbidden } from '../errors.js';
import { qualifiedName } from '../resources.js';

export function namespaceLifecycle(ctx: AdmissionContext, obj: KObject): void {
  if (!ctx.resource.namespaced || ctx.operation !== 'CREATE') return;
  const ns = obj.metadata?.namespace ?? ctx.namespace;
  const nsObj = ctx.store.get('namespaces', undefined, ns!);
  if (!nsObj) {
    throw new ApiError({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 404, reason: 'NotFound',
      message: `namespaces "${ns}" not found`, details: { name: ns, kind: 'namespaces' },
    });
  }
  if (nsObj.metadata?.deletionTimestamp || nsObj.status?.phase === 'Terminating') {
    throw forbidden(
      `${qualifiedName(ctx.resource)} "${obj.metadata?.name ?? ''}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
      ctx.resource,
      obj.metadata?.name,
    );
  }
}

export const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];
