import type { TableDef } from './types.js';
import { age } from './helpers.js';

export const secret: TableDef = {
  columns: [{ name: 'Name' }, { name: 'Type' }, { name: 'Data' }, { name: 'Age' }],
  row: (o, now) => [o.metadata?.name, o.type ?? '', Object.keys(o.data ?? {}).length, age(o, now)],
};
