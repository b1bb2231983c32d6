/**
 * llama.cpp's KV cache and recurrent state, tensor by tensor, as llama_kv_cache / llama_kv_cache_iswa /
 * llama_memory_recurrent allocate them. Rules and commits: src/llama-kv-cache.cpp (3514e9f6),
 * src/llama-kv-cache-iswa.cpp (02c28f53), src/llama-hparams.cpp (01b77b57), src/llama-memory-recurrent.cpp (0054ee8c) of
 * ggml-org/llama.cpp, and the PRs named in runtime-profiles.ts.
 */
import { SizingError } from '../errors.ts';
import { findGgmlType, isQuantizedType, rowBytes } from '../formats/ggml-types.ts';
import type { KvGroup, KvOptions, KvResult } from './kv-cache-types.ts';
import { llamaCppProfile, type LlamaCppProfile } from './runtime-profiles.ts';
import type { LayerShape, ModelShape } from '../types.ts';
import { attentionOf, recurrentOf } from '../mixers.ts';

/** Cache types llama.cpp accepts for -ctk / -ctv (common/arg.cpp kv_cache_types). */
export const LLAMA_CPP_CACHE_TYPES = ['f32', 'f16', 'bf16', 'q8_0', 'q4_0', 'q4_1', 'q5_0', 'q5_1', 'iq4_nl'] as const;

export const pad = (n: number, to: number): number => Math.ceil(n / to) * to;

/** The context geometry llama.cpp settles on (llama-context.cpp constructor). */
export interface LlamaCppContext {
  /** Total cells of a full-attention layer over all streams (the printed n_ctx). */
  nCtx: number;
  /** Cells per stream (n_ctx_seq). */
  nCtxSeq: number;
  /** Streams: 1 when unified, n_seq_max otherwise. */
  nStream: number;
  nSeq: number;
  nUbatch: number;
  unified: boolean;
  flashAttn: boolean;
}

/**
 * n_ctx = GGML_PAD(ctx x seqs, 256) (PR #17046); non-unified: n_ctx_seq = GGML_PAD(n_ctx / n_seq, 256),
 * n_ctx = n_ctx_seq x n_seq. n_ubatch = min(n_ubatch, n_batch <= n_ctx) (llama-context.cpp).
 */
export function llamaCppContext(opts: KvOptions, profile: LlamaCppProfile): LlamaCppContext {
  checkPositiveInteger(opts.ctx, 'ctx');
  checkPositiveInteger(opts.seqs, 'seqs');
  const nSeq = opts.seqs;
  const flashAttn = opts.flashAttn ?? true;
  const unified = nSeq === 1 ? true : (opts.unified ?? profile.defaultUnified);
  const padTo = profile.ctxPadding === 'always-256' || flashAttn ? 256 : 32;
  let nCtx = pad(opts.ctx * nSeq, padTo);
  let nCtxSeq = nCtx;
  if (!unified) {
    nCtxSeq = pad(Math.floor(nCtx / nSeq), padTo);
    nCtx = nCtxSeq * nSeq;
  }
  const ubatch = opts.ubatch ?? profile.defaultUbatch;
  checkPositiveInteger(ubatch, 'ubatch');
  // n_batch (default 2048) is clamped to n_ctx for causal models, and n_ubatch to n_batch.
  const nUbatch = Math.min(ubatch, nCtx);
  return { nCtx, nCtxSeq, nStream: unified ? 1 : nSeq, nSeq, nUbatch, unified, flashAttn };
}

/** K and V row widths (elements per cell) of one attention layer, as llama.cpp's hparams give them. */
export function kvWidths(layer: LayerShape, mla: LlamaCppProfile['mla']): { k: number; v: number } | null {
  const m = attentionOf(layer);
  if (!m) return null;
  if (m.kind === 'attention') return { k: m.nHeadKv * m.headDimK, v: m.nHeadKv * m.headDimV };
  if (m.kind === 'mla') {
    // convert_hf_to_gguf DeepseekV2Model: n_head_kv = 1, key_length = kv_lora_rank + qk_rope_head_dim,
    // value_length = kv_lora_rank; the cache holds that latent, not per-head K/V.
    const latentK = m.kvLoraRank + m.qkRopeHeadDim;
    if (mla === 'latent-k') return { k: latentK, v: 0 };
    if (mla === 'latent-k-and-v') return { k: latentK, v: m.kvLoraRank };
    return { k: m.nHead * (m.qkNopeHeadDim + m.qkRopeHeadDim), v: m.nHead * m.vHeadDim };
  }
  return null;
}

function checkPositiveInteger(n: number, field: string): void {
  if (!Number.isInteger(n) || n < 1) throw new SizingError(`${field} must be a positive whole number, got ${n}`, field);
}

function checkCacheType(type: string, field: 'typeK' | 'typeV'): string {
  const t = type.trim().toLowerCase();
  if (!(LLAMA_CPP_CACHE_TYPES as readonly string[]).includes(t) || !findGgmlType(t)) {
    throw new SizingError(`llama.cpp cache type "${type}" is not one of ${LLAMA_CPP_CACHE_TYPES.join(', ')}`, field);
  }
  return t;
}

function layerRowBytes(type: string, width: number, field: 'typeK' | 'typeV'): number {
  if (width === 0) return 0;
  try {
    return rowBytes(type, width);
  } catch {
    // llama_kv_cache ctor: a quantized cache row must be whole blocks (n_embd_k_gqa % blck_size == 0).
    throw new SizingError(`A ${type} cache needs rows that are a multiple of its block; this model's row has ${width} elements`, field);
  }
}

/** Which cache a layer belongs to and how many cells it gets. */
/** llama.cpp's default logical batch (-b 2048). */
const LLAMA_DEFAULT_N_BATCH = 2048;

function layerCells(
  layer: LayerShape,
  ctxInfo: LlamaCppContext,
  profile: LlamaCppProfile,
  swaFull: boolean,
): { label: KvGroup['label']; cells: number } | null {
  const m = attentionOf(layer);
  if (!m) return null;
  if (m.kind === 'mla') return { label: 'mla', cells: ctxInfo.nCtx };
  // A layer that reuses an earlier layer's cache (Gemma 3n, Gemma 4 E2B/E4B: n_layer_kv_from_start) gets no cells.
  if (m.kvSharedFrom !== undefined) return null;
  if (m.window === null || swaFull || profile.swaCells === 'full') return { label: 'global', cells: ctxInfo.nCtx };
  // llama_kv_cache_iswa: size_swa = min(size_base, n_swa * (unified ? n_seq_max : 1) + n_ubatch), per stream,
  // padded to 256 ("the SWA cache is always padded to 256", issue #17037) or, before that, like the context.
  const perStreamBase = ctxInfo.nCtxSeq;
  // PR #13194's first form (until #13833): n_swa * n_seq_max + n_batch (n_batch 2048 by default).
  const want = profile.swaCells === 'window-times-seqs-plus-batch' ? m.window * ctxInfo.nSeq + LLAMA_DEFAULT_N_BATCH : m.window * (ctxInfo.unified ? ctxInfo.nSeq : 1) + ctxInfo.nUbatch;
  const padTo = profile.swaCells === 'window-plus-ubatch-pad256' || profile.ctxPadding === 'always-256' || ctxInfo.flashAttn ? 256 : 32;
  const perStream = Math.min(perStreamBase, pad(Math.min(perStreamBase, want), padTo));
  return { label: m.windowKind === 'chunked' ? 'chunked' : 'sliding', cells: perStream * ctxInfo.nStream };
}

/** llama.cpp KV cache + recurrent state for a model at a context. */
export function llamaCppKv(shape: ModelShape, opts: KvOptions): KvResult {
  const profile = llamaCppProfile(opts.version);
  const ctxInfo = llamaCppContext(opts, profile);
  const typeK = checkCacheType(opts.typeK, 'typeK');
  const typeV = checkCacheType(opts.typeV, 'typeV');
  const notes: string[] = [];
  const vTrans = !ctxInfo.flashAttn;
  if (vTrans && isQuantizedType(typeV)) {
    // llama-context.cpp: "quantized V cache requires flash_attn to be enabled".
    throw new SizingError('quantized V cache requires flash attention in llama.cpp', 'typeV');
  }

  // [TAG_V_CACHE_VARIABLE]: with V transposed, every V tensor is n_embd_v_gqa_max() wide.
  const widths = shape.layers.map((l) => kvWidths(l, profile.mla));
  const vMax = Math.max(0, ...widths.map((w) => w?.v ?? 0));
  if (vTrans && widths.some((w) => w !== null && w.v !== 0 && w.v !== vMax)) {
    notes.push(`V widths differ between layers and flash attention is off: every V row is padded to ${vMax} elements.`);
  }

  const groups = new Map<string, KvGroup>();
  let perTokenBytes = 0;
  shape.layers.forEach((layer, i) => {
    const state = recurrentOf(layer);
    if (state) {
      // llama_memory_recurrent: mem_size = max(1, n_seq_max) rows of r [n_embd_r] and s [n_embd_s], F32 always.
      const rows = Math.max(1, ctxInfo.nSeq);
      addTo(groups, 'recurrent', rows, 'f32', 'f32', 4 * state.stateElementsR * rows, 4 * state.stateElementsS * rows);
    }
    const w = widths[i];
    const place = layerCells(layer, ctxInfo, profile, opts.swaFull ?? false);
    if (!w || !place) return;
    const windowed = place.label === 'sliding' || place.label === 'chunked';
    // PR #21277: the SWA cache is kept F16 in builds that have it.
    const tK = windowed && profile.swaKeptF16 ? 'f16' : typeK;
    const tV = windowed && profile.swaKeptF16 ? 'f16' : typeV;
    const vWidth = w.v === 0 ? 0 : vTrans ? vMax : w.v;
    const kRow = layerRowBytes(tK, w.k, 'typeK');
    const vRow = layerRowBytes(tV, vWidth, 'typeV');
    addTo(groups, place.label, place.cells, tK, tV, kRow * place.cells, vRow * place.cells);
    // At long context a window is full: only full-context layers grow with one more token.
    if (!windowed) perTokenBytes += kRow + vRow;
  });

  if (profile.swaKeptF16 && [...groups.values()].some((g) => g.label === 'sliding' && g.typeK !== typeK)) {
    notes.push('This build keeps the sliding-window cache in F16 whatever cache type is asked for (PR #21277).');
  }
  if (!ctxInfo.unified) {
    notes.push(`${ctxInfo.nSeq} sequences, not unified: ${ctxInfo.nStream} streams of ${ctxInfo.nCtxSeq} cells (n_ctx ${ctxInfo.nCtx}).`);
  }
  if (ctxInfo.nCtx !== opts.ctx * opts.seqs) notes.push(`Context padded from ${opts.ctx * opts.seqs} to ${ctxInfo.nCtx} cells.`);
  // The order llama.cpp prints: the base (non-SWA) cache, then the SWA cache, then the recurrent state.
  const order: KvGroup['label'][] = ['global', 'mla', 'sliding', 'chunked', 'recurrent'];
  const list = [...groups.values()].sort((a, b) => order.indexOf(a.label) - order.indexOf(b.label));
  return {
    runtime: 'llama.cpp',
    version: profile.version,
    bytes: list.reduce((s, g) => s + g.bytes, 0),
    perTokenBytes,
    groups: list,
    notes,
  };
}

function addTo(
  groups: Map<string, KvGroup>,
  label: KvGroup['label'],
  cells: number,
  typeK: string,
  typeV: string,
  kBytes: number,
  vBytes: number,
): void {
  const key = `${label}/${cells}/${typeK}/${typeV}`;
  const g = groups.get(key);
  if (g) {
    g.layers += 1;
    g.kBytes += kBytes;
    g.vBytes += vBytes;
    g.bytes += kBytes + vBytes;
  } else {
    groups.set(key, { label, layers: 1, cells, typeK, typeV, kBytes, vBytes, bytes: kBytes + vBytes });
  }
}
