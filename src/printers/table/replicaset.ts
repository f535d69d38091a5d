import type { TableDef } from './types.js';
import { age, containerCells, formatLabelSelector, num } from './helpers.js';

export const replicaSet: TableDef = {
  columns: [
    { name: 'Name' },
    { name: 'Desired' },
    { name: 'Current' },
    { name: 'Ready' },
    { name: 'Age' },
    { name: 'Containers', priority: 1 },
    { name: 'Images', priority: 1 },
    { name: 'Selector', priority: 1 },
  ],
  row(o, now) {
    const [names, images] = containerCells(o.spec?.template?.spec?.containers);
    return [o.metadata?.name, num(o.spec?.replicas), num(o.status?.replicas), num(o.status?.readyReplicas), age(o, now), names, images, formatLabelSelector(o.spec?.selector)];
  },
};
