// ClusterIP and NodePort allocation for Services, from the service CIDR and the node-port range.
import type { Store } from '../../storage/store.js';
import type { Rng } from '../../cluster/random.js';
import { invalid } from '../errors.js';
import { RESOURCES } from '../resources.js';

const SERVICES = RESOURCES.find((r) => r.name === 'services')!;

export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
export const NODE_PORT_RANGE: [number, number] = [30000, 32767];

function ipToInt(ip: string): number {
  return ip.split('.').reduce((a, p) => a * 256 + Number(p), 0);
}
function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export function parseCidr(cidr: string): { base: number; size: number } {
  const [ip, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return { base: ipToInt(ip) - (ipToInt(ip) % size), size };
}

function inUse(store: Store): { ips: Set<string>; ports: Set<number> } {
  const ips = new Set<string>();
  const ports = new Set<number>();
  for (const s of store.list('services')) {
    for (const ip of s.spec?.clusterIPs ?? [s.spec?.clusterIP]) if (ip && ip !== 'None') ips.add(ip);
    for (const p of s.spec?.ports ?? []) if (p.nodePort) ports.add(p.nodePort);
  }
  return { ips, ports };
}

/** Assigns clusterIP(s) and node ports to a Service being created; honours requested values. */
export function allocateService(store: Store, rng: Rng, svc: any, cidr = DEFAULT_SERVICE_CIDR): void {
  const spec = svc.spec ?? (svc.spec = {});
  const name = svc.metadata?.name ?? '';
  const { ips, ports } = inUse(store);
  const { base, size } = parseCidr(cidr);
  const fail = (field: string, message: string) => {
    throw invalid(SERVICES, 'Service', name, `Service "${name}" is invalid: ${field}: ${message}`, [
      { reason: 'FieldValueInvalid', message, field },
    ]);
  };
  if (spec.type !== 'ExternalName') {
    const requested = spec.clusterIP ?? spec.clusterIPs?.[0];
    if (requested === 'None') {
      spec.clusterIP = 'None';
      spec.clusterIPs = ['None'];
    } else if (requested) {
      const n = ipToInt(requested);
      if (!(n > base && n < base + size - 1)) {
        fail('spec.clusterIPs', `Invalid value: []string{"${requested}"}: failed to allocate IP ${requested}: the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${cidr}`);
      }
      if (ips.has(requested)) {
        fail('spec.clusterIPs', `Invalid value: []string{"${requested}"}: failed to allocate IP ${requested}: provided IP is already allocated`);
      }
      spec.clusterIP = requested;
      spec.clusterIPs = [requested];
    } else {
      for (;;) {
        const n = base + 1 + rng.intn(size - 2);
        const ip = intToIp(n);
        if (!ips.has(ip)) {
          spec.clusterIP = ip;
          spec.clusterIPs = [ip];
          break;
        }
      }
    }
  }
  const needsNodePort = spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
  if (needsNodePort) {
    for (const [i, p] of (spec.ports ?? []).entries()) {
      if (p.nodePort) {
        if (p.nodePort < NODE_PORT_RANGE[0] || p.nodePort > NODE_PORT_RANGE[1]) {
          fail(`spec.ports[${i}].nodePort`, `Invalid value: ${p.nodePort}: provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE[0]}-${NODE_PORT_RANGE[1]}`);
        }
        if (ports.has(p.nodePort)) fail(`spec.ports[${i}].nodePort`, `Invalid value: ${p.nodePort}: provided port is already allocated`);
        ports.add(p.nodePort);
        continue;
      }
      for (;;) {
        const port = NODE_PORT_RANGE[0] + rng.intn(NODE_PORT_RANGE[1] - NODE_PORT_RANGE[0] + 1);
        if (!ports.has(port)) {
          p.nodePort = port;
          ports.add(port);
          break;
        }
      }
    }
  }
}
