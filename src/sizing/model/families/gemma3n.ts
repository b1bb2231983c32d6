/**
 * Gemma 3n (Gemma3nForConditionalGeneration / Gemma3nForCausalLM -> llama.cpp "gemma3n": google/gemma-3n-E2B-it,
 * E4B-it), text model only: the MobileNet-v5 vision tower and the conformer audio tower go to the mmproj
 * (conversion/gemma.py Gemma3nVisionAudioModel; the text converter drops every vision_ / audio_ tensor).
 *
 * A Gemma decoder with four additions, all in the GGUF:
 * - per-layer embeddings: a second table per_layer_token_embd {256 x L, n_vocab} and per_layer_model_proj
 *   {n_embd, 256 x L} (+ per_layer_proj_norm {256}), mixed into each block by inp_gate {n_embd, 256}, proj
 *   {256, n_embd} and post_norm;
 * - AltUp (4 parallel streams): globals altup_proj / altup_unembd_proj {n_embd, n_embd, 3}; per block
 *   altup_correct_coef {4, 4}, altup_correct_scale {n_embd}, altup_predict_coef {4, 16}, altup_router {n_embd, 4},
 *   altup_router_norm {n_embd};
 * - LAuReL (rank 64): laurel_l {n_embd, 64}, laurel_r {64, n_embd}, laurel_post_norm;
 * - KV sharing: only layers 0-19 own a cache (llama.cpp hard-codes n_layer_kv_from_start = 20, which is
 *   num_hidden_layers - num_kv_shared_layers for both E2B, 30 - 10, and E4B, 35 - 15); a later layer reads the cache
 *   of layer 18 if sliding, 19 if full (src/llama-model.cpp reuse callback; vLLM gemma3n.py the same). The shared layers
 *   still carry attn_k / attn_v / attn_k_norm.
 * Attention: every 5th layer full (layer_types; llama.cpp's swa period 5), sliding_window 512 otherwise; q/k norms,
 * sandwich norms. n_altup = 4, laurel_rank = 64 and the per-layer width 256 are llama.cpp constants
 * (src/llama-hparams.h), not read from the file: a config with other values would not load.
 *
 * Vocabulary: the converter pads token_embd and per_layer_token_embd up to vocab_size (262400, the text vocabulary
 * plus the vision / audio token slots), so n_vocab = vocab_size while the checkpoint's per-layer table has
 * vocab_size_per_layer_input (262144) rows.
 * Tensors in load order: src/models/gemma3n.cpp load_arch_tensors (llama.cpp 3f545bec).
 */
import type { ConfigReader } from '../config-reader.ts';
import type { ArchFamily, GlobalEmit } from '../family.ts';
import type { Emit } from '../tensor-parts.ts';
import { attention, denseFfn, readCore, readHeads, readLayerTypes, repeat, zipLayers } from '../shape-parts.ts';
import type { DenseFfn, LayerShape, ModelShape, StandardAttention } from '../../types.ts';

/** llama.cpp constants for gemma3n (src/llama-hparams.h n_altup, laurel_rank, n_embd_altup; gemma3n.cpp). */
const N_ALTUP = 4;
const LAUREL_RANK = 64;
const PER_LAYER_WIDTH = 256;
const KV_FROM_START = 20;

/** A key llama.cpp does not read must hold its constant, else the file would not load: say so. */
function checkConstant(r: ConfigReader, key: string, expected: number, assume: (n: string) => void): void {
  const v = r.optionalInt(key);
  if (v !== undefined && v !== expected) {
    assume(`${r.path(key)} ${v}: llama.cpp's gemma3n takes ${expected} (a constant, not read from the GGUF), so such a file would not load; sized with ${expected}.`);
  }
}

/** intermediate_size: one int, or one per layer (the released configs list it per layer). */
function feedForwards(r: ConfigReader, nLayer: number): DenseFfn[] {
  const raw = r.raw('intermediate_size');
  if (Array.isArray(raw)) {
    const list = r.intList('intermediate_size')!;
    if (list.length !== nLayer) r.fail('intermediate_size', `must have ${nLayer} entries (one per layer) when a list`, list.length);
    if (list.some((ff) => ff !== list[0])) r.fail('intermediate_size', "must be the same on every layer: llama.cpp's gemma3n reads one feed_forward_length", list);
    return list.map((ff) => denseFfn(ff));
  }
  const ff = denseFfn(r.int('intermediate_size'));
  return repeat(nLayer, () => ff);
}

function mixers(r: ConfigReader, hidden: number, nLayer: number, assume: (n: string) => void): StandardAttention[] {
  const heads = readHeads(r, hidden);
  const types = readLayerTypes(r, nLayer);
  const sliding = (il: number) => (types ? types[il] === 'sliding_attention' : il % 5 < 4);
  const window = r.int('sliding_window');
  const shared = r.int('num_kv_shared_layers', { min: 0, fallback: nLayer - KV_FROM_START });
  if (nLayer - shared !== KV_FROM_START) {
    assume(`${r.path('num_kv_shared_layers')} ${shared} leaves ${nLayer - shared} cache-owning layers, but llama.cpp's gemma3n always takes ${KV_FROM_START}: sized as llama.cpp does.`);
  }
  return repeat(nLayer, (il) => {
    const a = attention(heads, sliding(il) ? window : null);
    return il < KV_FROM_START ? a : { ...a, kvSharedFrom: KV_FROM_START - (sliding(il) ? 2 : 1) };
  });
}

function read(r: ConfigReader, assume: (note: string) => void) {
  const core = readCore(r);
  checkConstant(r, 'altup_num_inputs', N_ALTUP, assume);
  checkConstant(r, 'laurel_rank', LAUREL_RANK, assume);
  checkConstant(r, 'hidden_size_per_layer_input', PER_LAYER_WIDTH, assume);
  if (core.nLayer <= KV_FROM_START) r.fail('num_hidden_layers', `must exceed ${KV_FROM_START}: llama.cpp's gemma3n shares the caches of layers ${KV_FROM_START - 2} and ${KV_FROM_START - 1}`, core.nLayer);
  return {
    ...core,
    ggufArch: 'gemma3n',
    tiedEmbeddings: r.bool('tie_word_embeddings', true),
    layers: zipLayers(mixers(r, core.hiddenSize, core.nLayer, assume), feedForwards(r, core.nLayer)),
    tensorDetails: { qkNorm: true },
  };
}

/** gemma3n.cpp load_arch_tensors, outside the blocks. */
function globals(shape: ModelShape, emit: GlobalEmit): void {
  const h = shape.hiddenSize;
  const perLayer = PER_LAYER_WIDTH * shape.layers.length;
  if (!shape.tiedEmbeddings) emit('output.weight', [h, shape.vocabSize], 'output');
  emit('token_embd.weight', [h, shape.vocabSize], 'token_embd');
  emit('altup_proj.weight', [h, h, N_ALTUP - 1], 'other');
  emit('altup_unembd_proj.weight', [h, h, N_ALTUP - 1], 'other');
  emit('per_layer_token_embd.weight', [perLayer, shape.vocabSize], 'token_embd');
  emit('per_layer_model_proj.weight', [h, perLayer], 'other');
  emit('per_layer_proj_norm.weight', [PER_LAYER_WIDTH], 'norm');
  emit('output_norm.weight', [h], 'norm');
}

function attentionTensors(h: number, a: StandardAttention, emit: Emit): void {
  const q = a.nHead * a.headDimK;
  const kv = a.nHeadKv * a.headDimK;
  emit('attn_norm.weight', [h], 'norm');
  emit('attn_q.weight', [h, q], 'attn');
  emit('attn_k.weight', [h, kv], 'attn');
  emit('attn_v.weight', [h, kv], 'attn');
  emit('attn_output.weight', [q, h], 'attn');
  emit('attn_q_norm.weight', [a.headDimK], 'norm');
  emit('attn_k_norm.weight', [a.headDimK], 'norm');
  emit('post_attention_norm.weight', [h], 'norm');
}

/** One block, gemma3n.cpp order. */
function block(shape: ModelShape, layer: LayerShape, emit: Emit): void {
  const h = shape.hiddenSize;
  if (layer.mixer.kind === 'attention') attentionTensors(h, layer.mixer, emit);
  const ff = layer.ffn.kind === 'dense' ? layer.ffn.ff : 0;
  emit('ffn_norm.weight', [h], 'norm');
  emit('ffn_gate.weight', [h, ff], 'ffn');
  emit('ffn_up.weight', [h, ff], 'ffn');
  emit('ffn_down.weight', [ff, h], 'ffn');
  emit('post_ffw_norm.weight', [h], 'norm');
  // Role 'other' for the per-layer input and AltUp / LAuReL weights, as gguf-tensor-roles.ts reads the names back.
  emit('inp_gate.weight', [h, PER_LAYER_WIDTH], 'other');
  emit('proj.weight', [PER_LAYER_WIDTH, h], 'other');
  emit('post_norm.weight', [h], 'norm');
  emit('altup_correct_coef.weight', [N_ALTUP, N_ALTUP], 'other');
  emit('altup_correct_scale.weight', [h], 'other');
  emit('altup_predict_coef.weight', [N_ALTUP, N_ALTUP * N_ALTUP], 'other');
  emit('altup_router.weight', [h, N_ALTUP], 'other');
  emit('altup_router_norm.weight', [h], 'norm');
  emit('laurel_l.weight', [h, LAUREL_RANK], 'other');
  emit('laurel_r.weight', [LAUREL_RANK, h], 'other');
  emit('laurel_post_norm.weight', [h], 'norm');
}

const gemma3n: ArchFamily = {
  architectures: ['Gemma3nForConditionalGeneration', 'Gemma3nForCausalLM'],
  ggufArchs: ['gemma3n'],
  read,
  globalTensors: globals,
  blockTensors: block,
};

export default gemma3n;
