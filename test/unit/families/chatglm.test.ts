/**
 * ChatGLM3-6B and GLM-4-9B-Chat in their remote-code form (ChatGLMModel -> llama.cpp "chatglm"), from their real
 * config.json files (test/fixtures/configs/chatglm3-6b.json, glm-4-9b-chat.json; URLs in _source).
 * Published count: THUDM/glm-4-9b-chat 9,399,951,392 (Hub safetensors total, as collected in AlexsJones/llmfit
 * llmfit-core/data/hf_models.json, https://github.com/AlexsJones/llmfit/blob/a3e0eb27c57fe05298292f4c61699b9aed2824ea/llmfit-core/data/hf_models.json).
 * The checkpoint also holds transformer.rotary_pos_emb.inv_freq (head_dim x partial_rotary 0.5 / 2 = 32 floats),
 * which ChatGLMModel.filter_tensors drops, so the GGUF holds 32 fewer. The same file lists
 * thu-coai/ShieldLM-6B-chatglm3, a full fine-tune of ChatGLM3-6B, at 6,243,584,032: again the GGUF figure + 32.
 * Rules: src/models/chatglm.cpp load_arch_tensors, conversion/chatglm.py set_gguf_parameters.
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

const row = (t: { name: string; dims: number[] }) => `${t.name} ${t.dims.join('x')}`;
/** One chatglm block with fused qkv (+ bias) and fused gate|up: 4096 wide, 2 KV groups of 128, n_ff 13696. */
const BLOCK = 4096 + 4096 * 4608 + 4608 + 4096 * 4096 + 4096 + 4096 * 2 * 13696 + 13696 * 4096;

describe('GLM-4-9B-Chat (ChatGLMModel)', () => {
  const shape = modelShapeFromConfig(loadConfig('glm-4-9b-chat'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "chatglm": multi_query_group_num KV heads, padded vocabulary, seq_length context', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('chatglm');
    expect(shape.tiedEmbeddings).toBe(false);
    expect(shape.vocabSize).toBe(151552);
    expect(shape.maxContext).toBe(131072);
    expect(shape.layers).toHaveLength(40);
    expect(shape.layers.every((l) => l.mixer.kind === 'attention')).toBe(true);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 32, nHeadKv: 2, headDimK: 128, headDimV: 128, window: null });
    expect(shape.assumptions).toEqual([]);
  });

  it('keeps query_key_value fused (attn_qkv + bias) and dense_h_to_4h fused (ffn_up of 2 x n_ff)', () => {
    expect(tensors.filter((t) => t.layer === null).map(row)).toEqual(['token_embd.weight 4096x151552', 'output_norm.weight 4096', 'output.weight 4096x151552']);
    expect(tensors.filter((t) => t.layer === 0).map(row)).toEqual([
      'blk.0.attn_norm.weight 4096',
      'blk.0.attn_qkv.weight 4096x4608',
      'blk.0.attn_qkv.bias 4608',
      'blk.0.attn_output.weight 4096x4096',
      'blk.0.ffn_norm.weight 4096',
      'blk.0.ffn_up.weight 4096x27392',
      'blk.0.ffn_down.weight 13696x4096',
    ]);
    expect(tensors).toHaveLength(3 + 40 * 7);
  });

  it('counts the published 9,399,951,392 less the 32 inv_freq floats the converter drops', () => {
    const total = paramCounts(tensors, shape).total;
    expect(total).toBe(2 * 151552 * 4096 + 40 * BLOCK + 4096);
    expect(total).toBe(9_399_951_392 - 32);
    expect(Math.abs(total / 9_399_951_392 - 1)).toBeLessThan(0.005);
  });

  it('caches 40 layers x 2 KV groups x 128 x 2 (K, V) x 2 bytes per token in llama.cpp', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(40 * 2 * 128 * 2 * 2);
    expect(kv.bytes).toBe(4096 * 40 * 2 * 128 * 2 * 2);
  });
});

describe('ChatGLM3-6B (ChatGLMModel)', () => {
  const shape = modelShapeFromConfig(loadConfig('chatglm3-6b'));
  const tensors = tensorsOf(shape);

  it('28 layers, padded_vocab_size 65,024 rows, context 8192, the same block as GLM-4-9B', () => {
    expect(shape.ggufArch).toBe('chatglm');
    expect(shape.vocabSize).toBe(65024);
    expect(shape.maxContext).toBe(8192);
    expect(shape.layers).toHaveLength(28);
    expect(tensors.find((t) => t.name === 'token_embd.weight')?.dims).toEqual([4096, 65024]);
    expect(tensors.filter((t) => t.layer === 27).map(row)[1]).toBe('blk.27.attn_qkv.weight 4096x4608');
    expect(tensors).toHaveLength(3 + 28 * 7);
  });

  it('counts 6,243,584,000 parameters (ShieldLM-6B-chatglm3 on the Hub: 6,243,584,032 with inv_freq)', () => {
    const total = paramCounts(tensors, shape).total;
    expect(total).toBe(2 * 65024 * 4096 + 28 * BLOCK + 4096);
    expect(total).toBe(6_243_584_032 - 32);
  });

  it('caches 28 layers x 2 KV groups x 128 x 2 (K, V) x 2 bytes per token in llama.cpp', () => {
    expect(kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' }).perTokenBytes).toBe(28 * 2 * 128 * 2 * 2);
  });
});
