// minikctl top node|pod: what metrics-server would report, as kubectl top prints it. A pod's usage
// is what its running containers use (src/kubelet/usage.ts); a node's is the sum over its pods plus
// what the node itself (kubelet, container runtime, OS) uses. Percentages are against allocatable.
import type { Command } from 'commander';
import type { Cli } from '../cli.js';
import type { Client } from '../../client/client.js';
import { CliError } from '../errors.js';
import { resolveResource } from '../../apiserver/resources.js';
import type { KObject } from '../../apiserver/types.js';
import { parseQuantity, milliValue, value } from '../../apiserver/quantity.js';
import { clusterLoad, podUsage } from '../../kubelet/usage.js';
import { printNodeMetrics, printPodMetrics, goDuration, type NodeMetricsRow, type PodMetricsRow, type SortBy, type Usage } from '../../printers/top.js';

/** What a node uses before any pod runs on it: kubelet, containerd and the OS. */
export const NODE_SYSTEM_OVERHEAD: Usage = { cpuMilli: 35, memoryBytes: 256 * 1024 * 1024 };

/** metrics-server leaves pods out of its answer for their first moments; kubectl words that by age. */
const METRICS_CREATION_DELAY_MS = 2 * 60_000;

const TOP_HELP = `Display resource (CPU/memory) usage.

 The top command allows you to see the resource consumption for nodes or pods.

 This command requires Metrics Server to be correctly configured and working on the server.

Available Commands:
  node          Display resource (CPU/memory) usage of nodes
  pod           Display resource (CPU/memory) usage of pods

Usage:
  minikctl top [flags] [options]

Use "minikctl top <command> --help" for more information about a given command.
`;

const usageError = (path: string, msg: string) => new CliError(`error: ${msg}\nSee 'minikctl ${path} -h' for help and examples`);

function checkSortBy(v: string | undefined): SortBy {
  if (!v) return '';
  if (v !== 'cpu' && v !== 'memory') throw new CliError('error: --sort-by accepts only cpu or memory');
  return v;
}

const isReady = (node: KObject) => (node.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

/** The PodMetrics metrics-server would serve for a pod: none while no container of it runs. */
export function podMetrics(pod: KObject, now: number, load?: Map<string, number>): PodMetricsRow | undefined {
  const containers = podUsage(pod, now, load);
  if (containers.length === 0) return undefined;
  return { namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', containers: containers.map((c) => ({ name: c.name, cpuMilli: c.cpuMilli, memoryBytes: c.memoryBytes })) };
}

/** NodeMetrics for every Ready node: its pods' usage summed (one pass over the pods) plus overhead. */
export function nodeMetrics(nodes: KObject[], pods: KObject[], now: number, load?: Map<string, number>): NodeMetricsRow[] {
  const byNode = new Map<string, Usage>();
  for (const n of nodes) if (isReady(n)) byNode.set(n.metadata!.name!, { ...NODE_SYSTEM_OVERHEAD });
  for (const p of pods) {
    const u = byNode.get(p.spec?.nodeName ?? '');
    if (!u) continue;
    for (const c of podUsage(p, now, load)) {
      u.cpuMilli += c.cpuMilli;
      u.memoryBytes += c.memoryBytes;
    }
  }
  return [...byNode].map(([name, u]) => ({ name, ...u }));
}

function notFound(resource: string, name: string): CliError {
  return new CliError(`Error from server (NotFound): ${resource}.metrics.k8s.io "${name}" not found`);
}

export function register(cli: Cli): void {
  const top = cli.program
    .command('top')
    .description('Display resource (CPU/memory) usage')
    .usage('[flags] [options]')
    .argument('[args...]')
    .action((args: string[]) => {
      if (args.length) throw new CliError(`error: unknown command "${args[0]}"\nSee 'minikctl top -h' for help and examples`);
      // cobra's DefaultSubCommandRun: the help, on stderr, and a failure.
      cli.err(TOP_HELP);
      process.exitCode = 1;
    });
  top
    .command('node')
    .aliases(['nodes', 'no'])
    .description('Display resource (CPU/memory) usage of nodes')
    .usage('[NAME | -l label] [options]')
    .argument('[names...]')
    .option('-l, --selector <selector>', "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2)")
    .option('--sort-by <field>', "If non-empty, sort nodes list using specified field. The field can be either 'cpu' or 'memory'.")
    .option('--no-headers', 'If present, print output without headers')
    .option('--show-capacity', 'Print node resources based on Capacity instead of Allocatable(default) of the nodes.')
    .option('--use-protocol-buffers [bool]', 'Enables using protocol-buffers to access Metrics API.')
    .action(async (names: string[], opts: any, cmd: Command) => topNode(cli, names, opts, cmd));
  top
    .command('pod')
    .aliases(['pods', 'po'])
    .description('Display resource (CPU/memory) usage of pods')
    .usage('[NAME | -l label] [options]')
    .argument('[names...]')
    .option('-l, --selector <selector>', "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.")
    .option('--field-selector <selector>', "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type.")
    .option('--sort-by <field>', "If non-empty, sort pods list using specified field. The field can be either 'cpu' or 'memory'.")
    .option('--containers', 'If present, print usage of containers within a pod.')
    .option('-A, --all-namespaces', 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.')
    .option('--no-headers', 'If present, print output without headers.')
    .option('--sum', 'Print the sum of the resource usage')
    .option('--use-protocol-buffers [bool]', 'Enables using protocol-buffers to access Metrics API.')
    .action(async (names: string[], opts: any, cmd: Command) => topPod(cli, names, opts, cmd));
}

/** The CPU that requests between pods (load generators hitting a Service) add, as the HPA sees it. */
async function trafficLoad(client: Client, allPods?: KObject[]): Promise<Map<string, number>> {
  const pods: KObject[] = allPods ?? (await client.list(resolveResource('pods')!, { allNamespaces: true })).items;
  const services: KObject[] = (await client.list(resolveResource('services')!, { allNamespaces: true })).items;
  return clusterLoad(pods, services);
}

async function topNode(cli: Cli, names: string[], opts: any, _cmd: Command): Promise<void> {
  if (names.length > 1) throw usageError('top node', 'node [NAME | -l label]');
  const sortBy = checkSortBy(opts.sortBy);
  const name = names[0];
  if (name && opts.selector) throw new CliError('error: only one of NAME or --selector can be provided');
  const nodesRi = resolveResource('nodes')!;
  const podsRi = resolveResource('pods')!;
  await cli.withClient(false, async (client) => {
    const now = client.api.clock.now();
    let nodes: KObject[] = (await client.list(nodesRi, { labelSelector: opts.selector })).items;
    const pods: KObject[] = (await client.list(podsRi, { allNamespaces: true })).items;
    let metrics = nodeMetrics(nodes, pods, now, await trafficLoad(client, pods));
    if (name) {
      metrics = metrics.filter((m) => m.name === name);
      if (metrics.length === 0) throw notFound('nodemetrics', name);
      nodes = [await client.get(nodesRi, name)];
    }
    if (metrics.length === 0) throw new CliError('error: metrics not available yet');
    const available = new Map<string, Usage>();
    for (const n of nodes) {
      const list = (opts.showCapacity ? n.status?.capacity : n.status?.allocatable) ?? {};
      available.set(n.metadata!.name!, { cpuMilli: milliValue(parseQuantity(list.cpu ?? '0')), memoryBytes: value(parseQuantity(list.memory ?? '0')) });
    }
    cli.out(printNodeMetrics(metrics, available, { noHeaders: opts.headers === false, sortBy }));
  });
}

async function topPod(cli: Cli, names: string[], opts: any, _cmd: Command): Promise<void> {
  if (names.length > 1) throw usageError('top pod', 'pod [NAME | -l label]');
  const sortBy = checkSortBy(opts.sortBy);
  const name = names[0];
  if (name && (opts.selector || opts.fieldSelector)) throw new CliError('error: only one of NAME or selector can be provided');
  const podsRi = resolveResource('pods')!;
  const allNamespaces = !!opts.allNamespaces;
  await cli.withClient(false, async (client) => {
    const now = client.api.clock.now();
    const namespace = client.namespace;
    let metrics: PodMetricsRow[];
    if (name) {
      let pod: KObject | undefined;
      try {
        pod = await client.get(podsRi, name, allNamespaces ? undefined : namespace);
      } catch {
        pod = undefined;
      }
      const m = pod && podMetrics(pod, now, await trafficLoad(client));
      if (!m) throw notFound('podmetrics', `${namespace}/${name}`);
      metrics = [m];
    } else {
      const pods: KObject[] = (await client.list(podsRi, { allNamespaces, labelSelector: opts.selector, fieldSelector: opts.fieldSelector })).items;
      const load = await trafficLoad(client);
      metrics = pods.map((p) => podMetrics(p, now, load)).filter((m): m is PodMetricsRow => !!m);
      if (metrics.length === 0) {
        // verifyEmptyMetrics: kubectl looks again in the context's namespace, even with -A.
        const here = allNamespaces ? (await client.list(podsRi, { labelSelector: opts.selector, fieldSelector: opts.fieldSelector })).items : pods;
        if (here.length > 0) {
          for (const p of here) {
            const age = now - Date.parse(p.metadata?.creationTimestamp ?? '');
            if (age > METRICS_CREATION_DELAY_MS) throw new CliError(`error: Metrics not available for pod ${p.metadata?.namespace}/${p.metadata?.name}, age: ${goDuration(age)}`);
          }
          throw new CliError('error: metrics not available yet');
        }
        cli.err(allNamespaces ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n`);
      }
    }
    cli.out(printPodMetrics(metrics, { containers: !!opts.containers, withNamespace: allNamespaces, noHeaders: opts.headers === false, sortBy, sum: !!opts.sum }));
  });
}
