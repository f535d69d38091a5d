// minikctl run: creates a pod from an image, as kubectl run does.
import type { Cli } from '../cli.js';
import { CliError } from '../errors.js';
import { runGenerator, GeneratorError } from '../../client/generators/index.js';
import { generatorFailure } from './create.js';
import { checkOutputFormat, formatObjects } from '../output.js';
import { parseDryRun, dryRunSuffix } from '../dry-run.js';
import { resourceFor } from '../../apiserver/apiserver.js';
import { readFileSync, readdirSync } from 'node:fs';

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
  cmd.action(async (args: string[], opts: any) => {
    checkOutputFormat(opts.output);
    const dryRun = parseDryRun(opts.dryRun);
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
    await cli.withClient(dryRun === 'none', async (client) => {
      const created = await client.create(resourceFor('pods'), pod, { namespace: cli.globals().namespace ?? client.namespace, dryRun: dryRun === 'server', fieldManager: 'kubectl-run' });
      cli.out(opts.output ? formatObjects([created], opts.output, true) : `pod/${created.metadata!.name} created${dryRunSuffix(dryRun)}\n`);
    });
  });
}
