// minikctl wait --for=delete|create|condition=NAME[=VALUE]|jsonpath='{...}'[=VALUE]: polls the
// cluster (each read brings the simulation up to the present) until every object meets the
// condition, or --timeout (default 30s of wall time) passes.
import type { Cli } from '../cli.js';
import { CliError } from '../errors.js';
import { checkOutputFormat, formatObjects, nameOf } from '../output.js';
import { ApiError } from '../../apiserver/errors.js';
import type { KObject } from '../../apiserver/types.js';
import { select, fetchItems, reportErrors, type Item } from '../../client/set/targets.js';
import { parseGoDuration } from '../../client/rollout/flags.js';
import { parseCondition, checkObject, type WaitCondition } from '../../client/rollout/wait-condition.js';
import { isManual } from './rollout.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];
const WEEK = 168 * 3600_000;

export function register(cli: Cli): void {
  cli.program
    .command('wait')
    .description('Experimental: Wait for a specific condition on one or many resources')
    .usage("([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]]")
    .argument('[args...]')
    .option('--for <condition>', 'The condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath=\'{JSONPath expression}\'=[JSONPath value]]. The default condition-value is True.  Condition values are compared after Unicode simple case folding, which is a more general form of case-insensitivity.')
    .option('--timeout <duration>', "The length of time to wait before giving up.  Zero means check once and don't wait, negative means wait for a week.", '30s')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--field-selector <selector>', 'Selector (field query) to filter on.')
    .option('--all', 'Select all resources in the namespace of the specified resource types')
    .option('-A, --all-namespaces', 'If present, list the requested object(s) across all namespaces.')
    .option('-f, --filename <file>', 'identifying the resource.', collect)
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('-o, --output <format>', 'Output format.')
    .action(async (args: string[], opts: any) => run(cli, args, opts));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const MANUAL_HINT = (what: string) =>
  `error: the cluster's clock is in manual mode and does not move by itself, so waiting for ${what} would never end; move it on with "minikctl cluster advance <duration>" (e.g. "minikctl cluster advance 30s"), then wait again`;

async function run(cli: Cli, args: string[], opts: any): Promise<void> {
  checkOutputFormat(opts.output);
  let timeoutMs = parseGoDuration(opts.timeout, '--timeout', 'wait');
  const cond = parseCondition(opts.for ?? '');
  if (timeoutMs < 0) timeoutMs = WEEK;
  const sel = select(args, opts, 'wait');
  const deadline = Date.now() + timeoutMs;
  const errors: unknown[] = [];
  const printed: KObject[] = [];
  const emit = (obj: KObject, it: Item) => {
    if (opts.output) printed.push(obj);
    else cli.out(`${nameOf(obj, it.ri)} condition met\n`);
  };
  const resourcePath = (it: Item) => `${it.ri.name}/${it.name}`;

  // --for=create: the objects need not exist yet; poll until they do.
  let items: Item[];
  for (;;) {
    const r = await cli.withClient(false, async (client, session) => {
      const errs: unknown[] = [];
      const found = await fetchItems(client, { ...sel, allNamespaces: opts.allNamespaces }, (e) => errs.push(e));
      return { found, errs, manual: isManual(session) };
    });
    const notFound = r.errs.filter((e) => e instanceof ApiError && e.code === 404);
    const others = r.errs.filter((e) => !(e instanceof ApiError && e.code === 404));
    if (others.length) {
      reportErrors(others.slice(0, 1), (s) => cli.err(s));
      return;
    }
    if (cond.type === 'delete' || notFound.length === 0) {
      items = r.found;
      break;
    }
    if (cond.type !== 'create') {
      // The items before the missing one are waited on first, as kubectl's visitor does.
      items = r.found;
      errors.push(notFound[0]);
      break;
    }
    if (timeoutMs === 0 || Date.now() >= deadline) {
      reportErrors(['timed out waiting for the condition'], (s) => cli.err(s));
      return;
    }
    if (r.manual) throw new CliError(MANUAL_HINT('the objects to be created'));
    await sleep(150);
  }
  if (cond.type !== 'delete' && items.length === 0 && errors.length === 0) {
    throw new CliError('error: no matching resources found');
  }

  for (const it of items) {
    if (cond.type === 'create') {
      emit(it.object, it);
      continue;
    }
    const uid = it.object.metadata?.uid;
    let first = true;
    let failed = false;
    for (;;) {
      const r = await cli.withClient(false, async (client, session) => {
        try {
          return { obj: await client.get(it.ri, it.name, it.namespace) as KObject | undefined, manual: isManual(session) };
        } catch (e) {
          if (e instanceof ApiError && e.code === 404) return { obj: undefined, manual: isManual(session) };
          throw e;
        }
      });
      if (cond.type === 'delete') {
        if (!r.obj || r.obj.metadata?.uid !== uid) {
          emit(it.object, it);
          break;
        }
      } else {
        if (!r.obj) {
          errors.push(new ApiError({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `${it.ri.name}${it.ri.group ? `.${it.ri.group}` : ''} "${it.name}" not found`, details: { name: it.name, group: it.ri.group, kind: it.ri.name } } as any));
          failed = true;
          break;
        }
        let met: boolean;
        try {
          met = checkObject(cond, r.obj);
        } catch (e: any) {
          errors.push(e.message);
          failed = true;
          break;
        }
        if (met) {
          emit(r.obj, it);
          break;
        }
      }
      if (timeoutMs === 0) {
        errors.push(`condition not met for ${resourcePath(it)}`);
        failed = true;
        break;
      }
      if (Date.now() >= deadline) {
        errors.push(`timed out waiting for the condition on ${resourcePath(it)}`);
        failed = true;
        break;
      }
      if (r.manual && !first) {
        throw new CliError(MANUAL_HINT(`${resourcePath(it)}`));
      }
      first = false;
      await sleep(150);
    }
    if (failed) break;
  }
  if (printed.length) {
    const fmt = String(opts.output).split('=')[0];
    cli.out(printed.map((o) => formatObjects([o], opts.output, true)).join(fmt === 'yaml' ? '---\n' : ''));
  }
  // kubectl's visitor stops at the first error.
  reportErrors(errors.slice(0, 1), (s) => cli.err(s));
}

export type { WaitCondition };
