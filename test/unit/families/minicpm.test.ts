/**
 * MiniCPM (MiniCPMForCausalLM -> llama.cpp "minicpm") and MiniCPM3 (MiniCPM3ForCausalLM -> "minicpm3").
 *
 * MiniCPM-2B-sft-bf16, from its real config.json (test/fixtures/configs/minicpm-2b-sft-bf16.json, URL in _source).
 * Published count: "2.4B parameters excluding embeddings (2.7B in total)" (OpenBMB/MiniCPM
 * docs/README-minicpm1-en.md, https://github.com/OpenBMB/MiniCPM/blob/0fcc3d08330ee612d59d58e312a778ae78165d97/docs/README-minicpm1-en.md).
 * Only two significant figures are published, so the test checks the figures round to them (the 0.5% bar cannot
 * be applied to a figure given to +-2%); the Hub has no safetensors total for this .bin checkpoint.
 *
 * MiniCPM3-4B: the official config.json could only be read up to rope_scaling
 * (https://huggingface.co/openbmb/MiniCPM3-4B/blob/refs%2Fpr%2F8/config.json); no complete copy was reachable, so
 * there is no fixture and no parameter-count test. The block tensors and the KV cache depend only on the keys that were read, which
 * the test below uses verbatim; vocab_size, missing from the excerpt, is a placeholder nothing asserted reads.
 * Rules: src/models/minicpm.cpp, src/models/minicpm3.cpp load_arch_tensors; conversion/minicpm.py.
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import type { HfConfig } from '../../../src/sizing/types.ts';
import { loadConfig } from '../../fixtures/configs.ts';

const row = (t: { name: string; dims: number[] }) => `${t.name} ${t.dims.join('x')}`;

describe('MiniCPM-2B-sft-bf16 (MiniCPMForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('minicpm-2b-sft-bf16'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "minicpm": 40 MHA layers of 36 heads of 64, tied (stated as an assumption)', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('minicpm');
    expect(shape.tiedEmbeddings).toBe(true);
    expect(shape.assumptions).toHaveLength(1);
    expect(shape.assumptions[0]).toContain('tie_word_embeddings not given');
    expect(shape.layers).toHaveLength(40);
    expect(shape.layers.every((l) => l.mixer.kind === 'attention')).toBe(true);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 36, nHeadKv: 36, headDimK: 64, headDimV: 64, window: null });
  });

  it('writes the standard block and no output.weight (scale_emb / scale_depth / dim_model_base are GGUF scalars)', () => {
    expect(tensors.filter((t) => t.layer === null).map(row)).toEqual(['token_embd.weight 2304x122753', 'output_norm.weight 2304']);
    expect(tensors.filter((t) => t.layer === 0).map(row)).toEqual([
      'blk.0.attn_norm.weight 2304',
      'blk.0.attn_q.weight 2304x2304',
      'blk.0.attn_k.weight 2304x2304',
      'blk.0.attn_v.weight 2304x2304',
      'blk.0.attn_output.weight 2304x2304',
      'blk.0.ffn_norm.weight 2304',
      'blk.0.ffn_gate.weight 2304x5760',
      'blk.0.ffn_down.weight 5760x2304',
      'blk.0.ffn_up.weight 2304x5760',
    ]);
    expect(tensors).toHaveLength(2 + 40 * 9);
  });

  it('counts 2.72 billion parameters, 2.44 billion without the embedding: "2.7B in total", "2.4B excluding embeddings"', () => {
    const p = paramCounts(tensors, shape);
    expect(p.total).toBe(122753 * 2304 + 40 * (4 * 2304 ** 2 + 3 * 2304 * 5760 + 2 * 2304) + 2304);
    expect(p.nonEmbedding).toBe(2_442_057_984);
    expect(Math.round(p.total / 1e8) / 10).toBe(2.7);
    expect(Math.round(p.nonEmbedding / 1e8) / 10).toBe(2.4);
  });

  it('caches 40 layers x 36 heads x 64 x 2 (K, V) x 2 bytes per token in llama.cpp', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(40 * 36 * 64 * 2 * 2);
    expect(kv.bytes).toBe(4096 * 40 * 36 * 64 * 2 * 2);
  });

  it('adds LongRoPE factor tensors of (hidden / heads) / 2 floats (MiniCPM4 style rope_scaling)', () => {
    const s = modelShapeFromConfig({ ...loadConfig('minicpm-2b-sft-bf16'), rope_scaling: { rope_type: 'longrope' } });
    expect(tensorsOf(s).filter((t) => t.name.startsWith('rope_factors')).map(row)).toEqual(['rope_factors_long.weight 32', 'rope_factors_short.weight 32']);
  });

  it('refuses MiniCPM-MoE, whose experts the converter cannot stack', () => {
    expect(() => modelShapeFromConfig({ ...loadConfig('minicpm-2b-sft-bf16'), num_experts: 8, num_experts_per_tok: 2 })).toThrow(/num_experts/);
  });
});

describe('MiniCPM3-4B (MiniCPM3ForCausalLM): low-rank projections, decompressed K/V cache', () => {
  /** The keys of the official config.json that were read (verbatim values); vocab_size: placeholder, see above. */
  const config: HfConfig = {
    architectures: ['MiniCPM3ForCausalLM'],
    hidden_size: 2560,
    num_hidden_layers: 62,
    intermediate_size: 6400,
    max_position_embeddings: 32768,
    num_attention_heads: 40,
    num_key_value_heads: 40,
    qk_nope_head_dim: 64,
    qk_rope_head_dim: 32,
    q_lora_rank: 768,
    kv_lora_rank: 256,
    rms_norm_eps: 1e-5,
    rope_scaling: { type: 'longrope' },
    vocab_size: 1,
  };
  const shape = modelShapeFromConfig(config);
  const tensors = tensorsOf(shape);

  it('is attention (not a latent cache): K heads of qk_nope + qk_rope = 96, V heads of hidden / heads = 64', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('minicpm3');
    expect(shape.layers).toHaveLength(62);
    expect(shape.layers[0]!.mixer).toEqual({
      kind: 'attention',
      nHead: 40,
      nHeadKv: 40,
      headDimK: 96,
      headDimV: 64,
      window: null,
      lowRank: { qLoraRank: 768, kvLoraRank: 256, qkRopeHeadDim: 32 },
    });
  });

  it('writes the tensors of src/models/minicpm3.cpp, and LongRoPE factors of qk_rope_head_dim / 2', () => {
    expect(tensors.filter((t) => t.layer === 0).map(row)).toEqual([
      'blk.0.attn_norm.weight 2560',
      'blk.0.attn_q_a_norm.weight 768',
      'blk.0.attn_kv_a_norm.weight 256',
      'blk.0.attn_q_a.weight 2560x768',
      'blk.0.attn_q_b.weight 768x3840',
      'blk.0.attn_kv_a_mqa.weight 2560x288',
      'blk.0.attn_kv_b.weight 256x5120',
      'blk.0.attn_output.weight 2560x2560',
      'blk.0.ffn_norm.weight 2560',
      'blk.0.ffn_gate.weight 2560x6400',
      'blk.0.ffn_down.weight 6400x2560',
      'blk.0.ffn_up.weight 2560x6400',
    ]);
    expect(tensors.filter((t) => t.name.startsWith('rope_factors')).map(row)).toEqual(['rope_factors_long.weight 16', 'rope_factors_short.weight 16']);
    expect(tensors).toHaveLength(4 + 62 * 12);
  });

  it('caches 62 layers x 40 heads x (96 + 64) x 2 bytes per token in llama.cpp (is_mla() is false)', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(62 * 40 * (96 + 64) * 2);
    expect(kv.groups.map((g) => g.label)).toEqual(['global']);
  });
});
