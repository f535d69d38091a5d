// minikctl create: from files (-f), or from one of kubectl's generators (create deployment ...).
import { Command } from 'commander';
import { klogError, type Cli } from '../cli.js';
import { CliError } from '../errors.js';
import { readManifests, objectRef, mapObject } from '../../client/manifests.js';
import { ApiError } from '../../apiserver/errors.js';
import type { KObject } from '../../apiserver/types.js';
import { withSource, formatCollected, type CollectedError } from '../../client/errors.js';
import { checkOutputFormat, formatObjects } from '../output.js';
import { parseDryRun, dryRunSuffix, type DryRun } from '../dry-run.js';
import { fieldValidation, namespaceFor } from './apply.js';
import { LAST_APPLIED, lastAppliedFor } from '../../client/last-applied.js';
import { createGenerators, parentAliases, GeneratorError, type GeneratorSpec } from '../../client/generators/index.js';
import { resolveResource } from '../../apiserver/resources.js';
import { readFileSync, readdirSync } from 'node:fs';

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function register(cli: Cli): void {
  const create = cli.program
    .command('create')
    .description('Create a resource from a file or from stdin')
    .usage('-f FILENAME [flags] [options]')
    .option('-f, --filename <file>', 'Filename, directory, or URL to files to use to create the resource', collect)
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('-o, --output <format>', 'Output format.')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client".')
    .option('--save-config', 'If true, the configuration of current object will be saved in its annotation.')
    .option('--validate <mode>', 'Must be one of: strict (or true), warn, ignore (or false).', 'strict')
    .option('--edit', 'Edit the API resource before creating (not supported)')
    .action(async (opts: any) => createFromFiles(cli, opts));
  for (const spec of createGenerators) addGenerator(cli, create, spec);
}

function addGenerator(cli: Cli, parent: Command, spec: GeneratorSpec): void {
  const words = spec.name.split(' ');
  let cmd = parent;
  // "service clusterip" nests under "service".
  for (let i = 0; i < words.length - 1; i++) {
    let parentCmd = cmd.commands.find((c) => c.name() === words[i]);
    if (!parentCmd) {
      parentCmd = cmd.command(words[i]).description(`Create a ${words[i]} using a specified subcommand`);
      for (const a of parentAliases[words[i]] ?? []) parentCmd.alias(a);
    }
    cmd = parentCmd;
  }
  const sub = cmd.command(words[words.length - 1]).description(spec.description).usage(spec.usage);
  for (const a of spec.aliases) sub.alias(a);
  sub.argument('[args...]');
  for (const f of spec.flags) {
    if (f.repeatable) sub.option(f.flags, f.description, (v: string, prev: string[] | undefined) => [...(prev ?? []), v], f.default as any);
    else sub.option(f.flags, f.description, f.default as any);
  }
  sub.option('-o, --output <format>', 'Output format.');
  sub.option('--dry-run [strategy]', 'Must be "none", "server", or "client".');
  sub.option('--save-config', 'If true, the configuration of current object will be saved in its annotation.');
  sub.option('--validate <mode>', 'Must be one of: strict (or true), warn, ignore (or false).', 'strict');
  if (!spec.flags.some((f) => f.flags.includes('--field-manager'))) sub.option('--field-manager <name>', 'Name of the manager used to track field ownership.', 'kubectl-create');
  sub.action(async (args: string[], opts: any) => {
    checkOutputFormat(opts.output);
    const dryRun = parseDryRun(opts.dryRun);
    const explicitNs = cli.globals().namespace;
    // Where "--" fell: NAME and flags before it, the container command after it.
    const dash = process.argv.indexOf('--');
    opts.argsBeforeDash = dash < 0 ? args.length : args.length - (process.argv.length - dash - 1);
    if (typeof opts.from === 'string' && opts.from.includes('/')) {
      // create job --from=cronjob/NAME starts from the live CronJob.
      const [kind, name] = opts.from.split('/');
      const ri = resolveResource(kind);
      if (ri?.kind === 'CronJob') opts.fromObject = await cli.withClient(false, (client) => client.get(ri, name, explicitNs));
    }
    let obj: KObject;
    try {
      obj = spec.generate(args, opts, {
        namespace: explicitNs,
        readFile: (p) => readFileSync(p),
        listDir: (p) => readdirSync(p),
      });
    } catch (e) {
      if (e instanceof GeneratorError) throw generatorFailure(e, spec.name);
      throw e;
    }
    if (dryRun === 'client') {
      cli.out(opts.output ? formatObjects([obj], opts.output, true) : `${nameFor(obj)} created (dry run)\n`);
      return;
    }
    await cli.withClient(dryRun === 'none', async (client) => {
      const info = mapObject(obj, '');
      if (typeof info === 'string') throw new CliError(info);
      const namespace = info.resource.namespaced ? explicitNs ?? client.namespace : undefined;
      if (opts.saveConfig) obj.metadata = { ...obj.metadata, annotations: { ...(obj.metadata?.annotations ?? {}), [LAST_APPLIED]: lastAppliedFor(obj) } };
      let created: KObject;
      try {
        created = await client.create(info.resource, obj, { namespace, dryRun: dryRun === 'server', fieldManager: opts.fieldManager, fieldValidation: fieldValidation(opts.validate) });
      } catch (e) {
        // The generators wrap the server's error in their own words, so the reason is not shown.
        if (e instanceof ApiError) throw new CliError(`error: failed to create ${words[0]}: ${e.status.message}`);
        throw e;
      }
      cli.out(opts.output ? formatObjects([created], opts.output, true) : `${objectRef(info.resource, created.metadata!.name!)} created${dryRunSuffix(dryRun)}\n`);
    });
  });
}

function nameFor(obj: KObject): string {
  const info = mapObject(obj, '');
  return typeof info === 'string' ? `${String(obj.kind).toLowerCase()}/${obj.metadata?.name}` : objectRef(info.resource, obj.metadata!.name!);
}

async function createFromFiles(cli: Cli, opts: any): Promise<void> {
  if (!opts.filename?.length) {
    throw new CliError('error: must specify one of -f and -k');
  }
  checkOutputFormat(opts.output);
  const dryRun: DryRun = parseDryRun(opts.dryRun);
  const { infos, errors: readErrors } = readManifests(opts.filename, !!opts.recursive);
  const errors: CollectedError[] = [...readErrors];
  const explicitNs = cli.globals().namespace;
  const printed: KObject[] = [];
  await cli.withClient(dryRun === 'none', async (client) => {
    for (const info of infos) {
      try {
        const namespace = namespaceFor(info, client, explicitNs);
        const obj = JSON.parse(JSON.stringify(info.object));
        if (namespace) obj.metadata.namespace = namespace;
        if (opts.saveConfig) obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [LAST_APPLIED]: lastAppliedFor(obj) };
        const created = dryRun === 'client' ? obj : await client.create(info.resource, obj, { namespace, dryRun: dryRun === 'server', fieldManager: 'kubectl-create', fieldValidation: fieldValidation(opts.validate) });
        if (opts.output) printed.push(created);
        else cli.out(`${objectRef(info.resource, created.metadata.name)} created${dryRunSuffix(dryRun)}\n`);
      } catch (e) {
        if (e instanceof ApiError) errors.push(withSource('creating', info.source, e));
        else if (e instanceof CliError) errors.push(e.message);
        else throw e;
      }
    }
  });
  if (printed.length) cli.out(formatObjects(printed, opts.output, printed.length === 1));
  if (errors.length) {
    cli.err(formatCollected(errors));
    process.exitCode = 1;
  }
}

/** kubectl's two-line usage errors for generator input. */
export function generatorFailure(e: GeneratorError, cmdPath: string): CliError {
  if (e.usageError) return new CliError(`${e.message}\nSee 'minikctl create ${cmdPath} --help' for usage.`);
  if (e.seeHelp) return new CliError(`${e.message}\nSee 'minikctl ${e.seeHelp} -h' for help and examples`);
  // cobra's required-flag check fails after kubectl has set up logging, so it is reported via klog.
  const required = /^error: (required flag\(s\) .* not set)$/.exec(e.message);
  if (required) return new CliError(klogError('run.go:72', `"command failed" err=${JSON.stringify(required[1])}`).trimEnd());
  return new CliError(e.message);
}
