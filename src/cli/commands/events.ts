// PLACEHOLDER: being written in this session.
import type { Cli } from '../cli.js';

export function register(cli: Cli): void {
  cli.program.command('events').allowUnknownOption().allowExcessArguments().action(() => {
    cli.err('error: minikctl events is not built yet\n');
    process.exitCode = 1;
  });
}
