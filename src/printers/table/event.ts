// Event: printEvent. LAST SEEN falls back to FIRST SEEN, then to eventTime (events.k8s.io style);
// a series overrides both the time and the count.
import type { TableDef } from './types.js';
import { translateTimestampSince } from '../age.js';

function source(o: any): string {
  const component = o.source?.component || o.reportingComponent || o.reportingController || '';
  const instance = o.source?.host || o.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

export const event: TableDef = {
  columns: [
    { name: 'Last Seen' },
    { name: 'Type' },
    { name: 'Reason' },
    { name: 'Object' },
    { name: 'Subobject', priority: 1 },
    { name: 'Source', priority: 1 },
    { name: 'Message' },
    { name: 'First Seen', priority: 1 },
    { name: 'Count', priority: 1 },
    { name: 'Name', priority: 1 },
  ],
  row(o, now) {
    const first = o.firstTimestamp ? translateTimestampSince(o.firstTimestamp, now) : translateTimestampSince(o.eventTime, now);
    let last = o.lastTimestamp ? translateTimestampSince(o.lastTimestamp, now) : first;
    let count = o.count ?? 0;
    if (o.series) {
      last = translateTimestampSince(o.series.lastObservedTime, now);
      count = o.series.count ?? 0;
    } else if (count === 0) {
      count = 1; // singleton events from the new API have no count
    }
    const io = o.involvedObject ?? {};
    const target = io.name ? `${String(io.kind ?? '').toLowerCase()}/${io.name}` : String(io.kind ?? '').toLowerCase();
    return [last, o.type ?? '', o.reason ?? '', target, io.fieldPath ?? '', source(o), String(o.message ?? '').trim(), first, count, o.metadata?.name];
  },
};
