import type { TableDef } from './types.js';
import { age } from './helpers.js';

function withMore(list: string[], more: boolean, count: number, max: number): string {
  const s = list.join(',');
  if (more) return `${s} + ${count - max} more...`;
  return s === '' ? '<unset>' : s;
}

function ports(ps: any[] | undefined): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const p of ps ?? []) {
    if (list.length < 3) list.push(p.port != null ? String(p.port) : p.name != null ? p.name : '*');
    else more = true;
    count++;
  }
  return withMore(list, more, count, 3);
}

function addresses(eps: any[] | undefined): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ep of eps ?? []) {
    for (const a of ep.addresses ?? []) {
      if (list.length < 3) list.push(a);
      else more = true;
      count++;
    }
  }
  return withMore(list, more, count, 3);
}

export const endpointSlice: TableDef = {
  columns: [{ name: 'Name' }, { name: 'AddressType' }, { name: 'Ports' }, { name: 'Endpoints' }, { name: 'Age' }],
  row: (o, now) => [o.metadata?.name, o.addressType ?? '', ports(o.ports), addresses(o.endpoints), age(o, now)],
};
