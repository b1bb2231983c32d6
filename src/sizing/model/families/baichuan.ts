/**
 * Baichuan 1 and 2, 7B and 13B (BaichuanForCausalLM / BaiChuanForCausalLM -> llama.cpp "baichuan";
 * conversion/baichuan.py BaichuanModel). The checkpoint keeps q, k and v fused in self_attn.W_pack; the converter
 * cuts it into three equal parts (attn_q / attn_k / attn_v, rows [0:r], [r:2r], [2r:3r] with r = rows / 3) and
 * reverse-permutes q and k, which changes no shape. So the GGUF is the standard decoder block with MHA, no biases
 * and a required output.weight (src/models/baichuan.cpp load_arch_tensors; Baichuan 2's NormHead is an ordinary
 * lm_head.weight in the checkpoint, normalised only at run time).
 *
 * Position encoding: the 13B models (40 layers) use ALiBi and the 7B models RoPE. llama.cpp decides by layer count
 * (load_arch_hparams: n_layer 40 -> LLM_TYPE_13B -> f_max_alibi_bias = 8), not by a GGUF key; ALiBi adds no
 * tensor and no cache, so both cache n_embd for K and for V on every layer.
 *
 * Context: the 13B configs have no max_position_embeddings (ALiBi has no trained position table); the converter
 * writes the first of max_position_embeddings, n_ctx, n_positions, max_length, max_sequence_length,
 * model_max_length it finds (conversion/base.py TextModel.set_gguf_parameters), so model_max_length there.
 */
import type { ConfigReader } from '../config-reader.ts';
import type { ArchFamily } from '../family.ts';
import { attention, readDenseFfn, readHeads, repeat, zipLayers } from '../shape-parts.ts';

/** The converter's context-length keys, in its order (conversion/base.py TextModel.set_gguf_parameters). */
const CONTEXT_KEYS = ['max_position_embeddings', 'n_ctx', 'n_positions', 'max_length', 'max_sequence_length', 'model_max_length'] as const;

function readContext(r: ConfigReader): number {
  const key = CONTEXT_KEYS.find((k) => r.has(k)) ?? 'max_position_embeddings';
  return r.int(key);
}

const baichuan: ArchFamily = {
  architectures: ['BaichuanForCausalLM', 'BaiChuanForCausalLM'],
  read: (r, assume) => {
    const hiddenSize = r.int('hidden_size');
    const nLayer = r.int('num_hidden_layers');
    const heads = readHeads(r, hiddenSize);
    if (heads.nHeadKv !== heads.nHead) {
      // W_pack is split into three equal row blocks, which is only right for MHA (conversion/baichuan.py).
      assume(`${r.path('num_key_value_heads')} ${heads.nHeadKv}: llama.cpp's converter splits W_pack into three equal parts, which assumes as many KV heads as query heads (${heads.nHead}); sized as GQA anyway.`);
    }
    if (r.bool('tie_word_embeddings', false)) {
      assume(`${r.path('tie_word_embeddings')} is true, but llama.cpp's baichuan loader requires output.weight; sized with the head tied.`);
    }
    return {
      vocabSize: r.int('vocab_size'),
      hiddenSize,
      nLayer,
      maxContext: readContext(r),
      ggufArch: 'baichuan',
      tiedEmbeddings: r.bool('tie_word_embeddings', false),
      layers: zipLayers(
        repeat(nLayer, () => attention(heads, null)),
        repeat(nLayer, () => readDenseFfn(r)),
      ),
      tensorDetails: {},
    };
  },
};

export default baichuan;
