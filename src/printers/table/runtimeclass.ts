import type { TableDef } from './types.js';
import { age } from './helpers.js';

export const runtimeClass: TableDef = {
  columns: [{ name: 'Name' }, { name: 'Handler' }, { name: 'Age' }],
  row: (o, now) => [o.metadata?.name, o.handler ?? '', age(o, now)],
};
