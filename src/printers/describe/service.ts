// kubectl describe service.
import { tabbed, LEVEL_0 } from './writer.js';
import type { DescribeLookup } from './types.js';
import { printLabelsMultiline, printAnnotationsMultiline, formatLabels } from './util.js';
import { describeEvents } from './events.js';
import { formatEndpointSlices } from './endpointslices.js';

function ingressString(ingress: any[]): string {
  return ingress.map((i) => (i.ip ? i.ip + (i.ipMode ? ` (${i.ipMode})` : '') : i.hostname ?? '')).join(', ');
}

export function describeService(svc: any, lookup: DescribeLookup): string {
  const spec = svc.spec ?? {};
  const name = svc.metadata?.name ?? '';
  const slices = lookup.list('endpointslices', svc.metadata?.namespace, `kubernetes.io/service-name=${name}`);
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${name}\n`);
    w.write(LEVEL_0, `Namespace:\t${svc.metadata?.namespace ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', svc.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', svc.metadata?.annotations);
    w.write(LEVEL_0, `Selector:\t${formatLabels(spec.selector)}\n`);
    w.write(LEVEL_0, `Type:\t${spec.type ?? 'ClusterIP'}\n`);
    if (spec.ipFamilyPolicy) w.write(LEVEL_0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
    const fams = spec.ipFamilies ?? [];
    w.write(LEVEL_0, `IP Families:\t${fams.length > 0 ? fams.join(',') : '<none>'}\n`);
    w.write(LEVEL_0, `IP:\t${spec.clusterIP ?? ''}\n`);
    const ips = spec.clusterIPs ?? [];
    w.write(LEVEL_0, `IPs:\t${ips.length > 0 ? ips.join(',') : '<none>'}\n`);
    if ((spec.externalIPs ?? []).length > 0) w.write(LEVEL_0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
    if (spec.loadBalancerIP) w.write(LEVEL_0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
    if (spec.externalName) w.write(LEVEL_0, `External Name:\t${spec.externalName}\n`);
    const lbi = svc.status?.loadBalancer?.ingress ?? [];
    if (lbi.length > 0) w.write(LEVEL_0, `LoadBalancer Ingress:\t${ingressString(lbi)}\n`);
    for (const sp of spec.ports ?? []) {
      const pname = sp.name ? sp.name : '<unset>';
      const proto = sp.protocol ?? 'TCP';
      w.write(LEVEL_0, `Port:\t${pname}\t${sp.port}/${proto}\n`);
      const tp = sp.targetPort ?? sp.port;
      w.write(LEVEL_0, `TargetPort:\t${tp}/${proto}\n`);
      if (sp.appProtocol != null) w.write(LEVEL_0, `AppProtocol:\t${sp.appProtocol}\n`);
      if (sp.nodePort) w.write(LEVEL_0, `NodePort:\t${pname}\t${sp.nodePort}/${proto}\n`);
      w.write(LEVEL_0, `Endpoints:\t${formatEndpointSlices(slices, new Set([sp.name ?? '']))}\n`);
    }
    w.write(LEVEL_0, `Session Affinity:\t${spec.sessionAffinity ?? 'None'}\n`);
    if (spec.externalTrafficPolicy) w.write(LEVEL_0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
    if (spec.internalTrafficPolicy) w.write(LEVEL_0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
    if (spec.healthCheckNodePort) w.write(LEVEL_0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
    if ((spec.loadBalancerSourceRanges ?? []).length > 0) w.write(LEVEL_0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`);
    if (spec.trafficDistribution) w.write(LEVEL_0, `Traffic Distribution:\t${spec.trafficDistribution}\n`);
    describeEvents(lookup.events(svc), w, lookup.now);
  });
}
