/**
 * Stability AI StableLM (StableLmForCausalLM, and the remote-code StableLMEpochForCausalLM of the first StableLM 3B
 * 4E1T / Zephyr 3B releases -> llama.cpp "stablelm": stablelm-2-1_6b, stablelm-2-12b, stablelm-zephyr-3b,
 * stable-code-3b). LayerNorm with weight and bias, partial rotary embeddings (partial_rotary_factor / rope_pct: no
 * tensor), a gated SiLU MLP, optional q/k/v biases (use_qkv_bias), optional per-head q/k LayerNorms (qk_layernorm,
 * StableLM 2 12B) and an optional parallel residual (use_parallel_residual: no post-attention LayerNorm).
 *
 * llama.cpp (src/models/stablelm.cpp load_arch_tensors, 3f545bec): output_norm bias then weight, output REQUIRED (no
 * tied fallback); per block attn_norm w+b, q/k/v (create_tensor_qkv, biases optional), attn_output, attn_q_norm
 * {head_dim, n_head} and attn_k_norm {head_dim, n_head_kv} (optional: the converter stacks the per-head norms,
 * conversion/stablelm.py _stack_qk_norm), ffn_norm w+b (optional), ffn_gate / ffn_down / ffn_up.
 * The converter writes no head_dim: heads are hidden_size / num_attention_heads wide.
 */
import type { ArchFamily } from '../family.ts';
import { attention, readCore, readDenseFfn, readHeads, repeat, zipLayers } from '../shape-parts.ts';
import type { TensorDetails } from '../../types.ts';

/**
 * The parallel residual decides whether a block has ffn_norm, which neither the layer shapes nor TensorDetails
 * carry: it rides along in the shape's tensorDetails object (model-shape.ts keeps the reader's object as is).
 */
interface StableLmDetails extends TensorDetails {
  parallelResidual?: boolean;
}

const stablelm: ArchFamily = {
  architectures: ['StableLmForCausalLM', 'StableLMEpochForCausalLM'],
  ggufArchs: ['stablelm'],
  read: (r, assume) => {
    const core = readCore(r);
    // The converter reads num_key_value_heads unconditionally (conversion/stablelm.py set_gguf_parameters).
    r.int('num_key_value_heads');
    const heads = readHeads(r, core.hiddenSize);
    const headDim = core.hiddenSize / heads.nHead;
    if (r.has('head_dim') && heads.headDim !== headDim) {
      assume(`${r.path('head_dim')} ${heads.headDim} is ignored: llama.cpp's converter sizes StableLM heads as hidden_size / num_attention_heads (${headDim}).`);
    }
    const tied = r.bool('tie_word_embeddings', false);
    if (tied) assume('tie_word_embeddings: llama.cpp\'s stablelm loader requires output.weight, so a tied checkpoint would not load; sized tied.');
    // StableLmConfig defaults: use_qkv_bias false, qk_layernorm false, use_parallel_residual false.
    const details: StableLmDetails = {
      qkvBias: r.bool('use_qkv_bias', false),
      qkNorm: r.bool('qk_layernorm', false),
      parallelResidual: r.bool('use_parallel_residual', false),
    };
    return {
      ...core,
      ggufArch: 'stablelm',
      tiedEmbeddings: tied,
      layers: zipLayers(
        repeat(core.nLayer, () => attention({ ...heads, headDim }, null)),
        repeat(core.nLayer, () => readDenseFfn(r)),
      ),
      tensorDetails: details,
    };
  },
  globalTensors: (shape, emit) => {
    const h = shape.hiddenSize;
    emit('token_embd.weight', [h, shape.vocabSize], 'token_embd');
    emit('output_norm.bias', [h], 'bias');
    emit('output_norm.weight', [h], 'norm');
    if (!shape.tiedEmbeddings) emit('output.weight', [h, shape.vocabSize], 'output');
  },
  blockTensors: (shape, layer, emit) => {
    const h = shape.hiddenSize;
    const m = layer.mixer;
    if (m.kind !== 'attention' || layer.ffn.kind !== 'dense') return;
    const d: StableLmDetails = shape.tensorDetails ?? {};
    const kv = m.nHeadKv * m.headDimK;
    const ff = layer.ffn.ff;
    emit('attn_norm.weight', [h], 'norm');
    emit('attn_norm.bias', [h], 'bias');
    emit('attn_q.weight', [h, h], 'attn');
    emit('attn_k.weight', [h, kv], 'attn');
    emit('attn_v.weight', [h, kv], 'attn');
    if (d.qkvBias) {
      emit('attn_q.bias', [h], 'bias');
      emit('attn_k.bias', [kv], 'bias');
      emit('attn_v.bias', [kv], 'bias');
    }
    emit('attn_output.weight', [h, h], 'attn');
    if (d.qkNorm) {
      emit('attn_q_norm.weight', [m.headDimK, m.nHead], 'norm');
      emit('attn_k_norm.weight', [m.headDimK, m.nHeadKv], 'norm');
    }
    // StableLmDecoderLayer: no post_attention_layernorm (ffn_norm) with the parallel residual (StableLM 2 12B).
    if (!d.parallelResidual) {
      emit('ffn_norm.weight', [h], 'norm');
      emit('ffn_norm.bias', [h], 'bias');
    }
    emit('ffn_gate.weight', [h, ff], 'ffn');
    emit('ffn_down.weight', [ff, h], 'ffn');
    emit('ffn_up.weight', [h, ff], 'ffn');
  },
};

export default stablelm;
