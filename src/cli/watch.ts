// get --watch: after the first listing, look at the cluster again every POLL_MS and print a row for
// each object that was added, changed or deleted, as kubectl prints the events of a watch. Each
// look reads the cluster through the apiserver, as any client would, after bringing it up to the
// present (the same session step every command takes), so the cluster keeps moving meanwhile.
import { parseGoDuration } from '../cluster/go-duration.js';
import type { Cli } from './cli.js';
import type { Target } from './args.js';
import type { KObject } from '../apiserver/types.js';
import { tableRows } from '../printers/table/index.js';
import { formatObjects } from './output.js';
import { CliError } from './errors.js';

export interface WatchOptions {
  allNamespaces: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  output?: string;
  noHeaders: boolean;
  showLabels: boolean;
  labelColumns?: string[];
  outputWatchEvents: boolean;
  /** stop after this many ms (from --request-timeout); undefined watches until interrupted */
  timeoutMs?: number;
  /** print the current objects first (false for --watch-only, which prints only the header) */
  list: boolean;
}

type Snapshot = Map<string, KObject>;

/** How often the watch looks at the cluster (wall time). */
const POLL_MS = 200;

const key = (o: KObject) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

/** kubectl's duration flag values: "5s", "1m", "300ms", or a bare number of seconds. */
export function parseDuration(v: string | undefined): number | undefined {
  if (!v || v === '0') return undefined;
  // A bare number is seconds, as kubectl's --request-timeout takes it.
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  try {
    return parseGoDuration(v.trim());
  } catch (e) {
    throw new CliError(`error: invalid argument "${v}" for "--request-timeout" flag: ${(e as Error).message}`);
  }
}

export async function watch(cli: Cli, targets: Target[], opts: WatchOptions): Promise<void> {
  const widths: number[] = [];
  const tableFormat = !opts.output || opts.output === 'wide';
  let headerPrinted = false;

  const read = () =>
    cli.withClient(false, async (client) => {
      const snap: Snapshot = new Map();
      for (const t of targets) {
        let items: KObject[];
        if (t.names.length) {
          items = (await client.list(t.resource, { allNamespaces: opts.allNamespaces, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector })).items.filter((o: KObject) => t.names.includes(o.metadata!.name!));
        } else {
          items = (await client.list(t.resource, { allNamespaces: opts.allNamespaces, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector })).items;
        }
        for (const o of items) {
          o.kind ??= t.resource.kind;
          snap.set(key(o), o);
        }
      }
      return { snap, now: client.api.clock.now() };
    });

  /** Prints objects as one flush of rows; several objects of one kind share their column widths. */
  const emit = (event: string, objs: KObject[], now: number) => {
    if (objs.length === 0) return;
    if (!tableFormat) {
      for (const o of objs) {
        const text = formatObjects([o], opts.output!, true);
        cli.out(opts.output === 'yaml' ? `---\n${text}` : text);
      }
      return;
    }
    const t = targets.find((x) => x.resource.kind === objs[0].kind)!;
    const rows = tableRows(t.resource.kind, objs, {
      wide: opts.output === 'wide', noHeaders: headerPrinted || opts.noHeaders, showLabels: opts.showLabels,
      labelColumns: opts.labelColumns, withNamespace: opts.allNamespaces && t.resource.namespaced,
      withKindPrefix: targets.length > 1 ? `${t.resource.kind.toLowerCase()}${t.resource.group ? `.${t.resource.group}` : ''}` : undefined, now,
    });
    if (opts.outputWatchEvents) rows.forEach((r, i) => r.unshift(i === 0 && !headerPrinted && !opts.noHeaders ? 'EVENT' : event));
    headerPrinted = true;
    // Columns keep the widest width seen so far, so rows stay aligned under the first listing.
    for (const r of rows) r.forEach((c, i) => i < r.length - 1 && (widths[i] = Math.max(widths[i] ?? 6, [...c].length + 3)));
    cli.out(rows.map((r) => `${r.map((c, i) => (i < r.length - 1 ? c + ' '.repeat(widths[i] - [...c].length) : c)).join('')}\n`).join(''));
  };

  let { snap, now } = await read();
  if (opts.list) {
    for (const t of targets) emit('ADDED', [...snap.values()].filter((o) => o.kind === t.resource.kind), now);
  }
  if (!headerPrinted && tableFormat && !opts.noHeaders) {
    // --watch-only on an empty list still prints the header first.
    const t = targets[0];
    const header = tableRows(t.resource.kind, [], { wide: opts.output === 'wide', showLabels: opts.showLabels, labelColumns: opts.labelColumns, withNamespace: opts.allNamespaces && t.resource.namespaced, now })[0];
    if (opts.outputWatchEvents) header.unshift('EVENT');
    header.forEach((c, i) => i < header.length - 1 && (widths[i] = Math.max(widths[i] ?? 6, c.length + 3)));
    cli.out(`${header.map((c, i) => (i < header.length - 1 ? c.padEnd(widths[i]) : c)).join('')}\n`);
    headerPrinted = true;
  }

  // Each look goes through withClient, which first brings the cluster up to the present: timers
  // that fell due run, so a realtime cluster moves on while the user watches (ContainerCreating →
  // Running), and changes other commands made show up too.
  const deadline = opts.timeoutMs !== undefined ? Date.now() + opts.timeoutMs : Infinity;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
    if (Date.now() >= deadline) break;
    const next = await read();
    const events: [string, KObject][] = [];
    for (const [k, o] of next.snap) {
      const before = snap.get(k);
      if (!before) events.push(['ADDED', o]);
      else if (before.metadata?.resourceVersion !== o.metadata?.resourceVersion) events.push(['MODIFIED', o]);
    }
    for (const [k, o] of snap) if (!next.snap.has(k)) events.push(['DELETED', o]);
    events.sort((a, b) => Number(a[1].metadata?.resourceVersion ?? 0) - Number(b[1].metadata?.resourceVersion ?? 0));
    for (const [e, o] of events) emit(e, [o], next.now);
    snap = next.snap;
  }
}
