// minikctl expose: a Service for a deployment, replica set, replication controller, pod or service.
import type { Cli } from '../cli.js';
import { CliError } from '../errors.js';
import { parseTargets } from '../args.js';
import { expose, exposeFlags, GeneratorError } from '../../client/generators/index.js';
import { checkOutputFormat, formatObjects } from '../output.js';
import { parseDryRun, dryRunSuffix } from '../dry-run.js';
import { resourceFor } from '../../apiserver/apiserver.js';

export function register(cli: Cli): void {
  const cmd = cli.program
    .command('expose')
    .description('Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service')
    .usage('(-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [flags] [options]')
    .argument('[args...]');
  for (const f of exposeFlags as { flags: string; description: string; default?: unknown }[]) cmd.option(f.flags, f.description, f.default as any);
  cmd.option('-o, --output <format>', 'Output format.');
  cmd.option('--dry-run [strategy]', 'Must be "none", "server", or "client".');
  cmd.action(async (args: string[], opts: any) => {
    checkOutputFormat(opts.output);
    const dryRun = parseDryRun(opts.dryRun);
    const targets = parseTargets(args, 'expose');
    if (targets.length !== 1 || targets[0].names.length !== 1) {
      throw new CliError("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
    }
    const t = targets[0];
    if (!['Deployment', 'ReplicaSet', 'ReplicationController', 'Pod', 'Service'].includes(t.resource.kind)) {
      throw new CliError(`error: cannot expose a ${t.resource.kind}`);
    }
    await cli.withClient(dryRun === 'none', async (client) => {
      const target = await client.get(t.resource, t.names[0]);
      let svc: any;
      try {
        svc = expose(target, opts);
      } catch (e) {
        if (e instanceof GeneratorError) throw new CliError(e.message);
        throw e;
      }
      if (dryRun === 'client') {
        cli.out(opts.output ? formatObjects([svc], opts.output, true) : `service/${svc.metadata.name} exposed (dry run)\n`);
        return;
      }
      const created = await client.create(resourceFor('services'), svc, { namespace: client.namespace, dryRun: dryRun === 'server', fieldManager: 'kubectl-expose' });
      cli.out(opts.output ? formatObjects([created], opts.output, true) : `service/${created.metadata!.name} exposed${dryRunSuffix(dryRun)}\n`);
    });
  });
}
