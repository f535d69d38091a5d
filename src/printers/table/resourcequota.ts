// ResourceQuota: REQUEST and LIMIT list `resource: used/hard`, limits.* going to LIMIT.
import type { TableDef } from './types.js';
import { age } from './helpers.js';

export const resourceQuota: TableDef = {
  columns: [{ name: 'Name' }, { name: 'Age' }, { name: 'Request' }, { name: 'Limit' }],
  row(o, now) {
    const hard: Record<string, string> = o.status?.hard ?? {};
    const used: Record<string, string> = o.status?.used ?? {};
    const req: string[] = [];
    const lim: string[] = [];
    for (const r of Object.keys(hard).sort()) {
      const piece = `${r}: ${used[r] ?? '0'}/${hard[r]}`;
      const parts = r.split('.');
      (parts.length > 1 && parts[0] === 'limits' ? lim : req).push(piece);
    }
    return [o.metadata?.name, age(o, now), req.join(', '), lim.join(', ')];
  },
};
