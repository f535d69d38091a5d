// minikctl edit: opens the live object in $KUBE_EDITOR / $EDITOR (vi by default) and sends what
// changed as a strategic merge patch, as kubectl edit does. The loop follows kubectl's editoptions:
// an unchanged file cancels, a syntax error or an invalid object reopens the editor with the
// reasons on top, saving the same invalid content twice gives up, other errors say how to retry.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { load } from 'js-yaml';
import type { Cli } from '../cli.js';
import { CliError } from '../errors.js';
import { parseTargets } from '../args.js';
import { ApiError } from '../../apiserver/errors.js';
import { groupVersion, type ResourceInfo } from '../../apiserver/resources.js';
import type { KObject } from '../../apiserver/types.js';
import { toYaml } from '../../printers/yaml.js';
import { createTwoWayMergePatch } from '../../client/apply/strategic-merge.js';
import { sortedJson } from '../../client/apply/json-util.js';
import { checkOutputFormat, formatObjects, nameOf } from '../output.js';

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

interface Reason {
  head: string;
  other: string[];
}

function editorCommand(): string {
  return process.env.KUBE_EDITOR || process.env.EDITOR || 'vi';
}

/** kubectl's ManualStrip: the file without its comment lines. */
function manualStrip(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.trim().startsWith('#'))
    .join('\n');
}

/** kubectl's StripComments: the document as JSON when it parses, else the text without comments. */
function stripComments(text: string): string {
  try {
    return sortedJson(load(text) ?? null);
  } catch {
    return manualStrip(text);
  }
}

/** "# reason" lines; a multi-line reason keeps every line commented. */
function headerFor(reasons: Reason[]): string {
  let s = HEADER;
  const hash = (t: string) => t.replace(/\n(?!#)/g, '\n# ');
  for (const r of reasons) {
    s += r.other.length ? `# ${hash(r.head)}:\n` : `# ${hash(r.head)}\n`;
    for (const o of r.other) s += `# * ${hash(o)}\n`;
    s += '#\n';
  }
  return s;
}

function resourceString(ri: ResourceInfo): string {
  return ri.group ? `${ri.name}.${ri.group}` : ri.name;
}

async function run(cli: Cli, args: string[], opts: any): Promise<void> {
  checkOutputFormat(opts.output);
  const targets = parseTargets(args, 'edit');
  if (targets.length === 0) throw new CliError("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
  for (const t of targets) {
    if (t.names.length === 0) throw new CliError('error: resource(s) were provided, but no name was specified');
  }
  await cli.withClient(true, async (client) => {
    for (const t of targets) {
      for (const name of t.names) await editOne(cli, client, t.resource, name, opts);
    }
  });
}

async function editOne(cli: Cli, client: any, ri: ResourceInfo, name: string, opts: any): Promise<void> {
  const live: KObject = await client.get(ri, name);
  delete live.metadata?.managedFields;
  const dir = mkdtempSync(join(tmpdir(), 'minikctl-edit-'));
  const file = join(dir, `${ri.name}-${name}.yaml`);
  const original = toYaml(live);
  const preserved = () => `A copy of your changes has been stored to "${file}"\n`;
  let reasons: Reason[] = [];
  let containsError = false;
  let edited = '';
  for (;;) {
    // After an error the user gets their own text back, under the reasons it was refused.
    const text = headerFor(reasons) + (containsError ? manualStrip(edited).replace(/^\n+/, '') : original);
    writeFileSync(file, text);
    const ed = spawnSync(`${editorCommand()} "${file}"`, { shell: true, stdio: 'inherit' });
    if (ed.error || ed.status !== 0) {
      throw new CliError(`error: there was a problem with the editor "${editorCommand()}"`);
    }
    const previous = edited;
    edited = readFileSync(file, 'utf8');
    if (containsError && stripComments(previous) === stripComments(edited)) {
      cli.err(preserved());
      throw new CliError('error: Edit cancelled, no valid changes were saved.');
    }
    if (stripComments(original) === stripComments(edited)) {
      cli.err('Edit cancelled, no changes made.\n');
      return;
    }
    if (!edited.split('\n').some((l) => l.trim() && !l.trim().startsWith('#'))) {
      cli.err('Edit cancelled, saved file was empty.\n');
      return;
    }
    let obj: any;
    try {
      obj = load(manualStrip(edited));
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new Error('Object \'Kind\' is missing in the edited document');
    } catch (e: any) {
      containsError = true;
      reasons = [{ head: `The edited file had a syntax error: ${String(e.reason ?? e.message).split('\n')[0]}`, other: [] }];
      continue;
    }
    containsError = false;
    reasons = [];
    if (obj.apiVersion !== groupVersion(ri) || obj.kind !== ri.kind || obj.metadata?.name !== name) {
      cli.err(preserved());
      throw new CliError('error: At least one of apiVersion, kind and name was changed');
    }
    if (sortedJson(obj) === sortedJson(live)) {
      cli.out(opts.output ? formatObjects([live], opts.output, true) : `${nameOf(live, ri)} skipped\n`);
      return;
    }
    const patch = createTwoWayMergePatch(live, obj, { apiVersion: obj.apiVersion, kind: obj.kind });
    try {
      const patched = await client.patch(ri, name, 'strategic', patch, { fieldManager: 'kubectl-edit', subresource: opts.subresource });
      cli.out(opts.output ? formatObjects([patched], opts.output, true) : `${nameOf(live, ri)} edited\n`);
      return;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      const what = `${resourceString(ri)} "${name}"`;
      if (e.status.reason === 'Invalid') {
        cli.err(`error: ${what} is invalid\n`);
        const causes = e.status.details?.causes ?? [];
        reasons = [{ head: `${what} was not valid`, other: causes.map((c) => `${c.field ?? ''}: ${c.message}`) }];
        containsError = true;
        continue;
      }
      if (e.status.reason === 'NotFound') {
        cli.err(`error: ${what} could not be found on the server\n`);
        cli.err(`The edits you made on deleted resources have been saved to "${file}"\n`);
        throw new CliError('');
      }
      cli.err(`error: ${what} could not be patched: ${e.status.message}\n`);
      cli.err(`You can run \`minikctl replace -f ${file}\` to try this update again.\n`);
      throw new CliError('');
    }
  }
}
