import type { Cli } from '../cli.js';
import { registerMetadataVerb } from '../metadata-edit.js';

export function register(cli: Cli): void {
  registerMetadataVerb(cli, 'annotate');
}
