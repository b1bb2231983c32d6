/**
 * Baidu ERNIE 4.5: 0.3B (Ernie4_5_ForCausalLM) and 21B-A3B (Ernie4_5_MoeForCausalLM), from
 * test/fixtures/configs/ernie-4.5-0.3b.json and ernie-4.5-21b-a3b.json (both reconstructed from independent copies of
 * the released configs, see their _source). Published counts:
 * - 0.3B: "360 million parameters" (https://apxml.com/models/ernie-45-03b-base; the model card says 0.3B:
 *   https://huggingface.co/docs/transformers/en/model_doc/ernie4_5).
 * - 21B-A3B: 21,825,437,888, the Hub safetensors total of baidu/ERNIE-4.5-21B-A3B-Thinking (same architecture) in
 *   https://github.com/AlexsJones/llmfit/blob/a3e0eb27c57fe05298292f4c61699b9aed2824ea/llmfit-core/data/hf_models.json
 *   (field parameters_raw); "21B total, 3B active" (https://huggingface.co/docs/transformers/model_doc/ernie4_5_moe).
 * Tensors: src/models/ernie4-5.cpp load_arch_tensors (llama.cpp 3f545bec).
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

describe('ERNIE-4.5-0.3B (Ernie4_5_ForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('ernie-4.5-0.3b'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "ernie4_5": tied, 18 layers of 16 / 2 heads of 128 (wider than hidden / heads)', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('ernie4_5');
    expect(shape.tiedEmbeddings).toBe(true);
    expect(shape.layers).toHaveLength(18);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 16, nHeadKv: 2, headDimK: 128, headDimV: 128, window: null });
    expect(shape.layers[17]!.ffn).toEqual({ kind: 'dense', ff: 3072, gated: true });
  });

  it('writes the tensors of src/models/ernie4-5.cpp: no output.weight, 9 per block', () => {
    expect(tensors.filter((t) => t.layer === null).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'token_embd.weight 1024x103424',
      'output_norm.weight 1024',
    ]);
    expect(tensors.filter((t) => t.layer === 0).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'blk.0.attn_norm.weight 1024',
      'blk.0.attn_q.weight 1024x2048',
      'blk.0.attn_k.weight 1024x256',
      'blk.0.attn_v.weight 1024x256',
      'blk.0.attn_output.weight 2048x1024',
      'blk.0.ffn_norm.weight 1024',
      'blk.0.ffn_gate.weight 1024x3072',
      'blk.0.ffn_down.weight 3072x1024',
      'blk.0.ffn_up.weight 1024x3072',
    ]);
    expect(tensors).toHaveLength(2 + 18 * 9);
  });

  it('counts 360,748,032 parameters, 360 million as published (within 0.5%)', () => {
    const total = paramCounts(tensors, shape).total;
    expect(total).toBe(103424 * 1024 + 18 * (2 * 1024 * 2048 + 2 * 1024 * 256 + 3 * 1024 * 3072 + 2 * 1024) + 1024);
    expect(total).toBe(360_748_032);
    expect(Math.abs(total / 360e6 - 1)).toBeLessThan(0.005);
  });

  it('caches 18 layers x 2 KV heads x 128 x 2 (K, V) x 2 bytes per token in llama.cpp', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(18 * 2 * 128 * 2 * 2);
  });
});

describe('ERNIE-4.5-21B-A3B (Ernie4_5_MoeForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('ernie-4.5-21b-a3b'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "ernie4_5-moe": layer 0 dense, 27 MoE layers of 64 experts top-6 + 2 shared', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('ernie4_5-moe');
    expect(shape.tiedEmbeddings).toBe(true);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 20, nHeadKv: 4, headDimK: 128, headDimV: 128, window: null });
    expect(shape.layers[0]!.ffn).toEqual({ kind: 'dense', ff: 12288, gated: true });
    // Shared experts 2 x 1536 = 3072, which is also the converter's intermediate_size // num_key_value_heads.
    expect(shape.layers[1]!.ffn).toEqual({ kind: 'moe', nExpert: 64, nExpertUsed: 6, expertFf: 1536, nSharedExpert: 2, sharedFf: 3072, gated: true });
    expect(shape.layers.filter((l) => l.ffn.kind === 'moe')).toHaveLength(27);
    expect(shape.assumptions).toEqual([]);
  });

  it('writes the tensors of src/models/ernie4-5.cpp for a MoE layer: router, exp_probs_b, experts, shared experts', () => {
    expect(tensors.filter((t) => t.layer === 1).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'blk.1.attn_norm.weight 2560',
      'blk.1.attn_q.weight 2560x2560',
      'blk.1.attn_k.weight 2560x512',
      'blk.1.attn_v.weight 2560x512',
      'blk.1.attn_output.weight 2560x2560',
      'blk.1.ffn_norm.weight 2560',
      'blk.1.ffn_gate_inp.weight 2560x64',
      'blk.1.exp_probs_b.bias 64',
      'blk.1.ffn_gate_exps.weight 2560x1536x64',
      'blk.1.ffn_down_exps.weight 1536x2560x64',
      'blk.1.ffn_up_exps.weight 2560x1536x64',
      'blk.1.ffn_gate_shexp.weight 2560x3072',
      'blk.1.ffn_down_shexp.weight 3072x2560',
      'blk.1.ffn_up_shexp.weight 2560x3072',
    ]);
    expect(tensors.filter((t) => t.layer === 0).map((t) => t.name).slice(-3)).toEqual([
      'blk.0.ffn_gate.weight',
      'blk.0.ffn_down.weight',
      'blk.0.ffn_up.weight',
    ]);
  });

  it('counts 21,825,437,888 parameters, the Hub total, and 3.35 billion active (the "A3B")', () => {
    const counts = paramCounts(tensors, shape);
    expect(counts.total).toBe(21_825_437_888);
    expect(Math.round(counts.active / 1e9)).toBe(3);
  });

  it('caches 28 layers x 4 KV heads x 128 x 2 (K, V) x 2 bytes per token in llama.cpp', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(28 * 4 * 128 * 2 * 2);
  });
});
