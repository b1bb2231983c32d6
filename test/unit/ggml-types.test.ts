import { describe, expect, it } from 'vitest';
import { GGML_TYPES, GGML_TYPES_CONFIRMED_SINCE, GGML_TYPES_UNVERIFIED } from '../../src/data/ggml-types.ts';
import { SizingError } from '../../src/sizing/errors.ts';
import { bitsPerWeight, findGgmlType, ggmlType, rowBytes, tensorDataBytes } from '../../src/sizing/formats/ggml-types.ts';
import { REFERENCE, readJson } from './reference-models.ts';

const ref = readJson(`${REFERENCE}/ggml-types.json`);

describe('ggml types data', () => {
  it('holds every type of ggml-types.json with its id, block and bytes', () => {
    // ...then the types the reference lists as unverified and llama.cpp 3f545bec has since confirmed (Q2_0).
    expect(GGML_TYPES.map((t) => t.name)).toEqual([...ref.types.map((t: { name: string }) => t.name), ...GGML_TYPES_CONFIRMED_SINCE]);
    for (const r of ref.types) {
      const t = ggmlType(r.name);
      expect([t.ggmlId, t.blockSize, t.bytesPerBlock, t.layout]).toEqual([r.ggml_type_id, r.block_size, r.bytes_per_block, r.layout]);
      // bits per weight follow from the layout and agree with the reference's own figure.
      expect(bitsPerWeight(r.name)).toBe(r.bits_per_weight);
    }
  });

  it('a type confirmed since keeps the reference block layout, with the id ggml.h gives it at 3f545bec', () => {
    for (const name of GGML_TYPES_CONFIRMED_SINCE) {
      const r = ref.unverified_types.find((u: { name: string }) => u.name === name);
      const t = ggmlType(name);
      expect([t.blockSize, t.bytesPerBlock, t.layout, t.verified]).toEqual([r.block_size, r.bytes_per_block, r.layout, true]);
      expect(bitsPerWeight(name)).toBe(r.bits_per_weight);
    }
    // ggml.h at 3f545bec: GGML_TYPE_Q1_0 = 41, GGML_TYPE_Q2_0 = 42 (GGML_TYPE_COUNT = 43).
    expect([ggmlType('Q1_0').ggmlId, ggmlType('Q2_0').ggmlId]).toEqual([41, 42]);
    expect(GGML_TYPES_UNVERIFIED.map((t) => t.name)).toEqual(['IQ2_NL', 'IQ3_NL']);
  });

  it('Q1_0: 128 sign bits and one FP16 scale per block; Q2_0: 64 two-bit codes and one scale (ggml-common.h)', () => {
    // sizeof(block_q1_0) = sizeof(ggml_half) + QK1_0 / 8; sizeof(block_q2_0) = sizeof(ggml_half) + QK2_0 / 4.
    expect([ggmlType('Q1_0').blockSize, ggmlType('Q1_0').bytesPerBlock]).toEqual([128, 2 + 128 / 8]);
    expect([ggmlType('Q2_0').blockSize, ggmlType('Q2_0').bytesPerBlock]).toEqual([64, 2 + 64 / 4]);
    expect(bitsPerWeight('q1_0')).toBe(1.125);
    expect(bitsPerWeight('Q2_0')).toBe(2.25);
    expect(rowBytes('Q1_0', 4096)).toBe(32 * 18);
    expect(rowBytes('Q2_0', 4096)).toBe(64 * 18);
    expect(() => rowBytes('Q1_0', 2880)).toThrow(SizingError);
  });

  it('finds types in any casing', () => {
    expect(ggmlType('q4_k').name).toBe('Q4_K');
    expect(ggmlType('bf16').name).toBe('BF16');
    expect(findGgmlType('iq4_xs')?.bytesPerBlock).toBe(136);
    expect(findGgmlType('Q9_K')).toBeUndefined();
    expect(() => ggmlType('Q9_K')).toThrow(SizingError);
  });
});

describe('rowBytes / tensorDataBytes', () => {
  it('computes ggml_row_size', () => {
    expect(rowBytes('Q4_K', 4096)).toBe(16 * 144);
    expect(rowBytes('Q8_0', 4096)).toBe(128 * 34);
    expect(rowBytes('F32', 576)).toBe(2304);
    expect(rowBytes('MXFP4', 2880)).toBe(90 * 17);
  });

  it('rejects a row that is not a whole number of blocks', () => {
    expect(() => rowBytes('Q4_K', 2880)).toThrow(SizingError);
    expect(() => rowBytes('Q8_0', 100)).toThrow(/multiple of Q8_0's block of 32/);
  });

  it('multiplies by every dim after the first (3-D expert tensors included)', () => {
    // Llama-3.1-8B ffn_down in Q6_K: 4096 rows of 14336.
    expect(tensorDataBytes('Q6_K', [14336, 4096])).toBe(56 * 210 * 4096);
    // Qwen3-30B-A3B ffn_up_exps: [2048, 768, 128] in Q4_K.
    expect(tensorDataBytes('q4_k', [2048, 768, 128])).toBe(8 * 144 * 768 * 128);
    expect(tensorDataBytes('F32', [4096])).toBe(16384);
  });
});
