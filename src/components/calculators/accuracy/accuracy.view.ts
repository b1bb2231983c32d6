/**
 * Predicted vs measured, for every reference the project has: llama.cpp's own measurements on models of real shapes,
 * published GGUF file sizes, sizes llama.cpp printed in public logs, and published KV / compute buffer log lines.
 * One list of rows feeds `npm run accuracy` (scripts/accuracy.ts), its Vitest test and the accuracy chapter, so the
 * three can never disagree. Everything is computed through estimate(), the same function the calculators run.
 */
import { estimate, type EstimateOptions, type ModelSource } from '../../../sizing/memory/estimate.ts';
import { GB, GiB, MiB } from '../../../sizing/units.ts';
import { MODELS } from '../../../data/models.ts';
import type { HfConfig } from '../../../sizing/types.ts';

export type Quantity = 'weights' | 'file' | 'kv' | 'compute' | 'total';

/** Targets of the sizing-engine issue: relative error allowed per quantity. */
export const TARGETS: Record<Quantity, number> = {
  weights: 0.005,
  kv: 0.01,
  total: 0.05,
  file: 0.015,
  compute: 0.05,
};

export interface AccuracyRow {
  quantity: Quantity;
  reference: string;
  /** Where the measured figure comes from. */
  source: string;
  predicted: number;
  measured: number;
  /** The measured figure as it was printed ("98.87 MiB", "4.92GB"). */
  printed: string;
  tolerance: number;
  note?: string;
}

export function relativeError(row: Pick<AccuracyRow, 'predicted' | 'measured'>): number {
  return (row.predicted - row.measured) / row.measured;
}

export function withinTolerance(row: AccuracyRow): boolean {
  return Math.abs(relativeError(row)) <= row.tolerance;
}

// ---------------------------------------------------------------------------------------------------------------
// Reference data shapes (the parts read here)

interface MeasuredLoad {
  quant: string;
  n_ctx: number;
  cache_type_k: string;
  cache_type_v: string;
  flash_attn_resolved: string | null;
  n_ubatch: number;
  n_seq_max: number;
  kv_buffer_MiB: number;
  compute_buffer_MiB: number;
  output_buffer_MiB: number;
  mmap: boolean;
}
interface MeasuredModel {
  name: string;
  quants: Record<string, { tensor_data_bytes: number; llama_cpp_printed_size_MiB: number }>;
  loads: MeasuredLoad[];
}
export interface MeasuredFile {
  llama_cpp: string;
  models: MeasuredModel[];
}
interface PublishedFile {
  model: string;
  publisher: string;
  quant: string;
  size_as_printed: string;
  source: { url?: string };
}
export interface PublishedSizes {
  gguf_files: PublishedFile[];
}

// ---------------------------------------------------------------------------------------------------------------

function catalogConfig(id: string): HfConfig {
  const m = MODELS.find((x) => x.id === id);
  if (!m) throw new Error(`accuracy: catalog model ${id} is missing`);
  return m.config;
}

/** "4.92GB", "2.83 GB", "37.22 GiB", "256.00 MiB" -> bytes. */
export function parsePrinted(text: string): number {
  const m = /([\d.]+)\s*(GiB|MiB|GB|MB)/.exec(text);
  if (!m) throw new Error(`accuracy: cannot read the size "${text}"`);
  const unit = { GiB, MiB, GB, MB: 1e6 }[m[2] as 'GiB' | 'MiB' | 'GB' | 'MB'];
  return Number(m[1]) * unit;
}

const MEASURED_MODELS: Record<string, string> = {
  'smollm2-135m': 'smollm2-135m',
  'qwen2.5-0.5b': 'qwen2.5-0.5b',
  'llama-3.2-1b': 'llama-3.2-1b',
  'gemma-3-1b': 'gemma-3-1b',
};

function measuredRows(measured: MeasuredFile): AccuracyRow[] {
  const rows: AccuracyRow[] = [];
  const source = '/data/llamacpp-measured.json';
  for (const model of measured.models) {
    const id = MEASURED_MODELS[model.name];
    if (!id) continue;
    const src: ModelSource = { kind: 'config', config: catalogConfig(id) };
    for (const [quant, q] of Object.entries(model.quants)) {
      const e = estimate(src, { quant, ctx: 4096, backend: 'cpu' });
      rows.push({
        quantity: 'weights',
        reference: `${model.name} ${quant}: model size`,
        source,
        predicted: e.weightsBytes,
        measured: q.tensor_data_bytes,
        printed: `${q.llama_cpp_printed_size_MiB.toFixed(2)} MiB`,
        tolerance: TARGETS.weights,
      });
    }
    for (const load of model.loads) {
      const quantized = load.cache_type_k !== 'f16' || load.cache_type_v !== 'f16';
      const opts: EstimateOptions = {
        quant: load.quant,
        ctx: load.n_ctx,
        seqs: load.n_seq_max,
        ubatch: load.n_ubatch,
        typeK: load.cache_type_k,
        typeV: load.cache_type_v,
        // A quantized V cache only runs with flash attention, so an unresolved flag with q8_0 means it was on.
        flashAttn: load.flash_attn_resolved === 'enabled' || quantized,
        backend: 'cpu',
      };
      const e = estimate(src, opts);
      const label = `${model.name} ${load.quant}, ctx ${load.n_ctx}, ubatch ${load.n_ubatch}, KV ${load.cache_type_k}${opts.flashAttn ? ', FA' : ''}`;
      const kv = load.kv_buffer_MiB * MiB;
      const compute = (load.compute_buffer_MiB + load.output_buffer_MiB) * MiB;
      const weights = (model.quants[load.quant]?.llama_cpp_printed_size_MiB ?? 0) * MiB;
      rows.push({ quantity: 'kv', reference: label, source, predicted: e.kvCacheBytes, measured: kv, printed: `${load.kv_buffer_MiB} MiB`, tolerance: TARGETS.kv });
      rows.push({
        quantity: 'compute',
        reference: label,
        source,
        predicted: e.computeBytes,
        measured: compute,
        printed: `${load.compute_buffer_MiB} + ${load.output_buffer_MiB} MiB`,
        tolerance: TARGETS.compute,
      });
      rows.push({
        quantity: 'total',
        reference: label,
        source,
        predicted: e.weightsBytes + e.kvCacheBytes + e.computeBytes,
        measured: weights + kv + compute,
        printed: `${(weights / MiB).toFixed(2)} + ${load.kv_buffer_MiB} + ${(compute / MiB).toFixed(2)} MiB`,
        tolerance: TARGETS.total,
        note: 'model + KV + compute + output buffers',
      });
    }
  }
  return rows;
}

/** Published GGUF files whose architecture the catalog has, with the config changes the file needs. */
const PUBLISHED_ARCH: { match: RegExp; config: () => HfConfig; imatrix: boolean; rules?: string; note?: string }[] = [
  { match: /^Impish_Mind_8B/, config: () => catalogConfig('llama-3.1-8b'), imatrix: true },
  { match: /^Llama-2-7B-Chat$/, config: () => catalogConfig('llama-2-7b'), imatrix: false, rules: '2023', note: '2023 k-quant recipes' },
  {
    match: /^Mistral-7B-Instruct-v0\.1$|^Mistral-7B architecture/,
    // v0.1 has a 32000-token vocabulary; otherwise the v0.3 shape (llama.cpp ignores v0.1's sliding window).
    config: () => ({ ...catalogConfig('mistral-7b-v0.3'), vocab_size: 32000 }),
    imatrix: false,
    rules: '2023',
    note: '2023 k-quant recipes',
  },
  { match: /^Noromaid-13B/, config: () => catalogConfig('llama-2-13b'), imatrix: false, rules: '2023', note: '2023 k-quant recipes' },
  { match: /^CodeLlama-13B/, config: () => ({ ...catalogConfig('llama-2-13b'), vocab_size: 32016 }), imatrix: false, rules: '2023', note: '2023 k-quant recipes' },
];

function publishedRows(published: PublishedSizes): AccuracyRow[] {
  const rows: AccuracyRow[] = [];
  for (const f of published.gguf_files) {
    const arch = PUBLISHED_ARCH.find((a) => a.match.test(f.model));
    // Repacked Q4_0_x_x files are a type llama.cpp no longer writes; GGML v3 files predate GGUF.
    if (!arch || /Q4_0_\d_\d/.test(f.quant) || /GGML v3/.test(f.model)) continue;
    const e = estimate({ kind: 'config', config: arch.config() }, { quant: f.quant, ctx: 512, imatrix: arch.imatrix, backend: 'cpu', ...(arch.rules ? { quantRules: arch.rules } : {}) });
    if (e.ggufFileBytes === undefined) continue;
    const row: AccuracyRow = {
      quantity: 'file',
      reference: `${f.model.split(' (')[0]} ${f.quant} (${f.publisher.split(' ')[0]})`,
      source: f.source.url ?? '/data/published-gguf-sizes.json',
      predicted: e.ggufFileBytes,
      measured: parsePrinted(f.size_as_printed),
      printed: f.size_as_printed,
      tolerance: TARGETS.file,
    };
    if (arch.note) row.note = arch.note;
    rows.push(row);
  }
  return rows;
}

/** Sizes llama.cpp printed in public logs ("model size", llama-bench "size"). */
function reportedRows(): AccuracyRow[] {
  const cases: { ref: string; id: string; quant: string; printed: string; url: string; file?: boolean; imatrix?: boolean; config?: (c: HfConfig) => HfConfig }[] = [
    { ref: 'Llama 3.1 70B Instruct Q4_0: model size', id: 'llama-3.1-70b', quant: 'Q4_0', printed: '37.22 GiB', url: 'https://github.com/ollama/ollama/pull/6279' },
    { ref: 'Llama 3.1 8B Instruct Q6_K: model size', id: 'llama-3.1-8b', quant: 'Q6_K', printed: '6.14 GiB', url: 'https://github.com/ggml-org/llama.cpp/issues/8730' },
    { ref: 'Llama 3 8B Instruct Q8_0: model size', id: 'llama-3.1-8b', quant: 'Q8_0', printed: '7.95 GiB', url: 'https://github.com/argilla-io/distilabel/issues/593' },
    { ref: 'DeepSeek-R1-Distill-Qwen-7B Q4_K_M: model size', id: 'qwen2.5-7b', quant: 'Q4_K_M', printed: '4.36 GiB', url: 'https://github.com/containers/ramalama/issues/616' },
    { ref: 'Qwen3-30B-A3B Q4_K_M (imatrix): file size', id: 'qwen3-30b-a3b', quant: 'Q4_K_M', printed: '17.28 GiB', url: 'https://github.com/ggml-org/llama.cpp/issues/14235', file: true, imatrix: true },
    { ref: 'Qwen2.5-3B Q4_0: llama-bench size', id: 'qwen2.5-3b', quant: 'Q4_0', printed: '1.70 GiB', url: 'https://huggingface.co/bartowski/Impish_Mind_8B-GGUF' },
    { ref: 'Qwen2.5-3B Q4_K_M: llama-bench size', id: 'qwen2.5-3b', quant: 'Q4_K_M', printed: '1.79 GiB', url: 'https://huggingface.co/bartowski/Impish_Mind_8B-GGUF' },
  ];
  return cases.map((c) => {
    const config = c.config ? c.config(catalogConfig(c.id)) : catalogConfig(c.id);
    const e = estimate({ kind: 'config', config }, { quant: c.quant, ctx: 512, backend: 'cpu', ...(c.imatrix ? { imatrix: true } : {}) });
    return {
      quantity: c.file ? 'file' : 'weights',
      reference: c.ref,
      source: c.url,
      predicted: c.file ? (e.ggufFileBytes ?? 0) : e.weightsBytes,
      measured: parsePrinted(c.printed),
      printed: c.printed,
      // A figure printed with 2 decimals in GiB carries up to 0.005 GiB of rounding: allow it on top of the target.
      tolerance: (c.file ? TARGETS.file : TARGETS.weights) + (0.005 * GiB) / parsePrinted(c.printed),
    } satisfies AccuracyRow;
  });
}

/** KV buffers printed in public llama.cpp logs. */
function kvLogRows(): AccuracyRow[] {
  const cases: { ref: string; id: string; ctx: number; type: string; printed: string; url: string; config?: (c: HfConfig) => HfConfig; flashAttn?: boolean }[] = [
    { ref: 'Mistral-7B class, n_ctx 2048, f16, FA off', id: 'mistral-7b-v0.3', ctx: 2048, type: 'f16', printed: '256.00 MiB', url: 'https://github.com/fedora-copr/logdetective/pull/106', flashAttn: false },
    { ref: 'Mistral-7B class, n_ctx 32768, f16, FA off', id: 'mistral-7b-v0.3', ctx: 32768, type: 'f16', printed: '4096.00 MiB', url: 'https://github.com/fedora-copr/logdetective/pull/106', flashAttn: false },
    { ref: 'Qwen2.5-Coder-32B shape, 32768 cells, q8_0', id: 'qwen2.5-32b', ctx: 32768, type: 'q8_0', printed: '4352.00 MiB', url: 'https://github.com/ggml-org/llama.cpp/issues/11200' },
    { ref: 'DeepSeek-V3/R1 MLA latent, n_ctx 32768, q8_0 (ik_llama.cpp)', id: 'deepseek-v3', ctx: 32768, type: 'q8_0', printed: '1166.62 MiB', url: 'https://github.com/ikawrakow/ik_llama.cpp/pull/259' },
    { ref: 'Qwen3-235B-A22B, 16384 cells, q8_0 (ik_llama.cpp)', id: 'qwen3-235b-a22b', ctx: 16384, type: 'q8_0', printed: '1598.00 MiB', url: 'https://github.com/ikawrakow/ik_llama.cpp/pull/370' },
  ];
  return cases.map((c) => {
    const config = c.config ? c.config(catalogConfig(c.id)) : catalogConfig(c.id);
    const e = estimate({ kind: 'config', config }, { quant: 'Q4_K_M', ctx: c.ctx, kvType: c.type, flashAttn: c.flashAttn ?? true, backend: 'cpu' });
    return { quantity: 'kv', reference: c.ref, source: c.url, predicted: e.kvCacheBytes, measured: parsePrinted(c.printed), printed: c.printed, tolerance: TARGETS.kv } satisfies AccuracyRow;
  });
}

export function accuracyRows(measured: MeasuredFile, published: PublishedSizes): AccuracyRow[] {
  return [...measuredRows(measured), ...publishedRows(published), ...reportedRows(), ...kvLogRows()];
}

export interface QuantitySummary {
  quantity: Quantity;
  rows: number;
  worst: AccuracyRow | null;
  worstError: number;
  target: number;
  failing: number;
}

export function summarize(rows: AccuracyRow[]): QuantitySummary[] {
  return (Object.keys(TARGETS) as Quantity[]).map((quantity) => {
    const of = rows.filter((r) => r.quantity === quantity);
    let worst: AccuracyRow | null = null;
    for (const r of of) if (!worst || Math.abs(relativeError(r)) > Math.abs(relativeError(worst))) worst = r;
    return {
      quantity,
      rows: of.length,
      worst,
      worstError: worst ? relativeError(worst) : 0,
      target: TARGETS[quantity],
      failing: of.filter((r) => !withinTolerance(r)).length,
    };
  });
}

export { GB };
