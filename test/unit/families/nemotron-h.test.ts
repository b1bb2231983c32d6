/**
 * Nemotron-H (NemotronHForCausalLM -> llama.cpp "nemotron_h" / "nemotron_h_moe"), one llama.cpp layer per character
 * of hybrid_override_pattern: M = Mamba-2 (recurrent state), * = attention (KV cache), - = MLP and E = MoE (neither).
 * Configs: copies of the Hugging Face config.json files kept in ai-dynamo/aiconfigurator (URLs in each _source):
 * - NVIDIA-Nemotron-3-Nano-30B-A3B-BF16 (nemotron_h_moe). Published: 31,577,937,344 parameters, the Hub's safetensors
 *   total as scraped into https://github.com/AlexsJones/llmfit/blob/5bdc9df9d8e28168fdc4650741be71b715a11fc6/llmfit-core/data/hf_models.json
 *   (curated entry). The GGUF has 2,944 more: 23 MoE layers x 128, the per-expert router bias exp_probs_b that the
 *   loader requires; the Hub figure evidently leaves the checkpoint's e_score_correction_bias out (Nemotron 3 Super
 *   shows the same gap, 41 x 512). Per-layer GGUF metadata (feed_forward_length [0, 1856, 0, 1856, 0, 0, 1856 ...],
 *   head_count_kv 2 on layer 5, ssm.inner_size 4096, group_count 8, time_step_rank 64) as printed in
 *   https://github.com/ggml-org/llama.cpp/issues/20570 and https://github.com/lmstudio-ai/lmstudio-bug-tracker/issues/1365.
 * - Nemotron-H-56B-Base-8K (nemotron_h). No exact published count was found (llmfit's 96,099,893,248 for it is its
 *   config estimate formula): only the "56B" of its name, checked to 1%. The same code reproduces exactly the Hub
 *   total of NVIDIA-Nemotron-Nano-9B-v2, 8,888,227,328, from that model's dimensions (no config.json of it was found).
 * - NVIDIA-Nemotron-3-Super-120B-A12B (latent MoE + one MTP block). Published: 123,611,012,096 (BF16 Hub total, same
 *   llmfit file), which includes the MTP layer; llama.cpp skips it (TENSOR_SKIP), so it is `nextn` here.
 * Recurrent state (llama-hparams.cpp): r = (d_conv - 1)(d_inner + 2 n_group d_state), s = d_state d_inner, F32.
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';
import type { ModelShape } from '../../../src/sizing/types.ts';

const kinds = (shape: ModelShape): string =>
  shape.layers.map((l) => (l.mixer.kind === 'recurrent' ? 'M' : l.mixer.kind === 'attention' ? '*' : l.ffn.kind === 'moe' ? 'E' : '-')).join('');

describe('NVIDIA Nemotron 3 Nano 30B-A3B (NemotronHForCausalLM, MoE)', () => {
  const config = loadConfig('nemotron-3-nano-30b-a3b');
  const shape = modelShapeFromConfig(config);
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "nemotron_h_moe", one layer per pattern character', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('nemotron_h_moe');
    expect(shape.tiedEmbeddings).toBe(false);
    expect(shape.layers).toHaveLength(52);
    expect(kinds(shape)).toBe(config['hybrid_override_pattern']);
    // MoE layers hold no mixer; Mamba and attention layers hold no MLP.
    expect(shape.layers[1]!.mixer).toEqual({ kind: 'none' });
    expect(shape.layers[1]!.ffn).toMatchObject({ kind: 'moe', nExpert: 128, nExpertUsed: 6, expertFf: 1856, nSharedExpert: 1, sharedFf: 3712, gated: false });
    expect(shape.layers[0]!.ffn).toEqual({ kind: 'dense', ff: 0, gated: false });
    expect(shape.layers[5]!.mixer).toEqual({ kind: 'attention', nHead: 32, nHeadKv: 2, headDimK: 128, headDimV: 128, window: null });
    expect(shape.layers[0]!.mixer).toMatchObject({ kind: 'recurrent', variant: 'mamba2', stateElementsR: 3 * (4096 + 2 * 8 * 128), stateElementsS: 128 * 4096 });
  });

  it('writes the tensors of src/models/nemotron-h.cpp for M, E and * layers', () => {
    const block = (il: number) => tensors.filter((t) => t.layer === il).map((t) => `${t.name} ${t.dims.join('x')}`);
    expect(tensors.filter((t) => t.layer === null).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'token_embd.weight 2688x131072',
      'output_norm.weight 2688',
      'output.weight 2688x131072',
    ]);
    expect(block(0)).toEqual([
      'blk.0.attn_norm.weight 2688',
      'blk.0.ssm_in.weight 2688x10304', // 2 d_inner + 2 n_group d_state + n_head = 8192 + 2048 + 64
      'blk.0.ssm_conv1d.weight 4x6144',
      'blk.0.ssm_conv1d.bias 6144',
      'blk.0.ssm_dt.bias 64',
      'blk.0.ssm_a 1x64',
      'blk.0.ssm_d 1x64',
      'blk.0.ssm_norm.weight 512x8',
      'blk.0.ssm_out.weight 4096x2688',
    ]);
    expect(block(1)).toEqual([
      'blk.1.attn_norm.weight 2688',
      'blk.1.ffn_gate_inp.weight 2688x128',
      'blk.1.exp_probs_b.bias 128',
      'blk.1.ffn_down_exps.weight 1856x2688x128',
      'blk.1.ffn_up_exps.weight 2688x1856x128',
      'blk.1.ffn_down_shexp.weight 3712x2688',
      'blk.1.ffn_up_shexp.weight 2688x3712',
    ]);
    expect(block(5)).toEqual([
      'blk.5.attn_norm.weight 2688',
      'blk.5.attn_q.weight 2688x4096',
      'blk.5.attn_k.weight 2688x256',
      'blk.5.attn_v.weight 2688x256',
      'blk.5.attn_output.weight 4096x2688',
    ]);
    expect(tensors).toHaveLength(3 + 23 * 9 + 23 * 7 + 6 * 5);
  });

  it('counts 31.578 billion parameters: the published 31,577,937,344 plus 23 x 128 router biases', () => {
    const counts = paramCounts(tensors, shape);
    expect(counts.total).toBe(31_577_937_344 + 23 * 128);
    expect(Math.abs(counts.total / 31_577_937_344 - 1)).toBeLessThan(0.005);
    // "3.2B active (3.6B with embeddings)": 6 of 128 experts per token.
    expect(Math.abs(counts.activeWithoutInputEmbedding / 3.2e9 - 1)).toBeLessThan(0.01);
  });

  it('caches only the 6 attention layers (2 KV heads x 128) and keeps 23 Mamba states, the MoE layers neither', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(6 * 2 * 128 * 2 * 2);
    expect(kv.groups.find((g) => g.label === 'global')).toMatchObject({ layers: 6, bytes: 4096 * 6 * 2 * 128 * 2 * 2 });
    expect(kv.groups.find((g) => g.label === 'recurrent')).toMatchObject({ layers: 23, kBytes: 23 * 3 * 6144 * 4, vBytes: 23 * 128 * 4096 * 4 });
  });
});

describe('Nemotron-H 56B Base (NemotronHForCausalLM, dense)', () => {
  const config = loadConfig('nemotron-h-56b-base-8k');
  const shape = modelShapeFromConfig(config);
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "nemotron_h": 54 Mamba, 54 MLP and 10 attention layers', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('nemotron_h');
    expect(kinds(shape)).toBe(config['hybrid_override_pattern']);
    expect([...kinds(shape)].filter((c) => c === 'M')).toHaveLength(54);
    expect([...kinds(shape)].filter((c) => c === '-')).toHaveLength(54);
    expect([...kinds(shape)].filter((c) => c === '*')).toHaveLength(10);
    expect(shape.layers[1]).toEqual({ index: 1, mixer: { kind: 'none' }, ffn: { kind: 'dense', ff: 32768, gated: false } });
  });

  it('writes an MLP layer as attn_norm + ffn_down + ffn_up, and attention_head_dim sizes the attention', () => {
    expect(tensors.filter((t) => t.layer === 1).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'blk.1.attn_norm.weight 8192',
      'blk.1.ffn_down.weight 32768x8192',
      'blk.1.ffn_up.weight 8192x32768',
    ]);
    expect(tensors.filter((t) => t.layer === 7).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'blk.7.attn_norm.weight 8192',
      'blk.7.attn_q.weight 8192x8192',
      'blk.7.attn_k.weight 8192x1024',
      'blk.7.attn_v.weight 8192x1024',
      'blk.7.attn_output.weight 8192x8192',
    ]);
  });

  it('counts 56.32 billion parameters, the "56B" of its name (within 1%; no exact figure is published)', () => {
    const h = 8192;
    const d = 256 * 64;
    const mamba = h * (2 * d + 2 * 8 * 256 + 256) + 4 * (d + 2 * 8 * 256) + (d + 2 * 8 * 256) + 3 * 256 + d + d * h;
    const total = paramCounts(tensors, shape).total;
    expect(total).toBe(2 * 131072 * h + h + 118 * h + 54 * mamba + 54 * 2 * h * 32768 + 10 * (2 * h * h + 2 * h * 1024));
    expect(Math.abs(total / 56e9 - 1)).toBeLessThan(0.01);
  });

  it('caches 10 attention layers x 8 KV heads x 128 x 2 x 2 bytes per token, and 54 Mamba-2 states', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 8192, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(10 * 8 * 128 * 2 * 2);
    expect(kv.groups.find((g) => g.label === 'recurrent')).toMatchObject({ layers: 54, kBytes: 54 * 3 * (16384 + 2 * 8 * 256) * 4, vBytes: 54 * 256 * 16384 * 4 });
  });
});

describe('NVIDIA Nemotron 3 Super 120B-A12B (latent MoE, MTP)', () => {
  const shape = modelShapeFromConfig(loadConfig('nemotron-3-super-120b-a12b'));
  const tensors = tensorsOf(shape);

  it('projects expert inputs to the 1024-wide latent and keeps the MTP block out of the loaded model', () => {
    expect(shape.ggufArch).toBe('nemotron_h_moe');
    expect(shape.layers).toHaveLength(88);
    expect(shape.nextnLayers).toHaveLength(1);
    expect(tensors.filter((t) => t.layer === 1).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'blk.1.attn_norm.weight 4096',
      'blk.1.ffn_gate_inp.weight 4096x512',
      'blk.1.exp_probs_b.bias 512',
      'blk.1.ffn_latent_down.weight 4096x1024',
      'blk.1.ffn_latent_up.weight 1024x4096',
      'blk.1.ffn_down_exps.weight 2688x1024x512',
      'blk.1.ffn_up_exps.weight 1024x2688x512',
      'blk.1.ffn_down_shexp.weight 5376x4096',
      'blk.1.ffn_up_shexp.weight 4096x5376',
    ]);
    // The MTP block (blk.88): attention + MoE + NextN tensors, no latent projections of its own (nemotron-h.cpp).
    const mtp = tensors.filter((t) => t.layer === 88).map((t) => t.name);
    expect(mtp).toContain('blk.88.post_attention_norm.weight');
    expect(mtp).toContain('blk.88.nextn.eh_proj.weight');
    expect(mtp.some((n) => n.includes('latent'))).toBe(false);
  });

  it('counts 123.6 billion parameters with the MTP block, as published (within 0.5%)', () => {
    const counts = paramCounts(tensors, shape);
    expect(counts.total).toBe(120_668_707_840);
    expect(counts.nextn).toBe(2_933_936_640);
    expect(Math.abs((counts.total + counts.nextn) / 123_611_012_096 - 1)).toBeLessThan(0.005);
  });
});
