// StorageObjectInUseProtection admission: every new PersistentVolumeClaim gets the
// kubernetes.io/pvc-protection finalizer and every new PersistentVolume kubernetes.io/pv-protection,
// so that deleting one still in use only marks it Terminating; the pvc-protection and pv-protection
// controllers (controllers/persistentvolume/) take the finalizer away once nothing uses it.
import type { KObject } from '../types.js';
import type { AdmissionContext } from './index.js';

export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';

export function storageObjectInUseProtection(ctx: AdmissionContext, obj: KObject): void {
  if (ctx.operation !== 'CREATE') return;
  const finalizer = obj.kind === 'PersistentVolumeClaim' ? PVC_PROTECTION_FINALIZER : obj.kind === 'PersistentVolume' ? PV_PROTECTION_FINALIZER : undefined;
  if (!finalizer) return;
  const md = (obj.metadata ??= {});
  if (md.finalizers?.includes(finalizer)) return;
  md.finalizers = [...(md.finalizers ?? []), finalizer];
}
