import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseSchedule, ZERO_TIME } from '../../../src/controllers/cronjob/schedule.js';
import { mostRecentScheduleTime } from '../../../src/controllers/cronjob/times.js';
import { loadZone, rfc3339In } from '../../../src/controllers/cronjob/zone.js';

const t = (s: string) => Date.parse(s);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

describe('cron schedules (robfig/cron standard parser)', () => {
  it('next() is the first activation strictly after t', () => {
    const every5 = parseSchedule('*/5 * * * *');
    expect(iso(every5.next(t('2026-01-01T00:00:00Z')))).toBe('2026-01-01T00:05:00Z');
    expect(iso(every5.next(t('2026-01-01T00:04:59.500Z')))).toBe('2026-01-01T00:05:00Z');
    expect(iso(parseSchedule('* * * * *').next(t('2026-01-01T00:00:30Z')))).toBe('2026-01-01T00:01:00Z');
    expect(iso(parseSchedule('@hourly').next(t('2026-01-01T10:00:00Z')))).toBe('2026-01-01T11:00:00Z');
    expect(iso(parseSchedule('@yearly').next(t('2026-03-01T00:00:00Z')))).toBe('2027-01-01T00:00:00Z');
    expect(iso(parseSchedule('30 6 * * mon-fri').next(t('2026-01-02T07:00:00Z')))).toBe('2026-01-05T06:30:00Z'); // Fri → Mon
    expect(iso(parseSchedule('0 0 29 feb *').next(t('2026-01-01T00:00:00Z')))).toBe('2028-02-29T00:00:00Z');
    expect(iso(parseSchedule('15 14 1 * *').next(t('2026-01-31T00:00:00Z')))).toBe('2026-02-01T14:15:00Z');
  });

  it('day-of-month and day-of-week: either matches, unless one of them is *', () => {
    // 2026-01-05 is a Monday; "0 0 10 * 1": the 10th, or any Monday
    expect(iso(parseSchedule('0 0 10 * 1').next(t('2026-01-01T00:00:00Z')))).toBe('2026-01-05T00:00:00Z');
    expect(iso(parseSchedule('0 0 * * 1').next(t('2026-01-01T00:00:00Z')))).toBe('2026-01-05T00:00:00Z');
    // "*/2" in day-of-month is not a star: OR again (the 3rd is odd: 1, 3, 5, ...)
    expect(iso(parseSchedule('0 0 */2 * 1').next(t('2026-01-01T12:00:00Z')))).toBe('2026-01-03T00:00:00Z');
  });

  it('time zones: CRON_TZ=/TZ= prefixes, and skipped wall times at the spring clock change', () => {
    expect(iso(parseSchedule('CRON_TZ=Asia/Tokyo 0 9 * * *').next(t('2026-01-01T00:00:00Z')))).toBe('2026-01-02T00:00:00Z');
    expect(iso(parseSchedule('TZ=America/New_York 0 9 * * *').next(t('2026-07-01T00:00:00Z')))).toBe('2026-07-01T13:00:00Z');
    // 2026-03-08 02:30 does not exist in New York: the next 02:30 is on the 9th (EDT, 06:30Z)
    expect(iso(parseSchedule('TZ=America/New_York 30 2 * * *').next(t('2026-03-08T05:00:00Z')))).toBe('2026-03-09T06:30:00Z');
    expect(() => parseSchedule('TZ=Mars/Olympus 0 9 * * *')).toThrow('provided bad location Mars/Olympus: unknown time zone Mars/Olympus');
    expect(rfc3339In(t('2026-01-01T00:01:00Z'), loadZone('Asia/Kolkata'))).toBe('2026-01-01T05:31:00+05:30');
    expect(rfc3339In(t('2026-01-01T00:01:00Z'), loadZone(''))).toBe('2026-01-01T00:01:00Z');
  });

  it('@every adds the delay; schedules that never happen give the zero time', () => {
    expect(iso(parseSchedule('@every 90s').next(t('2026-01-01T00:00:00Z')))).toBe('2026-01-01T00:01:30Z');
    expect(parseSchedule('0 0 30 2 *').next(t('2026-01-01T00:00:00Z'))).toBe(ZERO_TIME);
    expect(() => parseSchedule('61 * * * *')).toThrow('end of range (61) above maximum (59): 61');
  });

  it('next() always lands on a matching minute after t (property)', () => {
    const sched = parseSchedule('7,37 */3 * * *');
    fc.assert(fc.property(fc.integer({ min: t('2020-01-01T00:00:00Z'), max: t('2030-01-01T00:00:00Z') }), (ms) => {
      const n = sched.next(ms);
      const d = new Date(n);
      return n > ms && n - ms <= 3 * 3_600_000 && [7, 37].includes(d.getUTCMinutes()) && d.getUTCHours() % 3 === 0 && d.getUTCSeconds() === 0;
    }), { numRuns: 200 });
  });
});

describe('mostRecentScheduleTime', () => {
  const cj = (created: string, last?: string, deadline?: number) => ({
    metadata: { creationTimestamp: created }, spec: { startingDeadlineSeconds: deadline }, status: last ? { lastScheduleTime: last } : {},
  });
  const every = parseSchedule('* * * * *');

  it('nothing due before the first schedule; the latest missed one after, and how many were missed', () => {
    const none = mostRecentScheduleTime(cj('2026-01-01T00:00:10Z'), t('2026-01-01T00:00:50Z'), every, true);
    expect([none.mostRecent, none.missed]).toEqual([undefined, 'none']);
    const one = mostRecentScheduleTime(cj('2026-01-01T00:00:10Z'), t('2026-01-01T00:01:00.100Z'), every, true);
    expect(iso(one.mostRecent!)).toBe('2026-01-01T00:01:00Z');
    const few = mostRecentScheduleTime(cj('2026-01-01T00:00:10Z', '2026-01-01T00:01:00Z'), t('2026-01-01T00:30:20Z'), every, true);
    expect([iso(few.mostRecent!), few.missed]).toEqual(['2026-01-01T00:30:00Z', 'few']);
    const many = mostRecentScheduleTime(cj('2026-01-01T00:00:10Z', '2026-01-01T00:01:00Z'), t('2026-01-01T03:00:20Z'), every, true);
    expect([iso(many.mostRecent!), many.missed]).toEqual(['2026-01-01T03:00:00Z', 'many']);
    // startingDeadlineSeconds bounds how far back it looks
    const bounded = mostRecentScheduleTime(cj('2026-01-01T00:00:10Z', '2026-01-01T00:01:00Z', 200), t('2026-01-01T03:00:20Z'), every, true);
    expect(bounded.missed).toBe('few');
  });

  it('a schedule that never happens is an error', () => {
    expect(mostRecentScheduleTime(cj('2026-01-01T00:00:10Z'), t('2026-06-01T00:00:00Z'), parseSchedule('59 23 31 2 *'), true).error).toBe('time difference between two schedules is less than 1 second');
  });
});
