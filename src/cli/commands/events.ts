// minikctl events: kubectl's events command — the namespace's (or every namespace's) events sorted
// by time, optionally only those about one object (--for) or of some types (--types), and -w to
// keep printing them as the cluster (which moves on at every poll) records more.
import type { Cli } from '../cli.js';
import { CliError } from '../errors.js';
import { resolveResource } from '../../apiserver/resources.js';
import type { KObject } from '../../apiserver/types.js';
import { listError } from '../../client/errors.js';
import { checkOutputFormat, formatObjects, nameOf } from '../output.js';
import { sortEventsByTime, printEvents, eventRow, eventHeader } from '../../printers/events-table.js';
import { tabwrite } from '../../printers/table/tabwriter.js';

const collect = (v: string, prev: string[] = []) => [...prev, ...v.split(',')];

/** The formats kubectl events' PrintFlags accept, in the (sorted) order its error lists them. */
const EVENT_FORMATS = ['go-template', 'go-template-file', 'json', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file', 'name', 'template', 'templatefile', 'yaml'];

export function register(cli: Cli): void {
  cli.program
    .command('events')
    .description('List events')
    .usage('[(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file] [--for TYPE/NAME] [--watch] [--event=Normal,Warning] [options]')
    .option('-w, --watch', 'After listing the requested events, watch for more events.')
    .option('-A, --all-namespaces', 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.')
    .option('--for <resource>', 'Filter events to only those pertaining to the specified resource.')
    .option('--types <types>', 'Output only events of given types.', collect)
    .option('--no-headers', "When using the default output format, don't print headers.")
    .option('--chunk-size <n>', 'Return large lists in chunks rather than all at once. Pass 0 to disable.')
    .option('-o, --output <format>', 'Output format.')
    .option('--show-managed-fields', 'If true, keep the managedFields when printing objects in JSON or YAML format.')
    .option('--allow-missing-template-keys [bool]', 'If true, ignore any errors in templates when a field or map key is missing in the template.')
    .action(async (opts: any) => run(cli, opts));
}

interface ForObject {
  kind: string;
  name: string;
}

/** decodeResourceTypeName: "TYPE/NAME" → the kind and name; anything else is refused. */
function parseFor(v: string | undefined): ForObject | undefined {
  if (v === undefined || v === '') return undefined;
  if (!v.includes('/')) throw new CliError('error: --for must be in resource/name form');
  const seg = v.split('/');
  if (seg.length !== 2) throw new CliError('error: arguments in resource/name form may not have more than one slash');
  const ri = resolveResource(seg[0]);
  if (!ri) throw new CliError(`error: the server doesn't have a resource type "${seg[0]}"`);
  return { kind: ri.kind, name: seg[1] };
}

async function run(cli: Cli, opts: any): Promise<void> {
  checkOutputFormat(opts.output, EVENT_FORMATS);
  const forObj = parseFor(opts.for);
  // kubectl drops duplicates and sorts the types; either case of each word is accepted.
  const types: string[] = [...new Set<string>((opts.types ?? []).filter((t: string) => t !== ''))].sort();
  for (const t of types) {
    if (t.toLowerCase() !== 'normal' && t.toLowerCase() !== 'warning') throw new CliError('error: valid --types are Normal or Warning');
  }
  const wanted = (e: KObject) => types.length === 0 || types.some((t) => t.toLowerCase() === String(e.type ?? '').toLowerCase());
  const allNamespaces = !!opts.allNamespaces;
  const noHeaders = opts.headers === false;
  const fieldSelector = forObj ? `involvedObject.kind=${forObj.kind},involvedObject.name=${forObj.name}` : undefined;
  const ri = resolveResource('events')!;

  const read = () =>
    cli.withClient(false, async (client) => {
      try {
        const list = await client.list(ri, { allNamespaces, fieldSelector });
        return { items: (list.items as KObject[]).filter(wanted), now: client.api.clock.now(), namespace: client.namespace };
      } catch (e) {
        throw listError(e, ri, undefined, fieldSelector);
      }
    });

  if (opts.watch) return watchEvents(cli, read, { allNamespaces, noHeaders, output: opts.output, requestTimeout: opts.requestTimeout ?? cli.program.opts().requestTimeout });

  const { items, now, namespace } = await read();
  if (items.length === 0) {
    cli.err(allNamespaces ? 'No events found.\n' : `No events found in ${namespace} namespace.\n`);
    return;
  }
  const sorted = sortEventsByTime(items);
  if (opts.output) {
    for (const e of sorted) {
      e.kind ??= 'Event';
      e.apiVersion ??= 'v1';
      if (!opts.showManagedFields) delete e.metadata?.managedFields;
    }
    if (String(opts.output).split('=')[0] === 'name') cli.out(sorted.map((e) => `${nameOf(e, ri)}\n`).join(''));
    else cli.out(formatObjects([{ apiVersion: 'v1', items: sorted, kind: 'EventList', metadata: {} }], opts.output, true));
    return;
  }
  cli.out(printEvents(sorted, now, { allNamespaces, noHeaders }));
}

type Reader = () => Promise<{ items: KObject[]; now: number }>;

/**
 * A watch from no resourceVersion: first every current event (in the server's order), then each new
 * or updated one. kubectl flushes its tabwriter after every event, so each row is aligned on its
 * own (the header only with the first row).
 */
async function watchEvents(cli: Cli, read: Reader, opts: { allNamespaces: boolean; noHeaders: boolean; output?: string; requestTimeout?: string }): Promise<void> {
  const { parseDuration } = await import('../watch.js');
  const timeoutMs = parseDuration(opts.requestTimeout);
  let headerPrinted = opts.noHeaders;
  const seen = new Map<string, string>();
  const print = (e: KObject, now: number) => {
    if (opts.output) {
      e.kind ??= 'Event';
      e.apiVersion ??= 'v1';
      const text = formatObjects([e], opts.output, true);
      cli.out(String(opts.output).startsWith('yaml') ? `---\n${text}` : text);
      return;
    }
    const rows = [eventRow(e, now, opts.allNamespaces)];
    if (!headerPrinted) rows.unshift(eventHeader(opts.allNamespaces));
    headerPrinted = true;
    cli.out(tabwrite(rows));
  };
  const key = (e: KObject) => `${e.metadata?.namespace}/${e.metadata?.name}`;
  const deadline = timeoutMs !== undefined ? Date.now() + timeoutMs : Infinity;
  let stop = false;
  const onSigint = () => {
    stop = true;
  };
  process.once('SIGINT', onSigint);
  try {
    for (;;) {
      const { items, now } = await read();
      const fresh = items.filter((e) => seen.get(key(e)) !== e.metadata?.resourceVersion);
      // The first batch comes in the server's list order; later ones in the order they happened.
      if (seen.size > 0) fresh.sort((a, b) => Number(a.metadata?.resourceVersion ?? 0) - Number(b.metadata?.resourceVersion ?? 0));
      for (const e of fresh) {
        seen.set(key(e), String(e.metadata?.resourceVersion));
        print(e, now);
      }
      if (stop || Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, Math.min(200, Math.max(0, deadline - Date.now()))));
      if (stop) break;
    }
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
