/**
 * The engine half of KvCacheCalculator: loaded by the island with a dynamic import on the first change, and run at
 * build time for the default result (src/site/memory-island-props.ts). Everything it returns is plain data, so
 * Astro can serialise it into the page.
 */
import { findModel } from '../common/model-catalog';
import type { CompactModel } from '../common/compact-catalog';
import { contextPoints, kvFor, kvTextbookFor, type KvQuery } from './kv-figures';
import { SizingError } from '../../../sizing/errors';
import type { KvResult } from '../../../sizing/memory/kv-cache-types';
import type { RuntimeName } from '../../../sizing/memory/runtime-profiles';

export interface KvInput {
  model: string;
  ctx: number;
  seqs: number;
  runtime: RuntimeName;
  type: string;
  flashAttn: boolean;
  scale: 'log' | 'linear';
}

export interface KvView {
  /** The input this view was computed for: while a new one computes, the text matches the figures shown. */
  input: KvInput;
  modelName: string;
  /** Trained context of the model, tokens: the chart's right end. */
  contextLength: number;
  real: KvResult;
  textbook: number;
  curve: { x: number; real: number; textbook: number }[];
}

/** A result, or why the engine refused: a cache type the runtime cannot use (field "type"), or anything else. */
export type KvOutcome = { ok: true; view: KvView } | { ok: false; field: 'type' | 'other'; message: string };

export function compute(input: KvInput): KvOutcome {
  const catalog = findModel(input.model);
  // The island checks the model against its list before asking; at build time a bad default should stop the build.
  if (!catalog) throw new Error(`KvCacheCalculator: no catalog model "${input.model}".`);
  const q: KvQuery = { runtime: input.runtime, ctx: input.ctx, seqs: input.seqs, type: input.type, flashAttn: input.flashAttn };
  try {
    const curve = contextPoints(catalog.entry.contextLength, input.scale).map((x) => ({
      x,
      real: kvFor(catalog.shape, { ...q, ctx: x }).bytes,
      textbook: kvTextbookFor(catalog.shape, { ...q, ctx: x }),
    }));
    const view: KvView = {
      input,
      modelName: catalog.entry.name,
      contextLength: catalog.entry.contextLength,
      real: kvFor(catalog.shape, q),
      textbook: kvTextbookFor(catalog.shape, q),
      curve,
    };
    return { ok: true, view };
  } catch (e) {
    if (!(e instanceof SizingError)) throw e;
    if (e.field === 'typeK' || e.field === 'typeV') return { ok: false, field: 'type', message: `KV type: ${e.message}.` };
    return { ok: false, field: 'other', message: e.message };
  }
}

/** Cache types per runtime, default first: the island needs them for its select before the engine loads. */
export type KvTypeLists = Record<RuntimeName, readonly string[]>;

/** The island's build-time props besides its defaults (see kvCacheProps). */
export interface KvCacheData {
  models: CompactModel[];
  kvTypes: KvTypeLists;
  initial: { input: KvInput; result: KvOutcome };
}
