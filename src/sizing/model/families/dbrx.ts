/**
 * DBRX (DbrxForCausalLM -> llama.cpp "dbrx"; conversion/dbrx.py DbrxModel). The config nests attention and MoE
 * settings: d_model, n_heads, n_layers, max_seq_len and vocab_size at the top, attn_config.kv_n_heads (GQA),
 * attn_config.clip_qkv (a clamp of the fused QKV output: GGUF key clamp_kqv, no tensor, no cache),
 * ffn_config.ffn_hidden_size (one expert's width), moe_num_experts and moe_top_k. Head size is d_model / n_heads.
 *
 * Tensors (src/models/dbrx.cpp load_arch_tensors; gguf-py tensor_mapping.py "dbrx"): norm_attn_norm.norm_1 ->
 * attn_norm, attn.Wqkv kept fused -> attn_qkv {n_embd, n_embd + 2 n_embd_gqa}, attn.out_proj -> attn_output,
 * norm_attn_norm.norm_2 -> attn_output_norm (the pre-MoE norm; there is no ffn_norm), ffn.router.layer ->
 * ffn_gate_inp, and the experts, stored 2-D as (n_expert x n_ff, n_embd), viewed 3-D by the converter: w1 ->
 * ffn_gate_exps, v1 -> ffn_up_exps, w2 (permuted) -> ffn_down_exps. DBRX's LayerNorms have no bias
 * (transformers DbrxModel: nn.LayerNorm(bias=False)), so every norm is a weight alone; output.weight is required.
 *
 * Storage note for formats/: DbrxModel.tensor_force_quant returns n_dims > 1, so the converter writes every
 * matrix, the router included, in the --outtype (F16/BF16) instead of the F32 other routers get.
 */
import type { ConfigReader } from '../config-reader.ts';
import type { ArchFamily } from '../family.ts';
import type { Emit } from '../tensor-parts.ts';
import { attention, repeat, zipLayers } from '../shape-parts.ts';
import type { LayerShape, ModelShape, MoeFfn } from '../../types.ts';

function nested(r: ConfigReader, key: string): ConfigReader {
  const n = r.nested(key);
  if (!n) r.fail(key, 'is required (DBRX keeps its attention and MoE settings there)', undefined);
  return n;
}

function readExperts(ffn: ConfigReader): MoeFfn {
  const nExpert = ffn.int('moe_num_experts');
  const nExpertUsed = ffn.int('moe_top_k');
  if (nExpertUsed > nExpert) ffn.fail('moe_top_k', `must not exceed moe_num_experts (${nExpert})`, nExpertUsed);
  return { kind: 'moe', nExpert, nExpertUsed, expertFf: ffn.int('ffn_hidden_size'), nSharedExpert: 0, sharedFf: 0, gated: true };
}

/** One dbrx block in load_arch_tensors order. */
function dbrxBlock(shape: ModelShape, layer: LayerShape, emit: Emit): void {
  const m = layer.mixer;
  const ffn = layer.ffn;
  if (m.kind !== 'attention' || ffn.kind !== 'moe') throw new Error(`dbrx block ${layer.index}: expected attention and MoE`);
  const h = shape.hiddenSize;
  const gqa = m.nHeadKv * m.headDimK;
  emit('attn_norm.weight', [h], 'norm');
  emit('attn_qkv.weight', [h, h + 2 * gqa], 'attn');
  emit('attn_output.weight', [h, h], 'attn');
  emit('attn_output_norm.weight', [h], 'norm');
  emit('ffn_gate_inp.weight', [h, ffn.nExpert], 'router');
  emit('ffn_gate_exps.weight', [h, ffn.expertFf, ffn.nExpert], 'ffn_exps');
  emit('ffn_down_exps.weight', [ffn.expertFf, h, ffn.nExpert], 'ffn_exps');
  emit('ffn_up_exps.weight', [h, ffn.expertFf, ffn.nExpert], 'ffn_exps');
}

const dbrx: ArchFamily = {
  architectures: ['DbrxForCausalLM'],
  read: (r) => {
    const hiddenSize = r.int('d_model');
    const nHead = r.int('n_heads');
    if (hiddenSize % nHead !== 0) r.fail('n_heads', `must divide d_model (${hiddenSize})`, nHead);
    const attn = nested(r, 'attn_config');
    const nHeadKv = attn.int('kv_n_heads', { fallback: nHead });
    if (nHead % nHeadKv !== 0) attn.fail('kv_n_heads', `must divide n_heads (${nHead})`, nHeadKv);
    const nLayer = r.int('n_layers');
    const heads = { nHead, nHeadKv, headDim: hiddenSize / nHead };
    const moe = readExperts(nested(r, 'ffn_config'));
    return {
      vocabSize: r.int('vocab_size'),
      hiddenSize,
      nLayer,
      maxContext: r.int('max_seq_len'),
      ggufArch: 'dbrx',
      tiedEmbeddings: r.bool('tie_word_embeddings', false),
      layers: zipLayers(repeat(nLayer, () => attention(heads, null)), repeat(nLayer, () => moe)),
      tensorDetails: {},
    };
  },
  ggufArchs: ['dbrx'],
  blockTensors: dbrxBlock,
};

export default dbrx;
