import type { TableDef } from './types.js';
import { age, formatLabelSelector } from './helpers.js';

export const networkPolicy: TableDef = {
  columns: [{ name: 'Name' }, { name: 'Pod-Selector' }, { name: 'Age' }],
  row: (o, now) => [o.metadata?.name, formatLabelSelector(o.spec?.podSelector ?? {}), age(o, now)],
};
