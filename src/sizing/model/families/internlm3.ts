/**
 * InternLM3 (InternLM3ForCausalLM): llama.cpp has no "internlm3" architecture; the converter writes it as "llama"
 * (conversion/internlm.py InternLM3Model, model_arch = LLAMA), so the GGUF is the standard Llama block
 * (src/models/llama.cpp load_arch_tensors). head_dim is explicit (128 on internlm3-8b, with 32 query and 2 key/value
 * heads). qkv_bias puts biases on q/k/v, `bias` on o_proj and the MLP (modeling_internlm3.py); both are false in
 * internlm3-8b-instruct. InternLM3Model does not extend the converter's LlamaModel, so no rope_freqs tensor is
 * written whatever rope_scaling says (internlm3-8b uses "dynamic" scaling, which adds none anyway).
 */
import type { ArchFamily } from '../family.ts';
import { attention, readCore, readDenseFfn, readHeads, repeat, zipLayers } from '../shape-parts.ts';

const internlm3: ArchFamily = {
  architectures: ['InternLM3ForCausalLM'],
  read: (r, assume) => {
    const core = readCore(r);
    const heads = readHeads(r, core.hiddenSize);
    const qkvBias = r.bool('qkv_bias', false);
    const bias = r.bool('bias', false);
    if (bias) {
      assume(`${r.path('bias')} is true: the MLP biases it adds (ffn_gate/ffn_up/ffn_down .bias) are not listed; no released InternLM3 has them.`);
    }
    return {
      ...core,
      ggufArch: 'llama',
      tiedEmbeddings: r.bool('tie_word_embeddings', false),
      layers: zipLayers(
        repeat(core.nLayer, () => attention(heads, null)),
        repeat(core.nLayer, () => readDenseFfn(r)),
      ),
      tensorDetails: { qkvBias, attnOutputBias: bias },
    };
  },
};

export default internlm3;
