/**
 * InternLM2 7B (InternLM2ForCausalLM -> llama.cpp "internlm2"), from the real config.json of
 * internlm/internlm2-chat-7b-sft (test/fixtures/configs/internlm2-chat-7b-sft.json, URL in its _source).
 * Published count: 7,737,708,544 parameters, the Hub's safetensors total for internlm/internlm2_5-7b-chat (same
 * dimensions: 4096 hidden, 32 layers, 32 / 8 heads, 14336 MLP, 92544 vocabulary; InternLM2.5 kept the InternLM2
 * shapes), as scraped into https://github.com/AlexsJones/llmfit/blob/a3e0eb27c57fe05298292f4c61699b9aed2824ea/llmfit-core/data/hf_models.json
 * (field parameters_raw; the same file lists chujiezheng/internlm2-chat-7b-ExPO, an InternLM2-chat-7b derivative,
 * at the same figure). The fused wqkv is split by the converter into attn_q / attn_k / attn_v (conversion/internlm.py).
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

describe('InternLM2 chat 7B (InternLM2ForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('internlm2-chat-7b-sft'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "internlm2", untied, 32 GQA layers of 32 / 8 heads of 128', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('internlm2');
    expect(shape.tiedEmbeddings).toBe(false);
    expect(shape.layers).toHaveLength(32);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 32, nHeadKv: 8, headDimK: 128, headDimV: 128, window: null });
    expect(shape.layers[0]!.ffn).toEqual({ kind: 'dense', ff: 14336, gated: true });
  });

  it('writes the tensors of src/models/internlm2.cpp: wqkv split into q / k / v, 9 per block', () => {
    expect(tensors.filter((t) => t.layer === null).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'token_embd.weight 4096x92544',
      'output_norm.weight 4096',
      'output.weight 4096x92544',
    ]);
    expect(tensors.filter((t) => t.layer === 0).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'blk.0.attn_norm.weight 4096',
      'blk.0.attn_q.weight 4096x4096',
      'blk.0.attn_k.weight 4096x1024',
      'blk.0.attn_v.weight 4096x1024',
      'blk.0.attn_output.weight 4096x4096',
      'blk.0.ffn_norm.weight 4096',
      'blk.0.ffn_gate.weight 4096x14336',
      'blk.0.ffn_down.weight 14336x4096',
      'blk.0.ffn_up.weight 4096x14336',
    ]);
    expect(tensors).toHaveLength(3 + 32 * 9);
  });

  it('counts 7,737,708,544 parameters, as published', () => {
    const total = paramCounts(tensors, shape).total;
    expect(total).toBe(2 * 92544 * 4096 + 32 * (2 * 4096 ** 2 + 2 * 4096 * 1024 + 3 * 4096 * 14336 + 2 * 4096) + 4096);
    expect(Math.abs(total / 7_737_708_544 - 1)).toBeLessThan(0.005);
    expect(total).toBe(7_737_708_544);
  });

  it('caches 32 layers x 8 KV heads x 128 x 2 (K, V) x 2 bytes per token in llama.cpp', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(32 * 8 * 128 * 2 * 2);
    expect(kv.bytes).toBe(4096 * 32 * 8 * 128 * 2 * 2);
  });
});
