// minikctl patch: strategic merge (default), JSON merge or JSON patch against the live object.
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import type { Cli } from '../cli.js';
import { CliError } from '../errors.js';
import { parseTargets } from '../args.js';
import { readManifests } from '../../client/manifests.js';
import { checkOutputFormat, formatObjects, nameOf } from '../output.js';
import { parseDryRun, dryRunSuffix } from '../dry-run.js';
import { sortedJson } from '../../client/apply/json-util.js';

/** go-yaml's words for the parse errors users meet most in -p: an unclosed [ or {. */
function goYamlReason(text: string, e: any): string {
  const reason = String(e.reason ?? e.message).split('\n')[0];
  if (/end of the stream within a flow collection/.test(reason)) {
    const line = text.trimEnd().split('\n').length;
    const opener = [...text].reverse().find((c) => c === '[' || c === '{');
    return `line ${line}: did not find expected ',' or '${opener === '[' ? ']' : '}'}'`;
  }
  return `line ${(e.mark?.line ?? 0) + 1}: ${reason}`;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function register(cli: Cli): void {
  cli.program
    .command('patch')
    .description('Update fields of a resource')
    .usage('(-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [flags] [options]')
    .argument('[args...]')
    .option('-p, --patch <patch>', 'The patch to be applied to the resource JSON file.')
    .option('--patch-file <file>', 'A file containing a patch to be applied to the resource.')
    .option('--type <type>', 'The type of patch being provided; one of [json merge strategic]', 'strategic')
    .option('-f, --filename <file>', 'Filename, directory, or URL to a file identifying the resource to update', collect)
    .option('--subresource <name>', 'If specified, patch will operate on the subresource of the requested object.')
    .option('--local', 'If true, patch will operate on the content of the file, not the server-side resource.')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client".')
    .option('-o, --output <format>', 'Output format.')
    .action(async (args: string[], opts: any) => run(cli, args, opts));
}

async function run(cli: Cli, args: string[], opts: any): Promise<void> {
  if (!['json', 'merge', 'strategic'].includes(opts.type)) {
    throw new CliError(`error: --type must be one of [json merge strategic], not "${opts.type}"`);
  }
  if (!opts.patch && !opts.patchFile) throw new CliError('error: must specify --patch or --patch-file containing the contents of the patch');
  if (opts.patch && opts.patchFile) throw new CliError('error: cannot specify --patch and --patch-file together');
  checkOutputFormat(opts.output);
  const text: string = opts.patch ?? readFileSync(opts.patchFile, 'utf8');
  let body: any;
  try {
    body = load(text, { json: true });
  } catch (e: any) {
    throw new CliError(`error: unable to parse "${text}": yaml: ${goYamlReason(text, e)}`);
  }
  if (opts.type === 'json' && !Array.isArray(body)) throw new CliError('error: json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  const dryRun = parseDryRun(opts.dryRun);
  let items: { ri: any; name: string; ns?: string }[];
  if (opts.filename?.length) {
    items = readManifests(opts.filename, false).infos.map((i) => ({ ri: i.resource, name: i.object.metadata!.name!, ns: i.object.metadata?.namespace }));
  } else {
    const targets = parseTargets(args, 'patch');
    if (targets.length === 0) {
      throw new CliError("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
    }
    items = targets.flatMap((t) => {
      if (t.names.length === 0) throw new CliError('error: resource(s) were provided, but no name was specified');
      return t.names.map((name) => ({ ri: t.resource, name }));
    });
  }
  await cli.withClient(dryRun === 'none', async (client) => {
    for (const it of items) {
      const ns = it.ri.namespaced ? it.ns ?? client.namespace : undefined;
      const before = await client.request('get', it.ri, { name: it.name, namespace: ns, subresource: opts.subresource });
      const after = await client.patch(it.ri, it.name, opts.type, body, {
        namespace: ns, subresource: opts.subresource, dryRun: dryRun !== 'none', fieldManager: 'kubectl-patch',
      });
      if (opts.output) {
        cli.out(formatObjects([after], opts.output, true));
        continue;
      }
      // kubectl compares the object it read with the one the server answered: a no-op patch
      // comes back identical (same resourceVersion, same managedFields).
      const unchanged = sortedJson(after) === sortedJson(before);
      cli.out(`${nameOf(before, it.ri)} patched${unchanged ? ' (no change)' : ''}${dryRunSuffix(dryRun)}\n`);
    }
  });
}
