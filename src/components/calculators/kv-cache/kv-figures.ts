/**
 * KV-cache figures as the KV chapter and its calculator show them: the textbook formula beside the engine's
 * per-runtime allocation, and both as curves over context length. Bytes come from src/sizing.
 */
import { bitsPerWeight } from '../../../sizing/formats/ggml-types';
import { kvCache, kvCacheTextbook } from '../../../sizing/memory/kv-cache';
import { LLAMA_CPP_CACHE_TYPES } from '../../../sizing/memory/kv-llamacpp';
import { torchDtypeBytes } from '../../../sizing/memory/kv-transformers';
import { vllmDtypeBytes } from '../../../sizing/memory/kv-vllm';
import type { KvResult } from '../../../sizing/memory/kv-cache-types';
import type { RuntimeName } from '../../../sizing/memory/runtime-profiles';
import type { ModelShape } from '../../../sizing/types';

export const KV_RUNTIMES: readonly RuntimeName[] = ['llama.cpp', 'vllm', 'transformers'];

/** Cache element types each runtime accepts, default first. */
export function kvTypeChoices(runtime: RuntimeName): readonly string[] {
  if (runtime === 'vllm') return ['auto', 'fp8', 'fp8_e5m2'];
  if (runtime === 'transformers') return ['bf16', 'f16', 'f32'];
  return ['f16', ...LLAMA_CPP_CACHE_TYPES.filter((t) => t !== 'f16')];
}

/** Bytes of one cached element, as the textbook formula needs it (q8_0: 34 bytes per 32 = 1.0625). */
export function kvElementBytes(runtime: RuntimeName, type: string): number {
  if (runtime === 'vllm') return vllmDtypeBytes(type);
  if (runtime === 'transformers') return torchDtypeBytes(type, 'typeK');
  return bitsPerWeight(type) / 8;
}

export interface KvQuery {
  runtime: RuntimeName;
  ctx: number;
  seqs: number;
  type: string;
  flashAttn?: boolean;
}

/** The engine's KV cache for a query (K and V of the same type). Throws SizingError on a combination the runtime refuses. */
export function kvFor(shape: ModelShape, q: KvQuery): KvResult {
  return kvCache(shape, { runtime: q.runtime, ctx: q.ctx, seqs: q.seqs, typeK: q.type, typeV: q.type, flashAttn: q.flashAttn ?? true });
}

/** The textbook 2 x bytes x layers x hidden x tokens x batch for a query. */
export function kvTextbookFor(shape: ModelShape, q: KvQuery): number {
  return kvCacheTextbook(shape, q.ctx, q.seqs, kvElementBytes(q.runtime, q.type));
}

/** Context lengths to plot from 1024 to max: powers of two (log axis) or 16 even steps (linear axis), max included. */
export function contextPoints(max: number, scale: 'log' | 'linear'): number[] {
  const lo = Math.min(1024, max);
  const points = new Set<number>([lo, max]);
  if (scale === 'log') {
    for (let x = 2048; x < max; x *= 2) points.add(x);
  } else {
    const steps = 16;
    for (let i = 1; i < steps; i++) points.add(Math.round(lo + ((max - lo) * i) / steps));
  }
  return [...points].sort((a, b) => a - b);
}
