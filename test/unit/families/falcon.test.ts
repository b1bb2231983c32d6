/**
 * TII Falcon (FalconForCausalLM -> llama.cpp "falcon"): falcon-7b (multi-query, one LayerNorm) from the real
 * falcon-7b-instruct config and falcon-40b (new_decoder_architecture: 8 KV heads, two LayerNorms) from its real
 * config (test/fixtures/configs/falcon-7b-instruct.json, falcon-40b.json; URLs in _source).
 * Published counts, the Hub's safetensors totals as recorded in
 * https://github.com/AlexsJones/llmfit/blob/5bdc9df9d8e28168fdc4650741be71b715a11fc6/llmfit-core/data/hf_models.json
 * (parameters_raw): tiiuae/falcon-7b-instruct and tiiuae/falcon-7b 7,217,189,760; tiiuae/falcon-40b 41,835,970,560.
 * Both include the stored lm_head.weight, which the converter writes as output.weight.
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

const listed = (tensors: { name: string; dims: number[]; layer: number | null }[], layer: number | null) =>
  tensors.filter((t) => t.layer === layer).map((t) => `${t.name.replace(/^blk\.\d+\./, '')} ${t.dims.join('x')}`);

describe('Falcon 7B (FalconForCausalLM, multi-query)', () => {
  const shape = modelShapeFromConfig(loadConfig('falcon-7b-instruct'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "falcon": 32 layers of 71 heads of 64 sharing 1 KV head, context 2048', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('falcon');
    expect(shape.tiedEmbeddings).toBe(false);
    expect(shape.maxContext).toBe(2048);
    expect(shape.layers).toHaveLength(32);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 71, nHeadKv: 1, headDimK: 64, headDimV: 64, window: null });
    expect(shape.layers[0]!.ffn).toEqual({ kind: 'dense', ff: 4 * 4544, gated: false });
  });

  it('writes the tensors of src/models/falcon.cpp: LayerNorm biases, fused attn_qkv, no gate (196 in all)', () => {
    expect(listed(tensors, null)).toEqual([
      'token_embd.weight 4544x65024',
      'output_norm.weight 4544',
      'output_norm.bias 4544',
      'output.weight 4544x65024',
    ]);
    expect(listed(tensors, 0)).toEqual([
      'attn_norm.weight 4544',
      'attn_norm.bias 4544',
      'attn_qkv.weight 4544x4672',
      'attn_output.weight 4544x4544',
      'ffn_down.weight 18176x4544',
      'ffn_up.weight 4544x18176',
    ]);
    expect(tensors).toHaveLength(196);
  });

  it('counts 7,217,189,760 parameters, the Hub total', () => {
    const total = paramCounts(tensors, shape).total;
    expect(total).toBe(32 * (4544 * 4672 + 4544 ** 2 + 2 * 4544 * 18176 + 2 * 4544) + 2 * 65024 * 4544 + 2 * 4544);
    expect(total).toBe(7_217_189_760);
  });

  it('caches 32 layers x 1 KV head x 64 x 2 (K, V) x 2 bytes per token in llama.cpp', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 2048, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(32 * 1 * 64 * 2 * 2);
  });
});

describe('Falcon 40B (FalconForCausalLM, new_decoder_architecture)', () => {
  const shape = modelShapeFromConfig(loadConfig('falcon-40b'));
  const tensors = tensorsOf(shape);

  it('reads 60 layers of 128 heads of 64 with 8 KV heads (num_kv_heads)', () => {
    expect(shape.layers).toHaveLength(60);
    expect(shape.layers[0]!.mixer).toMatchObject({ nHead: 128, nHeadKv: 8, headDimK: 64 });
  });

  it('writes both LayerNorms: attn_norm (ln_mlp) and attn_norm_2 (ln_attn)', () => {
    expect(listed(tensors, 0)).toEqual([
      'attn_norm.weight 8192',
      'attn_norm.bias 8192',
      'attn_norm_2.weight 8192',
      'attn_norm_2.bias 8192',
      'attn_qkv.weight 8192x9216',
      'attn_output.weight 8192x8192',
      'ffn_down.weight 32768x8192',
      'ffn_up.weight 8192x32768',
    ]);
  });

  it('counts 41,835,970,560 parameters, the Hub total', () => {
    expect(paramCounts(tensors, shape).total).toBe(41_835_970_560);
  });

  it('caches 60 layers x 8 KV heads x 64 x 2 x 2 bytes per token', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 2048, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(60 * 8 * 64 * 2 * 2);
  });
});
