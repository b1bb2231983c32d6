/**
 * IBM Granite 3.x dense (GraniteForCausalLM -> llama.cpp "granite"): a Llama-shaped decoder whose scale keys
 * (attention_multiplier, embedding_multiplier, residual_multiplier, logits_scaling) change no tensor.
 * The converter pops head_dim, so the head size is always hidden_size / num_attention_heads
 * (convert_hf_to_gguf.py GraniteModel); attention_bias adds q/k/v/o biases, mlp_bias is not written by the
 * converter for released checkpoints (all false). Tensors: src/models/granite.cpp; tied embeddings in every
 * released Granite 3 config.
 */
import type { ArchFamily } from '../family.ts';
import { attention, readCore, readDenseFfn, readHeads, repeat, zipLayers } from '../shape-parts.ts';

const granite: ArchFamily = {
  architectures: ['GraniteForCausalLM'],
  read: (r, assume) => {
    const core = readCore(r);
    const heads = readHeads(r, core.hiddenSize);
    const headDim = core.hiddenSize / heads.nHead;
    if (r.has('head_dim') && heads.headDim !== headDim) {
      assume(`${r.path('head_dim')} ${heads.headDim} is ignored: llama.cpp's converter sizes Granite heads as hidden_size / num_attention_heads (${headDim}).`);
    }
    const bias = r.bool('attention_bias', false);
    return {
      ...core,
      ggufArch: 'granite',
      tiedEmbeddings: r.bool('tie_word_embeddings', false),
      layers: zipLayers(
        repeat(core.nLayer, () => attention({ ...heads, headDim }, null)),
        repeat(core.nLayer, () => readDenseFfn(r)),
      ),
      tensorDetails: { qkvBias: bias, attnOutputBias: bias },
    };
  },
};

export default granite;
