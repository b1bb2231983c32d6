/**
 * AllenAI OLMoE (OlmoeForCausalLM -> llama.cpp "olmoe"), from the real config of OLMoE-1B-7B-0924
 * (test/fixtures/configs/olmoe-1b-7b-0924.json, URL in _source).
 * Published count: allenai/OLMoE-1B-7B-0924-Instruct 6,919,161,856 (same shapes as the base model), the Hub's
 * safetensors total as recorded in
 * https://github.com/AlexsJones/llmfit/blob/5bdc9df9d8e28168fdc4650741be71b715a11fc6/llmfit-core/data/hf_models.json
 * (parameters_raw); the model card says "1B active and 7B total parameters".
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

const listed = (tensors: { name: string; dims: number[]; layer: number | null }[], layer: number | null) =>
  tensors.filter((t) => t.layer === layer).map((t) => `${t.name.replace(/^blk\.\d+\./, '')} ${t.dims.join('x')}`);

describe('OLMoE-1B-7B-0924 (OlmoeForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('olmoe-1b-7b-0924'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "olmoe": 16 MHA layers of 16 heads of 128, 64 experts of 1024, 8 used', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('olmoe');
    expect(shape.tiedEmbeddings).toBe(false);
    expect(shape.layers).toHaveLength(16);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 16, nHeadKv: 16, headDimK: 128, headDimV: 128, window: null });
    expect(shape.layers[0]!.ffn).toEqual({ kind: 'moe', nExpert: 64, nExpertUsed: 8, expertFf: 1024, nSharedExpert: 0, sharedFf: 0, gated: true });
  });

  it('writes the tensors of src/models/olmoe.cpp: q/k norms of hidden_size, router and stacked experts', () => {
    expect(listed(tensors, null)).toEqual(['token_embd.weight 2048x50304', 'output_norm.weight 2048', 'output.weight 2048x50304']);
    expect(listed(tensors, 0)).toEqual([
      'attn_norm.weight 2048',
      'attn_q.weight 2048x2048',
      'attn_k.weight 2048x2048',
      'attn_v.weight 2048x2048',
      'attn_output.weight 2048x2048',
      'attn_q_norm.weight 2048',
      'attn_k_norm.weight 2048',
      'ffn_norm.weight 2048',
      'ffn_gate_inp.weight 2048x64',
      'ffn_gate_exps.weight 2048x1024x64',
      'ffn_down_exps.weight 1024x2048x64',
      'ffn_up_exps.weight 2048x1024x64',
    ]);
    expect(tensors).toHaveLength(3 + 16 * 12);
  });

  it('counts 6,919,161,856 parameters, the Hub total, about 1.3 billion active', () => {
    const counts = paramCounts(tensors, shape);
    const perLayer = 4 * 2048 ** 2 + 4 * 2048 + 64 * 2048 + 64 * 3 * 2048 * 1024;
    expect(counts.total).toBe(16 * perLayer + 2 * 50304 * 2048 + 2048);
    expect(counts.total).toBe(6_919_161_856);
    expect(counts.active).toBe(16 * (perLayer - 56 * 3 * 2048 * 1024) + 2 * 50304 * 2048 + 2048);
  });

  it('caches 16 layers x 16 KV heads x 128 x 2 x 2 bytes per token', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(16 * 16 * 128 * 2 * 2);
  });
});
