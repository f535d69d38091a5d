import type { TableDef } from './types.js';
import { age } from './helpers.js';

export const serviceAccount: TableDef = {
  columns: [{ name: 'Name' }, { name: 'Secrets' }, { name: 'Age' }],
  row: (o, now) => [o.metadata?.name, (o.secrets ?? []).length, age(o, now)],
};
