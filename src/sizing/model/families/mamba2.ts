/**
 * Mamba-2 (Mamba2ForCausalLM -> llama.cpp "mamba2": mistralai/Mamba-Codestral-7B-v0.1, state-spaces/mamba2-*).
 * Every layer is a Mamba-2 mixer (state-space duality, multi-head, grouped B/C); no MLP, no attention.
 *
 * Converter (conversion/mamba.py Mamba2Model, config.json read raw; an "llm_config" is taken as the text config):
 * d_model = hidden_size | d_model | dim; expand = mamba_expand | expand (2); d_inner = mamba_d_ssm |
 * intermediate_size | d_inner (expand x d_model; asserted equal to it); n_group = n_groups (1); d_conv =
 * conv_kernel | d_conv (4); d_state = state_size | d_state (128); head_dim = mamba_d_head | head_dim (64); the head
 * count written as ssm.time_step_rank is d_inner / head_dim (num_heads is not read). The vocabulary is padded to
 * pad_vocab_size_multiple (16).
 *
 * Tensors (src/models/mamba2.cpp load_arch_tensors): token_embd, output_norm, output (optional); per block
 * attn_norm, ssm_in {n_embd, 2 d_inner + 2 G N + H}, ssm_conv1d {d_conv, d_inner + 2 G N} + bias (required),
 * ssm_dt.bias {H}, ssm_a / ssm_d {1, H}, ssm_norm {d_inner / G, G} (required), ssm_out {d_inner, n_embd}:
 * the same mixer as Granite 4.0-H's (granitehybrid.ts mamba2Tensors).
 *
 * Recurrent state per layer (src/llama-hparams.cpp n_embd_r / n_embd_s): r = (d_conv - 1) x (d_inner + 2 G N),
 * s = d_state x d_inner, F32, one of each per sequence.
 */
import type { ConfigReader } from '../config-reader.ts';
import type { ArchFamily } from '../family.ts';
import { denseFfn, repeat, zipLayers } from '../shape-parts.ts';
import { mamba2Layer, mamba2Of, mamba2Tensors, type Mamba2Shape } from './granitehybrid.ts';
import { RECURRENT_CONTEXT, blockCount, firstKey, intOf, paddedVocab, recurrentGlobals } from './mamba.ts';

const INNER_KEYS = ['mamba_d_ssm', 'intermediate_size', 'd_inner'] as const;

function readMamba2(r: ConfigReader, hidden: number, assume: (note: string) => void): Mamba2Shape {
  const expand = intOf(r, ['mamba_expand', 'expand'], 2);
  const dInner = intOf(r, INNER_KEYS, expand * hidden);
  // Mamba2Model.set_gguf_parameters: assert d_inner == expand * d_model and d_inner % head_dim == 0.
  if (dInner !== expand * hidden) r.fail(firstKey(r, INNER_KEYS) ?? 'intermediate_size', `must be expand x hidden_size (${expand * hidden}), as llama.cpp's converter asserts`, dInner);
  const headDim = intOf(r, ['mamba_d_head', 'head_dim'], 64);
  if (dInner % headDim !== 0) r.fail(firstKey(r, ['mamba_d_head', 'head_dim']) ?? 'head_dim', `must divide d_inner (${dInner})`, headDim);
  const nHead = dInner / headDim;
  const declared = r.optionalInt('num_heads');
  if (declared !== undefined && declared !== nHead) {
    assume(`${r.path('num_heads')} ${declared} is not read by llama.cpp's converter: it writes d_inner / head_dim = ${nHead} heads.`);
  }
  const m: Mamba2Shape = {
    dInner,
    dState: intOf(r, ['state_size', 'd_state'], 128),
    nGroup: intOf(r, ['n_groups'], 1),
    nHead,
    convKernel: intOf(r, ['conv_kernel', 'd_conv'], 4),
    // mamba2.cpp creates the conv bias and the grouped norm with flag 0: both are always in the file.
    convBias: true,
    norm: true,
  };
  if (dInner % m.nGroup !== 0) r.fail('n_groups', `must divide d_inner (${dInner})`, m.nGroup);
  if (!r.bool('use_conv_bias', true)) assume(`${r.path('use_conv_bias')} is false: llama.cpp's mamba2 loader requires ssm_conv1d.bias, so such a file would not load; the bias is listed.`);
  if (r.bool('use_bias', false)) assume(`${r.path('use_bias')} is true: llama.cpp has no in/out projection bias for mamba2; the biases are left out.`);
  return m;
}

/** The text config: Mamba2Model moves an "llm_config" to text_config. */
function textOf(r: ConfigReader): ConfigReader {
  return r.nested('llm_config') ?? r;
}

const mamba2: ArchFamily = {
  architectures: ['Mamba2ForCausalLM'],
  ggufArchs: ['mamba2'],
  read: (outer, assume) => {
    const r = textOf(outer);
    const hiddenSize = intOf(r, ['hidden_size', 'd_model', 'dim']);
    const nLayer = blockCount(r);
    const mixer = mamba2Layer(readMamba2(r, hiddenSize, assume));
    assume(`No trained context in a Mamba-2 config: ${RECURRENT_CONTEXT.toLocaleString('en-US')} tokens taken, the context llama.cpp's converter writes; the state does not grow with it.`);
    return {
      vocabSize: paddedVocab(r, 16, assume),
      hiddenSize,
      nLayer,
      maxContext: RECURRENT_CONTEXT,
      ggufArch: 'mamba2',
      // Both released configs say it (mamba2-130m true, Mamba-Codestral false with its own lm_head); absent, the
      // default of transformers' Mamba2Config (false) is taken: Mamba2Model writes lm_head whenever it exists.
      tiedEmbeddings: r.bool('tie_word_embeddings', false),
      layers: zipLayers(repeat(nLayer, () => mixer), repeat(nLayer, () => denseFfn(0))),
      tensorDetails: {},
    };
  },
  globalTensors: recurrentGlobals,
  blockTensors: (shape, layer, emit) => {
    emit('attn_norm.weight', [shape.hiddenSize], 'norm');
    mamba2Tensors(shape.hiddenSize, mamba2Of(layer.mixer.kind === 'recurrent' ? layer.mixer : null, layer.index), emit);
  },
};

export default mamba2;
