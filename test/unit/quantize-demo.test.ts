import { describe, expect, test } from 'vitest';
import {
  IQ4_NL_VALUES,
  parseWeightList,
  quantizeDemo,
  randomNormalVector,
  toE4m3,
  toFp16,
} from '../../src/sizing/formats/quantize-demo.ts';

/** -16, -15, ..., 15: a block of 32 whose Q4_0 and Q5_0 results can be worked out by hand. */
const RAMP = Array.from({ length: 32 }, (_, j) => j - 16);

describe('number formats', () => {
  test('FP16 rounds to nearest even and overflows to infinity', () => {
    expect(toFp16(0.1)).toBe(0.0999755859375);
    expect(toFp16(0.375)).toBe(0.375);
    expect(toFp16(65504)).toBe(65504);
    expect(toFp16(65520)).toBe(Infinity); // halfway to the next binade rounds up to infinity
    expect(toFp16(1e-8)).toBe(0); // below half the smallest subnormal (2^-24)
    expect(toFp16(-2.5e-7)).toBe(-4 * 2 ** -24); // subnormal: 4.19 steps of 2^-24 -> 4
  });
  test('E4M3 saturates at 448 and has 3 mantissa bits', () => {
    expect(toE4m3(500)).toBe(448);
    expect(toE4m3(44.8)).toBe(44); // step 4 between 32 and 64: 11.2 steps -> 11
    expect(toE4m3(0.001)).toBe(2 ** -9); // smallest subnormal
    expect(toE4m3(1.0625)).toBe(1); // tie between 1 and 1.125 goes to the even mantissa
  });
});

describe('legacy ggml blocks (quantize_row_*_ref)', () => {
  test('Q4_0 on -16..15: d = max/-8 = 2, odd values round up by one step, 15 is clamped', () => {
    const r = quantizeDemo(RAMP, 'Q4_0');
    expect(r.groups).toEqual([{ start: 0, end: 32, scale: 2, scaleFormat: 'FP16' }]);
    expect(r.codes.slice(0, 4)).toEqual([0, 1, 1, 2]); // -16 -> 0.5 -> 0; -15 -> 1.0 -> 1; -14 -> 1.5 -> 1
    expect(r.codes[16]).toBe(8); // 0 -> 8.5 -> 8
    expect(r.codes[31]).toBe(15); // 15 -> 16 -> clamped to 15
    expect(r.dequantized.slice(0, 3)).toEqual([-16, -14, -14]);
    expect(r.dequantized[31]).toBe(14);
    // 16 odd values are off by exactly 1, 16 even values are exact.
    expect(r.errors.filter((e) => Math.abs(e) === 1)).toHaveLength(16);
    expect(r.errors.filter((e) => e === 0)).toHaveLength(16);
    expect(r.rmse).toBeCloseTo(Math.SQRT1_2, 12);
    expect(r.maxAbsError).toBe(1);
  });

  test('Q4_0 with a positive extreme: d is negative so that the extreme lands on code 0', () => {
    const r = quantizeDemo([3, -1, 0, 1.5], 'Q4_0');
    expect(r.groups[0]?.scale).toBe(-0.375);
    expect(r.codes).toEqual([0, 11, 8, 4]); // -1/-0.375 + 8.5 = 11.17 -> 11
    expect(r.levels).toEqual([-8, 3, 0, -4]);
    expect(r.dequantized).toEqual([3, -1.125, 0, 1.5]);
    expect(r.maxAbsError).toBe(0.125);
  });

  test('Q5_0 on -16..15 is exact: d = 1, q = x + 16', () => {
    const r = quantizeDemo(RAMP, 'Q5_0');
    expect(r.groups[0]?.scale).toBe(1);
    expect(r.codes).toEqual(RAMP.map((x) => x + 16));
    expect(r.rmse).toBe(0);
  });

  test('Q4_1 stores a minimum: d = (max - min)/15 in FP16, m = min', () => {
    const r = quantizeDemo([-1, 0, 0.5, 2], 'Q4_1');
    expect(r.groups[0]).toEqual({ start: 0, end: 4, scale: 0.199951171875, min: -1, scaleFormat: 'FP16' });
    expect(r.codes).toEqual([0, 5, 8, 15]); // (0.5+1)*5 + 0.5 = 8 -> 8 (truncation after adding 0.5)
    expect(r.dequantized).toEqual([-1, -0.000244140625, 0.599609375, 1.999267578125]);
  });

  test('Q5_1 uses 31 steps between min and max', () => {
    const r = quantizeDemo([0, 31, 10.4, 20.6], 'Q5_1');
    expect(r.groups[0]?.scale).toBe(1);
    expect(r.groups[0]?.min).toBe(0);
    expect(r.codes).toEqual([0, 31, 10, 21]);
  });

  test('Q8_0: d = amax/127 and roundf rounds halves away from zero', () => {
    const r = quantizeDemo([127, -63.5, 0.4, -0.5, 2.5], 'Q8_0');
    expect(r.groups[0]?.scale).toBe(1);
    expect(r.codes).toEqual([127, -64, 0, -1, 3]);
    expect(r.dequantized).toEqual([127, -64, 0, -1, 3]);
  });

  test('an all-zero block stores d = 0 and comes back as zeros', () => {
    for (const scheme of ['Q8_0', 'Q4_0', 'Q4_1', 'Q5_0', 'Q5_1', 'IQ4_NL', 'MXFP4', 'NVFP4'] as const) {
      const r = quantizeDemo([0, 0, 0, 0], scheme);
      expect(r.dequantized, scheme).toEqual([0, 0, 0, 0]);
      expect(r.rmse, scheme).toBe(0);
    }
  });
});

describe('IQ4_NL (quantize_iq4_nl, weighted least-squares scale)', () => {
  test('values that sit exactly on the table times 0.5 are recovered exactly', () => {
    const x = IQ4_NL_VALUES.map((v) => v * 0.5);
    const r = quantizeDemo(x, 'IQ4_NL');
    expect(r.groups[0]?.scale).toBe(0.5);
    expect(r.codes).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(r.rmse).toBe(0);
  });

  test('the fitted scale beats the naive max/127 scale on a ramp', () => {
    const r = quantizeDemo(RAMP, 'IQ4_NL');
    expect(r.codes.every((c) => c >= 0 && c <= 15)).toBe(true);
    r.dequantized.forEach((w, i) => expect(w).toBeCloseTo((r.groups[0]?.scale ?? NaN) * (IQ4_NL_VALUES[r.codes[i] ?? 0] ?? NaN), 5));
    // Naive: d = 16/127, nearest table entry for each value.
    const d = 16 / 127;
    const naive = RAMP.map((x) => {
      let best = Infinity;
      for (const v of IQ4_NL_VALUES) best = Math.min(best, Math.abs(v * d - x));
      return best;
    });
    const naiveWeightedErr = RAMP.reduce((s, x, i) => s + x * x * (naive[i] ?? 0) ** 2, 0);
    const fittedWeightedErr = RAMP.reduce((s, x, i) => s + x * x * (r.errors[i] ?? 0) ** 2, 0);
    expect(fittedWeightedErr).toBeLessThan(naiveWeightedErr);
  });
});

describe('FP4 formats', () => {
  test('MXFP4: E8M0 scale 2^(floor(log2 amax) - 2); ties keep the smaller code', () => {
    const r = quantizeDemo([6, 3, -1.5, 0.25, 0.2, 5, 7], 'MXFP4');
    expect(r.groups[0]).toEqual({ start: 0, end: 7, scale: 1, scaleFormat: 'E8M0' });
    expect(r.codes).toEqual([7, 5, 11, 0, 0, 6, 7]);
    expect(r.dequantized).toEqual([6, 3, -1.5, 0, 0, 4, 6]); // 7 is clipped to 6: power-of-two scales waste range
    expect(r.maxAbsError).toBe(1);
  });

  test('NVFP4: FP32 tensor scale amax/(6·448), E4M3 scale per 16 values', () => {
    const x = [6, 3, -1.5, 0.5, ...Array<number>(12).fill(0), 0.6, -0.3, ...Array<number>(14).fill(0.1)];
    const r = quantizeDemo(x, 'NVFP4');
    expect(r.tensorScale).toBeCloseTo(6 / 2688, 9);
    expect(r.groups.map((g) => [g.start, g.end, g.scale])).toEqual([
      [0, 16, 448],
      [16, 32, 44], // 0.6/6/tensorScale = 44.8 -> E4M3 44
    ]);
    expect(r.codes.slice(0, 4)).toEqual([7, 5, 11, 1]);
    r.dequantized.slice(0, 4).forEach((w, i) => expect(w).toBeCloseTo([6, 3, -1.5, 0.5][i] ?? NaN, 5));
    // Second block: step 44 x tensorScale = 0.0982; 0.6 -> 6 x 0.0982 = 0.589.
    expect(r.dequantized[16]).toBeCloseTo(6 * 44 * (6 / 2688), 5);
  });
});

describe('inputs', () => {
  test('random normal vectors are deterministic per seed', () => {
    const a = randomNormalVector(1);
    expect(a).toHaveLength(32);
    expect(randomNormalVector(1)).toEqual(a);
    expect(randomNormalVector(2)).not.toEqual(a);
    expect(a.every((v) => Number.isFinite(v) && Math.abs(v) < 6)).toBe(true);
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    expect(Math.abs(mean)).toBeLessThan(0.6);
  });

  test('weight lists parse separators and reject garbage with a sentence', () => {
    expect(parseWeightList('[0.1, -2; 3e-2\n4]')).toEqual({ ok: true, value: [0.1, -2, 0.03, 4] });
    expect(parseWeightList('')).toMatchObject({ ok: false, message: expect.stringMatching(/enter between 1 and 32/) });
    expect(parseWeightList('1, abc')).toMatchObject({ ok: false, message: expect.stringMatching(/“abc” is not a number/) });
    expect(parseWeightList('1e30')).toMatchObject({ ok: false, message: expect.stringMatching(/between −1000 and 1000/) });
    expect(parseWeightList(Array(33).fill('1').join(' '))).toMatchObject({ ok: false, message: expect.stringMatching(/33 numbers/) });
    expect(parseWeightList('0x10')).toMatchObject({ ok: false });
    expect(parseWeightList('NaN')).toMatchObject({ ok: false });
  });
});
