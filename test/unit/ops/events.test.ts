// kubectl events' table: sorted by time, the interval column, Kind/name objects.
import { describe, expect, it } from 'vitest';
import { printEvents, sortEventsByTime, eventInterval } from '../../../src/printers/events-table.js';

const now = Date.parse('2026-01-01T00:10:00Z');
const ev = (name: string, last: string, extra: any = {}) => ({
  metadata: { name, namespace: 'default' },
  involvedObject: { kind: 'Pod', name: 'web' },
  type: 'Normal',
  reason: 'Pulled',
  message: `msg ${name}`,
  firstTimestamp: last,
  lastTimestamp: last,
  count: 1,
  ...extra,
});

describe('kubectl events table', () => {
  it('sorts by last time (series, lastTimestamp, eventTime), stable among equals', () => {
    const a = ev('a', '2026-01-01T00:05:00Z');
    const b = ev('b', '2026-01-01T00:01:00Z');
    const c = { metadata: { name: 'c' }, eventTime: '2026-01-01T00:03:00.000000Z', series: { count: 2, lastObservedTime: '2026-01-01T00:09:00.000000Z' } };
    const d = ev('d', '2026-01-01T00:01:00Z');
    expect(sortEventsByTime([a, b, c, d]).map((e: any) => e.metadata.name)).toEqual(['b', 'd', 'a', 'c']);
  });

  it('shows repeats as "(xN over AGE)"', () => {
    expect(eventInterval(ev('a', '2026-01-01T00:09:00Z', { firstTimestamp: '2026-01-01T00:00:00Z', count: 4 }), now)).toBe('60s (x4 over 10m)');
    expect(eventInterval({ eventTime: '2026-01-01T00:08:00.000000Z', series: { count: 3, lastObservedTime: '2026-01-01T00:09:30.000000Z' } }, now)).toBe('30s (x3 over 2m)');
    expect(eventInterval({}, now)).toBe('<unknown>');
  });

  it('prints LAST SEEN TYPE REASON OBJECT MESSAGE with the kind as the API spells it', () => {
    const out = printEvents([ev('a', '2026-01-01T00:09:55Z')], now, { allNamespaces: false, noHeaders: false });
    expect(out).toBe('LAST SEEN   TYPE     REASON   OBJECT    MESSAGE\n5s          Normal   Pulled   Pod/web   msg a\n');
    expect(printEvents([ev('a', '2026-01-01T00:09:55Z')], now, { allNamespaces: true, noHeaders: true })).toMatch(/^default {3}5s/);
  });
});
