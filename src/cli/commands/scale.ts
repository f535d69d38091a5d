// minikctl scale: sets spec.replicas through the scale subresource, as kubectl's scaler does:
// a merge patch, or (with --current-replicas / --resource-version preconditions) get + update.
import type { Cli } from '../cli.js';
import { klogError } from '../cli.js';
import { CliError } from '../errors.js';
import { checkOutputFormat, formatObjects, nameOf } from '../output.js';
import { parseDryRun, dryRunSuffix } from '../dry-run.js';
import type { KObject } from '../../apiserver/types.js';
import { select, fetchItems, reportErrors, type Item } from '../../client/set/targets.js';
import { parseGoDuration, parseGoInt } from '../../client/rollout/flags.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function register(cli: Cli): void {
  cli.program
    .command('scale')
    .description('Set a new size for a deployment, replica set, or replication controller')
    .usage('[--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]')
    .argument('[args...]')
    .option('--replicas <count>', 'The new desired number of replicas. Required.')
    .option('--current-replicas <count>', 'Precondition for current size. Requires that the current size of the resource match this value in order to scale. -1 (default) for no condition.', '-1')
    .option('--resource-version <rv>', 'Precondition for resource version. Requires that the current resource version match this value in order to scale.')
    .option('--all', 'Select all resources in the namespace of the specified resource types')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('-f, --filename <file>', 'Filename, directory, or URL to files identifying the resource to set a new size', collect)
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('--timeout <duration>', 'The length of time to wait before giving up on a scale operation, zero means don\'t wait.', '0s')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client".')
    .option('-o, --output <format>', 'Output format.')
    .action(async (args: string[], opts: any) => run(cli, args, opts));
}

async function run(cli: Cli, args: string[], opts: any): Promise<void> {
  if (opts.replicas === undefined) {
    throw new CliError(klogError('run.go:72', '"command failed" err="required flag(s) \\"replicas\\" not set"').trimEnd());
  }
  const replicas = parseGoInt(opts.replicas, '--replicas', 'scale');
  const current = parseGoInt(opts.currentReplicas, '--current-replicas', 'scale');
  const timeoutMs = parseGoDuration(opts.timeout, '--timeout', 'scale');
  checkOutputFormat(opts.output);
  const dryRun = parseDryRun(opts.dryRun);
  if (replicas < 0) throw new CliError('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  if (current < -1) throw new CliError('error: The --current-replicas must specify an integer of -1 or greater');
  const sel = select(args, opts, 'scale');
  const errors: unknown[] = [];
  const printed: KObject[] = [];
  let scaled: Item[] = [];
  await cli.withClient(dryRun === 'none', async (client, session) => {
    const items = await fetchItems(client, sel, (e) => errors.push(e));
    if (opts.resourceVersion && items.length > 1) throw new CliError('error: cannot use --resource-version with multiple resources');
    if (items.length === 0) {
      if (errors.length === 0) errors.push('no objects passed to scale');
      return;
    }
    const precondition = current !== -1 || !!opts.resourceVersion;
    for (const it of items) {
      if (dryRun === 'client') {
        print(it.object, it);
        continue;
      }
      try {
        const scale = await client.request('get', it.ri, { name: it.name, namespace: it.namespace, subresource: 'scale' });
        if (precondition) {
          if (current !== -1 && scale.spec?.replicas !== current) throw new CliError(`Expected replicas to be ${current}, was ${scale.spec?.replicas ?? 0}`);
          if (opts.resourceVersion && scale.metadata?.resourceVersion !== opts.resourceVersion) {
            throw new CliError(`Expected resource version to be ${opts.resourceVersion}, was ${scale.metadata?.resourceVersion}`);
          }
        }
        await client.patch(it.ri, it.name, 'merge', { spec: { replicas } }, {
          namespace: it.namespace, subresource: 'scale', dryRun: dryRun === 'server', fieldManager: 'kubectl-scale',
        });
        scaled.push(it);
        print(it.object, it);
      } catch (e) {
        // kubectl stops at the first object it cannot scale.
        errors.push(e);
        break;
      }
    }
    void session;
  });
  function print(obj: KObject, it: Item): void {
    if (opts.output) printed.push(obj);
    else cli.out(`${nameOf(obj, it.ri)} scaled${dryRunSuffix(dryRun)}\n`);
  }
  if (printed.length) {
    const fmt = String(opts.output).split('=')[0];
    cli.out(printed.map((o) => formatObjects([o], opts.output, true)).join(fmt === 'yaml' ? '---\n' : ''));
  }
  if (reportErrors(errors, (s) => cli.err(s))) return;
  if (timeoutMs > 0 && dryRun === 'none') await waitForReplicas(cli, scaled, replicas, timeoutMs);
  scaled = [];
}

/** --timeout: waits until the scale's status reaches the new size (WaitForScaleHasDesiredReplicas). */
async function waitForReplicas(cli: Cli, items: Item[], replicas: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const done = await cli.withClient(false, async (client) => {
      for (const it of items) {
        const s = await client.request('get', it.ri, { name: it.name, namespace: it.namespace, subresource: 'scale' });
        if ((s.status?.replicas ?? 0) !== replicas) return false;
      }
      return true;
    });
    if (done) return;
    if (Date.now() >= deadline) throw new CliError('error: timed out waiting for the condition');
    await new Promise((r) => setTimeout(r, 150));
  }
}
