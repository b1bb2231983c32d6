/**
 * Mamba-1 (MambaForCausalLM, MambaLMHeadModel, FalconMambaForCausalLM -> llama.cpp "mamba": state-spaces/mamba-*-hf,
 * tiiuae/falcon-mamba-7b). Every layer is a selective-state-space mixer with no MLP and no attention.
 *
 * Converter (conversion/mamba.py MambaModel, which reads config.json raw, without transformers' defaults):
 * d_model = hidden_size | d_model; d_conv = conv_kernel | d_conv (4); d_inner = intermediate_size | d_inner
 * (2 x d_model, and it asserts d_inner == 2 x d_model); d_state = state_size | d_state (16); dt_rank =
 * time_step_rank | dt_rank (ceil(d_model / 16)); layers = n_layers | num_hidden_layers | n_layer | num_layers
 * (TextModel.block_count). The vocabulary is padded up to pad_vocab_size_multiple (8) in set_vocab. The context is
 * written as 2^20: a recurrent model has no trained window. output.weight is omitted when it equals the embedding.
 *
 * Tensors, in load order (src/models/mamba.cpp load_arch_tensors): token_embd, output_norm, output (optional); per
 * block attn_norm, ssm_in {n_embd, 2 d_inner}, ssm_conv1d {d_conv, d_inner} + bias, ssm_x {d_inner, dt_rank + 2
 * d_state}, ssm_dt {dt_rank, d_inner} + bias, ssm_a {d_state, d_inner} and ssm_d {d_inner} (no ".weight": A is stored
 * as -exp(A_log)), ssm_out {d_inner, n_embd}. The conv bias is required by the loader.
 *
 * Recurrent state per layer (src/llama-hparams.cpp n_embd_r / n_embd_s; mamba has no ssm_n_group, so 0):
 * r = (d_conv - 1) x d_inner conv rows, s = d_state x d_inner SSM state, both F32, one of each per sequence.
 */
import type { ConfigReader } from '../config-reader.ts';
import type { ArchFamily, GlobalEmit } from '../family.ts';
import type { Emit } from '../tensor-parts.ts';
import { denseFfn, repeat, zipLayers } from '../shape-parts.ts';
import { SizingError } from '../../errors.ts';
import type { LayerShape, ModelShape, RecurrentLayer } from '../../types.ts';

/** The context llama.cpp's converter writes for every recurrent model (no trained window). */
export const RECURRENT_CONTEXT = 2 ** 20;

/** A Mamba-1 mixer's sizes, as llama.cpp's ssm.* keys hold them. */
export interface Mamba1Shape {
  dInner: number;
  dState: number;
  dConv: number;
  dtRank: number;
}

/** A Mamba-1 layer carrying its sizes so its tensors can be listed (types.ts has no slot for them). */
export interface Mamba1Layer extends RecurrentLayer {
  mamba1: Mamba1Shape;
}

export function mamba1Layer(m: Mamba1Shape): Mamba1Layer {
  return {
    kind: 'recurrent',
    variant: 'mamba',
    stateElementsR: (m.dConv - 1) * m.dInner,
    stateElementsS: m.dState * m.dInner,
    mamba1: m,
  };
}

function mamba1Of(layer: LayerShape): Mamba1Shape {
  const m = layer.mixer;
  if (m.kind === 'recurrent' && 'mamba1' in m) return (m as Mamba1Layer).mamba1;
  throw new SizingError(`layer ${layer.index}: a Mamba layer without its sizes (a shape not read from a config.json) cannot list its tensors`, 'layers');
}

/** The first of `keys` the config has (the converter's find_hparam order). */
export function firstKey(r: ConfigReader, keys: readonly string[]): string | undefined {
  return keys.find((k) => r.has(k));
}

/** An integer under the first of `keys` present; `fallback` when none is. */
export function intOf(r: ConfigReader, keys: readonly string[], fallback?: number): number {
  const key = firstKey(r, keys);
  if (key !== undefined) return r.int(key);
  if (fallback !== undefined) return fallback;
  return r.int(keys[0]!); // throws, naming the first key
}

/** Layer count as TextModel.block_count finds it. */
export function blockCount(r: ConfigReader): number {
  return intOf(r, ['n_layers', 'num_hidden_layers', 'n_layer', 'num_layers']);
}

/** vocab_size rounded up to pad_vocab_size_multiple, as Mamba(2)Model.set_vocab does. */
export function paddedVocab(r: ConfigReader, defaultMultiple: number, assume: (note: string) => void): number {
  const vocab = r.int('vocab_size');
  const multiple = r.int('pad_vocab_size_multiple', { fallback: defaultMultiple });
  const padded = Math.ceil(vocab / multiple) * multiple;
  if (padded !== vocab) assume(`${r.path('vocab_size')} ${vocab} padded to ${padded}, a multiple of ${multiple}, as llama.cpp's converter writes the vocabulary.`);
  return padded;
}

function readMamba1(r: ConfigReader, hidden: number): Mamba1Shape {
  const dInner = intOf(r, ['intermediate_size', 'd_inner'], 2 * hidden);
  // MambaModel.set_gguf_parameters asserts it; mamba.cpp: "only an expansion factor of 2 is supported for now".
  if (dInner !== 2 * hidden) r.fail(firstKey(r, ['intermediate_size', 'd_inner']) ?? 'intermediate_size', `must be 2 x hidden_size (${2 * hidden}): llama.cpp supports only an expansion of 2`, dInner);
  return {
    dInner,
    dState: intOf(r, ['state_size', 'd_state'], 16),
    dConv: intOf(r, ['conv_kernel', 'd_conv'], 4),
    dtRank: intOf(r, ['time_step_rank', 'dt_rank'], Math.ceil(hidden / 16)),
  };
}

/** One Mamba-1 block, src/models/mamba.cpp order. */
function block(shape: ModelShape, layer: LayerShape, emit: Emit): void {
  const h = shape.hiddenSize;
  const m = mamba1Of(layer);
  emit('attn_norm.weight', [h], 'norm');
  emit('ssm_in.weight', [h, 2 * m.dInner], 'recurrent');
  emit('ssm_conv1d.weight', [m.dConv, m.dInner], 'recurrent');
  emit('ssm_conv1d.bias', [m.dInner], 'bias');
  emit('ssm_x.weight', [m.dInner, m.dtRank + 2 * m.dState], 'recurrent');
  emit('ssm_dt.weight', [m.dtRank, m.dInner], 'recurrent');
  emit('ssm_dt.bias', [m.dInner], 'bias');
  emit('ssm_a', [m.dState, m.dInner], 'recurrent');
  emit('ssm_d', [m.dInner], 'recurrent');
  emit('ssm_out.weight', [m.dInner, h], 'recurrent');
}

/** token_embd, output_norm, output (when untied): the loader's order for mamba and mamba2. */
export function recurrentGlobals(shape: ModelShape, emit: GlobalEmit): void {
  const h = shape.hiddenSize;
  emit('token_embd.weight', [h, shape.vocabSize], 'token_embd');
  emit('output_norm.weight', [h], 'norm');
  if (!shape.tiedEmbeddings) emit('output.weight', [h, shape.vocabSize], 'output');
}

const mamba: ArchFamily = {
  architectures: ['MambaForCausalLM', 'MambaLMHeadModel', 'FalconMambaForCausalLM'],
  ggufArchs: ['mamba'],
  read: (r, assume) => {
    const hiddenSize = intOf(r, ['hidden_size', 'd_model']);
    const nLayer = blockCount(r);
    const mixer = mamba1Layer(readMamba1(r, hiddenSize));
    if (r.optionalString('model_type') === 'falcon_mamba') {
      assume('FalconMamba: llama.cpp applies parameter-free RMS norms to dt, B and C (ssm_dt_b_c_rms); no extra tensor.');
    }
    assume(`No trained context in a Mamba config: ${RECURRENT_CONTEXT.toLocaleString('en-US')} tokens taken, the context llama.cpp's converter writes; the state does not grow with it.`);
    return {
      vocabSize: paddedVocab(r, 8, assume),
      hiddenSize,
      nLayer,
      maxContext: RECURRENT_CONTEXT,
      ggufArch: 'mamba',
      // MambaConfig (PretrainedConfig) ties by default; the converter drops output.weight when it equals token_embd.
      tiedEmbeddings: r.bool('tie_word_embeddings', true),
      // No MLP: a zero-width dense FFN writes no tensor.
      layers: zipLayers(repeat(nLayer, () => mixer), repeat(nLayer, () => denseFfn(0))),
      tensorDetails: {},
    };
  },
  globalTensors: recurrentGlobals,
  blockTensors: block,
};

export default mamba;
