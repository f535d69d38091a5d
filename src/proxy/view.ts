// What kube-proxy knows of the cluster: one entry per service port (its addresses, policies) with
// the endpoints the EndpointSlices give it. The view is the same for every node; what differs per
// node (which endpoints are local) is worked out when rules are rendered, as kube-proxy's
// CategorizeEndpoints does on each node.
import type { KObject } from '../apiserver/types.js';
import type { Protocol } from '../kubelet/net/types.js';
import { servicePortName } from './chains.js';

export interface EndpointView {
  ip: string;
  port: number;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  nodeName?: string;
}

export interface ServicePortView {
  namespace: string;
  name: string;
  /** the port's name ('' when unnamed) */
  port: string;
  protocol: Protocol;
  type: string;
  clusterIP: string;
  servicePort: number;
  nodePort?: number;
  externalIPs: string[];
  /** status.loadBalancer.ingress IPs (ipMode VIP) */
  lbIPs: string[];
  lbSourceRanges: string[];
  sessionAffinity: 'None' | 'ClientIP';
  stickySeconds: number;
  /** externalTrafficPolicy Local (on a service reachable from outside) */
  externalLocal: boolean;
  /** internalTrafficPolicy Local */
  internalLocal: boolean;
  healthCheckNodePort?: number;
  /** sorted as kube-proxy's endpoints map sorts them: by "ip:port" */
  endpoints: EndpointView[];
}

export interface ProxyView {
  version: number;
  /** a digest of the content, to tell a change from a repeat */
  digest: string;
  /** the time it was computed (virtual ms) */
  at: number;
  services: ServicePortView[];
}

export const spnOf = (sp: ServicePortView): string => servicePortName(sp.namespace, sp.name, sp.port);
export const epString = (ep: { ip: string; port: number }): string => `${ep.ip}:${ep.port}`;

/** kube-proxy's ShouldSkipService: headless and ExternalName services get no rules */
function skipped(svc: KObject): boolean {
  const ip = svc.spec?.clusterIP;
  return !ip || ip === 'None' || svc.spec?.type === 'ExternalName';
}

const isIPv4 = (s: string | undefined): s is string => !!s && /^\d+\.\d+\.\d+\.\d+$/.test(s);

/** endpoints per "namespace/service", per slice port (name/protocol): merged over the slices */
function endpointsByService(slices: KObject[]): Map<string, Map<string, Map<string, EndpointView>>> {
  const out = new Map<string, Map<string, Map<string, EndpointView>>>();
  // Slices are read in name order so that a duplicate address resolves the same way every time.
  const sorted = [...slices].sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
  for (const s of sorted) {
    const svc = s.metadata?.labels?.['kubernetes.io/service-name'];
    if (!svc || (s.addressType && s.addressType !== 'IPv4') || s.metadata?.deletionTimestamp) continue;
    const key = `${s.metadata!.namespace}/${svc}`;
    let byPort = out.get(key);
    if (!byPort) out.set(key, (byPort = new Map()));
    for (const p of s.ports ?? []) {
      if (p.port == null) continue;
      const pk = `${p.name ?? ''}/${p.protocol ?? 'TCP'}`;
      let eps = byPort.get(pk);
      if (!eps) byPort.set(pk, (eps = new Map()));
      for (const e of s.endpoints ?? []) {
        const ip = e.addresses?.[0];
        if (!isIPv4(ip)) continue;
        const c = e.conditions ?? {};
        const ep: EndpointView = {
          ip, port: p.port,
          ready: c.ready !== false,
          serving: c.serving !== false,
          terminating: c.terminating === true,
          ...(e.nodeName ? { nodeName: e.nodeName } : {}),
        };
        const k = epString(ep);
        if (!eps.has(k)) eps.set(k, ep);
      }
    }
  }
  return out;
}

/** The view every node's kube-proxy would program from these Services and EndpointSlices. */
export function buildServices(services: KObject[], slices: KObject[]): ServicePortView[] {
  const eps = endpointsByService(slices);
  const out: ServicePortView[] = [];
  for (const svc of services) {
    if (skipped(svc) || !isIPv4(svc.spec.clusterIP)) continue;
    const spec = svc.spec;
    const ns = svc.metadata!.namespace!;
    const name = svc.metadata!.name!;
    const type = spec.type ?? 'ClusterIP';
    const externalIPs: string[] = (spec.externalIPs ?? []).filter(isIPv4);
    const lbIPs: string[] = type === 'LoadBalancer'
      ? (svc.status?.loadBalancer?.ingress ?? []).filter((i: any) => isIPv4(i.ip) && i.ipMode !== 'Proxy').map((i: any) => i.ip)
      : [];
    const reachable = type === 'NodePort' || type === 'LoadBalancer' || externalIPs.length > 0;
    const externalLocal = reachable && spec.externalTrafficPolicy === 'Local';
    const byPort = eps.get(`${ns}/${name}`);
    for (const p of spec.ports ?? []) {
      const protocol: Protocol = p.protocol ?? 'TCP';
      const list = [...(byPort?.get(`${p.name ?? ''}/${protocol}`)?.values() ?? [])];
      list.sort((a, b) => (epString(a) < epString(b) ? -1 : epString(a) > epString(b) ? 1 : 0));
      out.push({
        namespace: ns, name, port: p.name ?? '', protocol, type,
        clusterIP: spec.clusterIP, servicePort: p.port,
        ...((type === 'NodePort' || type === 'LoadBalancer') && p.nodePort ? { nodePort: p.nodePort } : {}),
        externalIPs, lbIPs,
        lbSourceRanges: type === 'LoadBalancer' ? [...(spec.loadBalancerSourceRanges ?? [])] : [],
        sessionAffinity: spec.sessionAffinity === 'ClientIP' ? 'ClientIP' : 'None',
        stickySeconds: spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800,
        externalLocal,
        internalLocal: spec.internalTrafficPolicy === 'Local',
        ...(externalLocal && type === 'LoadBalancer' && spec.healthCheckNodePort ? { healthCheckNodePort: spec.healthCheckNodePort } : {}),
        endpoints: list,
      });
    }
  }
  // kube-proxy walks a Go map (no order); a stable order by service port name reads best and
  // keeps iptables-save identical from run to run.
  const key = (s: ServicePortView) => `${spnOf(s)}\u0000${s.protocol}`;
  out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return out;
}

// ---- per node: proxy.CategorizeEndpoints ----

export interface Categorized {
  clusterEndpoints: EndpointView[];
  localEndpoints: EndpointView[];
  allReachable: EndpointView[];
  hasEndpoints: boolean;
}

export const externallyAccessible = (sp: ServicePortView): boolean => !!sp.nodePort || sp.lbIPs.length > 0 || sp.externalIPs.length > 0;
export const usesClusterEndpoints = (sp: ServicePortView): boolean => !sp.internalLocal || (externallyAccessible(sp) && !sp.externalLocal);
export const usesLocalEndpoints = (sp: ServicePortView): boolean => sp.internalLocal || (externallyAccessible(sp) && sp.externalLocal);

export function categorize(sp: ServicePortView, nodeName: string): Categorized {
  const eps = sp.endpoints;
  let clusterEndpoints: EndpointView[] = [];
  let localEndpoints: EndpointView[] = [];
  let hasEndpoints = false;
  if (usesClusterEndpoints(sp)) {
    clusterEndpoints = eps.filter((e) => e.ready);
    // no ready endpoint anywhere: terminating ones that still serve take the traffic
    if (!clusterEndpoints.length) clusterEndpoints = eps.filter((e) => e.serving && e.terminating);
    hasEndpoints = clusterEndpoints.length > 0;
  }
  if (!usesLocalEndpoints(sp)) return { clusterEndpoints, localEndpoints, allReachable: clusterEndpoints, hasEndpoints };
  let localReady = false;
  let localServingTerminating = false;
  for (const e of eps) {
    const local = e.nodeName === nodeName;
    if (e.ready) {
      hasEndpoints = true;
      if (local) localReady = true;
    } else if (e.serving && e.terminating) {
      hasEndpoints = true;
      if (local) localServingTerminating = true;
    }
  }
  if (localReady) localEndpoints = eps.filter((e) => e.nodeName === nodeName && e.ready);
  else if (localServingTerminating) localEndpoints = eps.filter((e) => e.nodeName === nodeName && e.serving && e.terminating);
  if (!usesClusterEndpoints(sp)) return { clusterEndpoints, localEndpoints, allReachable: localEndpoints, hasEndpoints };
  const inEither = new Set([...clusterEndpoints, ...localEndpoints]);
  return { clusterEndpoints, localEndpoints, allReachable: eps.filter((e) => inEither.has(e)), hasEndpoints };
}
