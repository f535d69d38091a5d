import type { TableDef } from './types.js';
import { age } from './helpers.js';

export const configMap: TableDef = {
  columns: [{ name: 'Name' }, { name: 'Data' }, { name: 'Age' }],
  row: (o, now) => [o.metadata?.name, Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length, age(o, now)],
};
