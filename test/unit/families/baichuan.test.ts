/**
 * Baichuan 1 and 2 (BaichuanForCausalLM -> llama.cpp "baichuan"), from their real config.json files
 * (test/fixtures/configs/baichuan-13b-chat.json, baichuan2-7b-chat.json, baichuan2-13b-chat.json; URLs in _source).
 * Published count: Baichuan-13B 13,264,901,120 parameters (baichuan-inc/Baichuan-13B README_EN.md model table,
 * https://github.com/baichuan-inc/Baichuan-13B/blob/21017d592fd72a2b80f8ae4208e2234817a94ec9/README_EN.md).
 * Baichuan 2 publishes no exact count ("7B", "13B"); its figures below are the tensor arithmetic alone.
 * Rules: src/models/baichuan.cpp (load_arch_tensors; n_layer 40 -> ALiBi), conversion/baichuan.py (W_pack split).
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

const kvOf = (id: string) => kvCache(modelShapeFromConfig(loadConfig(id)), { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });

describe('Baichuan-13B-Chat (BaichuanForCausalLM, Baichuan 1, ALiBi)', () => {
  const shape = modelShapeFromConfig(loadConfig('baichuan-13b-chat'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "baichuan": 40 MHA layers of 40 heads of 128, untied, context from model_max_length', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('baichuan');
    expect(shape.tiedEmbeddings).toBe(false);
    expect(shape.maxContext).toBe(4096); // no max_position_embeddings: the converter falls back to model_max_length
    expect(shape.layers).toHaveLength(40);
    expect(shape.layers.every((l) => l.mixer.kind === 'attention')).toBe(true);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 40, nHeadKv: 40, headDimK: 128, headDimV: 128, window: null });
    expect(shape.assumptions).toEqual([]);
  });

  it('writes W_pack as three n_embd x n_embd projections and a required output.weight', () => {
    expect(tensors.filter((t) => t.layer === null).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'token_embd.weight 5120x64000',
      'output_norm.weight 5120',
      'output.weight 5120x64000',
    ]);
    expect(tensors.filter((t) => t.layer === 0).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'blk.0.attn_norm.weight 5120',
      'blk.0.attn_q.weight 5120x5120',
      'blk.0.attn_k.weight 5120x5120',
      'blk.0.attn_v.weight 5120x5120',
      'blk.0.attn_output.weight 5120x5120',
      'blk.0.ffn_norm.weight 5120',
      'blk.0.ffn_gate.weight 5120x13696',
      'blk.0.ffn_down.weight 13696x5120',
      'blk.0.ffn_up.weight 5120x13696',
    ]);
    expect(tensors).toHaveLength(3 + 40 * 9);
  });

  it('counts 13,264,901,120 parameters, exactly the published figure', () => {
    const total = paramCounts(tensors, shape).total;
    // 2 x 64000 x 5120 (untied) + 40 x (4 x 5120^2 + 3 x 5120 x 13696 + 2 x 5120) + 5120.
    expect(total).toBe(2 * 64000 * 5120 + 40 * (4 * 5120 ** 2 + 3 * 5120 * 13696 + 2 * 5120) + 5120);
    expect(total).toBe(13_264_901_120);
    expect(Math.abs(total / 13_264_901_120 - 1)).toBeLessThan(0.005);
  });

  it('caches 40 layers x 40 heads x 128 x 2 (K, V) x 2 bytes per token: ALiBi adds nothing', () => {
    const kv = kvOf('baichuan-13b-chat');
    expect(kv.perTokenBytes).toBe(40 * 40 * 128 * 2 * 2);
    expect(kv.bytes).toBe(4096 * 40 * 40 * 128 * 2 * 2);
  });
});

describe('Baichuan 2 (BaichuanForCausalLM): 7B with RoPE, 13B with ALiBi', () => {
  it('Baichuan2-7B-Chat: 32 layers of 32 x 128, vocabulary 125,696, 7,505,973,248 parameters', () => {
    const shape = modelShapeFromConfig(loadConfig('baichuan2-7b-chat'));
    const tensors = tensorsOf(shape);
    expect(shape.ggufArch).toBe('baichuan');
    expect(shape.maxContext).toBe(4096);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 32, nHeadKv: 32, headDimK: 128, headDimV: 128, window: null });
    expect(tensors.find((t) => t.name === 'output.weight')?.dims).toEqual([4096, 125696]);
    expect(tensors).toHaveLength(3 + 32 * 9);
    expect(paramCounts(tensors, shape).total).toBe(2 * 125696 * 4096 + 32 * (4 * 4096 ** 2 + 3 * 4096 * 11008 + 2 * 4096) + 4096);
    expect(kvOf('baichuan2-7b-chat').perTokenBytes).toBe(32 * 32 * 128 * 2 * 2);
  });

  it('Baichuan2-13B-Chat: context 8192 from model_max_length, 13,896,668,160 parameters', () => {
    const shape = modelShapeFromConfig(loadConfig('baichuan2-13b-chat'));
    const tensors = tensorsOf(shape);
    expect(shape.maxContext).toBe(8192);
    expect(shape.layers).toHaveLength(40);
    expect(paramCounts(tensors, shape).total).toBe(2 * 125696 * 5120 + 40 * (4 * 5120 ** 2 + 3 * 5120 * 13696 + 2 * 5120) + 5120);
    expect(kvOf('baichuan2-13b-chat').perTokenBytes).toBe(40 * 40 * 128 * 2 * 2);
  });
});
