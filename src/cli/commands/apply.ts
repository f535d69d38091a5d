// minikctl apply: client-side apply with the last-applied-configuration annotation and a
// three-way strategic merge, or server-side apply with field managers.
import type { Cli } from '../cli.js';
import { CliError } from '../errors.js';
import { readManifests, objectRef, type Info } from '../../client/manifests.js';
import { ApiError } from '../../apiserver/errors.js';
import { groupVersion } from '../../apiserver/resources.js';
import type { KObject } from '../../apiserver/types.js';
import type { Client } from '../../client/client.js';
import { withSource, formatCollected, type CollectedError } from '../../client/errors.js';
import { checkOutputFormat, formatObjects } from '../output.js';
import { createThreeWayMergePatch } from '../../client/apply/strategic-merge.js';
import { LAST_APPLIED, lastAppliedFor, stripLastApplied } from '../../client/last-applied.js';
import { parseDryRun, dryRunSuffix, type DryRun } from '../dry-run.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function register(cli: Cli): void {
  cli.program
    .command('apply')
    .description('Apply a configuration to a resource by file name or stdin')
    .usage('(-f FILENAME | -k DIRECTORY) [flags] [options]')
    .option('-f, --filename <file>', 'The files that contain the configurations to apply.', collect)
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('-o, --output <format>', 'Output format.')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client".')
    .option('--server-side', 'If true, apply runs in the server instead of the client.')
    .option('--force-conflicts', 'If true, server-side apply will force the changes against conflicts.')
    .option('--field-manager <name>', 'Name of the manager used to track field ownership.')
    .option('--validate <mode>', 'Must be one of: strict (or true), warn, ignore (or false).', 'strict')
    .option('--overwrite', 'Automatically resolve conflicts between the modified and live configuration by using values from the modified configuration', true)
    .option('--prune', 'Automatically delete resource objects that do not appear in the configs (not supported)')
    .action(async (opts: any) => run(cli, opts));
}

export function fieldValidation(v: string | boolean | undefined): 'Strict' | 'Warn' | 'Ignore' {
  const s = String(v ?? 'strict').toLowerCase();
  if (s === 'strict' || s === 'true') return 'Strict';
  if (s === 'warn') return 'Warn';
  if (s === 'ignore' || s === 'false') return 'Ignore';
  throw new CliError(`error: invalid - validate option "${v}"; must be one of: strict (or true), warn, ignore (or false)`);
}

async function run(cli: Cli, opts: any): Promise<void> {
  if (!opts.filename?.length) {
    throw new CliError('error: must specify one of -f and -k');
  }
  if (opts.prune) throw new CliError('error: --prune is not supported by minikctl');
  checkOutputFormat(opts.output);
  const dryRun = parseDryRun(opts.dryRun);
  const validation = fieldValidation(opts.validate);
  const { infos, errors: readErrors } = readManifests(opts.filename, !!opts.recursive);
  const errors: CollectedError[] = [...readErrors];
  const explicitNs = cli.globals().namespace;
  await cli.withClient(dryRun === 'none', async (client) => {
    const printed: KObject[] = [];
    for (const info of infos) {
      try {
        const result = opts.serverSide
          ? await applyServerSide(client, info, opts, dryRun, explicitNs, validation)
          : await applyClientSide(client, info, dryRun, explicitNs, validation);
        if (opts.output) printed.push(result.object);
        else cli.out(`${objectRef(info.resource, info.object.metadata!.name!)} ${result.word}${dryRunSuffix(dryRun)}\n`);
      } catch (e) {
        if (e instanceof ApiError || e instanceof CliError) errors.push(e instanceof CliError ? e.message : e);
        else throw e;
      }
    }
    if (opts.output && printed.length) cli.out(formatObjects(printed, opts.output, printed.length === 1));
  });
  if (errors.length) {
    cli.err(formatCollected(errors));
    process.exitCode = 1;
  }
}

export function namespaceFor(info: Info, client: Client, explicitNs: string | undefined): string | undefined {
  if (!info.resource.namespaced) return undefined;
  const own = info.object.metadata?.namespace;
  if (own && explicitNs && own !== explicitNs) {
    throw new CliError(`error: the namespace from the provided object "${own}" does not match the namespace "${explicitNs}". You must pass '--namespace=${own}' to perform this operation.`);
  }
  return own || client.namespace;
}

interface Outcome {
  word: string;
  object: KObject;
}

export async function applyClientSide(client: Client, info: Info, dryRun: DryRun, explicitNs: string | undefined, validation: 'Strict' | 'Warn' | 'Ignore'): Promise<Outcome> {
  const ri = info.resource;
  const namespace = namespaceFor(info, client, explicitNs);
  const obj: KObject = JSON.parse(JSON.stringify(info.object));
  obj.metadata ??= {};
  if (namespace) obj.metadata.namespace = namespace;
  const name = obj.metadata.name;
  if (!name) {
    throw new CliError(`error: error when retrieving current configuration of:\nResource: "${ri.group ? `${ri.group}/` : ''}${ri.version}, Resource=${ri.name}", GroupVersionKind: "${groupVersion(ri)}, Kind=${ri.kind}"\nName: "", Namespace: "${namespace ?? ''}"\nfrom server for: "${info.source}": resource name may not be empty`);
  }
  const modified = lastAppliedFor(obj);
  const sent = JSON.parse(JSON.stringify(obj));
  sent.metadata.annotations = { ...(stripLastApplied(sent.metadata.annotations) ?? {}), [LAST_APPLIED]: modified };
  let current: KObject | undefined;
  try {
    current = await client.get(ri, name, namespace);
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 404)) {
      throw withSource('retrieving current configuration of', info.source, e);
    }
  }
  if (!current) {
    if (dryRun === 'client') return { word: 'created', object: sent };
    try {
      const created = await client.create(ri, sent, { namespace, dryRun: dryRun === 'server', fieldManager: 'kubectl-client-side-apply', fieldValidation: validation });
      return { word: 'created', object: created };
    } catch (e) {
      throw withSource('creating', info.source, e);
    }
  }
  const originalText = current.metadata?.annotations?.[LAST_APPLIED];
  const original = originalText ? JSON.parse(originalText) : undefined;
  // As kubectl does, the "modified" side carries the new annotation, so the patch updates it too.
  const patch = createThreeWayMergePatch(original ?? {}, sent, current, `${groupVersion(ri)}/${ri.kind}`);
  if (!patch || Object.keys(patch).length === 0) return { word: 'unchanged', object: current };
  if (dryRun === 'client') return { word: 'configured', object: current };
  try {
    const updated = await client.patch(ri, name, 'strategic', patch, { namespace, dryRun: dryRun === 'server', fieldManager: 'kubectl-client-side-apply', fieldValidation: validation });
    // kubectl decides "unchanged" from the patch alone ("{}"), so a server dry run of a real
    // change still says "configured" although nothing was stored.
    return { word: 'configured', object: updated };
  } catch (e) {
    if (e instanceof ApiError && e.status.reason === 'Invalid') throw e;
    throw withSource('patching', info.source, e);
  }
}

async function applyServerSide(client: Client, info: Info, opts: any, dryRun: DryRun, explicitNs: string | undefined, validation: 'Strict' | 'Warn' | 'Ignore'): Promise<Outcome> {
  if (dryRun === 'client') throw new CliError('error: --dry-run=client doesn\'t work with --server-side (did you mean --dry-run=server instead?)');
  const ri = info.resource;
  const namespace = namespaceFor(info, client, explicitNs);
  const obj: KObject = JSON.parse(JSON.stringify(info.object));
  if (namespace) obj.metadata!.namespace = namespace;
  try {
    const result = await client.patch(ri, obj.metadata!.name!, 'apply', obj, {
      namespace, dryRun: dryRun === 'server', fieldManager: opts.fieldManager ?? 'kubectl', force: !!opts.forceConflicts, fieldValidation: validation,
    });
    return { word: 'serverside-applied', object: result };
  } catch (e) {
    if (e instanceof ApiError && e.status.reason === 'Conflict' && e.status.details?.causes?.length) {
      const s = e.status;
      const msg = `${s.message}\nPlease review the fields above--they currently have other managers. Here\nare the ways you can resolve this warning:\n* If you intend to manage all of these fields, please re-run the apply\n  command with the \`--force-conflicts\` flag.\n* If you do not intend to manage all of the fields, please edit your\n  manifest to remove references to the fields that should keep their\n  current managers.\n* You may co-own fields by updating your manifest to match the existing\n  value; in this case, you'll become the manager if the other manager(s)\n  stop managing the field (remove it from their configuration).\nSee https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts`;
      throw new CliError(`error: ${msg}`);
    }
    throw withSource('patching', info.source, e);
  }
}
