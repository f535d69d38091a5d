// Mutating and Validating webhook configurations share a printer: the number of webhooks.
import type { TableDef } from './types.js';
import { age } from './helpers.js';

export const webhookConfiguration: TableDef = {
  columns: [{ name: 'Name' }, { name: 'Webhooks' }, { name: 'Age' }],
  row: (o, now) => [o.metadata?.name, (o.webhooks ?? []).length, age(o, now)],
};
