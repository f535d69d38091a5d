// minikctl logs: a container's log as the kubelet would stream it through the apiserver. The lines
// come from the kubelet model (src/kubelet/logs.ts); which pod and container, and every refusal,
// follow kubectl (client side) and the apiserver/kubelet (server side, "Error from server").
import { parseGoDuration as parseDuration } from '../../cluster/go-duration.js';
import type { Cli } from '../cli.js';
import { formatApiError } from '../cli.js';
import { CliError } from '../errors.js';
import { ApiError } from '../../apiserver/errors.js';
import { resolveResource } from '../../apiserver/resources.js';
import type { KObject } from '../../apiserver/types.js';
import type { Client } from '../../client/client.js';
// the unit tests read these through this module
export { allContainerNames, byLogging } from '../../client/pod-for-object.js';
import { allContainerNames, byLogging, defaultContainer, podSelectorOrFail } from '../../client/pod-for-object.js';
import { containerLogs, type LogLine } from '../../kubelet/logs.js';
import { usesNetwork } from '../../kubelet/net/container.js';
import { loadNetWorld } from '../../kubelet/net/world.js';
import type { NetWorld } from '../../kubelet/net/types.js';

const USAGE = "logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]";
/** kubectl's --tail default when pods are picked by a selector. */
const SELECTOR_TAIL = 10;
const POLL_MS = 200;

const usageError = (msg: string) => new CliError(`error: ${msg}\nSee 'minikctl logs -h' for help and examples`);
const badRequest = (msg: string) => new CliError(`Error from server (BadRequest): ${msg}`);

export interface LogOptions {
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tail?: number;
  sinceMs?: number;
  sinceTime?: number;
  limitBytes?: number;
  prefix: boolean;
}

/** One log stream: a container of a pod (kubectl's map of object references to requests). */
interface Stream {
  namespace: string;
  pod: string;
  container: string;
  fieldPath: string;
}

export function register(cli: Cli): void {
  cli.program
    .command('logs')
    .description('Print the logs for a container in a pod')
    .usage('[-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]')
    .argument('[args...]')
    .option('--all-containers', "Get all containers' logs in the pod(s).")
    .option('--all-pods', 'Get logs from all pod(s). Sets prefix to true.')
    .option('-c, --container <name>', 'Print the logs of this container')
    .option('-f, --follow', 'Specify if the logs should be streamed.')
    .option('--ignore-errors', 'If watching / following pod logs, allow for any errors that occur to be non-fatal')
    .option('--insecure-skip-tls-verify-backend', 'Skip verifying the identity of the kubelet that logs are requested from.')
    .option('--limit-bytes <n>', 'Maximum bytes of logs to return. Defaults to no limit.')
    .option('--max-log-requests <n>', 'Specify maximum number of concurrent logs to follow when using by a selector. Defaults to 5.', '5')
    .option('--pod-running-timeout <duration>', 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running', '20s')
    .option('--prefix', 'Prefix each log line with the log source (pod name and container name)')
    .option('-p, --previous', 'If true, print the logs for the previous instance of the container in a pod if it exists.')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on.')
    .option('--since <duration>', 'Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all logs. Only one of since-time / since may be used.')
    .option('--since-time <time>', 'Only return logs after a specific date (RFC3339). Defaults to all logs. Only one of since-time / since may be used.')
    .option('--tail <n>', 'Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided.')
    .option('--timestamps', 'Include timestamps on each line in the log output')
    .action(async (args: string[], opts: any) => run(cli, args, opts));
}

/** a duration flag's value (Go's time.ParseDuration), with pflag's words when it is not one */
export function parseGoDuration(flag: string, v: string): number {
  try {
    return parseDuration(v);
  } catch (e) {
    throw new CliError(`Error: invalid argument "${v}" for "${flag}" flag: ${(e as Error).message}\nSee 'minikctl logs --help' for usage.`);
  }
}

function intFlag(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new CliError(`Error: invalid argument "${v}" for "${flag}" flag: strconv.ParseInt: parsing "${v}": invalid syntax\nSee 'minikctl logs --help' for usage.`);
  return Number(v);
}


function findContainer(pod: KObject, name: string): string | undefined {
  if ((pod.spec?.containers ?? []).some((c: any) => c.name === name)) return `spec.containers{${name}}`;
  if ((pod.spec?.initContainers ?? []).some((c: any) => c.name === name)) return `spec.initContainers{${name}}`;
  if ((pod.spec?.ephemeralContainers ?? []).some((c: any) => c.name === name)) return `spec.ephemeralContainers{${name}}`;
  return undefined;
}

/** logsForObject for one pod: the streams it asks for, with kubectl's defaulting and notes. */
function podStreams(pod: KObject, container: string | undefined, allContainers: boolean, quiet: boolean, warn: (s: string) => void): Stream[] {
  const ns = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  const stream = (c: string): Stream => {
    const fieldPath = findContainer(pod, c);
    if (!fieldPath) throw new CliError(`error: container ${c} is not valid for pod ${name} out of: ${allContainerNames(pod)}`);
    return { namespace: ns, pod: name, container: c, fieldPath };
  };
  if (allContainers) {
    return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].map((c: any) => stream(c.name));
  }
  return [stream(container || defaultContainer(pod, quiet, warn))];
}

/** What the apiserver and kubelet refuse before a log can stream (validateContainerLogStatus). */
export function logStatusError(pod: KObject, container: string, previous: boolean): string | undefined {
  const name = pod.metadata?.name ?? '';
  if (!pod.spec?.nodeName) return `pod ${name} does not have a host assigned`;
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])];
  const cs = statuses.find((s: any) => s.name === container);
  if (!cs) return `container "${container}" in pod "${name}" is not available`;
  const last = cs.lastState?.terminated;
  const { waiting, running, terminated } = cs.state ?? {};
  if (previous) {
    if (!last || !last.containerID) return `previous terminated container "${container}" in pod "${name}" not found`;
    return undefined;
  }
  if (running || terminated || last) return undefined;
  if (waiting) {
    if (waiting.reason === 'ErrImagePull') return `container "${container}" in pod "${name}" is waiting to start: image can't be pulled`;
    if (waiting.reason === 'ImagePullBackOff') return `container "${container}" in pod "${name}" is waiting to start: trying and failing to pull image`;
    return `container "${container}" in pod "${name}" is waiting to start: ${waiting.reason ?? ''}`;
  }
  return `container "${container}" in pod "${name}" is waiting to start - no logs yet`;
}

/** RFC3339Nano as the kubelet writes it: UTC, trailing zeros of the fraction dropped. */
export function logTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d*?)0*Z$/, (_m, f: string) => (f ? `.${f}Z` : 'Z'));
}

/** The kubelet's view of a log request: --since/--since-time/--tail applied, then --timestamps. */
export function selectLines(lines: LogLine[], now: number, o: Pick<LogOptions, 'tail' | 'sinceMs' | 'sinceTime'>): LogLine[] {
  let out = lines;
  if (o.tail !== undefined && o.tail >= 0) out = o.tail === 0 ? [] : out.slice(-o.tail);
  const since = o.sinceTime ?? (o.sinceMs !== undefined ? now - o.sinceMs : undefined);
  if (since !== undefined) out = out.filter((l) => l.time >= since);
  return out;
}

const render = (l: LogLine, o: LogOptions, s: Stream) => `${o.prefix ? `[pod/${s.pod}/${s.container}] ` : ''}${o.timestamps ? `${logTimestamp(l.time)} ` : ''}${l.text}\n`;

/** The container instance a stream reads: the stream of a followed container ends with it. */
const instanceOf = (pod: KObject, container: string) => {
  const cs = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((s: any) => s.name === container);
  return { running: !!cs?.state?.running, id: `${cs?.containerID ?? ''}:${cs?.restartCount ?? 0}` };
};

/** The pods named by the arguments, or the selector to wait on when a workload has no pod yet. */
async function resolvePods(client: Client, args: string[], opts: any, warn: (s: string) => void): Promise<KObject[] | { namespace: string; selector: string }> {
  const ns = client.namespace;
  const podsRi = resolveResource('pods')!;
  if (opts.selector) {
    const pods: KObject[] = (await client.list(podsRi, { labelSelector: opts.selector })).items;
    if (pods.length === 0) warn(`No resources found in ${ns} namespace.\n`);
    return pods;
  }
  const arg = args[0];
  const slash = arg.indexOf('/');
  const ri = slash < 0 ? podsRi : resolveResource(arg.slice(0, slash));
  if (!ri) throw new CliError(`error: the server doesn't have a resource type "${arg.slice(0, slash)}"`);
  const name = slash < 0 ? arg : arg.slice(slash + 1);
  let obj: KObject;
  try {
    obj = await client.get(ri, name, ri.namespaced ? ns : undefined);
  } catch (e) {
    if (e instanceof ApiError) throw new CliError(formatApiError(e));
    throw e;
  }
  obj.kind ??= ri.kind;
  obj.apiVersion ??= ri.group ? `${ri.group}/${ri.version}` : ri.version;
  if (ri.kind === 'Pod') return [obj];
  const selector = podSelectorOrFail(obj, 'cannot get the logs from');
  return pickPods(await listPods(client, obj.metadata?.namespace, selector), opts, warn) ?? { namespace: obj.metadata?.namespace ?? ns, selector };
}

const listPods = async (client: Client, namespace: string | undefined, selector: string): Promise<KObject[]> =>
  (await client.list(resolveResource('pods')!, { namespace, labelSelector: selector })).items;

/** GetFirstPod's choice among a workload's pods (all of them with --all-pods); undefined when none. */
function pickPods(pods: KObject[], opts: any, warn: (s: string) => void): KObject[] | undefined {
  if (pods.length === 0) return undefined;
  const sorted = pods.map((p, i) => ({ p, i })).sort((a, b) => byLogging(a.p, b.p) || a.i - b.i).map((x) => x.p);
  if (opts.allPods) return sorted;
  if (pods.length > 1) warn(`Found ${pods.length} pods, using pod/${sorted[0].metadata?.name}\n`);
  return [sorted[0]];
}

async function run(cli: Cli, args: string[], opts: any): Promise<void> {
  if (args.length === 0 && !opts.selector) throw usageError(`expected '${USAGE}'.\nPOD or TYPE/NAME is a required argument for the logs command`);
  if (args.length === 1 && opts.selector) throw usageError('only a selector (-l) or a POD name is allowed');
  if (args.length > 2) throw usageError(`expected '${USAGE}'.\nPOD or TYPE/NAME is a required argument for the logs command`);
  const containerSpecified = opts.container !== undefined;
  const container: string | undefined = args.length === 2 ? args[1] : opts.container;
  const sinceMs = opts.since !== undefined ? Math.round(parseGoDuration('--since', opts.since) / 1000) * 1000 : undefined;
  let sinceTime: number | undefined;
  if (opts.sinceTime) {
    sinceTime = Date.parse(opts.sinceTime);
    if (Number.isNaN(sinceTime) || !/^\d{4}-\d{2}-\d{2}T/.test(opts.sinceTime)) throw new CliError(`error: parsing time "${opts.sinceTime}" as "2006-01-02T15:04:05Z07:00": cannot parse "${opts.sinceTime}" as "2006"`);
  }
  const tailFlag = intFlag('--tail', opts.tail);
  const limitBytes = intFlag('--limit-bytes', opts.limitBytes) ?? 0;
  const maxRequests = intFlag('--max-log-requests', opts.maxLogRequests) ?? 5;
  const tail = opts.selector && tailFlag === undefined ? SELECTOR_TAIL : tailFlag !== undefined && tailFlag !== -1 ? tailFlag : undefined;
  const o: LogOptions = { container, follow: !!opts.follow, previous: !!opts.previous, timestamps: !!opts.timestamps, tail, sinceMs: sinceMs || undefined, sinceTime, limitBytes: limitBytes || undefined, prefix: !!opts.prefix || !!opts.allPods };
  const warn = (s: string) => cli.err(s);
  let budget = o.limitBytes ?? Infinity;
  const write = (s: string) => {
    if (budget <= 0) return;
    const buf = Buffer.from(s);
    cli.out(buf.length <= budget ? s : buf.subarray(0, budget).toString());
    budget -= buf.length;
  };

  // GetFirstPod waits (up to --pod-running-timeout) for a workload's first pod; each look brings
  // the cluster up to the present, so the pod can appear meanwhile.
  const timeoutMs = parseGoDuration('--pod-running-timeout', opts.podRunningTimeout);
  const deadline = Date.now() + timeoutMs;
  let resolved = await cli.withClient(false, (client) => resolvePods(client, args, opts, warn));
  while (!Array.isArray(resolved)) {
    if (Date.now() >= deadline) throw new CliError('error: timed out waiting for the condition');
    await new Promise((r) => setTimeout(r, POLL_MS));
    const { namespace, selector } = resolved;
    resolved = await cli.withClient(false, async (client) => pickPods(await listPods(client, namespace, selector), opts, warn) ?? resolved);
  }
  const picked = resolved;
  const { streams, pods, now, env } = await cli.withClient(false, async (client) => {
    // Re-read so that the streams start from the present (the pods may have moved on while waiting).
    const found: KObject[] = [];
    for (const p of picked) {
      try {
        found.push(await client.get(resolveResource('pods')!, p.metadata!.name!, p.metadata?.namespace));
      } catch (e) {
        if (e instanceof ApiError) throw new CliError(formatApiError(e));
        throw e;
      }
    }
    // Validate() runs after the objects are fetched, as in kubectl (a missing pod is reported first).
    if (sinceTime !== undefined && sinceMs) throw new CliError('error: at most one of `sinceTime` or `sinceSeconds` may be specified');
    if (opts.allContainers && container) throw new CliError(`error: --all-containers=true should not be specified with container name ${container}`);
    if (containerSpecified && args.length === 2) throw new CliError('error: only one of -c or an inline [CONTAINER] arg is allowed');
    if (limitBytes < 0) throw new CliError('error: --limit-bytes must be greater than 0');
    if (sinceMs !== undefined && sinceMs < 0) throw new CliError('error: --since must be greater than 0');
    if (tail !== undefined && tail < -1) throw new CliError('error: --tail must be greater than or equal to -1');

    const streams: Stream[] = [];
    const allPods = !!opts.allPods;
    for (const p of found) streams.push(...podStreams(p, container, !!opts.allContainers, allPods, warn));
    // What the containers' environment was made of (Service links, ConfigMaps, Secrets), for
    // the output of commands that print it (printenv, env, echo $VAR).
    const env = { services: [] as KObject[], objects: [] as KObject[], world: undefined as NetWorld | undefined };
    const podNamespaces = new Set(found.map((p) => p.metadata?.namespace ?? 'default'));
    for (const ns of new Set(['default', ...podNamespaces])) env.services.push(...(await client.list(resolveResource('services')!, { namespace: ns })).items);
    const refersToObjects = found.some((p) => /"(configMapKeyRef|secretKeyRef|configMapRef|secretRef)"/.test(JSON.stringify(p.spec ?? {})));
    for (const ns of refersToObjects ? podNamespaces : []) {
      for (const [resource, kind] of [['configmaps', 'ConfigMap'], ['secrets', 'Secret']]) {
        env.objects.push(...(await client.list(resolveResource(resource)!, { namespace: ns })).items.map((o: KObject) => ({ ...o, kind })));
      }
    }
    // a container whose command reaches the network: its lines come from the network (and what its kubelet kept)
    if (found.some((p) => (p.spec?.containers ?? []).concat(p.spec?.initContainers ?? []).some((c: any) => usesNetwork(c)))) env.world = loadNetWorld(client.api);
    return { streams, env, pods: new Map(found.map((p) => [`${p.metadata?.namespace}/${p.metadata?.name}`, p])), now: client.api.clock.now() };
  });

  if (o.follow && streams.length > 1 && streams.length > maxRequests) {
    throw new CliError(`error: you are attempting to follow ${streams.length} log streams, but maximum allowed concurrency is ${maxRequests}, use --max-log-requests to increase the limit`);
  }

  // The first read of every stream; a refusal ends the command (unless --ignore-errors while following).
  const consumed = new Map<Stream, { count: number; instance: string }>();
  for (const s of streams) {
    const pod = pods.get(`${s.namespace}/${s.pod}`)!;
    const refusal = logStatusError(pod, s.container, o.previous);
    if (refusal) {
      if (o.follow && opts.ignoreErrors && streams.length > 1) {
        write(`error: ${refusal}\n`);
        continue;
      }
      throw badRequest(refusal);
    }
    const lines = containerLogs(pod, s.container, now, { previous: o.previous, ...env }) ?? [];
    for (const l of selectLines(lines, now, o)) write(render(l, o, s));
    consumed.set(s, { count: lines.length, instance: instanceOf(pod, s.container).id });
  }
  if (!o.follow || o.previous) return;

  // -f: look again every POLL_MS (each look brings the cluster up to the present) until every
  // followed container has stopped, or the user interrupts.
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSigint);
  try {
    const live = new Set([...consumed.keys()].filter((s) => instanceOf(pods.get(`${s.namespace}/${s.pod}`)!, s.container).running));
    while (live.size > 0 && !interrupted) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      if (interrupted) break;
      await cli.withClient(false, async (client) => {
        const t = client.api.clock.now();
        for (const s of [...live]) {
          let pod: KObject | undefined;
          try {
            pod = await client.get(resolveResource('pods')!, s.pod, s.namespace);
          } catch {
            pod = undefined;
          }
          const state = consumed.get(s)!;
          if (!pod) {
            live.delete(s);
            continue;
          }
          const inst = instanceOf(pod, s.container);
          // A restarted container is a new instance: the stream of the old one has ended.
          if (inst.id !== state.instance) {
            live.delete(s);
            continue;
          }
          const lines = containerLogs(pod, s.container, t, { ...env, world: env.world && loadNetWorld(client.api, t) }) ?? [];
          for (const l of lines.slice(state.count)) write(render(l, o, s));
          state.count = Math.max(state.count, lines.length);
          if (!inst.running) live.delete(s);
        }
      });
    }
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  // kubectl does not catch the interrupt: it ends as a process killed by SIGINT does.
  if (interrupted) process.exitCode = 130;
}
