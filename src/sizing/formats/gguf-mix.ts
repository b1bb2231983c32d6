/**
 * Which ggml type each tensor of a GGUF gets under a file type such as Q4_K_M: llama-quantize's rules, modelled.
 *
 * Source: src/llama-quant.cpp of ggml-org/llama.cpp ("new", the default here), written from 007dbbf3fd17 and checked
 * line by line against 3f545bec (2026-08-22, master as mirrored by ngxson/llama.cpp; the rules are the same but for
 * the fixes marked "3f545bec" below): tensor_allows_quantization(), llama_tensor_get_type(),
 * llama_tensor_get_type_impl(), tensor_type_fallback(), tensor_requires_imatrix(), init_quantize_state_counters();
 * and at 8784689fee07 ("old", autumn 2025) for the differences, selected with `version: 'old'`. Section numbers
 * below (§1-§9) refer to the
 * order of the rules in llama-quant.cpp: §1 which tensors are quantized, §2 default type per file type, §3 overrides, §4 the mix
 * rules, §5 the fallback for rows not divisible by the block, §6 imatrix, §7 resulting mixes, §8 the old version's differences.
 *
 * The rules read running counters (the i-th attn_v, the i-th ffn_down), so tensors are visited in llama.cpp's
 * order: sorted by layer number, then by name, tensors outside the blocks first (weight_name_comparer in
 * src/llama-model-loader.h). The result keeps the caller's order.
 */
import { SizingError } from '../errors.ts';
import { parseFileType, type FileType } from './file-types.ts';
import { ggmlType, isQuantizedType } from './ggml-types.ts';
import type { GgmlTypeName, ModelShape, TensorInfo, TypedTensor } from '../types.ts';
import { attentionOf } from '../mixers.ts';

/**
 * 'new' = 007dbbf3 (2026), 'old' = 8784689f (autumn 2025), '2023' = the k-quant recipes GGUF files were made with
 * in 2023 (e.g. TheBloke's): the old rules plus one later removed, Q2_K's ffn_gate and ffn_up at Q3_K (the
 * commented-out "IK: let's remove this, else Q2_K is almost the same as Q3_K_S" in llama-quant.cpp).
 */
export type QuantRulesVersion = 'new' | 'old' | '2023';

export interface AssignOptions {
  /**
   * An importance matrix was used. Default: what llama-quantize does when it is run without --imatrix, if it can
   * make the file that way; an imatrix only when it would refuse, i.e. when a tensor of this model would get a type
   * that tensor_requires_imatrix() lists (IQ1_*, IQ2_*, IQ3_XXS; Q2_K in a Q2_K_S file). The refusal depends on
   * the model, not only on the file type: in Gemma 3 1B (hidden 1152) every IQ3_XXS / IQ2_S tensor of an IQ3_XXS
   * file falls back to IQ4_NL, so llama-quantize makes that file without an imatrix, and then puts ffn_down at
   * Q4_K / Q3_K instead of IQ3_XXS (1.9% larger). Under the old rules IQ3_XXS was not on the list, so an old-rules
   * IQ3_XXS file defaults to no imatrix on every model, as llama-quantize then allowed.
   * Publishers such as bartowski and mradermacher ("i1-") use one for every file type; it changes a few tensors
   * (IQ4_XS/IQ4_NL ffn_down, Q4_0/Q5_0 ffn_down, IQ3_XXS attn_v/ffn_down).
   */
  imatrix?: boolean;
  /** 'new' = llama.cpp 3f545bec / 007dbbf3 (default), 'old' = 8784689f; a commit prefix of any is accepted. */
  version?: string;
  /** Type the converter wrote the model in (convert_hf_to_gguf.py --outtype); kept by tensors never quantized. */
  sourceType?: GgmlTypeName;
  /** llama-quantize --token-embedding-type / --output-tensor-type. */
  tokenEmbeddingType?: GgmlTypeName;
  outputTensorType?: GgmlTypeName;
}

// ---------------------------------------------------------------------------------------------------------------
// §1 Which tensors may be quantized (tensor_allows_quantization, new; old list in the comments)

/** Name fragments of 2-D weights that llama-quantize never quantizes (llama-quant.cpp 007dbbf3). */
const NEVER_QUANTIZED_FRAGMENTS: readonly string[] = [
  'ffn_gate_inp.weight', // MoE router
  'ffn_gate_tid2eid.weight',
  'altup',
  'laurel',
  'per_layer_model_proj',
  'ssm_conv1d',
  'shortconv.conv.weight',
  'indexer.k_proj.weight',
  'indexer.q_proj.weight',
  'time_mix_first.weight',
  'time_mix_w0.weight',
  'time_mix_w1.weight',
  'time_mix_w2.weight',
  'time_mix_v0.weight',
  'time_mix_v1.weight',
  'time_mix_v2.weight',
  'time_mix_a0.weight',
  'time_mix_a1.weight',
  'time_mix_a2.weight',
  'time_mix_g1.weight',
  'time_mix_g2.weight',
  'time_mix_decay_w1.weight',
  'time_mix_decay_w2.weight',
  'time_mix_lerp_fused.weight',
  'attn_rel_b.weight', // T5 relative position bias
  '.position_embd',
  'sam.pos_embd',
  'sam.neck.',
  'sam.net_',
  '.rel_pos',
  '.patch_embd',
  '.patch_merger',
  'a.rvq.codebook',
  'mm.a.code_embd',
];
/** The old version (8784689f) also kept these convolution weights. */
const OLD_ALSO_NEVER_QUANTIZED: readonly string[] = ['conv.dw.weight', 'conv.pw1.weight', 'conv.pw2.weight', 'conv1d', 'conv_dw.weight'];

/** ggml_n_dims: trailing dimensions of 1 do not count; at least 1. */
export function ggmlNDims(dims: readonly number[]): number {
  let n = dims.length;
  while (n > 1 && dims[n - 1] === 1) n--;
  return Math.max(n, 1);
}

export function tensorAllowsQuantization(t: TensorInfo, version: QuantRulesVersion = 'new'): boolean {
  const name = t.name;
  if (ggmlNDims(t.dims) < 2) return false;
  if (!name.endsWith('weight')) return false;
  if (name.includes('_norm.weight')) return false;
  const excluded = version !== 'new' ? [...NEVER_QUANTIZED_FRAGMENTS, ...OLD_ALSO_NEVER_QUANTIZED] : NEVER_QUANTIZED_FRAGMENTS;
  if (excluded.some((f) => name.includes(f))) return false;
  // name != LLM_TN(arch)(LLM_TENSOR_POS_EMBD / LLM_TENSOR_TOKEN_TYPES, "weight"): "position_embd.weight" (GPT-2,
  // StarCoder, BERT ...) and "token_types.weight" (llama-arch.cpp names, 3f545bec).
  if (name === 'position_embd.weight' || name === 'token_types.weight') return false;
  return true;
}

/**
 * Tensors convert_hf_to_gguf.py always writes in F32 (ModelBase.prepare_tensors in conversion/base.py, 3f545bec):
 * FFN_GATE_INP(_SHEXP), POS_EMBD, TOKEN_TYPES, SSM_CONV1D(_Q/_K/_V), SHORTCONV_CONV, TIME_MIX_FIRST / W1 / W2 /
 * DECAY_W1 / DECAY_W2 / LERP_FUSED, ALTUP_CORRECT_COEF / ALTUP_PREDICT_COEF, INDEXER_PROJ, by their GGUF names.
 */
const CONVERTER_F32_FRAGMENTS: readonly string[] = [
  'ffn_gate_inp',
  'position_embd',
  'pos_embd',
  'token_types',
  'ssm_conv1d',
  'shortconv.conv',
  'time_mix_first',
  'time_mix_w1',
  'time_mix_w2',
  'time_mix_decay_w1',
  'time_mix_decay_w2',
  'time_mix_lerp_fused',
  'altup_correct_coef',
  'altup_predict_coef',
  'indexer.proj',
];

/**
 * Architectures whose converter class overrides tensor_force_quant() to return n_dims > 1: every matrix takes the
 * --outtype, the F32 list above included (DbrxModel in conversion/dbrx.py: its router stays F16/BF16).
 */
const CONVERTER_FORCES_OUTTYPE: ReadonlySet<string> = new Set(['dbrx']);

/**
 * The type convert_hf_to_gguf.py writes a tensor in: F32 for 1-D tensors, norms, non-".weight" tensors and a list
 * of small matrices (router, position / token-type embeddings, SSM conv, RWKV mixing); the --outtype otherwise.
 * This is what a never-quantized tensor keeps. `arch` is the GGUF architecture (for DBRX's override).
 */
export function convertedType(t: TensorInfo, sourceType: GgmlTypeName, arch = ''): GgmlTypeName {
  const n = t.name;
  if (ggmlNDims(t.dims) <= 1 || n.endsWith('_norm.weight')) return 'F32';
  if (CONVERTER_FORCES_OUTTYPE.has(arch)) return sourceType;
  const f32 = !n.endsWith('.weight') || CONVERTER_F32_FRAGMENTS.some((k) => n.includes(k));
  return f32 ? 'F32' : sourceType;
}

// ---------------------------------------------------------------------------------------------------------------
// §4.1 Tensor categories and model facts

type Category =
  | 'OUTPUT'
  | 'TOKEN_EMBD'
  | 'ATTENTION_QKV'
  | 'ATTENTION_KV_B'
  | 'ATTENTION_V'
  | 'ATTENTION_K'
  | 'ATTENTION_Q'
  | 'ATTENTION_OUTPUT'
  | 'FFN_UP'
  | 'FFN_GATE'
  | 'FFN_DOWN'
  | 'OTHER';

/** tensor_get_category (new): first match wins; substring matches except the exact names. */
function tensorCategory(name: string): Category {
  if (name === 'output.weight') return 'OUTPUT';
  if (name === 'token_embd.weight' || name === 'per_layer_token_embd.weight') return 'TOKEN_EMBD';
  if (name.includes('attn_qkv.weight')) return 'ATTENTION_QKV';
  if (name.includes('attn_kv_b.weight')) return 'ATTENTION_KV_B';
  if (name.includes('attn_v.weight')) return 'ATTENTION_V';
  if (name.includes('attn_k.weight')) return 'ATTENTION_K';
  if (name.includes('attn_q.weight')) return 'ATTENTION_Q';
  if (name.includes('attn_output.weight')) return 'ATTENTION_OUTPUT';
  if (name.includes('ffn_up')) return 'FFN_UP';
  if (name.includes('ffn_gate')) return 'FFN_GATE';
  if (name.includes('ffn_down')) return 'FFN_DOWN';
  return 'OTHER';
}

function isAttnVLike(c: Category): boolean {
  return c === 'ATTENTION_V' || c === 'ATTENTION_QKV' || c === 'ATTENTION_KV_B';
}

/** Whether the tensor takes the attn_v branch: the new version groups attn_v/attn_qkv/attn_kv_b; the old matched attn_v only. */
function takesAttnVRules(c: Category, version: QuantRulesVersion): boolean {
  return version === 'new' ? isAttnVLike(c) : c === 'ATTENTION_V';
}

/** Block index from a GGUF name ("blk.12.ffn_down_exps.weight" -> 12), as sscanf("blk.%d.") does; -1 outside blocks. */
export function layerFromName(name: string): number {
  const m = /^blk\.(\d+)\./.exec(name);
  return m ? Number(m[1]) : -1;
}

/** weight_name_comparer (src/llama-model-loader.h): layer number first (non-block tensors first), then name. */
export function compareWeightNames(a: string, b: string): number {
  const la = layerFromName(a);
  const lb = layerFromName(b);
  if (la !== lb) return la - lb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** use_more_bits(i, n) in llama-quant.cpp: the first and last eighth of layers, and every third layer between. */
export function useMoreBits(i: number, n: number): boolean {
  const eighth = Math.trunc(n / 8);
  return i < eighth || i >= Math.trunc((7 * n) / 8) || (i - eighth) % 3 === 2;
}

/**
 * model.type == LLM_TYPE_70B, set by the arch's load_arch_hparams from the layer count (src/models/*.cpp at
 * 3f545bec): llama with 80 layers and GQA (65B without: n_head() == n_head_kv()), qwen2, deci and olmo (OLMo 1, not
 * OLMoE) with 80 layers, jais2 with 68.
 */
function is70B(arch: string, nLayer: number, nHead: number, nHeadKv: number): boolean {
  if (arch === 'jais2') return nLayer === 68;
  if (nLayer !== 80) return false;
  if (arch === 'llama') return nHead !== nHeadKv;
  return arch === 'qwen2' || arch === 'deci' || arch === 'olmo';
}

interface ModelFacts {
  arch: string;
  nLayer: number;
  nExpert: number;
  /** hparams.n_expert as stored (0 for dense models): the "n_expert == 8" rules compare it. */
  nExpertRaw: number;
  nGqa: number;
  is70B: boolean;
  tiedEmbeddings: boolean;
  nAttentionWv: number;
}

/**
 * Hybrids whose converter writes attention.head_count_kv as one number, though layer 0 has no attention:
 * Qwen3-Next and Qwen3.5 go through TextModel.set_gguf_parameters (conversion/base.py), which writes
 * num_key_value_heads as it is. llama.cpp's loader then gives every layer that count (get_key_or_arr fills
 * n_head_kv_arr), so n_head_kv(0) is the attention layers' count.
 * Every other hybrid the converter knows writes a per-layer array with 0 for the layers without attention
 * (granitehybrid and nemotron_h in conversion/granite.py, jamba, lfm2 / lfm2moe, plamo2, kimi-linear, bailingmoe3),
 * so n_head_kv(0) = 0 when layer 0 is recurrent or MLP-only, and n_gqa() = 0.
 */
const SCALAR_HEAD_COUNT_KV_HYBRIDS: ReadonlySet<string> = new Set(['qwen3next', 'qwen35', 'qwen35moe']);

/**
 * hparams.n_head(0) / n_head_kv(0): llama.cpp reads layer 0 (n_gqa(il = 0) in llama-hparams.cpp), not the first
 * attention layer. For MLA (DeepSeek) the converter writes head_count_kv = 1 when it splits attn_kv_b into
 * attn_k_b / attn_v_b (current convert_hf_to_gguf.py), else n_head.
 */
function headCounts(shape: ModelShape, tensors: readonly TensorInfo[]): { nHead: number; nHeadKv: number } {
  const layer0 = shape.layers[0];
  const own = layer0 ? attentionOf(layer0) : null;
  const firstAttention = shape.layers.map(attentionOf).find((a) => a !== null) ?? null;
  const m = own ?? (SCALAR_HEAD_COUNT_KV_HYBRIDS.has(shape.ggufArch) ? firstAttention : null);
  if (!m) return { nHead: 0, nHeadKv: 0 };
  if (m.kind === 'attention') return { nHead: m.nHead, nHeadKv: m.nHeadKv };
  const split = tensors.some((t) => t.name.includes('attn_k_b.weight'));
  return { nHead: m.nHead, nHeadKv: split ? 1 : m.nHead };
}

function modelFacts(shape: ModelShape, tensors: readonly TensorInfo[]): ModelFacts {
  const moe = shape.layers.find((l) => l.ffn.kind === 'moe')?.ffn;
  const nExpertRaw = moe && moe.kind === 'moe' ? moe.nExpert : 0;
  const { nHead, nHeadKv } = headCounts(shape, tensors);
  // n_layer_all (new) / n_layer (old): the block count of the file; blocks in the tensor list win if more.
  const maxLayer = tensors.reduce((m, t) => Math.max(m, t.layer ?? layerFromName(t.name)), -1);
  const nLayer = Math.max(shape.layers.length, maxLayer + 1);
  // n_attention_wv counts attn_v, attn_qkv and attn_kv_b in both versions.
  const nAttentionWv = tensors.filter((t) => isAttnVLike(tensorCategory(t.name))).length;
  return {
    arch: shape.ggufArch,
    nLayer,
    nExpert: Math.max(1, nExpertRaw),
    nExpertRaw,
    nGqa: nHeadKv === 0 ? 0 : Math.trunc(nHead / nHeadKv),
    is70B: is70B(shape.ggufArch, nLayer, nHead, nHeadKv),
    tiedEmbeddings: !tensors.some((t) => t.name === 'output.weight'),
    nAttentionWv,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// §4.2 The rule chain (llama_tensor_get_type_impl)

interface Counters {
  iAttentionWv: number;
  iFfnDown: number;
  iFfnGate: number;
  iFfnUp: number;
}

interface RuleInput {
  t: TensorInfo;
  category: Category;
  ftype: string;
  defaultType: GgmlTypeName;
  facts: ModelFacts;
  imatrix: boolean;
  version: QuantRulesVersion;
  outputTensorType: GgmlTypeName | undefined;
  tokenEmbeddingType: GgmlTypeName | undefined;
}

const IQ2_IQ1_GROUP = new Set(['IQ2_XXS', 'IQ2_XS', 'IQ1_S', 'IQ2_S', 'IQ2_M', 'IQ1_M']);
const OUTPUT_Q5K_FTYPES = new Set(['IQ2_XXS', 'IQ2_XS', 'IQ3_XXS', 'IQ1_S', 'IQ2_S', 'IQ2_M', 'IQ1_M']);
const ATTN_OUTPUT_Q5K_MOE8_FTYPES = new Set(['Q2_K', 'IQ3_XS', 'IQ3_XXS', 'Q3_K_S', 'Q3_K_M', 'IQ4_NL', 'Q4_K_S', 'Q4_K_M', 'IQ3_S', 'IQ3_M', 'IQ4_XS']);

function blockSize(type: GgmlTypeName): number {
  return ggmlType(type).blockSize;
}

/**
 * layer_info(): with experts the layer is parsed from the name (several ffn_down tensors per layer); otherwise the
 * running counter stands for the layer. n is always the block count.
 */
function layerInfo(counter: number, facts: ModelFacts, name: string): { i: number; n: number } {
  if (facts.nExpert > 1) {
    const i = layerFromName(name);
    if (i < 0) throw new SizingError(`Cannot read the layer of expert tensor ${name}`, 'tensors');
    return { i, n: facts.nLayer };
  }
  return { i: counter, n: facts.nLayer };
}

function mixRule(r: RuleInput, c: Counters): GgmlTypeName {
  const { t, category, ftype, facts } = r;
  const ne0 = t.dims[0] ?? 1;
  const ne2 = t.dims[2] ?? 1;
  const falcon = facts.arch === 'falcon';
  let type = r.defaultType;

  // A. output head, and the token embedding when it doubles as the output head.
  const tiedEmbd = category === 'TOKEN_EMBD' && facts.tiedEmbeddings && (r.version === 'new' || t.name === 'token_embd.weight');
  if (category === 'OUTPUT' || tiedEmbd) {
    if (r.outputTensorType) return r.outputTensorType;
    if (ftype === 'MXFP4_MOE') return 'Q8_0';
    if (falcon || ne0 % blockSize(type) !== 0) return 'Q8_0';
    if (OUTPUT_Q5K_FTYPES.has(ftype)) return 'Q5_K';
    return type !== 'Q8_0' ? 'Q6_K' : type;
  }

  // B. MXFP4_MOE: stacked 3-D expert tensors MXFP4, everything else Q8_0 (new: BAILINGMOE3 only for FFN experts).
  if (ftype === 'MXFP4_MOE') {
    const ffn = category === 'FFN_UP' || category === 'FFN_GATE' || category === 'FFN_DOWN';
    const expertsOnly = r.version === 'new' && facts.arch === 'bailingmoe3';
    return ne2 > 1 && (!expertsOnly || ffn) ? 'MXFP4' : 'Q8_0';
  }

  // C. untied token embedding.
  if (category === 'TOKEN_EMBD') {
    if (r.tokenEmbeddingType) return r.tokenEmbeddingType;
    if (['IQ2_XXS', 'IQ2_XS', 'IQ1_S', 'IQ1_M'].includes(ftype)) return 'Q2_K';
    if (['IQ2_S', 'IQ2_M', 'IQ3_XXS'].includes(ftype)) return 'IQ3_S';
    if (['TQ1_0', 'TQ2_0', 'Q2_0'].includes(ftype)) return 'Q4_K';
    return type;
  }

  const iq2Upgrade = ftype === 'IQ2_S' || ftype === 'IQ2_M' ? 'IQ3_S' : 'Q2_K';

  // D. the IQ2 / IQ1 file types.
  if (IQ2_IQ1_GROUP.has(ftype)) {
    if (takesAttnVRules(category, r.version)) {
      type = facts.nGqa >= 4 || facts.nExpert >= 4 ? 'Q4_K' : iq2Upgrade;
      c.iAttentionWv++;
    } else if (facts.nExpertRaw === 8 && category === 'ATTENTION_K') {
      type = 'Q4_K';
    } else if (category === 'FFN_DOWN') {
      // The raw counter, not layer_info.
      if (c.iFfnDown < Math.trunc(facts.nLayer / 8)) type = iq2Upgrade;
      c.iFfnDown++;
    } else if (category === 'ATTENTION_OUTPUT') {
      if (facts.nExpertRaw === 8) type = 'Q5_K';
      else if (ftype === 'IQ1_S' || ftype === 'IQ1_M') type = 'IQ2_XXS';
      else if (ftype === 'IQ2_S' || ftype === 'IQ2_M') type = 'IQ3_S';
    }
    return type;
  }

  // E. attn_v (new: and attn_qkv, attn_kv_b).
  if (takesAttnVRules(category, r.version)) {
    const i = c.iAttentionWv;
    const gqa4 = facts.nGqa >= 4;
    if (ftype === 'Q2_K') type = gqa4 ? 'Q4_K' : 'Q3_K';
    else if (ftype === 'Q2_K_S' && gqa4) type = 'Q4_K';
    else if (ftype === 'IQ3_XXS') type = gqa4 ? 'Q4_K' : !r.imatrix ? 'IQ3_S' : 'IQ3_XXS';
    else if ((ftype === 'IQ3_XS' || ftype === 'IQ3_S') && gqa4) type = 'Q4_K';
    else if (ftype === 'IQ3_M') type = 'Q4_K';
    else if (ftype === 'Q3_K_M') type = i < 2 ? 'Q5_K' : 'Q4_K';
    else if (ftype === 'Q3_K_L') type = 'Q5_K';
    else if ((ftype === 'IQ4_NL' || ftype === 'IQ4_XS') && gqa4) type = 'Q5_K';
    else if ((ftype === 'Q4_K_M' || ftype === 'Q5_K_M') && useMoreBits(i, facts.nAttentionWv)) type = 'Q6_K';
    else if (ftype === 'Q4_K_S' && i < 4) type = 'Q5_K';
    // "In the 70B model we have 8 heads sharing the same attn_v weights ... quantizing this tensor with more bits".
    if (facts.is70B && (type === 'Q3_K' || type === 'Q4_K')) type = 'Q5_K';
    // "for the 8-expert model, bumping this to Q8_0 trades just ~128MB" (Mixtral).
    if (facts.nExpertRaw === 8) type = 'Q8_0';
    c.iAttentionWv++;
    return type;
  }

  // F. attn_k.
  if (category === 'ATTENTION_K') {
    if (facts.nExpertRaw === 8) return 'Q8_0';
    if (ftype === 'IQ3_XS') return 'IQ3_XXS';
    if (ftype === 'IQ3_XXS') return 'IQ2_S';
    return type;
  }

  // G. attn_q.
  if (category === 'ATTENTION_Q') {
    if (ftype === 'IQ3_XS') return 'IQ3_XXS';
    if (ftype === 'IQ3_XXS') return 'IQ2_S';
    return type;
  }

  // H. ffn_down.
  if (category === 'FFN_DOWN') {
    const { i, n } = layerInfo(c.iFfnDown, facts, t.name);
    const firstEighth = i < Math.trunc(n / 8);
    if (ftype === 'Q2_K') type = 'Q3_K';
    else if (ftype === 'Q2_K_S') {
      if (firstEighth) type = 'Q4_K';
    } else if (ftype === 'IQ3_XXS' && !r.imatrix) type = firstEighth ? 'Q4_K' : 'Q3_K';
    else if (ftype === 'Q3_K_M') {
      type = i < Math.trunc(n / 16) ? 'Q5_K' : !falcon || useMoreBits(i, n) ? 'Q4_K' : 'Q3_K';
    } else if (ftype === 'IQ3_M' && (firstEighth || (facts.nExpertRaw === 8 && useMoreBits(i, n)))) type = 'Q4_K';
    else if (ftype === 'Q3_K_L') type = falcon ? 'Q4_K' : 'Q5_K';
    else if (ftype === 'Q4_K_M') {
      if (falcon) type = i < Math.trunc(n / 16) ? 'Q6_K' : useMoreBits(i, n) ? 'Q5_K' : 'Q4_K';
      else if (useMoreBits(i, n)) type = 'Q6_K';
    } else if (firstEighth && (ftype === 'IQ4_NL' || ftype === 'IQ4_XS') && !r.imatrix) type = 'Q5_K';
    else if (ftype === 'Q5_K_M' && useMoreBits(i, n)) type = 'Q6_K';
    else if (ftype === 'Q4_K_S' && !falcon && firstEighth) type = 'Q5_K';
    else if ((ftype === 'Q4_0' || ftype === 'Q5_0') && r.imatrix && firstEighth) type = ftype === 'Q4_0' ? 'Q4_1' : 'Q5_1';
    c.iFfnDown++;
    return type;
  }

  // I. attn_output.
  if (category === 'ATTENTION_OUTPUT') {
    if (!falcon) {
      if (facts.nExpertRaw === 8) {
        if (ATTN_OUTPUT_Q5K_MOE8_FTYPES.has(ftype)) type = 'Q5_K';
      } else if (ftype === 'Q2_K') type = 'Q3_K';
      else if (ftype === 'IQ3_XXS') type = 'IQ3_S';
      else if (ftype === 'Q3_K_M') type = 'Q4_K';
      else if (ftype === 'Q3_K_L') type = 'Q5_K';
      else if (ftype === 'IQ3_M') type = 'Q4_K';
    } else if (ftype === 'Q3_K_L') type = 'Q4_K';
    return type;
  }

  // J. fused attn_qkv: reachable only in the old version (the new one sends it through E).
  if (category === 'ATTENTION_QKV') {
    if (ftype === 'Q3_K_M' || ftype === 'Q3_K_L' || ftype === 'IQ3_M') type = 'Q4_K';
    else if (ftype === 'Q4_K_M') type = 'Q5_K';
    else if (ftype === 'Q5_K_M') type = 'Q6_K';
    return type;
  }

  // K, L. ffn_gate / ffn_up: IQ3_XS uses IQ3_XXS for the middle layers.
  if (category === 'FFN_GATE' || category === 'FFN_UP') {
    const counter = category === 'FFN_GATE' ? c.iFfnGate : c.iFfnUp;
    const { i, n } = layerInfo(counter, facts, t.name);
    if (ftype === 'IQ3_XS' && i >= Math.trunc(n / 8) && i < Math.trunc((7 * n) / 8)) type = 'IQ3_XXS';
    if (r.version === '2023' && ftype === 'Q2_K') type = 'Q3_K';
    if (category === 'FFN_GATE') c.iFfnGate++;
    else c.iFfnUp++;
    return type;
  }

  return type;
}

// ---------------------------------------------------------------------------------------------------------------
// §5 Fallback when the row length is not a multiple of the block (tensor_type_fallback)

function fallbackFor(target: GgmlTypeName, version: QuantRulesVersion): GgmlTypeName | undefined {
  switch (target) {
    case 'IQ1_S':
    case 'IQ1_M':
    case 'IQ2_XXS':
    case 'IQ2_XS':
    case 'IQ2_S':
    case 'IQ3_XXS':
    case 'IQ3_S':
    case 'IQ4_XS':
      return 'IQ4_NL';
    case 'Q2_K':
    case 'Q3_K':
      return version === 'new' ? 'Q4_0' : 'IQ4_NL';
    case 'Q2_0':
    case 'TQ1_0':
    case 'TQ2_0':
      return 'Q4_0';
    case 'Q4_K':
      return 'Q5_0';
    case 'Q5_K':
      return 'Q5_1';
    case 'Q6_K':
      return 'Q8_0';
    default:
      return undefined;
  }
}

/** The type actually written: the target, or its fallback when ne0 does not divide, or F16 when neither does. */
export function typeWithFallback(target: GgmlTypeName, ne0: number, version: QuantRulesVersion = 'new', name = ''): GgmlTypeName {
  if (ne0 % blockSize(target) === 0) return target;
  const fb = fallbackFor(target, version);
  if (!fb) {
    throw new SizingError(
      `llama.cpp cannot store ${name || 'a tensor'} as ${target}: its rows of ${ne0} are not a multiple of ${blockSize(target)} and no fallback is defined`,
      'fileType',
    );
  }
  return ne0 % blockSize(fb) === 0 ? fb : 'F16';
}

// ---------------------------------------------------------------------------------------------------------------
// §6 imatrix requirement (tensor_requires_imatrix)

function requiresImatrix(t: TensorInfo, type: GgmlTypeName, ftype: string, version: QuantRulesVersion): boolean {
  const category = tensorCategory(t.name);
  if (category === 'TOKEN_EMBD') return false;
  if (category === 'OUTPUT' && (version === 'new' || type !== 'Q2_K')) return false;
  const always = version === 'new' ? ['IQ3_XXS', 'IQ2_XXS', 'IQ2_XS', 'IQ2_S', 'IQ1_M', 'IQ1_S'] : ['IQ2_XXS', 'IQ2_XS', 'IQ2_S', 'IQ1_M', 'IQ1_S'];
  return always.includes(type) || (type === 'Q2_K' && ftype === 'Q2_K_S');
}

// ---------------------------------------------------------------------------------------------------------------
// Public entry

/** Full hashes of the llama.cpp commits whose rules are modelled ("new": both read, same rules but for the fixes). */
const NEW_RULES_COMMITS = ['3f545beccee69d9975f466ec7e45fd9aacd8ba90', '007dbbf3fd17eefe9b47fee45f48f7ba5e62b714'];
const OLD_RULES_COMMIT = '8784689fee07c6daabf3487d24e1535534ef6e6b';

export function parseRulesVersion(v: string | undefined): QuantRulesVersion {
  if (v === undefined || v === 'new' || NEW_RULES_COMMITS.some((c) => c.startsWith(v.toLowerCase()))) return 'new';
  if (v === 'old' || OLD_RULES_COMMIT.startsWith(v.toLowerCase())) return 'old';
  if (v === '2023') return '2023';
  throw new SizingError(`Unknown llama.cpp quantization rules version "${v}" (use "new" = 3f545bec, "old" = 8784689f or "2023")`, 'version');
}

/** Everything the per-tensor choice reads that does not change from tensor to tensor. */
interface MixContext {
  ft: FileType;
  ftype: string;
  version: QuantRulesVersion;
  sourceType: GgmlTypeName;
  tokenEmbeddingType: GgmlTypeName | undefined;
  outputTensorType: GgmlTypeName | undefined;
  facts: ModelFacts;
}

/** One pass of llama-quantize's preliminary loop: the types, and the first tensor that would need an imatrix. */
interface MixPass {
  types: GgmlTypeName[];
  needsImatrix: { name: string; type: GgmlTypeName } | null;
}

/**
 * Types every tensor as `llama-quantize <in> <out> <fileType>` would.
 * `tensors` is the model's tensor list as the converter writes it (tensors.ts or a GGUF header); `shape` supplies
 * the hyper-parameters the rules read (architecture, heads of layer 0, experts, block count).
 */
export function assignFileType(
  tensors: TensorInfo[],
  shape: ModelShape,
  fileType: string,
  opts: AssignOptions = {},
): TypedTensor[] {
  const ft: FileType = parseFileType(fileType);
  const ctx: MixContext = {
    ft,
    ftype: ft.recipe ? ft.recipe.base : ft.id,
    version: parseRulesVersion(opts.version),
    sourceType: ggmlType(opts.sourceType ?? 'F16').name,
    tokenEmbeddingType: canonicalType(opts.tokenEmbeddingType ?? ft.recipe?.tokenEmbeddingType),
    outputTensorType: canonicalType(opts.outputTensorType ?? ft.recipe?.outputTensorType),
    facts: modelFacts(shape, tensors),
  };
  const pass = mixPass(tensors, ctx, opts.imatrix ?? false);
  // No imatrix given: llama-quantize without --imatrix, unless it would refuse this model; then the file needs one.
  const chosen = opts.imatrix === undefined && pass.needsImatrix ? mixPass(tensors, ctx, true) : pass;
  if (opts.imatrix === false && pass.needsImatrix) {
    const { name, type } = pass.needsImatrix;
    throw new SizingError(`llama-quantize needs an importance matrix for ${ft.id}: ${name} would be ${type}. Pass imatrix: true.`, 'imatrix');
  }
  return tensors.map((t, i) => ({ ...t, type: chosen.types[i]! }));
}

/**
 * Visits the tensors in llama.cpp's order (weight_name_comparer), the running counters starting from zero, as the
 * preliminary loop of llama_model_quantize_impl does; the types come back in the caller's order.
 */
function mixPass(tensors: readonly TensorInfo[], ctx: MixContext, imatrix: boolean): MixPass {
  const counters: Counters = { iAttentionWv: 0, iFfnDown: 0, iFfnGate: 0, iFfnUp: 0 };
  const order = tensors.map((t, index) => ({ t, index })).sort((a, b) => compareWeightNames(a.t.name, b.t.name));
  const types: GgmlTypeName[] = new Array<GgmlTypeName>(tensors.length);
  let needsImatrix: MixPass['needsImatrix'] = null;
  for (const { t, index } of order) {
    const type = chooseType(t, ctx, imatrix, counters);
    types[index] = type.type;
    if (type.requiresImatrix && !needsImatrix) needsImatrix = { name: t.name, type: type.type };
  }
  return { types, needsImatrix };
}

/** llama_tensor_get_type() for one tensor, and whether tensor_requires_imatrix() holds for the result. */
function chooseType(t: TensorInfo, ctx: MixContext, imatrix: boolean, counters: Counters): { type: GgmlTypeName; requiresImatrix: boolean } {
  const { ft, ftype, version, facts, tokenEmbeddingType, outputTensorType } = ctx;
  if (!tensorAllowsQuantization(t, version)) return { type: convertedType(t, ctx.sourceType, facts.arch), requiresImatrix: false };
  const category = tensorCategory(t.name);
  // §3: --token-embedding-type / --output-tensor-type are taken as given, without the fallback check.
  if (tokenEmbeddingType && category === 'TOKEN_EMBD') return { type: tokenEmbeddingType, requiresImatrix: false };
  if (outputTensorType && category === 'OUTPUT') return { type: outputTensorType, requiresImatrix: false };
  if (!isQuantizedType(ft.defaultType)) return { type: ft.defaultType, requiresImatrix: false };
  const rule = mixRule(
    { t, category, ftype, defaultType: ft.defaultType, facts, imatrix, version, outputTensorType, tokenEmbeddingType },
    counters,
  );
  const type = typeWithFallback(rule, t.dims[0] ?? 1, version, t.name);
  return { type, requiresImatrix: requiresImatrix(t, type, ftype, version) };
}

function canonicalType(t: GgmlTypeName | undefined): GgmlTypeName | undefined {
  return t === undefined ? undefined : ggmlType(t).name;
}

/** Number of tensors of each type, in first-seen order (as llama.cpp prints "type q4_K: 289 tensors"). */
export function typeCounts(typed: readonly TypedTensor[]): Record<GgmlTypeName, number> {
  const counts: Record<GgmlTypeName, number> = {};
  for (const t of typed) counts[t.type] = (counts[t.type] ?? 0) + 1;
  return counts;
}
