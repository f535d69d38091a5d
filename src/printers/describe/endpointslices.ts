// formatEndpointSlices: how Service and Ingress describe show the ready addresses behind a port.
/** ports = undefined means all ports. At most 3 addresses, then "+ N more...". */
export function formatEndpointSlices(slices: any[], ports?: Set<string>): string {
  if (slices.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const s of slices) {
    const eps = s.endpoints ?? [];
    if ((s.ports ?? []).length === 0) {
      for (const ep of eps) {
        if (list.length === max) more = true;
        if (ep.conditions?.ready === false) continue;
        if (!more) list.push(ep.addresses?.[0] ?? '');
        count++;
      }
    } else {
      for (const p of s.ports) {
        if (ports && !ports.has(p.name ?? '')) continue;
        for (const ep of eps) {
          if (list.length === max) more = true;
          if (ep.conditions?.ready === false) continue;
          const addr: string = ep.addresses?.[0] ?? '';
          if (!more) list.push(addr.includes(':') ? `[${addr}]:${p.port}` : `${addr}:${p.port}`);
          count++;
        }
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}
