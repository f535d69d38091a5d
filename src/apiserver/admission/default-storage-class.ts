// DefaultStorageClass admission: a PersistentVolumeClaim that names no class (the field absent, not
// "") gets the cluster's default StorageClass, the one annotated is-default-class; with several,
// the newest wins, as the real plugin picks.
import type { KObject } from '../types.js';
import type { AdmissionContext } from './index.js';

const DEFAULT_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const BETA_DEFAULT_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';

function isDefault(sc: KObject): boolean {
  const a = sc.metadata?.annotations ?? {};
  return a[DEFAULT_ANNOTATION] === 'true' || a[BETA_DEFAULT_ANNOTATION] === 'true';
}

export function defaultStorageClass(ctx: AdmissionContext, claim: KObject): void {
  const spec = (claim.spec ??= {});
  if (spec.storageClassName !== undefined && spec.storageClassName !== null) return;
  const defaults = ctx.store.list('storage.k8s.io/storageclasses', undefined).filter(isDefault);
  if (!defaults.length) return;
  defaults.sort((a, b) => (b.metadata?.creationTimestamp ?? '').localeCompare(a.metadata?.creationTimestamp ?? '') || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  spec.storageClassName = defaults[0].metadata!.name;
}
