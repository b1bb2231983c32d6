import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../src/sizing/model-shape.ts';
import { paramCounts } from '../../src/sizing/params.ts';
import { tensorsOf } from '../../src/sizing/tensors.ts';
import { loadConfig, loadMeasured } from '../fixtures/configs.ts';

function countsFor(id: string) {
  const shape = modelShapeFromConfig(loadConfig(id));
  return { ...paramCounts(tensorsOf(shape), shape), shape };
}

/**
 * A published figure like "8.03B" covers [8.025, 8.035) when rounded, [8.03, 8.04) when truncated.
 * Vendors do both: Meta's "1.23B" for Llama-3.2-1B (1,235,814,400) and Qwen's "7.61B" for Qwen2.5-7B
 * (7,615,616,512) are truncated; llama.cpp rounds.
 */
function expectRounded(actual: number, published: number, decimals: number) {
  const unit = 10 ** -decimals;
  expect(Math.abs(actual / 1e9 - published), `${actual} vs ${published}B`).toBeLessThanOrEqual(unit / 2 + 1e-12);
}
function expectTruncated(actual: number, published: number, decimals: number) {
  const unit = 10 ** -decimals;
  const b = actual / 1e9;
  expect(b >= published - 1e-12 && b < published + unit, `${actual} vs ${published}B (truncated)`).toBe(true);
}

describe('paramCounts equals llama.cpp "model params" exactly (llamacpp-measured.json n_params)', () => {
  const measured = loadMeasured();
  for (const id of ['smollm2-135m', 'qwen2.5-0.5b', 'llama-3.2-1b', 'gemma-3-1b']) {
    it(id, () => {
      const m = measured.find((x) => x.name === id)!;
      const c = countsFor(id);
      expect(c.total).toBe(m.n_params);
      expect(c.active).toBe(m.n_params); // dense: every weight is active
    });
  }
});

describe('paramCounts against published totals', () => {
  // Meta and llama.cpp logs round to 2 decimals.
  it('Llama-3.1-8B 8.03B', () => expectRounded(countsFor('llama-3.1-8b').total, 8.03, 2));
  it('Llama-3.1-70B 70.55B', () => expectRounded(countsFor('llama-3.1-70b').total, 70.55, 2));
  it('Llama-3.2-1B 1.23B (Meta truncates)', () => expectTruncated(countsFor('llama-3.2-1b').total, 1.23, 2));
  it('Llama-3.2-3B 3.21B', () => expectRounded(countsFor('llama-3.2-3b').total, 3.21, 2));
  it('Phi-3-mini 3.8B', () => expectRounded(countsFor('phi-3-mini-128k').total, 3.8, 1));
  // Qwen model cards truncate (Qwen2.5-7B has 7,615,616,512 parameters and its card says 7.61B).
  it('Qwen2.5-7B 7.61B (non-embedding 6.53B)', () => {
    const c = countsFor('qwen2.5-7b');
    expectTruncated(c.total, 7.61, 2);
    expectRounded(c.nonEmbedding, 6.53, 2);
  });
  // The card's "non-embedding 70.0B" is not asserted: 72.7B minus its two 152064 x 8192 embeddings is 70.2B.
  it('Qwen2.5-72B 72.7B', () => expectTruncated(countsFor('qwen2.5-72b').total, 72.7, 1));
  it('Qwen2.5-0.5B non-embedding 0.36B', () => expectRounded(countsFor('qwen2.5-0.5b').nonEmbedding, 0.36, 2));
});

describe('MoE totals and active parameters', () => {
  it('Mixtral-8x7B 46.7B total / 12.9B active', () => {
    const c = countsFor('mixtral-8x7b');
    expectRounded(c.total, 46.7, 1);
    expectRounded(c.active, 12.9, 1);
  });
  it('Qwen3-30B-A3B 30.5B total / 3.3B active (Qwen truncates)', () => {
    const c = countsFor('qwen3-30b-a3b');
    expectTruncated(c.total, 30.5, 1);
    expectTruncated(c.active, 3.3, 1);
    expectTruncated(c.nonEmbedding, 29.9, 1);
  });
  it('Qwen3-235B-A22B 235B / 22B', () => {
    const c = countsFor('qwen3-235b-a22b');
    expectTruncated(c.total, 235, 0);
    expectTruncated(c.active, 22, 0);
  });
  // OpenAI's model card counts active parameters without the input embedding (a lookup): 3.61B / 5.13B.
  it('gpt-oss-20b 21B total (llama.cpp: 20.91 B) / 3.6B active', () => {
    const c = countsFor('gpt-oss-20b');
    expectRounded(c.total, 20.91, 2);
    expectRounded(c.activeWithoutInputEmbedding, 3.6, 1);
  });
  it('gpt-oss-120b 117B total (116.83B) / 5.1B active', () => {
    const c = countsFor('gpt-oss-120b');
    expectRounded(c.total, 116.83, 2);
    expectRounded(c.activeWithoutInputEmbedding, 5.1, 1);
  });
  it('DeepSeek-V3 671B main model / 37B activated; MTP layer reported in extras', () => {
    const c = countsFor('deepseek-v3');
    expectRounded(c.total, 671, 0);
    expectRounded(c.activeWithoutInputEmbedding, 37, 0);
    const mtp = c.shape.extras.find((e) => e.name.includes('MTP'));
    expect(mtp).toBeDefined();
    // The Hub's 685B = 671B main + the MTP module (its own block, eh_proj, norms, embedding and head copies),
    // plus the FP8 scale tensors (~0.04B), hence "within 1B".
    expect(Math.abs(c.total + mtp!.params - 685e9)).toBeLessThan(1e9);
    // DeepSeek's README_WEIGHTS: MTP "11.5B unique parameters, excluding the shared Embedding and output Head".
    const embeddingCopies = 2 * 129280 * 7168;
    expectRounded(mtp!.params - embeddingCopies, 11.5, 0);
  });
  // Reconstructed fixtures (see their _source): Meta's "109B total, 17B active" counts the vision encoder too.
  it('Llama-4-Scout 109B total with the vision encoder / 17B active', () => {
    const c = countsFor('llama-4-scout-17b-16e');
    const vision = c.shape.extras.find((e) => e.name === 'vision encoder')!;
    expectRounded(c.total + vision.params, 109, 0);
    expectRounded(c.active, 17, 0);
  });
  it('Qwen3-Next-80B-A3B 80B total', () => expectRounded(countsFor('qwen3-next-80b-a3b').total, 80, 0));
  it('active counts every shared part once and n_used/n_expert of the routed experts', () => {
    const c = countsFor('mixtral-8x7b');
    const routedPerLayer = 3 * 4096 * 14336 * 8;
    expect(c.total - c.active).toBe(32 * routedPerLayer * (6 / 8));
  });
});
