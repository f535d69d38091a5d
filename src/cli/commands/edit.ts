// minikctl edit: opens the live object in $KUBE_EDITOR / $EDITOR (vi by default) and sends what
// changed as a patch, as kubectl edit does.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { load } from 'js-yaml';
import type { Cli } from '../cli.js';
import { CliError } from '../errors.js';
import { parseTargets } from '../args.js';
import { ApiError } from '../../apiserver/errors.js';
import { groupVersion } from '../../apiserver/resources.js';
import { toYaml } from '../../printers/yaml.js';
import { createJsonMergePatch } from '../../client/apply/json-merge.js';
import { formatApiError } from '../cli.js';
import { nameOf } from '../output.js';

export function register(cli: Cli): void {
  cli.program
    .command('edit')
    .description('Edit a resource on the server')
    .usage('(RESOURCE/NAME | -f FILENAME) [flags] [options]')
    .argument('[args...]')
    .option('-o, --output <format>', 'Output format.')
    .option('--subresource <name>', 'If specified, edit will operate on the subresource of the requested object.')
    .option('--validate <mode>', 'Must be one of: strict (or true), warn, ignore (or false).', 'strict')
    .action(async (args: string[], opts: any) => run(cli, args, opts));
}

const HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

function editorCommand(): string {
  return process.env.KUBE_EDITOR || process.env.EDITOR || 'vi';
}

async function run(cli: Cli, args: string[], _opts: any): Promise<void> {
  const targets = parseTargets(args, 'edit');
  if (targets.length === 0) throw new CliError("error: you must provide one or more resources by argument or filename");
  await cli.withClient(true, async (client) => {
    for (const t of targets) {
      if (t.names.length === 0) throw new CliError('error: resource(s) were provided, but no name was specified');
      for (const name of t.names) {
        const live = await client.get(t.resource, name);
        delete live.metadata?.managedFields;
        const dir = mkdtempSync(join(tmpdir(), 'minikctl-edit-'));
        const file = join(dir, `${t.resource.name}-${name}.yaml`);
        let text = HEADER + toYaml(live);
        for (;;) {
          writeFileSync(file, text);
          const ed = spawnSync(`${editorCommand()} "${file}"`, { shell: true, stdio: 'inherit' });
          if (ed.status !== 0) throw new CliError(`error: there was a problem with the editor "${editorCommand()}"`);
          const edited = readFileSync(file, 'utf8');
          const body = edited.split('\n').filter((l) => !l.startsWith('#')).join('\n').trim();
          if (!body) {
            cli.err('Edit cancelled, no changes made.\n');
            return;
          }
          let obj: any;
          try {
            obj = load(body);
          } catch (e: any) {
            throw new CliError(`error: error parsing edited object: ${String(e.reason ?? e.message)}\nA copy of your changes has been stored to "${file}"`);
          }
          if (JSON.stringify(obj) === JSON.stringify(live)) {
            cli.err('Edit cancelled, no changes made.\n');
            return;
          }
          if (obj.apiVersion !== groupVersion(t.resource) || obj.kind !== t.resource.kind || obj.metadata?.name !== name) {
            throw new CliError(`error: At least one of apiVersion, kind and name was changed\nA copy of your changes has been stored to "${file}"`);
          }
          const patch = createJsonMergePatch(live, obj);
          try {
            await client.patch(t.resource, name, 'merge', patch, { fieldManager: 'kubectl-edit' });
            cli.out(`${nameOf(live, t.resource)} edited\n`);
            break;
          } catch (e) {
            if (!(e instanceof ApiError)) throw e;
            // Reopen with the failure on top, as kubectl does; a second identical save gives up.
            const why = formatApiError(e).split('\n').map((l) => `# ${l}`).join('\n');
            const next = `${HEADER}# ${nameOf(live, t.resource)} was not valid:\n${why}\n#\n${body}\n`;
            if (next === text) throw new CliError(`error: Edit cancelled, no valid changes were saved.\nA copy of your changes has been stored to "${file}"`);
            text = next;
          }
        }
      }
    }
  });
}
