// minikctl api-versions: every served group/version, sorted as kubectl sorts them (plain string
// order, which puts the core "v1" last).
import type { Cli } from '../cli.js';
import { apiVersions } from '../../apiserver/resources.js';

export function register(cli: Cli): void {
  cli.program
    .command('api-versions')
    .description('Print the supported API versions on the server, in the form of "group/version".')
    .usage('[flags] [options]')
    .action(async () => {
      // Discovery needs a reachable cluster in kubectl; resolving the context gives the same errors.
      await cli.withClient(false, async () => undefined);
      const versions = [...apiVersions()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      cli.out(versions.map((v) => `${v}\n`).join(''));
    });
}
