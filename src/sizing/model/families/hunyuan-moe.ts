/**
 * Tencent Hunyuan MoE (HunYuanMoEV1ForCausalLM -> llama.cpp "hunyuan-moe": Hunyuan-A13B). Hunyuan's attention
 * (per-head q/k RMS norms, shared with hunyuan-dense.ts) and on every layer a routed MoE plus one shared expert.
 *
 * Expert sizes follow llama.cpp, not moe_intermediate_size: conversion/hunyuan.py HunYuanMoEModel writes
 * intermediate_size as feed_forward_length and as expert_shared_feed_forward_length, and the loader
 * (src/models/hunyuan-moe.cpp load_arch_tensors) shapes ffn_{gate,down,up}_exps with n_ff and the *_shexp tensors
 * with n_ff_shexp. moe_intermediate_size / moe_topk / num_shared_expert are per-layer lists the converter asserts
 * uniform; it writes one shared expert set. Hunyuan-A13B has moe_intermediate_size = intermediate_size = 3072 and one
 * shared expert, so the checkpoint's tensors and llama.cpp's agree; a checkpoint where they differ would not load.
 */
import type { ConfigReader } from '../config-reader.ts';
import type { ArchFamily } from '../family.ts';
import { attention, readCore, repeat, zipLayers } from '../shape-parts.ts';
import type { MoeFfn } from '../../types.ts';
import { hunyuanAttention, hunyuanAttentionFlags, hunyuanContext, hunyuanHeads } from './hunyuan-dense.ts';

/** An int, or a per-layer list of equal ints (Hunyuan writes moe_topk, num_shared_expert ... per layer). */
function uniformInt(r: ConfigReader, key: string, min: number, fallback?: number): number {
  if (!Array.isArray(r.raw(key))) return r.int(key, fallback === undefined ? { min } : { min, fallback });
  const list = r.intList(key) ?? [];
  const first = list[0];
  if (first === undefined || first < min) r.fail(key, `must list integers >= ${min}`, r.raw(key));
  if (list.some((v) => v !== first)) r.fail(key, 'must hold one value for every layer (llama.cpp\'s converter asserts it)', r.raw(key));
  return first;
}

function readHunyuanMoe(r: ConfigReader, assume: (note: string) => void): MoeFfn {
  const nExpert = r.int('num_experts');
  const nExpertUsed = uniformInt(r, 'moe_topk', 1);
  if (nExpertUsed > nExpert) r.fail('moe_topk', `must not exceed num_experts (${nExpert})`, nExpertUsed);
  const ff = r.int('intermediate_size');
  const expertFf = uniformInt(r, 'moe_intermediate_size', 1, ff);
  if (expertFf !== ff) {
    assume(
      `${r.path('moe_intermediate_size')} ${expertFf} differs from intermediate_size ${ff}: llama.cpp sizes Hunyuan experts by intermediate_size, so the converted file would not load; sized as llama.cpp expects.`,
    );
  }
  const nShared = uniformInt(r, 'num_shared_expert', 0, 1);
  if (nShared > 1) {
    assume(`${r.path('num_shared_expert')} ${nShared}: llama.cpp's converter writes one shared expert of intermediate_size; sized that way.`);
  }
  return { kind: 'moe', nExpert, nExpertUsed, expertFf: ff, nSharedExpert: nShared > 0 ? 1 : 0, sharedFf: nShared > 0 ? ff : 0, gated: true };
}

const hunyuanMoe: ArchFamily = {
  architectures: ['HunYuanMoEV1ForCausalLM'],
  ggufArchs: ['hunyuan-moe'],
  read: (r, assume) => {
    const core = readCore(r);
    const heads = hunyuanHeads(r, core.hiddenSize, assume);
    const { bias } = hunyuanAttentionFlags(r, assume);
    const moe = readHunyuanMoe(r, assume);
    return {
      ...core,
      maxContext: hunyuanContext(r, core.maxContext, assume),
      ggufArch: 'hunyuan-moe',
      tiedEmbeddings: r.bool('tie_word_embeddings', false),
      layers: zipLayers(
        repeat(core.nLayer, () => attention(heads, null)),
        repeat(core.nLayer, () => moe),
      ),
      tensorDetails: { qkNorm: true, qkvBias: bias },
    };
  },
  blockTensors: (shape, layer, emit) => {
    const h = shape.hiddenSize;
    hunyuanAttention(shape, layer, emit);
    const ffn = layer.ffn;
    if (ffn.kind !== 'moe') return;
    // src/models/hunyuan-moe.cpp: ffn_norm, router (HF mlp.gate.wg), stacked experts, then the shared expert
    // (loaded even when n_ff_shexp is 0: it falls back to n_ff).
    const shared = ffn.sharedFf > 0 ? ffn.sharedFf : ffn.expertFf;
    emit('ffn_norm.weight', [h], 'norm');
    emit('ffn_gate_inp.weight', [h, ffn.nExpert], 'router');
    emit('ffn_gate_exps.weight', [h, ffn.expertFf, ffn.nExpert], 'ffn_exps');
    emit('ffn_down_exps.weight', [ffn.expertFf, h, ffn.nExpert], 'ffn_exps');
    emit('ffn_up_exps.weight', [h, ffn.expertFf, ffn.nExpert], 'ffn_exps');
    emit('ffn_gate_shexp.weight', [h, shared], 'ffn');
    emit('ffn_up_shexp.weight', [h, shared], 'ffn');
    emit('ffn_down_shexp.weight', [shared, h], 'ffn');
  },
};

export default hunyuanMoe;
