// minikctl port-forward: kubectl's port-forward (staging/src/k8s.io/kubectl/pkg/cmd/portforward and
// client-go's tools/portforward). It binds real TCP listeners on this machine; every connection
// is carried, as the kubelet carries it, into the chosen pod's network namespace and answered by
// the server listening there (src/kubelet/net/http.ts). That path goes through the kubelet, not
// the Service: no kube-proxy rules and no NetworkPolicy apply, as in a real cluster.
import { createServer, type Server, type Socket } from 'node:net';
import { parseGoDuration } from '../../cluster/go-duration.js';
import type { Cli } from '../cli.js';
import { formatApiError, klogError } from '../cli.js';
import { CliError } from '../errors.js';
import { ApiError } from '../../apiserver/errors.js';
import { resolveResource } from '../../apiserver/resources.js';
import type { KObject } from '../../apiserver/types.js';
import type { Client } from '../../client/client.js';
import { mostActivePod, podSelectorOrFail } from '../../client/pod-for-object.js';
import { sha256Hex } from '../../kubelet/catalogue.js';
import { loadNetWorld } from '../../kubelet/net/world.js';
import type { NetWorld } from '../../kubelet/net/types.js';
import { serverNet } from '../../kubelet/net/path.js';
import { answerBytes, greeting, httpAnswer, listener, redisReply, serverAt } from '../../kubelet/net/http.js';
import type { HttpRequest } from '../../kubelet/net/types.js';

const POLL_MS = 200;
const usageError = (msg: string) => new CliError(`error: ${msg}\nSee 'minikctl port-forward -h' for help and examples`);
const LOST = 'error: lost connection to pod';

export function register(cli: Cli): void {
  cli.program
    .command('port-forward')
    .description('Forward one or more local ports to a pod')
    .usage('TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]')
    .argument('[args...]')
    .option('--address <addresses>', 'Addresses to listen on (comma separated). Only accepts IP addresses or localhost as a value. When localhost is supplied, kubectl will try to bind on both 127.0.0.1 and ::1 and will fail if neither of these addresses are available to bind.', 'localhost')
    .option('--pod-running-timeout <duration>', 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running', '1m0s')
    .action(async (args: string[], opts: any) => run(cli, args, opts));
}

// ---------------------------------------------------------------------------------------------
// Choosing the pod (polymorphichelpers.AttachablePodForObject) and its ports

/** kubectl's splitPort: "L:R" → [L, R]; anything else → [first part, first part] */
function splitPort(spec: string): [string, string] {
  const parts = spec.split(':');
  return parts.length === 2 ? [parts[0], parts[1]] : [parts[0], parts[0]];
}

const isInt = (s: string) => /^[+-]?\d+$/.test(s);

function containerPortByName(pod: KObject, name: string): number {
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === name) return p.containerPort;
  throw new CliError(`error: Pod '${pod.metadata?.name}' does not have a named port '${name}'`);
}

function servicePortByName(svc: KObject, name: string): number {
  const p = (svc.spec?.ports ?? []).find((x: any) => x.name === name);
  if (!p) throw new CliError(`error: Service '${svc.metadata?.name}' does not have a named port '${name}'`);
  return p.port;
}

/** checkUDPPorts: a remote port that only UDP uses cannot be forwarded */
function checkUdp(ports: string[], udpOnly: Set<number>, lookup: (name: string) => number): void {
  for (const spec of ports) {
    const [, remote] = splitPort(spec);
    const n = isInt(remote) ? Number(remote) : lookup(remote);
    if (udpOnly.has(n)) throw new CliError(`error: UDP protocol is not supported for ${remote}`);
  }
}

function udpOnlyOf(entries: { port: number; protocol?: string }[]): Set<number> {
  const udp = new Set<number>();
  const tcp = new Set<number>();
  for (const e of entries) {
    if (e.protocol === 'UDP') udp.add(e.port);
    else if ((e.protocol ?? 'TCP') === 'TCP') tcp.add(e.port);
  }
  return new Set([...udp].filter((p) => !tcp.has(p)));
}

/** translateServicePortToTargetPort */
export function translateServicePorts(ports: string[], svc: KObject, pod: KObject): string[] {
  return ports.map((spec) => {
    let [local, remote] = splitPort(spec);
    let num: number;
    if (isInt(remote)) num = Number(remote);
    else {
      num = servicePortByName(svc, remote);
      if (local === remote) local = String(num);
    }
    const sp = (svc.spec?.ports ?? []).find((p: any) => p.port === num);
    if (!sp) throw new CliError(`error: Service ${svc.metadata?.name} does not have a service port ${num}`);
    let target: number;
    if (svc.spec?.clusterIP === 'None') target = num;
    else if (typeof sp.targetPort === 'string') target = containerPortByName(pod, sp.targetPort);
    else target = sp.targetPort ? Number(sp.targetPort) : sp.port;
    remote = String(target);
    return local !== remote ? `${local}:${remote}` : remote;
  });
}

/** convertPodNamedPortToNumber */
export function convertPodPorts(ports: string[], pod: KObject): string[] {
  return ports.map((spec) => {
    const [local, remote] = splitPort(spec);
    if (remote === '') throw new CliError('error: remote port cannot be empty');
    const port = isInt(remote) ? remote : String(containerPortByName(pod, remote));
    return local !== remote ? `${local}:${port}` : port;
  });
}

export interface Forward {
  local: number;
  remote: number;
}

/** Go's strconv.ParseUint(s, 10, 16) error text, or the value */
function parseUint16(s: string): number | string {
  if (!/^\d+$/.test(s)) return `strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`;
  const n = Number(s);
  if (n > 65535) return `strconv.ParseUint: parsing ${JSON.stringify(s)}: value out of range`;
  return n;
}

/** client-go's parsePorts */
export function parsePorts(ports: string[]): Forward[] {
  return ports.map((spec) => {
    const parts = spec.split(':');
    let local: string;
    let remote: string;
    if (parts.length === 1) local = remote = parts[0];
    else if (parts.length === 2) {
      local = parts[0] === '' ? '0' : parts[0];
      remote = parts[1];
    } else throw new CliError(`error: invalid port format '${spec}'`);
    const l = parseUint16(local);
    if (typeof l === 'string') throw new CliError(`error: error parsing local port '${local}': ${l}`);
    const r = parseUint16(remote);
    if (typeof r === 'string') throw new CliError(`error: error parsing remote port '${remote}': ${r}`);
    if (r === 0) throw new CliError('error: remote port must be > 0');
    return { local: l, remote: r };
  });
}

interface ListenAddress {
  address: string;
  family: 4 | 6;
  /** "all": localhost's pair, which fails only when both fail; "any": an explicit address must bind */
  failureMode: 'all' | 'any';
}

/** client-go's parseAddresses: localhost is 127.0.0.1 and ::1; the list is sorted */
export function parseAddresses(list: string[]): ListenAddress[] {
  const parsed = new Map<string, ListenAddress>();
  for (const a of list) {
    if (a === 'localhost') {
      if (!parsed.has('127.0.0.1')) parsed.set('127.0.0.1', { address: '127.0.0.1', family: 4, failureMode: 'all' });
      if (!parsed.has('::1')) parsed.set('::1', { address: '::1', family: 6, failureMode: 'all' });
    } else if (/^(\d{1,3})(\.\d{1,3}){3}$/.test(a) && a.split('.').every((o) => Number(o) <= 255)) {
      parsed.set(a, { address: a, family: 4, failureMode: 'any' });
    } else if (a.includes(':') && /^[0-9a-fA-F:.]+$/.test(a)) {
      parsed.set(a, { address: a, family: 6, failureMode: 'any' });
    } else throw new CliError(`error: ${a} is not a valid IP`);
  }
  return [...parsed.values()].sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0));
}

const joinHostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** Go's net.Listen error text for a bind that failed */
function listenErrorText(family: 4 | 6, address: string, port: number, e: NodeJS.ErrnoException): string {
  const why: Record<string, string> = {
    EADDRINUSE: 'bind: address already in use',
    EACCES: 'bind: permission denied',
    EADDRNOTAVAIL: 'bind: cannot assign requested address',
    EAFNOSUPPORT: 'socket: address family not supported by protocol',
  };
  return `unable to create listener: Error listen tcp${family} ${joinHostPort(address, port)}: ${why[e.code ?? ''] ?? e.message}`;
}

function listen(address: ListenAddress, port: number, onConn: (s: Socket) => void): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer({ allowHalfOpen: false }, onConn);
    server.once('error', reject);
    server.listen({ host: address.address, port, ipv6Only: address.family === 6, exclusive: true }, () => {
      server.removeListener('error', reject);
      resolve(server);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The kubelet's side: what a forwarded connection meets inside the pod

/** the pod sandbox's id and network namespace as containerd names them (stable per pod) */
function sandboxOf(pod: KObject): { id: string; netns: string } {
  const h = sha256Hex(`sandbox:${pod.metadata?.uid ?? pod.metadata?.name}`);
  const u = sha256Hex(`netns:${pod.metadata?.uid ?? pod.metadata?.name}`);
  const netns = pod.spec?.hostNetwork ? 'host' : `/var/run/netns/cni-${u.slice(0, 8)}-${u.slice(8, 12)}-${u.slice(12, 16)}-${u.slice(16, 20)}-${u.slice(20, 32)}`;
  return { id: h, netns };
}

/** the message containerd's port forwarder writes to the error stream for a port nothing listens on */
export function refusedMessage(pod: KObject, remote: number): string {
  const { id, netns } = sandboxOf(pod);
  return `error forwarding port ${remote} to pod ${id}, uid : failed to execute portforward in network namespace "${netns}": failed to connect to localhost:${remote} inside namespace "${id}", IPv4: dial tcp4 127.0.0.1:${remote}: connect: connection refused IPv6 dial tcp6 [::1]:${remote}: connect: connection refused `;
}

/** client-go's handleConnection reporting an error stream's message through runtime.HandleError (klog) */
function unhandled(fwd: Forward, message: string): string {
  const err = `an error occurred forwarding ${fwd.local} -> ${fwd.remote}: ${message}`;
  return klogError('portforward.go:424', `"Unhandled Error" err=${JSON.stringify(err)} logger="UnhandledError"`);
}

interface ParsedRequest {
  req: HttpRequest;
  keepAlive: boolean;
  rest: Buffer;
}

/** one HTTP/1.x request off the front of buf: undefined while incomplete, 'bad' when it is not HTTP */
function takeRequest(buf: Buffer): ParsedRequest | undefined | 'bad' {
  const text = buf.toString('latin1');
  let end = text.indexOf('\r\n\r\n');
  let sep = 4;
  if (end < 0) {
    end = text.indexOf('\n\n');
    sep = 2;
  }
  const firstLine = text.split(/\r?\n/, 1)[0];
  if (!/^[A-Z]+ \S+ HTTP\/\d\.\d$/.test(firstLine)) {
    if (text.includes('\n') || buf.length > 8192) return 'bad';
    return undefined;
  }
  if (end < 0) return undefined;
  const lines = text.slice(0, end).split(/\r?\n/);
  const [method, target, version] = lines[0].split(' ');
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim()] = l.slice(i + 1).trim();
  }
  const get = (name: string) => Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  const length = Number(get('content-length') ?? 0) || 0;
  const total = end + sep + length;
  if (buf.length < total) return undefined;
  let path = target;
  const abs = /^[a-z]+:\/\/[^/]*(\/.*)?$/i.exec(target);
  if (abs) path = abs[1] ?? '/';
  const conn = (get('connection') ?? '').toLowerCase();
  const keepAlive = version === 'HTTP/1.1' ? conn !== 'close' : conn === 'keep-alive';
  return { req: { method, path, host: get('host') ?? '', headers }, keepAlive, rest: buf.subarray(total) };
}

/** RESP arrays (redis-cli) or inline commands, as many as buf holds */
function takeRedisCommands(buf: Buffer): { commands: string[][]; rest: Buffer } {
  const commands: string[][] = [];
  let s = buf.toString('latin1');
  for (;;) {
    if (s.startsWith('*')) {
      const lines = s.split('\r\n');
      const n = Number(lines[0].slice(1));
      if (lines.length < 2 + n * 2) break;
      const argv: string[] = [];
      let consumed = lines[0].length + 2;
      let ok = true;
      for (let i = 0; i < n; i++) {
        const lenLine = lines[1 + i * 2];
        const val = lines[2 + i * 2];
        if (lenLine === undefined || val === undefined || !lenLine.startsWith('$')) {
          ok = false;
          break;
        }
        argv.push(val);
        consumed += lenLine.length + 2 + val.length + 2;
      }
      if (!ok || consumed > s.length) break;
      commands.push(argv);
      s = s.slice(consumed);
    } else {
      const nl = s.indexOf('\n');
      if (nl < 0) break;
      const line = s.slice(0, nl).replace(/\r$/, '');
      s = s.slice(nl + 1);
      if (line.trim()) commands.push(line.trim().split(/\s+/));
    }
  }
  return { commands, rest: Buffer.from(s, 'latin1') };
}

// ---------------------------------------------------------------------------------------------

async function run(cli: Cli, args: string[], opts: any): Promise<void> {
  if (args.length < 2) throw usageError('TYPE/NAME and list of ports are required for port-forward');
  let timeoutMs: number;
  try {
    timeoutMs = parseGoDuration(opts.podRunningTimeout);
  } catch (e) {
    throw new CliError(`Error: invalid argument "${opts.podRunningTimeout}" for "--pod-running-timeout" flag: ${(e as Error).message}\nSee 'minikctl port-forward --help' for usage.`);
  }
  if (timeoutMs <= 0) throw usageError('--pod-running-timeout must be higher than zero');
  const portSpecs = args.slice(1);

  // Complete(): the object, then the pod it stands for (waiting for one up to the timeout)
  const first = await cli.withClient(false, async (client) => {
    const arg = args[0];
    const slash = arg.indexOf('/');
    const ri = slash < 0 ? resolveResource('pods')! : resolveResource(arg.slice(0, slash));
    if (!ri) throw new CliError(`error: the server doesn't have a resource type "${arg.slice(0, slash)}"`);
    const name = slash < 0 ? arg : arg.slice(slash + 1);
    if (!name) throw new CliError('error: arguments in resource/name form must have a single resource and name');
    let obj: KObject;
    try {
      obj = await client.get(ri, name, ri.namespaced ? client.namespace : undefined);
    } catch (e) {
      if (e instanceof ApiError) throw new CliError(formatApiError(e));
      throw e;
    }
    obj.kind ??= ri.kind;
    obj.apiVersion ??= ri.group ? `${ri.group}/${ri.version}` : ri.version;
    if (ri.kind === 'Pod') return { obj, pod: obj as KObject | undefined, selector: '' };
    const selector = podSelectorOrFail(obj, 'cannot attach to');
    return { obj, pod: await pickPod(client, obj.metadata?.namespace, selector), selector };
  });
  const { obj, selector } = first;
  let pod = first.pod;
  const deadline = Date.now() + timeoutMs;
  while (!pod) {
    if (Date.now() >= deadline) throw new CliError('error: timed out waiting for the condition');
    await new Promise((r) => setTimeout(r, POLL_MS));
    pod = await cli.withClient(false, (client) => pickPod(client, obj.metadata?.namespace, selector));
  }

  let ports: string[];
  if (obj.kind === 'Service') {
    checkUdp(portSpecs, udpOnlyOf((obj.spec?.ports ?? []).map((p: any) => ({ port: p.port, protocol: p.protocol }))), (n) => servicePortByName(obj, n));
    ports = translateServicePorts(portSpecs, obj, pod);
  } else {
    const entries = (pod.spec?.containers ?? []).flatMap((c: any) => (c.ports ?? []).map((p: any) => ({ port: p.containerPort, protocol: p.protocol })));
    checkUdp(portSpecs, udpOnlyOf(entries), (n) => containerPortByName(pod!, n));
    ports = convertPodPorts(portSpecs, pod);
  }

  // RunPortForward(): the pod must be running now
  const podName = pod.metadata!.name!;
  const namespace = pod.metadata?.namespace ?? 'default';
  const current = await cli.withClient(false, async (client) => {
    try {
      return await client.get(resolveResource('pods')!, podName, namespace);
    } catch (e) {
      if (e instanceof ApiError) throw new CliError(formatApiError(e));
      throw e;
    }
  });
  if (current.status?.phase !== 'Running') throw new CliError(`error: unable to forward port because pod is not running. Current status=${current.status?.phase ?? ''}`);

  const addresses = parseAddresses(String(opts.address).split(',').map((s) => s.trim()).filter((s) => s !== ''));
  if (addresses.length === 0) throw new CliError('error: you must specify at least 1 address');
  const forwards = parsePorts(ports);
  await forward(cli, forwards, addresses, podName, namespace);
}

/** GetFirstPod's choice: undefined while the selector matches no pod */
async function pickPod(client: Client, namespace: string | undefined, selector: string): Promise<KObject | undefined> {
  return mostActivePod((await client.list(resolveResource('pods')!, { namespace, labelSelector: selector })).items);
}

/** PortForwarder.forward(): listeners up, then connections until an interrupt or a lost pod */
async function forward(cli: Cli, forwards: Forward[], addresses: ListenAddress[], podName: string, namespace: string): Promise<void> {
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  let finish: (err?: CliError) => void = () => {};
  const done = new Promise<CliError | undefined>((resolve) => {
    finish = resolve;
  });
  let stopped = false;
  const stop = (err?: CliError) => {
    if (stopped) return;
    stopped = true;
    for (const s of servers) s.close();
    for (const s of sockets) s.destroy();
    finish(err);
  };

  // Lookups of the pod are one at a time: each brings the cluster to the present.
  let queue: Promise<unknown> = Promise.resolve();
  const lookUp = () => {
    const p = queue.then(() =>
      cli.withClient(false, async (client) => {
        let pod: KObject | undefined;
        try {
          pod = await client.get(resolveResource('pods')!, podName, namespace);
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
        }
        // the world a server in the pod sees when it calls other services (the guestbook calls redis)
        return { pod, now: client.api.clock.now(), world: loadNetWorld(client.api) };
      }),
    );
    queue = p.catch(() => undefined);
    return p;
  };
  let lastPod: KObject | undefined;
  const fail = (fwd: Forward, message: string) => {
    process.stderr.write(unhandled(fwd, message));
    stop(new CliError(LOST));
  };

  const handle = (fwd: Forward) => (sock: Socket) => {
    if (stopped) {
      sock.destroy();
      return;
    }
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => sock.destroy());
    process.stdout.write(`Handling connection for ${fwd.local}\n`);
    sock.pause();
    void (async () => {
      const { pod, now } = await lookUp();
      if (!pod) {
        // the pod (its sandbox) is gone: the kubelet cannot find it any more
        const gone = lastPod ? sandboxOf(lastPod).id : podName;
        sock.destroy();
        return fail(fwd, `error forwarding port ${fwd.remote} to pod ${gone}, uid : failed to find sandbox "${gone}" in store: not found`);
      }
      lastPod = pod;
      const l = listener(pod, fwd.remote, 'TCP', now);
      if (!l) {
        sock.destroy();
        return fail(fwd, refusedMessage(pod, fwd.remote));
      }
      serve(sock, pod, l.container, fwd.remote, lookUp);
    })().catch((e) => {
      sock.destroy();
      stop(new CliError(`error: ${(e as Error).message}`));
    });
  };

  let listened = false;
  for (const fwd of forwards) {
    const errors: string[] = [];
    const fails = { all: 0, any: 0 };
    const oks = { all: 0, any: 0 };
    for (const a of addresses) {
      try {
        const server = await listen(a, fwd.local, handle(fwd));
        const addr = server.address();
        if (addr && typeof addr === 'object') fwd.local = addr.port;
        servers.push(server);
        process.stdout.write(`Forwarding from ${joinHostPort(a.address, fwd.local)} -> ${fwd.remote}\n`);
        oks[a.failureMode]++;
      } catch (e) {
        errors.push(listenErrorText(a.family, a.address, fwd.local, e as NodeJS.ErrnoException));
        fails[a.failureMode]++;
      }
    }
    if ((oks.all === 0 && fails.all > 0) || fails.any > 0) {
      process.stderr.write(`Unable to listen on port ${fwd.local}: Listeners failed to create with the following errors: [${errors.join(' ')}]\n`);
    } else listened = true;
  }
  if (!listened) {
    stop();
    throw new CliError(`error: unable to listen on any of the requested ports: [${forwards.map((f) => `{${f.local} ${f.remote}}`).join(' ')}]`);
  }

  // Ctrl-C ends the forwarding cleanly (exit 0), as kubectl's signal handler does. kubectl does
  // not catch SIGTERM: it dies of it; the listeners are closed first, then the signal is raised again.
  const onInt = () => stop();
  const onTerm = () => {
    stop();
    process.removeListener('SIGTERM', onTerm);
    process.kill(process.pid, 'SIGTERM');
  };
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  const err = await done;
  process.removeListener('SIGINT', onInt);
  if (err) throw err;
}

/** One forwarded connection, spoken as the server inside the pod speaks. */
function serve(sock: Socket, firstPod: KObject, container: string, port: number, lookUp: () => Promise<{ pod?: KObject; now: number; world: NetWorld }>): void {
  const server = serverAt(firstPod, container, port);
  const hello = greeting(firstPod, container, port);
  if (hello) sock.write(Buffer.from(hello, 'latin1'));
  let buf: Buffer = Buffer.alloc(0);
  let busy = false;
  const store = new Map<string, string>();

  const pump = async () => {
    if (busy) return;
    busy = true;
    try {
      while (!sock.destroyed) {
        if (server === 'redis' && !/^[A-Z]+ \S+ HTTP\//.test(buf.toString('latin1', 0, Math.min(buf.length, 64)))) {
          // redis-cli and friends: RESP or inline commands
          const { commands, rest } = takeRedisCommands(buf);
          buf = rest;
          if (commands.length === 0) break;
          for (const argv of commands) {
            const r = redisReply(argv, store);
            if (r.reply) sock.write(r.reply);
            if (r.close) {
              sock.end();
              return;
            }
          }
          continue;
        }
        const parsed = takeRequest(buf);
        if (parsed === undefined) break;
        if (parsed === 'bad') {
          // Go's net/http (and nginx) refuse a request line they cannot read, and close
          sock.end('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request');
          return;
        }
        buf = parsed.rest;
        const { pod, now, world } = await lookUp();
        if (!pod) {
          sock.destroy();
          return;
        }
        const answer = httpAnswer(pod, container, port, parsed.req, now, undefined, serverNet(world, pod, container));
        if (answer.kind === 'close') {
          sock.end();
          return;
        }
        if (answer.kind === 'raw') {
          // a server that does not speak HTTP writes its words and (redis, at the Host: line) hangs up
          sock.end(Buffer.from(answer.text, 'latin1'));
          return;
        }
        sock.write(answerBytes(answer));
        const closes = answer.headers.some(([k, v]) => k.toLowerCase() === 'connection' && v.toLowerCase() === 'close');
        if (!parsed.keepAlive || closes) {
          sock.end();
          return;
        }
      }
    } finally {
      busy = false;
    }
  };

  sock.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    void pump().catch(() => sock.destroy());
  });
  sock.resume();
}
