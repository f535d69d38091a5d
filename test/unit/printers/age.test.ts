import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { humanDuration, shortHumanDuration, translateTimestampSince } from '../../../src/printers/age.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration (duration.HumanDuration)', () => {
  it.each([
    [-2 * s, '<invalid>'],
    [-1999, '0s'],
    [-1 * s, '0s'],
    [0, '0s'],
    [999, '0s'],
    [45 * s, '45s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [3 * m + 20 * s, '3m20s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [3 * h + 5 * m, '3h5m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h + 30 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [2 * d + 3 * h, '2d3h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d + 5 * h, '8d'],
    [729 * d, '729d'],
    [730 * d, '2y'],
    [3 * 365 * d + 10 * d, '3y10d'],
    [8 * 365 * d + 100 * d, '8y'],
  ])('%d ms → %s', (ms, want) => expect(humanDuration(ms)).toBe(want));

  it('never grows shorter as time passes', () => {
    // a coarse property: the number of whole seconds implied by the text never decreases
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 365 * d }), (ms) => {
        const out = humanDuration(ms);
        expect(out).toMatch(/^(\d+y)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?$/);
      }),
    );
  });
});

describe('shortHumanDuration', () => {
  it.each([
    [59 * s, '59s'],
    [90 * s, '1m'],
    [5 * h, '5h'],
    [3 * d, '3d'],
    [400 * d, '1y'],
  ])('%d ms → %s', (ms, want) => expect(shortHumanDuration(ms)).toBe(want));
});

describe('translateTimestampSince', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');
  it('is <unknown> for a missing timestamp', () => {
    expect(translateTimestampSince(undefined, now)).toBe('<unknown>');
    expect(translateTimestampSince(null, now)).toBe('<unknown>');
    expect(translateTimestampSince('', now)).toBe('<unknown>');
  });
  it('is the age of the timestamp at now', () => {
    expect(translateTimestampSince('2024-05-01T11:56:40Z', now)).toBe('3m20s');
    expect(translateTimestampSince('2024-05-01T12:00:10Z', now)).toBe('<invalid>');
  });
});
