/**
 * EXAONE 3.0 / 3.5 (ExaoneForCausalLM -> llama.cpp "exaone"; conversion/exaone.py ExaoneModel,
 * src/models/exaone.cpp load_arch_tensors). A Llama-shaped block under GPT-2-style names (transformer.h.N.ln_1,
 * attn.attention.{q,k,v,out}_proj, ln_2, mlp.c_fc_0 / c_fc_1 / c_proj), so the GGUF is the standard decoder block.
 * The layer count is `num_layers` (the converter's block-count keys: n_layers, num_hidden_layers, n_layer, num_layers);
 * head_dim is explicit on 3.5 and hidden / heads on 3.0. A "llama3" rope_scaling (EXAONE 3.5) makes the converter
 * write rope_freqs.weight of head_dim / 2 floats (ExaoneModel.generate_extra_tensors).
 * tie_word_embeddings defaults to true (configuration_exaone.py ExaoneConfig; mlx-lm models/exaone.py ModelArgs):
 * the 2.4B config omits the key and its checkpoint has no lm_head; the loader then reuses token_embd as output.
 */
import type { ConfigReader } from '../config-reader.ts';
import type { ArchFamily } from '../family.ts';
import { attention, readDenseFfn, readHeads, repeat, zipLayers, type CoreSizes } from '../shape-parts.ts';

/** The converter takes the first of n_layers, num_hidden_layers, n_layer, num_layers (conversion/base.py). */
function exaoneLayers(r: ConfigReader): number {
  const key = ['n_layers', 'num_hidden_layers', 'n_layer', 'num_layers'].find((k) => r.has(k)) ?? 'num_layers';
  return r.int(key);
}

function exaoneCore(r: ConfigReader): CoreSizes {
  return {
    vocabSize: r.int('vocab_size'),
    hiddenSize: r.int('hidden_size'),
    nLayer: exaoneLayers(r),
    maxContext: r.int('max_position_embeddings'),
  };
}

function isLlama3Rope(r: ConfigReader): boolean {
  const rs = r.nested('rope_scaling');
  return (rs?.optionalString('rope_type') ?? rs?.optionalString('type'))?.toLowerCase() === 'llama3';
}

const exaone: ArchFamily = {
  architectures: ['ExaoneForCausalLM'],
  read: (r) => {
    const core = exaoneCore(r);
    const heads = readHeads(r, core.hiddenSize);
    return {
      ...core,
      ggufArch: 'exaone',
      tiedEmbeddings: r.bool('tie_word_embeddings', true),
      layers: zipLayers(
        repeat(core.nLayer, () => attention(heads, null)),
        repeat(core.nLayer, () => readDenseFfn(r)),
      ),
      tensorDetails: isLlama3Rope(r) ? { ropeFreqs: heads.headDim / 2 } : {},
    };
  },
};

export default exaone;
