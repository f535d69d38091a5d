import type { TableDef } from './types.js';
import { age, intOrString, num } from './helpers.js';

export const podDisruptionBudget: TableDef = {
  columns: [{ name: 'Name' }, { name: 'Min Available' }, { name: 'Max Unavailable' }, { name: 'Allowed Disruptions' }, { name: 'Age' }],
  row: (o, now) => [
    o.metadata?.name,
    o.spec?.minAvailable != null ? intOrString(o.spec.minAvailable) : 'N/A',
    o.spec?.maxUnavailable != null ? intOrString(o.spec.maxUnavailable) : 'N/A',
    num(o.status?.disruptionsAllowed),
    age(o, now),
  ],
};
