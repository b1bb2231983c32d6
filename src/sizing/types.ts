/**
 * The engine's spine: the shapes every part of src/sizing agrees on.
 *
 *   config.json ──▶ ModelShape ──▶ TensorInfo[] ──(file type | GPU format)──▶ TypedTensor[] ──▶ bytes
 *                       └──────────▶ KV cache / recurrent state (per layer)
 *
 * Pure data, no behaviour. Everything is in bytes, elements or tokens; formatting happens at the edge.
 */

/** A ggml tensor type name as llama.cpp prints it (upper case): "F32", "Q4_K", "IQ4_XS", "MXFP4" ... */
export type GgmlTypeName = string;

/** A Hugging Face config.json, as parsed JSON. Validated by model-shape.ts, never trusted as typed. */
export type HfConfig = Record<string, unknown>;

/** Coarse role of a tensor, used by GPU formats (which layers stay 16-bit) and by offload planning. */
export type TensorRole =
  | 'token_embd' // input embedding (also the output head when tied)
  | 'output' // untied output head (lm_head)
  | 'norm' // any norm weight (1-D)
  | 'bias' // any bias (1-D)
  | 'attn' // attention projections (q, k, v, o, fused qkv, MLA low-rank projections)
  | 'ffn' // dense MLP projections (gate, up, down) and shared experts
  | 'ffn_exps' // routed experts, stacked 3-D [n_embd|n_ff, n_ff|n_embd, n_expert]
  | 'router' // MoE gate (ffn_gate_inp)
  | 'recurrent' // linear-attention / state-space layer weights (Gated DeltaNet, Mamba ...)
  | 'other'; // rope_freqs, attention sinks, anything else

/**
 * One tensor of the model, named and shaped as a llama.cpp GGUF file names and shapes it.
 * dims are in ggml order: dims[0] = ne0 = the row length (input features of a matrix),
 * dims[1] = number of rows (output features), dims[2] = experts for stacked MoE tensors.
 */
export interface TensorInfo {
  /** GGUF tensor name, e.g. "blk.3.attn_v.weight", "token_embd.weight", "output_norm.weight". */
  name: string;
  dims: number[];
  /** Block (layer) index, or null for tensors outside the blocks (embeddings, output, output_norm). */
  layer: number | null;
  role: TensorRole;
}

/** A tensor with its storage type chosen (by a GGUF file-type recipe, or read from a GGUF header). */
export interface TypedTensor extends TensorInfo {
  type: GgmlTypeName;
}

/** Standard softmax attention with grouped-query / multi-query / multi-head key-value heads. */
export interface StandardAttention {
  kind: 'attention';
  nHead: number;
  /** Key/value heads. GQA: nHeadKv < nHead. MQA: 1. MHA: nHeadKv == nHead. */
  nHeadKv: number;
  /** Per-head key and value widths, from head_dim (never hidden/heads when the config says otherwise). */
  headDimK: number;
  headDimV: number;
  /**
   * Local attention window in tokens, or null for global (full) attention.
   * 'sliding': each token sees the previous `window` tokens (Gemma 2/3, gpt-oss, Mistral v0.1).
   * 'chunked': tokens see only their own chunk of `window` tokens (Llama 4).
   */
  window: number | null;
  windowKind?: 'sliding' | 'chunked';
  /**
   * Values come from the key projection (Gemma 4 global layers, attention_k_eq_v): the GGUF has no attn_v for the
   * layer, but llama.cpp still caches V (Vcur = Kcur before the norms), so the KV cache is unchanged.
   */
  valueFromKey?: boolean;
  /**
   * The layer reads the KV cache of an earlier layer (this index) and stores none of its own: Gemma 3n and
   * Gemma 4 E2B/E4B share the caches of their last KV-owning layers with the layers after them.
   */
  kvSharedFrom?: number;
}

/** Multi-head latent attention (DeepSeek V2/V3, Kimi K2): the cache holds a compressed latent, not per-head K/V. */
export interface LatentAttention {
  kind: 'mla';
  nHead: number;
  /** null when queries are not low-rank (DeepSeek-V2-Lite). */
  qLoraRank: number | null;
  kvLoraRank: number;
  qkNopeHeadDim: number;
  qkRopeHeadDim: number;
  vHeadDim: number;
}

/**
 * A recurrent / linear-attention layer (Gated DeltaNet in Qwen3-Next / Qwen3.5, Mamba, RWKV ...).
 * Its state does not grow with context; it is one state per sequence.
 * Sizes are in elements, as llama.cpp's n_embd_r() (conv / shift state) and n_embd_s() (SSM / WKV state).
 */
export interface RecurrentLayer {
  kind: 'recurrent';
  variant: string; // 'gated-deltanet' | 'mamba2' | ...
  stateElementsR: number;
  stateElementsS: number;
  /** Gated DeltaNet head layout (Qwen3-Next / Qwen3.5), needed to list the layer's tensors. Added by model-shape.ts. */
  gatedDeltaNet?: GatedDeltaNetShape;
}

/** Linear-attention head layout of a Gated DeltaNet layer, from linear_* config keys. */
export interface GatedDeltaNetShape {
  nKeyHead: number;
  nValueHead: number;
  keyHeadDim: number;
  valueHeadDim: number;
  convKernel: number;
}

/**
 * A layer without attention or state mixing: the MLP-only and MoE-only layers of Nemotron-H (its
 * hybrid_override_pattern gives every sub-block its own llama.cpp layer). No KV cache, no recurrent state.
 */
export interface NoMixer {
  kind: 'none';
}

export type LayerMixer = StandardAttention | LatentAttention | RecurrentLayer | NoMixer;

export interface DenseFfn {
  kind: 'dense';
  /** Intermediate size of the gated MLP (gate/up: hidden -> ff, down: ff -> hidden). 0 for no MLP. */
  ff: number;
  /** Whether the MLP is gated (SwiGLU/GeGLU: gate+up+down) or plain (up+down). */
  gated: boolean;
}

export interface MoeFfn {
  kind: 'moe';
  nExpert: number;
  nExpertUsed: number;
  /** Intermediate size of one routed expert. */
  expertFf: number;
  /** Number of shared (always active) experts and the intermediate size of the shared block (0 if none). */
  nSharedExpert: number;
  sharedFf: number;
  gated: boolean;
}

export type Ffn = DenseFfn | MoeFfn;

export interface LayerShape {
  index: number;
  mixer: LayerMixer;
  ffn: Ffn;
  /**
   * A recurrent state the layer keeps beside its attention (Falcon-H1 runs attention and Mamba-2 in parallel in
   * every layer: llama.cpp gives each layer both a KV cache and a recurrent state).
   */
  state?: RecurrentLayer;
}

/** A model reduced to what sizing needs. Built from a config.json by model-shape.ts. */
export interface ModelShape {
  /** HF architectures[0], e.g. "LlamaForCausalLM". */
  hfArchitecture: string;
  /** llama.cpp's architecture name (GGUF general.architecture): "llama", "qwen2", "qwen3moe", "gemma3", "deepseek2" ... */
  ggufArch: string;
  vocabSize: number;
  hiddenSize: number;
  /** Input embedding reused as output head (no separate output.weight). */
  tiedEmbeddings: boolean;
  layers: LayerShape[];
  /** Trained context length (max_position_embeddings), tokens. */
  maxContext: number;
  /** Parts of the checkpoint that the text model does not use (vision tower, audio encoder, MTP layers), with their parameter counts. */
  extras: { name: string; params: number; note: string }[];
  /** Things the parser had to assume, stated so the page can show them. */
  assumptions: string[];
  /** Config-driven tensor details the layer shapes do not imply (set by model-shape.ts, read by tensors.ts). */
  tensorDetails?: TensorDetails;
  /**
   * NextN / multi-token-prediction blocks the GGUF file carries after `layers` (GLM-4.5: blk.46 on Air, blk.92 on
   * GLM-4.5), indexed from layers.length. llama.cpp skips their tensors at load and gives them no KV cache, so they
   * count in the file (and in llama.cpp's printed "model params") but in no memory, KV or speed figure.
   */
  nextnLayers?: LayerShape[];
  /**
   * How the config was read: 'exact' by a reader written for its architecture (tensor by tensor as llama.cpp's
   * converter writes it), or 'generic' for an architecture the engine does not know, sized as a standard decoder
   * from the usual keys (listed in `keys`). Absent means exact.
   */
  reading?: ModelReading;
}

export interface ModelReading {
  kind: 'exact' | 'generic';
  /** The config keys a generic reading used, as paths ("text_config.hidden_size"). */
  keys?: string[];
}

/** Optional tensors that depend on config values rather than on the architecture alone. */
export interface TensorDetails {
  /** Length of rope_freqs.weight (Llama 3 rope scaling: head_dim / 2). Absent: no such tensor. */
  ropeFreqs?: number;
  /** Length of each of rope_factors_long.weight / rope_factors_short.weight (Phi-3 longrope: head_dim / 2). */
  ropeFactors?: number;
  /** Biases on the q, k, v projections. */
  qkvBias?: boolean;
  /** Bias on the attention output projection. */
  attnOutputBias?: boolean;
  /** Per-head RMS norms on q and k (attn_q_norm / attn_k_norm). */
  qkNorm?: boolean;
  /** Router score-correction bias per expert (DeepSeek-V3 noaux_tc, GLM-4.5): blk.N.exp_probs_b.bias. */
  expertProbsBias?: boolean;
  /**
   * NextN blocks carry their own copies of the embedding and output head (nextn.embed_tokens,
   * nextn.shared_head_head): GLM-4.5 and GLM-4.5-Air checkpoints do, GLM-4.6's does not.
   */
  nextnEmbeddings?: boolean;
}
