// A cluster's shape: its machines (nodes), address ranges, time mode and seed. `cluster create`
// makes one from flags or a cluster.yaml; it is kept in the state file, and the kubelets read it
// to know which machines exist (each registers its Node, as a real kubelet does).
import type { TimeMode } from './clock.js';

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface MachineSpec {
  name: string;
  role: 'control-plane' | 'worker';
  /** capacity, as Kubernetes quantities */
  cpu: string;
  memory: string;
  pods: number;
  ephemeralStorage: string;
  zone?: string;
  labels: Record<string, string>;
  taints: Taint[];
  /** the node's InternalIP */
  ip: string;
  /** the pod range the node IPAM controller gives this node, e.g. 10.244.1.0/24 */
  podCIDR: string;
  /** machine state: issue 4's `node stop` turns this off */
  running: boolean;
}

export interface ClusterConfig {
  nodes: MachineSpec[];
  podSubnet: string;
  serviceSubnet: string;
  region?: string;
  time: { mode: TimeMode; speed: number };
  seed: number;
  /** the Kubernetes version the nodes report */
  kubernetesVersion: string;
  /** kube-proxy's mode (kind: networking.kubeProxyMode); iptables when unset */
  proxyMode?: 'iptables' | 'ipvs';
  /**
   * addresses a load-balancer controller (as MetalLB or cloud-provider-kind) gives LoadBalancer
   * Services: CIDRs or first-last ranges; none set: their EXTERNAL-IP stays <pending>, as on a bare cluster
   */
  loadBalancerPool?: string[];
}

export const DEFAULT_POD_SUBNET = '10.244.0.0/16';
export const DEFAULT_SERVICE_SUBNET = '10.96.0.0/12';
export const KUBERNETES_VERSION = 'v1.32.0';

/** the n-th /24 of a /16 pod subnet: what the node IPAM controller hands out in order */
export function nodePodCIDR(podSubnet: string, index: number): string {
  const [a, b] = podSubnet.split('/')[0].split('.');
  return `${a}.${b}.${index}.0/24`;
}

/**
 * kind's naming, which most tutorials show: <cluster>-control-plane, <cluster>-worker,
 * <cluster>-worker2, ...; 4 CPU, 8Gi and 110 pods each; workers spread over three zones.
 */
export function defaultClusterConfig(cluster: string, opts: { workers?: number; seed?: number; mode?: TimeMode; speed?: number } = {}): ClusterConfig {
  const workers = opts.workers ?? 3;
  const zones = ['local-a', 'local-b', 'local-c'];
  const nodes: MachineSpec[] = [];
  const machine = (name: string, role: MachineSpec['role'], i: number, zone: string): MachineSpec => ({
    name, role, cpu: '4', memory: '8Gi', pods: 110, ephemeralStorage: '100Gi', zone, labels: {},
    taints: role === 'control-plane' ? [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] : [],
    ip: `172.18.0.${2 + i}`, podCIDR: nodePodCIDR(DEFAULT_POD_SUBNET, i), running: true,
  });
  nodes.push(machine(`${cluster}-control-plane`, 'control-plane', 0, zones[0]));
  for (let i = 1; i <= workers; i++) nodes.push(machine(`${cluster}-worker${i === 1 ? '' : i}`, 'worker', i, zones[(i - 1) % zones.length]));
  return {
    nodes, podSubnet: DEFAULT_POD_SUBNET, serviceSubnet: DEFAULT_SERVICE_SUBNET, region: 'local',
    time: { mode: opts.mode ?? 'realtime', speed: opts.speed ?? 1 }, seed: opts.seed ?? 1, kubernetesVersion: KUBERNETES_VERSION,
  };
}
