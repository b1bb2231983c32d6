/**
 * One reader per Hugging Face architecture: config.json (already narrowed to the text model) -> layers.
 *
 * Each reader states how its family lays out attention, windows and experts, citing the rule's source.
 * GGUF architecture names are llama.cpp's (src/llama-arch.cpp LLM_ARCH_NAMES; convert_hf_to_gguf.py
 * @ModelBase.register maps HF names to them).
 */
import type { ConfigReader } from './config-reader.ts';
import {
  attention,
  denseFfn,
  ffnPerLayer,
  qwenSparseLayers,
  readCore,
  readDenseFfn,
  readHeads,
  readLayerTypes,
  readMoe,
  repeat,
  slidingWindows,
  zipLayers,
  type CoreSizes,
} from './shape-parts.ts';
import type { LayerMixer, LayerShape, RecurrentLayer, TensorDetails } from '../types.ts';

/** What an architecture reader produces; model-shape.ts adds the HF name, extras and assumptions. */
export interface ArchBuild extends CoreSizes {
  ggufArch: string;
  tiedEmbeddings: boolean;
  layers: LayerShape[];
  tensorDetails: TensorDetails;
  /** Multi-token-prediction layers in the checkpoint that llama.cpp's converter drops. */
  mtpLayers?: number;
  /** NextN (MTP) blocks the converter does write, after `layers` (see ModelShape.nextnLayers). */
  nextnLayers?: LayerShape[];
}

export type ArchReader = (r: ConfigReader, assume: (note: string) => void) => ArchBuild;


/** rope_scaling.rope_type (transformers also accepts the older key `type`). */
function ropeType(r: ConfigReader): string | undefined {
  const rs = r.nested('rope_scaling');
  return rs?.optionalString('rope_type') ?? rs?.optionalString('type');
}

/**
 * Llama 3 rope scaling stores its per-frequency factors as rope_freqs.weight, n_rot/2 floats
 * (convert_hf_to_gguf.py LlamaModel.generate_extra_tensors; llama-model.cpp LLM_TENSOR_ROPE_FREQS {n_rot/2}).
 */
function llama3RopeFreqs(r: ConfigReader, headDim: number): number | undefined {
  return ropeType(r) === 'llama3' ? headDim / 2 : undefined;
}

/**
 * Mistral-style `sliding_window`: when set it applies to every layer (transformers MistralAttention,
 * Phi3Attention). A window at or beyond the trained context changes nothing, so it is dropped.
 */
function uniformWindow(r: ConfigReader, core: CoreSizes, assume: (n: string) => void, runtimeNote = ''): number | null {
  const w = r.optionalInt('sliding_window');
  if (w === undefined || w >= core.maxContext) return null;
  assume(`${r.path('sliding_window')} ${w} applies to every layer (transformers).${runtimeNote}`);
  return w;
}

/** llama.cpp's "llama" graph has no sliding-window mask (llama-model.cpp LLM_ARCH_LLAMA reads no n_swa). */
const LLAMA_IGNORES_SWA = ' llama.cpp converts it as arch "llama", which ignores the window and caches the full context.';

const llama: ArchReader = (r, assume) => {
  const core = readCore(r);
  const heads = readHeads(r, core.hiddenSize);
  const window = uniformWindow(r, core, assume, LLAMA_IGNORES_SWA);
  const bias = r.bool('attention_bias', false);
  const ropeFreqs = llama3RopeFreqs(r, heads.headDim);
  return {
    ...core,
    ggufArch: 'llama',
    tiedEmbeddings: r.bool('tie_word_embeddings', false),
    layers: zipLayers(repeat(core.nLayer, () => attention(heads, window)), repeat(core.nLayer, () => readDenseFfn(r))),
    tensorDetails: { qkvBias: bias, attnOutputBias: bias, ...(ropeFreqs ? { ropeFreqs } : {}) },
  };
};

/** Mixtral converts to GGUF arch "llama" with stacked experts (convert_hf_to_gguf.py MixtralModel extends LlamaModel). */
const mixtral: ArchReader = (r, assume) => {
  const core = readCore(r);
  const heads = readHeads(r, core.hiddenSize);
  const window = uniformWindow(r, core, assume, LLAMA_IGNORES_SWA);
  const moe = readMoe(r, { nExpert: 'num_local_experts', expertFf: 'intermediate_size' });
  return {
    ...core,
    ggufArch: 'llama',
    tiedEmbeddings: r.bool('tie_word_embeddings', false),
    layers: zipLayers(repeat(core.nLayer, () => attention(heads, window)), repeat(core.nLayer, () => moe)),
    tensorDetails: {},
  };
};

/**
 * Qwen2: q/k/v carry biases (Qwen2Attention bias=True). Sliding window only with use_sliding_window, on layers
 * >= max_window_layers (transformers Qwen2Config.layer_types); released Qwen2.5 configs set it false.
 */
const qwen2: ArchReader = (r) => {
  const core = readCore(r);
  const heads = readHeads(r, core.hiddenSize);
  const useSwa = r.bool('use_sliding_window', false);
  const maxWindowLayers = useSwa ? r.int('max_window_layers', { min: 0, fallback: core.nLayer }) : core.nLayer;
  const windows = slidingWindows(r, core.nLayer, (il) => useSwa && il >= maxWindowLayers);
  return {
    ...core,
    ggufArch: 'qwen2',
    tiedEmbeddings: r.bool('tie_word_embeddings', false),
    layers: zipLayers(windows.map((w) => attention(heads, w)), repeat(core.nLayer, () => readDenseFfn(r))),
    tensorDetails: { qkvBias: true },
  };
};

/** Qwen3: per-head q/k RMS norms, no q/k/v biases unless attention_bias (Qwen3Attention). */
const qwen3: ArchReader = (r) => {
  const core = readCore(r);
  const heads = readHeads(r, core.hiddenSize);
  const bias = r.bool('attention_bias', false);
  return {
    ...core,
    ggufArch: 'qwen3',
    tiedEmbeddings: r.bool('tie_word_embeddings', false),
    layers: zipLayers(repeat(core.nLayer, () => attention(heads, null)), repeat(core.nLayer, () => readDenseFfn(r))),
    tensorDetails: { qkNorm: true, qkvBias: bias, attnOutputBias: bias },
  };
};

const qwen3moe: ArchReader = (r, assume) => {
  const core = readCore(r);
  const heads = readHeads(r, core.hiddenSize);
  const sparse = qwenSparseLayers(r, core.nLayer);
  if (sparse.some((s) => !s)) assume('Some layers are dense (mlp_only_layers / decoder_sparse_step); llama.cpp\'s qwen3moe graph expects every layer to be MoE.');
  const ffns = ffnPerLayer(sparse, () => readMoe(r, { nExpert: 'num_experts' }), () => readDenseFfn(r));
  return {
    ...core,
    ggufArch: 'qwen3moe',
    tiedEmbeddings: r.bool('tie_word_embeddings', false),
    layers: zipLayers(repeat(core.nLayer, () => attention(heads, null)), ffns),
    tensorDetails: { qkNorm: true },
  };
};

/**
 * Gated DeltaNet state as llama.cpp sizes it. convert_hf_to_gguf.py Qwen3NextModel maps
 * ssm_d_conv = linear_conv_kernel_dim, ssm_d_state = linear_key_head_dim, ssm_n_group = linear_num_key_heads,
 * ssm_d_inner = linear_value_head_dim * linear_num_value_heads; then llama-hparams.cpp
 * n_embd_r = (d_conv - 1) * (d_inner + 2 * n_group * d_state), n_embd_s = d_state * d_inner.
 */
function gatedDeltaNet(r: ConfigReader): RecurrentLayer {
  const g = {
    nKeyHead: r.int('linear_num_key_heads'),
    nValueHead: r.int('linear_num_value_heads'),
    keyHeadDim: r.int('linear_key_head_dim'),
    valueHeadDim: r.int('linear_value_head_dim'),
    convKernel: r.int('linear_conv_kernel_dim'),
  };
  if (g.nValueHead % g.nKeyHead !== 0) r.fail('linear_num_value_heads', `must be a multiple of linear_num_key_heads (${g.nKeyHead})`, g.nValueHead);
  const dInner = g.valueHeadDim * g.nValueHead;
  return {
    kind: 'recurrent',
    variant: 'gated-deltanet',
    stateElementsR: (g.convKernel - 1) * (dInner + 2 * g.nKeyHead * g.keyHeadDim),
    stateElementsS: g.keyHeadDim * dInner,
    gatedDeltaNet: g,
  };
}

/**
 * Hybrid linear/full attention (Qwen3-Next, Qwen3.5): `layer_types` when present, else every
 * full_attention_interval-th layer is full attention (transformers Qwen3NextConfig: (i + 1) % interval == 0;
 * llama.cpp: recurrent_layer_arr[i] = (i + 1) % interval != 0).
 */
function hybridMixers(r: ConfigReader, core: CoreSizes): LayerMixer[] {
  const types = readLayerTypes(r, core.nLayer);
  const interval = types ? 0 : r.int('full_attention_interval', { fallback: 4 });
  const isFull = (il: number) => (types ? types[il] === 'full_attention' : (il + 1) % interval === 0);
  const heads = readHeads(r, core.hiddenSize);
  const linear = gatedDeltaNet(r);
  return repeat(core.nLayer, (il) => (isFull(il) ? attention(heads, null) : linear));
}

const qwen3next: ArchReader = (r) => {
  const core = readCore(r);
  const mixers = hybridMixers(r, core);
  const sparse = qwenSparseLayers(r, core.nLayer);
  const ffns = ffnPerLayer(
    sparse,
    () => readMoe(r, { nExpert: 'num_experts', sharedFf: 'shared_expert_intermediate_size' }),
    () => readDenseFfn(r),
  );
  return {
    ...core,
    ggufArch: 'qwen3next',
    tiedEmbeddings: r.bool('tie_word_embeddings', false),
    layers: zipLayers(mixers, ffns),
    tensorDetails: { qkNorm: true },
  };
};

/** Qwen3.5 dense: the same hybrid layout with a dense MLP (llama.cpp arch "qwen35"). */
const qwen35: ArchReader = (r) => {
  const core = readCore(r);
  return {
    ...core,
    ggufArch: 'qwen35',
    tiedEmbeddings: r.bool('tie_word_embeddings', false),
    layers: zipLayers(hybridMixers(r, core), repeat(core.nLayer, () => readDenseFfn(r))),
    tensorDetails: { qkNorm: true },
  };
};

const qwen35moe: ArchReader = (r, assume) => {
  const shape = qwen3next(r, assume);
  return { ...shape, ggufArch: 'qwen35moe' };
};

/** Gemma 2: even layers local (transformers Gemma2: not bool(layer_idx % 2); llama.cpp set_swa_pattern(2)). */
const gemma2: ArchReader = (r) => {
  const core = readCore(r);
  const heads = readHeads(r, core.hiddenSize);
  const windows = slidingWindows(r, core.nLayer, (il) => il % 2 === 0);
  return {
    ...core,
    ggufArch: 'gemma2',
    tiedEmbeddings: r.bool('tie_word_embeddings', true),
    layers: zipLayers(windows.map((w) => attention(heads, w)), repeat(core.nLayer, () => readDenseFfn(r))),
    tensorDetails: {},
  };
};

/**
 * Gemma 3: `sliding_window_pattern` (default 6) local:global, layer il local when (il + 1) % pattern != 0
 * (transformers Gemma3TextConfig; llama.cpp set_swa_pattern(6): il % 6 < 5). q/k norms per head.
 */
const gemma3: ArchReader = (r) => {
  const core = readCore(r);
  const heads = readHeads(r, core.hiddenSize);
  const pattern = r.int('sliding_window_pattern', { fallback: 6 });
  const windows = slidingWindows(r, core.nLayer, (il) => (il + 1) % pattern !== 0);
  return {
    ...core,
    ggufArch: 'gemma3',
    tiedEmbeddings: r.bool('tie_word_embeddings', true),
    layers: zipLayers(windows.map((w) => attention(heads, w)), repeat(core.nLayer, () => readDenseFfn(r))),
    tensorDetails: { qkNorm: true },
  };
};

// Gemma 4 (31B, 26B-A4B, E2B, E4B): families/gemma4.ts.

/**
 * Phi-3: fused qkv_proj and gate_up_proj, kept fused in GGUF (attn_qkv, ffn_up of 2 x n_ff).
 * longrope scaling stores rope_factors_long/short, n_rot/2 floats each (convert_hf_to_gguf.py Phi3MiniModel).
 */
const phi3: ArchReader = (r, assume) => {
  const core = readCore(r);
  const heads = readHeads(r, core.hiddenSize);
  const window = uniformWindow(r, core, assume);
  const longrope = ropeType(r) === 'longrope' || ropeType(r) === 'su';
  return {
    ...core,
    ggufArch: 'phi3',
    tiedEmbeddings: r.bool('tie_word_embeddings', false),
    layers: zipLayers(repeat(core.nLayer, () => attention(heads, window)), repeat(core.nLayer, () => readDenseFfn(r))),
    tensorDetails: longrope ? { ropeFactors: heads.headDim / 2 } : {},
  };
};

/**
 * DeepSeek V2/V3 (llama.cpp arch "deepseek2"): multi-head latent attention; the first first_k_dense_replace
 * layers dense, then MoE every moe_layer_freq-th layer (transformers DeepseekV3DecoderLayer).
 * MTP layers (num_nextn_predict_layers) sit after the main layers in the checkpoint; the converter skips them.
 */
const deepseek: ArchReader = (r) => {
  const core = readCore(r);
  const nHead = r.int('num_attention_heads');
  const mla: LayerMixer = {
    kind: 'mla',
    nHead,
    qLoraRank: r.optionalInt('q_lora_rank') ?? null,
    kvLoraRank: r.int('kv_lora_rank'),
    qkNopeHeadDim: r.int('qk_nope_head_dim'),
    qkRopeHeadDim: r.int('qk_rope_head_dim'),
    vHeadDim: r.int('v_head_dim'),
  };
  const firstDense = r.int('first_k_dense_replace', { min: 0, fallback: 0 });
  const freq = r.int('moe_layer_freq', { fallback: 1 });
  const sparse = repeat(core.nLayer, (il) => il >= firstDense && il % freq === 0);
  const ffns = ffnPerLayer(
    sparse,
    () => readMoe(r, { nExpert: 'n_routed_experts', nShared: 'n_shared_experts' }, { sharedFfFromExperts: true }),
    () => readDenseFfn(r),
  );
  return {
    ...core,
    ggufArch: 'deepseek2',
    tiedEmbeddings: r.bool('tie_word_embeddings', false),
    layers: zipLayers(repeat(core.nLayer, () => mla), ffns),
    // noaux_tc routing adds a per-expert score-correction bias (e_score_correction_bias -> exp_probs_b).
    tensorDetails: { expertProbsBias: r.optionalString('topk_method') === 'noaux_tc' },
    mtpLayers: r.int('num_nextn_predict_layers', { min: 0, fallback: 0 }),
  };
};

/**
 * gpt-oss (llama.cpp arch "gpt-oss"): even layers sliding (layer_types; reference code: layer_idx % 2 == 0),
 * all layers MoE with intermediate_size per expert, attention biases and sinks.
 */
const gptOss: ArchReader = (r) => {
  const core = readCore(r);
  const heads = readHeads(r, core.hiddenSize);
  const windows = slidingWindows(r, core.nLayer, (il) => il % 2 === 0);
  const moe = readMoe(r, {
    nExpert: 'num_local_experts',
    nExpertUsed: r.has('num_experts_per_tok') ? 'num_experts_per_tok' : 'experts_per_token',
    expertFf: 'intermediate_size',
  });
  return {
    ...core,
    ggufArch: 'gpt-oss',
    tiedEmbeddings: r.bool('tie_word_embeddings', false),
    layers: zipLayers(windows.map((w) => attention(heads, w)), repeat(core.nLayer, () => moe)),
    tensorDetails: { qkvBias: true, attnOutputBias: true },
  };
};

/**
 * Llama 4 (text part): chunked attention (attention_chunk_size) on RoPE layers, global attention on the NoPE
 * layers: no_rope_layers[i] == 0 marks NoPE; default every 4th layer (llama.cpp set_swa_pattern(4), n_swa 8192,
 * LLAMA_SWA_TYPE_CHUNKED). MoE every interleave_moe_layer_step-th layer, one shared expert of intermediate_size;
 * dense layers use intermediate_size_mlp.
 */
const llama4: ArchReader = (r) => {
  const core = readCore(r);
  const heads = readHeads(r, core.hiddenSize);
  const noRope = r.intList('no_rope_layers');
  const types = readLayerTypes(r, core.nLayer);
  const isChunked = (il: number) =>
    types ? types[il] === 'chunked_attention' : noRope && noRope.length === core.nLayer ? noRope[il] !== 0 : (il + 1) % 4 !== 0;
  const chunk = r.int('attention_chunk_size', { fallback: 8192 });
  const ropeFreqs = llama3RopeFreqs(r, heads.headDim);
  const step = r.int('interleave_moe_layer_step', { fallback: 1 });
  const sparse = repeat(core.nLayer, (il) => (il + 1) % step === 0);
  const ffns = ffnPerLayer(
    sparse,
    () => {
      const m = readMoe(r, { nExpert: 'num_local_experts', expertFf: 'intermediate_size' });
      return { ...m, nSharedExpert: 1, sharedFf: m.expertFf };
    },
    () => denseFfn(r.int('intermediate_size_mlp')),
  );
  return {
    ...core,
    ggufArch: 'llama4',
    tiedEmbeddings: r.bool('tie_word_embeddings', false),
    layers: zipLayers(repeat(core.nLayer, (il) => attention(heads, isChunked(il) ? chunk : null, 'chunked')), ffns),
    // Llama4Model extends LlamaModel in convert_hf_to_gguf.py, so llama3 rope scaling also yields rope_freqs.
    tensorDetails: ropeFreqs ? { ropeFreqs } : {},
  };
};

/**
 * GLM-4.5 / GLM-4.5-Air / GLM-4.6 (llama.cpp arch "glm4moe"; src/models/glm4-moe.cpp load_arch_tensors and
 * convert_hf_to_gguf.py Glm4MoeModel). GQA attention with q/k/v biases when attention_bias (Glm4MoeAttention's
 * o_proj never has one, so no attn_output.bias), per-head q/k RMS norms when use_qk_norm (GLM-4.5 and 4.6, not Air).
 * partial_rotary_factor only sets the rope dimension count: no tensor. The first first_k_dense_replace layers are
 * dense (intermediate_size); the rest MoE: n_routed_experts of moe_intermediate_size, a shared block of
 * n_shared_experts x moe_intermediate_size, and the sigmoid router's e_score_correction_bias (exp_probs_b, always
 * created for MoE layers). The pre-MLP norm is post_attention_layernorm -> post_attention_norm (no ffn_norm).
 *
 * NextN / MTP, unlike DeepSeek: Glm4MoeModel writes the num_nextn_predict_layers checkpoint layers as extra blocks
 * (block_count = num_hidden_layers + nextn): a full MoE block plus nextn.eh_proj {2 n_embd, n_embd}, enorm, hnorm,
 * shared_head_norm and, when the checkpoint has them, nextn.embed_tokens / nextn.shared_head_head {n_embd, n_vocab}.
 * llama.cpp creates them with TENSOR_SKIP (llama-model-loader: not allocated, size_data -= nbytes) and builds
 * neither graph nor KV cache for them (hparams.n_layer() = n_layer_all - n_layer_nextn; the graph loops il < n_layer),
 * so they go to nextnLayers, not layers. GLM-4.5-Air's GGUF: 47 blocks, 803 tensors (llama.cpp PR #14939 load log).
 */
const glm4moe: ArchReader = (r, assume) => {
  const core = readCore(r);
  const heads = readHeads(r, core.hiddenSize);
  const firstDense = r.int('first_k_dense_replace', { min: 0, fallback: 1 }); // transformers Glm4MoeConfig default
  const nNextn = r.int('num_nextn_predict_layers', { min: 0, fallback: 0 }); // the converter's .get(..., 0)
  const nBlocks = core.nLayer + nNextn;
  const ffns = ffnPerLayer(
    repeat(nBlocks, (il) => il >= firstDense), // llama.cpp: use_moe = i >= n_layer_dense_lead, NextN blocks included
    () => readMoe(r, { nExpert: 'n_routed_experts', nShared: 'n_shared_experts' }, { sharedFfFromExperts: true }),
    () => readDenseFfn(r),
  );
  const blocks = zipLayers(repeat(nBlocks, () => attention(heads, null)), ffns);
  if (nNextn > 0) {
    // The config cannot tell whether the NextN layer has its own embedding / head copies: GLM-4.5 and 4.5-Air do
    // (blk.46.nextn.embed_tokens in their GGUFs), GLM-4.6 does not (llama.cpp PR #16359 made them optional).
    assume(
      `${r.path('num_nextn_predict_layers')} ${nNextn}: the GGUF holds ${nNextn === 1 ? 'a NextN (MTP) block' : `${nNextn} NextN (MTP) blocks`} after the ${core.nLayer} layers, ` +
        'taken to carry its own embedding and output-head copies as GLM-4.5/4.5-Air do (GLM-4.6 does not); llama.cpp skips it at load, so it counts in the file size only.',
    );
  }
  return {
    ...core,
    ggufArch: 'glm4moe',
    tiedEmbeddings: r.bool('tie_word_embeddings', false),
    layers: blocks.slice(0, core.nLayer),
    nextnLayers: blocks.slice(core.nLayer),
    tensorDetails: {
      qkvBias: r.bool('attention_bias', false),
      qkNorm: r.bool('use_qk_norm', false),
      expertProbsBias: true,
      ...(nNextn > 0 ? { nextnEmbeddings: true } : {}),
    },
  };
};

/** HF architecture name -> reader. */
export const ARCHITECTURES: Readonly<Record<string, ArchReader>> = {
  LlamaForCausalLM: llama,
  MistralForCausalLM: llama,
  MixtralForCausalLM: mixtral,
  Qwen2ForCausalLM: qwen2,
  Qwen3ForCausalLM: qwen3,
  Qwen3MoeForCausalLM: qwen3moe,
  Qwen3NextForCausalLM: qwen3next,
  Qwen3_5ForCausalLM: qwen35,
  Qwen3_5ForConditionalGeneration: qwen35,
  Qwen3_5MoeForCausalLM: qwen35moe,
  Qwen3_5MoeForConditionalGeneration: qwen35moe,
  Gemma2ForCausalLM: gemma2,
  Gemma3ForCausalLM: gemma3,
  Gemma3ForConditionalGeneration: gemma3,
  Phi3ForCausalLM: phi3,
  DeepseekV2ForCausalLM: deepseek,
  DeepseekV3ForCausalLM: deepseek,
  Glm4MoeForCausalLM: glm4moe,
  GptOssForCausalLM: gptOss,
  Llama4ForConditionalGeneration: llama4,
  Llama4ForCausalLM: llama4,
};

