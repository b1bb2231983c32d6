/**
 * Tencent Hunyuan dense (HunYuanDenseV1ForCausalLM -> llama.cpp "hunyuan-dense": Hunyuan 0.5B / 1.8B / 4B / 7B,
 * Hunyuan-MT). A Llama-shaped decoder with per-head RMS norms on q and k (query_layernorm / key_layernorm).
 *
 * llama.cpp: llama_model_hunyuan_dense reuses llama_model_hunyuan_vl::load_arch_tensors (src/models/hunyuan-vl.cpp):
 * attn_norm, q/k/v (create_tensor_qkv: separate weights, optional biases), attn_output, attn_k_norm and attn_q_norm
 * {head_dim} (required), ffn_norm, ffn_gate / ffn_down / ffn_up; output optional (tied falls back to token_embd).
 * Converter: conversion/hunyuan.py HunYuanModel drops lm_head.weight when tie_word_embeddings is true, writes
 * head_dim as key_length, and for rope_scaling type "dynamic" (NTK alpha) writes context_length 256K whatever
 * max_position_embeddings says ("the config is incorrectly set to 32k").
 *
 * The attention part and the context rule are shared with hunyuan-moe.ts.
 */
import type { ConfigReader } from '../config-reader.ts';
import type { ArchFamily } from '../family.ts';
import { attention, readCore, readDenseFfn, readHeads, repeat, zipLayers, type HeadLayout } from '../shape-parts.ts';
import type { Emit } from '../tensor-parts.ts';
import type { LayerShape, ModelShape } from '../../types.ts';

/** What the converter writes as context_length for a dynamic (NTK alpha) rope: 256 x 1024 (conversion/hunyuan.py). */
const DYNAMIC_ROPE_CONTEXT = 256 * 1024;

function ropeType(r: ConfigReader): string | undefined {
  const rs = r.nested('rope_scaling') ?? r.nested('rope_parameters');
  return rs?.optionalString('rope_type') ?? rs?.optionalString('type');
}

/**
 * llama.cpp's trained context for Hunyuan: 256K when the rope is "dynamic" (the converter overrides
 * max_position_embeddings, asserting it is 32K or 256K), else max_position_embeddings.
 */
export function hunyuanContext(r: ConfigReader, maxPosition: number, assume: (note: string) => void): number {
  if (ropeType(r) !== 'dynamic') return maxPosition;
  if (maxPosition !== DYNAMIC_ROPE_CONTEXT) {
    assume(
      `${r.path('max_position_embeddings')} ${maxPosition} is replaced by 262144: llama.cpp's converter writes a 256K context for Hunyuan's dynamic (NTK alpha) rope.`,
    );
  }
  return DYNAMIC_ROPE_CONTEXT;
}

/** Hunyuan's attention flags, with the cases llama.cpp's loader cannot take stated. */
export function hunyuanAttentionFlags(r: ConfigReader, assume: (note: string) => void): { bias: boolean } {
  if (r.bool('use_cla', false)) {
    r.fail('use_cla', 'must be false: llama.cpp has no cross-layer attention (CLA) for Hunyuan, so such a checkpoint cannot be converted', true);
  }
  if (!r.bool('use_qk_norm', true)) {
    assume(`${r.path('use_qk_norm')} is false, but llama.cpp's Hunyuan loader requires attn_q_norm / attn_k_norm: sized with them.`);
  }
  const bias = r.bool('attention_bias', false);
  if (bias) {
    assume('attention_bias: o_proj.bias has no place in llama.cpp\'s Hunyuan loader (only q/k/v biases are optional), so such a GGUF would not load.');
  }
  return { bias };
}

/** The heads: head_dim when given (the converter writes it as key_length), else hidden_size / num_attention_heads. */
export function hunyuanHeads(r: ConfigReader, hiddenSize: number, assume: (note: string) => void): HeadLayout {
  const heads = readHeads(r, hiddenSize);
  const stated = r.optionalInt('attention_head_dim');
  if (stated !== undefined && stated !== heads.headDim) {
    assume(`${r.path('attention_head_dim')} ${stated} is not read by llama.cpp's converter; heads are ${heads.headDim} wide.`);
  }
  return heads;
}

/**
 * attn_norm, q/k/v (+ biases), attn_output, attn_k_norm, attn_q_norm: the order of src/models/hunyuan-vl.cpp and
 * hunyuan-moe.cpp load_arch_tensors (k norm before q norm).
 */
export function hunyuanAttention(shape: ModelShape, layer: LayerShape, emit: Emit): void {
  const h = shape.hiddenSize;
  const m = layer.mixer;
  if (m.kind !== 'attention') return;
  const q = m.nHead * m.headDimK;
  const kv = m.nHeadKv * m.headDimK;
  emit('attn_norm.weight', [h], 'norm');
  emit('attn_q.weight', [h, q], 'attn');
  emit('attn_k.weight', [h, kv], 'attn');
  emit('attn_v.weight', [h, kv], 'attn');
  if (shape.tensorDetails?.qkvBias) {
    emit('attn_q.bias', [q], 'bias');
    emit('attn_k.bias', [kv], 'bias');
    emit('attn_v.bias', [kv], 'bias');
  }
  emit('attn_output.weight', [q, h], 'attn');
  emit('attn_k_norm.weight', [m.headDimK], 'norm');
  emit('attn_q_norm.weight', [m.headDimK], 'norm');
}

const hunyuanDense: ArchFamily = {
  architectures: ['HunYuanDenseV1ForCausalLM'],
  ggufArchs: ['hunyuan-dense'],
  read: (r, assume) => {
    const core = readCore(r);
    const heads = hunyuanHeads(r, core.hiddenSize, assume);
    const { bias } = hunyuanAttentionFlags(r, assume);
    const experts = r.int('num_experts', { fallback: 1 });
    if (experts > 1) assume(`${r.path('num_experts')} ${experts} on a dense Hunyuan: llama.cpp's converter keeps it, but the dense loader creates no experts.`);
    return {
      ...core,
      maxContext: hunyuanContext(r, core.maxContext, assume),
      ggufArch: 'hunyuan-dense',
      // HunYuanDenseV1Config defaults tie_word_embeddings to false; the converter skips lm_head.weight when tied.
      tiedEmbeddings: r.bool('tie_word_embeddings', false),
      layers: zipLayers(
        repeat(core.nLayer, () => attention(heads, null)),
        repeat(core.nLayer, () => readDenseFfn(r)),
      ),
      tensorDetails: { qkNorm: true, qkvBias: bias },
    };
  },
  blockTensors: (shape, layer, emit) => {
    const h = shape.hiddenSize;
    hunyuanAttention(shape, layer, emit);
    if (layer.ffn.kind !== 'dense') return;
    const ff = layer.ffn.ff;
    emit('ffn_norm.weight', [h], 'norm');
    emit('ffn_gate.weight', [h, ff], 'ffn');
    emit('ffn_down.weight', [ff, h], 'ffn');
    emit('ffn_up.weight', [h, ff], 'ffn');
  },
};

export default hunyuanDense;
