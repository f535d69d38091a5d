// A packet's path from a pod to an address, hop by hop, as a real cluster would carry it (seed 003
// steps 26-29): the source pod on its node; a Service address caught by the SOURCE node's
// kube-proxy rules, which pick an endpoint and DNAT to its pod IP and targetPort; the CNI's policy
// verdicts (Calico: egress of the source, ingress of the destination); the CNI carrying it to the
// destination's node; and a container listening on the port — or the real symptom where it breaks:
// refused (kube-proxy's REJECT for a Service without endpoints, nothing listening), timeout
// (a policy drop, a dead machine, an address nobody holds).
//
// The pieces come from their owners: kube-proxy's route() (src/proxy/route.ts), Calico's
// checkTraffic() (src/kubelet/cni/policy.ts), the containers' listeners and HTTP answers
// (src/kubelet/net/http.ts).
import type { KObject } from '../../apiserver/types.js';
import type { ConnectResult, Hop, HttpAnswer, HttpRequest, NetWorld, Peer, Protocol, ToolContext } from './types.js';
import { netIndex, podAddress } from './world.js';
import { checkTraffic } from '../cni/policy.js';
import { listener, httpAnswer, type ServerNet } from './http.js';
import { resolveName } from '../../dns/resolver.js';
import { publicHost } from '../../dns/upstream.js';
import { route } from '../../proxy/route.js';
import { lookupImage } from '../catalogue.js';

export interface PathOptions {
  /** seed of the connection's random choices (kube-proxy's statistic match); world.now when unset */
  seed?: number;
  /** told of every hop as it happens (for --trace) */
  onHop?: (h: Hop) => void;
}

/** A ToolContext that also keeps the hops it saw, in order. */
export interface PathContext extends ToolContext {
  hops: Hop[];
}

/** mulberry32: a small seeded generator, so that the same command on the same world picks the same endpoint */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VIA: Record<string, string> = { nodePort: 'NodePort', externalIP: 'external IP', loadBalancer: 'load-balancer IP', clusterIP: 'ClusterIP' };

const ref = (o: KObject | undefined) => `${o?.metadata?.namespace ?? ''}/${o?.metadata?.name ?? ''}`;

/** busybox userland: the images whose programs print busybox's texts */
export function isBusyboxImage(image: string): boolean {
  const repo = lookupImage(image).repository;
  return /(^|\/)(busybox|alpine)$/.test(repo) || /curlimages\/curl$/.test(repo);
}

/** a pod's container spec by name (regular, init or ephemeral) */
function containerSpec(pod: KObject, name: string): any {
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].find((c: any) => c.name === name);
}

/**
 * The network as seen by a program running in container `container` of `pod`: connect() walks the
 * path above and records each hop; http() is the server's answer at the end of it.
 */
export function toolContext(world: NetWorld, pod: KObject, container: string, opts: PathOptions = {}): PathContext {
  const ix = netIndex(world);
  const image = containerSpec(pod, container)?.image ?? '';
  const random = seededRandom(opts.seed ?? world.now);
  const hops: Hop[] = [];
  const hop = (h: Hop) => {
    hops.push(h);
    opts.onHop?.(h);
  };
  const srcNode = pod.spec?.nodeName ?? '';
  const srcIP = podAddress(world, pod) ?? '';
  const src: Peer = { ip: srcIP, pod };

  function connect(ip: string, port: number, proto: Protocol): ConnectResult {
    const mine: Hop[] = [];
    const step = (h: Hop) => {
      mine.push(h);
      hop(h);
    };
    const fail = (error: 'refused' | 'timeout' | 'unreachable'): ConnectResult => ({ ok: false, error, hops: mine });
    let dstIP = ip;
    let dstPort = port;

    // loopback and the pod's own address never leave the pod's network namespace
    const self = ip === '127.0.0.1' || ip === '::1' || ip === srcIP;
    if (!self) {
      let r = route(world, srcNode, ip, port, proto, random, srcIP);
      let proxyNode = srcNode;
      // another node's address: its own kube-proxy rules (a NodePort) apply once the packet gets there
      const machine = r.kind === 'none' ? ix.machinesByIP.get(ip) : undefined;
      if (machine && machine.name !== srcNode && machine.running) {
        r = route(world, machine.name, ip, port, proto, random, srcIP);
        proxyNode = machine.name;
      }
      if (r.kind !== 'none') {
        const svcName = `${r.service.namespace}/${r.service.name}`;
        const portName = `${svcName}${r.service.port ? `:${r.service.port}` : ''}`;
        const what = r.kind === 'dnat' && r.via !== 'clusterIP' ? VIA[r.via] : ix.servicesByIP.has(ip) ? 'ClusterIP' : 'address';
        const where = proxyNode === srcNode ? `kube-proxy's rules on ${srcNode} (the source node)` : `kube-proxy's rules on ${proxyNode}`;
        step({ component: 'kube-proxy', action: 'intercepted', object: `${ip}:${port}/${proto}`, detail: `${what} of service ${portName}, caught by ${where}` });
        if (r.kind === 'reject') {
          step({ component: 'kube-proxy', action: 'REJECT', object: `${ip}:${port}/${proto}`, detail: `"${portName} ${r.reason}": icmp-port-unreachable, the connection is refused` });
          return fail('refused');
        }
        if (r.kind === 'drop') {
          step({ component: 'kube-proxy', action: 'DROP', object: `${ip}:${port}/${proto}`, detail: `"${portName} ${r.reason}": the packets are dropped` });
          return fail('timeout');
        }
        dstIP = r.endpoint.ip;
        dstPort = r.endpoint.port;
        const chain = r.chains.length ? r.chains.join(' → ') : '';
        const prob = r.probability !== undefined ? ` (statistic mode random probability ${r.probability})` : '';
        step({ component: 'kube-proxy', action: 'DNAT', object: `${dstIP}:${dstPort}`, detail: `${ip}:${port} → ${dstIP}:${dstPort}${chain ? ` via ${chain}` : ''}${prob}${r.masquerade ? '; source masqueraded to the node address' : ''}` });
      }
    }

    // who holds the address now
    let dst: KObject | undefined;
    let dstNode: string | undefined;
    if (self || dstIP === srcIP) {
      dst = pod;
      dstNode = srcNode;
    } else {
      dst = ix.podsByIP.get(dstIP);
      dstNode = dst?.spec?.nodeName;
      if (!dst) {
        const machine = ix.machinesByIP.get(dstIP);
        if (machine) {
          dstNode = machine.name;
          if (!machine.running) {
            step({ component: 'calico', action: 'no answer', object: dstIP, detail: `node ${machine.name} is down` });
            return fail('timeout');
          }
          // a node's own address: the host-network pods there (kube-proxy, the control plane)
          for (const hp of ix.hostPods.get(machine.name) ?? []) {
            const l = listener(hp, dstPort, proto, world.now);
            if (l) {
              step({ component: hp.metadata?.name ?? 'pod', action: 'accepted', object: `${dstIP}:${dstPort}/${proto}`, detail: `container ${l.container} (host network) on ${machine.name}` });
              return { ok: true, to: { ip: dstIP, pod: hp }, port: dstPort, container: l.container, hops: mine };
            }
          }
          step({ component: machine.name, action: 'refused', object: `${dstIP}:${dstPort}/${proto}`, detail: 'nothing listens on this port of the node' });
          return fail('refused');
        }
        // a host of the stand-in internet: out through the node, masqueraded; it serves HTTP(S)
        const host = publicHost(dstIP);
        if (host && proto === 'TCP' && (dstPort === 80 || dstPort === 443)) {
          const verdict = checkTraffic(world, src, { ip: dstIP }, dstPort, proto);
          if (!verdict.allowed) {
            step({ component: 'calico', action: 'dropped', object: `${srcIP} → ${dstIP}:${dstPort}/${proto}`, detail: `egress${verdict.policy ? ` denied by NetworkPolicy ${verdict.policy}` : ''}: ${verdict.reason}` });
            return fail('timeout');
          }
          step({ component: 'calico', action: 'routed', object: `${srcIP} → ${dstIP}`, detail: `out of the cluster via ${srcNode}, source masqueraded to the node address` });
          step({ component: host, action: 'accepted', object: `${dstIP}:${dstPort}/${proto}`, detail: 'a host outside the cluster' });
          return { ok: true, to: { ip: dstIP }, port: dstPort, hops: mine };
        }
        step({ component: 'calico', action: 'no route', object: dstIP, detail: 'no pod or node holds this address; the packets go unanswered' });
        return fail('timeout');
      }
    }
    const dstPeer: Peer = { ip: dstIP, pod: dst };

    if (!self) {
      const verdict = checkTraffic(world, src, dstPeer, dstPort, proto);
      if (!verdict.allowed) {
        step({ component: 'calico', action: 'dropped', object: `${srcIP} → ${dstIP}:${dstPort}/${proto}`, detail: `${verdict.direction ?? 'policy'}${verdict.policy ? ` denied by NetworkPolicy ${verdict.policy}` : ''}: ${verdict.reason}` });
        return fail('timeout');
      }
      if (world.networkPolicies.length) step({ component: 'calico', action: 'allowed', object: `${srcIP} → ${dstIP}:${dstPort}/${proto}`, detail: verdict.reason });
      const machine = ix.machinesByName.get(dstNode ?? '');
      if (machine && !machine.running) {
        step({ component: 'calico', action: 'no answer', object: dstIP, detail: `pod ${ref(dst)} is on node ${machine.name}, which is down` });
        return fail('timeout');
      }
      if (dstNode && dstNode !== srcNode) {
        step({ component: 'calico', action: 'routed', object: `${srcIP} → ${dstIP}`, detail: `from ${srcNode} to ${dstNode}${machine ? ` (${machine.podCIDR} via ${machine.ip})` : ''}` });
      } else {
        step({ component: 'calico', action: 'delivered', object: `${srcIP} → ${dstIP}`, detail: `on node ${srcNode}, veth to veth` });
      }
    }
    const l = listener(dst, dstPort, proto, world.now);
    if (!l) {
      step({ component: dst.metadata?.name ?? 'pod', action: 'refused', object: `${dstIP}:${dstPort}/${proto}`, detail: `no container of pod ${ref(dst)} listens on port ${dstPort}: the kernel answers with a reset` });
      return fail('refused');
    }
    step({ component: dst.metadata?.name ?? 'pod', action: 'accepted', object: `${dstIP}:${dstPort}/${proto}`, detail: `container ${l.container} of pod ${ref(dst)} (${l.kind})` });
    return { ok: true, to: dstPeer, port: dstPort, container: l.container, hops: mine };
  }

  function http(conn: Extract<ConnectResult, { ok: true }>, req: HttpRequest): HttpAnswer {
    const host = conn.to.pod ? undefined : publicHost(conn.to.ip);
    const answer: HttpAnswer = conn.to.pod && conn.container
      ? httpAnswer(conn.to.pod, conn.container, conn.port, req, world.now, { ip: srcIP }, serverNet(world, conn.to.pod, conn.container, opts))
      : host ? internetAnswer(host, req) : { kind: 'close' as const };
    if (answer.kind === 'http') hop({ component: conn.to.pod?.metadata?.name ?? conn.to.ip, action: 'answered', object: `${req.method} ${req.path}`, detail: `HTTP ${answer.status} ${answer.reason}, ${Buffer.byteLength(answer.body)} bytes` });
    return answer;
  }

  return { world, pod, container, image, busybox: isBusyboxImage(image), connect, http, random, hop, hops };
}

export interface EchoReach {
  /** an echo reply comes back */
  reply: boolean;
  /** the TTL the reply arrives with: 64 from the pod's own stack or its node, one less per routing hop */
  ttl: number;
  crossNode: boolean;
}

/**
 * Where an ICMP echo (ping) from the context's pod to ip goes. Pods and nodes answer; a ClusterIP
 * does not in iptables mode (kube-proxy's rules only DNAT the Service's ports), but does in ipvs
 * mode (every node binds the ClusterIPs to kube-ipvs0). A policy isolating either side in the
 * direction of the echo drops it unless a rule without ports allows it.
 */
export function echoReach(ctx: ToolContext, ip: string): EchoReach {
  const world = ctx.world;
  const ix = netIndex(world);
  const pod = ctx.pod;
  const srcNode = pod.spec?.nodeName ?? '';
  const srcIP = podAddress(world, pod) ?? '';
  const none: EchoReach = { reply: false, ttl: 0, crossNode: false };
  if (ip === '127.0.0.1' || ip === srcIP) return { reply: true, ttl: 64, crossNode: false };
  const svc = ix.servicesByIP.get(ip);
  if (svc) {
    if ((world.config.proxyMode ?? 'iptables') === 'ipvs') {
      ctx.hop({ component: 'kube-proxy', action: 'answered', object: ip, detail: `ClusterIP of service ${ref(svc)} is bound to kube-ipvs0 on ${srcNode}: the node answers the ping` });
      return { reply: true, ttl: 64, crossNode: false };
    }
    ctx.hop({ component: 'kube-proxy', action: 'no rule', object: `${ip} (ICMP)`, detail: `service ${ref(svc)} is a virtual IP: kube-proxy's rules only match its ports, nothing answers a ping` });
    return none;
  }
  const dst = ix.podsByIP.get(ip);
  const machine = dst ? ix.machinesByName.get(dst.spec?.nodeName ?? '') : ix.machinesByIP.get(ip);
  if (!dst && !machine) {
    ctx.hop({ component: 'calico', action: 'no route', object: ip, detail: 'no pod or node holds this address' });
    return none;
  }
  if (machine && !machine.running) {
    ctx.hop({ component: 'calico', action: 'no answer', object: ip, detail: `node ${machine.name} is down` });
    return none;
  }
  const verdict = checkTraffic(world, { ip: srcIP, pod }, { ip, pod: dst }, 0, 'ICMP');
  if (!verdict.allowed) {
    ctx.hop({ component: 'calico', action: 'dropped', object: `${srcIP} → ${ip} (ICMP)`, detail: `${verdict.direction ?? 'policy'}${verdict.policy ? ` denied by NetworkPolicy ${verdict.policy}` : ''}: ${verdict.reason}` });
    return none;
  }
  const dstNode = dst ? dst.spec?.nodeName : machine?.name;
  const crossNode = dstNode !== srcNode;
  if (!dst) return { reply: true, ttl: crossNode ? 63 : 64, crossNode };
  ctx.hop({ component: dst.metadata?.name ?? 'pod', action: 'echo reply', object: ip, detail: crossNode ? `routed ${srcNode} → ${dstNode}` : `on node ${srcNode}` });
  // a pod's packets are routed by its node: once on the same node, twice across nodes
  return { reply: true, ttl: crossNode ? 62 : 63, crossNode };
}

/**
 * The network of a server process (a pod answering a request) when it calls another service:
 * its own resolver, then a connection from its pod, with the hops going to the same trace.
 */
export function serverNet(world: NetWorld, pod: KObject, container: string, opts: PathOptions = {}): ServerNet {
  return {
    reach(host, port) {
      const ctx = toolContext(world, pod, container, { seed: opts.seed, onHop: opts.onHop });
      const r = resolveName(ctx, host);
      if ('error' in r) return r.error === 'NXDOMAIN' ? 'nxdomain' : 'timeout';
      const c = ctx.connect(r.addresses[0], port, 'TCP');
      return c.ok ? 'ok' : c.error === 'refused' ? 'refused' : 'timeout';
    },
  };
}

/**
 * What a host of the stand-in internet answers. This machine has no internet, so the page is not
 * the site's: it says which host answered and that its content is not simulated.
 */
function internetAnswer(host: string, req: HttpRequest): HttpAnswer {
  const body = `<html><body><h1>${host}</h1><p>A site outside the cluster: minikctl has no internet, so this stands in for its page.</p></body></html>\n`;
  return { kind: 'http', status: 200, reason: 'OK', headers: [['Content-Type', 'text/html'], ['Content-Length', String(Buffer.byteLength(body))]], body: req.method === 'HEAD' ? '' : body };
}
