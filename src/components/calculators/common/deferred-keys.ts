/**
 * The inputs of the deferred-engine calculators, as types and stable keys. Light on purpose: the islands import it
 * to compare their inputs with the build-time default's, and training-view.ts / speed-view.ts compute from them.
 */
import type { LoraTarget, TrainingMethod, TrainingOptimizer, TrainingPrecision } from '../../../sizing/plan/training';

export interface TrainingQuery {
  model: string;
  method: TrainingMethod;
  optimizer: TrainingOptimizer;
  precision: TrainingPrecision;
  seqLen: number;
  batch: number;
  checkpointing: boolean;
  rank: number;
  targets: LoraTarget[];
}

export interface SpeedQuery {
  model: string;
  quant: string;
  /** Tokens already in the cache. */
  filled: number;
  /** A catalog device id, or 'custom' with bandwidthGBps. */
  device: string;
  bandwidthGBps: number | null;
  /** A catalog system-RAM id ('cpu' kind) for layers that do not fit, or 'none'. */
  ram: string;
}

/** LoRA settings do not change a full fine-tune, so they are left out of its key. */
export const trainingKey = (q: TrainingQuery): string =>
  JSON.stringify([q.model, q.method, q.optimizer, q.precision, q.seqLen, q.batch, q.checkpointing, ...(q.method === 'full' ? [] : [q.rank, q.targets])]);

export const speedKey = (q: SpeedQuery): string => JSON.stringify([q.model, q.quant, q.filled, q.device, q.device === 'custom' ? q.bandwidthGBps : null, q.ram]);
