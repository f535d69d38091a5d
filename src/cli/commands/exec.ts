// minikctl exec: runs a command in a container, as kubectl exec does through the apiserver's exec
// subresource and the node's kubelet. The command is interpreted against the container's files
// (src/kubelet/process.ts) with the network programs of src/kubelet/net/tools plugged in, so that
// `exec POD -- wget -qO- my-svc` sends a request along the real path (CoreDNS, the source node's
// kube-proxy rules, the CNI's policies, the container listening). A reader: it moves no clock.
// With --trace, every hop of that path is a step of the trace.
import { createHash, randomInt } from 'node:crypto';
import type { Cli } from '../cli.js';
import { formatApiError } from '../cli.js';
import { CliError } from '../errors.js';
import { ApiError } from '../../apiserver/errors.js';
import { resolveResource } from '../../apiserver/resources.js';
import type { KObject } from '../../apiserver/types.js';
import type { Client } from '../../client/client.js';
import type { Session } from '../../cluster/session.js';
import { parseGoDuration } from '../../cluster/go-duration.js';
import { allContainers, defaultContainer, mostActivePod, podSelectorOrFail } from '../../client/pod-for-object.js';
import { SHELLS, execIn, type ContainerSpecLike, type ExecTools } from '../../kubelet/process.js';
import { argsLenAtDash } from '../args.js';
import { containerEnv } from '../../kubelet/logs.js';
import { loadNetWorld } from '../../kubelet/net/world.js';
import { toolContext } from '../../kubelet/net/path.js';
import type { Hop, NetWorld } from '../../kubelet/net/types.js';
import { netTools, podHostname } from '../../kubelet/net/tools/index.js';
import { hasProgram, progName, userlandOf } from '../../kubelet/net/tools/images.js';
import { podNetFiles } from '../../kubelet/net/container.js';

const POLL_MS = 200;
/** a command's time limit: long enough for a TCP connect to give up (127 s) several times */
export const EXEC_DEADLINE_MS = 15 * 60_000;

export function register(cli: Cli): void {
  cli.program
    .command('exec')
    .description('Execute a command in a container.')
    .usage('(POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]')
    .argument('[args...]')
    .option('-c, --container <name>', 'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen')
    .option('-f, --filename <file>', 'to use to exec into the resource')
    .option('--pod-running-timeout <duration>', 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running', '1m0s')
    .option('-q, --quiet', 'Only print output from the remote session')
    .option('-i, --stdin', 'Pass stdin to the container')
    .option('-t, --tty', 'Stdin is a TTY')
    .action(async (args: string[], opts: any) => run(cli, args, opts));
}

const apiError = (e: unknown) => (e instanceof ApiError ? new CliError(formatApiError(e)) : e);

type Found = { pod: KObject } | { wait: { namespace: string; selector: string } };

async function findPod(client: Client, resourceName: string): Promise<Found> {
  const ns = client.namespace;
  const slash = resourceName.indexOf('/');
  const podsRi = resolveResource('pods')!;
  const ri = slash < 0 ? podsRi : resolveResource(resourceName.slice(0, slash));
  if (!ri) throw new CliError(`error: the server doesn't have a resource type "${resourceName.slice(0, slash)}"`);
  const name = slash < 0 ? resourceName : resourceName.slice(slash + 1);
  let obj: KObject;
  try {
    obj = await client.get(ri, name, ri.namespaced ? ns : undefined);
  } catch (e) {
    throw apiError(e);
  }
  if (ri.kind === 'Pod') return { pod: obj };
  obj = { ...obj, kind: ri.kind, apiVersion: ri.group ? `${ri.group}/${ri.version}` : ri.version };
  const selector = podSelectorOrFail(obj, 'cannot attach to');
  const namespace = obj.metadata?.namespace ?? ns;
  const pods: KObject[] = (await client.list(podsRi, { namespace, labelSelector: selector })).items;
  if (!pods.length) return { wait: { namespace, selector } };
  return { pod: mostActivePod(pods)! };
}

/** what the apiserver and the kubelet refuse before a command can run (server side) */
function refusal(pod: KObject, container: string, machineRunning: boolean | undefined): CliError | undefined {
  const name = pod.metadata?.name ?? '';
  if (!allContainers(pod).some((c) => c.name === container)) return new CliError(`Error from server (BadRequest): container ${container} is not valid for pod ${name}`);
  if (!pod.spec?.nodeName) return new CliError(`Error from server (BadRequest): pod ${name} does not have a host assigned`);
  if (machineRunning === false) return new CliError(`Error from server: error dialing backend: dial tcp ${pod.status?.hostIP ?? ''}:10250: connect: no route to host`);
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])];
  const cs = statuses.find((s: any) => s.name === container);
  if (!cs?.state?.running) return new CliError(`error: unable to upgrade connection: container not found ("${container}")`);
  return undefined;
}

/**
 * The network programs and resolver files of a command run in the container (exec, run's attached
 * shell), with every hop recorded in the session's trace.
 */
export function containerNet(session: Session, world: NetWorld, pod: KObject, container: string): { tools: ExecTools; files: Record<string, string> } {
  const record = (h: Hop) => session.trace.as(h.component).record(h.action, h.object, h.detail);
  // kube-proxy's statistic match is random per connection: each command draws afresh (the virtual
  // clock stands still between commands in instant and manual time, so it cannot be the seed)
  const tools = netTools(toolContext(world, pod, container, { seed: randomInt(2 ** 32), onHop: record }));
  return { tools, files: podNetFiles(pod, world) };
}

/** a command's output as kubectl prints it: on a TTY the streams are one (a real one would also turn \n into \r\n) */
export function printRun(cli: Cli, r: { stdout: string[]; stderr: string[] }, tty: boolean): void {
  if (r.stdout.length) cli.out(`${r.stdout.join('\n')}\n`);
  if (r.stderr.length) (tty ? cli.out : cli.err)(`${r.stderr.join('\n')}\n`);
}

/** the prompt of an interactive shell as root in / (busybox ash, Debian's dash, bash) */
export function shellPrompt(image: string, shell: string, hostname: string): string {
  const u = userlandOf(image);
  if (shell === 'bash' || (u.shell === 'bash' && shell === 'sh')) return `root@${hostname}:/# `;
  return u.shell === 'dash' ? '# ' : '/ # ';
}

/** a terminal's lines, with the prompt shown before each (Ctrl-D ends them) */
export async function* lineReader(prompt: string): AsyncGenerator<string> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt, terminal: true });
  rl.prompt();
  try {
    for await (const line of rl) {
      yield line;
      rl.prompt();
    }
  } finally {
    rl.close();
  }
}

/**
 * An interactive shell session: each line runs as a command; `exit [N]` ends it with N (or the last
 * status), as does the end of input (Ctrl-D). Returns the shell's exit code.
 */
export async function shellSession(lines: AsyncIterable<string>, runLine: (line: string) => Promise<number>): Promise<number> {
  let last = 0;
  for await (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    const exit = /^exit(?:\s+(\d+))?$/.exec(line);
    if (exit) return exit[1] === undefined ? last : Number(exit[1]) & 255;
    last = await runLine(line);
  }
  return last;
}

/** containerd's exec ID: 64 hex digits (derived from the request, so the same command gives the same text) */
function execId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** the container's environment as its processes see it: HOSTNAME, its env (valueFrom resolved), the Service links */
export function execSpec(pod: KObject, spec: any, session: Session, world: ReturnType<typeof loadNetWorld>, startedAt: number): ContainerSpecLike {
  const ns = pod.metadata?.namespace ?? 'default';
  const refers = /"(configMapKeyRef|secretKeyRef|configMapRef|secretRef)"/.test(JSON.stringify(spec));
  const objects = refers
    ? [...session.api.store.list('configmaps', ns).map((o) => ({ ...o, kind: 'ConfigMap' })), ...session.api.store.list('secrets', ns).map((o) => ({ ...o, kind: 'Secret' }))]
    : [];
  const resolved = containerEnv(pod, spec, { services: world.services, objects, startedAt });
  const env: { name: string; value: string }[] = [{ name: 'HOSTNAME', value: podHostname({ pod }) }];
  for (const e of spec.env ?? []) {
    const v = resolved[e.name] ?? e.value;
    if (v !== undefined) env.push({ name: e.name, value: v });
  }
  for (const [k, v] of Object.entries(resolved)) if (!env.some((e) => e.name === k)) env.push({ name: k, value: v });
  return { ...spec, env };
}

async function run(cli: Cli, args: string[], opts: any): Promise<void> {
  const atDash = argsLenAtDash(args);
  let resourceName = '';
  let command: string[] = [];
  if (args.length > 0 && atDash !== 0) resourceName = args[0];
  if (atDash > -1) command = args.slice(atDash);
  else if (args.length > 1) throw new CliError("Error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'minikctl exec -h' for help and examples");
  const timeoutMs = (() => {
    try {
      return parseGoDuration(opts.podRunningTimeout);
    } catch (e) {
      throw new CliError(`error: ${(e as Error).message}\nSee 'minikctl exec -h' for help and examples`);
    }
  })();
  if (!resourceName && !opts.filename) throw new CliError('error: pod, type/name or --filename must be specified');
  if (command.length === 0) throw new CliError('error: you must specify at least one command for the container');
  if (opts.filename) throw new CliError('error: --filename is not supported by minikctl exec; name the pod (POD or TYPE/NAME)');

  const quiet = !!opts.quiet;
  const warn = (s: string) => cli.err(s);
  // stdin is read before the cluster is opened: a pipe's content does not depend on the cluster
  const input = opts.stdin ? await readStdin() : '';
  if (opts.stdin && opts.tty && !process.stdin.isTTY && !quiet) warn('Unable to use a TTY - input is not a terminal or the right kind of file\n');

  // GetFirstPod waits (up to --pod-running-timeout) for a workload's first pod; the command runs in
  // the same look at the cluster that found it (so --trace prints one trace)
  const deadline = Date.now() + timeoutMs;
  // `exec -it POD -- sh` on a terminal: an interactive shell, each line run against the cluster as it is then
  const interactive = !!opts.stdin && !!opts.tty && !!process.stdin.isTTY && SHELLS.has(progName(command[0] ?? '')) && !command.includes('-c');
  let current = interactive ? [command[0], '-c', ':'] : command;
  let currentInput = input;
  let said = quiet;
  let image = '';
  let hostname = '';
  let code: number | undefined;
  for (;;) {
    code = await cli.withClient(false, (client, session) => runIn(client, session));
    if (code !== undefined) break;
    if (Date.now() >= deadline) throw new CliError('error: timed out waiting for the condition');
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  if (interactive) {
    code = await shellSession(lineReader(shellPrompt(image, progName(command[0]), hostname)), async (line) => {
      current = [command[0], '-c', line];
      currentInput = '';
      const c = await cli.withClient(false, (client, session) => runIn(client, session));
      // the pod went away under the session: the connection to it is lost
      if (c === undefined) throw new CliError('error: lost connection to pod');
      return c;
    });
  }

  async function runIn(client: Client, session: Session): Promise<number | undefined> {
    const command = current;
    const input = currentInput;
    const found = await findPod(client, resourceName);
    if (!('pod' in found)) return undefined;
    const pod = found.pod;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') throw new CliError(`error: cannot exec into a container in a completed pod; current phase is ${phase}`);
    const container: string = opts.container ?? defaultContainer(pod, said, warn);
    said = true;
    const world = loadNetWorld(session.api);
    const machine = world.config.nodes.find((m) => m.name === pod.spec?.nodeName);
    const refused = refusal(pod, container, machine?.running);
    if (refused) throw refused;

    const spec = allContainers(pod).find((c) => c.name === container);
    image = spec.image ?? '';
    hostname = podHostname({ pod });
    const cs = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])].find((s: any) => s.name === container);
    const startedAt = Date.parse(cs?.state?.running?.startedAt ?? '') || world.now;
    const nodeUser = `system:node:${pod.spec?.nodeName}`;
    session.trace.as(nodeUser).record('exec', `pod ${pod.metadata?.namespace}/${pod.metadata?.name}`, `container ${container}: ${command.join(' ')}`);

    // the command must exist in the image (runc's exec fails before anything runs)
    const prog = progName(command[0]);
    if (!hasProgram(spec.image, prog)) {
      const id = execId(`${pod.metadata?.uid}/${container}/${command.join(' ')}/${world.now}`);
      throw new CliError(`error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${id}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${prog}": executable file not found in $PATH: unknown`);
    }

    const { tools, files } = containerNet(session, world, pod, container);
    let argv = command;
    const stdinLines = input === '' ? undefined : input.replace(/\n$/, '').split('\n');
    let direct: ReturnType<typeof tools> | undefined;
    if (stdinLines) {
      // -i: a shell reads its script from stdin; a network program sends it
      if (SHELLS.has(prog) && !command.includes('-c')) argv = [command[0], '-c', input];
      else direct = tools(command, stdinLines);
      if (!direct && prog === 'cat' && command.length === 1) direct = { exitCode: 0, stdout: stdinLines, stderr: [] };
    }
    const r = direct ?? execIn(execSpec(pod, spec, session, world, startedAt), argv, Math.max(0, world.now - startedAt), { files, tools, deadline: EXEC_DEADLINE_MS });
    printRun(cli, r, !!opts.tty && !!opts.stdin && !!process.stdin.isTTY);
    session.trace.as(nodeUser).record('exec ended', `pod ${pod.metadata?.namespace}/${pod.metadata?.name}`, `container ${container}: exit code ${r.exitCode}`);
    return r.exitCode;
  }
  if (code !== 0) {
    // kubectl reports the remote exit code and exits with it
    cli.err(`command terminated with exit code ${code}\n`);
    process.exitCode = code;
  }
}

