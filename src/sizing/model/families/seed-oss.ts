/**
 * ByteDance Seed-OSS (SeedOssForCausalLM -> llama.cpp "seed_oss": Seed-OSS-36B Base / Base-woSyn / Instruct).
 * A GQA decoder with an explicit head_dim (80 x 128 on a 5120 model), q/k/v biases (attention_bias) but none on
 * o_proj (attention_out_bias false), and a SwiGLU MLP.
 *
 * llama.cpp (src/models/seed-oss.cpp load_arch_tensors, 3f545bec): q/k/v first (create_tensor_qkv, biases optional),
 * attn_output WITHOUT a bias, then attn_norm and post_attention_norm (HF post_attention_layernorm, the pre-MLP norm:
 * SEED_OSS has no FFN_NORM tensor), then ffn_gate / ffn_up / ffn_down. Output optional (tied falls back to
 * token_embd). The converter is a plain TextModel (conversion/olmo.py SeedOssModel): head_dim -> key_length.
 */
import type { ArchFamily } from '../family.ts';
import { attention, readCore, readDenseFfn, readHeads, repeat, zipLayers } from '../shape-parts.ts';

const seedOss: ArchFamily = {
  architectures: ['SeedOssForCausalLM'],
  ggufArchs: ['seed_oss'],
  read: (r, assume) => {
    const core = readCore(r);
    const heads = readHeads(r, core.hiddenSize);
    // The released config says attention_bias true and attention_out_bias false; vLLM's SeedOssAttention hard-codes
    // q/k/v biases (qkv_proj bias=True, o_proj bias=False), so a config without the key is read as biased.
    const qkvBias = r.bool('attention_bias', true);
    if (r.bool('attention_out_bias', false)) {
      assume('attention_out_bias: llama.cpp\'s seed_oss loader has no attn_output.bias, so such a GGUF would not load; sized without it.');
    }
    if (r.bool('mlp_bias', false)) {
      assume('mlp_bias: llama.cpp\'s seed_oss loader has no feed-forward biases, so such a GGUF would not load; sized without them.');
    }
    return {
      ...core,
      ggufArch: 'seed_oss',
      tiedEmbeddings: r.bool('tie_word_embeddings', false),
      layers: zipLayers(
        repeat(core.nLayer, () => attention(heads, null)),
        repeat(core.nLayer, () => readDenseFfn(r)),
      ),
      tensorDetails: { qkvBias },
    };
  },
  blockTensors: (shape, layer, emit) => {
    const h = shape.hiddenSize;
    const m = layer.mixer;
    if (m.kind !== 'attention' || layer.ffn.kind !== 'dense') return;
    const q = m.nHead * m.headDimK;
    const kv = m.nHeadKv * m.headDimK;
    const ff = layer.ffn.ff;
    emit('attn_q.weight', [h, q], 'attn');
    emit('attn_k.weight', [h, kv], 'attn');
    emit('attn_v.weight', [h, kv], 'attn');
    if (shape.tensorDetails?.qkvBias) {
      emit('attn_q.bias', [q], 'bias');
      emit('attn_k.bias', [kv], 'bias');
      emit('attn_v.bias', [kv], 'bias');
    }
    emit('attn_output.weight', [q, h], 'attn');
    emit('attn_norm.weight', [h], 'norm');
    emit('post_attention_norm.weight', [h], 'norm');
    emit('ffn_gate.weight', [h, ff], 'ffn');
    emit('ffn_up.weight', [h, ff], 'ffn');
    emit('ffn_down.weight', [ff, h], 'ffn');
  },
};

export default seedOss;
