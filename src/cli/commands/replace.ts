// minikctl replace: PUT the whole object from a file (or delete and re-create with --force).
import type { Cli } from '../cli.js';
import { CliError } from '../errors.js';
import { readManifests, objectRef } from '../../client/manifests.js';
import { ApiError } from '../../apiserver/errors.js';
import { withSource, formatCollected, type CollectedError } from '../../client/errors.js';
import { checkOutputFormat, formatObjects } from '../output.js';
import { parseDryRun, dryRunSuffix } from '../dry-run.js';
import { fieldValidation, namespaceFor } from './apply.js';
import { LAST_APPLIED, lastAppliedFor } from '../../client/last-applied.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function register(cli: Cli): void {
  cli.program
    .command('replace')
    .description('Replace a resource by file name or stdin')
    .usage('-f FILENAME [flags] [options]')
    .option('-f, --filename <file>', 'The files that contain the configurations to replace.', collect)
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('--force', 'If true, immediately remove resources from API and bypass graceful deletion.')
    .option('--save-config', 'If true, the configuration of current object will be saved in its annotation.')
    .option('--validate <mode>', 'Must be one of: strict (or true), warn, ignore (or false).', 'strict')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client".')
    .option('-o, --output <format>', 'Output format.')
    .action(async (opts: any) => run(cli, opts));
}

/** How kubectl delete names what it deleted: kind.group, lower case. */
function deletedRef(ri: { kind: string; group: string }): string {
  return `${ri.kind.toLowerCase()}${ri.group ? `.${ri.group}` : ''}`;
}

async function run(cli: Cli, opts: any): Promise<void> {
  if (!opts.filename?.length) throw new CliError('error: must specify one of -f and -k');
  checkOutputFormat(opts.output);
  const dryRun = parseDryRun(opts.dryRun);
  const { infos, errors: readErrors } = readManifests(opts.filename, !!opts.recursive);
  const errors: CollectedError[] = [...readErrors];
  const explicitNs = cli.globals().namespace;
  await cli.withClient(dryRun === 'none', async (client) => {
    for (const info of infos) {
      try {
        const ns = namespaceFor(info, client, explicitNs);
        const obj = JSON.parse(JSON.stringify(info.object));
        if (ns) obj.metadata.namespace = ns;
        // --force replaces what is there or creates what is not (kubectl ignores NotFound on the delete).
        const current = await client.get(info.resource, obj.metadata.name, ns).catch((e) => {
          if (opts.force && e instanceof ApiError && e.code === 404) return undefined;
          throw withSource('replacing', info.source, e);
        });
        if (opts.saveConfig || current?.metadata?.annotations?.[LAST_APPLIED]) {
          obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [LAST_APPLIED]: lastAppliedFor(obj) };
        }
        let result = obj;
        if (opts.force) {
          if (dryRun === 'none') {
            if (current) {
              await client.delete(info.resource, obj.metadata.name, { namespace: ns, gracePeriodSeconds: info.resource.kind === 'Pod' ? 0 : undefined });
              cli.out(`${deletedRef(info.resource)} "${obj.metadata.name}" deleted\n`);
            }
            delete obj.metadata.resourceVersion;
            result = await client.create(info.resource, obj, { namespace: ns, fieldManager: 'kubectl-replace', fieldValidation: fieldValidation(opts.validate) });
          }
        } else if (dryRun !== 'client') {
          result = await client.update(info.resource, obj, { namespace: ns, dryRun: dryRun === 'server', fieldManager: 'kubectl-replace', fieldValidation: fieldValidation(opts.validate) });
        }
        if (opts.output) cli.out(formatObjects([result], opts.output, true));
        else cli.out(`${objectRef(info.resource, obj.metadata.name)} replaced${dryRunSuffix(dryRun)}\n`);
      } catch (e) {
        if (e instanceof ApiError) errors.push(e.status.message.startsWith('error when') ? e : withSource('replacing', info.source, e));
        else if (e instanceof CliError) errors.push(e.message);
        else throw e;
      }
    }
  });
  if (errors.length) {
    cli.err(formatCollected(errors));
    process.exitCode = 1;
  }
}
