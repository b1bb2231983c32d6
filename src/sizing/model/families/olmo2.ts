/**
 * AllenAI OLMo 2 and OLMo 3 (Olmo2ForCausalLM, Olmo3ForCausalLM -> llama.cpp "olmo2"; conversion/olmo.py
 * Olmo2Model). Post-norm blocks: no attn_norm / ffn_norm; RMS norms after attention (post_attention_norm) and after
 * the MLP (post_ffw_norm), and q/k RMS norms over the whole projection rather than per head: attn_q_norm {n_embd},
 * attn_k_norm {n_head_kv x n_embd / n_head} (src/models/olmo2.cpp load_arch_tensors; the loader shapes q and o as
 * {n_embd, n_embd}). The output head is required (no tied fallback in the loader).
 *
 * Sliding windows: the converter writes attention.sliding_window when the (AutoConfig) config has the key, which
 * Olmo3Config always does (default 4096) and Olmo2Config never does. The loader then uses a period of 4 (layer il
 * local when il % 4 < 3): the per-layer bool array the converter also writes is ignored, because get_key_or_arr
 * does not read an array into a scalar (llama-model-loader.cpp). OLMo 3's layer_types follow the same period.
 */
import type { ConfigReader } from '../config-reader.ts';
import type { ArchFamily } from '../family.ts';
import type { Emit } from '../tensor-parts.ts';
import { attention, readCore, readDenseFfn, readHeads, repeat, zipLayers } from '../shape-parts.ts';
import type { LayerShape, ModelShape } from '../../types.ts';

const SWA_PERIOD = 4;

/** transformers Olmo3Config: sliding_window defaults to 4096. */
const OLMO3_DEFAULT_WINDOW = 4096;

function slidingWindow(r: ConfigReader, olmo3: boolean, assume: (note: string) => void): number | null {
  const w = r.optionalInt('sliding_window');
  if (w !== undefined) return w;
  if (!olmo3) return null;
  assume(`${r.path('sliding_window')} not given: ${OLMO3_DEFAULT_WINDOW} assumed (transformers Olmo3Config's default).`);
  return OLMO3_DEFAULT_WINDOW;
}

/** Per-layer windows: llama.cpp's period of 4, with a note when layer_types lays them out otherwise. */
function windows(r: ConfigReader, nLayer: number, window: number | null, assume: (note: string) => void): (number | null)[] {
  if (window === null) return repeat(nLayer, () => null);
  const local = repeat(nLayer, (il) => il % SWA_PERIOD < SWA_PERIOD - 1);
  const declared = r.stringList('layer_types', nLayer);
  if (declared && declared.some((t, il) => (t === 'sliding_attention') !== local[il])) {
    assume(`${r.path('layer_types')} lays out sliding layers differently from llama.cpp, which ignores that list for olmo2 and uses a period of ${SWA_PERIOD} (three sliding, one full); sized as llama.cpp runs it.`);
  }
  return local.map((l) => (l ? window : null));
}

function block(shape: ModelShape, layer: LayerShape, emit: Emit): void {
  const h = shape.hiddenSize;
  const a = layer.mixer;
  if (a.kind !== 'attention' || layer.ffn.kind !== 'dense') return;
  const kv = a.nHeadKv * a.headDimK;
  emit('attn_q.weight', [h, h], 'attn');
  emit('attn_k.weight', [h, kv], 'attn');
  emit('attn_v.weight', [h, kv], 'attn');
  if (shape.tensorDetails?.qkvBias) {
    emit('attn_q.bias', [h], 'bias');
    emit('attn_k.bias', [kv], 'bias');
    emit('attn_v.bias', [kv], 'bias');
  }
  emit('attn_output.weight', [h, h], 'attn');
  emit('attn_q_norm.weight', [h], 'norm');
  emit('attn_k_norm.weight', [kv], 'norm');
  emit('post_attention_norm.weight', [h], 'norm');
  const ff = layer.ffn.ff;
  emit('ffn_gate.weight', [h, ff], 'ffn');
  emit('ffn_up.weight', [h, ff], 'ffn');
  emit('ffn_down.weight', [ff, h], 'ffn');
  emit('post_ffw_norm.weight', [h], 'norm');
}

const olmo2: ArchFamily = {
  architectures: ['Olmo2ForCausalLM', 'Olmo3ForCausalLM'],
  ggufArchs: ['olmo2'],
  read: (r, assume) => {
    const core = readCore(r);
    const heads = readHeads(r, core.hiddenSize);
    if (heads.nHead * heads.headDim !== core.hiddenSize) {
      r.fail('head_dim', `x num_attention_heads must equal hidden_size (${core.hiddenSize}): llama.cpp's olmo2 loader shapes q and o as hidden_size x hidden_size`, heads.headDim);
    }
    const archs = r.raw('architectures');
    const olmo3 = r.optionalString('model_type') === 'olmo3' || (Array.isArray(archs) && archs[0] === 'Olmo3ForCausalLM');
    const window = slidingWindow(r, olmo3, assume);
    const bias = r.bool('attention_bias', false);
    if (bias) assume(`${r.path('attention_bias')} is true: llama.cpp's olmo2 loader takes q/k/v biases but no o_proj bias, so such a file would not load.`);
    if (r.bool('tie_word_embeddings', false)) {
      assume(`${r.path('tie_word_embeddings')} is true, but llama.cpp's olmo2 loader requires output.weight; the head is counted as a separate tensor.`);
    }
    return {
      ...core,
      ggufArch: 'olmo2',
      tiedEmbeddings: false,
      layers: zipLayers(
        windows(r, core.nLayer, window, assume).map((w) => attention(heads, w)),
        repeat(core.nLayer, () => readDenseFfn(r)),
      ),
      tensorDetails: { qkvBias: bias },
    };
  },
  blockTensors: block,
};

export default olmo2;
