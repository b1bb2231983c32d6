/**
 * RecurrentGemma (RecurrentGemmaForCausalLM: google/recurrentgemma-2b / -9b and their -it), the Griffin architecture:
 * residual blocks whose temporal mixer is either an RG-LRU recurrent block or local multi-query attention, in the
 * repeating pattern block_types (recurrent, recurrent, attention), each followed by a GeGLU MLP.
 *
 * llama.cpp does NOT support it: no recurrentgemma / griffin / rglru in src/, conversion/ or gguf-py at 3f545bec, so
 * no GGUF exists and llama.cpp's file types and loader rules do not apply. The model is sized as transformers holds it
 * (models/recurrent_gemma/modeling_recurrent_gemma.py, configuration_recurrent_gemma.py); ggufArch 'recurrentgemma'
 * names no llama.cpp architecture. Its tensors are named by llama.cpp's conventions so that roles read back from the
 * names agree (gguf-tensor-roles.ts) and GPU formats treat the linears as linears: attn_* and ffn_* as llama.cpp names
 * attention and MLP weights, ssm_* (llama.cpp's prefix for state-space weights) + the transformers module name for the
 * RG-LRU block; each emit names the transformers module it stands for. No such GGUF exists.
 *
 * Config (RecurrentGemmaConfig): layer i is block_types[i % len] (saved as "_block_types" by newer transformers,
 * "block_types" by older); lru_width defaults to hidden_size; head_dim = hidden_size / num_attention_heads;
 * num_key_value_heads defaults to num_attention_heads; the MLP is intermediate_size / 2 wide (RecurrentGemmaMlp);
 * embeddings are tied (lm_head shares embed_tokens).
 *
 * Per layer: temporal_pre_norm, the temporal block, channel_pre_norm, the MLP (gate/up/down, all with biases).
 * Recurrent block: linear_y, linear_x (hidden -> lru, bias), linear_out (lru -> hidden, bias), a depthwise conv_1d
 * (lru channels, conv1d_width taps, bias), the RG-LRU's recurrent_param [lru] and its block-diagonal input and
 * recurrent gates [heads, lru / heads, lru / heads] with biases [heads, lru / heads].
 * Attention block: q/k/v (biases iff attention_bias), o_proj with a bias.
 *
 * Cache (RecurrentGemmaModel._setup_cache): attention layers keep K and V of a fixed attention_window_size (2048)
 * slots, whatever the context; recurrent layers keep conv1d_state [hidden, conv1d_width - 1] in the model dtype and the
 * RG-LRU state [lru_width] in float32. Here: window = attention_window_size on attention layers;
 * stateElementsR = (conv1d_width - 1) x hidden, stateElementsS = lru_width.
 */
import type { ConfigReader } from '../config-reader.ts';
import type { ArchFamily, GlobalEmit } from '../family.ts';
import type { Emit } from '../tensor-parts.ts';
import { attention, denseFfn, readHeads, repeat, zipLayers, type HeadLayout } from '../shape-parts.ts';
import { SizingError } from '../../errors.ts';
import type { LayerMixer, LayerShape, ModelShape, RecurrentLayer, StandardAttention } from '../../types.ts';

/** The RG-LRU block's sizes. */
export interface RgLruShape {
  lruWidth: number;
  convWidth: number;
  /** Gate heads (num_attention_heads): the gates are block-diagonal with lru / heads wide blocks. */
  nHead: number;
}

export interface RgLruLayer extends RecurrentLayer {
  rglru: RgLruShape;
}

/** No context length in the config; RecurrentGemma was trained on 8192-token sequences (Google's model card). */
const TRAINED_CONTEXT = 8192;

export const NO_GGUF_NOTE =
  'llama.cpp does not support RecurrentGemma (no such architecture in its converter or loader): no GGUF exists, so llama.cpp file types and llama.cpp memory figures do not apply; the weights are those transformers loads (named here by llama.cpp conventions), and its cache is sized as transformers keeps it.';

function rglruOf(layer: LayerShape): RgLruShape {
  const m = layer.mixer;
  if (m.kind === 'recurrent' && 'rglru' in m) return (m as RgLruLayer).rglru;
  throw new SizingError(`layer ${layer.index}: a recurrent block without its sizes cannot list its tensors`, 'layers');
}

/** layers_block_type = (block_types x 100)[:num_hidden_layers]. */
function blockTypes(r: ConfigReader, nLayer: number): ('recurrent' | 'attention')[] {
  const key = r.has('_block_types') ? '_block_types' : 'block_types';
  const list = r.stringList(key) ?? ['recurrent', 'recurrent', 'attention'];
  if (list.length === 0) r.fail(key, 'must not be empty', list);
  list.forEach((t, i) => {
    if (t !== 'recurrent' && t !== 'attention') r.fail(key, `entry ${i} must be "recurrent" or "attention"`, t);
  });
  return repeat(nLayer, (il) => list[il % list.length] as 'recurrent' | 'attention');
}

function read(r: ConfigReader, assume: (note: string) => void) {
  const hiddenSize = r.int('hidden_size');
  const nLayer = r.int('num_hidden_layers');
  const heads: HeadLayout = readHeads(r, hiddenSize);
  const lru: RgLruShape = {
    lruWidth: r.int('lru_width', { fallback: hiddenSize }),
    convWidth: r.int('conv1d_width', { fallback: 4 }),
    nHead: heads.nHead,
  };
  if (lru.lruWidth % lru.nHead !== 0) r.fail('lru_width', `must be a multiple of num_attention_heads (${lru.nHead})`, lru.lruWidth);
  const recurrent: RgLruLayer = {
    kind: 'recurrent',
    variant: 'rg-lru',
    stateElementsR: (lru.convWidth - 1) * hiddenSize,
    stateElementsS: lru.lruWidth,
    rglru: lru,
  };
  const window = r.int('attention_window_size', { fallback: 2048 });
  const local = attention(heads, window);
  const mixers = blockTypes(r, nLayer).map((t): LayerMixer => (t === 'attention' ? local : recurrent));
  const ff = Math.floor(r.int('intermediate_size') / 2);
  assume(NO_GGUF_NOTE);
  assume(`The RG-LRU state is float32 in transformers; caches here are sized in the runtime's cache type. No context length in the config: ${TRAINED_CONTEXT}, the training length, taken.`);
  return {
    vocabSize: r.int('vocab_size'),
    hiddenSize,
    nLayer,
    maxContext: r.int('max_position_embeddings', { fallback: TRAINED_CONTEXT }),
    ggufArch: 'recurrentgemma',
    tiedEmbeddings: r.bool('tie_word_embeddings', true),
    layers: zipLayers(mixers, repeat(nLayer, () => denseFfn(ff))),
    tensorDetails: { qkvBias: r.bool('attention_bias', false), attnOutputBias: true },
  };
}

function globals(shape: ModelShape, emit: GlobalEmit): void {
  const h = shape.hiddenSize;
  emit('token_embd.weight', [h, shape.vocabSize], 'token_embd'); // model.embed_tokens
  emit('output_norm.weight', [h], 'norm'); // model.final_norm
  if (!shape.tiedEmbeddings) emit('output.weight', [h, shape.vocabSize], 'output');
}

/** RecurrentGemmaRecurrentBlock: the y / x branches, the depthwise conv, the RG-LRU and the out projection. */
function recurrentBlock(h: number, m: RgLruShape, emit: Emit): void {
  const w = m.lruWidth;
  const bw = w / m.nHead;
  emit('ssm_linear_y.weight', [h, w], 'recurrent'); // temporal_block.linear_y
  emit('ssm_linear_y.bias', [w], 'bias');
  emit('ssm_linear_x.weight', [h, w], 'recurrent'); // temporal_block.linear_x
  emit('ssm_linear_x.bias', [w], 'bias');
  emit('ssm_linear_out.weight', [w, h], 'recurrent'); // temporal_block.linear_out
  emit('ssm_linear_out.bias', [h], 'bias');
  emit('ssm_conv1d.weight', [m.convWidth, w], 'recurrent'); // temporal_block.conv_1d (depthwise)
  emit('ssm_conv1d.bias', [w], 'bias');
  emit('ssm_recurrent_param', [w], 'recurrent'); // temporal_block.rg_lru.recurrent_param
  emit('ssm_input_gate.weight', [bw, bw, m.nHead], 'recurrent'); // rg_lru.input_gate_weight, block-diagonal
  emit('ssm_input_gate.bias', [bw, m.nHead], 'bias');
  emit('ssm_recurrent_gate.weight', [bw, bw, m.nHead], 'recurrent'); // rg_lru.recurrent_gate_weight
  emit('ssm_recurrent_gate.bias', [bw, m.nHead], 'bias');
}

/** RecurrentGemmaSdpaAttention: q / k / v (biases iff attention_bias), o_proj always biased. */
function attentionBlock(h: number, a: StandardAttention, qkvBias: boolean, emit: Emit): void {
  const q = a.nHead * a.headDimK;
  const kv = a.nHeadKv * a.headDimK;
  emit('attn_q.weight', [h, q], 'attn');
  emit('attn_k.weight', [h, kv], 'attn');
  emit('attn_v.weight', [h, kv], 'attn');
  if (qkvBias) {
    emit('attn_q.bias', [q], 'bias');
    emit('attn_k.bias', [kv], 'bias');
    emit('attn_v.bias', [kv], 'bias');
  }
  emit('attn_output.weight', [q, h], 'attn');
  emit('attn_output.bias', [h], 'bias');
}

/** RecurrentGemmaDecoderLayer in module order. */
function block(shape: ModelShape, layer: LayerShape, emit: Emit): void {
  const h = shape.hiddenSize;
  emit('attn_norm.weight', [h], 'norm'); // temporal_pre_norm
  const m = layer.mixer;
  if (m.kind === 'attention') attentionBlock(h, m, shape.tensorDetails?.qkvBias ?? false, emit);
  else recurrentBlock(h, rglruOf(layer), emit);
  emit('ffn_norm.weight', [h], 'norm'); // channel_pre_norm
  // RecurrentGemmaMlp: gate / up (hidden -> intermediate_size / 2) and down, all with biases.
  const ff = layer.ffn.kind === 'dense' ? layer.ffn.ff : 0;
  emit('ffn_gate.weight', [h, ff], 'ffn');
  emit('ffn_gate.bias', [ff], 'bias');
  emit('ffn_up.weight', [h, ff], 'ffn');
  emit('ffn_up.bias', [ff], 'bias');
  emit('ffn_down.weight', [ff, h], 'ffn');
  emit('ffn_down.bias', [h], 'bias');
}

const recurrentgemma: ArchFamily = {
  architectures: ['RecurrentGemmaForCausalLM'],
  ggufArchs: ['recurrentgemma'],
  read,
  globalTensors: globals,
  blockTensors: block,
};

export default recurrentgemma;
