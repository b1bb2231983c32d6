/**
 * Cohere Command R / Aya (CohereForCausalLM -> llama.cpp "command-r"; c4ai-command-r-v01 35B, command-r-08-2024,
 * aya-23, aya-expanse). A parallel block: one LayerNorm (weight only, CohereLayerNorm has no bias) feeds both
 * attention and the SwiGLU MLP, so there is no ffn_norm. The output head is always the input embedding: the loader
 * never asks for output.weight (src/models/command-r.cpp load_arch_tensors duplicates token_embd) and the converter
 * has no OUTPUT tensor for the arch, so a lm_head in the checkpoint would not even convert.
 *
 * Per-head q/k LayerNorm weights exist when the model has 64 layers or more (Command R+): the loader keys them on
 * n_layer, not on use_qk_norm, and requires them there ({head_dim, n_head} and {head_dim, n_head_kv}).
 * Context: the converter writes model_max_length when present (v01: max_position_embeddings 8192, trained 128k),
 * else max_position_embeddings (conversion/command_r.py CommandR2Model).
 */
import type { ConfigReader } from '../config-reader.ts';
import type { ArchFamily } from '../family.ts';
import type { Emit } from '../tensor-parts.ts';
import { attention, readCore, readDenseFfn, readHeads, repeat, zipLayers, type HeadLayout } from '../shape-parts.ts';
import type { LayerShape, ModelShape } from '../../types.ts';

/** Command R: q and o are {n_embd, n_embd} in the loader, so heads x head size must equal hidden_size. */
export function cohereHeads(r: ConfigReader, hiddenSize: number): HeadLayout {
  const heads = readHeads(r, hiddenSize);
  if (heads.nHead * heads.headDim !== hiddenSize) {
    r.fail(r.has('head_dim') ? 'head_dim' : 'num_attention_heads', `x num_attention_heads must equal hidden_size (${hiddenSize}): llama.cpp's Cohere loaders shape q and o as hidden_size x hidden_size`, heads.headDim);
  }
  return heads;
}

/** The tied head: never an output.weight, whatever tie_word_embeddings says. */
export function cohereTied(r: ConfigReader, assume: (note: string) => void): true {
  if (!r.bool('tie_word_embeddings', true)) {
    assume(`${r.path('tie_word_embeddings')} is false, but llama.cpp's Cohere loaders always reuse token_embd as the output head (no output.weight).`);
  }
  return true;
}

/**
 * One parallel block in load order: attn_norm, [q/k norms], q, k, v (+ optional q/k/v biases), o, then the MLP
 * gate, down, up (command-r.cpp and cohere2.cpp).
 */
export function cohereBlock(shape: ModelShape, layer: LayerShape, emit: Emit): void {
  const h = shape.hiddenSize;
  const a = layer.mixer;
  const d = shape.tensorDetails ?? {};
  emit('attn_norm.weight', [h], 'norm');
  if (a.kind !== 'attention') return;
  const kv = a.nHeadKv * a.headDimK;
  if (d.qkNorm) {
    emit('attn_q_norm.weight', [a.headDimK, a.nHead], 'norm');
    emit('attn_k_norm.weight', [a.headDimK, a.nHeadKv], 'norm');
  }
  emit('attn_q.weight', [h, h], 'attn');
  emit('attn_k.weight', [h, kv], 'attn');
  emit('attn_v.weight', [h, kv], 'attn');
  if (d.qkvBias) {
    emit('attn_q.bias', [h], 'bias');
    emit('attn_k.bias', [kv], 'bias');
    emit('attn_v.bias', [kv], 'bias');
  }
  emit('attn_output.weight', [h, h], 'attn');
  if (layer.ffn.kind !== 'dense') return;
  emit('ffn_gate.weight', [h, layer.ffn.ff], 'ffn');
  emit('ffn_down.weight', [layer.ffn.ff, h], 'ffn');
  emit('ffn_up.weight', [h, layer.ffn.ff], 'ffn');
}

/** The q/k norms follow the layer count (command-r.cpp: n_layer >= 64); say so when use_qk_norm disagrees. */
function qkNorm(r: ConfigReader, nLayer: number, assume: (note: string) => void): boolean {
  const byDepth = nLayer >= 64;
  const declared = r.bool('use_qk_norm', byDepth);
  if (declared !== byDepth) {
    assume(`${r.path('use_qk_norm')} is ${declared}, but llama.cpp's command-r loader ${byDepth ? 'requires' : 'has no'} q/k norms at ${nLayer} layers (it keys them on n_layer >= 64), so the file would not load; sized as llama.cpp expects.`);
  }
  return byDepth;
}

const commandR: ArchFamily = {
  architectures: ['CohereForCausalLM'],
  ggufArchs: ['command-r'],
  read: (r, assume) => {
    const core = readCore(r);
    const heads = cohereHeads(r, core.hiddenSize);
    const bias = r.bool('attention_bias', false);
    if (bias) assume(`${r.path('attention_bias')} is true: llama.cpp's command-r loader takes q/k/v biases but no o_proj bias, so such a file would not load.`);
    return {
      ...core,
      maxContext: r.int('model_max_length', { fallback: core.maxContext }),
      ggufArch: 'command-r',
      tiedEmbeddings: cohereTied(r, assume),
      layers: zipLayers(
        repeat(core.nLayer, () => attention(heads, null)),
        repeat(core.nLayer, () => readDenseFfn(r)),
      ),
      tensorDetails: { qkvBias: bias, qkNorm: qkNorm(r, core.nLayer, assume) },
    };
  },
  blockTensors: cohereBlock,
};

export default commandR;
