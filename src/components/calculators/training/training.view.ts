/**
 * What the training calculator shows, computed by the engine (trainingMemory) for one set of inputs: the memory
 * breakdown and the common GPUs it fits on. Loaded by TrainingCalculator with a dynamic import on the first change,
 * and called at build time for the default inputs, so the page carries no engine until the reader asks for another
 * result.
 */
import { findModel } from '../common/model-catalog';
import { DEVICES } from '../../../data/devices';
import { CUDA_CONTEXT_BYTES } from '../../../sizing/memory/runtime';
import { SizingError } from '../../../sizing/errors';
import { trainingMemory } from '../../../sizing/plan/training';
import type { TrainingQuery } from '../common/deferred-keys';

export type { TrainingQuery };

export interface GpuFit {
  name: string;
  memoryBytes: number;
  /** memoryBytes - (total + CUDA context): negative when it does not fit. */
  spareBytes: number;
}

export type TrainingView =
  | {
      ok: true;
      modelName: string;
      params: { total: number; trainable: number };
      bytes: { weights: number; gradients: number; masterWeights: number; optimizerStates: number; activations: number; logits: number; total: number };
      bytesPerTrainableParam: number;
      cudaContextBytes: number;
      gpus: GpuFit[];
      notes: string[];
    }
  | { ok: false; field: string | null; message: string };

/** The GPUs the calculator checks, smallest first. */
export const COMMON_GPUS = ['rtx-3060-12gb', 'rtx-4060-ti-16gb', 'rtx-4090', 'rtx-5090', 'l40s', 'a100-40gb', 'a100-80gb-sxm', 'h100-sxm', 'rtx-pro-6000-blackwell', 'h200', 'mi300x'];

export function trainingView(q: TrainingQuery): TrainingView {
  const m = findModel(q.model);
  if (!m) return { ok: false, field: 'model', message: `Model: “${q.model.slice(0, 40)}” is not in the catalog.` };
  try {
    const r = trainingMemory({
      model: { kind: 'config', config: m.entry.config },
      method: q.method,
      optimizer: q.optimizer,
      precision: q.precision,
      batch: q.batch,
      seqLen: q.seqLen,
      gradientCheckpointing: q.checkpointing,
      ...(q.method === 'full' ? {} : { lora: { rank: q.rank, targets: q.targets } }),
    });
    const need = r.bytes.total + CUDA_CONTEXT_BYTES;
    const gpus = COMMON_GPUS.flatMap((id) => {
      const d = DEVICES.find((x) => x.id === id);
      return d ? [{ name: d.name, memoryBytes: d.memoryBytes, spareBytes: d.memoryBytes - need }] : [];
    });
    return { ok: true, modelName: m.entry.name, params: r.params, bytes: r.bytes, bytesPerTrainableParam: r.bytesPerTrainableParam, cudaContextBytes: CUDA_CONTEXT_BYTES, gpus, notes: r.notes };
  } catch (e) {
    if (e instanceof SizingError) return { ok: false, field: e.field ?? null, message: e.message };
    throw e;
  }
}

/** The result for the calculator's default inputs, with those inputs: computed at build time and passed as a prop. */
export function trainingInitial(q: TrainingQuery): { input: TrainingQuery; result: TrainingView } {
  return { input: q, result: trainingView(q) };
}
