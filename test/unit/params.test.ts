import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../src/sizing/model/params.ts';
import { tensorsOf } from '../../src/sizing/model/tensors.ts';
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
  /*
   * GLM-4.5-Air by hand (config: h 4096, vocab 151552, 46 layers, layer 0 dense of 10944, 45 MoE layers of 128 x 1408
   * + 1 shared, 96 heads / 8 KV heads of 128, q/k/v biases):
   *   embeddings   2 x 4096 x 151552                                   =   1,241,513,984 (+ output_norm 4096)
   *   attention    4096 x 12288 x 2 + 4096 x 1024 x 2 + 12288 + 2 x 1024 =     109,066,240 per layer; norms 2 x 4096
   *   dense ffn    3 x 4096 x 10944                                    =     134,479,872
   *   MoE ffn      4096 x 128 + 128 + 3 x 4096 x 1408 x 129             =   2,232,418,432
   *   total = 1,241,513,984 + 4096 + 46 x (109,066,240 + 8192) + 134,479,872 + 45 x 2,232,418,432 = 106,852,251,264
   *   NextN block = an MoE block (2,341,492,864) + eh_proj 8192 x 4096 + 2 x 4096 x 151552 + 3 norms = 3,616,573,568
   * llama.cpp's print_info counts every tensor of the file: "model params = 110.47 B" for GLM-4.5-Air
   * (106,852,251,264 + 3,616,573,568 = 110,468,824,832); ik_llama.cpp PR #668 prints 109.194 B, i.e. without the
   * six nextn.* tensors (embedding and head 1,241,513,984, eh_proj 33,554,432, 3 norms 12,288): 109,193,744,128.
   */
  it('GLM-4.5-Air 106B total / 12B active (zai-org); the NextN block apart, llama.cpp prints 110.47 B', () => {
    const c = countsFor('glm-4.5-air');
    expect(c.total).toBe(106_852_251_264);
    expect(c.nextn).toBe(3_616_573_568);
    expectRounded(c.total + c.nextn, 110.47, 2);
    expectRounded(c.total + c.nextn - 2 * 4096 * 151552 - 8192 * 4096 - 3 * 4096, 109.194, 3);
    expectTruncated(c.total, 106, 0);
    // Active: everything but the routed experts, plus 8/128 of them: 45 x 3 x 4096 x 1408 x 120 fewer.
    expect(c.active).toBe(106_852_251_264 - 45 * 3 * 4096 * 1408 * 120);
    // zai-org's "12B active" leaves the input embedding (a lookup) out, as OpenAI's gpt-oss card does.
    expectTruncated(c.activeWithoutInputEmbedding, 12, 0);
    expect(c.shape.extras.find((e) => e.name.includes('MTP'))?.params).toBe(c.nextn);
  });
  /*
   * GLM-4.5 by hand (h 5120, 92 layers, 3 dense of 12288, 89 MoE of 160 x 1536 + 1 shared, q/k norms of 128):
   *   embeddings 2 x 5120 x 151552 = 1,551,892,480; attention 136,314,880 + 14,336 biases + 256 q/k norms per layer;
   *   dense ffn 3 x 5120 x 12288 = 188,743,680; MoE ffn 5120 x 160 + 160 + 3 x 5120 x 1536 x 161 = 3,799,285,920
   *   total = 1,551,892,480 + 5120 + 92 x (136,329,472 + 10,240) + 3 x 188,743,680 + 89 x 3,799,285,920 = 352,797,829,024
   *   NextN = 3,935,625,632 (an MoE block) + 10240 x 5120 + 2 x 5120 x 151552 + 3 x 5120 = 5,539,962,272
   * The published 355B is neither figure exactly (352.8B without, 358.3B with the NextN block).
   */
  it('GLM-4.5 355B total / 32B active (zai-org)', () => {
    const c = countsFor('glm-4.5');
    expect(c.total).toBe(352_797_829_024);
    expect(c.nextn).toBe(5_539_962_272);
    expect(Math.abs(c.total / 355e9 - 1)).toBeLessThan(0.01);
    expect(c.active).toBe(352_797_829_024 - 89 * 3 * 5120 * 1536 * 152);
    expectTruncated(c.activeWithoutInputEmbedding, 32, 0);
  });
  it('models without NextN blocks count none', () => {
    for (const id of ['deepseek-v3', 'qwen3-30b-a3b', 'llama-3.1-8b', 'gpt-oss-20b']) expect(countsFor(id).nextn, id).toBe(0);
  });
  it('active counts every shared part once and n_used/n_expert of the routed experts', () => {
    const c = countsFor('mixtral-8x7b');
    const routedPerLayer = 3 * 4096 * 14336 * 8;
    expect(c.total - c.active).toBe(32 * routedPerLayer * (6 / 8));
  });
});
