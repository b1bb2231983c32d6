import { describe, expect, test } from 'vitest';
import { normalizeQuery } from '../../src/site/search-client';

describe('search query normalization', () => {
  test.each([
    ['4 bit', '4-bit'],
    ['8 bits', '8-bit'],
    ['best 4 Bit quant', 'best 4-bit quant'],
    ['Q4_K_M', 'Q4_K_M'],
    ['4-bit', '4-bit'],
    ['bit 4', 'bit 4'],
    ['64 bitsandbytes', '64 bitsandbytes'],
  ])('%j is searched as %j', (typed, searched) => {
    expect(normalizeQuery(typed)).toBe(searched);
  });
});
