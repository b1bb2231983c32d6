/**
 * BigCode StarCoder2 (Starcoder2ForCausalLM -> llama.cpp "starcoder2": starcoder2-3b / 7b / 15b). A GQA decoder with
 * LayerNorm (weight and bias) everywhere, a plain GELU MLP (c_fc -> ffn_up, c_proj -> ffn_down, no gate) and biases
 * on every projection (use_bias, default true).
 *
 * llama.cpp (src/models/starcoder2.cpp load_arch_tensors, 3f545bec): output_norm weight + bias, output optional
 * (tied falls back to token_embd); per block attn_norm w+b, q/k/v (create_tensor_qkv: biases optional),
 * attn_output + its bias, ffn_norm w+b, ffn_down, ffn_up and their biases. The o / down / up biases are created with
 * flag 0, so they are required: a use_bias=false checkpoint would not load.
 * The converter (conversion/starcoder.py, plain TextModel) writes no head_dim, so heads are hidden / heads wide.
 *
 * sliding_window (4096 in every released config): transformers' Starcoder2Attention masks to it, but llama.cpp does
 * not. The converter writes no sliding-window key, the loader reads none, and the graph builds a plain KV cache
 * (build_attn_inp_kv): every layer caches and attends to the whole context. The layers are read as global attention,
 * the llama.cpp behaviour, and the window is stated as an assumption.
 */
import type { ArchFamily } from '../family.ts';
import { attention, denseFfn, readCore, readHeads, repeat, zipLayers } from '../shape-parts.ts';

const starcoder2: ArchFamily = {
  architectures: ['Starcoder2ForCausalLM'],
  ggufArchs: ['starcoder2'],
  read: (r, assume) => {
    const core = readCore(r);
    const heads = readHeads(r, core.hiddenSize);
    const window = r.optionalInt('sliding_window');
    if (window !== undefined && window < core.maxContext) {
      assume(
        `${r.path('sliding_window')} ${window} is not applied by llama.cpp (arch "starcoder2" has no sliding-window cache or mask): every layer caches the full context. transformers keeps only the window.`,
      );
    }
    const useBias = r.bool('use_bias', true);
    if (!useBias) {
      assume(`${r.path('use_bias')} is false, but llama.cpp's starcoder2 loader requires the output, up and down biases: sized with them.`);
    }
    const ff = r.int('intermediate_size');
    return {
      ...core,
      ggufArch: 'starcoder2',
      // Starcoder2Config defaults tie_word_embeddings to true: the 3B and 7B configs omit the key and ship no lm_head.
      tiedEmbeddings: r.bool('tie_word_embeddings', true),
      layers: zipLayers(
        repeat(core.nLayer, () => attention(heads, null)),
        repeat(core.nLayer, () => denseFfn(ff, false)),
      ),
      tensorDetails: { qkvBias: useBias, attnOutputBias: true },
    };
  },
  globalTensors: (shape, emit) => {
    const h = shape.hiddenSize;
    emit('token_embd.weight', [h, shape.vocabSize], 'token_embd');
    emit('output_norm.weight', [h], 'norm');
    emit('output_norm.bias', [h], 'bias');
    if (!shape.tiedEmbeddings) emit('output.weight', [h, shape.vocabSize], 'output');
  },
  blockTensors: (shape, layer, emit) => {
    const h = shape.hiddenSize;
    const m = layer.mixer;
    if (m.kind !== 'attention' || layer.ffn.kind !== 'dense') return;
    const q = m.nHead * m.headDimK;
    const kv = m.nHeadKv * m.headDimK;
    const ff = layer.ffn.ff;
    emit('attn_norm.weight', [h], 'norm');
    emit('attn_norm.bias', [h], 'bias');
    emit('attn_q.weight', [h, q], 'attn');
    emit('attn_k.weight', [h, kv], 'attn');
    emit('attn_v.weight', [h, kv], 'attn');
    if (shape.tensorDetails?.qkvBias) {
      emit('attn_q.bias', [q], 'bias');
      emit('attn_k.bias', [kv], 'bias');
      emit('attn_v.bias', [kv], 'bias');
    }
    emit('attn_output.weight', [q, h], 'attn');
    emit('attn_output.bias', [h], 'bias');
    emit('ffn_norm.weight', [h], 'norm');
    emit('ffn_norm.bias', [h], 'bias');
    emit('ffn_down.weight', [ff, h], 'ffn');
    emit('ffn_up.weight', [h, ff], 'ffn');
    emit('ffn_down.bias', [h], 'bias');
    emit('ffn_up.bias', [ff], 'bias');
  },
};

export default starcoder2;
