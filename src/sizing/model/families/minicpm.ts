/**
 * MiniCPM 1/2/4 (MiniCPMForCausalLM -> llama.cpp "minicpm"; conversion/minicpm.py MiniCPMModel) and MiniCPM3
 * (MiniCPM3ForCausalLM -> "minicpm3"; MiniCPM3Model).
 *
 * minicpm: a Llama-shaped decoder with GQA; scale_emb, scale_depth and dim_model_base become scalar GGUF keys and
 * change no tensor. The converter only permutes q / k (shape unchanged), so the block is the standard one
 * (src/models/minicpm.cpp load_arch_tensors; q/k/v/o biases are optional and follow attention_bias). LongRoPE
 * (rope_scaling longrope, MiniCPM4) adds rope_factors_long / rope_factors_short of (hidden / heads) / 2 floats
 * (MiniCPMModel.generate_extra_tensors). MiniCPM-MoE is refused: the converter does not stack its experts.
 *
 * minicpm3: low-rank ("MLA-like") projections, but llama.cpp runs it as ordinary multi-head attention and caches
 * the decompressed K and V. MiniCPM3Model.set_gguf_parameters writes q_lora_rank, kv_lora_rank, key_length =
 * qk_nope_head_dim + qk_rope_head_dim and rope.dimension_count = qk_rope_head_dim, but no value_length and none of
 * the *_mla keys, so hparams.is_mla() is false, the V head size defaults to hidden / heads (llama-model.cpp), and
 * each layer caches key_length x n_head_kv for K and (hidden / heads) x n_head_kv for V. The engine's 'mla' mixer
 * means a latent cache, so minicpm3 layers are attention layers of those widths carrying their low-rank sizes
 * (lowRank) for the tensor list (src/models/minicpm3.cpp load_arch_tensors).
 */
import type { ArchBuild } from '../architectures.ts';
import type { ConfigReader } from '../config-reader.ts';
import type { ArchFamily } from '../family.ts';
import type { Emit } from '../tensor-parts.ts';
import { readCore, readDenseFfn, readHeads, repeat, attention, zipLayers } from '../shape-parts.ts';
import type { LayerMixer, LayerShape, ModelShape, StandardAttention } from '../../types.ts';

/** The low-rank projection sizes a minicpm3 layer's tensors need (its cache needs only the StandardAttention part). */
export interface LowRankSizes {
  qLoraRank: number;
  kvLoraRank: number;
  qkRopeHeadDim: number;
}

export interface MiniCpm3Attention extends StandardAttention {
  lowRank: LowRankSizes;
}

export function isMiniCpm3Attention(m: LayerMixer): m is MiniCpm3Attention {
  return m.kind === 'attention' && 'lowRank' in m && typeof m.lowRank === 'object' && m.lowRank !== null;
}

/** rope_scaling.rope_type, or the older key `type`. */
function isLongRope(r: ConfigReader): boolean {
  const rs = r.nested('rope_scaling');
  const kind = rs?.optionalString('rope_type') ?? rs?.optionalString('type');
  return kind === 'longrope' || kind === 'su';
}

/**
 * MiniCPM configs (MiniCPM-2B) may leave tie_word_embeddings out. Taken as tied: the published MiniCPM-2B total
 * (2.7B, 2.4B without embeddings, OpenBMB/MiniCPM docs/README-minicpm1-en.md) counts one shared matrix. The GGUF
 * follows the checkpoint: output.weight is written only when it holds lm_head.weight.
 */
function readTied(r: ConfigReader, assume: (note: string) => void): boolean {
  if (!r.has('tie_word_embeddings')) {
    assume(`${r.path('tie_word_embeddings')} not given: taken as tied (one embedding matrix, no output.weight), as MiniCPM-2B and MiniCPM3-4B are published.`);
  }
  return r.bool('tie_word_embeddings', true);
}

function readMiniCpm(r: ConfigReader, assume: (note: string) => void): ArchBuild {
  const experts = r.int('num_experts', { min: 0, fallback: 0 });
  if (experts > 0) r.fail('num_experts', "is MiniCPM-MoE, which llama.cpp's converter cannot write (it does not stack the experts); must be 0", experts);
  const core = readCore(r);
  const heads = readHeads(r, core.hiddenSize);
  const bias = r.bool('attention_bias', false);
  return {
    ...core,
    ggufArch: 'minicpm',
    tiedEmbeddings: readTied(r, assume),
    layers: zipLayers(repeat(core.nLayer, () => attention(heads, null)), repeat(core.nLayer, () => readDenseFfn(r))),
    // generate_extra_tensors sizes the factors by hidden_size // num_attention_heads, not head_dim.
    tensorDetails: { qkvBias: bias, attnOutputBias: bias, ...(isLongRope(r) ? { ropeFactors: core.hiddenSize / heads.nHead / 2 } : {}) },
  };
}

function readMiniCpm3Attention(r: ConfigReader, hiddenSize: number, assume: (note: string) => void): MiniCpm3Attention {
  const nHead = r.int('num_attention_heads');
  const nHeadKv = r.int('num_key_value_heads', { fallback: nHead });
  if (nHead % nHeadKv !== 0) r.fail('num_key_value_heads', `must divide num_attention_heads (${nHead})`, nHeadKv);
  if (hiddenSize % nHead !== 0) r.fail('num_attention_heads', `must divide hidden_size (${hiddenSize})`, nHead);
  // llama.cpp's minicpm3 loader requires q_lora_rank (load_arch_hparams get_key without a default).
  const lowRank: LowRankSizes = { qLoraRank: r.int('q_lora_rank'), kvLoraRank: r.int('kv_lora_rank'), qkRopeHeadDim: r.int('qk_rope_head_dim') };
  const headDimV = hiddenSize / nHead;
  const vHeadDim = r.optionalInt('v_head_dim');
  if (vHeadDim !== undefined && vHeadDim !== headDimV) {
    assume(`${r.path('v_head_dim')} ${vHeadDim} is ignored: llama.cpp's converter writes no value_length for minicpm3, so V heads are hidden / heads (${headDimV}) wide.`);
  }
  const a = attention({ nHead, nHeadKv, headDim: r.int('qk_nope_head_dim') + lowRank.qkRopeHeadDim }, null);
  return { ...a, headDimV, lowRank };
}

function readMiniCpm3(r: ConfigReader, assume: (note: string) => void): ArchBuild {
  const core = readCore(r);
  const mixer = readMiniCpm3Attention(r, core.hiddenSize, assume);
  return {
    ...core,
    ggufArch: 'minicpm3',
    tiedEmbeddings: readTied(r, assume),
    layers: zipLayers(repeat(core.nLayer, () => mixer), repeat(core.nLayer, () => readDenseFfn(r))),
    // MiniCPM3Model.generate_extra_tensors: qk_rope_head_dim / 2 floats each.
    tensorDetails: isLongRope(r) ? { ropeFactors: mixer.lowRank.qkRopeHeadDim / 2 } : {},
  };
}

/** One minicpm3 block in load_arch_tensors order. */
function miniCpm3Block(shape: ModelShape, layer: LayerShape, emit: Emit): void {
  const m = layer.mixer;
  const ffn = layer.ffn;
  if (!isMiniCpm3Attention(m) || ffn.kind !== 'dense') throw new Error(`minicpm3 block ${layer.index}: expected low-rank attention and a dense MLP`);
  const h = shape.hiddenSize;
  const { qLoraRank, kvLoraRank, qkRopeHeadDim } = m.lowRank;
  const nope = m.headDimK - qkRopeHeadDim;
  emit('attn_norm.weight', [h], 'norm');
  emit('attn_q_a_norm.weight', [qLoraRank], 'norm');
  emit('attn_kv_a_norm.weight', [kvLoraRank], 'norm');
  emit('attn_q_a.weight', [h, qLoraRank], 'attn');
  emit('attn_q_b.weight', [qLoraRank, m.nHead * m.headDimK], 'attn');
  emit('attn_kv_a_mqa.weight', [h, kvLoraRank + qkRopeHeadDim], 'attn');
  emit('attn_kv_b.weight', [kvLoraRank, m.nHead * (nope + m.headDimV)], 'attn');
  emit('attn_output.weight', [m.nHead * m.headDimV, h], 'attn');
  emit('ffn_norm.weight', [h], 'norm');
  emit('ffn_gate.weight', [h, ffn.ff], 'ffn');
  emit('ffn_down.weight', [ffn.ff, h], 'ffn');
  emit('ffn_up.weight', [h, ffn.ff], 'ffn');
}

const minicpm: ArchFamily = {
  architectures: ['MiniCPMForCausalLM', 'MiniCPM3ForCausalLM'],
  read: (r, assume) => {
    const arch = r.raw('architectures');
    return Array.isArray(arch) && arch[0] === 'MiniCPM3ForCausalLM' ? readMiniCpm3(r, assume) : readMiniCpm(r, assume);
  },
  ggufArchs: ['minicpm3'],
  blockTensors: miniCpm3Block,
};

export default minicpm;
