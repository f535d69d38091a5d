// Events do not live forever: the apiserver stores each with an etcd lease of --event-ttl (1h by
// default), renewed on every write, so an Event disappears an hour after it was last recorded.
// This component plays that lease. It is background work: instant mode does not jump an hour
// ahead to expire events; they go when the cluster's clock really gets there.
import type { Component, ComponentClient } from './component.js';
import type { KObject } from '../apiserver/types.js';

export const EVENT_TTL_MS = 60 * 60_000;

/** when an event was last written: the newest of its timestamps */
export function lastWritten(e: KObject): number {
  let t = -Infinity;
  for (const ts of [e.lastTimestamp, e.eventTime, e.firstTimestamp, e.series?.lastObservedTime, e.metadata?.creationTimestamp]) {
    if (typeof ts === 'string') {
      const v = Date.parse(ts);
      if (!Number.isNaN(v) && v > t) t = v;
    }
  }
  return t;
}

/**
 * Per store: the earliest expiry seen at the last scan, and when that scan was. An event written
 * since then expires no sooner than scan + TTL, so no scan is needed before the smaller of the two.
 * This keeps a settle over thousands of events from listing them every round.
 */
const scans = new WeakMap<object, { at: number; next: number }>();

export const eventTtlController: Component = {
  name: 'event-ttl',
  watches: [],
  async reconcile(c: ComponentClient): Promise<boolean> {
    const now = c.now();
    const last = scans.get(c.api.store);
    if (last) {
      const due = Math.min(last.next, last.at + EVENT_TTL_MS);
      if (now < due) {
        c.wakeAt(due, 'background');
        return false;
      }
    }
    let next = Infinity;
    let changed = false;
    for (const e of await c.list('events')) {
      const expires = lastWritten(e) + EVENT_TTL_MS;
      if (expires <= now) {
        if (await c.delete('events', e.metadata!.namespace, e.metadata!.name!)) changed = true;
      } else if (expires < next) next = expires;
    }
    scans.set(c.api.store, { at: now, next });
    c.wakeAt(Math.min(next, now + EVENT_TTL_MS), 'background');
    return changed;
  },
};
