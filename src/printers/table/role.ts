// Role and ClusterRole share a printer: NAME and CREATED AT (an RFC 3339 time, not an age).
import type { TableDef } from './types.js';
import { createdAt } from './helpers.js';

export const role: TableDef = {
  columns: [{ name: 'Name' }, { name: 'Created At' }],
  row: (o) => [o.metadata?.name, createdAt(o)],
};
