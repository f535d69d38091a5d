// minikctl get: lists or fetches objects and prints them as kubectl does.
import { Command } from 'commander';
import type { Cli } from '../cli.js';
import { formatApiError } from '../cli.js';
import { CliError } from '../errors.js';
import { parseTargets, targetsFromFiles, type Target } from '../args.js';
import { checkOutputFormat, formatObjects, isObjectFormat } from '../output.js';
import { ApiError } from '../../apiserver/errors.js';
import { listError } from '../../client/errors.js';
import type { KObject } from '../../apiserver/types.js';
import { printTable, noResourcesMessage } from '../../printers/table/index.js';
import { sortObjects } from '../../printers/sort.js';

const collect = (v: string, prev: string[] = []) => [...prev, ...v.split(',').filter(Boolean)];

export function register(cli: Cli): void {
  cli.program
    .command('get')
    .description('Display one or many resources')
    .usage('[(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]')
    .argument('[args...]')
    .option('-A, --all-namespaces', 'If present, list the requested object(s) across all namespaces.')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--field-selector <selector>', 'Selector (field query) to filter on')
    .option('-o, --output <format>', 'Output format.')
    .option('--show-labels', 'When printing, show all labels as the last column')
    .option('-L, --label-columns <label>', 'Accepts a comma separated list of labels that are going to be presented as columns.', collect)
    .option('--no-headers', "When using the default or custom-column output format, don't print headers")
    .option('--sort-by <jsonpath>', 'If non-empty, sort list types using this field specification.')
    .option('--show-kind', 'If present, list the resource type for the requested object(s).')
    .option('--ignore-not-found', 'If the requested object does not exist the command will return exit code 0.')
    .option('-w, --watch', 'After listing/getting the requested object, watch for changes.')
    .option('--watch-only', 'Watch for changes to the requested object(s), without listing/getting first.')
    .option('--output-watch-events', 'Output watch event objects when --watch or --watch-only is used.')
    .option('-f, --filename <file>', 'Filename, directory, or URL to files identifying the resource to get from a server.', collect)
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('--chunk-size <n>', 'Return large lists in chunks rather than all at once.')
    .option('--show-managed-fields', 'If true, keep the managedFields when printing objects in JSON or YAML format.')
    .action(async (args: string[], opts: any, cmd: Command) => run(cli, args, opts, cmd));
}

interface Section {
  target: Target;
  objects: KObject[];
}

async function run(cli: Cli, args: string[], opts: any, _cmd: Command): Promise<void> {
  checkOutputFormat(opts.output);
  if (opts.showLabels && opts.output && opts.output !== 'wide') throw new CliError(`error: --show-labels option cannot be used with ${opts.output} printer`);
  let targets: Target[];
  if (opts.filename?.length) {
    const r = targetsFromFiles(opts.filename, !!opts.recursive);
    for (const e of r.errors) cli.err(`${e}\n`);
    targets = r.targets;
  } else {
    targets = parseTargets(args, 'get');
  }
  if (targets.length === 0) {
    throw new CliError(
      "You must specify the type of resource to get. Use \"minikctl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"minikctl explain <resource>\" for a detailed description of that resource (e.g. minikctl explain pods).\nSee 'minikctl get -h' for help and examples",
    );
  }
  if (opts.watch || opts.watchOnly) {
    const { watch, parseDuration } = await import('../watch.js');
    return watch(cli, targets, {
      allNamespaces: !!opts.allNamespaces, labelSelector: opts.selector, fieldSelector: opts.fieldSelector,
      output: opts.output, noHeaders: opts.headers === false, showLabels: !!opts.showLabels, labelColumns: opts.labelColumns,
      outputWatchEvents: !!opts.outputWatchEvents, timeoutMs: parseDuration(opts.requestTimeout ?? cli.program.opts().requestTimeout), list: !opts.watchOnly,
    });
  }
  const isAll = args[0]?.split(',').includes('all');
  await cli.withClient(false, async (client) => {
    const sections: Section[] = [];
    const errors: string[] = [];
    const namespace = client.namespace;
    for (const t of targets) {
      if (t.names.length > 0) {
        const objs: KObject[] = [];
        for (const name of t.names) {
          try {
            objs.push(await client.get(t.resource, name, opts.allNamespaces ? undefined : namespace));
          } catch (e) {
            if (e instanceof ApiError && e.code === 404 && opts.ignoreNotFound) continue;
            if (e instanceof ApiError) errors.push(formatApiError(e));
            else throw e;
          }
        }
        sections.push({ target: t, objects: objs });
      } else {
        try {
          const list = await client.list(t.resource, {
            allNamespaces: !!opts.allNamespaces,
            labelSelector: opts.selector,
            fieldSelector: opts.fieldSelector,
          });
          sections.push({ target: t, objects: list.items });
        } catch (e) {
          // `get all` skips kinds the user may not list, as kubectl does with partial results.
          if (isAll && e instanceof ApiError && e.code === 403) continue;
          throw listError(e, t.resource, opts.selector, opts.fieldSelector);
        }
      }
    }
    // `get all` leaves out the `kubernetes` service only when... kubectl does not; keep all.
    const singleNamed = targets.length === 1 && targets[0].names.length === 1 && !opts.filename?.length;
    const now = client.api.clock.now();
    if (isObjectFormat(opts.output)) {
      let objs = sections.flatMap((s) => s.objects);
      if (opts.sortBy) objs = sortObjects(objs, opts.sortBy);
      if (!opts.showManagedFields) for (const o of objs) delete o.metadata?.managedFields;
      // kubectl prints nothing at all, not even an empty List, when --ignore-not-found found nothing.
      if ((objs.length > 0 || !singleNamed) && !(objs.length === 0 && opts.ignoreNotFound)) {
        if (objs.length === 0 && opts.output.startsWith('name')) {
          // nothing to print
        } else {
          cli.out(formatObjects(objs, opts.output, singleNamed, { noHeaders: opts.headers === false }));
        }
      }
    } else {
      const nonEmpty = sections.filter((s) => s.objects.length > 0);
      const multi = targets.length > 1 || !!opts.showKind || isAll;
      const blocks: string[] = [];
      for (const s of nonEmpty) {
        const objs = opts.sortBy ? sortObjects(s.objects, opts.sortBy, { table: true }) : s.objects;
        const ri = s.target.resource;
        blocks.push(
          printTable(ri.kind, objs, {
            wide: opts.output === 'wide',
            noHeaders: opts.headers === false,
            showLabels: !!opts.showLabels,
            labelColumns: opts.labelColumns,
            withNamespace: !!opts.allNamespaces && ri.namespaced,
            withKindPrefix: multi ? `${ri.kind.toLowerCase()}${ri.group ? `.${ri.group}` : ''}` : undefined,
            now,
          }),
        );
      }
      cli.out(blocks.join('\n'));
      if (nonEmpty.length === 0 && errors.length === 0 && !(opts.ignoreNotFound && targets.every((t) => t.names.length))) {
        const anyNamespaced = targets.some((t) => t.resource.namespaced);
        cli.err(`${noResourcesMessage(anyNamespaced && !opts.allNamespaces ? namespace : undefined)}\n`);
      }
    }
    if (errors.length > 0) {
      cli.err(errors.map((e) => `${e}\n`).join(''));
      process.exitCode = 1;
    }
  });
}

