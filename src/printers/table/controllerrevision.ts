import type { TableDef } from './types.js';
import { age, controllerOf, num } from './helpers.js';

export const controllerRevision: TableDef = {
  columns: [{ name: 'Name' }, { name: 'Controller' }, { name: 'Revision' }, { name: 'Age' }],
  row(o, now) {
    const ref = controllerOf(o);
    let controller = '<none>';
    if (ref) {
      const group = String(ref.apiVersion ?? '').includes('/') ? String(ref.apiVersion).split('/')[0] : '';
      controller = `${String(ref.kind).toLowerCase()}${group ? '.' + group : ''}/${ref.name}`;
    }
    return [o.metadata?.name, controller, num(o.revision), age(o, now)];
  },
};
