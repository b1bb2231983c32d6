/**
 * GLM-4-0414 (Glm4ForCausalLM -> llama.cpp "glm4") and GLM-4-9B-Chat in transformers form (GlmForCausalLM ->
 * llama.cpp "chatglm"), from test/fixtures/configs/glm-4-9b-0414.json (a third-party fine-tune's config: the
 * official one was not reachable, see its _source) and glm-4-9b-chat-hf.json (official).
 * Published counts: Hub safetensors totals (the Hugging Face API's safetensors.total, as collected in
 * AlexsJones/llmfit llmfit-core/data/hf_models.json at a3e0eb27c57f, field parameters_raw,
 * https://github.com/AlexsJones/llmfit/blob/a3e0eb27c57fe05298292f4c61699b9aed2824ea/llmfit-core/data/hf_models.json):
 * zai-org/GLM-4-9B-0414 9,400,279,040; zai-org/glm-4-9b-chat-hf 9,399,951,360.
 * Rules: src/models/glm4.cpp and src/models/chatglm.cpp load_arch_tensors; conversion/glm.py, conversion/chatglm.py.
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

const row = (t: { name: string; dims: number[] }) => `${t.name} ${t.dims.join('x')}`;

describe('GLM-4-9B-0414 (Glm4ForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('glm-4-9b-0414'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "glm4": untied, 40 GQA layers of 32 / 2 heads of 128', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('glm4');
    expect(shape.tiedEmbeddings).toBe(false);
    expect(shape.maxContext).toBe(32768);
    expect(shape.layers).toHaveLength(40);
    expect(shape.layers.every((l) => l.mixer.kind === 'attention' && l.ffn.kind === 'dense')).toBe(true);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 32, nHeadKv: 2, headDimK: 128, headDimV: 128, window: null });
  });

  it('writes the sandwich-normed block of src/models/glm4.cpp with gate_up_proj fused into ffn_up', () => {
    expect(tensors.filter((t) => t.layer === null).map(row)).toEqual(['token_embd.weight 4096x151552', 'output_norm.weight 4096', 'output.weight 4096x151552']);
    expect(tensors.filter((t) => t.layer === 0).map(row)).toEqual([
      'blk.0.attn_norm.weight 4096',
      'blk.0.attn_q.weight 4096x4096',
      'blk.0.attn_k.weight 4096x256',
      'blk.0.attn_v.weight 4096x256',
      'blk.0.attn_q.bias 4096',
      'blk.0.attn_k.bias 256',
      'blk.0.attn_v.bias 256',
      'blk.0.attn_output.weight 4096x4096',
      'blk.0.post_attention_norm.weight 4096',
      'blk.0.ffn_norm.weight 4096',
      'blk.0.ffn_down.weight 13696x4096',
      'blk.0.ffn_up.weight 4096x27392',
      'blk.0.post_ffw_norm.weight 4096',
    ]);
    expect(tensors).toHaveLength(3 + 40 * 13);
  });

  it('counts 9,400,279,040 parameters, exactly the Hub total of zai-org/GLM-4-9B-0414', () => {
    const total = paramCounts(tensors, shape).total;
    const block = 4096 * 4096 + 2 * 4096 * 256 + (4096 + 2 * 256) + 4096 * 4096 + 4 * 4096 + 13696 * 4096 + 4096 * 2 * 13696;
    expect(total).toBe(2 * 151552 * 4096 + 40 * block + 4096);
    expect(total).toBe(9_400_279_040);
    expect(Math.abs(total / 9_400_279_040 - 1)).toBeLessThan(0.005);
  });

  it('caches 40 layers x 2 KV heads x 128 x 2 (K, V) x 2 bytes per token in llama.cpp', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(40 * 2 * 128 * 2 * 2);
    expect(kv.bytes).toBe(4096 * 40 * 2 * 128 * 2 * 2);
  });
});

describe('GLM-4-9B-Chat-HF (GlmForCausalLM -> llama.cpp "chatglm")', () => {
  const shape = modelShapeFromConfig(loadConfig('glm-4-9b-chat-hf'));
  const tensors = tensorsOf(shape);

  it('is converted as chatglm (conversion/chatglm.py registers GlmForCausalLM), noting the seq_length quirk', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('chatglm');
    expect(shape.maxContext).toBe(131072);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 32, nHeadKv: 2, headDimK: 128, headDimV: 128, window: null });
    expect(shape.assumptions).toHaveLength(1);
    expect(shape.assumptions[0]).toContain('seq_length');
  });

  it('keeps q, k and v apart (with biases) but fuses gate and up, in the chatglm loader order', () => {
    expect(tensors.filter((t) => t.layer === null).map(row)).toEqual(['token_embd.weight 4096x151552', 'output_norm.weight 4096', 'output.weight 4096x151552']);
    expect(tensors.filter((t) => t.layer === 0).map(row)).toEqual([
      'blk.0.attn_norm.weight 4096',
      'blk.0.attn_q.weight 4096x4096',
      'blk.0.attn_k.weight 4096x256',
      'blk.0.attn_v.weight 4096x256',
      'blk.0.attn_q.bias 4096',
      'blk.0.attn_k.bias 256',
      'blk.0.attn_v.bias 256',
      'blk.0.attn_output.weight 4096x4096',
      'blk.0.ffn_norm.weight 4096',
      'blk.0.ffn_up.weight 4096x27392',
      'blk.0.ffn_down.weight 13696x4096',
    ]);
    expect(tensors).toHaveLength(3 + 40 * 11);
  });

  it('counts 9,399,951,360 parameters, exactly the Hub total of zai-org/glm-4-9b-chat-hf', () => {
    const total = paramCounts(tensors, shape).total;
    expect(total).toBe(9_399_951_360);
    expect(Math.abs(total / 9_399_951_360 - 1)).toBeLessThan(0.005);
  });

  it('caches 40 layers x 2 KV heads x 128 x 2 (K, V) x 2 bytes per token in llama.cpp', () => {
    expect(kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' }).perTokenBytes).toBe(40 * 2 * 128 * 2 * 2);
  });
});
