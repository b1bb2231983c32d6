/**
 * Jamba (JambaForCausalLM -> llama.cpp "jamba"; conversion/jamba.py JambaModel, src/models/jamba.cpp).
 * Mamba-1 layers, with attention on layer i when i >= attn_layer_offset and (i - offset) % attn_layer_period == 0
 * (the converter writes head_count_kv per layer, 0 on Mamba layers, and the loader marks a layer recurrent iff its
 * n_head_kv is 0). The MLP is MoE on layer i when i >= expert_layer_offset and (i - offset) % expert_layer_period
 * == 0 (ffn_gate_inp present), else a dense SwiGLU of the same intermediate_size. Jamba-v0.1: 4 attention layers
 * (4, 12, 20, 28) of 32, MoE of 16 experts (top 2) on the odd layers.
 *
 * Mamba-1 sizes (converter): d_inner = mamba_expand x hidden_size (the loader asserts 2 x n_embd), d_conv
 * mamba_d_conv (4), d_state mamba_d_state (16), dt_rank mamba_dt_rank (else ceil(hidden / 16)). Its state per
 * sequence (llama-hparams.cpp n_embd_r / n_embd_s; ssm_n_group is never read for jamba, so 0):
 * r = (d_conv - 1) x d_inner, s = d_state x d_inner, both F32.
 * Defaults are transformers' JambaConfig, which the converter's AutoConfig load applies.
 */
import type { ConfigReader } from '../config-reader.ts';
import type { ArchFamily } from '../family.ts';
import { attention, denseFfn, ffnPerLayer, readHeads, readMoe, repeat, zipLayers, type CoreSizes } from '../shape-parts.ts';
import { feedForward, standardAttention, type Emit } from '../tensor-parts.ts';
import type { LayerShape, ModelShape, RecurrentLayer } from '../../types.ts';

/** The Mamba-1 dimensions a layer's tensors need: RecurrentLayer only has a field for Gated DeltaNet's layout, so the reader attaches them to the layer object. */
interface Mamba1Dims {
  dInner: number;
  dState: number;
  dConv: number;
  dtRank: number;
}

type Mamba1Layer = RecurrentLayer & { mamba1: Mamba1Dims };

function isMamba1(m: LayerShape['mixer']): m is Mamba1Layer {
  return m.kind === 'recurrent' && 'mamba1' in m;
}

function jambaCore(r: ConfigReader): CoreSizes {
  const ctxKey = r.has('max_position_embeddings') ? 'max_position_embeddings' : 'n_ctx'; // converter order
  return {
    vocabSize: r.int('vocab_size'),
    hiddenSize: r.int('hidden_size'),
    nLayer: r.int('num_hidden_layers'),
    maxContext: r.int(ctxKey, { fallback: 262144 }), // JambaConfig max_position_embeddings default
  };
}

/** dt_rank: an int, or "auto" = ceil(hidden / 16) (transformers JambaConfig; the converter's fallback). */
function dtRank(r: ConfigReader, hidden: number): number {
  const raw = r.raw('mamba_dt_rank');
  if (raw === undefined || raw === 'auto') return Math.ceil(hidden / 16);
  return r.int('mamba_dt_rank');
}

function mamba1(r: ConfigReader, hidden: number, assume: (note: string) => void): Mamba1Layer {
  const expand = r.int('mamba_expand', { fallback: 2 });
  if (expand !== 2) assume(`${r.path('mamba_expand')} ${expand}: llama.cpp's jamba loader only supports an expansion of 2 (it asserts d_inner = 2 x n_embd).`);
  if (!r.bool('mamba_conv_bias', true)) assume("mamba_conv_bias is false: llama.cpp's jamba loader requires ssm_conv1d.bias, so such a GGUF would not load.");
  if (!r.bool('mamba_inner_layernorms', true)) assume("mamba_inner_layernorms is false: llama.cpp's jamba loader requires the dt/B/C norms, so such a GGUF would not load.");
  if (r.bool('mamba_proj_bias', false)) assume('mamba_proj_bias is true: the in/out projection biases are not listed (llama.cpp has no tensor for them).');
  const dims: Mamba1Dims = {
    dInner: expand * hidden,
    dState: r.int('mamba_d_state', { fallback: 16 }),
    dConv: r.int('mamba_d_conv', { fallback: 4 }),
    dtRank: dtRank(r, hidden),
  };
  return {
    kind: 'recurrent',
    variant: 'mamba',
    stateElementsR: (dims.dConv - 1) * dims.dInner,
    stateElementsS: dims.dState * dims.dInner,
    mamba1: dims,
  };
}

/** i >= offset and (i - offset) % period == 0, as the converter lays out attention and experts. */
function periodic(r: ConfigReader, nLayer: number, offsetKey: string, periodKey: string, offset: number, period: number): boolean[] {
  const o = r.int(offsetKey, { min: 0, fallback: offset });
  const p = r.int(periodKey, { fallback: period });
  return repeat(nLayer, (il) => il >= o && (il - o) % p === 0);
}

/** src/models/jamba.cpp load_arch_tensors, Mamba branch, in its order. */
function mambaTensors(shape: ModelShape, m: Mamba1Dims, emit: Emit): void {
  const h = shape.hiddenSize;
  emit('ssm_in.weight', [h, 2 * m.dInner], 'recurrent');
  emit('ssm_conv1d.weight', [m.dConv, m.dInner], 'recurrent');
  emit('ssm_conv1d.bias', [m.dInner], 'bias');
  emit('ssm_x.weight', [m.dInner, m.dtRank + 2 * m.dState], 'recurrent');
  emit('ssm_dt_norm.weight', [m.dtRank], 'norm');
  emit('ssm_dt.weight', [m.dtRank, m.dInner], 'recurrent');
  emit('ssm_dt.bias', [m.dInner], 'bias');
  emit('ssm_b_norm.weight', [m.dState], 'norm');
  emit('ssm_c_norm.weight', [m.dState], 'norm');
  emit('ssm_a', [m.dState, m.dInner], 'recurrent');
  emit('ssm_d', [m.dInner], 'recurrent');
  emit('ssm_out.weight', [m.dInner, h], 'recurrent');
}

const jamba: ArchFamily = {
  architectures: ['JambaForCausalLM'],
  ggufArchs: ['jamba'],
  read: (r, assume) => {
    const core = jambaCore(r);
    const heads = readHeads(r, core.hiddenSize);
    const headDim = core.hiddenSize / heads.nHead; // the loader sizes attn_q / attn_output {n_embd, n_embd}
    const isAttn = periodic(r, core.nLayer, 'attn_layer_offset', 'attn_layer_period', 4, 8);
    const isMoe = periodic(r, core.nLayer, 'expert_layer_offset', 'expert_layer_period', 1, 2);
    const ssm = mamba1(r, core.hiddenSize, assume);
    const ffns = ffnPerLayer(
      isMoe,
      () => readMoe(r, { nExpert: 'num_experts', expertFf: 'intermediate_size' }),
      () => denseFfn(r.int('intermediate_size')),
    );
    return {
      ...core,
      ggufArch: 'jamba',
      tiedEmbeddings: r.bool('tie_word_embeddings', false),
      layers: zipLayers(
        isAttn.map((a) => (a ? attention({ ...heads, headDim }, null) : ssm)),
        ffns,
      ),
      tensorDetails: {},
    };
  },
  blockTensors: (shape, layer, emit) => {
    const d = shape.tensorDetails ?? {};
    const m = layer.mixer;
    emit('attn_norm.weight', [shape.hiddenSize], 'norm');
    if (isMamba1(m)) mambaTensors(shape, m.mamba1, emit);
    else if (m.kind === 'attention') standardAttention(shape, m, d, emit);
    emit('ffn_norm.weight', [shape.hiddenSize], 'norm');
    feedForward(shape, layer.ffn, d, emit);
  },
};

export default jamba;
