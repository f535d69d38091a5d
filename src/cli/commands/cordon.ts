// minikctl cordon / uncordon: set spec.unschedulable on nodes, as kubectl's drain helpers do.
// A node already in the wanted state is reported ("already cordoned") and left untouched.
import type { Cli } from '../cli.js';
import { formatApiError } from '../cli.js';
import { CliError } from '../errors.js';
import { ApiError } from '../../apiserver/errors.js';
import { resolveResource } from '../../apiserver/resources.js';
import type { KObject } from '../../apiserver/types.js';
import { nameOf } from '../output.js';
import { parseDryRun, dryRunSuffix } from '../dry-run.js';

export function registerCordonVerb(cli: Cli, verb: 'cordon' | 'uncordon'): void {
  cli.program
    .command(verb)
    .description(verb === 'cordon' ? 'Mark node as unschedulable' : 'Mark node as schedulable')
    .usage('NODE [options]')
    .argument('[nodes...]')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client".')
    .action(async (nodes: string[], opts: any) => runCordon(cli, verb, nodes, opts));
}

const usage = (verb: string, msg: string) => new CliError(`error: ${msg}\nSee 'minikctl ${verb} -h' for help and examples`);

/** "node/x", "nodes/x", "no/x" and bare names all name a node, as the resource builder allows. */
function nodeName(verb: string, arg: string): string {
  const slash = arg.indexOf('/');
  if (slash < 0) return arg;
  const ri = resolveResource(arg.slice(0, slash));
  if (!ri) throw new CliError(`error: the server doesn't have a resource type "${arg.slice(0, slash)}"`);
  if (ri.kind !== 'Node') throw new CliError(`error: error: expected resource of type node, got "${ri.group}/${ri.version}, Resource=${ri.name}"`);
  void verb;
  return arg.slice(slash + 1);
}

export async function runCordon(cli: Cli, verb: 'cordon' | 'uncordon', args: string[], opts: any): Promise<void> {
  const desired = verb === 'cordon';
  if (args.length === 0 && opts.selector === undefined) throw usage(verb, `USAGE: ${verb} NODE [flags]`);
  if (args.length > 0 && opts.selector) throw usage(verb, 'error: cannot specify both a node name and a --selector option');
  const dryRun = parseDryRun(opts.dryRun);
  const names = args.map((a) => nodeName(verb, a));
  const ri = resolveResource('nodes')!;
  const errors: string[] = [];
  await cli.withClient(dryRun === 'none', async (client) => {
    let nodes: KObject[] = [];
    if (names.length) {
      // The builder fetches every node first: one missing node stops the command before any change.
      for (const n of names) {
        try {
          nodes.push(await client.get(ri, n));
        } catch (e) {
          if (e instanceof ApiError) throw new CliError(formatApiError(e));
          throw e;
        }
      }
    } else {
      nodes = (await client.list(ri, { labelSelector: opts.selector })).items;
    }
    for (const node of nodes) {
      const name = node.metadata!.name!;
      if (!!node.spec?.unschedulable === desired) {
        cli.out(`${nameOf(node, ri)} already ${desired ? 'cordoned' : 'uncordoned'}\n`);
        continue;
      }
      if (dryRun !== 'client') {
        try {
          await client.patch(ri, name, 'strategic', { spec: { unschedulable: desired ? true : null } }, { dryRun: dryRun === 'server', fieldManager: 'kubectl-cordon' });
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          errors.push(`error: unable to ${verb} node "${name}": ${e.status.message}`);
          continue;
        }
      }
      cli.out(`${nameOf(node, ri)} ${desired ? 'cordoned' : 'uncordoned'}${dryRunSuffix(dryRun)}\n`);
    }
  });
  // kubectl reports a node it could not change and goes on; the command still succeeds.
  if (errors.length) cli.err(errors.map((e) => `${e}\n`).join(''));
}

export function register(cli: Cli): void {
  registerCordonVerb(cli, 'cordon');
}
