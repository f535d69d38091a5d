// `kubectl events`' own printer (not the server-side table `get events` prints): LAST SEEN with the
// "(xN over M)" interval, the involved object as Kind/name, sorted by the event's latest time.
import { tabwrite } from './table/tabwriter.js';
import { translateTimestampSince, parseTimestamp } from './age.js';

/** The time kubectl events sorts by: the series' last observation, else lastTimestamp, else eventTime. */
export function eventSortTime(e: any): number {
  if (e.series) return parseTimestamp(e.series.lastObservedTime) ?? 0;
  return parseTimestamp(e.lastTimestamp) ?? parseTimestamp(e.eventTime) ?? 0;
}

/** Oldest first; a stable sort keeps the server's order among events of the same time. */
export function sortEventsByTime<T>(events: T[]): T[] {
  return events
    .map((e, i) => ({ e, i, t: eventSortTime(e) }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.e);
}

/** getInterval: "5s", or "5s (x3 over 2m)" for repeated events and series. */
export function eventInterval(e: any, now: number): string {
  const first = e.eventTime ? translateTimestampSince(e.eventTime, now) : translateTimestampSince(e.firstTimestamp, now);
  if (e.series) return `${translateTimestampSince(e.series.lastObservedTime, now)} (x${e.series.count ?? 0} over ${first})`;
  if ((e.count ?? 0) > 1) return `${translateTimestampSince(e.lastTimestamp, now)} (x${e.count} over ${first})`;
  return first;
}

/** escapeCell: a cell stops at its first line break, marked with "...". */
function cell(s: unknown): string {
  const str = String(s ?? '');
  const i = str.search(/[\f\n\r]/);
  return i >= 0 ? `${str.slice(0, i)}...` : str;
}

export function eventRow(e: any, now: number, allNamespaces: boolean): string[] {
  const io = e.involvedObject ?? {};
  const row = [eventInterval(e, now), cell(e.type), cell(e.reason), `${cell(io.kind)}/${cell(io.name)}`, cell(String(e.message ?? '').trim())];
  return allNamespaces ? [e.metadata?.namespace ?? '', ...row] : row;
}

export function eventHeader(allNamespaces: boolean): string[] {
  const h = ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];
  return allNamespaces ? ['NAMESPACE', ...h] : h;
}

/** The whole table for a list of events (already filtered and sorted). */
export function printEvents(events: any[], now: number, opts: { allNamespaces: boolean; noHeaders: boolean }): string {
  const rows = events.map((e) => eventRow(e, now, opts.allNamespaces));
  if (!opts.noHeaders) rows.unshift(eventHeader(opts.allNamespaces));
  return tabwrite(rows);
}
