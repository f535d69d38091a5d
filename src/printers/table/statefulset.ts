import type { TableDef } from './types.js';
import { age, containerCells, num } from './helpers.js';

export const statefulSet: TableDef = {
  columns: [{ name: 'Name' }, { name: 'Ready' }, { name: 'Age' }, { name: 'Containers', priority: 1 }, { name: 'Images', priority: 1 }],
  row(o, now) {
    const [names, images] = containerCells(o.spec?.template?.spec?.containers);
    return [o.metadata?.name, `${num(o.status?.readyReplicas)}/${num(o.spec?.replicas)}`, age(o, now), names, images];
  },
};
