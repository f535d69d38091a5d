import type { TableDef } from './types.js';
import { age, containerCells, formatLabelSelector, num } from './helpers.js';

export const deployment: TableDef = {
  columns: [
    { name: 'Name' },
    { name: 'Ready' },
    { name: 'Up-to-date' },
    { name: 'Available' },
    { name: 'Age' },
    { name: 'Containers', priority: 1 },
    { name: 'Images', priority: 1 },
    { name: 'Selector', priority: 1 },
  ],
  row(o, now) {
    const [names, images] = containerCells(o.spec?.template?.spec?.containers);
    return [
      o.metadata?.name,
      `${num(o.status?.readyReplicas)}/${num(o.spec?.replicas)}`,
      num(o.status?.updatedReplicas),
      num(o.status?.availableReplicas),
      age(o, now),
      names,
      images,
      formatLabelSelector(o.spec?.selector),
    ];
  },
};
