// The Service registry's allocation step (pkg/registry/core/service/storage: beginCreate and
// beginUpdate): ClusterIPs from the service CIDR and node ports from the node-port range, before
// validation runs. Like the real bitmap allocators (KEP-3070), each range has a lower band kept
// for static (requested) values: a dynamic allocation starts at a random point of the upper band,
// scans forward, and only falls back to the lower band once the upper one is full.
//
// There is no separate allocator state: what is allocated is what the live Services hold, read
// once per request (O(services)). A refused or dry-run request therefore needs no rollback, and a
// deleted Service's IP and ports are free again the moment it is gone.
import type { Store } from '../../storage/store.js';
import type { Rng } from '../../cluster/random.js';
import { internalError, invalid as invalidError } from '../errors.js';
import { RESOURCES } from '../resources.js';
import { formatInvalid, invalid, statusCauses, type FieldError } from '../validation/semantic/errors.js';
import { validateServiceClusterIPsRelatedFields } from '../validation/semantic/service.js';

const SERVICES = RESOURCES.find((r) => r.name === 'services')!;

export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
export const NODE_PORT_RANGE: [number, number] = [30000, 32767];

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((a, p) => a * 256 + Number(p), 0);
}
export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
export function isIPv4(s: unknown): s is string {
  const m = typeof s === 'string' ? IPV4.exec(s) : null;
  return !!m && m.slice(1).every((o) => Number(o) <= 255 && String(Number(o)) === o);
}

export function parseCidr(cidr: string): { base: number; size: number } {
  const [ip, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return { base: ipToInt(ip) - (ipToInt(ip) % size), size };
}

/** calculateRangeOffset of the IP allocator: min(max(16, size/16), 256); 0 for tiny ranges. */
export function ipRangeOffset(cidrSize: number): number {
  if (cidrSize <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(cidrSize / 16)), 256);
}

/** calculateRangeOffset of the port allocator: min(max(16, size/32), 128); 0 for tiny ranges. */
export function portRangeOffset(rangeSize: number): number {
  if (rangeSize <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(rangeSize / 32)), 128);
}

/**
 * randomScanStrategyWithOffset.AllocateBit: a free offset in [0, max), preferring [offset, max).
 * `taken` answers for an offset; returns -1 when every offset is taken.
 */
export function allocateOffset(rng: Rng, max: number, offset: number, taken: (i: number) => boolean): number {
  const upper = max - offset;
  if (upper > 0) {
    const start = rng.intn(upper);
    for (let i = 0; i < upper; i++) {
      const at = offset + ((start + i) % upper);
      if (!taken(at)) return at;
    }
  }
  if (offset > 0) {
    const start = rng.intn(offset);
    for (let i = 0; i < offset; i++) {
      const at = (start + i) % offset;
      if (!taken(at)) return at;
    }
  }
  return -1;
}

/** The cluster IP range as the allocator sees it: the network and broadcast addresses are not in it. */
export function serviceIPRange(cidr: string): { base: number; max: number; offset: number } {
  const { base, size } = parseCidr(cidr);
  return { base: base + 1, max: Math.max(0, size - 2), offset: ipRangeOffset(size) };
}

// ---- what the live Services hold ----

interface InUse {
  ips: Set<string>;
  /** node ports, healthCheckNodePorts included (one allocator holds both) */
  ports: Set<number>;
}

function inUse(store: Store, except?: { namespace?: string; name?: string }): InUse {
  const ips = new Set<string>();
  const ports = new Set<number>();
  for (const s of store.list('services')) {
    if (except && s.metadata?.namespace === except.namespace && s.metadata?.name === except.name) continue;
    const spec = s.spec ?? {};
    if (spec.type !== 'ExternalName') {
      for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) if (ip && ip !== 'None') ips.add(ip);
    }
    for (const p of spec.ports ?? []) if (p?.nodePort) ports.add(p.nodePort);
    if (spec.healthCheckNodePort) ports.add(spec.healthCheckNodePort);
  }
  return { ips, ports };
}

// ---- helpers shared with the strategy ----

const needsClusterIP = (svc: any) => svc.spec?.type !== 'ExternalName';
const needsNodePort = (svc: any) => svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer';
/** apiservice.NeedsHealthCheck */
export const needsHealthCheck = (svc: any) => svc.spec?.type === 'LoadBalancer' && svc.spec?.externalTrafficPolicy === 'Local';
const shouldAllocateNodePorts = (svc: any) =>
  svc.spec?.type === 'NodePort' || (svc.spec?.type === 'LoadBalancer' && svc.spec?.allocateLoadBalancerNodePorts !== false);
const isHeadless = (svc: any) => svc.spec?.clusterIPs?.length === 1 && svc.spec.clusterIPs[0] === 'None';
const sameList = (a: unknown[] | undefined, b: unknown[] | undefined) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
const sameClusterIPs = (o: any, n: any) => (o.spec?.clusterIP ?? '') === (n.spec?.clusterIP ?? '') && sameList(o.spec?.clusterIPs, n.spec?.clusterIPs);

function refuse(name: string, errors: FieldError[]): never {
  throw invalidError(SERVICES, 'Service', name, formatInvalid('Service', name, errors, ''), statusCauses(errors));
}

/** normalizeClusterIPs: keep clusterIP and clusterIPs in step for clients that set only one. */
function normalizeClusterIPs(svc: any, old?: any): void {
  const spec = svc.spec;
  if (!old) {
    if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
    return;
  }
  const os = old.spec ?? {};
  if (os.clusterIPs?.length && !spec.clusterIPs?.length && (os.clusterIP ?? '') === (spec.clusterIP ?? '')) spec.clusterIPs = [...os.clusterIPs];
  if ((os.clusterIP ?? '') !== (spec.clusterIP ?? '')) {
    if (os.clusterIP && !spec.clusterIP) {
      if (sameList(os.clusterIPs, spec.clusterIPs)) delete spec.clusterIPs;
    } else if (sameList(os.clusterIPs, spec.clusterIPs)) {
      spec.clusterIPs = [spec.clusterIP];
    }
  }
}

/** patchAllocatedValues: a resubmitted manifest without the allocated values keeps them. */
function patchAllocatedValues(svc: any, old: any): void {
  const spec = svc.spec;
  const os = old.spec ?? {};
  if (needsClusterIP(old) && needsClusterIP(svc)) {
    if (!spec.clusterIP && os.clusterIP) spec.clusterIP = os.clusterIP;
    if (!spec.clusterIPs?.length && os.clusterIPs?.length) spec.clusterIPs = [...os.clusterIPs];
  }
  if (needsNodePort(old) && needsNodePort(svc)) {
    const newUsed = new Set((spec.ports ?? []).map((p: any) => p?.nodePort).filter(Boolean));
    const used = new Set((os.ports ?? []).map((p: any) => p?.nodePort).filter((n: number) => n && newUsed.has(n)));
    const byName = new Map<string, number>();
    for (const p of os.ports ?? []) byName.set(p?.name ?? '', p?.nodePort ?? 0);
    for (const p of spec.ports ?? []) {
      if (!p || p.nodePort) continue;
      const was = byName.get(p.name ?? '') ?? 0;
      if (was && !used.has(was)) p.nodePort = was;
    }
  }
  if (needsHealthCheck(old) && needsHealthCheck(svc) && !spec.healthCheckNodePort && os.healthCheckNodePort) {
    spec.healthCheckNodePort = os.healthCheckNodePort;
  }
}

/**
 * dropTypeDependentFields (the strategy's PrepareForUpdate): fields that belong to the old type,
 * and that the user did not change, go with it; their IP and ports are released with them.
 */
function dropTypeDependentFields(svc: any, old: any): void {
  const spec = svc.spec;
  const os = old.spec ?? {};
  if (needsClusterIP(old) && !needsClusterIP(svc)) {
    if (sameClusterIPs(old, svc)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (sameList(os.ipFamilies, spec.ipFamilies)) delete spec.ipFamilies;
    if ((os.ipFamilyPolicy ?? '') === (spec.ipFamilyPolicy ?? '')) delete spec.ipFamilyPolicy;
  }
  if (needsNodePort(old) && !needsNodePort(svc)) {
    const oldPorts = new Set((os.ports ?? []).map((p: any) => p?.nodePort).filter(Boolean));
    if ((spec.ports ?? []).every((p: any) => !p?.nodePort || oldPorts.has(p.nodePort))) {
      for (const p of spec.ports ?? []) if (p) delete p.nodePort;
    }
  }
  if (needsHealthCheck(old) && !needsHealthCheck(svc) && (os.healthCheckNodePort ?? 0) === (spec.healthCheckNodePort ?? 0)) delete spec.healthCheckNodePort;
  if (os.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts === os.allocateLoadBalancerNodePorts) delete spec.allocateLoadBalancerNodePorts;
    if ((spec.loadBalancerClass ?? null) === (os.loadBalancerClass ?? null)) delete spec.loadBalancerClass;
  }
  const externally = (s: any) => s.spec?.type === 'LoadBalancer' || s.spec?.type === 'NodePort' || (s.spec?.type === 'ClusterIP' && s.spec?.externalIPs?.length > 0);
  if (externally(old) && !externally(svc) && (os.externalTrafficPolicy ?? '') === (spec.externalTrafficPolicy ?? '')) delete spec.externalTrafficPolicy;
  // The load balancer's status goes when the Service stops being one.
  if (spec.type !== 'LoadBalancer') svc.status = { ...(svc.status ?? {}), loadBalancer: {} };
}

/** initIPFamilyFields, for a single-stack IPv4 cluster. */
function initIPFamilyFields(svc: any, old: any | undefined, name: string): void {
  const spec = svc.spec;
  if (spec.type === 'ExternalName') return;
  if (spec.ipFamilyPolicy === undefined || spec.ipFamilyPolicy === null) {
    if (old?.spec?.ipFamilyPolicy) spec.ipFamilyPolicy = old.spec.ipFamilyPolicy;
    // Headless and selectorless: its endpoints may be of either family.
    else if (spec.clusterIP === 'None' && !Object.keys(spec.selector ?? {}).length) spec.ipFamilyPolicy = 'RequireDualStack';
    else spec.ipFamilyPolicy = 'SingleStack';
  }
  const pre = validateServiceClusterIPsRelatedFields(svc);
  if (pre.length) refuse(name, pre);
  const errs: FieldError[] = [];
  if (spec.ipFamilyPolicy === 'SingleStack') {
    if (spec.clusterIPs?.length === 2) errs.push(invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
    if (spec.ipFamilies?.length === 2) errs.push(invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
  }
  (spec.clusterIPs ?? []).forEach((ip: string, i: number) => {
    if (ip === 'None' || i < (spec.ipFamilies?.length ?? 0)) return;
    if (ip.includes(':')) errs.push(invalid(`spec.clusterIPs[${i}]`, spec.clusterIPs, 'IPv6 is not configured on this cluster', '[]string'));
    else (spec.ipFamilies ??= []).push('IPv4');
  });
  if (errs.length) refuse(name, errs);
  if (spec.clusterIP === 'None' && !Object.keys(spec.selector ?? {}).length) {
    if (!spec.ipFamilies?.length) spec.ipFamilies = ['IPv4'];
    if (spec.ipFamilies.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') spec.ipFamilies.push(spec.ipFamilies[0] === 'IPv4' ? 'IPv6' : 'IPv4');
    return;
  }
  if (spec.ipFamilyPolicy === 'RequireDualStack') errs.push(invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
  (spec.ipFamilies ?? []).forEach((f: string, i: number) => {
    if (f !== 'IPv4') errs.push(invalid(`spec.ipFamilies[${i}]`, f, 'not configured on this cluster'));
  });
  if (errs.length) refuse(name, errs);
  if (!spec.ipFamilies?.length) spec.ipFamilies = ['IPv4'];
}

// ---- the allocators ----

function allocClusterIP(svc: any, used: InUse, rng: Rng, cidr: string, name: string): void {
  const spec = svc.spec;
  if (spec.type === 'ExternalName' || isHeadless(svc)) return;
  const { base, max, offset } = serviceIPRange(cidr);
  const requested: string | undefined = spec.clusterIPs?.[0] || spec.clusterIP || undefined;
  if (!requested) {
    const at = allocateOffset(rng, max, offset, (i) => used.ips.has(intToIp(base + i)));
    if (at < 0) throw internalError('failed to allocate a serviceIP: range is full');
    const ip = intToIp(base + at);
    used.ips.add(ip);
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
    return;
  }
  const n = ipToInt(requested);
  const fail = (why: string) => refuse(name, [invalid('spec.clusterIPs', spec.clusterIPs ?? [requested], `failed to allocate IP ${requested}: ${why}`, '[]string')]);
  if (!(n >= base && n < base + max)) fail(`the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${cidr}`);
  if (used.ips.has(requested)) fail('provided IP is already allocated');
  used.ips.add(requested);
  spec.clusterIP = requested;
  spec.clusterIPs = [requested, ...(spec.clusterIPs ?? []).slice(1)];
}

class PortAllocator {
  readonly offset: number;
  readonly max: number;
  constructor(private readonly used: Set<number>, private readonly rng: Rng, readonly range: [number, number] = NODE_PORT_RANGE) {
    this.max = range[1] - range[0] + 1;
    this.offset = portRangeOffset(this.max);
  }

  /** Allocate(port): the error text is the allocator's, put on the field by the caller */
  take(port: number): string | undefined {
    if (port < this.range[0] || port > this.range[1]) return `provided port is not in the valid range. The range of valid ports is ${this.range[0]}-${this.range[1]}`;
    if (this.used.has(port)) return 'provided port is already allocated';
    this.used.add(port);
    return undefined;
  }

  next(): number {
    const at = allocateOffset(this.rng, this.max, this.offset, (i) => this.used.has(this.range[0] + i));
    if (at < 0) throw internalError('failed to allocate a nodePort: range is full');
    this.used.add(this.range[0] + at);
    return this.range[0] + at;
  }
}

/** initNodePorts (create): ports with the same number share a node port (TCP and UDP 53). */
function initNodePorts(svc: any, alloc: PortAllocator, name: string): void {
  const ports: any[] = svc.spec.ports ?? [];
  const byPort = new Map<number, number>();
  ports.forEach((p, i) => {
    if (!p) return;
    if (!p.nodePort && !shouldAllocateNodePorts(svc)) return;
    const shared = byPort.get(p.port);
    if (shared === undefined) {
      const requested = p.nodePort || ports.slice(i).find((q) => q?.port === p.port && q.nodePort)?.nodePort;
      if (requested) {
        const err = alloc.take(requested);
        if (err) refuse(name, [invalid(`spec.ports[${i}].nodePort`, requested, err)]);
        p.nodePort = requested;
      } else {
        p.nodePort = alloc.next();
      }
      byPort.set(p.port, p.nodePort);
    } else if (p.nodePort !== shared) {
      if (!p.nodePort) p.nodePort = shared;
      else {
        const err = alloc.take(p.nodePort);
        if (err) refuse(name, [invalid(`spec.ports[${i}].nodePort`, p.nodePort, err)]);
      }
    }
  });
}

/** updateNodePorts: a node port the Service already held is kept; a new one is allocated. */
function updateNodePorts(svc: any, old: any, alloc: PortAllocator, name: string): void {
  const held = new Set<number>(needsNodePort(old) ? (old.spec?.ports ?? []).map((p: any) => p?.nodePort).filter(Boolean) : []);
  const taken = new Set<number>();
  (svc.spec.ports ?? []).forEach((p: any, i: number) => {
    if (!p) return;
    if (!p.nodePort && !shouldAllocateNodePorts(svc)) return;
    if (p.nodePort) {
      if (!held.has(p.nodePort) && !taken.has(p.nodePort)) {
        const err = alloc.take(p.nodePort);
        if (err) refuse(name, [invalid(`spec.ports[${i}].nodePort`, p.nodePort, err)]);
        taken.add(p.nodePort);
      }
    } else {
      p.nodePort = alloc.next();
    }
  });
}

function allocHealthCheckNodePort(svc: any, alloc: PortAllocator, held?: number): void {
  const spec = svc.spec;
  if (spec.healthCheckNodePort) {
    if (spec.healthCheckNodePort === held) return;
    const err = alloc.take(spec.healthCheckNodePort);
    if (err) throw internalError(`failed to allocate requested HealthCheck NodePort ${spec.healthCheckNodePort}: ${err}`);
    return;
  }
  spec.healthCheckNodePort = alloc.next();
}

/**
 * Allocates what a Service being created (old undefined) or updated needs: ClusterIPs, node ports
 * and the health-check node port; honours requested values and refuses taken or out-of-range ones
 * with the apiserver's messages (422 Invalid). Mutates svc.
 */
export function allocateService(store: Store, rng: Rng, svc: any, cidr = DEFAULT_SERVICE_CIDR, old?: any, nodePortRange: [number, number] = NODE_PORT_RANGE): void {
  svc.spec ??= {};
  const name = svc.metadata?.name ?? '';
  if (old) {
    patchAllocatedValues(svc, old);
    normalizeClusterIPs(svc, old);
    dropTypeDependentFields(svc, old);
  } else {
    normalizeClusterIPs(svc);
  }
  initIPFamilyFields(svc, old, name);
  const used = inUse(store, old ? { namespace: old.metadata?.namespace, name: old.metadata?.name } : undefined);
  if (!old || (old.spec?.type === 'ExternalName' && svc.spec.type !== 'ExternalName')) allocClusterIP(svc, used, rng, cidr, name);
  const ports = new PortAllocator(used.ports, rng, nodePortRange);
  if (needsNodePort(svc)) {
    if (old) updateNodePorts(svc, old, ports, name);
    else initNodePorts(svc, ports, name);
  }
  if (needsHealthCheck(svc)) allocHealthCheckNodePort(svc, ports, old && needsHealthCheck(old) ? old.spec?.healthCheckNodePort : undefined);
}
