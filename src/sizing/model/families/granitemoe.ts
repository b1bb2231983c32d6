/**
 * IBM Granite 3.x MoE (GraniteMoeForCausalLM, GraniteMoeSharedForCausalLM -> llama.cpp "granitemoe"; e.g.
 * granite-3.1-1b-a400m / 3b-a800m). Granite's attention (conversion/granite.py GraniteModel pops head_dim, so a
 * head is hidden_size / num_attention_heads; attention_bias adds q/k/v/o biases) and on every layer a routed MoE of
 * num_local_experts experts of intermediate_size, num_experts_per_tok used. The Shared variant adds one always-on
 * expert of shared_intermediate_size (written as expert_shared_feed_forward_length).
 *
 * The checkpoint fuses each expert's gate and up (block_sparse_moe.input_linear, [E, 2 ff, hidden]); the converter
 * (GraniteMoeModel.modify_tensors) splits it into ffn_gate_exps and ffn_up_exps, same element count. Tensors and
 * their order: src/models/granite-moe.cpp load_arch_tensors.
 */
import type { ArchFamily } from '../family.ts';
import type { Emit } from '../tensor-parts.ts';
import type { ConfigReader } from '../config-reader.ts';
import { attention, readCore, readHeads, readMoe, repeat, zipLayers, type HeadLayout } from '../shape-parts.ts';
import type { LayerShape, MoeFfn, StandardAttention } from '../../types.ts';

/**
 * Granite heads: llama.cpp ignores head_dim (GraniteModel.set_gguf_parameters pops it), so the head size is
 * hidden_size / num_attention_heads whatever the config says.
 */
export function graniteHeads(r: ConfigReader, hiddenSize: number, assume: (note: string) => void): HeadLayout {
  const heads = readHeads(r, hiddenSize);
  const headDim = hiddenSize / heads.nHead;
  if (!Number.isInteger(headDim)) r.fail('num_attention_heads', `must divide hidden_size (${hiddenSize})`, heads.nHead);
  if (r.has('head_dim') && heads.headDim !== headDim) {
    assume(`${r.path('head_dim')} ${heads.headDim} is ignored: llama.cpp's converter sizes Granite heads as hidden_size / num_attention_heads (${headDim}).`);
  }
  return { ...heads, headDim };
}

/** A Granite MoE block: routed experts of intermediate_size, plus the shared expert when shared_intermediate_size > 0. */
export function graniteMoe(r: ConfigReader): MoeFfn {
  return readMoe(r, { nExpert: 'num_local_experts', expertFf: 'intermediate_size', sharedFf: 'shared_intermediate_size' });
}

/**
 * The attention of a Granite block in load order (create_tensor_qkv: q, k, v, then the optional q/k/v biases;
 * then wo and its optional bias).
 */
export function graniteAttention(h: number, a: StandardAttention, bias: boolean, emit: Emit): void {
  const q = a.nHead * a.headDimK;
  const kv = a.nHeadKv * a.headDimK;
  emit('attn_q.weight', [h, q], 'attn');
  emit('attn_k.weight', [h, kv], 'attn');
  emit('attn_v.weight', [h, a.nHeadKv * a.headDimV], 'attn');
  if (bias) {
    emit('attn_q.bias', [q], 'bias');
    emit('attn_k.bias', [kv], 'bias');
    emit('attn_v.bias', [a.nHeadKv * a.headDimV], 'bias');
  }
  emit('attn_output.weight', [a.nHead * a.headDimV, h], 'attn');
  if (bias) emit('attn_output.bias', [h], 'bias');
}

/** Router, stacked experts (gate, down, up) and the shared expert (gate, up, down), as granite-moe.cpp loads them. */
export function graniteMoeTensors(h: number, ffn: MoeFfn, emit: Emit): void {
  emit('ffn_gate_inp.weight', [h, ffn.nExpert], 'router');
  emit('ffn_gate_exps.weight', [h, ffn.expertFf, ffn.nExpert], 'ffn_exps');
  emit('ffn_down_exps.weight', [ffn.expertFf, h, ffn.nExpert], 'ffn_exps');
  emit('ffn_up_exps.weight', [h, ffn.expertFf, ffn.nExpert], 'ffn_exps');
  if (ffn.sharedFf > 0) {
    emit('ffn_gate_shexp.weight', [h, ffn.sharedFf], 'ffn');
    emit('ffn_up_shexp.weight', [h, ffn.sharedFf], 'ffn');
    emit('ffn_down_shexp.weight', [ffn.sharedFf, h], 'ffn');
  }
}

function block(h: number, layer: LayerShape, bias: boolean, emit: Emit): void {
  emit('attn_norm.weight', [h], 'norm');
  if (layer.mixer.kind === 'attention') graniteAttention(h, layer.mixer, bias, emit);
  emit('ffn_norm.weight', [h], 'norm');
  if (layer.ffn.kind === 'moe') graniteMoeTensors(h, layer.ffn, emit);
}

const granitemoe: ArchFamily = {
  architectures: ['GraniteMoeForCausalLM', 'GraniteMoeSharedForCausalLM'],
  ggufArchs: ['granitemoe'],
  read: (r, assume) => {
    const core = readCore(r);
    const heads = graniteHeads(r, core.hiddenSize, assume);
    const bias = r.bool('attention_bias', false);
    const moe = graniteMoe(r);
    return {
      ...core,
      ggufArch: 'granitemoe',
      // GraniteMoeConfig: tie_word_embeddings defaults to false; every released Granite 3 MoE config sets it true.
      tiedEmbeddings: r.bool('tie_word_embeddings', false),
      layers: zipLayers(
        repeat(core.nLayer, () => attention(heads, null)),
        repeat(core.nLayer, () => moe),
      ),
      tensorDetails: { qkvBias: bias, attnOutputBias: bias },
    };
  },
  blockTensors: (shape, layer, emit) => block(shape.hiddenSize, layer, shape.tensorDetails?.qkvBias ?? false, emit),
};

export default granitemoe;
