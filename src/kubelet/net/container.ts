// A container's OWN process on the network: `run t --image=busybox -- wget -qO- my-svc` sends its
// request along the same path as `exec` (CoreDNS, the source node's kube-proxy rules, the CNI's
// policies, the container listening) and its log holds what wget printed.
//
// Only containers whose command names a network program take this path; every other container is
// left to the pure process model. A command that ends is run ONCE, when the container starts, with
// the world as it is then: the kubelet keeps its exit and log lines in its per-container record
// (NetRun), so every later reconcile and every `logs` reads the same answer. A command that runs
// for ever (a request loop) cannot be run ahead: its log is computed when it is read, against the
// world as it is then, with a seed fixed for the container instance (the same text twice).
import type { KObject } from '../../apiserver/types.js';
import { sha256Hex } from '../catalogue.js';
import { argvOf, processModel, timeline, type ContainerSpecLike, type ExecTools, type ResolvedEnv } from '../process.js';
import { hostsFile, resolvConf } from '../../dns/resolv.js';
import { toolContext } from './path.js';
import { netTools, podHostname } from './tools/index.js';
import type { NetWorld } from './types.js';

/** the programs that make a container's command a network one */
const PROGRAMS = ['wget', 'curl', 'nc', 'ping', 'nslookup', 'dig', 'host'];
/** a program named as a command word: at the start, after a separator or a path */
const NAMED = new RegExp(`(^|[\\s;|&(\`/])(${PROGRAMS.join('|')})(?=$|[\\s;|&)\`])`);
/** how far ahead a finite command is run at start (virtual ms): a TCP connect gives up in 127 s */
const START_HORIZON_MS = 15 * 60_000;
/** the log lines the kubelet keeps per instance (the kubelet state is saved with the cluster) */
export const MAX_STORED_LINES = 1000;

/** one log line of a run: ms since the start, text, and 1 when written to stderr */
export type NetLine = [number, string, 1?];

/** What the kubelet remembers of a network command run at its container's start. */
export interface NetRun {
  /** the container instance (containerd id) and its start (virtual epoch ms) */
  id: string;
  startedAt: number;
  /** the process ends this long after its start, with this code */
  exitAfterMs: number;
  exitCode: number;
  /** the last MAX_STORED_LINES lines */
  lines: NetLine[];
  /** lines left out at the front */
  dropped?: number;
}

/** Whether the container's command (or its image's default one) names a network program. */
export function usesNetwork(spec: ContainerSpecLike): boolean {
  const argv = argvOf(spec);
  if (!argv?.length) return false;
  return argv.some((a) => NAMED.test(a));
}

/** A container instance's seed: kube-proxy's picks vary between requests, but the same instance reads the same. */
export function instanceSeed(pod: KObject, container: string, restartCount: number): number {
  return Number.parseInt(sha256Hex(`${pod.metadata?.uid ?? pod.metadata?.name}/${container}/${restartCount}`).slice(0, 8), 16);
}

/** the files the kubelet writes into every container for its resolver: resolv.conf, hosts, hostname */
export function podNetFiles(pod: KObject, world: NetWorld): Record<string, string> {
  return {
    '/etc/resolv.conf': resolvConf(pod, world),
    '/etc/hosts': hostsFile(pod, world),
    '/etc/hostname': `${podHostname({ pod })}\n`,
  };
}

/** The container's network programs and the files its resolver reads, in world. */
export function containerNet(world: NetWorld, pod: KObject, container: string, restartCount: number): { tools: ExecTools; files: Record<string, string> } {
  const ctx = toolContext(world, pod, container, { seed: instanceSeed(pod, container, restartCount) });
  const net = netTools(ctx);
  // a listening nc is a server the process model keeps running; the tool does not listen
  const tools: ExecTools = (argv, stdin) => (/(^|\/)nc$/.test(argv[0] ?? '') && argv.slice(1).some((a) => /^-\w*l/.test(a)) ? undefined : net(argv, stdin));
  return { tools, files: podNetFiles(pod, world) };
}

/**
 * Whether the command ends by itself (the pure model says so), so that it can be run at its start.
 * A request loop runs for ever: its log is computed when read.
 */
export function runsToAnEnd(spec: ContainerSpecLike): boolean {
  if (processModel(spec).exitAfterMs !== undefined) return true;
  // the pure model takes a directly run nc for a server; given the network, a client ends
  const argv = argvOf(spec) ?? [];
  return /(^|\/)nc$/.test(argv[0] ?? '') && !argv.slice(1).some((a) => /^-\w*l/.test(a));
}

/**
 * Runs a network command at its container's start against world: its exit and its log lines.
 * Undefined when it does not end within the horizon (it is then treated as running for ever).
 * `pod` must carry the IP the sandbox got (status.podIP) and its node.
 */
export function runAtStart(world: NetWorld, pod: KObject, spec: ContainerSpecLike, restartCount: number, id: string, startedAt: number, resolved: ResolvedEnv): NetRun | undefined {
  const { tools, files } = containerNet(world, pod, spec.name ?? '', restartCount);
  const run = timeline(spec, START_HORIZON_MS, podHostname({ pod }), resolved, { tools, files });
  if (!run.exit) return undefined;
  const all: NetLine[] = run.events.filter((e) => e.kind === 'log').map((e) => (e.stderr ? [e.at, e.text ?? '', 1] : [e.at, e.text ?? '']));
  const lines = all.length > MAX_STORED_LINES ? all.slice(all.length - MAX_STORED_LINES) : all;
  return { id, startedAt, exitAfterMs: run.exit.at, exitCode: run.exit.code, lines, ...(all.length > lines.length ? { dropped: all.length - lines.length } : {}) };
}

/** the kubelet record of a pod's containers as kept in its state (see src/kubelet/index.ts) */
function podRecord(components: Record<string, any>, pod: KObject): any {
  const mirror = pod.metadata?.annotations?.['kubernetes.io/config.mirror'];
  const key = mirror ? `static/${pod.metadata!.namespace}/${pod.metadata!.name}` : pod.metadata?.uid;
  return components[`kubelet/${pod.spec?.nodeName ?? ''}`]?.pods?.[key ?? ''];
}

/**
 * The run the pod's kubelet remembers for a container instance: matched by containerd id when the
 * status gives it, else by the start (the status's times have second precision).
 */
export function storedRun(components: Record<string, any>, pod: KObject, container: string, inst: { id?: string; startedAt: number }): NetRun | undefined {
  const cr = (podRecord(components, pod)?.cs ?? []).find((x: any) => x.name === container);
  for (const r of [cr?.net, cr?.lastNet] as (NetRun | undefined)[]) {
    if (!r) continue;
    if (inst.id ? r.id === inst.id : Math.floor(r.startedAt / 1000) === Math.floor(inst.startedAt / 1000)) return r;
  }
  return undefined;
}
