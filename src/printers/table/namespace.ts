import type { TableDef } from './types.js';
import { age } from './helpers.js';

export const namespace: TableDef = {
  columns: [{ name: 'Name' }, { name: 'Status' }, { name: 'Age' }],
  row: (o, now) => [o.metadata?.name, o.status?.phase ?? '', age(o, now)],
};
