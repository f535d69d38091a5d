// NetworkPolicy enforcement, the way Calico's Felix programs it on each node: a pod selected by a
// policy with 'Ingress' (or 'Egress') in its policyTypes is isolated in that direction, and a
// connection goes through only if the source's egress side AND the destination's ingress side both
// allow it (a union of the rules of every policy that selects the pod). The data path calls
// checkTraffic once per connection, after kube-proxy's DNAT, so the destination is a pod IP (or an
// address outside the pods). Connections are stateful: the reply of an allowed connection is
// allowed, so nothing here looks at replies.
//
// Calico's particular choices (which the k8s API leaves to the plugin):
//  - ipBlocks match any address, pod IPs included;
//  - hostNetwork pods are not workload endpoints: no policy applies to them, and their traffic
//    carries the node's address, so only ipBlocks can match them;
//  - traffic from a node to the pods on that node (kubelet probes, port-forward) is allowed;
//    traffic from other nodes' host network is matched by ipBlocks only;
//  - ICMP is not expressible in a networking.k8s.io/v1 NetworkPolicy: a rule lets a ping through
//    only when it has no ports.
import type { KObject } from '../../apiserver/types.js';
import { selectorMatches } from '../../apiserver/validation/semantic/meta.js';
import type { NetWorld, Peer, Protocol } from '../net/types.js';
import { cidrContainsIp, parseCidrSloppy, parseIp, type Cidr } from './policy-ip.js';

/** Protocol plus ICMP (ping), which a rule with ports never matches */
export type PolicyProtocol = Protocol | 'ICMP';

export interface TrafficVerdict {
  allowed: boolean;
  /** the side that dropped the connection */
  direction?: 'egress' | 'ingress';
  /** ns/name of a policy that isolates the pod on the dropping side (for the message) */
  policy?: string;
  /** one short sentence for --trace */
  reason: string;
}

// ---- the compiled form of the policies, built once per world ----

interface CompiledPeer {
  podSelector?: any;
  namespaceSelector?: any;
  ipBlock?: { cidr?: Cidr; except: Cidr[] };
}

interface CompiledPort {
  protocol: string;
  /** undefined: every port of the protocol */
  port?: number | string;
  endPort?: number;
}

interface CompiledRule {
  /** null: every peer (from/to absent or empty) */
  peers: CompiledPeer[] | null;
  /** null: every port and protocol (ports absent or empty) */
  ports: CompiledPort[] | null;
}

interface CompiledPolicy {
  key: string;
  namespace: string;
  obj: KObject;
  podSelector: any;
  ingress: boolean;
  egress: boolean;
  ingressRules: CompiledRule[];
  egressRules: CompiledRule[];
}

interface Index {
  source: { pods: KObject[]; policies: KObject[]; namespaces: KObject[]; nodes: KObject[] };
  policiesByNs: Map<string, CompiledPolicy[]>;
  nsLabels: Map<string, Record<string, string>>;
  /** workload (non-hostNetwork) pods by IP */
  podByIp: Map<string, KObject>;
  /** a node's addresses (InternalIP, the pod-range gateway) → node name */
  nodeByIp: Map<string, string>;
}

/** The policyTypes in force: the apiserver's defaulting when the stored object lacks them. */
export function effectivePolicyTypes(np: KObject): { ingress: boolean; egress: boolean } {
  const spec = np.spec ?? {};
  const types: string[] = spec.policyTypes ?? [];
  if (types.length === 0) return { ingress: true, egress: (spec.egress ?? []).length > 0 };
  return { ingress: types.includes('Ingress'), egress: types.includes('Egress') };
}

function compilePeers(list: any[] | undefined): CompiledPeer[] | null {
  if (!list || list.length === 0) return null;
  return list.map((p: any) => {
    const out: CompiledPeer = {};
    if (p?.podSelector) out.podSelector = p.podSelector;
    if (p?.namespaceSelector) out.namespaceSelector = p.namespaceSelector;
    if (p?.ipBlock) {
      out.ipBlock = {
        cidr: parseCidrSloppy(String(p.ipBlock.cidr ?? '')),
        except: (p.ipBlock.except ?? []).map((e: string) => parseCidrSloppy(String(e))).filter((c: Cidr | undefined): c is Cidr => !!c),
      };
    }
    return out;
  });
}

function compilePorts(list: any[] | undefined): CompiledPort[] | null {
  if (!list || list.length === 0) return null;
  return list.map((p: any) => ({
    protocol: p?.protocol ?? 'TCP',
    port: p?.port ?? undefined,
    endPort: typeof p?.endPort === 'number' ? p.endPort : undefined,
  }));
}

function compilePolicy(np: KObject): CompiledPolicy {
  const spec = np.spec ?? {};
  const ns = np.metadata?.namespace ?? 'default';
  const types = effectivePolicyTypes(np);
  return {
    key: `${ns}/${np.metadata?.name ?? ''}`,
    namespace: ns,
    obj: np,
    podSelector: spec.podSelector ?? {},
    ingress: types.ingress,
    egress: types.egress,
    ingressRules: (spec.ingress ?? []).map((r: any) => ({ peers: compilePeers(r?.from), ports: compilePorts(r?.ports) })),
    egressRules: (spec.egress ?? []).map((r: any) => ({ peers: compilePeers(r?.to), ports: compilePorts(r?.ports) })),
  };
}

function podIps(pod: KObject): string[] {
  const out = new Set<string>();
  if (pod.status?.podIP) out.add(pod.status.podIP);
  for (const a of pod.status?.podIPs ?? []) if (a?.ip) out.add(a.ip);
  return [...out];
}

function gatewayOf(podCIDR: string | undefined): string | undefined {
  const c = podCIDR ? parseCidrSloppy(podCIDR) : undefined;
  if (!c || c.v6) return undefined;
  const n = Number(c.base) + 1;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

// One index per world (a world is read once per command and never mutated); rebuilt if the lists
// it was built from are replaced.
const CACHE = new WeakMap<NetWorld, Index>();

function indexOf(world: NetWorld): Index {
  const cached = CACHE.get(world);
  if (
    cached &&
    cached.source.pods === world.pods &&
    cached.source.policies === world.networkPolicies &&
    cached.source.namespaces === world.namespaces &&
    cached.source.nodes === world.nodes
  ) {
    return cached;
  }
  const policiesByNs = new Map<string, CompiledPolicy[]>();
  for (const np of world.networkPolicies ?? []) {
    const c = compilePolicy(np);
    let list = policiesByNs.get(c.namespace);
    if (!list) policiesByNs.set(c.namespace, (list = []));
    list.push(c);
  }
  for (const list of policiesByNs.values()) list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const nsLabels = new Map<string, Record<string, string>>();
  for (const ns of world.namespaces ?? []) {
    const name = ns.metadata?.name ?? '';
    // the apiserver sets this label on every namespace; a namespace written without it still has it
    nsLabels.set(name, { ...(ns.metadata?.labels ?? {}), 'kubernetes.io/metadata.name': name });
  }
  const podByIp = new Map<string, KObject>();
  for (const pod of world.pods ?? []) {
    if (pod.spec?.hostNetwork) continue;
    const phase = pod.status?.phase;
    for (const ip of podIps(pod)) {
      // a finished pod's address may already belong to a new one: the live pod wins
      if (podByIp.has(ip) && (phase === 'Succeeded' || phase === 'Failed')) continue;
      podByIp.set(ip, pod);
    }
  }
  const nodeByIp = new Map<string, string>();
  for (const m of world.config?.nodes ?? []) {
    if (m.ip) nodeByIp.set(m.ip, m.name);
    const gw = gatewayOf(m.podCIDR);
    if (gw) nodeByIp.set(gw, m.name);
  }
  for (const node of world.nodes ?? []) {
    const name = node.metadata?.name ?? '';
    for (const a of node.status?.addresses ?? []) if (a?.type === 'InternalIP' && a.address) nodeByIp.set(a.address, name);
    const gw = gatewayOf(node.spec?.podCIDR);
    if (gw) nodeByIp.set(gw, name);
  }
  const idx: Index = {
    source: { pods: world.pods, policies: world.networkPolicies, namespaces: world.namespaces, nodes: world.nodes },
    policiesByNs,
    nsLabels,
    podByIp,
    nodeByIp,
  };
  CACHE.set(world, idx);
  return idx;
}

// ---- endpoints ----

/** What a connection's end is, as the policy engine sees it. */
interface Endpoint {
  ip: string;
  /** a workload pod (policies apply to it and pod/namespace selectors can match it) */
  pod?: KObject;
  /** the host network of this node (the node itself or a hostNetwork pod on it) */
  node?: string;
}

function resolve(idx: Index, peer: Peer): Endpoint {
  const pod = peer.pod;
  if (pod) {
    if (pod.spec?.hostNetwork) return { ip: peer.ip, node: pod.spec?.nodeName ?? idx.nodeByIp.get(peer.ip) };
    return { ip: peer.ip, pod };
  }
  const byIp = idx.podByIp.get(peer.ip);
  if (byIp) return { ip: peer.ip, pod: byIp };
  const node = idx.nodeByIp.get(peer.ip);
  return node ? { ip: peer.ip, node } : { ip: peer.ip };
}

function podKey(pod: KObject): string {
  return `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;
}

function describeEndpoint(e: Endpoint): string {
  if (e.pod) return podKey(e.pod);
  if (e.node) return `node ${e.node} (${e.ip})`;
  return e.ip;
}

function protoText(proto: PolicyProtocol, port: number): string {
  return proto === 'ICMP' ? 'ICMP' : `${proto} ${port}`;
}

// ---- matching ----

function peerMatches(idx: Index, policyNs: string, peer: CompiledPeer, e: Endpoint): boolean {
  if (peer.ipBlock) {
    const { cidr, except } = peer.ipBlock;
    const ip = parseIp(e.ip);
    if (!cidr || !ip || !cidrContainsIp(cidr, ip)) return false;
    return !except.some((x) => cidrContainsIp(x, ip));
  }
  if (!peer.podSelector && !peer.namespaceSelector) return false;
  // pod and namespace selectors only ever match workload pods
  if (!e.pod) return false;
  const podNs = e.pod.metadata?.namespace ?? 'default';
  if (peer.namespaceSelector) {
    const labels = idx.nsLabels.get(podNs) ?? { 'kubernetes.io/metadata.name': podNs };
    if (!selectorMatches(peer.namespaceSelector, labels)) return false;
  } else if (podNs !== policyNs) {
    return false;
  }
  if (peer.podSelector && !selectorMatches(peer.podSelector, e.pod.metadata?.labels)) return false;
  return true;
}

/** A named port resolves against the destination pod's container ports (name and protocol). */
function namedPortMatches(dst: Endpoint, name: string, proto: string, port: number): boolean {
  const pod = dst.pod;
  if (!pod) return false;
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    for (const p of c?.ports ?? []) {
      if (p?.name === name && (p.protocol ?? 'TCP') === proto && p.containerPort === port) return true;
    }
  }
  return false;
}

function portMatches(rulePorts: CompiledPort[] | null, dst: Endpoint, port: number, proto: PolicyProtocol): boolean {
  if (rulePorts === null) return true;
  if (proto === 'ICMP') return false;
  for (const p of rulePorts) {
    if (p.protocol !== proto) continue;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number') {
      if (p.endPort !== undefined ? port >= p.port && port <= p.endPort : port === p.port) return true;
    } else if (/^\d+$/.test(p.port)) {
      // an int-or-string written as a numeric string
      if (Number(p.port) === port) return true;
    } else if (namedPortMatches(dst, p.port, p.protocol, port)) {
      return true;
    }
  }
  return false;
}

function ruleMatches(idx: Index, policyNs: string, rule: CompiledRule, peer: Endpoint, dst: Endpoint, port: number, proto: PolicyProtocol): boolean {
  if (!portMatches(rule.ports, dst, port, proto)) return false;
  if (rule.peers === null) return true;
  return rule.peers.some((p) => peerMatches(idx, policyNs, p, peer));
}

function selecting(idx: Index, pod: KObject): { ingress: CompiledPolicy[]; egress: CompiledPolicy[] } {
  const ingress: CompiledPolicy[] = [];
  const egress: CompiledPolicy[] = [];
  if (pod.spec?.hostNetwork) return { ingress, egress };
  const ns = pod.metadata?.namespace ?? 'default';
  for (const c of idx.policiesByNs.get(ns) ?? []) {
    if (!selectorMatches(c.podSelector, pod.metadata?.labels)) continue;
    if (c.ingress) ingress.push(c);
    if (c.egress) egress.push(c);
  }
  return { ingress, egress };
}

/** The policies that isolate a pod, per direction (empty for hostNetwork pods: none applies). */
export function policiesSelecting(world: NetWorld, pod: KObject): { ingress: KObject[]; egress: KObject[] } {
  const s = selecting(indexOf(world), pod);
  return { ingress: s.ingress.map((c) => c.obj), egress: s.egress.map((c) => c.obj) };
}

/**
 * May a connection from src to dst:port/proto be opened? dst is what the packet reaches after
 * kube-proxy's DNAT (a pod IP, a node, an outside address).
 */
export function checkTraffic(world: NetWorld, src: Peer, dst: Peer, port: number, proto: PolicyProtocol): TrafficVerdict {
  const idx = indexOf(world);
  const s = resolve(idx, src);
  const d = resolve(idx, dst);
  const what = protoText(proto, port);

  // a pod talking to itself never leaves its network namespace
  if (s.pod && d.pod && podKey(s.pod) === podKey(d.pod)) return { allowed: true, reason: `${podKey(s.pod)} connects to itself` };

  const notes: string[] = [];

  // egress: the source's side
  if (s.pod) {
    const { egress } = selecting(idx, s.pod);
    if (egress.length > 0) {
      const by = egress.find((c) => c.egressRules.some((r) => ruleMatches(idx, c.namespace, r, d, d, port, proto)));
      if (!by) {
        return {
          allowed: false,
          direction: 'egress',
          policy: egress[0].key,
          reason: `no policy selecting ${podKey(s.pod)} allows egress to ${describeEndpoint(d)} on ${what}`,
        };
      }
      notes.push(`egress allowed by ${by.key}`);
    }
  }

  // ingress: the destination's side
  if (d.pod) {
    const { ingress } = selecting(idx, d.pod);
    if (ingress.length > 0) {
      const dstNode = d.pod.spec?.nodeName;
      if (!s.pod && s.node && dstNode && s.node === dstNode) {
        // Calico lets a node reach its own pods (kubelet probes, port-forward)
        notes.push(`ingress from the local node ${s.node} allowed`);
      } else {
        const by = ingress.find((c) => c.ingressRules.some((r) => ruleMatches(idx, c.namespace, r, s, d, port, proto)));
        if (!by) {
          return {
            allowed: false,
            direction: 'ingress',
            policy: ingress[0].key,
            reason: `no policy selecting ${podKey(d.pod)} allows ingress from ${describeEndpoint(s)} on ${what}`,
          };
        }
        notes.push(`ingress allowed by ${by.key}`);
      }
    }
  }

  if (notes.length === 0) return { allowed: true, reason: `no policy isolates ${describeEndpoint(s)} or ${describeEndpoint(d)}` };
  // "allowed by ns/p" when one policy decided; both sides named otherwise
  if (notes.length === 1 && notes[0].includes(' allowed by ')) return { allowed: true, reason: `allowed by ${notes[0].split(' allowed by ')[1]}` };
  return { allowed: true, reason: notes.join('; ') };
}
