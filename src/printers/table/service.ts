import type { TableDef } from './types.js';
import { age, formatLabels, loadBalancerIngress } from './helpers.js';

/** getServiceExternalIP: <none>, <pending> for a LoadBalancer without an address yet, the externalName. */
function externalIP(svc: any): string {
  const spec = svc.spec ?? {};
  const ext: string[] = spec.externalIPs ?? [];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return ext.length > 0 ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngress(svc.status?.loadBalancer);
      if (ext.length > 0) return [...(lb ? lb.split(',') : []), ...ext].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
  }
  return '<unknown>';
}

/** makePortString: `80/TCP`, `80:30080/TCP`, comma-joined. */
export function servicePorts(ports: any[] | undefined): string {
  return (ports ?? [])
    .map((p) => (p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`))
    .join(',');
}

export const service: TableDef = {
  columns: [
    { name: 'Name' },
    { name: 'Type' },
    { name: 'Cluster-IP' },
    { name: 'External-IP' },
    { name: 'Port(s)' },
    { name: 'Age' },
    { name: 'Selector', priority: 1 },
  ],
  row(o, now) {
    // printService reads only clusterIPs: an ExternalName Service has none.
    const clusterIP = o.spec?.clusterIPs?.length ? o.spec.clusterIPs[0] : '<none>';
    return [o.metadata?.name, o.spec?.type ?? '', clusterIP, externalIP(o), servicePorts(o.spec?.ports) || '<none>', age(o, now), formatLabels(o.spec?.selector)];
  },
};
