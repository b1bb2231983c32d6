/**
 * The tensors of a decoder block, as llama.cpp's converter writes them: attention (standard, latent, Gated DeltaNet),
 * feed-forward (dense, MoE, shared experts), norms. tensors.ts assembles a model's list from these; architecture
 * families (families/*.ts) call them for the parts they share with the standard decoder and add their own.
 * Names follow gguf-py/gguf/constants.py TENSOR_NAMES; dims are ggml order (dims[0] = input features).
 */
import type {
  Ffn,
  GatedDeltaNetShape,
  LatentAttention,
  LayerShape,
  ModelShape,
  MoeFfn,
  StandardAttention,
  TensorDetails,
  TensorInfo,
  TensorRole,
} from '../types.ts';

/** Adds one tensor of a block (the name without its "blk.N." prefix). */
export type Emit = (name: string, dims: number[], role: TensorRole) => void;

/** Architectures whose blocks end attention and MLP with extra "post" norms (Gemma 2/3: post_attention_norm, post_ffw_norm). */
const SANDWICH_NORM_ARCHS = new Set(['gemma2', 'gemma3', 'gemma4']);
/** Architectures whose pre-MLP norm is named post_attention_norm (LLM_TENSOR_ATTN_POST_NORM) instead of ffn_norm. */
const POST_ATTN_NORM_AS_FFN_NORM = new Set(['gpt-oss', 'qwen3next', 'qwen35', 'qwen35moe', 'glm4moe']);
/** Architectures with a sigmoid-gated shared expert (ffn_gate_inp_shexp): Qwen2-MoE family. */
const SHARED_EXPERT_GATE = new Set(['qwen2moe', 'qwen3next', 'qwen35moe']);
/** Architectures whose full-attention q projection also yields an output gate (attn_q is 2 x wide). */
const GATED_ATTENTION_OUTPUT = new Set(['qwen3next', 'qwen35', 'qwen35moe']);

export function standardAttention(shape: ModelShape, a: StandardAttention, d: TensorDetails, emit: Emit): void {
  const h = shape.hiddenSize;
  const q = a.nHead * a.headDimK;
  const k = a.nHeadKv * a.headDimK;
  const v = a.nHeadKv * a.headDimV;
  if (shape.ggufArch === 'phi3') {
    // Phi-3 keeps qkv_proj fused: llama-model.cpp LLM_ARCH_PHI3 wqkv {n_embd, n_embd + 2*n_embd_gqa}.
    emit('attn_qkv.weight', [h, q + k + v], 'attn');
  } else {
    emit('attn_q.weight', [h, GATED_ATTENTION_OUTPUT.has(shape.ggufArch) ? 2 * q : q], 'attn');
    emit('attn_k.weight', [h, k], 'attn');
    // Gemma 4 attention_k_eq_v: the global layers have no v_proj, V is K's projection (no attn_v in the GGUF).
    if (!a.valueFromKey) emit('attn_v.weight', [h, v], 'attn');
  }
  emit('attn_output.weight', [a.nHead * a.headDimV, h], 'attn');
  if (d.qkvBias) {
    emit('attn_q.bias', [q], 'bias');
    emit('attn_k.bias', [k], 'bias');
    emit('attn_v.bias', [v], 'bias');
  }
  if (d.attnOutputBias) emit('attn_output.bias', [h], 'bias');
  if (d.qkNorm) {
    emit('attn_q_norm.weight', [a.headDimK], 'norm');
    emit('attn_k_norm.weight', [a.headDimK], 'norm');
  }
  // gpt-oss attention sinks: one learned logit per head (converter appends ".weight" to self_attn.sinks).
  if (shape.ggufArch === 'gpt-oss') emit('attn_sinks.weight', [a.nHead], 'other');
}

/**
 * DeepSeek MLA as the current converter writes it: kv_b_proj is split into attn_k_b (per head, transposed:
 * {kv_lora_rank, qk_nope} x n_head) and attn_v_b ({kv_lora_rank, v_head} x n_head) for the absorbed MLA path
 * (convert_hf_to_gguf.py DeepseekV2Model.modify_tensors; llama-model.cpp LLM_ARCH_DEEPSEEK2 wk_b / wv_b).
 */
export function latentAttention(shape: ModelShape, a: LatentAttention, emit: Emit): void {
  const h = shape.hiddenSize;
  const qkHead = a.qkNopeHeadDim + a.qkRopeHeadDim;
  if (a.qLoraRank !== null) {
    emit('attn_q_a_norm.weight', [a.qLoraRank], 'norm');
    emit('attn_kv_a_norm.weight', [a.kvLoraRank], 'norm');
    emit('attn_q_a.weight', [h, a.qLoraRank], 'attn');
    emit('attn_q_b.weight', [a.qLoraRank, a.nHead * qkHead], 'attn');
  } else {
    emit('attn_kv_a_norm.weight', [a.kvLoraRank], 'norm');
    emit('attn_q.weight', [h, a.nHead * qkHead], 'attn');
  }
  emit('attn_kv_a_mqa.weight', [h, a.kvLoraRank + a.qkRopeHeadDim], 'attn');
  emit('attn_k_b.weight', [a.qkNopeHeadDim, a.kvLoraRank, a.nHead], 'attn');
  emit('attn_v_b.weight', [a.kvLoraRank, a.vHeadDim, a.nHead], 'attn');
  emit('attn_output.weight', [a.nHead * a.vHeadDim, h], 'attn');
}

/**
 * Gated DeltaNet layer (Qwen3-Next / Qwen3.5), as current llama.cpp writes it (llama-arch.cpp QWEN3NEXT /
 * QWEN35 tensor tables): q|k|v in-projection attn_qkv {n_embd, 2 key_dim + value_dim}, the z gate attn_gate
 * {n_embd, value_dim}, depthwise conv over q|k|v (ssm_conv1d {kernel, conv_dim}), per-value-head dt bias and
 * A (ssm_a, no suffix), beta/alpha projections, gated RMS norm over one value head, out projection.
 * Qwen3-Next checkpoints fuse beta|alpha (in_proj_ba -> ssm_ba {n_embd, 2 n_v_heads}); Qwen3.5 stores them
 * apart (in_proj_b / in_proj_a -> ssm_beta, ssm_alpha {n_embd, n_v_heads}). Older qwen3next GGUFs had a fused
 * ssm_in instead of attn_qkv + attn_gate: same element count.
 */
export function gatedDeltaNet(shape: ModelShape, g: GatedDeltaNetShape, emit: Emit): void {
  const h = shape.hiddenSize;
  const keyDim = g.nKeyHead * g.keyHeadDim;
  const valueDim = g.nValueHead * g.valueHeadDim;
  const convDim = 2 * keyDim + valueDim;
  emit('attn_qkv.weight', [h, convDim], 'recurrent');
  emit('attn_gate.weight', [h, valueDim], 'recurrent');
  emit('ssm_conv1d.weight', [g.convKernel, convDim], 'recurrent');
  emit('ssm_dt.bias', [g.nValueHead], 'bias');
  emit('ssm_a', [g.nValueHead], 'recurrent');
  if (shape.ggufArch === 'qwen3next') {
    emit('ssm_ba.weight', [h, 2 * g.nValueHead], 'recurrent');
  } else {
    emit('ssm_beta.weight', [h, g.nValueHead], 'recurrent');
    emit('ssm_alpha.weight', [h, g.nValueHead], 'recurrent');
  }
  emit('ssm_norm.weight', [g.valueHeadDim], 'norm');
  emit('ssm_out.weight', [valueDim, h], 'recurrent');
}

/**
 * A Gemma 4 MoE layer (src/models/gemma4.cpp load_arch_tensors, `has_expert`): the dense GeGLU MLP stays (ffn_gate /
 * ffn_up / ffn_down of sharedFf, llama.cpp's "shared expert", normed by post_ffw_norm_1) beside the routed experts
 * (pre_ffw_norm_2 in, post_ffw_norm_2 out). The router has a per-channel input scale (router.scale ->
 * ffn_gate_inp.scale {n_embd}); gate and up of the experts are stored fused (experts.gate_up_proj ->
 * ffn_gate_up_exps {n_embd, 2 n_ff_exp, n_expert}); router.per_expert_scale -> ffn_down_exps.scale {n_expert}.
 */
export function gemma4Moe(h: number, ffn: MoeFfn, emit: Emit): void {
  emit('ffn_gate.weight', [h, ffn.sharedFf], 'ffn');
  emit('ffn_up.weight', [h, ffn.sharedFf], 'ffn');
  emit('ffn_down.weight', [ffn.sharedFf, h], 'ffn');
  emit('post_ffw_norm_1.weight', [h], 'norm');
  emit('ffn_gate_inp.weight', [h, ffn.nExpert], 'router');
  emit('ffn_gate_inp.scale', [h], 'router');
  emit('pre_ffw_norm_2.weight', [h], 'norm');
  emit('ffn_gate_up_exps.weight', [h, 2 * ffn.expertFf, ffn.nExpert], 'ffn_exps');
  emit('ffn_down_exps.weight', [ffn.expertFf, h, ffn.nExpert], 'ffn_exps');
  emit('ffn_down_exps.scale', [ffn.nExpert], 'other');
  emit('post_ffw_norm_2.weight', [h], 'norm');
}

export function feedForward(shape: ModelShape, ffn: Ffn, d: TensorDetails, emit: Emit): void {
  const h = shape.hiddenSize;
  if (ffn.kind === 'dense') {
    if (ffn.ff === 0) return;
    if (shape.ggufArch === 'phi3') {
      // Phi-3 keeps gate_up_proj fused: ffn_up {n_embd, 2*n_ff} (llama-model.cpp LLM_ARCH_PHI3).
      emit('ffn_down.weight', [ffn.ff, h], 'ffn');
      emit('ffn_up.weight', [h, 2 * ffn.ff], 'ffn');
      return;
    }
    if (ffn.gated) emit('ffn_gate.weight', [h, ffn.ff], 'ffn');
    emit('ffn_down.weight', [ffn.ff, h], 'ffn');
    emit('ffn_up.weight', [h, ffn.ff], 'ffn');
    return;
  }
  if (shape.ggufArch === 'gemma4') {
    gemma4Moe(h, ffn, emit);
    return;
  }
  const gptOss = shape.ggufArch === 'gpt-oss';
  emit('ffn_gate_inp.weight', [h, ffn.nExpert], 'router');
  if (gptOss) emit('ffn_gate_inp.bias', [ffn.nExpert], 'bias');
  if (d.expertProbsBias) emit('exp_probs_b.bias', [ffn.nExpert], 'bias');
  if (ffn.gated) emit('ffn_gate_exps.weight', [h, ffn.expertFf, ffn.nExpert], 'ffn_exps');
  emit('ffn_down_exps.weight', [ffn.expertFf, h, ffn.nExpert], 'ffn_exps');
  emit('ffn_up_exps.weight', [h, ffn.expertFf, ffn.nExpert], 'ffn_exps');
  if (gptOss) {
    // gpt-oss experts carry biases, stacked per expert (llama-model.cpp LLM_ARCH_OPENAI_MOE).
    emit('ffn_gate_exps.bias', [ffn.expertFf, ffn.nExpert], 'bias');
    emit('ffn_down_exps.bias', [h, ffn.nExpert], 'bias');
    emit('ffn_up_exps.bias', [ffn.expertFf, ffn.nExpert], 'bias');
  }
  if (ffn.sharedFf > 0) {
    if (SHARED_EXPERT_GATE.has(shape.ggufArch)) emit('ffn_gate_inp_shexp.weight', [h], 'router');
    if (ffn.gated) emit('ffn_gate_shexp.weight', [h, ffn.sharedFf], 'ffn');
    emit('ffn_down_shexp.weight', [ffn.sharedFf, h], 'ffn');
    emit('ffn_up_shexp.weight', [h, ffn.sharedFf], 'ffn');
  }
}

/** The tensors of one decoder block as llama.cpp's converter writes them for the architectures it shares code with. */
export function standardBlock(shape: ModelShape, layer: LayerShape, d: TensorDetails, emit: Emit): void {
  const h = shape.hiddenSize;
  const sandwich = SANDWICH_NORM_ARCHS.has(shape.ggufArch);

  emit('attn_norm.weight', [h], 'norm');
  const m = layer.mixer;
  if (m.kind === 'attention') standardAttention(shape, m, d, emit);
  else if (m.kind === 'mla') latentAttention(shape, m, emit);
  else if (m.kind === 'recurrent' && m.gatedDeltaNet) gatedDeltaNet(shape, m.gatedDeltaNet, emit);
  if (sandwich) emit('post_attention_norm.weight', [h], 'norm');

  const hasFfn = layer.ffn.kind === 'moe' || layer.ffn.ff > 0;
  if (hasFfn) emit(POST_ATTN_NORM_AS_FFN_NORM.has(shape.ggufArch) ? 'post_attention_norm.weight' : 'ffn_norm.weight', [h], 'norm');
  feedForward(shape, layer.ffn, d, emit);
  if (sandwich) emit('post_ffw_norm.weight', [h], 'norm');
  // Gemma 4: a learned scalar multiplies the block's output (layer_scalar -> layer_output_scale {1}).
  if (shape.ggufArch === 'gemma4') emit('layer_output_scale.weight', [1], 'other');
}

/**
 * What a NextN (MTP) block adds to its decoder block (src/models/glm4-moe.cpp, `if (i >= n_layer)`): eh_proj
 * projects [embedding norm | hidden norm] (2 n_embd) back to n_embd; enorm / hnorm normalise the two halves;
 * shared_head_norm precedes the head. embed_tokens and shared_head_head are the block's own embedding and head
 * copies, optional in llama.cpp (absent from GLM-4.6).
 */
export function nextnTensors(shape: ModelShape, il: number, d: TensorDetails, out: TensorInfo[]): void {
  const h = shape.hiddenSize;
  const emit: Emit = (name, dims, role) => out.push({ name: `blk.${il}.nextn.${name}`, dims, layer: il, role });
  emit('eh_proj.weight', [2 * h, h], 'other');
  if (d.nextnEmbeddings) emit('embed_tokens.weight', [h, shape.vocabSize], 'other');
  emit('enorm.weight', [h], 'norm');
  emit('hnorm.weight', [h], 'norm');
  if (d.nextnEmbeddings) emit('shared_head_head.weight', [h, shape.vocabSize], 'other');
  emit('shared_head_norm.weight', [h], 'norm');
}

