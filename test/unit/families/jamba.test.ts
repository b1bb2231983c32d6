/**
 * Jamba v0.1 (JambaForCausalLM -> llama.cpp "jamba"), from the real config.json of ai21labs/Jamba-v0.1
 * (test/fixtures/configs/jamba-v0.1.json, URL in its _source).
 * Published counts: the model card gives "12B active parameters and a total of 52B parameters across all experts"
 * (https://huggingface.co/ai21labs/Jamba-v0.1); the exact Hub safetensors total of ai21labs/AI21-Jamba-Mini-1.5, which
 * has Jamba-v0.1's shapes, is 51,570,323,328 (parameters_raw in
 * https://github.com/AlexsJones/llmfit/blob/5bdc9df9d8e28168fdc4650741be71b715a11fc6/llmfit-core/data/hf_models.json).
 * Recurrent state per llama-hparams.cpp for Mamba-1 (no groups): r = (d_conv - 1) d_inner, s = d_state d_inner, F32.
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

const H = 4096;
const D = 8192; // mamba_expand 2 x hidden
const N = 16; // mamba_d_state
const R = 256; // mamba_dt_rank
const FF = 14336;

describe('Jamba v0.1 (JambaForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('jamba-v0.1'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "jamba": attention at 4, 12, 20, 28, Mamba elsewhere, MoE on odd layers', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('jamba');
    expect(shape.tiedEmbeddings).toBe(false);
    expect(shape.maxContext).toBe(262144); // n_ctx: the config has no max_position_embeddings
    expect(shape.layers).toHaveLength(32);
    expect(shape.layers.filter((l) => l.mixer.kind === 'attention').map((l) => l.index)).toEqual([4, 12, 20, 28]);
    expect(shape.layers.filter((l) => l.ffn.kind === 'moe').map((l) => l.index)).toEqual(Array.from({ length: 16 }, (_, i) => 2 * i + 1));
    expect(shape.layers[4]!.mixer).toEqual({ kind: 'attention', nHead: 32, nHeadKv: 8, headDimK: 128, headDimV: 128, window: null });
    expect(shape.layers[1]!.ffn).toMatchObject({ kind: 'moe', nExpert: 16, nExpertUsed: 2, expertFf: FF });
    expect(shape.layers[0]!.mixer).toMatchObject({ kind: 'recurrent', variant: 'mamba', stateElementsR: 3 * D, stateElementsS: N * D });
  });

  it('writes the tensors of src/models/jamba.cpp: a Mamba + MoE block and an attention + dense block', () => {
    expect(tensors.filter((t) => t.layer === null).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'token_embd.weight 4096x65536',
      'output_norm.weight 4096',
      'output.weight 4096x65536',
    ]);
    expect(tensors.filter((t) => t.layer === 1).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'blk.1.attn_norm.weight 4096',
      'blk.1.ssm_in.weight 4096x16384',
      'blk.1.ssm_conv1d.weight 4x8192',
      'blk.1.ssm_conv1d.bias 8192',
      'blk.1.ssm_x.weight 8192x288',
      'blk.1.ssm_dt_norm.weight 256',
      'blk.1.ssm_dt.weight 256x8192',
      'blk.1.ssm_dt.bias 8192',
      'blk.1.ssm_b_norm.weight 16',
      'blk.1.ssm_c_norm.weight 16',
      'blk.1.ssm_a 16x8192',
      'blk.1.ssm_d 8192',
      'blk.1.ssm_out.weight 8192x4096',
      'blk.1.ffn_norm.weight 4096',
      'blk.1.ffn_gate_inp.weight 4096x16',
      'blk.1.ffn_gate_exps.weight 4096x14336x16',
      'blk.1.ffn_down_exps.weight 14336x4096x16',
      'blk.1.ffn_up_exps.weight 4096x14336x16',
    ]);
    expect(tensors.filter((t) => t.layer === 4).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'blk.4.attn_norm.weight 4096',
      'blk.4.attn_q.weight 4096x4096',
      'blk.4.attn_k.weight 4096x1024',
      'blk.4.attn_v.weight 4096x1024',
      'blk.4.attn_output.weight 4096x4096',
      'blk.4.ffn_norm.weight 4096',
      'blk.4.ffn_gate.weight 4096x14336',
      'blk.4.ffn_down.weight 14336x4096',
      'blk.4.ffn_up.weight 4096x14336',
    ]);
  });

  it('counts 51,570,323,328 parameters (the published Jamba-Mini-1.5 total; "52B" on the v0.1 card), 12.1B active', () => {
    const counts = paramCounts(tensors, shape);
    const mamba = H * 2 * D + 4 * D + D + D * (R + 2 * N) + R + R * D + D + 2 * N + N * D + D + D * H;
    const attn = 2 * H * H + 2 * H * 1024;
    const moe = H * 16 + 3 * H * FF * 16;
    const dense = 3 * H * FF;
    expect(counts.total).toBe(2 * 65536 * H + H + 32 * 2 * H + 28 * mamba + 4 * attn + 16 * moe + 16 * dense);
    expect(counts.total).toBe(51_570_323_328);
    expect(Math.abs(counts.total / 51_570_323_328 - 1)).toBeLessThan(0.005);
    expect(Math.abs(counts.active / 12e9 - 1)).toBeLessThan(0.01);
  });

  it('caches 4 attention layers x 8 KV heads x 128 x 2 x 2 bytes per token, and 28 Mamba states in F32', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(4 * 8 * 128 * 2 * 2);
    const state = kv.groups.find((g) => g.label === 'recurrent');
    expect(state).toMatchObject({ layers: 28, kBytes: 28 * 3 * D * 4, vBytes: 28 * N * D * 4 });
  });
});
