import type { TableDef } from './types.js';
import { age, loadBalancerIngress } from './helpers.js';

/** formatHosts: up to 3 hosts, `*` when no rule names one. */
function hosts(rules: any[] | undefined): string {
  const rs = rules ?? [];
  const list: string[] = [];
  let more = false;
  for (const r of rs) {
    if (list.length === 3) more = true;
    if (!more && r.host) list.push(r.host);
  }
  if (list.length === 0) return '*';
  return more ? `${list.join(',')} + ${rs.length - 3} more...` : list.join(',');
}

export const ingress: TableDef = {
  columns: [{ name: 'Name' }, { name: 'Class' }, { name: 'Hosts' }, { name: 'Address' }, { name: 'Ports' }, { name: 'Age' }],
  row: (o, now) => [
    o.metadata?.name,
    o.spec?.ingressClassName ?? '<none>',
    hosts(o.spec?.rules),
    loadBalancerIngress(o.status?.loadBalancer),
    (o.spec?.tls ?? []).length > 0 ? '80, 443' : '80',
    age(o, now),
  ],
};
