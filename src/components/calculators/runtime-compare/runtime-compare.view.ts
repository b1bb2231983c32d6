/**
 * The engine half of RuntimeCompare: loaded by the island with a dynamic import on the first change, and run at
 * build time for the default result (src/site/memory-island-props.ts). Everything it returns is plain data, so
 * Astro can serialise it into the page.
 */
import { findModel } from '../common/model-catalog';
import type { CompactModel } from '../common/compact-catalog';
import { compareRuntimes, type RuntimeColumn, type VllmPool } from './runtime-compare-rows';
import type { Precision } from './runtime-precisions';
import { SizingError } from '../../../sizing/errors';

export interface CompareInput {
  model: string;
  precision: Precision['id'];
  ctx: number;
  seqs: number;
  /** Memory of the one GPU, bytes. */
  gpuBytes: number;
}

/** One runtime's column: the parts of its Estimate the island shows. */
export interface ColumnView {
  runtime: RuntimeColumn['runtime'];
  label: string;
  format: string;
  formatLabel: string;
  weightsBytes: number;
  kvCacheBytes: number;
  computeBytes: number;
  overheadBytes: number;
  totalBytes: number;
  notes: string[];
  vllm: VllmPool | null;
}

export interface CompareView {
  /** The input this view was computed for: while a new one computes, the text matches the figures shown. */
  input: CompareInput;
  modelName: string;
  columns: ColumnView[];
}

export type CompareOutcome = { ok: true; view: CompareView } | { ok: false; message: string };

const columnView = ({ runtime, label, format, formatLabel, estimate: e, vllm }: RuntimeColumn): ColumnView => ({
  runtime,
  label,
  format,
  formatLabel,
  weightsBytes: e.weightsBytes,
  kvCacheBytes: e.kvCacheBytes,
  computeBytes: e.computeBytes,
  overheadBytes: e.overheadBytes,
  totalBytes: e.totalBytes,
  notes: e.notes,
  vllm,
});

export function compute(input: CompareInput): CompareOutcome {
  const catalog = findModel(input.model);
  // The island checks the model against its list before asking; at build time a bad default should stop the build.
  if (!catalog) throw new Error(`RuntimeCompare: no catalog model "${input.model}".`);
  try {
    const columns = compareRuntimes(catalog.shape, { precision: input.precision, ctx: input.ctx, seqs: input.seqs, gpuBytes: input.gpuBytes });
    return { ok: true, view: { input, modelName: catalog.entry.name, columns: columns.map(columnView) } };
  } catch (e) {
    if (!(e instanceof SizingError)) throw e;
    return { ok: false, message: e.message };
  }
}

/** The island's build-time props besides its defaults (see runtimeCompareProps). */
export interface RuntimeCompareData {
  models: CompactModel[];
  initial: { input: CompareInput; result: CompareOutcome };
}
