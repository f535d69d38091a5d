import type { TableDef } from './types.js';
import { accessModes, age } from './helpers.js';

export const persistentVolume: TableDef = {
  columns: [
    { name: 'Name' },
    { name: 'Capacity' },
    { name: 'Access Modes' },
    { name: 'Reclaim Policy' },
    { name: 'Status' },
    { name: 'Claim' },
    { name: 'StorageClass' },
    { name: 'VolumeAttributesClass' },
    { name: 'Reason' },
    { name: 'Age' },
    { name: 'VolumeMode', priority: 1 },
  ],
  row(o, now) {
    const ref = o.spec?.claimRef;
    const claim = ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : '';
    const cls = o.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? o.spec?.storageClassName ?? '';
    return [
      o.metadata?.name,
      o.spec?.capacity?.storage ?? '0',
      accessModes(o.spec?.accessModes),
      o.spec?.persistentVolumeReclaimPolicy ?? '',
      o.metadata?.deletionTimestamp ? 'Terminating' : (o.status?.phase ?? ''),
      claim,
      cls,
      o.spec?.volumeAttributesClassName || '<unset>',
      o.status?.reason ?? '',
      age(o, now),
      o.spec?.volumeMode ?? '<unset>',
    ];
  },
};
