// Machines joining and leaving a cluster (`minikctl node add|remove`), and what a kubelet does when
// its machine runs again after `minikctl node stop`. The machines live in the stored cluster config
// (store meta `config`, the same object ComponentClient.config returns); a new one takes the next
// kind-style name (<cluster>-worker4, ...), the lowest free address on the kind network, the
// lowest free /24 of the pod subnet and, for a worker, the next zone in turn, as
// buildClusterConfig lays them out at `cluster create`.
import type { ApiServer } from '../apiserver/apiserver.js';
import { resourceFor } from '../apiserver/apiserver.js';
import type { KObject } from '../apiserver/types.js';
import { nodeUser, type ComponentClient } from '../controllers/component.js';
import { rfc3339, rfc3339Micro } from './clock.js';
import type { ClusterConfig, MachineSpec, Taint } from './config.js';
import { intToIp, ipToInt, podCidrAt, podCidrCount, type MachineInput } from './cluster-file.js';
import { kubeletStateKey, type KubeletState } from '../kubelet/index.js';

const ZONES = ['local-a', 'local-b', 'local-c'];
const FIRST_IP = '172.18.0.2';
const CONTROL_PLANE_TAINT: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

/** what `node add` may say about the new machine: a cluster.yaml node entry, every field optional */
export type MachineOptions = Partial<MachineInput>;

export function findMachine(cfg: ClusterConfig | undefined, name: string): MachineSpec | undefined {
  return cfg?.nodes.find((m) => m.name === name);
}

/** kind's n-th name for a role: <cluster>-worker, <cluster>-worker2, ... */
function kindName(cluster: string, role: MachineSpec['role'], i: number): string {
  return `${cluster}-${role}${i === 1 ? '' : i}`;
}

/**
 * The machine `node add` would make: opts as given, the rest the next free of each. `taken` holds
 * names in use besides the machines' (Nodes created through the API). Throws when the pod subnet
 * has no /24 left.
 */
export function newMachine(cfg: ClusterConfig, cluster: string, opts: MachineOptions, taken: ReadonlySet<string> = new Set()): MachineSpec {
  const role = opts.role ?? 'worker';
  const names = new Set([...cfg.nodes.map((m) => m.name), ...taken]);
  let name = opts.name;
  for (let i = 1; !name; i++) if (!names.has(kindName(cluster, role, i))) name = kindName(cluster, role, i);
  const ips = new Set(cfg.nodes.map((m) => m.ip));
  let ip = ipToInt(FIRST_IP);
  while (ips.has(intToIp(ip))) ip++;
  const cidrs = new Set(cfg.nodes.map((m) => m.podCIDR));
  const room = podCidrCount(cfg.podSubnet);
  let n = 0;
  while (n < room && cidrs.has(podCidrAt(cfg.podSubnet, n))) n++;
  if (n >= room) throw new Error(`the pod subnet ${cfg.podSubnet} has no /24 left for another node`);
  const workers = cfg.nodes.filter((m) => m.role === 'worker').length;
  return {
    name, role,
    cpu: opts.cpu ?? '4', memory: opts.memory ?? '8Gi', pods: opts.pods ?? 110, ephemeralStorage: opts.ephemeralStorage ?? '100Gi',
    zone: opts.zone ?? (role === 'worker' ? ZONES[workers % ZONES.length] : ZONES[0]),
    labels: { ...(opts.labels ?? {}) },
    taints: opts.taints ?? (role === 'control-plane' ? [{ ...CONTROL_PLANE_TAINT }] : []),
    ip: intToIp(ip), podCIDR: podCidrAt(cfg.podSubnet, n), running: true,
  };
}

export function addMachine(cfg: ClusterConfig, m: MachineSpec): void {
  cfg.nodes.push(m);
}

/** takes the machine out of the config; returns it, or undefined when there was none */
export function removeMachine(cfg: ClusterConfig, name: string): MachineSpec | undefined {
  const i = cfg.nodes.findIndex((m) => m.name === name);
  if (i < 0) return undefined;
  return cfg.nodes.splice(i, 1)[0];
}

/**
 * The machine stops (`node stop`). Its kubelet's last act is its last heartbeat: a running kubelet
 * renews its Lease every 10s, so at the moment the machine stops its Lease is (to within those 10s)
 * fresh, and node-monitor-grace-period counts from there.
 */
export async function stopMachine(api: ApiServer, m: MachineSpec): Promise<void> {
  await api.handle({
    verb: 'patch', resource: resourceFor('leases'), namespace: 'kube-node-lease', name: m.name, user: nodeUser(m.name), userAgent: 'kubelet',
    patchType: 'merge', body: { spec: { renewTime: rfc3339Micro(api.clock.now()) } },
  });
  m.running = false;
  api.store.touchMeta(true);
}

/** The machine runs again (`node start`): its kubelet picks up where it stopped. */
export function startMachine(api: ApiServer, m: MachineSpec): void {
  m.running = true;
  // A machine that was stopped comes back by booting: its kubelet finds its containers gone.
  const st: KubeletState | undefined = api.store.meta.components?.[kubeletStateKey(m.name)];
  if (st) st.rebooted = true;
  api.store.touchMeta(true);
}

// ---- a kubelet that runs again ----

/** the conditions a healthy kubelet posts, with the events it records when one changes */
const HEALTHY: { type: string; status: string; reason: string; message: string; event: string }[] = [
  { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', event: 'NodeHasSufficientMemory' },
  { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure', event: 'NodeHasNoDiskPressure' },
  { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available', event: 'NodeHasSufficientPID' },
  { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', event: 'NodeReady' },
];

/**
 * A running kubelet whose Node says otherwise (the node lifecycle controller set its conditions to
 * Unknown while the machine was stopped) posts its own conditions again, as its status loop does
 * every 10s: the changed ones with a new transition time, each with its event (NodeReady ...). Its
 * pods' statuses are posted again too (the node controller marked them not ready meanwhile): the
 * status manager syncs what it knows. Returns true when it wrote.
 */
export async function resumeNodeStatus(c: ComponentClient, nodeName: string, now: number): Promise<boolean> {
  const node = await c.get('nodes', undefined, nodeName);
  if (!node) return false;
  const conds: any[] = node.status?.conditions ?? [];
  const stale = HEALTHY.filter((h) => {
    const cur = conds.find((x) => x.type === h.type);
    return !cur || cur.status !== h.status || cur.reason !== h.reason;
  });
  if (!stale.length) return false;
  const body = structuredClone(node);
  const out: any[] = ((body.status ??= {}).conditions ??= []);
  const t = rfc3339(now);
  for (const h of HEALTHY) {
    let cur = out.find((x) => x.type === h.type);
    if (!cur) out.push((cur = { type: h.type }));
    if (stale.includes(h)) Object.assign(cur, { lastTransitionTime: t, message: h.message, reason: h.reason, status: h.status });
    cur.lastHeartbeatTime = t;
  }
  const written = await c.write({ verb: 'update', resource: 'nodes', name: nodeName, subresource: 'status', fieldManager: 'kubelet', body });
  if (!written) return false;
  // The kubelet's node reference names the node by name, also as its uid.
  const ref: KObject = { kind: 'Node', metadata: { name: nodeName, uid: nodeName } };
  for (const h of stale) await c.event(ref, 'Normal', h.event, `Node ${nodeName} status is now: ${h.event}`, { component: 'kubelet', host: nodeName });
  c.trace('node-status', `node/${nodeName}`, `kubelet is posting status again: ${stale.map((h) => h.event).join(', ')}`);
  const st: KubeletState | undefined = c.api.store.meta.components?.[kubeletStateKey(nodeName)];
  for (const rec of Object.values(st?.pods ?? {})) rec.dirty = true;
  c.touch();
  return true;
}
