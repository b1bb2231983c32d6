/**
 * The heavy half of the budget ranker: every catalog model at the most bits that fit a memory budget, ranked.
 * Imported by the trade-offs chapter at build time (the default ranking) and loaded by BudgetRanker.tsx on demand,
 * so the catalog and the engine are not part of the page's initial JavaScript.
 *
 * "Fits" means weights + KV cache + compute buffers (llama.cpp, as estimate() computes them) are at most the budget.
 */
import { MODELS } from '../../../data/models';
import { estimate } from '../../../sizing/memory/estimate';
import { llamaCppFileTypes } from '../../../sizing/formats/file-types';
import { SizingError } from '../../../sizing/errors';

/** File types tried, best first by measured quality (mean KLD of llama.cpp's Llama 3 8B scoreboard, with an importance
 * matrix where the type is published with one; IQ2_M 0.326 beats Q2_K 0.332 with fewer bits): llama-quantize's own
 * recipes minus F32, BF16 (same size as F16), the legacy _0/_1 types (larger than a k-quant of better quality), the
 * ternary TQ types and MXFP4_MOE (for models trained for them only). */
export const RANKER_FILE_TYPES = [
  'F16', 'Q8_0', 'Q6_K', 'Q5_K_M', 'Q5_K_S', 'Q4_K_M', 'Q4_K_S', 'IQ4_XS', 'Q3_K_L', 'Q3_K_M',
  'IQ3_M', 'IQ3_XXS', 'IQ2_M', 'Q2_K', 'IQ2_XS', 'IQ2_XXS', 'IQ1_M', 'IQ1_S',
] as const;

/** At or above this file-average bits per weight a pair ranks by model size ("~4.5 bits": Q4_K_S and up). */
export const SWEET_SPOT_BITS = 4.5;
/** Below this a pair is flagged: the 2-bit range, where quality falls off (Llama 3 8B scoreboard). */
export const RISKY_BITS = 3;
/** "Small" for the 2-bit warning: models under ~30B parameters. */
export const SMALL_MODEL_PARAMS = 30e9;

export interface RankedPair {
  modelId: string;
  modelName: string;
  /** Total parameters (all experts). */
  params: number;
  fileType: string;
  /** File-average bits per weight of this model at this file type. */
  bits: number;
  weightsBytes: number;
  kvBytes: number;
  computeBytes: number;
  /** weights + KV + compute. */
  totalBytes: number;
  /** budget − total (≥ 0). */
  marginBytes: number;
  tier: 'sweet' | 'low';
  risky: boolean;
  small: boolean;
}

export interface Ranking {
  budgetBytes: number;
  ctx: number;
  pairs: RankedPair[];
  /** Catalog models whose context window is shorter than ctx (left out). */
  tooShort: number;
}

interface Sized {
  bits: number;
  weightsBytes: number;
  kvBytes: number;
  computeBytes: number;
  totalBytes: number;
}

const NEEDS_IMATRIX = new Set(llamaCppFileTypes().filter((f) => f.needsImatrix).map((f) => f.id));
const sizedCache = new Map<string, Sized | null>();

/** One (model, file type, context) through the engine, memoized: changing only the budget recomputes nothing. */
function sized(model: (typeof MODELS)[number], fileType: string, ctx: number): Sized | null {
  const key = `${model.id}|${fileType}|${ctx}`;
  if (!sizedCache.has(key)) {
    let value: Sized | null = null;
    try {
      const e = estimate({ kind: 'config', config: model.config }, { quant: fileType, ctx, runtime: 'llama.cpp', imatrix: NEEDS_IMATRIX.has(fileType) });
      value = {
        bits: e.weights.bitsPerWeight,
        weightsBytes: e.weightsBytes,
        kvBytes: e.kvCacheBytes,
        computeBytes: e.computeBytes,
        totalBytes: e.weightsBytes + e.kvCacheBytes + e.computeBytes,
      };
    } catch (err) {
      if (!(err instanceof SizingError)) throw err; // an architecture or shape the engine does not read: skipped
    }
    sizedCache.set(key, value);
  }
  return sizedCache.get(key) ?? null;
}

/** Sweet-spot pairs first, largest model first; then the rest, most bits first; ties by model size, then name. */
export function comparePairs(a: RankedPair, b: RankedPair): number {
  if (a.tier !== b.tier) return a.tier === 'sweet' ? -1 : 1;
  if (a.tier === 'sweet') return b.params - a.params || b.bits - a.bits || a.modelName.localeCompare(b.modelName);
  return b.bits - a.bits || b.params - a.params || a.modelName.localeCompare(b.modelName);
}

/**
 * Each catalog model at the first file type of RANKER_FILE_TYPES (best first) whose total fits the budget,
 * ranked by comparePairs. Models that fit at none, or whose context window is shorter than ctx, are left out.
 */
export function rankForBudget(budgetBytes: number, ctx: number): Ranking {
  if (!(Number.isFinite(budgetBytes) && budgetBytes > 0)) throw new SizingError('The memory budget must be a positive number of bytes', 'budget');
  if (!(Number.isInteger(ctx) && ctx >= 1)) throw new SizingError('The context must be a whole number of tokens, at least 1', 'ctx');
  const pairs: RankedPair[] = [];
  let tooShort = 0;
  for (const model of MODELS) {
    if (model.contextLength < ctx) {
      tooShort++;
      continue;
    }
    const smallest = sized(model, RANKER_FILE_TYPES[RANKER_FILE_TYPES.length - 1] ?? 'IQ1_S', ctx);
    if (smallest && smallest.totalBytes > budgetBytes) continue; // nothing smaller is tried, so nothing fits
    for (const fileType of RANKER_FILE_TYPES) {
      const s = sized(model, fileType, ctx);
      if (!s || s.totalBytes > budgetBytes) continue;
      pairs.push({
        modelId: model.id,
        modelName: model.name,
        params: model.params.total,
        fileType,
        ...s,
        marginBytes: budgetBytes - s.totalBytes,
        tier: s.bits >= SWEET_SPOT_BITS ? 'sweet' : 'low',
        risky: s.bits < RISKY_BITS,
        small: model.params.total < SMALL_MODEL_PARAMS,
      });
      break;
    }
  }
  pairs.sort(comparePairs);
  return { budgetBytes, ctx, pairs, tooShort };
}
