/**
 * BigCode StarCoder2 3B / 7B / 15B (Starcoder2ForCausalLM), from their official config.json files
 * (test/fixtures/configs/starcoder2-{3b,7b,15b}.json, URLs in their _source). Published counts:
 * - 3B: 3,030,371,328 and 7B: 7,173,923,840, the Hugging Face Hub safetensors totals as scraped into
 *   https://github.com/AlexsJones/llmfit/blob/a3e0eb27c57fe05298292f4c61699b9aed2824ea/llmfit-core/data/hf_models.json
 *   (entries bigcode/starcoder2-3b, bigcode/starcoder2-7b, field parameters_raw);
 * - 15B: "params": 15.958 (Open LLM Leaderboard request for bigcode/starcoder2-15b at 46d44742,
 *   https://huggingface.co/datasets/open-llm-leaderboard/requests/raw/88bc601dd50fa045dc29513df456f91f3f4d75ff/bigcode/starcoder2-15b_eval_request_False_bfloat16_Original.json).
 * Tensors: src/models/starcoder2.cpp load_arch_tensors (llama.cpp 3f545bec).
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

function load(id: string) {
  const shape = modelShapeFromConfig(loadConfig(id));
  return { shape, tensors: tensorsOf(shape) };
}

describe('StarCoder2 3B (Starcoder2ForCausalLM)', () => {
  const { shape, tensors } = load('starcoder2-3b');

  it('reads exactly, as llama.cpp arch "starcoder2": tied (no key, default true), 30 layers of 24 / 2 heads of 128, plain MLP', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('starcoder2');
    expect(shape.tiedEmbeddings).toBe(true);
    expect(shape.layers).toHaveLength(30);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 24, nHeadKv: 2, headDimK: 128, headDimV: 128, window: null });
    expect(shape.layers[0]!.ffn).toEqual({ kind: 'dense', ff: 12288, gated: false });
  });

  it('states that llama.cpp ignores the 4096-token sliding window', () => {
    expect(shape.assumptions.some((a) => a.includes('sliding_window 4096') && a.includes('llama.cpp'))).toBe(true);
  });

  it('writes the tensors of src/models/starcoder2.cpp: LayerNorm biases, every projection biased, 16 per block', () => {
    expect(tensors.filter((t) => t.layer === null).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'token_embd.weight 3072x49152',
      'output_norm.weight 3072',
      'output_norm.bias 3072',
    ]);
    expect(tensors.filter((t) => t.layer === 0).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'blk.0.attn_norm.weight 3072',
      'blk.0.attn_norm.bias 3072',
      'blk.0.attn_q.weight 3072x3072',
      'blk.0.attn_k.weight 3072x256',
      'blk.0.attn_v.weight 3072x256',
      'blk.0.attn_q.bias 3072',
      'blk.0.attn_k.bias 256',
      'blk.0.attn_v.bias 256',
      'blk.0.attn_output.weight 3072x3072',
      'blk.0.attn_output.bias 3072',
      'blk.0.ffn_norm.weight 3072',
      'blk.0.ffn_norm.bias 3072',
      'blk.0.ffn_down.weight 12288x3072',
      'blk.0.ffn_up.weight 3072x12288',
      'blk.0.ffn_down.bias 3072',
      'blk.0.ffn_up.bias 12288',
    ]);
    expect(tensors).toHaveLength(3 + 30 * 16);
  });

  it('counts 3,030,371,328 parameters, the Hub total', () => {
    const total = paramCounts(tensors, shape).total;
    const block = 2 * 3072 * 3072 + 2 * 3072 * 256 + 2 * 3072 * 12288 + (3072 + 2 * 256 + 3072 + 12288 + 3072) + 4 * 3072;
    expect(total).toBe(49152 * 3072 + 30 * block + 2 * 3072);
    expect(total).toBe(3_030_371_328);
  });

  it('caches every layer over the full context in llama.cpp: 30 x 2 KV heads x 128 x 2 (K, V) x 2 bytes per token', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 16384, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(30 * 2 * 128 * 2 * 2);
    expect(kv.bytes).toBe(16384 * 30 * 2 * 128 * 2 * 2);
  });
});

describe('StarCoder2 7B and 15B', () => {
  it('7B: tied, 32 layers of 36 / 4 heads, 7,173,923,840 parameters, the Hub total', () => {
    const { shape, tensors } = load('starcoder2-7b');
    expect(shape.tiedEmbeddings).toBe(true);
    expect(shape.layers[0]!.mixer).toMatchObject({ nHead: 36, nHeadKv: 4, headDimK: 128 });
    expect(paramCounts(tensors, shape).total).toBe(7_173_923_840);
  });

  it('15B: untied (output.weight), 40 layers of 48 / 4 heads, 15.958 billion parameters (within 0.5%)', () => {
    const { shape, tensors } = load('starcoder2-15b');
    expect(shape.tiedEmbeddings).toBe(false);
    expect(tensors.filter((t) => t.layer === null).map((t) => t.name)).toEqual([
      'token_embd.weight',
      'output_norm.weight',
      'output_norm.bias',
      'output.weight',
    ]);
    const total = paramCounts(tensors, shape).total;
    expect(total).toBe(15_957_889_024);
    expect(Math.abs(total / 15.958e9 - 1)).toBeLessThan(0.005);
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(40 * 4 * 128 * 2 * 2);
  });
});
