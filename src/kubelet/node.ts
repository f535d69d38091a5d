// A kubelet's own objects: the Node it registers (labels, taints, capacity, conditions, addresses,
// system info, images), the status it keeps posting, and its heartbeat Lease in kube-node-lease.
import type { KObject } from '../apiserver/types.js';
import type { ClusterConfig, MachineSpec } from '../cluster/config.js';
import type { ComponentClient } from '../controllers/component.js';
import { rfc3339, rfc3339Micro } from '../cluster/clock.js';
import { formatQuantity, parseQuantity, subtractQuantity } from '../apiserver/quantity.js';
import { nodeImages, type PullerState } from './images.js';

export const CONTAINER_RUNTIME_VERSION = 'containerd://1.7.24';
export const OS_IMAGE = 'Debian GNU/Linux 12 (bookworm)';
export const KERNEL_VERSION = '6.8.0-51-generic';
/** kind's kubelet keeps eviction-hard memory.available<100Mi, and nothing reserved otherwise */
const EVICTION_MEMORY = parseQuantity('100Mi');
/** how often a kubelet posts an unchanged node status (nodeStatusReportFrequency) */
export const NODE_STATUS_REPORT_MS = 5 * 60_000;
/** a lease is renewed when it is older than this at reconcile time (renewInterval = 40s / 4) */
export const LEASE_RENEW_MS = 10_000;

function hex(c: ComponentClient, n: number): string {
  let s = '';
  while (s.length < n) s += c.rng.nextUint32().toString(16).padStart(8, '0');
  return s.slice(0, n);
}

/** Memory as the kubelet reports it: bytes from the machine, in Ki unless exact. */
function memoryQuantity(q: string): string {
  return formatQuantity({ ...parseQuantity(q), format: 'BinarySI' });
}

export function nodeLabels(m: MachineSpec, cfg: ClusterConfig): Record<string, string> {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': m.name, 'kubernetes.io/os': 'linux',
  };
  if (m.role === 'control-plane') labels['node-role.kubernetes.io/control-plane'] = '';
  if (cfg.region) labels['topology.kubernetes.io/region'] = cfg.region;
  if (m.zone) labels['topology.kubernetes.io/zone'] = m.zone;
  return { ...labels, ...m.labels };
}

function conditions(now: number): any[] {
  const t = rfc3339(now);
  const c = (type: string, status: string, reason: string, message: string) => ({ lastHeartbeatTime: t, lastTransitionTime: t, message, reason, status, type });
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

export function newNode(c: ComponentClient, m: MachineSpec, cfg: ClusterConfig, puller: PullerState, now: number): KObject {
  const memory = memoryQuantity(m.memory);
  const capacity: Record<string, string> = {
    cpu: formatQuantity(parseQuantity(m.cpu)),
    'ephemeral-storage': memoryQuantity(m.ephemeralStorage),
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory,
    pods: String(m.pods),
  };
  const allocatable = { ...capacity, memory: formatQuantity({ ...subtractQuantity(parseQuantity(memory), EVICTION_MEMORY), format: 'BinarySI' }) };
  const spec: any = {};
  if (m.taints.length) spec.taints = m.taints.map((t) => ({ effect: t.effect, key: t.key, ...(t.value ? { value: t.value } : {}) }));
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name: m.name,
      labels: nodeLabels(m, cfg),
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec,
    status: {
      addresses: [{ address: m.ip, type: 'InternalIP' }, { address: m.name, type: 'Hostname' }],
      allocatable,
      capacity,
      conditions: conditions(now),
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      images: nodeImages(puller),
      nodeInfo: {
        architecture: 'amd64', bootID: c.rng.uuid(), containerRuntimeVersion: CONTAINER_RUNTIME_VERSION, kernelVersion: KERNEL_VERSION,
        kubeProxyVersion: cfg.kubernetesVersion, kubeletVersion: cfg.kubernetesVersion, machineID: hex(c, 32), operatingSystem: 'linux',
        osImage: OS_IMAGE, systemUUID: c.rng.uuid(),
      },
    },
  };
}

/**
 * Posts node status when the image cache changed or the last report is older than
 * NODE_STATUS_REPORT_MS; true when it wrote.
 */
export async function syncNodeStatus(c: ComponentClient, node: KObject, puller: PullerState, imagesChanged: boolean, now: number): Promise<boolean> {
  const ready = (node.status?.conditions ?? []).find((x: any) => x.type === 'Ready');
  const last = ready?.lastHeartbeatTime ? Date.parse(ready.lastHeartbeatTime) : 0;
  const stale = now - last >= NODE_STATUS_REPORT_MS;
  if (!imagesChanged && !stale) return false;
  const status = structuredClone(node.status ?? {});
  status.images = nodeImages(puller);
  if (stale) for (const cond of status.conditions ?? []) cond.lastHeartbeatTime = rfc3339(now);
  const res = await c.write({
    verb: 'update', resource: 'nodes', name: node.metadata!.name, subresource: 'status', fieldManager: 'kubelet',
    body: { apiVersion: 'v1', kind: 'Node', metadata: { name: node.metadata!.name }, status },
  });
  return res !== undefined;
}

/** The node's heartbeat: created once, renewed when older than LEASE_RENEW_MS. */
export async function syncLease(c: ComponentClient, node: KObject, lease: KObject | undefined, now: number): Promise<boolean> {
  const name = node.metadata!.name!;
  if (!lease) {
    await c.create('leases', 'kube-node-lease', {
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
      metadata: {
        name, namespace: 'kube-node-lease',
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata!.uid! }],
      },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: rfc3339Micro(now) },
    });
    return true;
  }
  const renewed = lease.spec?.renewTime ? Date.parse(lease.spec.renewTime) : 0;
  if (now - renewed < LEASE_RENEW_MS) return false;
  await c.patch('leases', 'kube-node-lease', name, { spec: { renewTime: rfc3339Micro(now) } });
  return true;
}
