// The shared resource.Quantity: exact arithmetic and Quantity.String()'s canonical form.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addQuantity, canonical, compareQuantity, formatQuantity, milliValue, parseQuantity, subtractQuantity, tryParseQuantity,
} from '../../../src/apiserver/quantity.js';
import * as describeQuantity from '../../../src/printers/describe/quantity.js';

const sum = (a: string, b: string) => formatQuantity(addQuantity(parseQuantity(a), parseQuantity(b)));

describe('quantity', () => {
  it('prints the canonical form the apiserver stores', () => {
    expect(canonical('1.5')).toBe('1500m');
    expect(canonical('0.5')).toBe('500m');
    expect(canonical('1024Mi')).toBe('1Gi');
    expect(canonical('1000m')).toBe('1');
    expect(canonical('2000')).toBe('2k');
    expect(canonical('1e3')).toBe('1e3');
    expect(canonical('512Ki')).toBe('512Ki');
    expect(canonical('0.5Ki')).toBe('512');
    expect(canonical('100M')).toBe('100M');
    expect(canonical('0')).toBe('0');
  });

  it('adds and subtracts exactly, keeping the first operand format', () => {
    expect(sum('600Mi', '100Mi')).toBe('700Mi');
    expect(sum('500m', '1')).toBe('1500m');
    expect(sum('400m', '400m')).toBe('800m');
    expect(sum('1Gi', '1Gi')).toBe('2Gi');
    expect(sum('0.1', '0.2')).toBe('300m');
    expect(formatQuantity(subtractQuantity(parseQuantity('1Gi'), parseQuantity('300Mi')))).toBe('724Mi');
  });

  it('compares across suffixes', () => {
    expect(compareQuantity(parseQuantity('1Gi'), parseQuantity('1024Mi'))).toBe(0);
    expect(compareQuantity(parseQuantity('1G'), parseQuantity('1Gi'))).toBe(-1);
    expect(compareQuantity(parseQuantity('1.5'), parseQuantity('800m'))).toBe(1);
  });

  it('rounds to milli upwards like MilliValue', () => {
    expect(milliValue(parseQuantity('1500u'))).toBe(2);
    expect(milliValue(parseQuantity('2'))).toBe(2000);
  });

  it('refuses what is not a quantity', () => {
    expect(tryParseQuantity('abc')).toBeUndefined();
    expect(tryParseQuantity('1.2.3')).toBeUndefined();
    expect(tryParseQuantity('')).toBeUndefined();
    expect(tryParseQuantity('Mi')).toBeUndefined();
  });

  it('is the module describe prints with', () => {
    expect(describeQuantity.canonical).toBe(canonical);
    expect(describeQuantity.parseQuantity).toBe(parseQuantity);
  });

  it('round-trips: the canonical string parses back to the same amount', () => {
    const suffixes = ['', 'm', 'k', 'M', 'G', 'Ki', 'Mi', 'Gi'];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom(...suffixes), (n, s) => {
        const q = parseQuantity(`${n}${s}`);
        expect(parseQuantity(formatQuantity(q)).nanos).toBe(q.nanos);
      }),
      { numRuns: 200 },
    );
  });
});
