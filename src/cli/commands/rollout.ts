// PLACEHOLDER: being written in this session.
import type { Cli } from '../cli.js';

export function register(cli: Cli): void {
  cli.program.command('rollout').allowUnknownOption().allowExcessArguments().action(() => {
    cli.err('error: minikctl rollout is not built yet\n');
    process.exitCode = 1;
  });
}
