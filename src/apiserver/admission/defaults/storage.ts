// Volumes and storage: PVC, PV, StorageClass.

export function defaultPVCSpec(spec: any): void {
  spec.volumeMode ??= 'Filesystem';
}

export function defaultPVC(pvc: any): void {
  defaultPVCSpec(pvc.spec ??= {});
  // persistentvolumeclaimStrategy.PrepareForCreate
  pvc.status ??= { phase: 'Pending' };
}

export function defaultPV(pv: any): void {
  const spec = (pv.spec ??= {});
  spec.persistentVolumeReclaimPolicy ??= 'Retain';
  spec.volumeMode ??= 'Filesystem';
  pv.status ??= { phase: 'Pending' };
}

export function defaultStorageClass(sc: any): void {
  sc.reclaimPolicy ??= 'Delete';
  sc.volumeBindingMode ??= 'Immediate';
}
