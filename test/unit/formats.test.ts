import { describe, expect, it } from 'vitest';
import { formatBitsPerWeight } from '../../src/sizing/memory/format-bits.ts';
import { published } from './reference-models.ts';

describe('formatBitsPerWeight', () => {
  it('ggml: the block layout', () => {
    expect(formatBitsPerWeight('ggml:Q4_K')).toMatchObject({ bits: 4.5 });
    expect(formatBitsPerWeight('ggml:q6_k')?.bits).toBe(6.5625);
    expect(formatBitsPerWeight('ggml:IQ2_XXS')?.bits).toBe(2.0625);
  });

  it('ftype: the Llama-3.1-8B file average matches the BPW llama.cpp prints for real files', () => {
    // llama.cpp logs in published-gguf-sizes.json: Llama 3.1 8B Q6_K 6.56 BPW, Llama 3 8B Q8_0 8.50 BPW.
    const logs = published.llama_cpp_reported_model_sizes.map((r: any) => r.llama_cpp_reported).join(' ');
    expect(logs).toContain('(6.56 BPW)');
    expect(formatBitsPerWeight('ftype:Q6_K')?.bits.toFixed(2)).toBe('6.56');
    expect(formatBitsPerWeight('ftype:q8_0')?.bits.toFixed(2)).toBe('8.50');
    // A published IQ1_S 8B file is 2.00 bpw, not 1.56: its embeddings and output stay at higher types.
    expect(formatBitsPerWeight('ftype:IQ1_S')?.bits.toFixed(2)).toBe('2.00');
    expect(formatBitsPerWeight('ftype:Q4_K_M')?.basis).toMatch(/Llama-3\.1-8B/);
    expect(formatBitsPerWeight('ftype:Q4_K')?.bits).toBe(formatBitsPerWeight('ftype:Q4_K_M')?.bits);
  });

  it('ftype: Q1_0 and Q2_0 resolve for their glossary entries, above their block layouts (Q6_K output head)', () => {
    expect(formatBitsPerWeight('ftype:Q1_0')?.bits).toBeGreaterThan(formatBitsPerWeight('ggml:Q1_0')!.bits);
    expect(formatBitsPerWeight('ftype:Q2_0')?.bits).toBeGreaterThan(formatBitsPerWeight('ggml:Q2_0')!.bits);
    expect(formatBitsPerWeight('ggml:Q1_0')?.bits).toBe(1.125);
    expect(formatBitsPerWeight('ggml:q2_0')?.bits).toBe(2.25);
  });

  it('gpu: whole-checkpoint average on the same shape', () => {
    const awq = formatBitsPerWeight('gpu:awq');
    expect(awq?.bits).toBeGreaterThan(4.15625);
    expect(awq?.basis).toMatch(/stay BF16/);
    expect(formatBitsPerWeight('gpu:bf16')?.bits).toBe(16);
  });

  it('kv: cache element bits', () => {
    expect(formatBitsPerWeight('kv:f16')?.bits).toBe(16);
    expect(formatBitsPerWeight('kv:q8_0')?.bits).toBe(8.5);
    expect(formatBitsPerWeight('kv:q4_0')?.bits).toBe(4.5);
    expect(formatBitsPerWeight('kv:fp8')?.bits).toBe(8);
  });

  it('unknown keys are null', () => {
    expect(formatBitsPerWeight('ggml:Q9_K')).toBeNull();
    expect(formatBitsPerWeight('ftype:Q4_K_XXL')).toBeNull();
    expect(formatBitsPerWeight('gpu:int3')).toBeNull();
    expect(formatBitsPerWeight('kv:q2_k')).toBeNull();
    expect(formatBitsPerWeight('nonsense')).toBeNull();
  });
});
