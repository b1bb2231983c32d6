/** formatBytes prints numbers as en-US Intl would, without Intl (fixedWithCommas): same digits, same rounding. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fixedWithCommas, formatBytes } from '../../src/sizing/units';

const intl = (x: number, d: number) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

describe('fixedWithCommas', () => {
  it('rounds the shortest decimal half away from zero, as Intl does (1.005 -> 1.01, where toFixed gives 1.00)', () => {
    expect(fixedWithCommas(1.005, 2)).toBe('1.01');
    expect((1.005).toFixed(2)).toBe('1.00');
    expect(fixedWithCommas(2.5, 0)).toBe('3');
    expect(fixedWithCommas(-2.5, 0)).toBe('-3');
    expect(fixedWithCommas(999.995, 2)).toBe('1,000.00');
    expect(fixedWithCommas(1234567.891, 1)).toBe('1,234,567.9');
    expect(fixedWithCommas(0, 2)).toBe('0.00');
    expect(fixedWithCommas(-0.004, 2)).toBe('0.00'); // Intl: "-0.00"
    expect(fixedWithCommas(5e-7, 2)).toBe(intl(5e-7, 2));
    expect(fixedWithCommas(2e21, 0)).toBe(intl(2e21, 0));
  });

  it('prints what Intl prints for any number that does not round to a negative zero', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e25, max: 1e25 }), fc.integer({ min: 0, max: 4 }), (x, d) => {
        const want = intl(x, d);
        if (/^-0(\.0+)?$/.test(want)) return true;
        return fixedWithCommas(x, d) === want;
      }),
      { numRuns: 20000 },
    );
  });

  it('formatBytes keeps its unit and digits', () => {
    expect(formatBytes(16.06e9, 'GB')).toBe('16.06 GB');
    expect(formatBytes(1234.5e9, 'GB')).toBe('1,235 GB');
    expect(formatBytes(Number.NaN, 'GB')).toBe('—');
  });
});
