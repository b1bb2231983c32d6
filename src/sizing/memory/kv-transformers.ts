/**
 * Hugging Face transformers' KV cache: DynamicCache grows one K and one V tensor per layer,
 * [batch, num_kv_heads, tokens, head_dim] in the model dtype (cache_utils.py). Since 4.56 sliding-window layers
 * (config layer_types / sliding_window) use DynamicSlidingWindowLayer, which keeps only the window.
 */
import { SizingError } from '../errors.ts';
import type { KvGroup, KvOptions, KvResult } from './kv-cache-types.ts';
import { transformersProfile } from './runtime-profiles.ts';
import type { ModelShape } from '../types.ts';
import { attentionOf, recurrentOf } from '../mixers.ts';

export function torchDtypeBytes(dtype: string, field: 'typeK' | 'typeV'): number {
  const d = dtype.trim().toLowerCase();
  if (['bf16', 'bfloat16', 'f16', 'fp16', 'float16', 'auto'].includes(d)) return 2;
  if (['f32', 'fp32', 'float32'].includes(d)) return 4;
  throw new SizingError(`transformers cache dtype "${dtype}" is not bf16, f16 or f32`, field);
}

export function transformersKv(shape: ModelShape, opts: KvOptions): KvResult {
  for (const [n, f] of [[opts.ctx, 'ctx'], [opts.seqs, 'seqs']] as const) {
    if (!Number.isInteger(n) || n < 1) throw new SizingError(`${f} must be a positive whole number, got ${n}`, f);
  }
  const profile = transformersProfile(opts.version);
  const bK = torchDtypeBytes(opts.typeK, 'typeK');
  const bV = torchDtypeBytes(opts.typeV, 'typeV');
  const groups = new Map<string, KvGroup>();
  const notes: string[] = [];
  let perTokenBytes = 0;
  const add = (label: KvGroup['label'], cells: number, kBytes: number, vBytes: number) => {
    const key = `${label}/${cells}`;
    const g = groups.get(key) ?? { label, layers: 0, cells, typeK: opts.typeK, typeV: opts.typeV, kBytes: 0, vBytes: 0, bytes: 0 };
    g.layers += 1;
    g.kBytes += kBytes;
    g.vBytes += vBytes;
    g.bytes += kBytes + vBytes;
    groups.set(key, g);
  };
  for (const layer of shape.layers) {
    const state = recurrentOf(layer);
    if (state) {
      // Mamba / linear-attention caches: conv and recurrent state per sequence, in the model dtype (assumed).
      add('recurrent', opts.seqs, state.stateElementsR * bK * opts.seqs, state.stateElementsS * bV * opts.seqs);
    }
    const m = attentionOf(layer);
    if (!m) continue;
    // KV sharing (Gemma 3n): the layer attends over an earlier layer's cache and stores nothing.
    if (m.kind === 'attention' && m.kvSharedFrom !== undefined) continue;
    // MLA in transformers (DeepseekV3Attention) caches the decompressed per-head keys and values.
    const [kw, vw, label, window] =
      m.kind === 'mla'
        ? [m.nHead * (m.qkNopeHeadDim + m.qkRopeHeadDim), m.nHead * m.vHeadDim, 'mla' as const, null]
        : [m.nHeadKv * m.headDimK, m.nHeadKv * m.headDimV, m.window === null ? ('global' as const) : m.windowKind === 'chunked' ? ('chunked' as const) : ('sliding' as const), m.window];
    const windowed = window !== null && profile.slidingWindowCache;
    const tokens = windowed ? Math.min(opts.ctx, window) : opts.ctx;
    const cells = tokens * opts.seqs;
    add(windowed || label === 'mla' ? label : 'global', cells, kw * bK * cells, vw * bV * cells);
    if (!windowed) perTokenBytes += kw * bK + vw * bV;
  }
  if (shape.layers.some((l) => l.mixer.kind === 'mla')) notes.push('transformers caches MLA layers decompressed: per-head keys and values, not the latent.');
  notes.push('Tensors grow by concatenation: while a step runs, the old and new cache of one layer coexist briefly.');
  const list = [...groups.values()];
  return { runtime: 'transformers', version: profile.version, bytes: list.reduce((s, g) => s + g.bytes, 0), perTokenBytes, groups: list, notes };
}
