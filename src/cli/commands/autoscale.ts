// minikctl autoscale: creates a HorizontalPodAutoscaler for a deployment, replica set, stateful set
// or replication controller, as kubectl v1.32 does: it builds an autoscaling/v1 object (min, max,
// targetCPUUtilizationPercentage) and prints that one with --dry-run=client. The apiserver keeps
// HPAs as autoscaling/v2, so the object sent is the v2 equivalent, and what comes back is shown
// in v1 again (the version kubectl asked for).
import type { Cli } from '../cli.js';
import { klogError } from '../cli.js';
import { CliError } from '../errors.js';
import { checkOutputFormat, formatObjects } from '../output.js';
import { parseDryRun, dryRunSuffix } from '../dry-run.js';
import type { KObject } from '../../apiserver/types.js';
import { resourceFor } from '../../apiserver/apiserver.js';
import { groupVersion } from '../../apiserver/resources.js';
import { select, fetchItems, reportErrors } from '../../client/set/targets.js';
import { parseGoInt } from '../../client/rollout/flags.js';
import { v1ToV2, v2ToV1 } from '../../controllers/hpa/convert.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** the kinds with a scale subresource kubectl's discovery finds */
const SCALABLE = new Set(['deployments', 'replicasets', 'statefulsets', 'replicationcontrollers']);

/** The autoscaling/v1 object kubectl builds (Go field order, for -o json). */
export function v1Autoscaler(target: { kind: string; apiVersion: string; name: string }, opts: { name?: string; min: number; max: number; cpuPercent: number }): KObject {
  const spec: Record<string, unknown> = { scaleTargetRef: { kind: target.kind, name: target.name, apiVersion: target.apiVersion } };
  if (opts.min > 0) spec.minReplicas = opts.min;
  spec.maxReplicas = opts.max;
  if (opts.cpuPercent >= 0) spec.targetCPUUtilizationPercentage = opts.cpuPercent;
  return {
    kind: 'HorizontalPodAutoscaler',
    apiVersion: 'autoscaling/v1',
    metadata: { name: opts.name || target.name, creationTimestamp: null },
    spec,
    status: { currentReplicas: 0, desiredReplicas: 0 },
  } as unknown as KObject;
}

export function register(cli: Cli): void {
  cli.program
    .command('autoscale')
    .description('Auto-scale a deployment, replica set, stateful set, or replication controller')
    .usage('(-f FILENAME | TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS [--cpu-percent=CPU] [options]')
    .argument('[args...]')
    .option('--min <n>', "The lower limit for the number of pods that can be set by the autoscaler. If it's not specified or negative, the server will apply a default value.", '-1')
    .option('--max <n>', 'The upper limit for the number of pods that can be set by the autoscaler. Required.')
    .option('--cpu-percent <n>', "The target average CPU utilization (represented as a percent of requested CPU) over all the pods. If it's not specified or negative, a default autoscaling policy will be used.", '-1')
    .option('--name <name>', 'The name for the newly created object. If not specified, the name of the input resource will be used.', '')
    .option('-f, --filename <file>', 'Filename, directory, or URL to files identifying the resource to autoscale.', collect)
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.')
    .option('--field-manager <name>', 'Name of the manager used to track field ownership.', 'kubectl-autoscale')
    .option('--save-config', 'If true, the configuration of current object will be saved in its annotation.')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client".')
    .option('-o, --output <format>', 'Output format.')
    .action(async (args: string[], opts: any) => run(cli, args, opts));
}

async function run(cli: Cli, args: string[], opts: any): Promise<void> {
  // cobra checks required flags before anything else runs.
  if (opts.max === undefined) throw new CliError(klogError('run.go:72', '"command failed" err="required flag(s) \\"max\\" not set"').trimEnd());
  const min = parseGoInt(opts.min, '--min', 'autoscale');
  const max = parseGoInt(opts.max, '--max', 'autoscale');
  const cpuPercent = parseGoInt(opts.cpuPercent, '--cpu-percent', 'autoscale');
  checkOutputFormat(opts.output);
  const dryRun = parseDryRun(opts.dryRun);
  if (max < 1) throw new CliError(`error: --max=MAXPODS is required and must be at least 1, max: ${max}`);
  if (max < min) throw new CliError(`error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: ${max}, min: ${min}`);
  const sel = select(args, opts, 'autoscale');
  const errors: unknown[] = [];
  const out: string[] = [];
  await cli.withClient(dryRun === 'none', async (client) => {
    const items = await fetchItems(client, sel, (e) => errors.push(e));
    if (!items.length) {
      if (!errors.length) errors.push('no objects passed to autoscale');
      return;
    }
    for (const it of items) {
      if (!SCALABLE.has(it.ri.name)) {
        const gv = groupVersion(it.ri);
        errors.push(new CliError(`error: cannot autoscale a ${it.ri.kind}: could not find scale subresource for ${it.ri.group}/${gv.split('/').pop()}, Resource=${it.ri.name} in discovery information`));
        break;
      }
      const hpa = v1Autoscaler({ kind: it.ri.kind, apiVersion: groupVersion(it.ri), name: it.name }, { name: opts.name, min, max, cpuPercent });
      if (dryRun === 'client') {
        out.push(opts.output ? formatObjects([hpa], opts.output, true) : `horizontalpodautoscaler.autoscaling/${hpa.metadata!.name} created (dry run)\n`);
        continue;
      }
      try {
        const body = v1ToV2(hpa);
        body.metadata!.namespace = it.namespace;
        const created = await client.create(resourceFor('horizontalpodautoscalers'), body, { namespace: it.namespace, dryRun: dryRun === 'server', fieldManager: opts.fieldManager });
        out.push(opts.output ? formatObjects([v2ToV1(created)], opts.output, true) : `horizontalpodautoscaler.autoscaling/${created.metadata!.name} autoscaled${dryRunSuffix(dryRun)}\n`);
      } catch (e) {
        errors.push(e);
        break;
      }
    }
  });
  if (out.length) {
    const fmt = String(opts.output ?? '').split('=')[0];
    cli.out(out.join(fmt === 'yaml' ? '---\n' : ''));
  }
  reportErrors(errors, (s) => cli.err(s));
}
