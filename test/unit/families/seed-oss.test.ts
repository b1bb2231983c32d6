/**
 * ByteDance Seed-OSS-36B (SeedOssForCausalLM), from test/fixtures/configs/seed-oss-36b.json (reconstructed from two
 * independent copies of the released config and the model card, see its _source). Published count: "36.2B params"
 * (https://raw.githubusercontent.com/jakemanger/whatmodel/main/pages/model/seed-oss-36b.md, the Hub's rounded figure;
 * the model card says 36B: https://github.com/ByteDance-Seed/seed-oss/blob/98e12be7c784c46ea98a4f816babb09965899ae0/README.md).
 * Tensors: src/models/seed-oss.cpp load_arch_tensors (llama.cpp 3f545bec).
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

describe('Seed-OSS-36B (SeedOssForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('seed-oss-36b'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "seed_oss": untied, 64 layers of 80 / 8 heads of 128', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('seed_oss');
    expect(shape.tiedEmbeddings).toBe(false);
    expect(shape.layers).toHaveLength(64);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 80, nHeadKv: 8, headDimK: 128, headDimV: 128, window: null });
    expect(shape.layers[0]!.ffn).toEqual({ kind: 'dense', ff: 27648, gated: true });
    expect(shape.maxContext).toBe(524288);
  });

  it('writes the tensors of src/models/seed-oss.cpp: q/k/v biases, no attn_output.bias, post_attention_norm before the MLP', () => {
    expect(tensors.filter((t) => t.layer === null).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'token_embd.weight 5120x155136',
      'output_norm.weight 5120',
      'output.weight 5120x155136',
    ]);
    expect(tensors.filter((t) => t.layer === 0).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'blk.0.attn_q.weight 5120x10240',
      'blk.0.attn_k.weight 5120x1024',
      'blk.0.attn_v.weight 5120x1024',
      'blk.0.attn_q.bias 10240',
      'blk.0.attn_k.bias 1024',
      'blk.0.attn_v.bias 1024',
      'blk.0.attn_output.weight 10240x5120',
      'blk.0.attn_norm.weight 5120',
      'blk.0.post_attention_norm.weight 5120',
      'blk.0.ffn_gate.weight 5120x27648',
      'blk.0.ffn_up.weight 5120x27648',
      'blk.0.ffn_down.weight 27648x5120',
    ]);
    expect(tensors).toHaveLength(3 + 64 * 12);
  });

  it('counts 36.151 billion parameters, 36.2 billion as published (within 0.5%)', () => {
    const total = paramCounts(tensors, shape).total;
    const block = 2 * 5120 * 10240 + 2 * 5120 * 1024 + (10240 + 2 * 1024) + 3 * 5120 * 27648 + 2 * 5120;
    expect(total).toBe(2 * 155136 * 5120 + 64 * block + 5120);
    expect(total).toBe(36_151_104_512);
    expect(Math.abs(total / 36.2e9 - 1)).toBeLessThan(0.005);
  });

  it('caches 64 layers x 8 KV heads x 128 x 2 (K, V) x 2 bytes per token in llama.cpp', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(64 * 8 * 128 * 2 * 2);
  });
});
