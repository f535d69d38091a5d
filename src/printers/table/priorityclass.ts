import type { TableDef } from './types.js';
import { age, num } from './helpers.js';

export const priorityClass: TableDef = {
  columns: [{ name: 'Name' }, { name: 'Value' }, { name: 'Global-Default' }, { name: 'Age' }, { name: 'PreemptionPolicy' }],
  row: (o, now) => [o.metadata?.name, num(o.value), o.globalDefault === true, age(o, now), o.preemptionPolicy ?? 'PreemptLowerPriority'],
};
