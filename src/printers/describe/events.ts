// The "Events:" table that ends most describe outputs (kubectl DescribeEvents).
import type { Writer } from './writer.js';
import { LEVEL_0, LEVEL_1 } from './writer.js';
import { since } from './util.js';

/** The time kubectl sorts events by: series last observation, else lastTimestamp, else eventTime. */
function eventTime(e: any): number {
  const t = e.series?.lastObservedTime || e.lastTimestamp || e.eventTime;
  return t ? new Date(t).getTime() : 0;
}

/** events = null: the user asked for no events, so no section at all (kubectl's `if events != nil`). */
export function describeEvents(events: any[] | undefined | null, w: Writer, now: number): void {
  if (events === null) return;
  if (!events || events.length === 0) {
    w.write(LEVEL_0, 'Events:\t<none>\n');
    return;
  }
  // kubectl flushes the tabwriter here, so the events table is aligned on its own.
  w.flush();
  const sorted = [...events].sort((a, b) => eventTime(a) - eventTime(b));
  w.write(LEVEL_0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(LEVEL_1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const first = e.eventTime ? since(e.eventTime, now) : since(e.firstTimestamp, now);
    let interval: string;
    if (e.series) {
      interval = `${since(e.series.lastObservedTime, now)} (x${e.series.count ?? 0} over ${first})`;
    } else if ((e.count ?? 0) > 1) {
      interval = `${since(e.lastTimestamp, now)} (x${e.count} over ${first})`;
    } else {
      interval = first;
    }
    const source = e.source?.component || e.reportingComponent || '';
    w.write(LEVEL_1, `${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${source}\t${String(e.message ?? '').trim()}\n`);
  }
}
