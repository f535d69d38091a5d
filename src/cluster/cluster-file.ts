// cluster.yaml: the shape of a cluster `minikctl cluster create --config` makes. It reads like a
// kind config (a kind file with `networking:` and `nodes: [{role: ...}]` works as is), plus what a
// simulated machine needs: its size, zone, labels and taints, the time mode and the seed.
//
//   kind: Cluster                  # required
//   apiVersion: minikctl/v1        # optional (kind.x-k8s.io/v1alpha4 is accepted too)
//   name: dev                      # optional; the NAME argument of `cluster create` wins
//   nodes:                         # optional; default: 1 control-plane and 3 workers
//   - role: control-plane          # required: control-plane | worker
//     name: dev-control-plane      # optional; kind-style names by default
//     cpu: "4"                     # capacity (quantities); defaults: 4, 8Gi, 110, 100Gi
//     memory: 8Gi
//     pods: 110
//     ephemeralStorage: 100Gi
//     zone: local-a                # topology.kubernetes.io/zone; default: local-a, -b, -c in turn
//     labels: {disktype: ssd}
//     taints:                      # control-plane nodes get node-role.kubernetes.io/control-plane:NoSchedule
//     - {key: dedicated, value: gpu, effect: NoSchedule}
//   podSubnet: 10.244.0.0/16       # each node gets the next /24 (also networking.podSubnet)
//   serviceSubnet: 10.96.0.0/12    # (also networking.serviceSubnet)
//   kubeProxyMode: iptables        # iptables | ipvs: kube-proxy's mode (also networking.kubeProxyMode, kind's field)
//   loadBalancerPool:              # addresses for LoadBalancer Services, handed out as MetalLB does
//   - 172.18.255.200-172.18.255.250   # first-last ranges or CIDRs (172.18.255.0/28); also networking.loadBalancerPool
//                                  # none: EXTERNAL-IP stays <pending>, as on a bare kind cluster
//   time: {mode: realtime, speed: 1}   # realtime | instant | manual; speed: virtual s per wall s
//   seed: 1                        # seeds names, uids, IPs and scheduling ties
//
// Errors are reported the way the apiserver reports field errors, every one at once.
import { load } from 'js-yaml';
import { CliError } from '../cli/errors.js';
import { tryParseQuantity } from '../apiserver/quantity.js';
import { errorBody, invalid, notSupported, required, duplicate, type FieldError } from '../apiserver/validation/semantic/errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../apiserver/validation/semantic/names.js';
import { DEFAULT_POD_SUBNET, DEFAULT_SERVICE_SUBNET, KUBERNETES_VERSION, type ClusterConfig, type MachineSpec, type Taint } from './config.js';
import type { TimeMode } from './clock.js';

export const TIME_MODES: TimeMode[] = ['realtime', 'instant', 'manual'];
const ROLES = ['control-plane', 'worker'];
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const ZONES = ['local-a', 'local-b', 'local-c'];
const CONTROL_PLANE_TAINT: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
/** a bound that keeps a typo (nodes: 100000) from making a state file nobody wants */
export const MAX_NODES = 5000;

const TOP_FIELDS = new Set(['kind', 'apiVersion', 'name', 'nodes', 'podSubnet', 'serviceSubnet', 'networking', 'time', 'seed', 'region', 'kubeProxyMode', 'loadBalancerPool']);
export const PROXY_MODES = ['iptables', 'ipvs'];
const NODE_FIELDS = new Set(['name', 'role', 'cpu', 'memory', 'pods', 'ephemeralStorage', 'zone', 'labels', 'taints']);
/** kind fields that mean nothing to a simulated machine: accepted and ignored, so kind files load */
const KIND_ONLY_NODE_FIELDS = new Set(['image', 'extraMounts', 'extraPortMappings', 'kubeadmConfigPatches', 'kubeadmConfigPatchesJSON6902']);
const KIND_ONLY_TOP_FIELDS = new Set(['kubeadmConfigPatches', 'kubeadmConfigPatchesJSON6902', 'featureGates', 'runtimeConfig', 'containerdConfigPatches']);

// ---- addresses ----

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((a, p) => a * 256 + Number(p), 0);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** An IPv4 CIDR, or undefined when s is not one. */
export function parseIPv4Cidr(s: unknown): { base: number; bits: number } | undefined {
  if (typeof s !== 'string') return undefined;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(s);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const size = 2 ** (32 - bits);
  const n = ipToInt(octets.join('.'));
  return { base: n - (n % size), bits };
}

/** the i-th /24 of a pod subnet (prefix /24 or shorter): the range node IPAM hands out in order */
export function podCidrAt(podSubnet: string, i: number): string {
  const c = parseIPv4Cidr(podSubnet);
  if (!c) throw new Error(`invalid pod subnet ${podSubnet}`);
  return `${intToIp(c.base + i * 256)}/24`;
}

/** how many /24s a pod subnet holds */
export function podCidrCount(podSubnet: string): number {
  const c = parseIPv4Cidr(podSubnet);
  return c && c.bits <= 24 ? 2 ** (24 - c.bits) : 0;
}

/** the n-th address of a service subnet (kubeadm: 1 is the kubernetes Service, 10 is kube-dns) */
export function serviceIP(serviceSubnet: string, n: number): string {
  const c = parseIPv4Cidr(serviceSubnet);
  if (!c) throw new Error(`invalid service subnet ${serviceSubnet}`);
  return intToIp(c.base + n);
}

// ---- building ----

export interface MachineInput {
  name?: string;
  role: MachineSpec['role'];
  cpu?: string;
  memory?: string;
  pods?: number;
  ephemeralStorage?: string;
  zone?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
}

export interface ClusterInput {
  nodes?: MachineInput[];
  podSubnet?: string;
  serviceSubnet?: string;
  region?: string;
  time?: { mode?: TimeMode; speed?: number };
  seed?: number;
  proxyMode?: 'iptables' | 'ipvs';
  loadBalancerPool?: string[];
}

/** kind's node names: <cluster>-control-plane, <cluster>-control-plane2, <cluster>-worker, <cluster>-worker2 ... */
function kindNames(cluster: string, nodes: MachineInput[]): string[] {
  const seen: Record<string, number> = {};
  return nodes.map((n) => {
    const i = (seen[n.role] = (seen[n.role] ?? 0) + 1);
    return n.name ?? `${cluster}-${n.role}${i === 1 ? '' : i}`;
  });
}

/** A ClusterConfig from an already validated input; every field left out takes the default. */
export function buildClusterConfig(cluster: string, input: ClusterInput = {}): ClusterConfig {
  const nodesIn = input.nodes ?? [{ role: 'control-plane' }, { role: 'worker' }, { role: 'worker' }, { role: 'worker' }];
  const podSubnet = input.podSubnet ?? DEFAULT_POD_SUBNET;
  const names = kindNames(cluster, nodesIn);
  let workers = 0;
  const nodes: MachineSpec[] = nodesIn.map((n, i) => {
    // Control planes sit in the first zone; workers spread over the zones in turn.
    const w = n.role === 'worker' ? workers++ : 0;
    const zone = n.zone ?? ZONES[w % ZONES.length];
    return {
      name: names[i], role: n.role,
      cpu: n.cpu ?? '4', memory: n.memory ?? '8Gi', pods: n.pods ?? 110, ephemeralStorage: n.ephemeralStorage ?? '100Gi',
      zone, labels: { ...(n.labels ?? {}) },
      taints: n.taints ?? (n.role === 'control-plane' ? [{ ...CONTROL_PLANE_TAINT }] : []),
      ip: intToIp(ipToInt('172.18.0.2') + i), podCIDR: podCidrAt(podSubnet, i), running: true,
    };
  });
  return {
    nodes, podSubnet, serviceSubnet: input.serviceSubnet ?? DEFAULT_SERVICE_SUBNET, region: input.region ?? 'local',
    time: { mode: input.time?.mode ?? 'realtime', speed: input.time?.speed ?? 1 },
    seed: input.seed ?? 1, kubernetesVersion: KUBERNETES_VERSION,
    ...(input.proxyMode ? { proxyMode: input.proxyMode } : {}),
    ...(input.loadBalancerPool ? { loadBalancerPool: [...input.loadBalancerPool] } : {}),
  };
}

/**
 * One loadBalancerPool entry as an inclusive address range: an IPv4 CIDR (every address of it,
 * as MetalLB hands them out) or `first-last`. Undefined when the entry is neither.
 */
export function poolRange(entry: unknown): { first: number; last: number } | undefined {
  if (typeof entry !== 'string') return undefined;
  const s = entry.trim();
  const cidr = parseIPv4Cidr(s);
  if (cidr) return { first: cidr.base, last: cidr.base + 2 ** (32 - cidr.bits) - 1 };
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\s*-\s*(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (!m || ![m[1], m[2]].every((ip) => ip.split('.').every((o) => Number(o) <= 255))) return undefined;
  const first = ipToInt(m[1]);
  const last = ipToInt(m[2]);
  return first <= last ? { first, last } : undefined;
}

// ---- validation ----

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const UNKNOWN = 'unknown field';
const unknownField = (field: string, key: string): FieldError => ({ type: 'NotFound', field: field ? `${field}.${key}` : key, value: key, detail: UNKNOWN });

function str(v: unknown, field: string, errs: FieldError[]): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') {
    errs.push(invalid(field, v, 'must be a string'));
    return undefined;
  }
  return v;
}

function quantity(v: unknown, field: string, errs: FieldError[]): string | undefined {
  const s = str(v, field, errs);
  if (s === undefined) return undefined;
  const q = tryParseQuantity(s);
  if (!q) errs.push(invalid(field, s, 'quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\''));
  else if (q.nanos <= 0n) errs.push(invalid(field, s, 'must be greater than 0'));
  return s;
}

function positiveInt(v: unknown, field: string, errs: FieldError[], max = Number.MAX_SAFE_INTEGER, min = 1): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    errs.push(invalid(field, v, 'must be an integer'));
    return undefined;
  }
  if (v < min || v > max) {
    errs.push(invalid(field, v, max === Number.MAX_SAFE_INTEGER ? `must be greater than or equal to ${min}` : `must be between ${min} and ${max}, inclusive`));
    return undefined;
  }
  return v;
}

function validateNode(raw: unknown, field: string, errs: FieldError[]): MachineInput | undefined {
  if (!isMap(raw)) {
    errs.push(invalid(field, raw, 'must be a mapping'));
    return undefined;
  }
  for (const k of Object.keys(raw)) if (!NODE_FIELDS.has(k) && !KIND_ONLY_NODE_FIELDS.has(k)) errs.push(unknownField(field, k));
  const node: Partial<MachineInput> = {};
  if (raw.role === undefined || raw.role === null || raw.role === '') errs.push(required(`${field}.role`));
  else if (!ROLES.includes(raw.role as string)) errs.push(notSupported(`${field}.role`, raw.role, ROLES));
  else node.role = raw.role as MachineSpec['role'];
  const name = str(raw.name, `${field}.name`, errs);
  if (name !== undefined) {
    for (const m of isDNS1123Subdomain(name)) errs.push(invalid(`${field}.name`, name, m));
    node.name = name;
  }
  node.cpu = quantity(raw.cpu, `${field}.cpu`, errs);
  node.memory = quantity(raw.memory, `${field}.memory`, errs);
  node.ephemeralStorage = quantity(raw.ephemeralStorage, `${field}.ephemeralStorage`, errs);
  node.pods = positiveInt(raw.pods, `${field}.pods`, errs, 10000);
  const zone = str(raw.zone, `${field}.zone`, errs);
  if (zone !== undefined) {
    for (const m of isValidLabelValue(zone)) errs.push(invalid(`${field}.zone`, zone, m));
    node.zone = zone;
  }
  if (raw.labels !== undefined && raw.labels !== null) {
    if (!isMap(raw.labels)) errs.push(invalid(`${field}.labels`, raw.labels, 'must be a mapping of label keys to values'));
    else {
      node.labels = {};
      for (const [k, v] of Object.entries(raw.labels)) {
        const value = typeof v === 'number' || typeof v === 'boolean' ? String(v) : v;
        if (typeof value !== 'string') {
          errs.push(invalid(`${field}.labels[${k}]`, v, 'must be a string'));
          continue;
        }
        for (const m of isQualifiedName(k)) errs.push(invalid(`${field}.labels`, k, m));
        for (const m of isValidLabelValue(value)) errs.push(invalid(`${field}.labels`, value, m));
        node.labels[k] = value;
      }
    }
  }
  if (raw.taints !== undefined && raw.taints !== null) {
    if (!Array.isArray(raw.taints)) errs.push(invalid(`${field}.taints`, raw.taints, 'must be a list'));
    else {
      node.taints = [];
      const seen = new Set<string>();
      raw.taints.forEach((t: unknown, j: number) => {
        const tf = `${field}.taints[${j}]`;
        if (!isMap(t)) {
          errs.push(invalid(tf, t, 'must be a mapping'));
          return;
        }
        for (const k of Object.keys(t)) if (!['key', 'value', 'effect'].includes(k)) errs.push(unknownField(tf, k));
        const key = str(t.key, `${tf}.key`, errs);
        if (!key) errs.push(required(`${tf}.key`));
        else for (const m of isQualifiedName(key)) errs.push(invalid(`${tf}.key`, key, m));
        const value = str(t.value, `${tf}.value`, errs);
        if (value) for (const m of isValidLabelValue(value)) errs.push(invalid(`${tf}.value`, value, m));
        if (t.effect === undefined || t.effect === '') errs.push(required(`${tf}.effect`));
        else if (!EFFECTS.includes(t.effect as string)) errs.push(notSupported(`${tf}.effect`, t.effect, EFFECTS));
        if (key && EFFECTS.includes(t.effect as string)) {
          const id = `${key}:${t.effect}`;
          // The apiserver's own rule for Node taints: one per key and effect.
          if (seen.has(id)) errs.push(duplicate(`${tf}`, `${key}:${t.effect}`));
          seen.add(id);
          node.taints!.push(value ? { key, value, effect: t.effect as Taint['effect'] } : { key, effect: t.effect as Taint['effect'] });
        }
      });
    }
  }
  return node.role ? (node as MachineInput) : undefined;
}

/** Checks a parsed cluster.yaml document; returns what it asks for, or every error found. */
export function validateClusterDocument(doc: unknown): { input?: ClusterInput; name?: string; errors: string[] } {
  const errs: FieldError[] = [];
  const done = () => ({ errors: errs.map((e) => (e.detail === UNKNOWN ? `unknown field "${e.field}"` : `${e.field}: ${errorBody(e)}`)) });
  if (!isMap(doc)) {
    errs.push(invalid('', doc === undefined || doc === null ? '' : doc, 'the file must hold a mapping with kind: Cluster'));
    return { errors: [`${errorBody(errs[0])}`] };
  }
  for (const k of Object.keys(doc)) if (!TOP_FIELDS.has(k) && !KIND_ONLY_TOP_FIELDS.has(k)) errs.push(unknownField('', k));
  if (doc.kind === undefined || doc.kind === '') errs.push(required('kind'));
  else if (doc.kind !== 'Cluster') errs.push(notSupported('kind', doc.kind, ['Cluster']));
  if (doc.apiVersion !== undefined && !['minikctl/v1', 'kind.x-k8s.io/v1alpha4'].includes(doc.apiVersion as string)) {
    errs.push(notSupported('apiVersion', doc.apiVersion, ['minikctl/v1', 'kind.x-k8s.io/v1alpha4']));
  }
  const input: ClusterInput = {};
  const name = str(doc.name, 'name', errs);
  if (name !== undefined) for (const m of isDNS1123Label(name)) errs.push(invalid('name', name, m));

  // kind keeps the subnets under networking:; minikctl also takes them at the top.
  let podSubnet = doc.podSubnet;
  let serviceSubnet = doc.serviceSubnet;
  let podField = 'podSubnet';
  let svcField = 'serviceSubnet';
  let proxyMode = doc.kubeProxyMode;
  let proxyField = 'kubeProxyMode';
  let pool = doc.loadBalancerPool;
  let poolField = 'loadBalancerPool';
  if (doc.networking !== undefined && doc.networking !== null) {
    if (!isMap(doc.networking)) errs.push(invalid('networking', doc.networking, 'must be a mapping'));
    else {
      for (const k of Object.keys(doc.networking)) {
        if (!['podSubnet', 'serviceSubnet', 'ipFamily', 'apiServerAddress', 'apiServerPort', 'disableDefaultCNI', 'kubeProxyMode', 'dnsSearch', 'loadBalancerPool'].includes(k)) errs.push(unknownField('networking', k));
      }
      if (doc.networking.podSubnet !== undefined) [podSubnet, podField] = [doc.networking.podSubnet, 'networking.podSubnet'];
      if (doc.networking.serviceSubnet !== undefined) [serviceSubnet, svcField] = [doc.networking.serviceSubnet, 'networking.serviceSubnet'];
      if (doc.networking.kubeProxyMode !== undefined) [proxyMode, proxyField] = [doc.networking.kubeProxyMode, 'networking.kubeProxyMode'];
      if (doc.networking.loadBalancerPool !== undefined) [pool, poolField] = [doc.networking.loadBalancerPool, 'networking.loadBalancerPool'];
    }
  }
  const pod = podSubnet === undefined ? undefined : parseIPv4Cidr(podSubnet);
  if (podSubnet !== undefined) {
    if (!pod) errs.push(invalid(podField, podSubnet, 'must be a valid IPv4 CIDR (e.g. 10.244.0.0/16)'));
    else if (pod.bits > 24 || pod.bits < 8) errs.push(invalid(podField, podSubnet, 'must have a prefix between /8 and /24: each node gets a /24 of it'));
    else input.podSubnet = `${intToIp(pod.base)}/${pod.bits}`;
  }
  const svc = serviceSubnet === undefined ? undefined : parseIPv4Cidr(serviceSubnet);
  if (serviceSubnet !== undefined) {
    if (!svc) errs.push(invalid(svcField, serviceSubnet, 'must be a valid IPv4 CIDR (e.g. 10.96.0.0/12)'));
    // The apiserver's own limit on --service-cluster-ip-range; /28 still leaves room for kube-dns's .10.
    else if (svc.bits < 12 || svc.bits > 28) errs.push(invalid(svcField, serviceSubnet, 'must have a prefix between /12 and /28'));
    else input.serviceSubnet = `${intToIp(svc.base)}/${svc.bits}`;
  }
  // The ranges in effect (a default for the one left out) must not overlap.
  const podOk = podSubnet === undefined || input.podSubnet !== undefined;
  const svcOk = serviceSubnet === undefined || input.serviceSubnet !== undefined;
  if (podOk && svcOk && (podSubnet !== undefined || serviceSubnet !== undefined)) {
    const effPod = input.podSubnet ?? DEFAULT_POD_SUBNET;
    const effSvc = input.serviceSubnet ?? DEFAULT_SERVICE_SUBNET;
    const [a, b] = [parseIPv4Cidr(effPod)!, parseIPv4Cidr(effSvc)!].map((c) => [c.base, c.base + 2 ** (32 - c.bits)]);
    if (a[0] < b[1] && b[0] < a[1]) {
      if (serviceSubnet !== undefined) errs.push(invalid(svcField, serviceSubnet, `must not overlap ${podField} (${effPod})`));
      else errs.push(invalid(podField, podSubnet, `must not overlap serviceSubnet (${effSvc})`));
    }
  }
  if (proxyMode !== undefined && proxyMode !== null) {
    if (!PROXY_MODES.includes(proxyMode as string)) errs.push(notSupported(proxyField, proxyMode, PROXY_MODES));
    else input.proxyMode = proxyMode as ClusterInput['proxyMode'];
  }
  if (pool !== undefined && pool !== null) {
    if (!Array.isArray(pool)) errs.push(invalid(poolField, pool, 'must be a list of CIDRs or first-last ranges'));
    else {
      const ranges: { first: number; last: number; i: number }[] = [];
      pool.forEach((entry: unknown, i: number) => {
        const r = poolRange(entry);
        if (!r) errs.push(invalid(`${poolField}[${i}]`, entry, 'must be an IPv4 CIDR (e.g. 172.18.255.0/24) or a first-last range (e.g. 172.18.255.200-172.18.255.250)'));
        else {
          const clash = ranges.find((o) => r.first <= o.last && o.first <= r.last);
          if (clash) errs.push(invalid(`${poolField}[${i}]`, entry, `overlaps ${poolField}[${clash.i}]`));
          ranges.push({ ...r, i });
        }
      });
      if (ranges.length === pool.length) input.loadBalancerPool = pool.map((e: string) => e.trim());
    }
  }
  if (doc.nodes !== undefined && doc.nodes !== null) {
    if (!Array.isArray(doc.nodes)) errs.push(invalid('nodes', doc.nodes, 'must be a list'));
    else if (doc.nodes.length === 0) errs.push(required('nodes', 'a cluster needs at least one control-plane node'));
    else if (doc.nodes.length > MAX_NODES) errs.push({ type: 'TooMany', field: 'nodes', value: doc.nodes.length, detail: `must have at most ${MAX_NODES} items` });
    else {
      const nodes = doc.nodes.map((n, i) => validateNode(n, `nodes[${i}]`, errs));
      if (nodes.every((n) => n)) {
        input.nodes = nodes as MachineInput[];
        if (!input.nodes.some((n) => n.role === 'control-plane')) errs.push(invalid('nodes', `${input.nodes.length} worker(s)`, 'a cluster needs at least one control-plane node'));
        const room = podCidrCount(input.podSubnet ?? DEFAULT_POD_SUBNET);
        if (input.nodes.length > room) errs.push(invalid(podField, podSubnet ?? DEFAULT_POD_SUBNET, `has room for ${room} node(s) (one /24 each), not ${input.nodes.length}`));
      }
    }
  }
  if (doc.time !== undefined && doc.time !== null) {
    if (!isMap(doc.time)) errs.push(invalid('time', doc.time, 'must be a mapping'));
    else {
      for (const k of Object.keys(doc.time)) if (!['mode', 'speed'].includes(k)) errs.push(unknownField('time', k));
      input.time = {};
      if (doc.time.mode !== undefined) {
        if (!TIME_MODES.includes(doc.time.mode as TimeMode)) errs.push(notSupported('time.mode', doc.time.mode, TIME_MODES));
        else input.time.mode = doc.time.mode as TimeMode;
      }
      if (doc.time.speed !== undefined) {
        const s = doc.time.speed;
        if (typeof s !== 'number' || !Number.isFinite(s) || s <= 0 || s > 10000) errs.push(invalid('time.speed', s, 'must be a number greater than 0 and at most 10000'));
        else input.time.speed = s;
      }
    }
  }
  if (doc.seed !== undefined) input.seed = positiveInt(doc.seed, 'seed', errs, 2 ** 32 - 1, 0);
  if (doc.region !== undefined) input.region = str(doc.region, 'region', errs);

  // Names: the ones given must not clash (with each other or with a generated one).
  if (input.nodes) {
    const names = kindNames(name ?? 'cluster', input.nodes);
    const seen = new Set<string>();
    names.forEach((n, i) => {
      if (input.nodes![i].name !== undefined && seen.has(n)) errs.push(duplicate(`nodes[${i}].name`, n));
      seen.add(n);
    });
  }
  if (errs.length) return done();
  return { input, name, errors: [] };
}

/** Reads cluster.yaml text; throws a CliError naming the file and every problem in it. */
export function parseClusterFile(text: string, source: string): { input: ClusterInput; name?: string } {
  let doc: unknown;
  try {
    doc = load(text);
  } catch (e: any) {
    throw new CliError(`error: error parsing ${source}: ${String(e.reason ?? e.message).split('\n')[0]}${e.mark ? ` (line ${e.mark.line + 1}, column ${e.mark.column + 1})` : ''}`);
  }
  const r = validateClusterDocument(doc);
  if (r.errors.length === 1) throw new CliError(`error: invalid cluster config ${source}: ${r.errors[0]}`);
  if (r.errors.length) throw new CliError(`error: invalid cluster config ${source}:\n${r.errors.map((e) => `* ${e}`).join('\n')}`);
  return { input: r.input!, name: r.name };
}

/** The names that clash once the cluster name is known (generated names are <cluster>-...). */
export function nodeNameClashes(config: ClusterConfig): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  config.nodes.forEach((n, i) => {
    if (seen.has(n.name)) out.push(`nodes[${i}].name: Duplicate value: "${n.name}"`);
    seen.add(n.name);
  });
  return out;
}
