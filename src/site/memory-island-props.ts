/**
 * Build-time only: the props of the weights, KV cache and runtimes calculators, which load their engine lazily
 * (src/components/ui/use-lazy-engine.ts). Each gets the compact lists it needs before the engine arrives and the
 * result for its default inputs, so the page renders it without shipping the engine. Every value is plain data.
 * Importing this in an island would bundle the catalog and the engine.
 */
import { compute as computeWeights, type WeightsExactData, type WeightsInput } from '../components/calculators/weights/weights-exact.view';
import { compute as computeKv, type KvCacheData, type KvInput, type KvTypeLists } from '../components/calculators/kv-cache/kv-cache.view';
import { compute as computeCompare, type CompareInput, type RuntimeCompareData } from '../components/calculators/runtime-compare/runtime-compare.view';
import type { SelectGroup } from '../components/calculators/common/select-options';
import { compactModels } from '../components/calculators/common/compact-lists';
import { KV_RUNTIMES, kvTypeChoices } from '../components/calculators/kv-cache/kv-figures';
import { llamaCppFileTypes } from '../sizing/formats/file-types';
import { gpuFormats } from '../sizing/formats/gpu-formats';
import { GiB } from '../sizing/units';

/** The Format <select> of WeightsExact: llama.cpp file types, then GPU formats. */
function weightFormatOptions(): SelectGroup[] {
  return [
    { label: 'llama.cpp file types (GGUF)', options: llamaCppFileTypes().map((f) => ({ value: f.id, label: f.id })) },
    { label: 'GPU formats (safetensors)', options: gpuFormats().map((f) => ({ value: f.id, label: f.name })) },
  ];
}

/** <WeightsExact {...weightsExactProps()} />. The defaults must be the island's own (Q4_K_M of Llama 3.1 8B). */
export function weightsExactProps(defaults: WeightsInput = { model: 'llama-3.1-8b', quant: 'Q4_K_M' }): WeightsInput & WeightsExactData {
  return { ...defaults, models: compactModels(), formats: weightFormatOptions(), initial: { input: defaults, result: computeWeights(defaults) } };
}

/** The island's fixed defaults besides model and context: one sequence, llama.cpp, f16 cache, flash attention, log axis. */
const KV_DEFAULTS: KvInput = { model: 'llama-3.1-8b', ctx: 32768, seqs: 1, runtime: 'llama.cpp', type: 'f16', flashAttn: true, scale: 'log' };

/** <KvCacheCalculator {...kvCacheProps()} />: cache types per runtime for its select, and the default result. */
export function kvCacheProps(defaults: { model?: string; ctx?: number } = {}): { model: string; ctx: string } & KvCacheData {
  const input: KvInput = { ...KV_DEFAULTS, ...defaults };
  const kvTypes = Object.fromEntries(KV_RUNTIMES.map((r) => [r, kvTypeChoices(r)])) as KvTypeLists;
  return { model: input.model, ctx: String(input.ctx), models: compactModels(), kvTypes, initial: { input, result: computeKv(input) } };
}

/** <RuntimeCompare {...runtimeCompareProps()} />: 4-bit, 32K tokens, one sequence, a 24 GiB GPU, as the island starts. */
export function runtimeCompareProps(defaults: { model?: string } = {}): { model: string } & RuntimeCompareData {
  const input: CompareInput = { model: defaults.model ?? 'llama-3.1-8b', precision: '4', ctx: 32768, seqs: 1, gpuBytes: 24 * GiB };
  return { model: input.model, models: compactModels(), initial: { input, result: computeCompare(input) } };
}
