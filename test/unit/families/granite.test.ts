/**
 * IBM Granite 3.1 8B (GraniteForCausalLM), from its real config.json (test/fixtures/configs/granite-3.1-8b.json,
 * URL in its _source). Published count: 8.171 billion parameters (Open LLM Leaderboard request for
 * ibm-granite/granite-3.0-8b-instruct, same dimensions: https://huggingface.co/datasets/le-leadboard/requests).
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

describe('Granite 3.1 8B (GraniteForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('granite-3.1-8b'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "granite", tied embeddings, 40 GQA layers of 32 / 8 heads of 128', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('granite');
    expect(shape.tiedEmbeddings).toBe(true);
    expect(shape.layers).toHaveLength(40);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 32, nHeadKv: 8, headDimK: 128, headDimV: 128, window: null });
  });

  it('writes the tensors of src/models/granite.cpp: no output.weight, 9 per block', () => {
    expect(tensors.filter((t) => t.layer === null).map((t) => t.name)).toEqual(['token_embd.weight', 'output_norm.weight']);
    expect(tensors.filter((t) => t.layer === 0).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'blk.0.attn_norm.weight 4096',
      'blk.0.attn_q.weight 4096x4096',
      'blk.0.attn_k.weight 4096x1024',
      'blk.0.attn_v.weight 4096x1024',
      'blk.0.attn_output.weight 4096x4096',
      'blk.0.ffn_norm.weight 4096',
      'blk.0.ffn_gate.weight 4096x12800',
      'blk.0.ffn_down.weight 12800x4096',
      'blk.0.ffn_up.weight 4096x12800',
    ]);
    expect(tensors).toHaveLength(2 + 40 * 9);
  });

  it('counts 8.171 billion parameters, as published (within 0.5%)', () => {
    const total = paramCounts(tensors, shape).total;
    // 49155 x 4096 (tied embedding) + 40 x (2 x 4096^2 + 2 x 4096 x 1024 + 3 x 4096 x 12800 + 2 x 4096) + 4096.
    expect(total).toBe(49155 * 4096 + 40 * (2 * 4096 ** 2 + 2 * 4096 * 1024 + 3 * 4096 * 12800 + 2 * 4096) + 4096);
    expect(Math.abs(total / 8.171e9 - 1)).toBeLessThan(0.005);
  });

  it('caches 40 layers x 8 KV heads x 128 x 2 (K, V) x 2 bytes per token in llama.cpp', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(40 * 8 * 128 * 2 * 2);
  });
});
