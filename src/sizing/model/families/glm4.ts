/**
 * GLM-4-0414 (Glm4ForCausalLM -> llama.cpp "glm4"; conversion/glm.py Glm4Model) and the transformers port of
 * GLM-4-9B-Chat (GlmForCausalLM, model_type "glm" -> llama.cpp "chatglm": conversion/chatglm.py registers
 * GlmForCausalLM with ChatGLMModel; its tensors are written by families/chatglm.ts).
 *
 * glm4 block (src/models/glm4.cpp load_arch_tensors): separate q / k / v with optional biases (attention_bias),
 * head_dim from the config (conversion/base.py writes key_length = value_length = head_dim), a sandwich of norms
 * (input_layernorm -> attn_norm, post_self_attn_layernorm -> post_attention_norm, post_attention_layernorm ->
 * ffn_norm, post_mlp_layernorm -> post_ffw_norm; gguf-py tensor_mapping.py "glm-4-0414") and the MLP's gate_up_proj
 * kept fused as ffn_up {n_embd, 2 n_ff}. partial_rotary_factor changes only rope.dimension_count. The KV cache is
 * head_dim x num_key_value_heads for K and for V on every layer, no sliding window.
 */
import type { ArchFamily } from '../family.ts';
import type { Emit } from '../tensor-parts.ts';
import type { ArchBuild } from '../architectures.ts';
import type { ConfigReader } from '../config-reader.ts';
import { attention, readCore, readDenseFfn, readHeads, repeat, zipLayers } from '../shape-parts.ts';
import type { LayerShape, ModelShape } from '../../types.ts';

function readGlm4(r: ConfigReader): ArchBuild {
  const core = readCore(r);
  const heads = readHeads(r, core.hiddenSize);
  return {
    ...core,
    ggufArch: 'glm4',
    tiedEmbeddings: r.bool('tie_word_embeddings', false),
    layers: zipLayers(repeat(core.nLayer, () => attention(heads, null)), repeat(core.nLayer, () => readDenseFfn(r))),
    tensorDetails: { qkvBias: r.bool('attention_bias', false) },
  };
}

/**
 * GlmForCausalLM through ChatGLMModel.set_gguf_parameters: n_head_kv = num_key_value_heads, n_ff =
 * intermediate_size, and no key_length, so llama.cpp's head size is hidden_size / num_attention_heads. The
 * context length is read from seq_length, which this config does not have: the converter then writes hidden_size
 * (its fallback `hparams.get("seq_length", n_embed)`), a quirk noted rather than copied into maxContext.
 */
function readGlm(r: ConfigReader, assume: (note: string) => void): ArchBuild {
  const core = readCore(r);
  const heads = readHeads(r, core.hiddenSize);
  const headDim = core.hiddenSize / heads.nHead;
  if (heads.headDim !== headDim) {
    assume(`${r.path('head_dim')} ${heads.headDim} is ignored: llama.cpp's chatglm converter writes no key_length, so heads are hidden_size / num_attention_heads (${headDim}) wide.`);
  }
  if (!r.has('seq_length')) {
    assume(`llama.cpp's converter reads the context length from seq_length, which this config lacks, and writes hidden_size (${core.hiddenSize}) instead; the trained context here is ${r.path('max_position_embeddings')} (${core.maxContext}).`);
  }
  return {
    ...core,
    ggufArch: 'chatglm',
    tiedEmbeddings: r.bool('tie_word_embeddings', false),
    layers: zipLayers(
      repeat(core.nLayer, () => attention({ ...heads, headDim }, null)),
      repeat(core.nLayer, () => readDenseFfn(r)),
    ),
    tensorDetails: { qkvBias: r.bool('attention_bias', false) },
  };
}

/** One glm4 block in load_arch_tensors order (create_tensor_qkv: q, k, v weights, then their biases). */
function glm4Block(shape: ModelShape, layer: LayerShape, emit: Emit): void {
  const m = layer.mixer;
  const ffn = layer.ffn;
  if (m.kind !== 'attention' || ffn.kind !== 'dense') throw new Error(`glm4 block ${layer.index}: expected attention and a dense MLP`);
  const h = shape.hiddenSize;
  const q = m.nHead * m.headDimK;
  const kv = m.nHeadKv * m.headDimK;
  emit('attn_norm.weight', [h], 'norm');
  emit('attn_q.weight', [h, q], 'attn');
  emit('attn_k.weight', [h, kv], 'attn');
  emit('attn_v.weight', [h, kv], 'attn');
  if (shape.tensorDetails?.qkvBias) {
    emit('attn_q.bias', [q], 'bias');
    emit('attn_k.bias', [kv], 'bias');
    emit('attn_v.bias', [kv], 'bias');
  }
  emit('attn_output.weight', [q, h], 'attn');
  emit('post_attention_norm.weight', [h], 'norm');
  emit('ffn_norm.weight', [h], 'norm');
  emit('ffn_down.weight', [ffn.ff, h], 'ffn');
  emit('ffn_up.weight', [h, 2 * ffn.ff], 'ffn');
  emit('post_ffw_norm.weight', [h], 'norm');
}

const glm4: ArchFamily = {
  architectures: ['Glm4ForCausalLM', 'GlmForCausalLM'],
  read: (r, assume) => {
    const arch = r.raw('architectures');
    return Array.isArray(arch) && arch[0] === 'GlmForCausalLM' ? readGlm(r, assume) : readGlm4(r);
  },
  ggufArchs: ['glm4'],
  blockTensors: glm4Block,
};

export default glm4;
