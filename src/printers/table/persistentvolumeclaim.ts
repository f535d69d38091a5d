import type { TableDef } from './types.js';
import { accessModes, age } from './helpers.js';

export const persistentVolumeClaim: TableDef = {
  columns: [
    { name: 'Name' },
    { name: 'Status' },
    { name: 'Volume' },
    { name: 'Capacity' },
    { name: 'Access Modes' },
    { name: 'StorageClass' },
    { name: 'VolumeAttributesClass' },
    { name: 'Age' },
    { name: 'VolumeMode', priority: 1 },
  ],
  row(o, now) {
    const phase = o.metadata?.deletionTimestamp ? 'Terminating' : (o.status?.phase ?? '');
    let capacity = '';
    let modes = '';
    if (o.spec?.volumeName) {
      modes = accessModes(o.status?.accessModes);
      capacity = o.status?.capacity?.storage ?? '0';
    }
    const cls = o.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? o.spec?.storageClassName ?? '';
    return [
      o.metadata?.name,
      phase,
      o.spec?.volumeName ?? '',
      capacity,
      modes,
      cls,
      o.spec?.volumeAttributesClassName || '<unset>',
      age(o, now),
      o.spec?.volumeMode ?? '<unset>',
    ];
  },
};
