import type { TableDef } from './types.js';
import { age } from './helpers.js';

export const lease: TableDef = {
  columns: [{ name: 'Name' }, { name: 'Holder' }, { name: 'Age' }],
  row: (o, now) => [o.metadata?.name, o.spec?.holderIdentity ?? '', age(o, now)],
};
