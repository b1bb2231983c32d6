/**
 * Liquid AI LFM2 (Lfm2ForCausalLM -> llama.cpp "lfm2": LFM2 350M / 700M / 1.2B / 2.6B) and LFM2 MoE
 * (Lfm2MoeForCausalLM -> "lfm2moe": LFM2-8B-A1B). Hybrids of gated short-convolution layers and GQA layers, every
 * layer with a SwiGLU feed-forward (dense, or routed experts after num_dense_layers on lfm2moe).
 *
 * Layer kinds: `layer_types` ("conv" / "full_attention"), or, in the first LFM2 configs, `full_attn_idxs` (the
 * attention layers; transformers Lfm2Config turns it into layer_types). The converter (conversion/lfm2.py) writes
 * head_count_kv per layer, 0 for conv layers (lfm2: layer_type == "conv"; lfm2moe: anything but "full_attention"),
 * and the loader makes a layer recurrent when n_head_kv(il) == 0 (src/models/lfm2.cpp / lfm2moe.cpp).
 *
 * Feed-forward width (lfm2, LFM2Model._add_feed_forward_length): block_ff_dim (or intermediate_size); with
 * block_auto_adjust_ff_dim it becomes int(2 ff / 3), times block_ffn_dim_multiplier, rounded up to block_multiple_of
 * (LFM2-1.2B: 12288 -> 8192). lfm2moe: intermediate_size for the leading dense layers, moe_intermediate_size per expert.
 *
 * State in llama.cpp: attention layers cache K and V (n_head_kv x head_dim); conv layers keep a rolling conv state
 * of n_embd x (conv_L_cache - 1) F32 values per sequence (llama_hparams::n_embd_r, n_shortconv_l_cache branch) and
 * no SSM state (n_embd_s = 0).
 */
import type { ConfigReader } from '../config-reader.ts';
import type { ArchFamily, GlobalEmit } from '../family.ts';
import { attention, denseFfn, readCore, readHeads, repeat, zipLayers, type HeadLayout } from '../shape-parts.ts';
import type { Emit } from '../tensor-parts.ts';
import type { DenseFfn, Ffn, LayerMixer, LayerShape, ModelShape, MoeFfn, RecurrentLayer } from '../../types.ts';

type Variant = 'lfm2' | 'lfm2moe';

/** Which layers are attention (true) and which short convolution (false), as the converter decides. */
function attentionLayers(r: ConfigReader, nLayer: number, variant: Variant): boolean[] {
  const types = r.stringList('layer_types', nLayer);
  if (types) return types.map((t) => (variant === 'lfm2' ? t !== 'conv' : t === 'full_attention'));
  const idxs = r.intList('full_attn_idxs');
  if (!idxs) r.fail('layer_types', 'is required (or full_attn_idxs): it says which layers are attention and which short convolution', undefined);
  idxs.forEach((il) => {
    if (il >= nLayer) r.fail('full_attn_idxs', `entries must be below num_hidden_layers (${nLayer})`, il);
  });
  const set = new Set(idxs);
  return repeat(nLayer, (il) => set.has(il));
}

/** LFM2Model._add_feed_forward_length (conversion/lfm2.py), with transformers Lfm2Config's defaults. */
function lfm2FeedForward(r: ConfigReader): number {
  let ff = r.has('block_ff_dim') ? r.int('block_ff_dim') : r.int('intermediate_size', { fallback: 12288 });
  if (!r.bool('block_auto_adjust_ff_dim', true)) return ff;
  ff = Math.trunc((2 * ff) / 3);
  const multiplier = r.has('block_ffn_dim_multiplier') ? r.num('block_ffn_dim_multiplier') : 1.0;
  ff = Math.trunc(multiplier * ff);
  const multipleOf = r.int('block_multiple_of', { fallback: 256 });
  return multipleOf * Math.ceil(ff / multipleOf);
}

/** A short-convolution layer: conv state n_embd x (L_cache - 1), no SSM state (llama_hparams::n_embd_r / n_embd_s). */
function shortConv(hidden: number, lCache: number): RecurrentLayer {
  return { kind: 'recurrent', variant: 'shortconv', stateElementsR: hidden * (lCache - 1), stateElementsS: 0 };
}

function moeFfn(r: ConfigReader): MoeFfn {
  const nExpert = r.int('num_experts');
  const nExpertUsed = r.int('num_experts_per_tok');
  if (nExpertUsed > nExpert) r.fail('num_experts_per_tok', `must not exceed num_experts (${nExpert})`, nExpertUsed);
  return { kind: 'moe', nExpert, nExpertUsed, expertFf: r.int('moe_intermediate_size'), nSharedExpert: 0, sharedFf: 0, gated: true };
}

function feedForwards(r: ConfigReader, nLayer: number, variant: Variant): Ffn[] {
  if (variant === 'lfm2') {
    const dense = denseFfn(lfm2FeedForward(r));
    return repeat(nLayer, () => dense);
  }
  const nDense = r.int('num_dense_layers', { min: 0, fallback: 0 });
  const dense: DenseFfn = denseFfn(r.int('intermediate_size'));
  const moe = nDense < nLayer ? moeFfn(r) : undefined;
  return repeat(nLayer, (il) => (il < nDense || !moe ? dense : moe));
}

function readLfm2(variant: Variant): ArchFamily['read'] {
  return (r, assume) => {
    const core = readCore(r);
    const heads: HeadLayout = readHeads(r, core.hiddenSize);
    const isAttention = attentionLayers(r, core.nLayer, variant);
    const lCache = r.int('conv_L_cache', { min: 2, fallback: 3 });
    if (r.optionalInt('sliding_window') !== undefined) {
      assume(`${r.path('sliding_window')} is ignored: LFM2 text models run full attention in llama.cpp (only the LFM2.5 audio decoder's GGUF carries a window).`);
    }
    const ffns = feedForwards(r, core.nLayer, variant);
    const mixers: LayerMixer[] = isAttention.map((a) => (a ? attention(heads, null) : shortConv(core.hiddenSize, lCache)));
    return {
      ...core,
      ggufArch: variant,
      // Lfm2Config / Lfm2MoeConfig default tie_word_embeddings to true (older configs spell it tie_embedding).
      tiedEmbeddings: r.bool('tie_word_embeddings', r.bool('tie_embedding', true)),
      layers: zipLayers(mixers, ffns),
      tensorDetails: { qkNorm: true },
    };
  };
}

/** token_embd, then the final norm, which llama.cpp names token_embd_norm (LLM_TENSOR_OUTPUT_NORM_LFM2), then output. */
function globals(shape: ModelShape, emit: GlobalEmit): void {
  const h = shape.hiddenSize;
  emit('token_embd.weight', [h, shape.vocabSize], 'token_embd');
  emit('token_embd_norm.weight', [h], 'norm');
  if (!shape.tiedEmbeddings) emit('output.weight', [h, shape.vocabSize], 'output');
}

function feedForward(h: number, ffn: Ffn, emit: Emit): void {
  emit('ffn_norm.weight', [h], 'norm');
  if (ffn.kind === 'moe') {
    emit('ffn_gate_inp.weight', [h, ffn.nExpert], 'router');
    emit('ffn_gate_exps.weight', [h, ffn.expertFf, ffn.nExpert], 'ffn_exps');
    emit('ffn_down_exps.weight', [ffn.expertFf, h, ffn.nExpert], 'ffn_exps');
    emit('ffn_up_exps.weight', [h, ffn.expertFf, ffn.nExpert], 'ffn_exps');
    // HF feed_forward.expert_bias (renamed .bias by the converter); required by the lfm2moe loader.
    emit('exp_probs_b.bias', [ffn.nExpert], 'bias');
    return;
  }
  emit('ffn_gate.weight', [h, ffn.ff], 'ffn');
  emit('ffn_down.weight', [ffn.ff, h], 'ffn');
  emit('ffn_up.weight', [h, ffn.ff], 'ffn');
}

/** src/models/lfm2.cpp load_arch_tensors order: feed-forward first, then operator norm and the mixer. */
function block(shape: ModelShape, layer: LayerShape, emit: Emit): void {
  const h = shape.hiddenSize;
  feedForward(h, layer.ffn, emit);
  emit('attn_norm.weight', [h], 'norm');
  const m = layer.mixer;
  if (m.kind === 'attention') {
    const kv = m.nHeadKv * m.headDimK;
    emit('attn_q_norm.weight', [m.headDimK], 'norm');
    emit('attn_k_norm.weight', [m.headDimK], 'norm');
    emit('attn_q.weight', [h, h], 'attn');
    emit('attn_k.weight', [h, kv], 'attn');
    emit('attn_v.weight', [h, kv], 'attn');
    emit('attn_output.weight', [h, h], 'attn');
  } else if (m.kind === 'recurrent') {
    // HF conv.conv (n_embd, 1, L) squeezed to (n_embd, L): ggml {L, n_embd}; in_proj yields B, C and x (3 n_embd).
    const lCache = m.stateElementsR / h + 1;
    emit('shortconv.conv.weight', [lCache, h], 'recurrent');
    emit('shortconv.in_proj.weight', [h, 3 * h], 'recurrent');
    emit('shortconv.out_proj.weight', [h, h], 'recurrent');
  }
}

/** The reader gets the config, not the architecture name: Lfm2MoeForCausalLM (or model_type lfm2_moe) is the MoE. */
function isMoe(r: ConfigReader): boolean {
  const archs = r.raw('architectures');
  if (Array.isArray(archs) && typeof archs[0] === 'string') return archs[0] === 'Lfm2MoeForCausalLM';
  return r.optionalString('model_type') === 'lfm2_moe';
}

/** Both variants share one module: the tensor hooks are the same, the reader differs in layer kinds and feed-forward. */
const lfm2: ArchFamily = {
  architectures: ['Lfm2ForCausalLM', 'LFM2ForCausalLM', 'Lfm2MoeForCausalLM'],
  ggufArchs: ['lfm2', 'lfm2moe'],
  read: (r, assume) => readLfm2(isMoe(r) ? 'lfm2moe' : 'lfm2')(r, assume),
  globalTensors: globals,
  blockTensors: block,
};

export default lfm2;
