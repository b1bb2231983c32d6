/**
 * The KV cache split by layer, for planning: llama.cpp keeps each layer's K/V tensors on that layer's device, so a
 * partial offload moves a layer's cache with its weights. kvCache() reports groups of identical layers; here each
 * layer gets its share, computed by the engine on a one-layer model and scaled so the layers add up exactly to
 * kvCache()'s total (the only cross-layer effect is llama.cpp's V padding to the widest layer without flash
 * attention, which the scaling spreads evenly).
 */
import { kvCache, type KvOptions } from './kv-cache.ts';
import type { LayerShape, ModelShape } from '../types.ts';

/** A model reduced to one of its layers (same vocabulary, hidden size and name). */
function oneLayer(shape: ModelShape, layer: LayerShape): ModelShape {
  return { ...shape, layers: [{ ...layer, index: 0 }] };
}

/** Identity of a layer's cache: layers with equal mixers (and states) have equal caches. */
const mixerKey = (l: LayerShape): string => JSON.stringify([l.mixer, l.state ?? null]);

/** KV bytes held by each layer (index = layer), adding up to kvCache(shape, opts).bytes. */
export function kvBytesPerLayer(shape: ModelShape, opts: KvOptions): number[] {
  const total = kvCache(shape, opts).bytes;
  const cache = new Map<string, number>();
  const raw = shape.layers.map((l) => {
    const key = mixerKey(l);
    let b = cache.get(key);
    if (b === undefined) {
      b = kvCache(oneLayer(shape, l), opts).bytes;
      cache.set(key, b);
    }
    return b;
  });
  const sum = raw.reduce((s, b) => s + b, 0);
  if (sum === 0 || sum === total) return raw;
  return raw.map((b) => (b * total) / sum);
}

/**
 * Bytes one decode step reads from each layer's cache when `filled` tokens are cached (one sequence): every cached
 * token of a full-attention or MLA layer, at most the window of a sliding-window layer, the whole state of a
 * recurrent layer. Bytes per cached token come from the engine (a one-layer cache at a context of 256 cells).
 */
export function kvReadBytesPerLayer(shape: ModelShape, opts: Omit<KvOptions, 'ctx' | 'seqs'>, filled: number): number[] {
  // Per layer kind: bytes of its fixed state (read whole) and bytes per cached token of its attention cache.
  const perKind = new Map<string, { state: number; perToken: number }>();
  return shape.layers.map((l) => {
    const key = mixerKey(l);
    let b = perKind.get(key);
    if (b === undefined) {
      const kv = kvCache(oneLayer(shape, l), { ...opts, ctx: 256, seqs: 1 });
      const state = kv.groups.filter((g) => g.label === 'recurrent').reduce((sum, g) => sum + g.bytes, 0);
      const perToken = kv.groups.filter((g) => g.label !== 'recurrent').reduce((sum, g) => sum + g.bytes / Math.max(1, g.cells), 0);
      b = { state, perToken };
      perKind.set(key, b);
    }
    const m = l.mixer;
    const tokens = m.kind === 'attention' && m.window !== null ? Math.min(filled, m.window) : filled;
    return b.state + b.perToken * tokens;
  });
}
