// minikctl explain: fields of a resource, from the schemas generated from the OpenAPI spec.
import type { Cli } from '../cli.js';
import { CliError } from '../errors.js';
import { resolveResource } from '../../apiserver/resources.js';

export function register(cli: Cli): void {
  cli.program
    .command('explain')
    .description('Get documentation for a resource')
    .usage('TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [-o|--output=plaintext|plaintext-openapiv2] [flags] [options]')
    .argument('[args...]')
    .option('--recursive', 'When true, print the name of all the fields recursively.')
    .option('--api-version <gv>', 'Use given api-version (group/version) of the resource.')
    .option('-o, --output <format>', 'Format in which to render the schema.', 'plaintext')
    .action(async (args: string[], opts: any) => {
      if (args.length === 0) {
        throw new CliError('error: You must specify the type of resource to explain. Use "minikctl api-resources" for a complete list of supported resources.');
      }
      if (args.length > 1) throw new CliError(`error: We accept only this format: explain RESOURCE\nSee 'minikctl explain -h' for help and examples`);
      const { explain, splitExplainArg, ExplainError } = await import('../../printers/explain.js');
      const { resource, fieldPath } = splitExplainArg(args[0]);
      const ri = resolveResource(resource);
      if (!ri) throw new CliError(`error: the server doesn't have a resource type "${resource}"`);
      let version = ri.version;
      let group = ri.group;
      if (opts.apiVersion) {
        const [g, v] = opts.apiVersion.includes('/') ? opts.apiVersion.split('/') : ['', opts.apiVersion];
        group = g;
        version = v;
      }
      try {
        cli.out(explain({ group, version, kind: ri.kind }, fieldPath, { recursive: !!opts.recursive }));
      } catch (e) {
        if (e instanceof ExplainError) {
          // kubectl prints the GROUP/KIND/VERSION header before it finds the field missing.
          const head = (e as any).stdout;
          if (head) cli.out(head);
          throw new CliError(e.message);
        }
        throw e;
      }
    });
}
