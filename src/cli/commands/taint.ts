// minikctl taint: adds, changes and removes node taints with kubectl's parsing, checks and words
// ("node/x tainted", "untainted", "modified"). The new list replaces spec.taints whole, as the
// two-way merge patch kubectl computes does (taints have no merge key).
import type { Command } from 'commander';
import type { Cli } from '../cli.js';
import { formatApiError } from '../cli.js';
import { CliError } from '../errors.js';
import { ApiError } from '../../apiserver/errors.js';
import { resolveResource, type ResourceInfo } from '../../apiserver/resources.js';
import type { KObject } from '../../apiserver/types.js';
import { isQualifiedName, isValidLabelValue } from '../../apiserver/validation/semantic/names.js';
import { checkOutputFormat, formatObjects, nameOf } from '../output.js';
import { parseDryRun, dryRunSuffix } from '../dry-run.js';

export interface Taint {
  key: string;
  value?: string;
  effect?: string;
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** A cmdutil.UsageErrorf: the message, then the pointer to the command's help. */
const usageError = (msg: string) => new CliError(`error: ${msg}\nSee 'minikctl taint -h' for help and examples`);

/** Taint.ToString: key=value:effect, with the empty parts left out. */
export function taintString(t: Taint): string {
  let s = t.key;
  if (t.value) s += `=${t.value}`;
  if (t.effect) s += `:${t.effect}`;
  return s;
}

/** Go's %v of a corev1.Taint struct, which kubectl prints in one of its errors. */
const goTaint = (t: Taint) => `{${t.key} ${t.value ?? ''} ${t.effect ?? ''} <nil>}`;

/** parseTaint: '<key>=<value>:<effect>', '<key>:<effect>' or '<key>'. */
export function parseTaint(spec: string): Taint {
  const parts = spec.split(':');
  let key: string;
  let value = '';
  let effect = '';
  if (parts.length === 1) {
    key = parts[0];
  } else if (parts.length === 2) {
    effect = parts[1];
    if (!EFFECTS.includes(effect)) throw new Error(`invalid taint effect: ${effect}, unsupported taint effect`);
    const kv = parts[0].split('=');
    if (kv.length > 2) throw new Error(`invalid taint spec: ${spec}`);
    key = kv[0];
    if (kv.length === 2) {
      value = kv[1];
      const errs = isValidLabelValue(value);
      if (errs.length) throw new Error(`invalid taint spec: ${spec}, ${errs.join('; ')}`);
    }
  } else {
    throw new Error(`invalid taint spec: ${spec}`);
  }
  const errs = isQualifiedName(key);
  if (errs.length) throw new Error(`invalid taint spec: ${spec}, ${errs.join('; ')}`);
  const t: Taint = { key };
  if (value) t.value = value;
  if (effect) t.effect = effect;
  return t;
}

/** parseTaints: KEY- and KEY:EFFECT- remove, everything else adds (and needs an effect). */
export function parseTaints(specs: string[]): { add: Taint[]; remove: Taint[] } {
  const add: Taint[] = [];
  const remove: Taint[] = [];
  const seen = new Set<string>();
  for (const spec of specs) {
    if (spec.endsWith('-')) {
      const t = parseTaint(spec.slice(0, -1));
      remove.push({ key: t.key, ...(t.effect ? { effect: t.effect } : {}) });
      continue;
    }
    const t = parseTaint(spec);
    if (!t.effect) throw new Error(`invalid taint spec: ${spec}`);
    const id = `${t.effect}\u0000${t.key}`;
    if (seen.has(id)) throw new Error(`duplicated taints with the same key and effect: ${goTaint(t)}`);
    seen.add(id);
    add.push(t);
  }
  return { add, remove };
}

const sameTaint = (a: Taint, b: Taint) => a.key === b.key && (a.effect ?? '') === (b.effect ?? '');

/**
 * reorganizeTaints: the node's new taint list and the word kubectl reports. The added taints come
 * first, then the old ones they do not replace; removals apply to the whole list.
 */
export function reorganizeTaints(old: Taint[], overwrite: boolean, add: Taint[], remove: Taint[]): { operation: string; taints: Taint[]; errors: string[] } {
  let next: Taint[] = add.map((t) => ({ ...t }));
  for (const o of old) if (!next.some((t) => sameTaint(t, o))) next.push(o);
  const added = old.length !== next.length;
  const errors: string[] = [];
  let removed = false;
  for (const r of remove) {
    const before = next.length;
    next = next.filter((t) => (r.effect ? !sameTaint(r, t) : t.key !== r.key));
    // kubectl keeps only the last removal's outcome for the word it prints.
    removed = next.length !== before;
    if (!removed) errors.push(`taint "${taintString(r)}" not found`);
  }
  const operation = (added && removed) || overwrite ? 'modified' : added ? 'tainted' : 'untainted';
  return { operation, taints: next, errors };
}

/** checkIfTaintsAlreadyExists: the keys of added taints the node already has with that effect. */
function existing(old: Taint[], add: Taint[]): string {
  const keys: string[] = [];
  for (const t of add) for (const o of old) if (t.key === o.key && t.effect === o.effect) keys.push(t.key);
  return keys.join(',');
}

/** utilerrors.Aggregate's message: one error as is, several in brackets. */
const aggregate = (errs: string[]) => (errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);

export function register(cli: Cli): void {
  cli.program
    .command('taint')
    .description('Update the taints on one or more nodes')
    .usage('NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N [options]')
    .argument('[args...]')
    .option('--overwrite', 'If true, allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints.')
    .option('--all', 'Select all nodes in the cluster')
    .option('-l, --selector <selector>', "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2)")
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client".')
    .option('-o, --output <format>', 'Output format.')
    .option('--field-manager <name>', 'Name of the manager used to track field ownership.', 'kubectl-taint')
    .option('--validate [mode]', 'Must be one of: strict (or true), warn, ignore (or false).')
    .option('--show-managed-fields', 'If true, keep the managedFields when printing objects in JSON or YAML format.')
    .action(async (args: string[], opts: any, cmd: Command) => run(cli, args, opts, cmd));
}

async function run(cli: Cli, args: string[], opts: any, _cmd: Command): Promise<void> {
  checkOutputFormat(opts.output);
  const dryRun = parseDryRun(opts.dryRun);
  const resources: string[] = [];
  const taintArgs: string[] = [];
  for (const a of args) {
    const isTaint = a.includes('=') || a.includes(':') || a.endsWith('-');
    if (isTaint) taintArgs.push(a);
    else if (taintArgs.length) throw new CliError(`error: all resources must be specified before taint changes: ${a}`);
    else resources.push(a);
  }
  if (resources.length < 1) throw new CliError('error: one or more resources must be specified as <resource> <name>');
  if (taintArgs.length < 1) throw new CliError('error: at least one taint update is required');
  let parsed: { add: Taint[]; remove: Taint[] };
  try {
    parsed = parseTaints(taintArgs);
  } catch (e) {
    throw usageError((e as Error).message);
  }
  const type = resources[0].toLowerCase();
  const ri = resolveResource(type);
  if (!ri) throw new CliError(`error: the server doesn't have a resource type "${type}"`);
  if (ri.kind !== 'Node') throw new CliError(`error: invalid resource type ${type}, only node types are supported`);
  const conflicts: string[] = [];
  for (const a of parsed.add) {
    for (const r of parsed.remove) {
      if (a.key === r.key && (!r.effect || a.effect === r.effect)) conflicts.push(`{"${r.key}":"${r.effect ?? ''}"}`);
    }
  }
  if (conflicts.length) throw new CliError(`error: can not both modify and remove the following taint(s) in the same command: ${conflicts.join(', ')}`);
  if (opts.all && opts.selector) throw new CliError("error: setting 'all' parameter with a non empty selector is prohibited");
  if (!opts.all && !opts.selector && resources.length < 2) throw new CliError("error: at least one resource name must be specified since 'all' parameter is not set");

  const errors: string[] = [];
  await cli.withClient(dryRun === 'none', async (client) => {
    const nodes: KObject[] = [];
    if (opts.all || opts.selector) {
      nodes.push(...(await client.list(ri, { labelSelector: opts.selector })).items);
    } else {
      for (const name of resources.slice(1)) {
        try {
          nodes.push(await client.get(ri, name));
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          errors.push(formatApiError(e));
        }
      }
    }
    for (const node of nodes) {
      try {
        const result = await taintNode(client, ri, node, parsed, !!opts.overwrite, dryRun, opts.fieldManager);
        if (opts.output) {
          if (!opts.showManagedFields) delete result.object.metadata?.managedFields;
          cli.out(formatObjects([{ kind: 'Node', apiVersion: 'v1', ...result.object }], opts.output, true));
        } else {
          cli.out(`${nameOf(result.object, ri)} ${result.operation}${dryRunSuffix(dryRun)}\n`);
        }
      } catch (e) {
        if (e instanceof ApiError) errors.push(formatApiError(e));
        else if (e instanceof CliError) errors.push(e.message);
        else throw e;
      }
    }
  });
  if (errors.length) {
    cli.err(errors.map((e) => `${e}\n`).join(''));
    process.exitCode = 1;
  }
}

async function taintNode(
  client: import('../../client/client.js').Client,
  ri: ResourceInfo,
  node: KObject,
  change: { add: Taint[]; remove: Taint[] },
  overwrite: boolean,
  dryRun: 'none' | 'client' | 'server',
  fieldManager: string,
): Promise<{ operation: string; object: KObject }> {
  const name = node.metadata!.name!;
  const old: Taint[] = node.spec?.taints ?? [];
  if (!overwrite) {
    const exists = existing(old, change.add);
    if (exists) throw new CliError(`error: node ${name} already has ${exists} taint(s) with same effect(s) and --overwrite is false`);
  }
  const { operation, taints, errors } = reorganizeTaints(old, overwrite, change.add, change.remove);
  if (errors.length) throw new CliError(`error: ${aggregate(errors)}`);
  if (dryRun === 'client') {
    return { operation, object: { ...node, spec: { ...node.spec, taints: taints.length ? taints : undefined } } };
  }
  const body = { spec: { taints: taints.length ? taints : null } };
  const object = await client.patch(ri, name, 'strategic', body, { dryRun: dryRun === 'server', fieldManager });
  return { operation, object };
}
