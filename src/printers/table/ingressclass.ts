import type { TableDef } from './types.js';
import { age } from './helpers.js';

export const ingressClass: TableDef = {
  columns: [{ name: 'Name' }, { name: 'Controller' }, { name: 'Parameters' }, { name: 'Age' }],
  row(o, now) {
    const p = o.spec?.parameters;
    const params = p ? `${p.kind}${p.apiGroup ? '.' + p.apiGroup : ''}/${p.name}` : '<none>';
    return [o.metadata?.name, o.spec?.controller ?? '', params, age(o, now)];
  },
};
