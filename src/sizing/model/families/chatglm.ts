/**
 * ChatGLM2/3 and the remote-code GLM-4-9B (ChatGLMModel / ChatGLMForConditionalGeneration -> llama.cpp "chatglm";
 * conversion/chatglm.py ChatGLMModel). Also writes the blocks of GlmForCausalLM (the transformers port of
 * GLM-4-9B-Chat), which families/glm4.ts reads and the same converter class turns into "chatglm".
 *
 * Config keys, as ChatGLMModel.set_gguf_parameters reads them: hidden_size (or n_embed), n_head (or
 * num_attention_heads), KV heads = multi_query_group_num, else num_key_value_heads, else the head count (whatever
 * multi_query_attention says), n_ff = ffn_hidden_size, else intermediate_size, else 4 x hidden, context =
 * seq_length; block count = the first of n_layers, num_hidden_layers, n_layer, num_layers (TextModel.__init__).
 * No key_length is written, so llama.cpp's head size is hidden / heads (kv_channels is not read).
 *
 * Vocabulary: the embedding and output_layer have padded_vocab_size rows (65,024 for ChatGLM3-6B, 151,552 for
 * GLM-4-9B) and the converter pads the token list to match (set_vocab_chatglm3 up to padded_vocab_size;
 * get_vocab_base with [PAD] tokens), since the loader requires n_vocab rows (src/models/chatglm.cpp).
 *
 * Tensors (src/models/chatglm.cpp load_arch_tensors, gguf-py tensor_mapping.py "chatglm"): the checkpoint's fused
 * self_attention.query_key_value stays fused as attn_qkv {n_embd, q + 2 kv} with its bias (add_qkv_bias),
 * self_attention.dense -> attn_output {n_embd, n_embd}, post_attention_layernorm -> ffn_norm, and
 * dense_h_to_4h (gate and up together) -> ffn_up {n_embd, 2 n_ff}. rotary_pos_emb.inv_freq is dropped
 * (ChatGLMModel.filter_tensors). GlmForCausalLM checkpoints have separate q_proj / k_proj / v_proj, which
 * create_tensor_qkv accepts as attn_q / attn_k / attn_v with their biases; gate_up_proj is fused the same way.
 */
import type { ArchFamily } from '../family.ts';
import type { Emit } from '../tensor-parts.ts';
import type { ConfigReader } from '../config-reader.ts';
import { attention, denseFfn, repeat, zipLayers } from '../shape-parts.ts';
import type { LayerShape, ModelShape, StandardAttention } from '../../types.ts';

/** The first of `keys` the config has (the converter's `hparams.get(a, hparams.get(b, ...))` order). */
function firstKey(r: ConfigReader, keys: readonly string[]): string {
  return keys.find((k) => r.has(k)) ?? keys[0]!;
}

function readKvHeads(r: ConfigReader, nHead: number): number {
  const nHeadKv = r.has('multi_query_group_num') ? r.int('multi_query_group_num') : r.int('num_key_value_heads', { fallback: nHead });
  if (nHead % nHeadKv !== 0) r.fail(firstKey(r, ['multi_query_group_num', 'num_key_value_heads']), `must divide the head count (${nHead})`, nHeadKv);
  return nHeadKv;
}

function readFfn(r: ConfigReader, hiddenSize: number): number {
  if (r.has('ffn_hidden_size')) return r.int('ffn_hidden_size');
  return r.int('intermediate_size', { fallback: 4 * hiddenSize });
}

/** HF architectures whose checkpoints keep q, k and v apart (GlmForCausalLM: transformers GlmAttention). */
const SEPARATE_QKV_ARCHITECTURES: ReadonlySet<string> = new Set(['GlmForCausalLM']);

function qkvTensors(shape: ModelShape, a: StandardAttention, emit: Emit): void {
  const h = shape.hiddenSize;
  const q = a.nHead * a.headDimK;
  const kv = a.nHeadKv * a.headDimK;
  const bias = shape.tensorDetails?.qkvBias ?? false;
  if (!SEPARATE_QKV_ARCHITECTURES.has(shape.hfArchitecture)) {
    emit('attn_qkv.weight', [h, q + 2 * kv], 'attn');
    if (bias) emit('attn_qkv.bias', [q + 2 * kv], 'bias');
    return;
  }
  emit('attn_q.weight', [h, q], 'attn');
  emit('attn_k.weight', [h, kv], 'attn');
  emit('attn_v.weight', [h, kv], 'attn');
  if (bias) {
    emit('attn_q.bias', [q], 'bias');
    emit('attn_k.bias', [kv], 'bias');
    emit('attn_v.bias', [kv], 'bias');
  }
}

/** One chatglm block in load_arch_tensors order. */
function chatglmBlock(shape: ModelShape, layer: LayerShape, emit: Emit): void {
  const m = layer.mixer;
  const ffn = layer.ffn;
  if (m.kind !== 'attention' || ffn.kind !== 'dense') throw new Error(`chatglm block ${layer.index}: expected attention and a dense MLP`);
  const h = shape.hiddenSize;
  emit('attn_norm.weight', [h], 'norm');
  qkvTensors(shape, m, emit);
  emit('attn_output.weight', [h, h], 'attn');
  emit('ffn_norm.weight', [h], 'norm');
  emit('ffn_up.weight', [h, 2 * ffn.ff], 'ffn');
  emit('ffn_down.weight', [ffn.ff, h], 'ffn');
}

const chatglm: ArchFamily = {
  architectures: ['ChatGLMModel', 'ChatGLMForConditionalGeneration'],
  read: (r, assume) => {
    const hiddenSize = r.int(firstKey(r, ['hidden_size', 'n_embed']));
    const nHead = r.int(firstKey(r, ['n_head', 'num_attention_heads']));
    if (hiddenSize % nHead !== 0) r.fail(firstKey(r, ['n_head', 'num_attention_heads']), `must divide the hidden size (${hiddenSize})`, nHead);
    const headDim = hiddenSize / nHead;
    const kvChannels = r.optionalInt('kv_channels');
    if (kvChannels !== undefined && kvChannels !== headDim) {
      assume(`${r.path('kv_channels')} ${kvChannels} is ignored: llama.cpp's converter writes no key_length, so heads are hidden / heads (${headDim}) wide.`);
    }
    if (r.bool('add_bias_linear', false)) {
      assume(`${r.path('add_bias_linear')} is true, but llama.cpp's chatglm loader has no slot for those biases; they are left out.`);
    }
    const nLayer = r.int(firstKey(r, ['n_layers', 'num_hidden_layers', 'n_layer', 'num_layers'])); // conversion/base.py block_count
    const heads = { nHead, nHeadKv: readKvHeads(r, nHead), headDim };
    const ffn = denseFfn(readFfn(r, hiddenSize));
    return {
      vocabSize: r.int(firstKey(r, ['padded_vocab_size', 'vocab_size'])),
      hiddenSize,
      nLayer,
      maxContext: r.int(firstKey(r, ['seq_length', 'max_position_embeddings'])),
      ggufArch: 'chatglm',
      tiedEmbeddings: r.bool('tie_word_embeddings', false),
      layers: zipLayers(
        repeat(nLayer, () => attention(heads, null)),
        repeat(nLayer, () => ffn),
      ),
      tensorDetails: { qkvBias: r.bool('add_qkv_bias', false) },
    };
  },
  ggufArchs: ['chatglm'],
  blockTensors: chatglmBlock,
};

export default chatglm;
