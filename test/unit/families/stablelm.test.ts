/**
 * StableLM 2 1.6B Chat (StableLmForCausalLM), from its official config.json (test/fixtures/configs/stablelm-2-1.6b-chat.json,
 * URL in its _source). Published count: "params": 1.645 (Open LLM Leaderboard request for
 * stabilityai/stablelm-2-1_6b-chat at f3fe6705,
 * https://huggingface.co/datasets/open-llm-leaderboard/requests/blame/7822e5cbf58a75f71df7b0637bc95bf609bdcc14/stabilityai/stablelm-2-1_6b-chat_eval_request_False_float32_Original.json;
 * the base stablelm-2-1_6b has the same 1.645). Tensors: src/models/stablelm.cpp load_arch_tensors (llama.cpp 3f545bec).
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

describe('StableLM 2 1.6B (StableLmForCausalLM)', () => {
  const config = loadConfig('stablelm-2-1.6b-chat');
  const shape = modelShapeFromConfig(config);
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "stablelm": untied, 24 MHA layers of 32 heads of 64', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('stablelm');
    expect(shape.tiedEmbeddings).toBe(false);
    expect(shape.layers).toHaveLength(24);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 32, nHeadKv: 32, headDimK: 64, headDimV: 64, window: null });
    expect(shape.layers[0]!.ffn).toEqual({ kind: 'dense', ff: 5632, gated: true });
  });

  it('writes the tensors of src/models/stablelm.cpp: LayerNorm biases, q/k/v biases (use_qkv_bias), 14 per block', () => {
    expect(tensors.filter((t) => t.layer === null).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'token_embd.weight 2048x100352',
      'output_norm.bias 2048',
      'output_norm.weight 2048',
      'output.weight 2048x100352',
    ]);
    expect(tensors.filter((t) => t.layer === 0).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'blk.0.attn_norm.weight 2048',
      'blk.0.attn_norm.bias 2048',
      'blk.0.attn_q.weight 2048x2048',
      'blk.0.attn_k.weight 2048x2048',
      'blk.0.attn_v.weight 2048x2048',
      'blk.0.attn_q.bias 2048',
      'blk.0.attn_k.bias 2048',
      'blk.0.attn_v.bias 2048',
      'blk.0.attn_output.weight 2048x2048',
      'blk.0.ffn_norm.weight 2048',
      'blk.0.ffn_norm.bias 2048',
      'blk.0.ffn_gate.weight 2048x5632',
      'blk.0.ffn_down.weight 5632x2048',
      'blk.0.ffn_up.weight 2048x5632',
    ]);
    expect(tensors).toHaveLength(4 + 24 * 14);
  });

  it('counts 1.645 billion parameters, as published (within 0.5%)', () => {
    const total = paramCounts(tensors, shape).total;
    expect(total).toBe(2 * 100352 * 2048 + 24 * (4 * 2048 ** 2 + 3 * 2048 + 4 * 2048 + 3 * 2048 * 5632) + 2 * 2048);
    expect(total).toBe(1_644_515_328);
    expect(Math.abs(total / 1.645e9 - 1)).toBeLessThan(0.005);
  });

  it('caches 24 layers x 32 KV heads x 64 x 2 (K, V) x 2 bytes per token in llama.cpp', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(24 * 32 * 64 * 2 * 2);
  });

  it('drops ffn_norm with the parallel residual and adds stacked per-head q/k norms (StableLM 2 12B layout)', () => {
    // The 1.6B config with the two 12B switches turned on: the block layout they imply, not a released model.
    const twelveStyle = modelShapeFromConfig({ ...config, use_parallel_residual: true, qk_layernorm: true, use_qkv_bias: false });
    const names = tensorsOf(twelveStyle)
      .filter((t) => t.layer === 0)
      .map((t) => `${t.name} ${t.dims.join('x')}`);
    expect(names).toContain('blk.0.attn_q_norm.weight 64x32');
    expect(names).toContain('blk.0.attn_k_norm.weight 64x32');
    expect(names.some((n) => n.startsWith('blk.0.ffn_norm'))).toBe(false);
    expect(names.some((n) => n.startsWith('blk.0.attn_q.bias'))).toBe(false);
  });
});
