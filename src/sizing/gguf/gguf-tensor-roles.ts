/**
 * Tensor role and layer from a GGUF tensor name, by the conventions tensors.ts uses when it builds the same
 * tensors from a config (names: gguf-py/gguf/constants.py TENSOR_NAMES). The order of the tests matters:
 * a bias is a bias before anything else, a norm a norm, and attn_qkv / attn_gate are recurrent weights in a
 * layer that has a state-space (ssm_*) part (Gated DeltaNet), attention weights otherwise.
 */
import type { TensorRole } from '../types.ts';

/** Block index from "blk.N.", or null outside the blocks (as tensors.ts marks token_embd, output ...). */
export function layerOfTensorName(name: string): number | null {
  const m = /^blk\.(\d+)\./.exec(name);
  return m ? Number(m[1]) : null;
}

/** The name without "blk.N." and without its ".weight" / ".bias" suffix: "attn_q", "ffn_up_exps", "ssm_a". */
function stem(name: string): string {
  return name.replace(/^blk\.\d+\./, '').replace(/\.(weight|bias)$/, '');
}

/**
 * @param recurrentLayer whether the tensor's block holds a recurrent mixer (has ssm_* tensors); decides
 * attn_qkv / attn_gate, which Gated DeltaNet layers reuse for their in-projections.
 */
export function roleOfTensorName(name: string, recurrentLayer = false): TensorRole {
  if (name === 'token_embd.weight' || name === 'per_layer_token_embd.weight') return 'token_embd';
  if (name === 'output.weight') return 'output';
  if (name.endsWith('.bias')) return 'bias';
  const s = stem(name);
  // NextN blocks (GLM-4.5): nextn.enorm / nextn.hnorm / nextn.shared_head_norm are norms too.
  // Gemma 4 MoE layers number their extra norms: pre_ffw_norm_2, post_ffw_norm_1, post_ffw_norm_2.
  if (s.endsWith('_norm') || /_norm_\d+$/.test(s) || s === 'norm' || s === 'nextn.enorm' || s === 'nextn.hnorm') return 'norm';
  if (s.startsWith('ffn_gate_inp')) return 'router';
  // Gemma 4's per-expert output scale (router.per_expert_scale -> ffn_down_exps.scale, {n_expert}).
  if (s.endsWith('_exps.scale')) return 'other';
  if (s.endsWith('_exps')) return 'ffn_exps';
  if (s.startsWith('ffn_')) return 'ffn';
  // LFM2's short convolutions (shortconv.in_proj / conv / out_proj) are its recurrent mixer.
  if (s.startsWith('ssm_') || s.startsWith('time_mix_') || s.startsWith('shortconv.')) return 'recurrent';
  if (recurrentLayer && (s === 'attn_qkv' || s === 'attn_gate')) return 'recurrent';
  if (s === 'attn_sinks') return 'other';
  if (s.startsWith('attn_')) return 'attn';
  if (s.startsWith('channel_mix_')) return 'ffn';
  return 'other';
}

/** Blocks that hold a recurrent (state-space / linear-attention / short-convolution) mixer: any ssm_*, time_mix_* or shortconv.* tensor. */
export function recurrentLayers(names: Iterable<string>): Set<number> {
  const out = new Set<number>();
  for (const name of names) {
    const layer = layerOfTensorName(name);
    if (layer === null) continue;
    const s = stem(name);
    if (s.startsWith('ssm_') || s.startsWith('time_mix_') || s.startsWith('shortconv.')) out.add(layer);
  }
  return out;
}
