// minikctl uncordon: the other half of cordon (see cordon.ts).
import type { Cli } from '../cli.js';
import { registerCordonVerb } from './cordon.js';

export function register(cli: Cli): void {
  registerCordonVerb(cli, 'uncordon');
}
