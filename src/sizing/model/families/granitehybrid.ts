/**
 * IBM Granite 4.0-H (GraniteMoeHybridForCausalLM -> llama.cpp "granitehybrid"): Mamba-2 layers with a few attention
 * layers between them (layer_types "mamba" / "attention"; H-Tiny and H-Small: 36 + 4 of 40), and on every layer an
 * MoE with a shared expert (H-Tiny, H-Small) or a dense SwiGLU MLP (H-Micro). Attention layers are NoPE Granite
 * attention: head = hidden_size / num_attention_heads (head_dim is popped by the converter).
 *
 * Converter: conversion/granite.py GraniteHybridModel (on conversion/mamba.py Mamba2Model), which reads config.json
 * raw (no transformers defaults) and looks every SSM key up also under a "mamba_" prefix: d_inner = expand x
 * hidden_size (the loader asserts d_inner == 2 n_embd), ssm.time_step_rank = mamba_n_heads (H), state_size =
 * mamba_d_state (N), group_count = mamba_n_groups (G), conv_kernel = mamba_d_conv. head_count_kv is written per layer
 * (0 on Mamba layers, which is how the loader tells them apart). A config whose layers are all attention converts as
 * plain "granite" (no experts: granite-4.0-micro) or "granitemoe" instead.
 * Tensors and their order: src/models/granite-hybrid.cpp load_arch_tensors. The shared MLP (shared_mlp.input_linear,
 * gate|up fused) is split into ffn_gate_shexp / ffn_up_shexp, or into ffn_gate / ffn_up when there are no experts.
 *
 * Recurrent state per Mamba layer (src/llama-hparams.cpp n_embd_r / n_embd_s): r = (d_conv - 1) x (d_inner + 2 G N)
 * conv rows, s = N x d_inner SSM state, F32, one of each per sequence.
 */
import type { ConfigReader } from '../config-reader.ts';
import type { ArchFamily } from '../family.ts';
import type { Emit } from '../tensor-parts.ts';
import { attention, denseFfn, readCore, repeat, zipLayers, type CoreSizes } from '../shape-parts.ts';
import { SizingError } from '../../errors.ts';
import type { Ffn, LayerMixer, LayerShape, RecurrentLayer } from '../../types.ts';
import { graniteAttention, graniteHeads, graniteMoe, graniteMoeTensors } from './granitemoe.ts';

/** A Mamba-2 mixer's sizes, as llama.cpp's ssm.* keys hold them. */
export interface Mamba2Shape {
  dInner: number;
  dState: number;
  nGroup: number;
  /** SSM heads (llama.cpp ssm_dt_rank). */
  nHead: number;
  convKernel: number;
  /** conv1d carries a bias (mamba_conv_bias). */
  convBias: boolean;
  /** The gated RMS norm before out_proj (ssm_norm); optional in Falcon-H1 (mamba_rms_norm). */
  norm: boolean;
}

/**
 * A Mamba-2 recurrent layer that also carries its sizes, so its tensors can be listed. types.ts has no slot for them
 * (RecurrentLayer.gatedDeltaNet is the Qwen3-Next equivalent); the extra property travels with the object.
 */
export interface Mamba2Layer extends RecurrentLayer {
  mamba2: Mamba2Shape;
}

export function mamba2Layer(m: Mamba2Shape): Mamba2Layer {
  return {
    kind: 'recurrent',
    variant: 'mamba2',
    stateElementsR: (m.convKernel - 1) * (m.dInner + 2 * m.nGroup * m.dState),
    stateElementsS: m.dState * m.dInner,
    mamba2: m,
  };
}

export function mamba2Of(layer: RecurrentLayer | null | undefined, il: number): Mamba2Shape {
  if (layer && 'mamba2' in layer) return (layer as Mamba2Layer).mamba2;
  throw new SizingError(`layer ${il}: a Mamba-2 layer without its sizes (a shape not read from a config.json) cannot list its tensors`, 'layers');
}

/**
 * A Mamba-2 mixer's tensors in load order (granite-hybrid.cpp, falcon-h1.cpp): in_proj {n_embd, 2 D + 2 G N + H}
 * (z, x, B, C, dt), depthwise conv over x|B|C, dt bias, A and D (no ".weight" suffix: the converter keeps A_log as
 * -exp(A_log) under the bare name), the grouped norm {D / G, G}, out_proj.
 */
export function mamba2Tensors(h: number, m: Mamba2Shape, emit: Emit): void {
  const conv = m.dInner + 2 * m.nGroup * m.dState;
  emit('ssm_in.weight', [h, m.dInner + conv + m.nHead], 'recurrent');
  emit('ssm_conv1d.weight', [m.convKernel, conv], 'recurrent');
  if (m.convBias) emit('ssm_conv1d.bias', [conv], 'bias');
  emit('ssm_dt.bias', [m.nHead], 'bias');
  emit('ssm_a', [1, m.nHead], 'recurrent');
  emit('ssm_d', [1, m.nHead], 'recurrent');
  if (m.norm) emit('ssm_norm.weight', [m.dInner / m.nGroup, m.nGroup], 'norm');
  emit('ssm_out.weight', [m.dInner, h], 'recurrent');
}

/** The first of `keys` the config has, trying each also with the "mamba_" prefix (GraniteHybridModel.find_hparam). */
function findKey(r: ConfigReader, keys: readonly string[]): string | undefined {
  return [...keys, ...keys.map((k) => `mamba_${k}`)].find((k) => r.has(k));
}

function requiredInt(r: ConfigReader, keys: readonly string[]): number {
  const key = findKey(r, keys);
  return r.int(key ?? `mamba_${keys[0]}`);
}

function readMamba2(r: ConfigReader, core: CoreSizes, assume: (note: string) => void): Mamba2Shape {
  const expandKey = findKey(r, ['expand', 'num_heads']);
  const expand = expandKey ? r.int(expandKey) : 2;
  if (!expandKey) assume(`${r.path('mamba_expand')} not given: 2 assumed (GraniteMoeHybridConfig's default).`);
  const dInner = expand * core.hiddenSize;
  // granite-hybrid.cpp: GGML_ASSERT(2 * n_embd == d_inner).
  if (dInner !== 2 * core.hiddenSize) r.fail(expandKey ?? 'mamba_expand', 'must be 2: llama.cpp supports only d_inner = 2 x hidden_size', expand);
  const m: Mamba2Shape = {
    dInner,
    dState: requiredInt(r, ['state_size', 'd_state', 'state_dim', 'ssm_state_size']),
    nGroup: requiredInt(r, ['n_groups', 'num_groups']),
    nHead: requiredInt(r, ['n_heads', 'num_heads']),
    convKernel: requiredInt(r, ['conv_kernel', 'd_conv']),
    convBias: r.bool('mamba_conv_bias', true),
    norm: true,
  };
  if (dInner % m.nGroup !== 0) r.fail(findKey(r, ['n_groups']) ?? 'mamba_n_groups', `must divide d_inner (${dInner})`, m.nGroup);
  if (r.bool('mamba_proj_bias', false)) {
    assume(`${r.path('mamba_proj_bias')} is true: llama.cpp's granitehybrid loader has no in_proj / out_proj bias, so such a file would not load; the biases are left out.`);
  }
  return m;
}

/**
 * Which layers are attention: layer_types ("attention" / "mamba"), else attn_layer_indices, else every
 * attn_layer_period-th layer from attn_layer_offset (GraniteHybridModel.get_attn_layers).
 */
function attentionLayers(r: ConfigReader, nLayer: number): boolean[] {
  const types = r.stringList('layer_types', nLayer);
  if (types) {
    types.forEach((t, i) => {
      if (t !== 'attention' && t !== 'mamba') r.fail('layer_types', `entry ${i} must be "attention" or "mamba"`, t);
    });
    return types.map((t) => t === 'attention');
  }
  const indices = r.intList('attn_layer_indices');
  if (indices && indices.length > 0) return repeat(nLayer, (il) => indices.includes(il));
  const period = r.int('attn_layer_period');
  const offset = r.int('attn_layer_offset', { min: 0 });
  return repeat(nLayer, (il) => il % period === offset);
}

/**
 * The FFN of every layer. With experts: routed experts of intermediate_size plus the shared expert. Without: the
 * shared MLP becomes a dense SwiGLU of shared_intermediate_size (that is where the converter splits it), while the
 * loader checks it against feed_forward_length = intermediate_size.
 */
function readFfn(r: ConfigReader, assume: (note: string) => void): Ffn {
  if (r.int('num_local_experts', { min: 0, fallback: 0 }) > 0) return graniteMoe(r);
  const ff = r.int('shared_intermediate_size');
  const declared = r.int('intermediate_size', { fallback: ff });
  if (declared !== ff) {
    assume(`${r.path('intermediate_size')} ${declared} differs from shared_intermediate_size ${ff}: the converter writes the MLP ${ff} wide, llama.cpp's loader expects ${declared}, so the file would not load; sized as converted.`);
  }
  return denseFfn(ff);
}

function block(h: number, layer: LayerShape, bias: boolean, emit: Emit): void {
  const m = layer.mixer;
  emit('attn_norm.weight', [h], 'norm');
  if (m.kind === 'recurrent') mamba2Tensors(h, mamba2Of(m, layer.index), emit);
  else if (m.kind === 'attention') graniteAttention(h, m, bias, emit);
  emit('ffn_norm.weight', [h], 'norm');
  const ffn = layer.ffn;
  if (ffn.kind === 'moe') graniteMoeTensors(h, ffn, emit);
  else {
    emit('ffn_gate.weight', [h, ffn.ff], 'ffn');
    emit('ffn_down.weight', [ffn.ff, h], 'ffn');
    emit('ffn_up.weight', [h, ffn.ff], 'ffn');
  }
}

const granitehybrid: ArchFamily = {
  architectures: ['GraniteMoeHybridForCausalLM'],
  ggufArchs: ['granitehybrid'],
  read: (r, assume) => {
    const core = readCore(r);
    const heads = graniteHeads(r, core.hiddenSize, assume);
    const isAttention = attentionLayers(r, core.nLayer);
    const ffn = readFfn(r, assume);
    const hybrid = isAttention.some((a) => !a);
    // No Mamba layer: the converter rewrites the architecture to "granite" or "granitemoe" (granite.py __init__).
    const ggufArch = hybrid ? 'granitehybrid' : ffn.kind === 'moe' ? 'granitemoe' : 'granite';
    const mamba = hybrid ? mamba2Layer(readMamba2(r, core, assume)) : undefined;
    const mixers = isAttention.map((a): LayerMixer => (a || !mamba ? attention(heads, null) : mamba));
    const bias = r.bool('attention_bias', false);
    return {
      ...core,
      ggufArch,
      tiedEmbeddings: r.bool('tie_word_embeddings', false),
      layers: zipLayers(mixers, repeat(core.nLayer, () => ffn)),
      tensorDetails: { qkvBias: bias, attnOutputBias: bias },
    };
  },
  blockTensors: (shape, layer, emit) => block(shape.hiddenSize, layer, shape.tensorDetails?.qkvBias ?? false, emit),
};

export default granitehybrid;
