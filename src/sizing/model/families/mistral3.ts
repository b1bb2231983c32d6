/**
 * Mistral 3 multimodal checkpoints (Mistral3ForConditionalGeneration: Mistral-Small-3.1-24B-Instruct-2503,
 * 3.2-24B-Instruct-2506, Magistral / Devstral releases in this format) and Ministral3ForCausalLM -> llama.cpp
 * "mistral3". The text model is a Llama-shaped GQA decoder (head_dim given explicitly: 32 x 128 = 4096 on a 5120-wide
 * model); the Pixtral vision tower and the multimodal projector go to a separate mmproj GGUF.
 *
 * Converter (conversion/mistral3.py Mistral3Model): the text config (merged text_config) is converted by
 * Ministral3Model, a LlamaModel writing arch "mistral3"; text model_type "mistral4" is a different, DeepSeek-V2-style
 * model (arch "mistral4") and is refused here. History: up to llama.cpp cd3c11890 (2025-12-01) the converter wrote these
 * checkpoints as "llama", and until d34ff7eb5 (2026-03-17) it still did for non-ministral3 text (Mistral-Small 3.x), so
 * most 2025 GGUFs of Mistral-Small 3.x say "llama": their tensors are the same list.
 *
 * Tensors (src/models/mistral3.cpp load_arch_tensors): token_embd, output_norm, output (optional: tied falls back to
 * token_embd); per block attn_norm, q/k/v, attn_output, ffn_norm, ffn_gate/down/up (the standard decoder block). The
 * loader has no sliding-window cache: every layer caches the whole context. rope_freqs only comes with llama3 rope
 * scaling (LlamaModel), which no released Mistral 3 config uses.
 */
import type { ArchFamily } from '../family.ts';
import { attention, readCore, readDenseFfn, readHeads, repeat, zipLayers } from '../shape-parts.ts';

const mistral3: ArchFamily = {
  architectures: ['Mistral3ForConditionalGeneration', 'Ministral3ForCausalLM'],
  read: (r, assume) => {
    const modelType = r.optionalString('model_type');
    if (modelType === 'mistral4') {
      r.fail('model_type', 'is "mistral4", a DeepSeek-V2-style model (llama.cpp arch "mistral4") that this reader does not size', modelType);
    }
    const core = readCore(r);
    const heads = readHeads(r, core.hiddenSize);
    const window = r.optionalInt('sliding_window');
    if (window !== undefined && window < core.maxContext) {
      assume(`${r.path('sliding_window')} ${window} is not applied by llama.cpp (arch "mistral3" has no sliding-window cache): every layer caches the full context.`);
    }
    const ropeType = r.nested('rope_parameters')?.optionalString('rope_type') ?? r.nested('rope_scaling')?.optionalString('rope_type');
    const ropeFreqs = ropeType === 'llama3' ? heads.headDim / 2 : undefined;
    return {
      ...core,
      ggufArch: 'mistral3',
      // MistralConfig / Ministral3Config default; Mistral-Small 3.x sets no key and ships lm_head.
      tiedEmbeddings: r.bool('tie_word_embeddings', false),
      layers: zipLayers(repeat(core.nLayer, () => attention(heads, null)), repeat(core.nLayer, () => readDenseFfn(r))),
      tensorDetails: ropeFreqs === undefined ? {} : { ropeFreqs },
    };
  },
};

export default mistral3;
