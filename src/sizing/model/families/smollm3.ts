/**
 * SmolLM3 (SmolLM3ForCausalLM -> llama.cpp "smollm3"; conversion/llama.py SmolLM3Model, a plain LlamaModel).
 *
 * A Llama-shaped GQA decoder whose every 4th layer skips RoPE (NoPE). The config says which layers in
 * no_rope_layers (1 = RoPE, 0 = NoPE; no_rope_layer_interval 4 in SmolLM3-3B), but the converter writes neither
 * key: llama.cpp hard-codes the pattern (src/models/smollm3.cpp: n_no_rope_layer_step = 4, RoPE unless
 * (il + 1) % 4 == 0). NoPE changes only the compute: every layer still has its KV cache, head_dim x
 * num_key_value_heads for K and for V, full context (llama.cpp's smollm3 has no sliding window).
 *
 * Tensors: the standard block (src/models/smollm3.cpp load_arch_tensors; biases only with attention_bias).
 * transformers' SmolLM3Config defaults tie_word_embeddings to true, and SmolLM3-3B's checkpoint has no
 * lm_head.weight (model.safetensors.index.json), so no output.weight. The smollm3 loader creates no
 * rope_freqs tensor.
 */
import type { ConfigReader } from '../config-reader.ts';
import type { ArchFamily } from '../family.ts';
import { attention, readCore, readDenseFfn, readHeads, readLayerTypes, repeat, zipLayers } from '../shape-parts.ts';

/** llama.cpp's NoPE layers: (il + 1) % 4 == 0 (src/models/smollm3.cpp). */
const LLAMA_CPP_NOPE_STEP = 4;

/** A note when the config's NoPE layers are not the ones llama.cpp will use. */
function checkNoPe(r: ConfigReader, nLayer: number, assume: (note: string) => void): void {
  const list = r.intList('no_rope_layers');
  const interval = r.optionalInt('no_rope_layer_interval');
  const usesRope = (il: number) => (il + 1) % LLAMA_CPP_NOPE_STEP !== 0;
  const differs =
    (list !== undefined && (list.length !== nLayer || list.some((v, il) => (v !== 0) !== usesRope(il)))) ||
    (list === undefined && interval !== undefined && interval !== LLAMA_CPP_NOPE_STEP);
  if (differs) {
    assume(`The config's NoPE layers (${r.path('no_rope_layers')}) differ from llama.cpp's fixed pattern (every ${LLAMA_CPP_NOPE_STEP}th layer); this changes compute only, not memory.`);
  }
}

const smollm3: ArchFamily = {
  architectures: ['SmolLM3ForCausalLM'],
  read: (r, assume) => {
    const core = readCore(r);
    const heads = readHeads(r, core.hiddenSize);
    checkNoPe(r, core.nLayer, assume);
    if (readLayerTypes(r, core.nLayer)?.includes('sliding_attention') || r.bool('use_sliding_window', false)) {
      assume("The config asks for sliding-window layers; llama.cpp's smollm3 graph has none and caches the full context on every layer.");
    }
    const bias = r.bool('attention_bias', false);
    return {
      ...core,
      ggufArch: 'smollm3',
      tiedEmbeddings: r.bool('tie_word_embeddings', true),
      layers: zipLayers(repeat(core.nLayer, () => attention(heads, null)), repeat(core.nLayer, () => readDenseFfn(r))),
      tensorDetails: { qkvBias: bias, attnOutputBias: bias },
    };
  },
};

export default smollm3;
