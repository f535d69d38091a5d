// minikctl run: creates a pod from an image, as kubectl run does. With --attach (implied by
// -i/--stdin) it waits for the pod, shows what the container prints, and with --restart=Never or
// OnFailure ends with the container's exit code; --rm deletes the pod at the end.
import { readFileSync, readdirSync } from 'node:fs';
import type { Cli } from '../cli.js';
import { formatApiError } from '../cli.js';
import { CliError } from '../errors.js';
import { runGenerator, GeneratorError } from '../../client/generators/index.js';
import { generatorFailure } from './create.js';
import { checkOutputFormat, formatObjects } from '../output.js';
import { parseDryRun, dryRunSuffix } from '../dry-run.js';
import { resourceFor } from '../../apiserver/apiserver.js';
import { ApiError } from '../../apiserver/errors.js';
import type { KObject } from '../../apiserver/types.js';
import type { Client } from '../../client/client.js';
import type { Session } from '../../cluster/session.js';
import { parseGoDuration } from '../../cluster/go-duration.js';
import { containerLogs } from '../../kubelet/logs.js';
import { SHELLS, argvOf, execIn } from '../../kubelet/process.js';
import { argsLenAtDash } from '../args.js';
import { lookupImage } from '../../kubelet/catalogue.js';
import { loadNetWorld } from '../../kubelet/net/world.js';
import { podHostname } from '../../kubelet/net/tools/index.js';
import { progName } from '../../kubelet/net/tools/images.js';
import { EXEC_DEADLINE_MS, containerNet, execSpec, lineReader, printRun, readStdin, shellPrompt, shellSession } from './exec.js';

const POLL_MS = 150;
const PODS = () => resourceFor('pods');

export function register(cli: Cli): void {
  const spec = runGenerator;
  const cmd = cli.program.command('run').description('Run a particular image on the cluster').usage(spec.usage).argument('[args...]');
  // Repeatable flags (--env, --annotations) collect every value, as cobra's string arrays do.
  const collect = (v: string, prev: unknown) => [...(Array.isArray(prev) ? prev : []), v];
  for (const f of spec.flags as { flags: string; description: string; default?: unknown; repeatable?: boolean }[]) {
    if (f.repeatable) cmd.option(f.flags, f.description, collect, f.default as any);
    else cmd.option(f.flags, f.description, f.default as any);
  }
  if (!spec.flags.some((f) => f.flags.includes('--output'))) cmd.option('-o, --output <format>', 'Output format.');
  if (!spec.flags.some((f) => f.flags.includes('--dry-run'))) cmd.option('--dry-run [strategy]', 'Must be "none", "server", or "client".');
  cmd
    .option('-i, --stdin', 'Keep stdin open on the container in the pod, even if nothing is attached.')
    .option('-t, --tty', 'Allocate a TTY for the container in the pod.')
    .option('--rm', "If true, delete the pod after it exits.  Only valid when attaching to the container, e.g. with '--attach' or with '-i/--stdin'.")
    .option('--attach', "If true, wait for the Pod to start running, and then attach to the Pod as if 'kubectl attach ...' were called.  Default false, unless '-i/--stdin' is set, in which case the default is true. With '--restart=Never' the exit code of the container process is returned.")
    .option('--leave-stdin-open', 'If the pod is started in interactive mode or with stdin, leave stdin open after the first attach completes. By default, stdin will be closed after the first attach completes.')
    .option('-q, --quiet', 'If true, suppress prompt messages.')
    .option('--pod-running-timeout <duration>', 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running', '1m0s');
  cmd.action(async (args: string[], opts: any) => {
    checkOutputFormat(opts.output);
    const dryRun = parseDryRun(opts.dryRun);
    const fail = (message: string) => generatorFailure(new GeneratorError(`error: ${message}`, 'run'), 'run');
    const stdin = !!opts.stdin;
    const tty = !!opts.tty;
    // --attach defaults to -i's value unless it was given (pflag's Changed: `--attach=false` counts)
    const attachGiven = attachFlag();
    const attach = attachGiven ?? stdin;
    const remove = !!opts.rm;
    let restartPolicy = 'Always';
    // RunOptions.Run's checks, in its order (the name and --image first: the generator's)
    if (args.length > 0 && argsLenAtDash(args) !== 0 && opts.image) {
      let timeoutOk = true;
      try {
        timeoutOk = parseGoDuration(opts.podRunningTimeout) > 0;
      } catch (e) {
        throw new CliError(`error: ${(e as Error).message}\nSee 'minikctl run -h' for help and examples`);
      }
      if (!timeoutOk) throw fail('--pod-running-timeout must be higher than zero');
      if (tty && !stdin) throw fail('-i/--stdin is required for containers with -t/--tty=true');
      const restart = String(opts.restart ?? 'Always');
      if (restart === '') restartPolicy = stdin ? 'OnFailure' : 'Always';
      else if (['Always', 'OnFailure', 'Never'].includes(restart)) restartPolicy = restart;
      else throw fail(`invalid restart policy: ${restart}`);
      if (!attach && remove) throw fail('--rm should only be used for attached containers');
      if (attach && dryRun !== 'none') throw fail("--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)");
    }
    let pod: any;
    try {
      pod = spec.generate(args, opts, { namespace: cli.globals().namespace, readFile: (p) => readFileSync(p), listDir: (p) => readdirSync(p) });
    } catch (e) {
      if (e instanceof GeneratorError) throw generatorFailure(e, 'run');
      throw e;
    }
    if (dryRun === 'client') {
      cli.out(opts.output ? formatObjects([pod], opts.output, true) : `pod/${pod.metadata.name} created (dry run)\n`);
      return;
    }
    if (!attach) {
      await cli.withClient(dryRun === 'none', async (client) => {
        const created = await client.create(resourceFor('pods'), pod, { namespace: cli.globals().namespace ?? client.namespace, dryRun: dryRun === 'server', fieldManager: 'kubectl-run' });
        cli.out(opts.output ? formatObjects([created], opts.output, true) : `pod/${created.metadata!.name} created${dryRunSuffix(dryRun)}\n`);
      });
      return;
    }
    await runAttached(cli, pod, {
      stdin, tty, remove, restartPolicy, quiet: !!opts.quiet, leaveStdinOpen: !!opts.leaveStdinOpen, timeoutMs: parseGoDuration(opts.podRunningTimeout),
    });
  });
}

/** --attach as given on the command line (undefined when it was not): the CLI drops `--attach=false` */
function attachFlag(): boolean | undefined {
  let v: boolean | undefined;
  for (const a of process.argv.slice(2)) {
    if (a === '--') break;
    const m = /^--attach(?:=(.*))?$/.exec(a);
    if (m) v = m[1] === undefined || ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(m[1]);
  }
  return v;
}

interface AttachOptions {
  stdin: boolean;
  tty: boolean;
  remove: boolean;
  /** getRestartPolicy's answer (from --restart, or -i's OnFailure when it is empty) */
  restartPolicy: string;
  quiet: boolean;
  leaveStdinOpen: boolean;
  timeoutMs: number;
}

/** the container's status (kubectl run makes one container) */
const statusOf = (pod: KObject) => (pod.status?.containerStatuses ?? [])[0];
const isCompleted = (pod: KObject) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const isRunningAndReady = (pod: KObject) => pod.status?.phase === 'Running' && (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
/** the container has started at least once: a shell that reads its stdin has something to run in */
const hasStarted = (pod: KObject) => {
  const cs = statusOf(pod);
  return isCompleted(pod) || !!cs?.state?.running || !!cs?.state?.terminated || !!cs?.lastState?.terminated;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runAttached(cli: Cli, generated: KObject, o: AttachOptions): Promise<void> {
  const created = await cli.withClient(true, async (client) => {
    try {
      return await client.create(PODS(), generated, { namespace: cli.globals().namespace ?? client.namespace, fieldManager: 'kubectl-run' });
    } catch (e) {
      if (e instanceof ApiError) throw new CliError(formatApiError(e));
      throw e;
    }
  });
  const name = created.metadata!.name!;
  const namespace = created.metadata!.namespace ?? 'default';
  const container: string = created.spec?.containers?.[0]?.name;
  try {
    await attachAndWait(cli, created, name, namespace, container, o);
  } finally {
    // the deferred removeCreatedObjects: IgnoreNotFound, no waiting for the deletion to finish
    if (o.remove) {
      await cli.withClient(true, async (client) => {
        try {
          await client.delete(PODS(), name, { namespace });
          if (!o.quiet) cli.out(`pod "${name}" deleted\n`);
        } catch (e) {
          if (!(e instanceof ApiError && e.status.code === 404)) throw e;
        }
      });
    }
  }
}

/** waitForPod: looks again every POLL_MS (each look brings the cluster to the present) until cond holds */
async function waitForPod(cli: Cli, name: string, namespace: string, timeoutMs: number, cond: (p: KObject) => boolean): Promise<KObject> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pod = await cli.withClient(false, async (client) => {
      try {
        return await client.get(PODS(), name, namespace);
      } catch (e) {
        // a Deleted event: watchtools reports a NotFound without a name
        if (e instanceof ApiError && e.status.code === 404) throw new CliError('Error from server (NotFound): pods "" not found');
        throw e;
      }
    });
    if (cond(pod)) return pod;
    if (Date.now() >= deadline) throw new CliError('error: timed out waiting for the condition');
    await sleep(POLL_MS);
  }
}

/** the environment the container's log is derived with (Service links, ConfigMaps, Secrets, the network), as logs does */
async function logEnv(client: Client, pod: KObject): Promise<{ services: KObject[]; objects: KObject[]; world: ReturnType<typeof loadNetWorld> }> {
  const ns = pod.metadata?.namespace ?? 'default';
  const services: KObject[] = [];
  for (const n of new Set(['default', ns])) services.push(...(await client.list(resourceFor('services'), { namespace: n })).items);
  const objects: KObject[] = [];
  if (/"(configMapKeyRef|secretKeyRef|configMapRef|secretRef)"/.test(JSON.stringify(pod.spec ?? {}))) {
    for (const [resource, kind] of [['configmaps', 'ConfigMap'], ['secrets', 'Secret']]) {
      objects.push(...(await client.list(resourceFor(resource), { namespace: ns })).items.map((x: KObject) => ({ ...x, kind })));
    }
  }
  // the network as it is now: a container whose own command reaches it logs what it got back
  return { services, objects, world: loadNetWorld(client.api) };
}

/** the command's exit code as kubectl reports it (uexec.CodeExitError): the reason line, then the message */
function terminated(namespace: string, name: string, code: number, reason: string, message = ''): CliError {
  return new CliError(`pod ${namespace}/${name} terminated (${reason})\n${message}`, code);
}

async function attachAndWait(cli: Cli, created: KObject, name: string, namespace: string, container: string, o: AttachOptions): Promise<void> {
  const spec = created.spec?.containers?.[0] ?? {};
  // a shell that reads its script from stdin: the kubelet does not model a process's stdin, so the
  // script (or the terminal's lines) runs in the container as exec runs a command there
  const argv = argvOf(spec) ?? (lookupImage(spec.image).shell ? ['sh'] : undefined);
  const shellOnStdin = o.stdin && !!argv && argv.length === 1 && SHELLS.has(progName(argv[0]));
  const terminal = o.tty && !!process.stdin.isTTY;
  // SetupTTY: -t without a terminal on our side falls back to plain streams
  if (o.tty && !terminal && !o.quiet) cli.err('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  // a pipe's content does not depend on the cluster: read it before waiting
  const input = shellOnStdin && !terminal ? await readStdin() : '';

  if (shellOnStdin) {
    await waitForPod(cli, name, namespace, o.timeoutMs, hasStarted);
    if (!o.quiet) cli.err("If you don't see a command prompt, try pressing enter.\n");
    let code: number;
    if (terminal) {
      let prompt = '/ # ';
      await cli.withClient(false, async (client) => {
        const pod = await client.get(PODS(), name, namespace);
        prompt = shellPrompt(spec.image ?? '', progName(argv![0]), podHostname({ pod }));
      });
      code = await shellSession(lineReader(prompt), (line) => runInPod(cli, name, namespace, container, [argv![0], '-c', line], true));
    } else {
      code = input.trim() === '' ? 0 : await runInPod(cli, name, namespace, container, [argv![0], '-c', input], false);
    }
    if (!o.quiet && terminal && created.spec?.restartPolicy === 'Always') {
      cli.out(`Session ended, resume using 'minikctl attach ${name} -c ${container} -i -t' command when the pod is running\n`);
    }
    const waitForExitCode = !o.leaveStdinOpen && (o.restartPolicy === 'Never' || o.restartPolicy === 'OnFailure');
    if (!waitForExitCode || code === 0) return;
    if (o.restartPolicy === 'Never') throw terminated(namespace, name, code, 'Error');
    // OnFailure: the shell starts again with its stdin open and nobody attached; the pod never succeeds
    await sleep(o.timeoutMs);
    throw new CliError('error: timed out waiting for the condition');
  }

  // handleAttachPod: running and ready, or already completed (then its log is all there is)
  // a container that already ended and waits to start again ran (and was ready) between two looks
  // at the cluster: what it printed is in its log
  const ended = (p: KObject) => !!statusOf(p)?.state?.terminated || !!statusOf(p)?.lastState?.terminated;
  let pod = await waitForPod(cli, name, namespace, o.timeoutMs, (p) => isCompleted(p) || isRunningAndReady(p) || ended(p));
  if (!isCompleted(pod) && ended(pod)) {
    if (!o.quiet) cli.err("If you don't see a command prompt, try pressing enter.\n");
    await cli.withClient(false, async (client) => {
      const env = await logEnv(client, pod);
      for (const l of containerLogs(pod, container, client.api.clock.now(), env) ?? []) cli.out(`${l.text}\n`);
    });
  } else if (isCompleted(pod)) {
    await cli.withClient(false, async (client) => {
      const env = await logEnv(client, pod);
      for (const l of containerLogs(pod, container, client.api.clock.now(), env) ?? []) cli.out(`${l.text}\n`);
    });
  } else {
    if (!o.quiet) cli.err("If you don't see a command prompt, try pressing enter.\n");
    await followLog(cli, name, namespace, container);
    if (!o.quiet && o.stdin && terminal && created.spec?.restartPolicy === 'Always') {
      cli.out(`Session ended, resume using 'minikctl attach ${name} -c ${container} -i -t' command when the pod is running\n`);
    }
  }

  const waitForExitCode = !o.leaveStdinOpen && (o.restartPolicy === 'Never' || o.restartPolicy === 'OnFailure');
  if (!waitForExitCode) return;
  pod = await waitForPod(cli, name, namespace, o.timeoutMs, o.restartPolicy === 'OnFailure' ? (p) => p.status?.phase === 'Succeeded' : isCompleted);
  if (pod.status?.phase === 'Succeeded') return;
  if (pod.status?.phase !== 'Failed') throw new CliError(`error: pod ${namespace}/${name} left in phase ${pod.status?.phase}`);
  const t = statusOf(pod)?.state?.terminated;
  if (!t || !t.exitCode) throw new CliError(`error: pod ${namespace}/${name} failed with unknown exit code`);
  throw terminated(namespace, name, t.exitCode, t.reason ?? '', t.message ?? '');
}

/** the attached stream: the container's output as it comes, until the container ends (or the pod goes) */
async function followLog(cli: Cli, name: string, namespace: string, container: string): Promise<void> {
  let printed = 0;
  let instance: string | undefined;
  for (;;) {
    const done = await cli.withClient(false, async (client) => {
      let pod: KObject;
      try {
        pod = await client.get(PODS(), name, namespace);
      } catch {
        return true;
      }
      const cs = statusOf(pod);
      const id = `${cs?.containerID ?? ''}:${cs?.restartCount ?? 0}`;
      // a restarted container is a new instance: the attached one has ended
      if (instance !== undefined && id !== instance) return true;
      instance = id;
      const lines = containerLogs(pod, container, client.api.clock.now(), await logEnv(client, pod)) ?? [];
      for (const l of lines.slice(printed)) cli.out(`${l.text}\n`);
      printed = Math.max(printed, lines.length);
      return !cs?.state?.running;
    });
    if (done) return;
    await sleep(POLL_MS);
  }
}

/**
 * Runs argv in the pod's container as exec does (the container's files and environment, the
 * network programs along the real path); prints its output and returns its exit code. On a
 * terminal the streams are one.
 */
async function runInPod(cli: Cli, name: string, namespace: string, container: string, argv: string[], tty: boolean): Promise<number> {
  return cli.withClient(false, async (client, session: Session) => {
    let pod: KObject;
    try {
      pod = await client.get(PODS(), name, namespace);
    } catch (e) {
      if (e instanceof ApiError && e.status.code === 404) throw new CliError('error: lost connection to pod');
      throw e;
    }
    const spec = pod.spec?.containers?.find((c: any) => c.name === container);
    const world = loadNetWorld(session.api);
    const cs = statusOf(pod);
    const startedAt = Date.parse(cs?.state?.running?.startedAt ?? cs?.state?.terminated?.startedAt ?? cs?.lastState?.terminated?.startedAt ?? '') || world.now;
    const nodeUser = `system:node:${pod.spec?.nodeName}`;
    session.trace.as(nodeUser).record('attach', `pod ${namespace}/${name}`, `container ${container}: ${argv.join(' ')}`);
    const { tools, files } = containerNet(session, world, pod, container);
    const r = execIn(execSpec(pod, spec, session, world, startedAt), argv, Math.max(0, world.now - startedAt), { files, tools, deadline: EXEC_DEADLINE_MS });
    printRun(cli, r, tty);
    return r.exitCode;
  });
}
