// PLACEHOLDER: being written in this session.
import type { Cli } from '../cli.js';

export function register(cli: Cli): void {
  cli.program.command('logs').allowUnknownOption().allowExcessArguments().action(() => {
    cli.err('error: minikctl logs is not built yet\n');
    process.exitCode = 1;
  });
}
