/**
 * Gemma 4 (Gemma4ForConditionalGeneration / Gemma4ForCausalLM -> llama.cpp "gemma4"; src/models/gemma4.cpp
 * load_arch_hparams / load_arch_tensors and conversion/gemma.py Gemma4Model): 31B dense, 26B-A4B MoE, and the small
 * E2B / E4B with per-layer embeddings and KV sharing.
 *
 * `layer_types` marks the sliding layers (the converter writes it as attention.sliding_window_pattern, a per-layer
 * bool array); sliding layers use head_dim and num_key_value_heads, full (global) layers global_head_dim and
 * num_global_key_value_heads (converter: key_length = global_head_dim, key_length_swa = head_dim, head_count_kv per
 * layer). With attention_k_eq_v the global layers have no v_proj: V is K's projection, so no attn_v tensor, but
 * llama.cpp still caches V (build_attn gets Kcur and Vcur). Every block has q/k RMS norms, Gemma's sandwich norms and a
 * scalar layer_output_scale. One rope_freqs tensor of global_head_dim / 2 floats (proportional RoPE of the full layers,
 * written by generate_extra_tensors). enable_moe_block (26B-A4B): every layer keeps its dense GeGLU MLP
 * (intermediate_size, llama.cpp's "shared expert") next to num_experts routed experts of moe_intermediate_size,
 * top_k_experts used. The standard block (tensor-parts.ts standardBlock) writes all of that for arch "gemma4".
 *
 * E2B / E4B:
 * - Per-layer embeddings (hidden_size_per_layer_input P > 0): globals per_layer_token_embd {P x L, n_vocab},
 *   per_layer_model_proj {n_embd, P x L}, per_layer_proj_norm {P}; per block inp_gate {n_embd, P}, proj {P, n_embd},
 *   post_norm {n_embd} (gemma4.cpp, `n_embd_per_layer > 0`). The table has vocab_size_per_layer_input rows in the
 *   checkpoint; the loader wants n_vocab, so the two must agree for a file to load.
 * - KV sharing (num_kv_shared_layers S): n_layer_kv_from_start = L - S; a later layer stores no K/V and reads the cache
 *   of layer (L - S) - 2 if it is sliding, (L - S) - 1 if full (llama-model.cpp, the gemma3n / gemma4 reuse callback;
 *   transformers and vLLM: the last earlier layer of the same type, the same layers in the released pattern). The
 *   shared layers still carry k_proj / v_proj / k_norm in the checkpoint (mlx-lm drops them on load; the Hub totals
 *   count them) and the converter writes them (the loader makes them optional).
 * - use_double_wide_mlp: the shared layers' MLP is 2 x intermediate_size (converter n_ff array).
 */
import type { ArchBuild } from '../architectures.ts';
import type { ConfigReader } from '../config-reader.ts';
import type { ArchFamily, GlobalEmit } from '../family.ts';
import { denseFfn, readCore, readDenseFfn, readHeads, readMoe, attention, repeat, slidingWindows, zipLayers, type HeadLayout } from '../shape-parts.ts';
import { standardBlock, type Emit } from '../tensor-parts.ts';
import type { Ffn, LayerMixer, LayerShape, ModelShape, StandardAttention } from '../../types.ts';

/** Per-layer embedding widths travel on the shape's layers: ModelShape has no slot for them (see the report). */
interface PerLayerInput {
  /** hidden_size_per_layer_input (P). */
  width: number;
}
type Gemma4Layer = LayerShape & { perLayerInput?: PerLayerInput };

function perLayerOf(layer: LayerShape): PerLayerInput | undefined {
  return (layer as Gemma4Layer).perLayerInput;
}

/** The layer whose cache a KV-shared layer reads, as llama.cpp's reuse callback picks it (by the layer's own type). */
export function kvDonor(kvFromStart: number, sliding: boolean): number {
  return kvFromStart - (sliding ? 2 : 1);
}

function readShared(r: ConfigReader, nLayer: number): number {
  const shared = r.int('num_kv_shared_layers', { min: 0, fallback: 0 });
  // llama.cpp asserts n_layer_kv_from_start >= 2 (a sliding and a full donor must exist).
  if (shared > 0 && nLayer - shared < 2) r.fail('num_kv_shared_layers', `must leave at least 2 layers with their own cache (of ${nLayer})`, shared);
  return shared;
}

function mixersOf(r: ConfigReader, heads: HeadLayout, global: HeadLayout, nLayer: number, shared: number, assume: (n: string) => void): LayerMixer[] {
  if (!r.has('layer_types')) {
    assume(`${r.path('layer_types')} not given: every 6th layer taken as full attention (the released Gemma 4 26B-A4B / 31B pattern).`);
  }
  const kEqV = r.bool('attention_k_eq_v', false);
  const windows = slidingWindows(r, nLayer, (il) => (il + 1) % 6 !== 0);
  const own = windows.map((w): StandardAttention => {
    if (w !== null) return attention(heads, w);
    const a = attention(global, null);
    return kEqV ? { ...a, valueFromKey: true } : a;
  });
  if (shared === 0) return own;
  const first = nLayer - shared;
  return own.map((a, il) => {
    if (il < first) return a;
    const donor = kvDonor(first, a.window !== null);
    if ((own[donor]!.window === null) !== (a.window === null)) {
      assume(`Layer ${il} reuses layer ${donor}'s cache in llama.cpp, a layer of the other attention type: layer_types does not end its cache-owning layers with a sliding and a full layer, as llama.cpp expects.`);
    }
    return { ...a, kvSharedFrom: donor };
  });
}

function ffnsOf(r: ConfigReader, nLayer: number, shared: number): Ffn[] {
  const dense = readDenseFfn(r);
  if (r.bool('enable_moe_block', false)) {
    const expertFf = r.has('moe_intermediate_size') ? 'moe_intermediate_size' : 'expert_intermediate_size';
    const moe = readMoe(r, { nExpert: 'num_experts', nExpertUsed: 'top_k_experts', expertFf });
    const ffn: Ffn = { ...moe, nSharedExpert: 1, sharedFf: dense.ff };
    return repeat(nLayer, () => ffn);
  }
  const wide = shared > 0 && r.bool('use_double_wide_mlp', false) ? denseFfn(2 * dense.ff) : dense;
  return repeat(nLayer, (il) => (il >= nLayer - shared ? wide : dense));
}

function perLayerWidth(r: ConfigReader, vocab: number, assume: (n: string) => void): number {
  const width = r.int('hidden_size_per_layer_input', { min: 0, fallback: 0 });
  if (width === 0) return 0;
  const rows = r.int('vocab_size_per_layer_input', { fallback: vocab });
  if (rows !== vocab) {
    assume(`${r.path('vocab_size_per_layer_input')} ${rows} differs from vocab_size ${vocab}: llama.cpp's loader expects the per-layer table to have n_vocab rows, so such a file would not load; sized with ${vocab}.`);
  }
  return width;
}

export function readGemma4(r: ConfigReader, assume: (note: string) => void): ArchBuild {
  const core = readCore(r);
  const heads = readHeads(r, core.hiddenSize);
  const global: HeadLayout = {
    nHead: heads.nHead,
    nHeadKv: r.int('num_global_key_value_heads', { fallback: heads.nHeadKv }),
    headDim: r.int('global_head_dim', { fallback: heads.headDim }),
  };
  if (heads.nHead % global.nHeadKv !== 0) r.fail('num_global_key_value_heads', `must divide num_attention_heads (${heads.nHead})`, global.nHeadKv);
  const shared = readShared(r, core.nLayer);
  const width = perLayerWidth(r, core.vocabSize, assume);
  const layers: Gemma4Layer[] = zipLayers(mixersOf(r, heads, global, core.nLayer, shared, assume), ffnsOf(r, core.nLayer, shared));
  if (width > 0) for (const l of layers) l.perLayerInput = { width };
  return {
    ...core,
    ggufArch: 'gemma4',
    tiedEmbeddings: r.bool('tie_word_embeddings', true),
    layers,
    tensorDetails: { qkNorm: true, ropeFreqs: global.headDim / 2 },
  };
}

/** gemma4.cpp load_arch_tensors: token_embd, the per-layer embedding globals, output_norm, output when untied. */
function globals(shape: ModelShape, emit: GlobalEmit): void {
  const h = shape.hiddenSize;
  emit('token_embd.weight', [h, shape.vocabSize], 'token_embd');
  const p = shape.layers[0] ? perLayerOf(shape.layers[0]) : undefined;
  if (p) {
    const total = p.width * shape.layers.length;
    emit('per_layer_token_embd.weight', [total, shape.vocabSize], 'token_embd');
    emit('per_layer_model_proj.weight', [h, total], 'other');
    emit('per_layer_proj_norm.weight', [p.width], 'norm');
  }
  emit('output_norm.weight', [h], 'norm');
  if (!shape.tiedEmbeddings) emit('output.weight', [h, shape.vocabSize], 'output');
}

/** The standard gemma4 block, then the per-layer input gate, projection and norm. */
function block(shape: ModelShape, layer: LayerShape, emit: Emit): void {
  standardBlock(shape, layer, shape.tensorDetails ?? {}, emit);
  const p = perLayerOf(layer);
  if (!p) return;
  const h = shape.hiddenSize;
  // Role 'other', as gguf-tensor-roles.ts reads these names back from a GGUF.
  emit('inp_gate.weight', [h, p.width], 'other');
  emit('proj.weight', [p.width, h], 'other');
  emit('post_norm.weight', [h], 'norm');
}

const gemma4: ArchFamily = {
  architectures: ['Gemma4ForCausalLM', 'Gemma4ForConditionalGeneration'],
  ggufArchs: ['gemma4'],
  read: readGemma4,
  globalTensors: globals,
  blockTensors: block,
};

export default gemma4;
