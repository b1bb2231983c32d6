/**
 * TII Falcon-H1 (FalconH1ForCausalLM -> llama.cpp "falcon-h1"; 0.5B to 34B). Every layer runs GQA attention and a
 * Mamba-2 mixer in parallel on the same normed input, then a SwiGLU MLP. So every layer has both a KV cache and a
 * recurrent state: llama.cpp marks all layers recurrent (src/models/falcon-h1.cpp load_arch_hparams fills is_recr)
 * and its hybrid memory gives each layer an attention cache too (llama-model.cpp create_memory, falcon-h1 filters).
 * Here each layer's mixer is the attention and `state` (LayerShape.state) is the Mamba-2 state.
 *
 * Converter (conversion/falcon_h1.py FalconH1Model on mamba.py Mamba2Model, config.json read raw, keys also tried
 * with a "mamba_" prefix): d_inner = mamba_d_ssm; SSM heads H = d_inner / mamba_d_head; state = mamba_d_state
 * (default 128); conv = mamba_d_conv (default 4); groups = mamba_n_groups; attention key/value length = head_dim.
 * The muP multipliers are folded into the weights (no shape change). ssm_norm exists when mamba_rms_norm; the conv
 * bias when mamba_conv_bias. The pre-MLP norm is written without ".weight" (pre_ff_layernorm.weight maps as a whole
 * to FFN_PRE_NORM "blk.N.ffn_norm", and the loader asks for tn(LLM_TENSOR_FFN_NORM, i) with no suffix).
 * Tensors and their order: src/models/falcon-h1.cpp load_arch_tensors.
 */
import type { ConfigReader } from '../config-reader.ts';
import type { ArchFamily } from '../family.ts';
import type { Emit } from '../tensor-parts.ts';
import { attention, readCore, readDenseFfn, readHeads, repeat, type CoreSizes } from '../shape-parts.ts';
import type { LayerShape, ModelShape } from '../../types.ts';
import { mamba2Layer, mamba2Of, mamba2Tensors, type Mamba2Shape } from './granitehybrid.ts';

function readMamba2(r: ConfigReader, core: CoreSizes, assume: (note: string) => void): Mamba2Shape {
  let dInner: number;
  if (r.has('mamba_d_ssm')) dInner = r.int('mamba_d_ssm');
  else {
    dInner = r.int('mamba_expand', { fallback: 2 }) * core.hiddenSize;
    assume(`${r.path('mamba_d_ssm')} not given: d_inner = mamba_expand x hidden_size = ${dInner} (FalconH1Config); llama.cpp's converter needs the key.`);
  }
  const headDim = r.int('mamba_d_head');
  if (dInner % headDim !== 0) r.fail('mamba_d_head', `must divide mamba_d_ssm (${dInner})`, headDim);
  const nGroup = r.int('mamba_n_groups');
  if (dInner % nGroup !== 0) r.fail('mamba_n_groups', `must divide mamba_d_ssm (${dInner})`, nGroup);
  if (r.bool('projectors_bias', false) || r.bool('mamba_proj_bias', false)) {
    assume('The Mamba in/out projections have biases in this config: llama.cpp\'s falcon-h1 loader has none, so such a file would not load; they are left out.');
  }
  return {
    dInner,
    dState: r.int('mamba_d_state', { fallback: 128 }),
    nGroup,
    // Mamba2Model.set_gguf_parameters: ssm.time_step_rank = d_inner // mamba_d_head.
    nHead: dInner / headDim,
    convKernel: r.int('mamba_d_conv', { fallback: 4 }),
    convBias: r.bool('mamba_conv_bias', true),
    norm: r.bool('mamba_rms_norm', false),
  };
}

/** The details read needs again in block: attention and MLP biases (falcon-h1.cpp loads both as optional). */
function biases(shape: ModelShape): { attn: boolean; mlp: boolean } {
  const d = shape.tensorDetails ?? {};
  return { attn: d.qkvBias ?? false, mlp: (d as { mlpBias?: boolean }).mlpBias ?? false };
}

function block(shape: ModelShape, layer: LayerShape, emit: Emit): void {
  const h = shape.hiddenSize;
  const a = layer.mixer;
  if (a.kind !== 'attention' || layer.ffn.kind !== 'dense') return;
  const bias = biases(shape);
  mamba2Tensors(h, mamba2Of(layer.state, layer.index), emit);
  const q = a.nHead * a.headDimK;
  const kv = a.nHeadKv * a.headDimK;
  emit('attn_q.weight', [h, q], 'attn');
  emit('attn_k.weight', [h, kv], 'attn');
  emit('attn_v.weight', [h, a.nHeadKv * a.headDimV], 'attn');
  if (bias.attn) {
    emit('attn_q.bias', [q], 'bias');
    emit('attn_k.bias', [kv], 'bias');
    emit('attn_v.bias', [a.nHeadKv * a.headDimV], 'bias');
  }
  emit('attn_output.weight', [q, h], 'attn');
  if (bias.attn) emit('attn_output.bias', [h], 'bias');
  emit('attn_norm.weight', [h], 'norm');
  emit('ffn_norm', [h], 'norm');
  const ff = layer.ffn.ff;
  emit('ffn_gate.weight', [h, ff], 'ffn');
  emit('ffn_down.weight', [ff, h], 'ffn');
  emit('ffn_up.weight', [h, ff], 'ffn');
  if (bias.mlp) {
    emit('ffn_gate.bias', [ff], 'bias');
    emit('ffn_down.bias', [h], 'bias');
    emit('ffn_up.bias', [ff], 'bias');
  }
}

const falconH1: ArchFamily = {
  architectures: ['FalconH1ForCausalLM'],
  ggufArchs: ['falcon-h1'],
  read: (r, assume) => {
    const core = readCore(r);
    const heads = readHeads(r, core.hiddenSize);
    const state = mamba2Layer(readMamba2(r, core, assume));
    const ffn = readDenseFfn(r);
    const attnBias = r.bool('attention_bias', false);
    const layers = repeat(core.nLayer, (index): LayerShape => ({ index, mixer: attention(heads, null), ffn, state }));
    const details = { qkvBias: attnBias, attnOutputBias: attnBias, mlpBias: r.bool('mlp_bias', false) };
    return {
      ...core,
      ggufArch: 'falcon-h1',
      // FalconH1Config: tie_word_embeddings defaults to false; the released models keep a separate lm_head.
      tiedEmbeddings: r.bool('tie_word_embeddings', false),
      layers,
      tensorDetails: details,
    };
  },
  // falcon-h1.cpp creates output (optional) before output_norm.
  globalTensors: (shape, emit) => {
    const h = shape.hiddenSize;
    emit('token_embd.weight', [h, shape.vocabSize], 'token_embd');
    if (!shape.tiedEmbeddings) emit('output.weight', [h, shape.vocabSize], 'output');
    emit('output_norm.weight', [h], 'norm');
  },
  blockTensors: block,
};

export default falconH1;
