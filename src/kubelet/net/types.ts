// The contracts of the simulated network, shared by the pieces that make a request travel: CoreDNS
// (src/dns), kube-proxy (src/proxy), the CNI's policy enforcement (src/kubelet/cni/policy.ts), the
// containers' servers (src/kubelet/net/http.ts) and the data path that strings them together
// (src/kubelet/net/path.ts), which `kubectl exec` tools and `port-forward` use.
import type { KObject } from '../../apiserver/types.js';
import type { ClusterConfig } from '../../cluster/config.js';

/**
 * What the network sees at one moment, read once per command from the apiserver's store. Lists are
 * the stored objects: never mutate them.
 */
export interface NetWorld {
  /** virtual time, epoch ms */
  now: number;
  config: ClusterConfig;
  pods: KObject[];
  services: KObject[];
  endpointSlices: KObject[];
  networkPolicies: KObject[];
  namespaces: KObject[];
  nodes: KObject[];
  /** components' private state (store.meta.components): kube-proxy's programmed rules live there */
  components: Record<string, any>;
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** one step of a packet's journey, for `--trace` (seed 003 steps 26-29) */
export interface Hop {
  /** who acted: 'coredns', 'kube-proxy', 'calico', 'kubelet', the pod's name ... */
  component: string;
  /** what happened, in a few words ("resolved", "DNAT", "allowed", "dropped", "accepted") */
  action: string;
  /** the object or address concerned ("service default/my-app-service", "10.244.1.5:8000") */
  object: string;
  detail?: string;
}

/** where a packet ends: a pod (its IP and the port asked for) or an address outside the pods */
export interface Peer {
  ip: string;
  pod?: KObject;
}

export type ConnectResult =
  | {
      ok: true;
      /** the address and port the packet finally reached (after kube-proxy's DNAT) */
      to: Peer;
      port: number;
      /** the container that listens there */
      container?: string;
      hops: Hop[];
    }
  | {
      ok: false;
      /** refused: RST/ICMP reject (no endpoints, nothing listening); timeout: dropped (policy, dead node, no route) */
      error: 'refused' | 'timeout' | 'unreachable';
      hops: Hop[];
    };

/** the request a tool sends once connected */
export interface HttpRequest {
  method: string;
  path: string;
  /** the Host header (what the client asked for: a service name, an IP) */
  host: string;
  headers: Record<string, string>;
}

export type HttpAnswer =
  | { kind: 'http'; status: number; reason: string; headers: [string, string][]; body: string }
  /** a server that does not speak HTTP: what it writes back (redis: "-ERR wrong number of arguments ...") */
  | { kind: 'raw'; text: string }
  /** accepts, then closes without a word */
  | { kind: 'close' };

/** what a program run by `kubectl exec` needs to reach the network */
export interface ToolContext {
  world: NetWorld;
  /** the pod the program runs in, and its container */
  pod: KObject;
  container: string;
  image: string;
  /** busybox userland (busybox, alpine): the tools print busybox's texts */
  busybox: boolean;
  /** opens a connection from this pod (DNS, kube-proxy, policy, listener), recording hops */
  connect(ip: string, port: number, proto: Protocol): ConnectResult;
  /** the HTTP answer at the end of a connection that succeeded */
  http(conn: Extract<ConnectResult, { ok: true }>, req: HttpRequest): HttpAnswer;
  /** a seeded random number in [0, 1): kube-proxy's statistic match, resolver choices */
  random(): number;
  /** records a hop that is not part of a connection (a DNS answer, a search-path try) */
  hop(h: Hop): void;
}

export interface ToolResult {
  exitCode: number;
  stdout: string[];
  stderr: string[];
  /** how long the program ran (a timeout takes its time), ms */
  elapsedMs?: number;
}
