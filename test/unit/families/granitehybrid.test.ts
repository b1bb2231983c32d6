/**
 * IBM Granite 4.0-H (GraniteMoeHybridForCausalLM -> llama.cpp "granitehybrid"): H-Tiny (MoE + shared expert) and
 * H-Micro (dense), from test/fixtures/configs/granite-4.0-h-tiny.json and granite-4.0-h-micro.json. No verbatim
 * official config was reachable: both are reconstructed from published values, key by key, as their _source says.
 *
 * Published counts: the Hugging Face Hub's safetensors totals as recorded in AlexsJones/llmfit's hf_models.json
 * (https://github.com/AlexsJones/llmfit/blob/5bdc9df9d8e28168fdc4650741be71b715a11fc6/llmfit-core/data/hf_models.json,
 * field parameters_raw): ibm-granite/granite-4.0-h-tiny 6,939,037,248; ibm-granite/granite-4.0-h-micro 3,191,396,096.
 * The GGUF metadata of IBM's H-Tiny conversion (https://ollama.com/library/granite4:tiny-h/blobs/9811e90b0eec) gives
 * ssm.inner_size 3072, state_size 128, group_count 1, time_step_rank 48, conv_kernel 4.
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

const listed = (tensors: { name: string; dims: number[]; layer: number | null }[], layer: number | null) =>
  tensors.filter((t) => t.layer === layer).map((t) => `${t.name.replace(/^blk\.\d+\./, '')} ${t.dims.join('x')}`);

const ATTENTION_LAYERS = [5, 15, 25, 35];

describe('Granite 4.0-H-Tiny (GraniteMoeHybridForCausalLM, MoE)', () => {
  const shape = modelShapeFromConfig(loadConfig('granite-4.0-h-tiny'));
  const tensors = tensorsOf(shape);
  // d_inner 2 x 1536, state 128, 1 group, 48 SSM heads, conv 4.
  const stateR = 3 * (3072 + 2 * 128);
  const stateS = 128 * 3072;

  it('reads exactly, as llama.cpp arch "granitehybrid": 36 Mamba-2 layers, attention at 5, 15, 25, 35', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('granitehybrid');
    expect(shape.tiedEmbeddings).toBe(true);
    expect(shape.layers).toHaveLength(40);
    const attention = shape.layers.filter((l) => l.mixer.kind === 'attention').map((l) => l.index);
    expect(attention).toEqual(ATTENTION_LAYERS);
    expect(shape.layers[5]!.mixer).toEqual({ kind: 'attention', nHead: 12, nHeadKv: 4, headDimK: 128, headDimV: 128, window: null });
    expect(shape.layers[0]!.mixer).toMatchObject({ kind: 'recurrent', variant: 'mamba2', stateElementsR: stateR, stateElementsS: stateS });
    expect(shape.layers[0]!.ffn).toEqual({ kind: 'moe', nExpert: 64, nExpertUsed: 6, expertFf: 512, nSharedExpert: 1, sharedFf: 1024, gated: true });
  });

  it('writes the tensors of src/models/granite-hybrid.cpp for a Mamba-2 block and an attention block', () => {
    expect(listed(tensors, null)).toEqual(['token_embd.weight 1536x100352', 'output_norm.weight 1536']);
    const moe = [
      'ffn_norm.weight 1536',
      'ffn_gate_inp.weight 1536x64',
      'ffn_gate_exps.weight 1536x512x64',
      'ffn_down_exps.weight 512x1536x64',
      'ffn_up_exps.weight 1536x512x64',
      'ffn_gate_shexp.weight 1536x1024',
      'ffn_up_shexp.weight 1536x1024',
      'ffn_down_shexp.weight 1024x1536',
    ];
    expect(listed(tensors, 0)).toEqual([
      'attn_norm.weight 1536',
      'ssm_in.weight 1536x6448',
      'ssm_conv1d.weight 4x3328',
      'ssm_conv1d.bias 3328',
      'ssm_dt.bias 48',
      'ssm_a 1x48',
      'ssm_d 1x48',
      'ssm_norm.weight 3072x1',
      'ssm_out.weight 3072x1536',
      ...moe,
    ]);
    expect(listed(tensors, 5)).toEqual([
      'attn_norm.weight 1536',
      'attn_q.weight 1536x1536',
      'attn_k.weight 1536x512',
      'attn_v.weight 1536x512',
      'attn_output.weight 1536x1536',
      ...moe,
    ]);
    expect(tensors).toHaveLength(2 + 36 * 17 + 4 * 13);
  });

  it('counts 6,939,037,248 parameters, the Hub total', () => {
    const total = paramCounts(tensors, shape).total;
    const ffn = 2 * 1536 + 1536 * 64 + 64 * 3 * 1536 * 512 + 3 * 1536 * 1024;
    const mamba = 1536 * 6448 + 4 * 3328 + 3328 + 3 * 48 + 3072 + 3072 * 1536;
    const attention = 2 * 1536 * 1536 + 2 * 1536 * 512;
    expect(total).toBe(40 * ffn + 36 * mamba + 4 * attention + 100352 * 1536 + 1536);
    expect(total).toBe(6_939_037_248);
  });

  it('caches K and V on the 4 attention layers only, and an F32 conv + SSM state per Mamba layer', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 8192, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(4 * 4 * 128 * 2 * 2);
    const recurrent = kv.groups.find((g) => g.label === 'recurrent')!;
    expect(recurrent).toMatchObject({ layers: 36, cells: 1, kBytes: 36 * 4 * stateR, vBytes: 36 * 4 * stateS });
    expect(kv.bytes).toBe(4 * 4 * 128 * 2 * 2 * 8192 + 36 * 4 * (stateR + stateS));
  });
});

describe('Granite 4.0-H-Micro (GraniteMoeHybridForCausalLM, dense)', () => {
  const shape = modelShapeFromConfig(loadConfig('granite-4.0-h-micro'));
  const tensors = tensorsOf(shape);

  it('reads a dense SwiGLU of shared_intermediate_size on every layer, 32 / 8 heads of 64', () => {
    expect(shape.ggufArch).toBe('granitehybrid');
    expect(shape.layers.filter((l) => l.mixer.kind === 'attention').map((l) => l.index)).toEqual(ATTENTION_LAYERS);
    expect(shape.layers[5]!.mixer).toMatchObject({ nHead: 32, nHeadKv: 8, headDimK: 64 });
    expect(shape.layers[0]!.ffn).toEqual({ kind: 'dense', ff: 8192, gated: true });
    expect(shape.layers[0]!.mixer).toMatchObject({ stateElementsR: 3 * (4096 + 256), stateElementsS: 128 * 4096 });
  });

  it('writes ffn_gate / ffn_down / ffn_up (the shared MLP split) after ffn_norm', () => {
    expect(listed(tensors, 0)).toEqual([
      'attn_norm.weight 2048',
      'ssm_in.weight 2048x8512',
      'ssm_conv1d.weight 4x4352',
      'ssm_conv1d.bias 4352',
      'ssm_dt.bias 64',
      'ssm_a 1x64',
      'ssm_d 1x64',
      'ssm_norm.weight 4096x1',
      'ssm_out.weight 4096x2048',
      'ffn_norm.weight 2048',
      'ffn_gate.weight 2048x8192',
      'ffn_down.weight 8192x2048',
      'ffn_up.weight 2048x8192',
    ]);
  });

  it('counts 3,191,396,096 parameters, the Hub total', () => {
    expect(paramCounts(tensors, shape).total).toBe(3_191_396_096);
  });

  it('caches 4 attention layers x 8 KV heads x 64 x 2 x 2 bytes per token', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(4 * 8 * 64 * 2 * 2);
  });
});

describe('GraniteMoeHybrid without Mamba layers (rule test: the H-Micro config with every layer attention)', () => {
  const base = loadConfig('granite-4.0-h-micro');

  it('converts as plain "granite" without experts (conversion/granite.py GraniteHybridModel.__init__)', () => {
    const shape = modelShapeFromConfig({ ...base, layer_types: Array.from({ length: 40 }, () => 'attention') });
    expect(shape.ggufArch).toBe('granite');
    expect(shape.layers.every((l) => l.mixer.kind === 'attention')).toBe(true);
    expect(listed(tensorsOf(shape), 0)).toEqual([
      'attn_norm.weight 2048',
      'attn_q.weight 2048x2048',
      'attn_k.weight 2048x512',
      'attn_v.weight 2048x512',
      'attn_output.weight 2048x2048',
      'ffn_norm.weight 2048',
      'ffn_gate.weight 2048x8192',
      'ffn_down.weight 8192x2048',
      'ffn_up.weight 2048x8192',
    ]);
  });

  it('converts as "granitemoe" with experts', () => {
    const tiny = loadConfig('granite-4.0-h-tiny');
    const shape = modelShapeFromConfig({ ...tiny, layer_types: Array.from({ length: 40 }, () => 'attention') });
    expect(shape.ggufArch).toBe('granitemoe');
    expect(listed(tensorsOf(shape), 0).slice(-3)).toEqual(['ffn_gate_shexp.weight 1536x1024', 'ffn_up_shexp.weight 1536x1024', 'ffn_down_shexp.weight 1024x1536']);
  });
});
