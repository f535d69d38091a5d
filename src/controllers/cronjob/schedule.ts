// Cron schedules as robfig/cron v3's standard parser reads them (what kube-controller-manager
// uses): five fields (minute hour day-of-month month day-of-week) with names, ranges, steps and
// lists; the @yearly/@monthly/@weekly/@daily/@hourly descriptors; @every <duration>; and an
// optional CRON_TZ=<zone> or TZ=<zone> prefix. next(t) is the first activation strictly after t.
import { cronError } from '../../apiserver/validation/semantic/cron.js';
import { instantOf, loadZone, UTC, utcFields, wallOf, type Zone } from './zone.js';

/** Go's zero time.Time (January 1, year 1, UTC): what Next returns when nothing matches. */
export const ZERO_TIME = utcFields(1, 1, 1);

export interface Schedule {
  next(t: number): number;
}

const FIELDS: [min: number, max: number, names?: Record<string, number>][] = [
  [0, 59], [0, 23], [1, 31],
  [1, 12, { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 }],
  [0, 6, { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 }],
];

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

interface Field {
  set: Set<number>;
  /** the field was * or ? (not stepped): day-of-month and day-of-week then combine with AND */
  star: boolean;
}

function num(s: string, names?: Record<string, number>): number {
  return names && s.toLowerCase() in names ? names[s.toLowerCase()] : Number.parseInt(s, 10);
}

function parseField(expr: string, [min, max, names]: (typeof FIELDS)[number]): Field {
  const set = new Set<number>();
  let star = false;
  for (const part of expr.split(',')) {
    const [range, stepS] = part.split('/');
    const ends = range.split('-');
    let start: number;
    let end: number;
    let partStar = false;
    if (ends[0] === '*' || ends[0] === '?') {
      start = min;
      end = max;
      partStar = true;
    } else {
      start = num(ends[0], names);
      end = ends.length === 2 ? num(ends[1], names) : start;
    }
    let step = 1;
    if (stepS !== undefined) {
      step = Number.parseInt(stepS, 10);
      if (ends.length === 1 && !partStar) end = max;
      if (step > 1) partStar = false;
    }
    for (let i = start; i <= end; i += step) set.add(i);
    if (partStar) star = true;
  }
  return { set, star };
}

/** Go's time.ParseDuration, for @every (units ns us µs ms s m h). */
function parseDuration(s: string): number {
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let ms = 0;
  for (const m of s.matchAll(/([0-9.]+)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * unit[m[2]];
  return ms;
}

/** A five-field schedule in a zone. */
class SpecSchedule implements Schedule {
  constructor(readonly f: Field[], readonly zone: Zone) {}

  private dayMatches(wall: Date): boolean {
    const dom = this.f[2].set.has(wall.getUTCDate());
    const dow = this.f[4].set.has(wall.getUTCDay());
    return this.f[2].star || this.f[4].star ? dom && dow : dom || dow;
  }

  next(t: number): number {
    if (t <= ZERO_TIME) return ZERO_TIME;
    // The search runs on the zone's wall clock, from the first whole minute after t.
    let w = Math.ceil((wallOf(Math.floor(t / 1000) * 1000 + 1000, this.zone)) / 60_000) * 60_000;
    const yearLimit = new Date(w).getUTCFullYear() + 5;
    for (let guard = 0; guard < 1_000_000; guard++) {
      const d = new Date(w);
      const y = d.getUTCFullYear();
      if (y > yearLimit) return ZERO_TIME;
      const mo = d.getUTCMonth() + 1;
      if (!this.f[3].set.has(mo)) {
        w = utcFields(mo === 12 ? y + 1 : y, mo === 12 ? 1 : mo + 1, 1);
        continue;
      }
      if (!this.dayMatches(d)) {
        w = utcFields(y, mo, d.getUTCDate() + 1);
        continue;
      }
      if (!this.f[1].set.has(d.getUTCHours())) {
        w = utcFields(y, mo, d.getUTCDate(), d.getUTCHours() + 1);
        continue;
      }
      if (!this.f[0].set.has(d.getUTCMinutes())) {
        w += 60_000;
        continue;
      }
      // A wall time skipped by a clock change never happens; one that happens twice fires the
      // first time (robfig fires on both: a difference only at the hour clocks go back).
      const at = instantOf(w, this.zone);
      if (at !== undefined && at > t) return at;
      w += 60_000;
    }
    return ZERO_TIME;
  }
}

/** @every: t plus the delay (at least a second, whole seconds). */
class ConstantDelay implements Schedule {
  constructor(readonly delay: number) {}
  next(t: number): number {
    return Math.floor((t + this.delay) / 1000) * 1000;
  }
}

/** cron.ParseStandard; throws the parser's error message. */
export function parseSchedule(spec: string): Schedule {
  const err = cronError(spec);
  if (err) throw new Error(err);
  let s = spec;
  let zone = UTC;
  if (s.startsWith('TZ=') || s.startsWith('CRON_TZ=')) {
    const i = s.indexOf(' ');
    const name = s.slice(s.indexOf('=') + 1, i);
    try {
      zone = loadZone(name);
    } catch (e) {
      throw new Error(`provided bad location ${name}: ${(e as Error).message}`);
    }
    s = s.slice(i).trim();
  }
  if (s.startsWith('@every ')) {
    const d = parseDuration(s.slice(7).trim());
    return new ConstantDelay(d < 1000 ? 1000 : Math.floor(d / 1000) * 1000);
  }
  if (s.startsWith('@')) s = DESCRIPTORS[s];
  const parts = s.split(/\s+/).filter(Boolean);
  return new SpecSchedule(parts.map((p, i) => parseField(p, FIELDS[i])), zone);
}
