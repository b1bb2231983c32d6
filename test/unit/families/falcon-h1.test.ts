/**
 * TII Falcon-H1 (FalconH1ForCausalLM -> llama.cpp "falcon-h1"), Falcon-H1-0.5B from
 * test/fixtures/configs/falcon-h1-0.5b.json (reconstructed from a same-shape derivative's config plus the recorded
 * vocab_size: no verbatim official config was reachable; see its _source).
 * Published count: tiiuae/Falcon-H1-0.5B-Base 521,411,104, the Hub's safetensors total as recorded in
 * https://github.com/AlexsJones/llmfit/blob/5bdc9df9d8e28168fdc4650741be71b715a11fc6/llmfit-core/data/hf_models.json
 * (parameters_raw). Dimensions agree with transformers' FalconH1 table
 * (https://huggingface.co/docs/transformers/model_doc/falcon_h1: 36 layers, 1024, 8 / 2 heads, 24 Mamba heads of 64,
 * state 128).
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

const listed = (tensors: { name: string; dims: number[]; layer: number | null }[], layer: number | null) =>
  tensors.filter((t) => t.layer === layer).map((t) => `${t.name.replace(/^blk\.\d+\./, '')} ${t.dims.join('x')}`);

describe('Falcon-H1-0.5B (FalconH1ForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('falcon-h1-0.5b'));
  const tensors = tensorsOf(shape);
  // d_inner 1536 (mamba_d_ssm), state 128, 1 group, conv 4.
  const stateR = 3 * (1536 + 2 * 128);
  const stateS = 128 * 1536;

  it('reads exactly, as llama.cpp arch "falcon-h1": every layer has attention (8 / 2 heads of 64) and a Mamba-2 state', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('falcon-h1');
    expect(shape.tiedEmbeddings).toBe(false);
    expect(shape.layers).toHaveLength(36);
    for (const layer of shape.layers) {
      expect(layer.mixer).toEqual({ kind: 'attention', nHead: 8, nHeadKv: 2, headDimK: 64, headDimV: 64, window: null });
      expect(layer.state).toMatchObject({ kind: 'recurrent', variant: 'mamba2', stateElementsR: stateR, stateElementsS: stateS });
      expect(layer.ffn).toEqual({ kind: 'dense', ff: 2048, gated: true });
    }
  });

  it('writes the tensors of src/models/falcon-h1.cpp: SSM, then attention, then the MLP with a suffix-less ffn_norm', () => {
    expect(listed(tensors, null)).toEqual(['token_embd.weight 1024x32784', 'output.weight 1024x32784', 'output_norm.weight 1024']);
    expect(listed(tensors, 0)).toEqual([
      'ssm_in.weight 1024x3352',
      'ssm_conv1d.weight 4x1792',
      'ssm_conv1d.bias 1792',
      'ssm_dt.bias 24',
      'ssm_a 1x24',
      'ssm_d 1x24',
      // mamba_rms_norm is false: no ssm_norm.
      'ssm_out.weight 1536x1024',
      'attn_q.weight 1024x512',
      'attn_k.weight 1024x128',
      'attn_v.weight 1024x128',
      'attn_output.weight 512x1024',
      'attn_norm.weight 1024',
      'ffn_norm 1024',
      'ffn_gate.weight 1024x2048',
      'ffn_down.weight 2048x1024',
      'ffn_up.weight 1024x2048',
    ]);
    expect(tensors).toHaveLength(3 + 36 * 16);
  });

  it('counts 521,411,104 parameters, the Hub total', () => {
    const total = paramCounts(tensors, shape).total;
    const mamba = 1024 * 3352 + 4 * 1792 + 1792 + 3 * 24 + 1536 * 1024;
    const attention = 1024 * 512 + 2 * 1024 * 128 + 512 * 1024;
    expect(total).toBe(36 * (mamba + attention + 2 * 1024 + 3 * 1024 * 2048) + 2 * 32784 * 1024 + 1024);
    expect(total).toBe(521_411_104);
  });

  it('holds both caches on every layer in llama.cpp: K/V per token and an F32 Mamba state per sequence', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(36 * 2 * 64 * 2 * 2);
    const recurrent = kv.groups.find((g) => g.label === 'recurrent')!;
    expect(recurrent).toMatchObject({ layers: 36, cells: 1, kBytes: 36 * 4 * stateR, vBytes: 36 * 4 * stateS });
    expect(kv.bytes).toBe(36 * 2 * 64 * 2 * 2 * 4096 + 36 * 4 * (stateR + stateS));
  });
});
