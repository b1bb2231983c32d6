/**
 * InternLM3 8B (InternLM3ForCausalLM, converted as llama.cpp "llama"), from the real config.json of
 * internlm/internlm3-8b-instruct (test/fixtures/configs/internlm3-8b-instruct.json, URL in its _source).
 * Published size: the repository's two bfloat16 shards, 9.93 GB + 7.68 GB = 17.61 GB
 * (https://huggingface.co/internlm/internlm3-8b-instruct/tree/main), i.e. 8.805 billion parameters at 2 bytes each.
 * (The 7,774,142,464 that llmfit's hf_models.json lists for this repository is its own config estimate,
 * L x H^2 x (4 + 2 I / H) + V x H, which ignores the 2 KV heads and the untied head: not a published figure.)
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

describe('InternLM3 8B instruct (InternLM3ForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('internlm3-8b-instruct'));
  const tensors = tensorsOf(shape);

  it('reads exactly, converted as llama.cpp arch "llama", 48 layers of 32 query / 2 KV heads of 128', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('llama');
    expect(shape.tiedEmbeddings).toBe(false);
    expect(shape.layers).toHaveLength(48);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 32, nHeadKv: 2, headDimK: 128, headDimV: 128, window: null });
  });

  it('writes the standard Llama block of src/models/llama.cpp, without rope_freqs (dynamic rope scaling)', () => {
    expect(tensors.filter((t) => t.layer === null).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'token_embd.weight 4096x128512',
      'output_norm.weight 4096',
      'output.weight 4096x128512',
    ]);
    expect(tensors.filter((t) => t.layer === 47).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'blk.47.attn_norm.weight 4096',
      'blk.47.attn_q.weight 4096x4096',
      'blk.47.attn_k.weight 4096x256',
      'blk.47.attn_v.weight 4096x256',
      'blk.47.attn_output.weight 4096x4096',
      'blk.47.ffn_norm.weight 4096',
      'blk.47.ffn_gate.weight 4096x10240',
      'blk.47.ffn_down.weight 10240x4096',
      'blk.47.ffn_up.weight 4096x10240',
    ]);
    expect(tensors).toHaveLength(3 + 48 * 9);
  });

  it('counts 8.804 billion parameters: 2 bytes each fill the published 17.61 GB (within 0.5%)', () => {
    const total = paramCounts(tensors, shape).total;
    expect(total).toBe(2 * 128512 * 4096 + 48 * (2 * 4096 ** 2 + 2 * 4096 * 256 + 3 * 4096 * 10240 + 2 * 4096) + 4096);
    expect(Math.abs(total / (17.61e9 / 2) - 1)).toBeLessThan(0.005);
  });

  it('caches 48 layers x 2 KV heads x 128 x 2 (K, V) x 2 bytes per token in llama.cpp', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(48 * 2 * 128 * 2 * 2);
  });
});
