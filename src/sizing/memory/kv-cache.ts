/**
 * KV cache and recurrent state of a model at a context, the way a given runtime allocates it.
 *
 *   kvCache(shape, { runtime: 'llama.cpp', ctx: 32768, seqs: 1, typeK: 'q8_0', typeV: 'q8_0' })
 *
 * The cache holds key/value heads (GQA), not all heads; MLA layers hold a latent; sliding-window layers a window;
 * recurrent layers a fixed state per sequence. Each runtime rounds and groups differently:
 * kv-llamacpp.ts, kv-vllm.ts, kv-transformers.ts.
 */
import { SizingError } from '../errors.ts';
import type { KvOptions, KvResult } from './kv-cache-types.ts';
import { llamaCppKv } from './kv-llamacpp.ts';
import { transformersKv } from './kv-transformers.ts';
import { vllmKv } from './kv-vllm.ts';
import type { ModelShape } from '../types.ts';

export type { KvGroup, KvGroupLabel, KvOptions, KvResult } from './kv-cache-types.ts';
export { LLAMA_CPP_CACHE_TYPES, llamaCppContext } from './kv-llamacpp.ts';
export { vllmCapacity, vllmLayout, type VllmCapacity, type VllmLayout } from './kv-vllm.ts';

export function kvCache(shape: ModelShape, opts: KvOptions): KvResult {
  switch (opts.runtime) {
    case 'llama.cpp':
      return llamaCppKv(shape, opts);
    case 'vllm':
      return vllmKv(shape, opts);
    case 'transformers':
      return transformersKv(shape, opts);
    default:
      throw new SizingError(`Unknown runtime "${String(opts.runtime)}"`, 'runtime');
  }
}

/**
 * The textbook formula: 2 (K and V) x bytes x layers x hidden_size x tokens x batch.
 * It assumes every head is cached in every layer at full length, so it overestimates GQA models by
 * n_head / n_head_kv, ignores MLA latents, windows and recurrent state. Shown so the guide can measure the gap.
 */
export function kvCacheTextbook(shape: ModelShape, ctx: number, batch: number, bytesPerElement: number): number {
  return 2 * bytesPerElement * shape.layers.length * shape.hiddenSize * ctx * batch;
}
