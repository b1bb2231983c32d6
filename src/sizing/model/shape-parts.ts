/**
 * Building blocks shared by the per-architecture readers in architectures.ts: the core sizes every
 * decoder has, attention heads, per-layer window patterns, dense and MoE feed-forward blocks.
 * Each reads through ConfigReader, so a bad value names its key.
 */
import type { ConfigReader } from './config-reader.ts';
import type { DenseFfn, Ffn, LayerMixer, LayerShape, MoeFfn, StandardAttention } from '../types.ts';

export interface CoreSizes {
  vocabSize: number;
  hiddenSize: number;
  nLayer: number;
  maxContext: number;
}

export function readCore(r: ConfigReader): CoreSizes {
  return {
    vocabSize: r.int('vocab_size'),
    hiddenSize: r.int('hidden_size'),
    nLayer: r.int('num_hidden_layers'),
    maxContext: r.int('max_position_embeddings'),
  };
}

export interface HeadLayout {
  nHead: number;
  nHeadKv: number;
  headDim: number;
}

/**
 * Heads and head width. head_dim: the explicit key when present (Gemma, Qwen3, gpt-oss, Mistral Nemo differ
 * from hidden/heads), else hidden_size / num_attention_heads as transformers computes it.
 * num_key_value_heads defaults to num_attention_heads (MHA), as in transformers' LlamaConfig.
 */
export function readHeads(r: ConfigReader, hiddenSize: number): HeadLayout {
  const nHead = r.int('num_attention_heads');
  const nHeadKv = r.int('num_key_value_heads', { fallback: nHead });
  if (nHead % nHeadKv !== 0) {
    r.fail('num_key_value_heads', `must divide num_attention_heads (${nHead})`, nHeadKv);
  }
  let headDim: number;
  if (r.has('head_dim')) {
    headDim = r.int('head_dim');
  } else {
    if (hiddenSize % nHead !== 0) r.fail('num_attention_heads', `must divide hidden_size (${hiddenSize}) when head_dim is not given`, nHead);
    headDim = hiddenSize / nHead;
  }
  return { nHead, nHeadKv, headDim };
}

export function attention(h: HeadLayout, window: number | null, windowKind: 'sliding' | 'chunked' = 'sliding'): StandardAttention {
  const a: StandardAttention = { kind: 'attention', nHead: h.nHead, nHeadKv: h.nHeadKv, headDimK: h.headDim, headDimV: h.headDim, window };
  if (window !== null) a.windowKind = windowKind;
  return a;
}

/** Layer kinds as transformers' `layer_types` names them. */
export type LayerKind = 'full_attention' | 'sliding_attention' | 'chunked_attention' | 'linear_attention';
const LAYER_KINDS: readonly string[] = ['full_attention', 'sliding_attention', 'chunked_attention', 'linear_attention'];

/** `layer_types` when the config has it (newer transformers write it for Gemma 2/3, gpt-oss, Qwen3-Next ...). */
export function readLayerTypes(r: ConfigReader, nLayer: number): LayerKind[] | undefined {
  const list = r.stringList('layer_types', nLayer);
  if (list === undefined) return undefined;
  list.forEach((t, i) => {
    if (!LAYER_KINDS.includes(t)) r.fail('layer_types', `entry ${i} must be one of ${LAYER_KINDS.join(', ')}`, t);
  });
  return list as LayerKind[];
}

/**
 * Which layers are local (sliding-window) attention: `layer_types` when present, else the architecture's
 * own pattern `isLocal(il)`. Returns the window per layer (null = global).
 */
export function slidingWindows(
  r: ConfigReader,
  nLayer: number,
  isLocal: (il: number) => boolean,
  windowKey = 'sliding_window',
): (number | null)[] {
  const types = readLayerTypes(r, nLayer);
  const anyLocal = types ? types.includes('sliding_attention') : Array.from({ length: nLayer }, (_, il) => isLocal(il)).some(Boolean);
  const window = anyLocal ? r.int(windowKey) : null;
  return Array.from({ length: nLayer }, (_, il) => {
    const local = types ? types[il] === 'sliding_attention' : isLocal(il);
    return local ? window : null;
  });
}

export function denseFfn(ff: number, gated = true): DenseFfn {
  return { kind: 'dense', ff, gated };
}

export function readDenseFfn(r: ConfigReader, key = 'intermediate_size'): DenseFfn {
  return denseFfn(r.int(key));
}

export interface MoeKeys {
  nExpert: string;
  nExpertUsed?: string;
  expertFf?: string;
  nShared?: string;
  sharedFf?: string;
}

/**
 * A routed-expert block. Key names differ by family (num_experts / num_local_experts / n_routed_experts,
 * n_shared_experts / shared_expert_intermediate_size), so the caller names them.
 * With `sharedFfFromExperts`, the shared block is n_shared x moe_intermediate_size wide (DeepSeek, GLM-4.5).
 */
export function readMoe(r: ConfigReader, keys: MoeKeys, opts: { sharedFfFromExperts?: boolean } = {}): MoeFfn {
  const nExpert = r.int(keys.nExpert);
  const nExpertUsed = r.int(keys.nExpertUsed ?? 'num_experts_per_tok');
  if (nExpertUsed > nExpert) r.fail(keys.nExpertUsed ?? 'num_experts_per_tok', `must not exceed ${keys.nExpert} (${nExpert})`, nExpertUsed);
  const expertFf = r.int(keys.expertFf ?? 'moe_intermediate_size');
  let nSharedExpert = 0;
  let sharedFf = 0;
  if (keys.nShared !== undefined) nSharedExpert = r.int(keys.nShared, { min: 0, fallback: 0 });
  if (keys.sharedFf !== undefined) {
    sharedFf = r.int(keys.sharedFf, { min: 0, fallback: 0 });
    if (keys.nShared === undefined) nSharedExpert = sharedFf > 0 ? 1 : 0;
  } else if (opts.sharedFfFromExperts) {
    sharedFf = nSharedExpert * expertFf;
  }
  return { kind: 'moe', nExpert, nExpertUsed, expertFf, nSharedExpert, sharedFf, gated: true };
}

/** transformers' Qwen2-MoE / Qwen3-MoE rule: sparse unless listed in mlp_only_layers, and only every decoder_sparse_step-th layer. */
export function qwenSparseLayers(r: ConfigReader, nLayer: number): boolean[] {
  const mlpOnly = new Set(r.intList('mlp_only_layers') ?? []);
  const step = r.int('decoder_sparse_step', { fallback: 1 });
  return Array.from({ length: nLayer }, (_, il) => !mlpOnly.has(il) && (il + 1) % step === 0);
}

export function ffnPerLayer(sparse: boolean[], moe: () => MoeFfn, dense: () => Ffn): Ffn[] {
  const m = sparse.some(Boolean) ? moe() : undefined;
  const d = sparse.some((s) => !s) ? dense() : undefined;
  return sparse.map((s) => (s ? m! : d!));
}

/** Layer i gets mixers[i] and ffns[i]. */
export function zipLayers(mixers: LayerMixer[], ffns: Ffn[]): LayerShape[] {
  return mixers.map((mixer, index) => ({ index, mixer, ffn: ffns[index]! }));
}

/** f(0) ... f(n - 1). */
export function repeat<T>(n: number, f: (il: number) => T): T[] {
  return Array.from({ length: n }, (_, il) => f(il));
}
