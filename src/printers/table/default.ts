// Kinds without a printer of their own. Custom resources get NAME AGE (plus their
// additionalPrinterColumns, which the caller can supply); built-in kinds without a printer get the
// apiserver's default table, NAME CREATED AT.
import type { TableDef } from './types.js';
import { age, createdAt } from './helpers.js';

export const defaultTable: TableDef = {
  columns: [{ name: 'Name' }, { name: 'Age' }],
  row: (o, now) => [o.metadata?.name, age(o, now)],
};

export const createdAtTable: TableDef = {
  columns: [{ name: 'Name' }, { name: 'Created At' }],
  row: (o) => [o.metadata?.name, createdAt(o)],
};
