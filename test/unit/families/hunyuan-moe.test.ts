/**
 * Tencent Hunyuan-A13B (HunYuanMoEV1ForCausalLM), from the official Tencent GitHub copy of its config.json
 * (test/fixtures/configs/hunyuan-a13b.json, URL in its _source). Published count: "a total of 80 billion parameters
 * with 13 billion active parameters" (https://github.com/Tencent-Hunyuan/Hunyuan-A13B/blob/2798f3c8b6a69e0ce93950b0d2417203cf950fa0/README.md).
 * llama.cpp's own load log of a Hunyuan-A13B Q4_K_M GGUF (https://github.com/ggml-org/llama.cpp/pull/14425, comment
 * by ddh0) prints n_ctx_train 262144, n_head 32, n_head_kv 8, n_embd_head_k 128, n_embd_k_gqa 1024, n_ff 3072,
 * n_expert 64, n_expert_used 8: the shape read here.
 * Tensors: src/models/hunyuan-moe.cpp load_arch_tensors (llama.cpp 3f545bec).
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

describe('Hunyuan-A13B (HunYuanMoEV1ForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('hunyuan-a13b'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "hunyuan-moe": tied, 32 layers of 32 / 8 heads of 128, 64 experts top-8 + 1 shared', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('hunyuan-moe');
    expect(shape.tiedEmbeddings).toBe(true);
    expect(shape.layers).toHaveLength(32);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 32, nHeadKv: 8, headDimK: 128, headDimV: 128, window: null });
    expect(shape.layers[31]!.ffn).toEqual({ kind: 'moe', nExpert: 64, nExpertUsed: 8, expertFf: 3072, nSharedExpert: 1, sharedFf: 3072, gated: true });
    // The converter writes a 256K context for the dynamic (NTK alpha 1000) rope; the config says 32768.
    expect(shape.maxContext).toBe(262144);
  });

  it('writes the tensors of src/models/hunyuan-moe.cpp: no output.weight, 16 per block', () => {
    expect(tensors.filter((t) => t.layer === null).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'token_embd.weight 4096x128167',
      'output_norm.weight 4096',
    ]);
    expect(tensors.filter((t) => t.layer === 0).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'blk.0.attn_norm.weight 4096',
      'blk.0.attn_q.weight 4096x4096',
      'blk.0.attn_k.weight 4096x1024',
      'blk.0.attn_v.weight 4096x1024',
      'blk.0.attn_output.weight 4096x4096',
      'blk.0.attn_k_norm.weight 128',
      'blk.0.attn_q_norm.weight 128',
      'blk.0.ffn_norm.weight 4096',
      'blk.0.ffn_gate_inp.weight 4096x64',
      'blk.0.ffn_gate_exps.weight 4096x3072x64',
      'blk.0.ffn_down_exps.weight 3072x4096x64',
      'blk.0.ffn_up_exps.weight 4096x3072x64',
      'blk.0.ffn_gate_shexp.weight 4096x3072',
      'blk.0.ffn_up_shexp.weight 4096x3072',
      'blk.0.ffn_down_shexp.weight 3072x4096',
    ]);
    expect(tensors).toHaveLength(2 + 32 * 15);
  });

  it('counts 80.393 billion parameters, 80 billion as published (within 0.5%), about 13 billion active', () => {
    const counts = paramCounts(tensors, shape);
    const attn = 2 * 4096 * 4096 + 2 * 4096 * 1024 + 2 * 128;
    const ffn = 4096 * 64 + 64 * 3 * 4096 * 3072 + 3 * 4096 * 3072;
    expect(counts.total).toBe(128167 * 4096 + 32 * (attn + ffn + 2 * 4096) + 4096);
    expect(counts.total).toBe(80_393_183_232);
    expect(Math.abs(counts.total / 80e9 - 1)).toBeLessThan(0.005);
    expect(Math.abs(counts.active / 13e9 - 1)).toBeLessThan(0.03);
  });

  it('caches 32 layers x 8 KV heads x 128 x 2 (K, V) x 2 bytes per token in llama.cpp', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(32 * 8 * 128 * 2 * 2);
    expect(kv.bytes).toBe(4096 * 32 * 8 * 128 * 2 * 2);
  });
});
