/**
 * GgufHeader -> ModelShape: the hyper-parameters a GGUF stores, read the way llama.cpp's llama_model::load_hparams
 * reads them (src/llama-model.cpp; key names from src/llama-arch.cpp LLM_KV_NAMES), so a file and a config.json
 * reach the same shape. Where the keys leave a per-layer fact implicit, the tensor list settles it: a block with
 * ffn_gate_inp is MoE, a block with ssm_* tensors is recurrent, a model without output.weight is tied.
 */
import { SizingError } from '../errors.ts';
import { GgufKeys } from './gguf-keys.ts';
import type { GgufHeader } from './gguf-reader.ts';
import { layerOfTensorName, recurrentLayers } from './gguf-tensor-roles.ts';
import type { Ffn, GatedDeltaNetShape, LayerMixer, LayerShape, ModelShape, RecurrentLayer, StandardAttention, TensorDetails } from '../types.ts';

/**
 * Sliding-window layouts llama.cpp sets in code, not from GGUF keys (llama-model.cpp load_hparams:
 * hparams.set_swa_pattern(n)): layer il is local when il % n < n - 1. A sliding_window_pattern key overrides.
 * Llama 4: chunked attention, chunk 8192 on 3 of every 4 layers.
 */
const SWA_DEFAULTS: Readonly<Record<string, { pattern: number; kind: 'sliding' | 'chunked'; window?: number }>> = {
  gemma2: { pattern: 2, kind: 'sliding' },
  gemma3: { pattern: 6, kind: 'sliding' },
  'gpt-oss': { pattern: 2, kind: 'sliding' },
  cohere2: { pattern: 4, kind: 'sliding' },
  llama4: { pattern: 4, kind: 'chunked', window: 8192 },
};

/** Architectures whose Gated DeltaNet layers map onto the ssm_* keys (convert_hf_to_gguf.py Qwen3NextModel). */
const GATED_DELTANET_ARCHS = new Set(['qwen3next', 'qwen35', 'qwen35moe']);

/** set_swa_pattern(n) in src/llama-hparams.cpp. */
function swaFromPattern(pattern: number, nLayer: number): boolean[] {
  return Array.from({ length: nLayer }, (_, il) => pattern === 0 || il % pattern < pattern - 1);
}

class TensorIndex {
  private readonly names: Set<string>;
  private readonly dims: Map<string, number[]>;
  constructor(header: GgufHeader) {
    this.names = new Set(header.tensors.map((t) => t.name));
    this.dims = new Map(header.tensors.map((t) => [t.name, t.dims]));
  }
  has(name: string): boolean {
    return this.names.has(name);
  }
  inLayer(il: number, stem: string): boolean {
    return this.names.has(`blk.${il}.${stem}`);
  }
  /** Whether block il holds any tensor whose name (after "blk.il.") starts with `prefix`. */
  inLayerWithPrefix(il: number, prefix: string): boolean {
    const start = `blk.${il}.${prefix}`;
    for (const n of this.names) if (n.startsWith(start)) return true;
    return false;
  }
  anyLayer(stem: string): boolean {
    for (const n of this.names) if (layerOfTensorName(n) !== null && n.endsWith(`.${stem}`)) return true;
    return false;
  }
  dim(name: string, i: number): number | undefined {
    return this.dims.get(name)?.[i];
  }
  all(): Iterable<string> {
    return this.names;
  }
}

function windows(k: GgufKeys, nLayer: number, assume: (n: string) => void): { local: boolean[]; window: number | null; kind: 'sliding' | 'chunked' } {
  const defaults = SWA_DEFAULTS[k.arch];
  const patternKey = k.key('attention.sliding_window_pattern');
  const windowKey = k.key('attention.sliding_window');
  const raw = k.raw(patternKey);
  let local: boolean[] | undefined;
  if (typeof raw === 'object') local = k.boolArray(patternKey, nLayer);
  else if (raw !== undefined) local = swaFromPattern(k.int(patternKey), nLayer);
  else if (defaults) local = swaFromPattern(defaults.pattern, nLayer);
  const window = k.optionalInt(windowKey) ?? defaults?.window;
  if (!local) {
    if (window) assume(`${windowKey} = ${window}, but llama.cpp applies no sliding window to ${k.arch}: every layer caches the full context.`);
    return { local: Array.from({ length: nLayer }, () => false), window: null, kind: 'sliding' };
  }
  if (!local.some(Boolean)) return { local, window: null, kind: 'sliding' };
  // llama.cpp (newest): no or zero sliding_window means no SWA at all.
  if (!window) {
    assume(`${windowKey} is missing or 0: every layer treated as full attention.`);
    return { local: local.map(() => false), window: null, kind: 'sliding' };
  }
  return { local, window, kind: defaults?.kind ?? 'sliding' };
}

function standardMixers(k: GgufKeys, t: TensorIndex, nLayer: number, hidden: number, assume: (n: string) => void): (il: number) => LayerMixer {
  const nHead = k.perLayerInt(k.key('attention.head_count'), nLayer);
  const nHeadKv = k.optionalPerLayerInt(k.key('attention.head_count_kv'), nLayer) ?? nHead;
  const head0 = nHead.find((n) => n > 0) ?? 0;
  // llama.cpp: n_embd_head_k = n_embd / n_head(0) unless key_length is given; value_length likewise.
  const defaultHead = head0 > 0 ? hidden / head0 : 0;
  const headDimK = k.optionalInt(k.key('attention.key_length')) ?? defaultHead;
  const headDimV = k.optionalInt(k.key('attention.value_length')) ?? defaultHead;
  if (!Number.isInteger(headDimK) || !Number.isInteger(headDimV) || headDimK <= 0) {
    k.fail(k.key('attention.key_length'), `is missing and ${k.key('embedding_length')} (${hidden}) / head_count (${head0}) is not a whole head width`);
  }

  const kvLoraRank = k.optionalInt(k.key('attention.kv_lora_rank'));
  if (kvLoraRank !== undefined && kvLoraRank > 0) {
    // DeepSeek V2/V3 MLA. Newer converters write key_length = kv_lora_rank + rope (the absorbed cache) and the
    // per-head q/k width in key_length_mla; older ones only key_length = qk_nope + qk_rope (llama-model.cpp
    // LLM_ARCH_DEEPSEEK2: n_embd_head_k_mla = key_length_mla, falling back to key_length).
    const rope = k.int(k.key('rope.dimension_count'));
    const qkHead = k.optionalInt(k.key('attention.key_length_mla')) ?? headDimK;
    const vHead = k.optionalInt(k.key('attention.value_length_mla')) ?? headDimV;
    const qLoraRank = k.optionalInt(k.key('attention.q_lora_rank'));
    return (il) => ({
      kind: 'mla',
      nHead: nHead[il] ?? head0,
      qLoraRank: qLoraRank ? qLoraRank : null,
      kvLoraRank,
      qkNopeHeadDim: qkHead - rope,
      qkRopeHeadDim: rope,
      vHeadDim: vHead,
    });
  }

  // Gemma 4: sliding layers have their own head width (llama-hparams n_embd_head_k(il): key_length_swa on SWA layers).
  const headDimKSwa = k.optionalInt(k.key('attention.key_length_swa')) ?? headDimK;
  const headDimVSwa = k.optionalInt(k.key('attention.value_length_swa')) ?? headDimV;
  const w = windows(k, nLayer, assume);
  return (il) => {
    const local = w.local[il] === true && w.window !== null;
    const a: StandardAttention = {
      kind: 'attention',
      nHead: nHead[il] ?? head0,
      nHeadKv: nHeadKv[il] ?? head0,
      headDimK: local ? headDimKSwa : headDimK,
      headDimV: local ? headDimVSwa : headDimV,
      window: local ? w.window : null,
    };
    if (a.window !== null) a.windowKind = w.kind;
    // Gemma 4 attention_k_eq_v: a block with attn_k but no attn_v takes V from K (src/models/gemma4.cpp).
    if (k.arch === 'gemma4' && t.inLayer(il, 'attn_k.weight') && !t.inLayer(il, 'attn_v.weight')) a.valueFromKey = true;
    return a;
  };
}

/**
 * A recurrent layer from the ssm_* keys. State sizes as llama-hparams.cpp n_embd_r() / n_embd_s():
 * r = (d_conv - 1) * (d_inner + 2 * n_group * d_state), s = d_state * d_inner.
 */
function recurrentLayer(k: GgufKeys): RecurrentLayer {
  const dConv = k.int(k.key('ssm.conv_kernel'));
  const dInner = k.int(k.key('ssm.inner_size'));
  const dState = k.int(k.key('ssm.state_size'));
  const nGroup = k.optionalInt(k.key('ssm.group_count')) ?? 0;
  const layer: RecurrentLayer = {
    kind: 'recurrent',
    variant: GATED_DELTANET_ARCHS.has(k.arch) ? 'gated-deltanet' : nGroup > 0 ? 'mamba2' : 'mamba',
    stateElementsR: (dConv - 1) * (dInner + 2 * nGroup * dState),
    stateElementsS: dState * dInner,
  };
  if (layer.variant === 'gated-deltanet') {
    // convert_hf_to_gguf.py Qwen3NextModel: ssm_d_state = linear_key_head_dim, ssm_n_group = linear_num_key_heads,
    // ssm_dt_rank = linear_num_value_heads, ssm_d_inner = linear_value_head_dim * linear_num_value_heads.
    const nValueHead = k.int(k.key('ssm.time_step_rank'));
    if (nValueHead === 0 || dInner % nValueHead !== 0) k.fail(k.key('ssm.time_step_rank'), `(${nValueHead}) must divide ${k.key('ssm.inner_size')} (${dInner})`);
    const g: GatedDeltaNetShape = { nKeyHead: nGroup, nValueHead, keyHeadDim: dState, valueHeadDim: dInner / nValueHead, convKernel: dConv };
    layer.gatedDeltaNet = g;
  }
  return layer;
}

function feedForwards(k: GgufKeys, t: TensorIndex, nLayer: number): (il: number) => Ffn {
  const ff = k.optionalPerLayerInt(k.key('feed_forward_length'), nLayer);
  const moeLayers = Array.from({ length: nLayer }, (_, il) => t.inLayer(il, 'ffn_gate_inp.weight'));
  const moe = moeLayers.some(Boolean)
    ? (() => {
        const nExpert = k.int(k.key('expert_count'));
        const nExpertUsed = k.int(k.key('expert_used_count'));
        // Mixtral (arch "llama") stores the expert width as feed_forward_length.
        const expertFf = k.optionalInt(k.key('expert_feed_forward_length')) ?? ff?.find((x) => x > 0) ?? k.int(k.key('expert_feed_forward_length'));
        const hasShared = t.anyLayer('ffn_up_shexp.weight');
        const nShared = k.optionalInt(k.key('expert_shared_count')) ?? (hasShared ? 1 : 0);
        const sharedFf = hasShared ? (k.optionalInt(k.key('expert_shared_feed_forward_length')) ?? nShared * expertFf) : 0;
        return { nExpert, nExpertUsed, expertFf, nShared: hasShared ? nShared : 0, sharedFf };
      })()
    : undefined;
  // Phi-3 fuses gate|up into one ffn_up of 2 x n_ff: gated without a separate ffn_gate tensor.
  const fusedGate = k.arch === 'phi3';
  return (il) => {
    if (moe && moeLayers[il]) {
      // Gemma 4 keeps the layer's dense MLP (ffn_gate / ffn_up / ffn_down of feed_forward_length) beside the experts,
      // as one always-active shared block, and stores the experts' gate and up fused (ffn_gate_up_exps).
      const gemma4Dense = k.arch === 'gemma4' && t.inLayer(il, 'ffn_up.weight');
      if (gemma4Dense && !ff) k.fail(k.key('feed_forward_length'), 'is missing');
      return {
        kind: 'moe',
        nExpert: moe.nExpert,
        nExpertUsed: moe.nExpertUsed,
        expertFf: moe.expertFf,
        nSharedExpert: gemma4Dense ? 1 : moe.nShared,
        sharedFf: gemma4Dense ? (ff![il] ?? 0) : moe.sharedFf,
        gated: t.inLayer(il, 'ffn_gate_exps.weight') || t.inLayer(il, 'ffn_gate_up_exps.weight'),
      };
    }
    if (!t.inLayer(il, 'ffn_up.weight') && !t.inLayer(il, 'ffn_down.weight')) return { kind: 'dense', ff: 0, gated: true };
    if (!ff) k.fail(k.key('feed_forward_length'), 'is missing');
    return { kind: 'dense', ff: ff[il] ?? 0, gated: fusedGate || t.inLayer(il, 'ffn_gate.weight') };
  };
}

/** Optional tensors tensors.ts emits from config details; here they are simply present or not. */
function tensorDetails(t: TensorIndex): TensorDetails {
  const d: TensorDetails = {
    qkvBias: t.anyLayer('attn_q.bias'),
    attnOutputBias: t.anyLayer('attn_output.bias'),
    qkNorm: t.anyLayer('attn_q_norm.weight'),
    expertProbsBias: t.anyLayer('exp_probs_b.bias'),
  };
  if (t.anyLayer('nextn.embed_tokens.weight')) d.nextnEmbeddings = true;
  const ropeFreqs = t.dim('rope_freqs.weight', 0);
  if (ropeFreqs !== undefined) d.ropeFreqs = ropeFreqs;
  const ropeFactors = t.dim('rope_factors_long.weight', 0);
  if (ropeFactors !== undefined) d.ropeFactors = ropeFactors;
  return d;
}

function vocabSize(k: GgufKeys, t: TensorIndex): number {
  const tokens = k.arrayLength('tokenizer.ggml.tokens');
  if (tokens !== undefined) return tokens;
  const fromKey = k.optionalInt(k.key('vocab_size'));
  if (fromKey !== undefined) return fromKey;
  const fromEmbedding = t.dim('token_embd.weight', 1);
  if (fromEmbedding !== undefined) return fromEmbedding;
  throw new SizingError('GGUF metadata tokenizer.ggml.tokens is missing (and no vocab_size or token_embd.weight to count the vocabulary)', 'tokenizer.ggml.tokens');
}

export function shapeFromGguf(header: GgufHeader): ModelShape {
  const arch = new GgufKeys(header, '').string('general.architecture');
  const k = new GgufKeys(header, arch);
  const t = new TensorIndex(header);
  const assumptions: string[] = [];
  const assume = (note: string) => assumptions.push(note);

  const blockCount = k.int(k.key('block_count'));
  // NextN / MTP blocks (GLM-4.5: convert_hf_to_gguf.py Glm4MoeModel writes block_count = layers + nextn): the last
  // nextn_predict_layers blocks, when they hold nextn.* tensors. llama.cpp skips them at load and gives them no KV
  // cache (n_layer() = n_layer_all - n_layer_nextn), so they are not layers of the shape.
  const nextnKey = k.optionalInt(k.key('nextn_predict_layers')) ?? 0;
  let nLayer = blockCount;
  while (nLayer > 0 && blockCount - nLayer < nextnKey && t.inLayerWithPrefix(nLayer - 1, 'nextn.')) nLayer--;
  const hiddenSize = k.int(k.key('embedding_length'));
  const maxContext = k.int(k.key('context_length'));
  const recurrent = recurrentLayers(t.all());
  const allRecurrent = recurrent.size === blockCount && blockCount > 0;
  const attention = allRecurrent ? undefined : standardMixers(k, t, blockCount, hiddenSize, assume);
  const recurrentMixer = recurrent.size > 0 ? recurrentLayer(k) : undefined;
  const ffn = feedForwards(k, t, blockCount);

  const blocks: LayerShape[] = Array.from({ length: blockCount }, (_, il) => ({
    index: il,
    mixer: recurrent.has(il) ? recurrentMixer! : attention!(il),
    ffn: ffn(il),
  }));
  const layers = blocks.slice(0, nLayer);
  const nextnLayers = blocks.slice(nLayer);
  if (nextnLayers.length > 0) {
    assume(`Block(s) ${nLayer}-${blockCount - 1} are NextN (MTP) blocks (${k.key('nextn_predict_layers')} = ${nextnKey}): in the file's bytes, but llama.cpp skips them at load and gives them no KV cache.`);
  }
  const extra = header.tensors.map((x) => layerOfTensorName(x.name)).find((il) => il !== null && il >= blockCount);
  if (extra !== undefined && extra !== null) assume(`Tensors of block ${extra} lie beyond ${k.key('block_count')} = ${blockCount} (e.g. MTP layers); they count in the file's bytes but not in the layer shapes.`);

  return {
    hfArchitecture: `gguf:${arch}`,
    ggufArch: arch,
    vocabSize: vocabSize(k, t),
    hiddenSize,
    // The converter writes no output.weight for tied embeddings; llama.cpp then reuses token_embd.
    tiedEmbeddings: !t.has('output.weight'),
    layers,
    maxContext,
    extras: [],
    assumptions,
    tensorDetails: tensorDetails(t),
    ...(nextnLayers.length > 0 ? { nextnLayers } : {}),
  };
}
