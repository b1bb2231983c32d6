/**
 * InternLM2 / InternLM2.5 (InternLM2ForCausalLM -> llama.cpp "internlm2"), a Llama-shaped decoder whose checkpoint
 * stores attention as one fused, group-interleaved projection: attention.wqkv holds num_key_value_heads groups of
 * [q_per_kv query heads, 1 key head, 1 value head]. llama.cpp's converter (conversion/internlm.py
 * InternLM2Model.modify_tensors) reshapes it to (n_kv, q_per_kv + 2, head_dim, hidden) and writes three tensors,
 * attn_q {n_embd, n_embd}, attn_k / attn_v {n_embd, n_kv x head_dim} (q and k rope-permuted), so the GGUF has the
 * standard decoder block and the same element count as the fused matrix. The head size is always
 * hidden_size / num_attention_heads (the converter computes it so; the config has no head_dim).
 * Loader: src/models/internlm2.cpp load_arch_tensors (output.weight required, attn_output {n_embd, n_embd}).
 * `bias` (false in every released checkpoint) puts biases on wqkv and wo (modeling_internlm2.py InternLM2Attention).
 */
import type { ArchFamily } from '../family.ts';
import { attention, readCore, readDenseFfn, readHeads, repeat, zipLayers } from '../shape-parts.ts';

const internlm2: ArchFamily = {
  architectures: ['InternLM2ForCausalLM'],
  read: (r, assume) => {
    const core = readCore(r);
    const heads = readHeads(r, core.hiddenSize);
    const headDim = core.hiddenSize / heads.nHead;
    if (r.has('head_dim') && heads.headDim !== headDim) {
      assume(`${r.path('head_dim')} ${heads.headDim} is ignored: llama.cpp's converter splits InternLM2's wqkv with head_dim = hidden_size / num_attention_heads (${headDim}).`);
    }
    const bias = r.bool('bias', false);
    if (bias) {
      assume(`${r.path('bias')} is true: the q/k/v and output biases are listed, but llama.cpp's internlm2 loader has no attn_output.bias, so such a GGUF would not load.`);
    }
    return {
      ...core,
      ggufArch: 'internlm2',
      tiedEmbeddings: r.bool('tie_word_embeddings', false),
      layers: zipLayers(
        repeat(core.nLayer, () => attention({ ...heads, headDim }, null)),
        repeat(core.nLayer, () => readDenseFfn(r)),
      ),
      tensorDetails: { qkvBias: bias, attnOutputBias: bias },
    };
  },
};

export default internlm2;
