/**
 * EXAONE 4.0 (Exaone4ForCausalLM -> llama.cpp "exaone4"; conversion/exaone.py Exaone4Model,
 * src/models/exaone4.cpp). A post-norm block: no attn_norm / ffn_norm, but post_attention_norm and post_ffw_norm,
 * plus per-head q/k RMS norms. A "llama3" rope_scaling yields one rope_freqs.weight of head_dim / 2 floats.
 *
 * Sliding windows follow llama.cpp, not the config: load_arch_hparams turns SWA on only when the model has 64 layers
 * (EXAONE-4.0-32B), with n_swa = the GGUF sliding_window (4096 by default) and set_swa_pattern(4): layers
 * il % 4 < 3 slide, every 4th is global. The per-layer bool array the converter writes from layer_types /
 * sliding_window_pattern is an array key, which get_key_or_arr ignores, so the period stays 4. Any other depth
 * (the 30-layer 1.2B) is full attention on every layer.
 *
 * NextN blocks (num_nextn_predict_layers, the EXAONE 4.5 text model) are written after the layers and created with
 * TENSOR_SKIP (in the file, not in memory).
 */
import type { ConfigReader } from '../config-reader.ts';
import type { ArchFamily } from '../family.ts';
import { attention, readCore, readDenseFfn, readHeads, readLayerTypes, repeat, zipLayers, type HeadLayout } from '../shape-parts.ts';
import { feedForward } from '../tensor-parts.ts';

/** The only depth llama.cpp gives sliding windows (exaone4.cpp: `if (hparams.n_layer() == 64)`). */
const SWA_DEPTH = 64;
const SWA_PERIOD = 4;
const DEFAULT_SWA = 4096;

function isLlama3Rope(r: ConfigReader): boolean {
  const rs = r.nested('rope_scaling');
  return (rs?.optionalString('rope_type') ?? rs?.optionalString('type'))?.toLowerCase() === 'llama3';
}

/** Whether the config itself declares sliding layers (layer_types, or a sliding_window_pattern with a window). */
function configSlides(r: ConfigReader, nLayer: number): boolean {
  const types = readLayerTypes(r, nLayer);
  if (types) return types.includes('sliding_attention');
  return r.has('sliding_window') && r.has('sliding_window_pattern');
}

/** Per-layer window as llama.cpp's exaone4 loader sets it. */
function exaone4Windows(r: ConfigReader, nLayer: number, assume: (note: string) => void): (number | null)[] {
  if (nLayer !== SWA_DEPTH) {
    if (configSlides(r, nLayer)) {
      assume(`The config declares sliding-window layers, but llama.cpp's exaone4 loader uses sliding windows only for the 64-layer model; all ${nLayer} layers are taken as full attention.`);
    }
    return repeat(nLayer, () => null);
  }
  const window = r.int('sliding_window', { fallback: DEFAULT_SWA });
  assume(`llama.cpp's exaone4 loader slides ${SWA_PERIOD - 1} of every ${SWA_PERIOD} layers (il % 4 < 3) over ${window} tokens, whatever layer_types or sliding_window_pattern say.`);
  return repeat(nLayer, (il) => (il % SWA_PERIOD < SWA_PERIOD - 1 ? window : null));
}

function checkOutputWidth(r: ConfigReader, heads: HeadLayout, hidden: number, assume: (note: string) => void): void {
  if (heads.nHead * heads.headDim !== hidden) {
    assume(`${r.path('num_attention_heads')} x head_dim = ${heads.nHead * heads.headDim} differs from hidden_size ${hidden}: llama.cpp's exaone4 loader expects attn_output {n_embd, n_embd}, so such a GGUF would not load.`);
  }
}

const exaone4: ArchFamily = {
  architectures: ['Exaone4ForCausalLM'],
  ggufArchs: ['exaone4'],
  read: (r, assume) => {
    const core = readCore(r);
    const heads = readHeads(r, core.hiddenSize);
    checkOutputWidth(r, heads, core.hiddenSize, assume);
    const nNextn = r.int('num_nextn_predict_layers', { min: 0, fallback: 0 });
    const ffn = readDenseFfn(r);
    const windows = exaone4Windows(r, core.nLayer, assume);
    const blocks = zipLayers(
      repeat(core.nLayer + nNextn, (il) => attention(heads, windows[il] ?? null)),
      repeat(core.nLayer + nNextn, () => ffn),
    );
    return {
      ...core,
      ggufArch: 'exaone4',
      tiedEmbeddings: r.bool('tie_word_embeddings', false), // transformers Exaone4Config default
      layers: blocks.slice(0, core.nLayer),
      nextnLayers: blocks.slice(core.nLayer),
      tensorDetails: isLlama3Rope(r) ? { ropeFreqs: heads.headDim / 2 } : {},
    };
  },
  // exaone4.cpp load_arch_tensors, in its order: q/k/v (+ optional biases), wo, post_attention_norm, q/k norms,
  // gate/down/up, post_ffw_norm. NextN extras (eh_proj, enorm, hnorm, shared_head_norm) come from tensors.ts.
  blockTensors: (shape, layer, emit) => {
    const h = shape.hiddenSize;
    const a = layer.mixer;
    if (a.kind !== 'attention') return;
    const d = shape.tensorDetails ?? {};
    emit('attn_q.weight', [h, a.nHead * a.headDimK], 'attn');
    emit('attn_k.weight', [h, a.nHeadKv * a.headDimK], 'attn');
    emit('attn_v.weight', [h, a.nHeadKv * a.headDimV], 'attn');
    if (d.qkvBias) {
      emit('attn_q.bias', [a.nHead * a.headDimK], 'bias');
      emit('attn_k.bias', [a.nHeadKv * a.headDimK], 'bias');
      emit('attn_v.bias', [a.nHeadKv * a.headDimV], 'bias');
    }
    emit('attn_output.weight', [a.nHead * a.headDimV, h], 'attn');
    emit('post_attention_norm.weight', [h], 'norm');
    emit('attn_q_norm.weight', [a.headDimK], 'norm');
    emit('attn_k_norm.weight', [a.headDimK], 'norm');
    feedForward(shape, layer.ffn, d, emit);
    emit('post_ffw_norm.weight', [h], 'norm');
  },
};

export default exaone4;
