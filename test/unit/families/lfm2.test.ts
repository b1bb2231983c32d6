/**
 * Liquid AI LFM2 (Lfm2ForCausalLM) and LFM2 MoE (Lfm2MoeForCausalLM), from test/fixtures/configs/lfm2-1.2b.json and
 * lfm2-700m.json (verbatim, URLs in their _source) and lfm2-8b-a1b.json (reconstructed, see its _source).
 * Published counts:
 * - LFM2-1.2B: 1,170,340,608, the safetensors total of LiquidAI/LFM2-1.2B (148 BF16 tensors) as recorded by the
 *   fetchwiki mirror, https://github.com/fetchwiki/LiquidAI-LFM2-1.2B/blob/60dc8602e06e43aec0e5cd5bb54fe7a7fedcdc81/model_files.json
 *   (the same integer as the Hub API figure in AlexsJones/llmfit hf_models.json @ a3e0eb27).
 * - LFM2-8B-A1B: 8,339,929,856, the Hub safetensors total scraped into
 *   https://github.com/AlexsJones/llmfit/blob/a3e0eb27c57fe05298292f4c61699b9aed2824ea/llmfit-core/data/hf_models.json
 *   (entry LiquidAI/LFM2-8B-A1B, field parameters_raw); "8.3B total parameters and 1.5B active"
 *   (https://huggingface.co/docs/transformers/en/model_doc/lfm2_moe).
 * Published GGUF tensors (third-party Ollama uploads, listed in their blob pages):
 * LFM2-1.2B https://ollama.com/sam860/LFM2:1.2b-Q4_0/blobs/d38b027f06a8 and LFM2-700M
 * https://ollama.com/jewelzufo/lfm2-700-gguf:latest/blobs/1f1672fa163d (both lists truncated after blk.0).
 * Tensors: src/models/lfm2.cpp and lfm2moe.cpp load_arch_tensors (llama.cpp 3f545bec).
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

const ATTENTION_LAYERS = [2, 5, 8, 10, 12, 14];

describe('LFM2-1.2B (Lfm2ForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('lfm2-1.2b'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "lfm2": tied, 10 short-conv layers and 6 GQA layers (full_attn_idxs)', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('lfm2');
    expect(shape.tiedEmbeddings).toBe(true);
    expect(shape.layers).toHaveLength(16);
    expect(shape.layers.filter((l) => l.mixer.kind === 'attention').map((l) => l.index)).toEqual(ATTENTION_LAYERS);
    expect(shape.layers[2]!.mixer).toEqual({ kind: 'attention', nHead: 32, nHeadKv: 8, headDimK: 64, headDimV: 64, window: null });
    // conv state n_embd x (conv_L_cache - 1), no SSM state (llama_hparams::n_embd_r / n_embd_s).
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'recurrent', variant: 'shortconv', stateElementsR: 2048 * 2, stateElementsS: 0 });
    // block_ff_dim 12288, auto-adjusted: int(2 x 12288 / 3) = 8192, a multiple of 256.
    expect(shape.layers[0]!.ffn).toEqual({ kind: 'dense', ff: 8192, gated: true });
  });

  it('writes the tensors of src/models/lfm2.cpp: 148 in all, as the checkpoint has', () => {
    expect(tensors.filter((t) => t.layer === null).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'token_embd.weight 2048x65536',
      'token_embd_norm.weight 2048',
    ]);
    expect(tensors.filter((t) => t.layer === 0).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'blk.0.ffn_norm.weight 2048',
      'blk.0.ffn_gate.weight 2048x8192',
      'blk.0.ffn_down.weight 8192x2048',
      'blk.0.ffn_up.weight 2048x8192',
      'blk.0.attn_norm.weight 2048',
      'blk.0.shortconv.conv.weight 3x2048',
      'blk.0.shortconv.in_proj.weight 2048x6144',
      'blk.0.shortconv.out_proj.weight 2048x2048',
    ]);
    expect(tensors.filter((t) => t.layer === 2).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'blk.2.ffn_norm.weight 2048',
      'blk.2.ffn_gate.weight 2048x8192',
      'blk.2.ffn_down.weight 8192x2048',
      'blk.2.ffn_up.weight 2048x8192',
      'blk.2.attn_norm.weight 2048',
      'blk.2.attn_q_norm.weight 64',
      'blk.2.attn_k_norm.weight 64',
      'blk.2.attn_q.weight 2048x2048',
      'blk.2.attn_k.weight 2048x512',
      'blk.2.attn_v.weight 2048x512',
      'blk.2.attn_output.weight 2048x2048',
    ]);
    expect(tensors).toHaveLength(148);
  });

  it('matches the published GGUF tensors of LFM2-1.2B (Ollama blob, first block)', () => {
    const byName = new Map(tensors.map((t) => [t.name, t.dims]));
    expect(byName.get('token_embd.weight')).toEqual([2048, 65536]);
    expect(byName.get('blk.0.attn_norm.weight')).toEqual([2048]);
    expect(byName.get('blk.0.ffn_down.weight')).toEqual([8192, 2048]);
    expect(byName.get('blk.0.ffn_gate.weight')).toEqual([2048, 8192]);
    expect(byName.get('blk.0.ffn_norm.weight')).toEqual([2048]);
    expect(byName.get('blk.0.ffn_up.weight')).toEqual([2048, 8192]);
  });

  it('counts 1,170,340,608 parameters, the safetensors total', () => {
    const total = paramCounts(tensors, shape).total;
    const ffn = 3 * 2048 * 8192 + 2 * 2048;
    const conv = 3 * 2048 + 2048 * 6144 + 2048 * 2048;
    const attn = 2 * 2048 * 2048 + 2 * 2048 * 512 + 2 * 64;
    expect(total).toBe(65536 * 2048 + 2048 + 16 * ffn + 10 * conv + 6 * attn);
    expect(total).toBe(1_170_340_608);
  });

  it('in llama.cpp caches K and V on the 6 attention layers and keeps an F32 conv state on the 10 others', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(6 * 8 * 64 * 2 * 2);
    const recurrent = kv.groups.find((g) => g.label === 'recurrent');
    expect(recurrent).toMatchObject({ layers: 10, kBytes: 10 * 2048 * 2 * 4, vBytes: 0 });
    expect(kv.bytes).toBe(4096 * 6 * 8 * 64 * 2 * 2 + 10 * 2048 * 2 * 4);
  });
});

describe('LFM2-700M (Lfm2ForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('lfm2-700m'));
  const tensors = tensorsOf(shape);

  it('auto-adjusts block_ff_dim 10240 to 6912 and matches the published GGUF tensors (Ollama blob, first block)', () => {
    expect(shape.layers[0]!.ffn).toEqual({ kind: 'dense', ff: 6912, gated: true });
    const byName = new Map(tensors.map((t) => [t.name, t.dims]));
    expect(byName.get('token_embd.weight')).toEqual([1536, 65536]);
    expect(byName.get('blk.0.ffn_down.weight')).toEqual([6912, 1536]);
    expect(byName.get('blk.0.ffn_gate.weight')).toEqual([1536, 6912]);
    expect(byName.get('blk.0.shortconv.conv.weight')).toEqual([3, 1536]);
    expect(byName.get('blk.0.shortconv.in_proj.weight')).toEqual([1536, 4608]);
  });
});

describe('LFM2-8B-A1B (Lfm2MoeForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('lfm2-8b-a1b'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "lfm2moe": 18 conv and 6 attention layers, 2 dense then 22 MoE layers of 32 experts top-4', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('lfm2moe');
    expect(shape.tiedEmbeddings).toBe(true);
    expect(shape.layers.filter((l) => l.mixer.kind === 'attention').map((l) => l.index)).toEqual([2, 6, 10, 14, 18, 21]);
    expect(shape.layers[1]!.ffn).toEqual({ kind: 'dense', ff: 7168, gated: true });
    expect(shape.layers[2]!.ffn).toEqual({ kind: 'moe', nExpert: 32, nExpertUsed: 4, expertFf: 1792, nSharedExpert: 0, sharedFf: 0, gated: true });
  });

  it('writes the tensors of src/models/lfm2moe.cpp: router, stacked experts and the required expert bias', () => {
    expect(tensors.filter((t) => t.layer === 2).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'blk.2.ffn_norm.weight 2048',
      'blk.2.ffn_gate_inp.weight 2048x32',
      'blk.2.ffn_gate_exps.weight 2048x1792x32',
      'blk.2.ffn_down_exps.weight 1792x2048x32',
      'blk.2.ffn_up_exps.weight 2048x1792x32',
      'blk.2.exp_probs_b.bias 32',
      'blk.2.attn_norm.weight 2048',
      'blk.2.attn_q_norm.weight 64',
      'blk.2.attn_k_norm.weight 64',
      'blk.2.attn_q.weight 2048x2048',
      'blk.2.attn_k.weight 2048x512',
      'blk.2.attn_v.weight 2048x512',
      'blk.2.attn_output.weight 2048x2048',
    ]);
  });

  it('counts 8.34 billion parameters: the Hub total plus the 22 x 32 expert-bias values; about 1.5 billion active', () => {
    const counts = paramCounts(tensors, shape);
    // The Hub figure is exactly 704 = 22 MoE layers x 32 expert biases below llama.cpp's count (which needs
    // exp_probs_b); why the Hub total leaves them out was not established.
    expect(counts.total).toBe(8_339_929_856 + 22 * 32);
    expect(Math.abs(counts.total / 8_339_929_856 - 1)).toBeLessThan(0.005);
    expect(Math.abs(counts.active / 1.5e9 - 1)).toBeLessThan(0.05);
  });

  it('in llama.cpp caches 6 attention layers and keeps the conv state of 18', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(6 * 8 * 64 * 2 * 2);
    expect(kv.groups.find((g) => g.label === 'recurrent')).toMatchObject({ layers: 18, kBytes: 18 * 2048 * 2 * 4, vBytes: 0 });
  });
});
