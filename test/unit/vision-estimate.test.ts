/**
 * estimate() with a vision part: its own line (visionBytes, in the total when loaded), per runtime, and the context
 * positions images take. Gemma 3 4B IT: SigLIP tower + projector 419,816,304 parameters; llama.cpp's mmproj F16 file
 * 851.25 MB (published 851 MB); 256 image embeddings plus markers per image.
 */
import { describe, expect, it } from 'vitest';
import { estimate } from '../../src/sizing/memory/estimate.ts';
import { SizingError } from '../../src/sizing/errors.ts';
import { loadConfig } from '../fixtures/configs.ts';

const gemma = { kind: 'config' as const, config: loadConfig('gemma-3-4b-it') };

describe('estimate(): the vision part as its own line', () => {
  it('transformers and vLLM hold tower + projector in BF16, in the total', () => {
    const e = estimate(gemma, { quant: 'bf16', ctx: 8192, runtime: 'transformers' });
    expect(e.vision).toMatchObject({ basis: 'exact', family: 'gemma3', params: 419_816_304, loaded: true });
    expect(e.visionBytes).toBe(419_816_304 * 2);
    expect(e.totalBytes).toBe(e.weightsBytes + e.kvCacheBytes + e.computeBytes + e.overheadBytes + e.visionBytes);
    expect(estimate(gemma, { quant: 'bf16', ctx: 8192, runtime: 'vllm' }).visionBytes).toBe(419_816_304 * 2);
  });

  it('llama.cpp: not loaded without --mmproj; with images, the mmproj file (F16 by default, Q8_0 smaller)', () => {
    const text = estimate(gemma, { quant: 'Q4_K_M', ctx: 8192 });
    expect(text.vision!.loaded).toBe(false);
    expect(text.visionBytes).toBe(0);
    expect(text.notes.join(' ')).toMatch(/only with --mmproj/);
    const withImage = estimate(gemma, { quant: 'Q4_K_M', ctx: 8192, images: 1 });
    expect(withImage.vision!.loaded).toBe(true);
    expect(withImage.vision!.mmprojFileBytes! / 1e6).toBeCloseTo(851.25, 1);
    expect(withImage.visionBytes).toBeLessThan(withImage.vision!.mmprojFileBytes!);
    const q8 = estimate(gemma, { quant: 'Q4_K_M', ctx: 8192, images: 1, mmprojType: 'q8_0' });
    expect(q8.visionBytes).toBeLessThan(withImage.visionBytes * 0.75); // norms, position embeddings and the patch conv stay F32 or F16
    expect(estimate(gemma, { quant: 'Q4_K_M', ctx: 8192, runtime: 'ollama' }).vision!.loaded).toBe(true);
  });

  it('images take context positions, per runtime, and more than the context is said', () => {
    const e = estimate(gemma, { quant: 'Q4_K_M', ctx: 8192, images: 4 });
    expect(e.vision!.tokensPerImage).toBe(258);
    expect(e.vision!.imageTokens).toBe(4 * 258);
    expect(estimate(gemma, { quant: 'bf16', ctx: 8192, runtime: 'transformers', images: 4 }).vision!.tokensPerImage).toBe(260);
    expect(estimate(gemma, { quant: 'Q4_K_M', ctx: 1024, images: 8 }).notes.join(' ')).toMatch(/more than the context/);
  });

  it('a text-only model has no vision line; bad image counts are refused', () => {
    const e = estimate({ kind: 'config', config: loadConfig('llama-3.1-8b') }, { quant: 'Q4_K_M', ctx: 8192, images: 2 });
    expect(e.vision).toBeUndefined();
    expect(e.visionBytes).toBe(0);
    for (const images of [-1, 1.5, 1e9]) expect(() => estimate(gemma, { quant: 'Q4_K_M', ctx: 8192, images })).toThrow(SizingError);
  });
});
