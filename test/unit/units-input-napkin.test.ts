import { describe, expect, test } from 'vitest';
import {
  formatBytes,
  formatAuto,
  autoUnit,
  GiB,
  napkinWeightsBytes,
  napkinKvBytesPerToken,
  parseNumber,
  parseParamCount,
  SizingError,
} from '../../src/sizing/index';

describe('units', () => {
  test('GB is 10^9 bytes and GiB is 2^30 bytes, and they are never mixed up', () => {
    // Llama-3.1-8B Q4_K_M: llama.cpp prints 4.58 GiB, the Hub prints 4.92 GB for the same file.
    const bytes = 4.58 * GiB;
    expect(formatBytes(bytes, 'GiB')).toBe('4.58 GiB');
    expect(formatBytes(bytes, 'GB')).toBe('4.92 GB');
    expect(formatAuto(24 * GiB, 'GB')).toBe('25.77 GB'); // a "24 GB" card
    expect(autoUnit(512 * 2 ** 20, 'GiB')).toBe('MiB');
    expect(autoUnit(999, 'GB')).toBe('B');
  });
  test('non-finite values never print as NaN', () => {
    expect(formatBytes(Number.NaN, 'GB')).toBe('—');
    expect(formatBytes(Number.POSITIVE_INFINITY, 'GiB')).toBe('—');
  });
});

describe('napkin formulas', () => {
  test('weights = parameters x bits / 8', () => {
    expect(napkinWeightsBytes(8.03e9, 16)).toBe(16.06e9);
    expect(napkinWeightsBytes(405e9, 16)).toBe(810e9);
    expect(napkinWeightsBytes(70e9, 4)).toBe(35e9);
  });
  test('KV per token uses key/value heads; the textbook all-heads form is 4x more for Llama 3.1 8B', () => {
    // Llama-3.1-8B 131072 B/token; Llama-2-7B (32 KV heads) 524288 B/token.
    expect(napkinKvBytesPerToken({ layers: 32, kvHeads: 8, headDim: 128, bytesPerElement: 2 })).toBe(131072);
    expect(napkinKvBytesPerToken({ layers: 32, kvHeads: 32, headDim: 128, bytesPerElement: 2 })).toBe(524288);
  });
  test('bad input throws a SizingError naming the field', () => {
    expect(() => napkinWeightsBytes(-1, 16)).toThrow(SizingError);
    expect(() => napkinWeightsBytes(8e9, 0)).toThrow(/bits per weight/);
    try {
      napkinKvBytesPerToken({ layers: 32, kvHeads: 0, headDim: 128, bytesPerElement: 2 });
    } catch (e) {
      expect((e as SizingError).field).toBe('kvHeads');
    }
  });
});

describe('parsing what people type', () => {
  const bits = { label: 'Bits per weight', min: 0, minInclusive: false, max: 32 } as const;
  test.each([
    ['4', 4],
    [' 4.5 ', 4.5],
    ['1e1', 10],
    ['.5', 0.5],
  ])('accepts %j', (raw, value) => {
    expect(parseNumber(raw, bits)).toEqual({ ok: true, value });
  });
  test.each([
    ['', /enter a number/],
    ['abc', /is not a number/],
    ['0x10', /is not a number/],
    ['-3', /more than 0/],
    ['0', /more than 0/],
    ['1e30', /at most 32/],
    ['Infinity', /is not a number/],
    ['NaN', /is not a number/],
  ])('rejects %j with a sentence', (raw, message) => {
    const r = parseNumber(raw, bits);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
  test('parameter counts accept suffixes; a bare number is billions', () => {
    expect(parseParamCount('8B')).toEqual({ ok: true, value: 8e9 });
    expect(parseParamCount('70b')).toEqual({ ok: true, value: 70e9 });
    expect(parseParamCount('135M')).toEqual({ ok: true, value: 135e6 });
    expect(parseParamCount('1.5T')).toEqual({ ok: true, value: 1.5e12 });
    expect(parseParamCount('8')).toEqual({ ok: true, value: 8e9 });
    expect(parseParamCount('8,030,000,000')).toEqual({ ok: true, value: 8.03e9 });
    const huge = parseParamCount('1e30');
    expect(huge.ok).toBe(false);
    if (!huge.ok) expect(huge.message).toMatch(/at most 100 trillion/);
  });
});
