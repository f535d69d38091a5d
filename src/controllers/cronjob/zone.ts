// Time zones for CronJob schedules (spec.timeZone, or CRON_TZ= / TZ= in the schedule): Go's
// time.LoadLocation on the IANA database, here through Intl. A zone maps an instant to its wall
// clock and a wall clock back to an instant.
export interface Zone {
  name: string;
  /** milliseconds to add to UTC to read the wall clock at instant ms */
  offset(ms: number): number;
}

export const UTC: Zone = { name: 'UTC', offset: () => 0 };

const zones = new Map<string, Zone>();

/**
 * time.LoadLocation: "" and "UTC" are UTC; "Local" is the controller-manager's own zone, UTC in a
 * kind node; anything else must be an IANA name. Throws Go's error otherwise.
 */
export function loadZone(name: string): Zone {
  if (name === '' || name === 'UTC' || name === 'Local') return UTC;
  let z = zones.get(name);
  if (z) return z;
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: name, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  } catch {
    throw new Error(`unknown time zone ${name}`);
  }
  // Offsets change at most every quarter of an hour: cache them by 15-minute bucket.
  const cache = new Map<number, number>();
  const offset = (ms: number): number => {
    const bucket = Math.floor(ms / 900_000);
    const hit = cache.get(bucket);
    if (hit !== undefined) return hit;
    const at = bucket * 900_000;
    const p: Record<string, number> = {};
    for (const part of fmt.formatToParts(new Date(at))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    const wall = utcFields(p.year, p.month, p.day, p.hour, p.minute, p.second);
    const off = wall - at;
    if (cache.size > 10_000) cache.clear();
    cache.set(bucket, off);
    return off;
  };
  z = { name, offset };
  zones.set(name, z);
  return z;
}

/** Date.UTC for any year (Date.UTC reads years 0-99 as 1900-1999). */
export function utcFields(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  t.setUTCHours(h, mi, s, 0);
  return t.getTime();
}

/** The wall clock of instant ms in the zone, as a UTC-based number (read it with getUTC*). */
export const wallOf = (ms: number, z: Zone): number => ms + z.offset(ms);

/**
 * The instant at which the zone's wall clock reads `wall`: the earlier one when the wall time
 * happens twice (clocks go back), undefined when it never happens (clocks go forward).
 */
export function instantOf(wall: number, z: Zone): number | undefined {
  if (z === UTC) return wall;
  const offsets = new Set([z.offset(wall - 86_400_000), z.offset(wall), z.offset(wall + 86_400_000)]);
  let best: number | undefined;
  for (const o of offsets) {
    const t = wall - o;
    if (z.offset(t) === o && (best === undefined || t < best)) best = t;
  }
  return best;
}

/** Go's time.RFC3339 in a zone: "2026-01-01T09:00:00+09:00", or ...Z in UTC. */
export function rfc3339In(ms: number, z: Zone): string {
  const off = z.offset(ms);
  const base = new Date(Math.floor((ms + off) / 1000) * 1000).toISOString().slice(0, 19);
  if (off === 0) return `${base}Z`;
  const m = Math.round(Math.abs(off) / 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${base}${off < 0 ? '-' : '+'}${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}
