// A hand-built cluster for the DNS tests: a kind cluster's Services, EndpointSlices and pods,
// written directly (as the endpoint controllers and kubelets would have), and a fake ToolContext.
import type { KObject } from '../../../src/apiserver/types.js';
import { defaultClusterConfig } from '../../../src/cluster/config.js';
import type { ConnectResult, Hop, NetWorld, ToolContext } from '../../../src/kubelet/net/types.js';

export const NOW = Date.parse('2024-06-01T12:00:00Z');
const ts = '2024-06-01T11:00:00Z';

const ns = (name: string): KObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

function svc(namespace: string, name: string, spec: Record<string, any>): KObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, creationTimestamp: ts }, spec: { type: 'ClusterIP', ...spec } };
}

interface Ep { ip: string; ready?: boolean; hostname?: string; pod?: string }

function slice(namespace: string, service: string, ports: { name?: string; port: number; protocol?: string }[], eps: Ep[]): KObject {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
    metadata: { name: `${service}-abcde`, namespace, creationTimestamp: ts, labels: { 'kubernetes.io/service-name': service } },
    endpoints: eps.map((e) => ({
      addresses: [e.ip], conditions: { ready: e.ready ?? true, serving: e.ready ?? true, terminating: false },
      ...(e.hostname ? { hostname: e.hostname } : {}),
      ...(e.pod ? { targetRef: { kind: 'Pod', namespace, name: e.pod } } : {}),
    })),
    ports: ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
  };
}

export function pod(namespace: string, name: string, ip: string, extra: Record<string, any> = {}, ready = true): KObject {
  const { labels, ...spec } = extra;
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels: labels ?? {} },
    spec: { nodeName: 'kind-worker', containers: [{ name: 'c', image: 'busybox:1.36' }], dnsPolicy: 'ClusterFirst', ...spec },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

export function makeWorld(opts: { corednsReady?: boolean } = {}): NetWorld {
  const coredns = pod('kube-system', 'coredns-7db6d8ff4d-abcde', '10.244.0.2', { labels: { 'k8s-app': 'kube-dns' }, nodeName: 'kind-control-plane' }, opts.corednsReady ?? true);
  return {
    now: NOW,
    config: defaultClusterConfig('kind'),
    namespaces: [ns('default'), ns('kube-system'), ns('other')],
    services: [
      svc('default', 'kubernetes', { clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] }),
      svc('kube-system', 'kube-dns', { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153, protocol: 'TCP' }] }),
      svc('default', 'my-svc', { clusterIP: '10.96.100.10', clusterIPs: ['10.96.100.10'], ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] }),
      svc('default', 'nginx', { clusterIP: 'None', clusterIPs: ['None'], ports: [{ name: 'web', port: 80, protocol: 'TCP' }] }),
      svc('default', 'empty-headless', { clusterIP: 'None', clusterIPs: ['None'], ports: [{ name: 'web', port: 80, protocol: 'TCP' }] }),
      svc('default', 'ext', { type: 'ExternalName', externalName: 'my.database.example.com' }),
      svc('default', 'ext-in', { type: 'ExternalName', externalName: 'my-svc.default.svc.cluster.local' }),
      svc('default', 'ext-pub', { type: 'ExternalName', externalName: 'example.com' }),
      svc('other', 'redis', { clusterIP: '10.96.200.20', clusterIPs: ['10.96.200.20'], ports: [{ port: 6379, protocol: 'TCP' }] }),
    ],
    endpointSlices: [
      slice('default', 'kubernetes', [{ name: 'https', port: 6443 }], [{ ip: '172.18.0.2' }]),
      slice('kube-system', 'kube-dns', [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53 }, { name: 'metrics', port: 9153 }], [{ ip: '10.244.0.2', ready: opts.corednsReady ?? true, pod: 'coredns-7db6d8ff4d-abcde' }]),
      slice('default', 'my-svc', [{ name: 'http', port: 8080 }], [{ ip: '10.244.1.5', pod: 'my-app-1' }, { ip: '10.244.2.6', ready: false, pod: 'my-app-2' }]),
      slice('default', 'nginx', [{ name: 'web', port: 80 }], [
        { ip: '10.244.1.10', hostname: 'web-0', pod: 'web-0' },
        // written without hostname: CoreDNS's view falls back to the pod's hostname/subdomain
        { ip: '10.244.2.11', pod: 'web-1' },
        { ip: '10.244.3.12', hostname: 'web-2', pod: 'web-2', ready: false },
      ]),
      slice('other', 'redis', [{ port: 6379 }], [{ ip: '10.244.3.7' }]),
    ],
    networkPolicies: [],
    nodes: [],
    pods: [
      coredns,
      pod('default', 'client', '10.244.1.20'),
      pod('other', 'client-other', '10.244.2.21'),
      pod('default', 'web-0', '10.244.1.10', { hostname: 'web-0', subdomain: 'nginx' }),
      pod('default', 'web-1', '10.244.2.11', { hostname: 'web-1', subdomain: 'nginx' }),
    ],
    components: {},
  };
}

export interface FakeCtx extends ToolContext {
  hops: Hop[];
  connects: string[];
}

/** a ToolContext whose connect reaches the CoreDNS pod (kube-proxy's DNAT) or fails */
export function makeCtx(world: NetWorld, podName: string, opts: { image?: string; busybox?: boolean; connect?: 'ok' | 'timeout' } = {}): FakeCtx {
  const p = world.pods.find((x) => x.metadata?.name === podName)!;
  let seed = 42;
  const hops: Hop[] = [];
  const connects: string[] = [];
  const coredns = world.pods.find((x) => x.metadata?.labels?.['k8s-app'] === 'kube-dns')!;
  const ctx: FakeCtx = {
    world, pod: p, container: 'c', image: opts.image ?? 'busybox:1.36', busybox: opts.busybox ?? true,
    hops, connects,
    connect(ip: string, port: number): ConnectResult {
      connects.push(`${ip}:${port}`);
      if (opts.connect === 'timeout') return { ok: false, error: 'timeout', hops: [] };
      return { ok: true, to: { ip: coredns.status.podIP, pod: coredns }, port, hops: [] };
    },
    http() { return { kind: 'close' }; },
    random() {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    },
    hop(h: Hop) { hops.push(h); },
  };
  return ctx;
}
