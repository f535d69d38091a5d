import type { TableDef } from './types.js';
import { createdAt } from './helpers.js';

export const limitRange: TableDef = {
  columns: [{ name: 'Name' }, { name: 'Created At' }],
  row: (o) => [o.metadata?.name, createdAt(o)],
};
