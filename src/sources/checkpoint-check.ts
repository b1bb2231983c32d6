/**
 * The engine's parameter count against the checkpoint's own (the Hub's count of every tensor in the safetensors
 * files): when they differ by more than 1%, the site says its reading of the model is off instead of quietly being
 * wrong. The checkpoint holds what the GGUF leaves out (vision and audio towers, multi-token-prediction layers), so the
 * engine's side is its text-model count plus those parts (ModelShape.extras).
 */
import { tensorsOf } from '../sizing/model/tensors';
import { paramCounts } from '../sizing/model/params';
import type { ModelShape } from '../sizing/types';

/** Above this relative difference the reading is flagged. */
export const CHECKPOINT_TOLERANCE = 0.01;

export interface CheckpointCheck {
  /** Text model plus the parts the GGUF leaves out. */
  engineParams: number;
  hubParams: number;
  /** (engine - hub) / hub. */
  difference: number;
  flagged: boolean;
  message: string;
}

const billions = (n: number) => `${(n / 1e9).toFixed(n >= 1e10 ? 1 : 2)}B`;

export function checkpointCheck(shape: ModelShape, hubParams: number): CheckpointCheck | null {
  if (!(Number.isFinite(hubParams) && hubParams > 0)) return null;
  const text = paramCounts(tensorsOf(shape), shape).total;
  const extras = shape.extras.reduce((s, e) => s + e.params, 0);
  const engineParams = text + extras;
  const difference = (engineParams - hubParams) / hubParams;
  const flagged = Math.abs(difference) > CHECKPOINT_TOLERANCE;
  const pct = `${difference >= 0 ? '+' : '−'}${Math.abs(difference * 100).toFixed(difference !== 0 && Math.abs(difference) < 0.001 ? 3 : 1)}%`;
  const parts = extras > 0 ? ` (text model ${billions(text)} + ${shape.extras.map((e) => `${e.name} ${billions(e.params)}`).join(' + ')})` : '';
  const message = flagged
    ? `The engine counts ${billions(engineParams)} parameters${parts}, the checkpoint ${billions(hubParams)} (${pct}): its reading of this model is off, so treat the figures below as approximate. A part it does not model (an audio tower, adapter weights, extra heads) or an architecture read generically is the usual cause.`
    : `The engine counts ${billions(engineParams)} parameters${parts}, the checkpoint ${billions(hubParams)} (${pct}).`;
  return { engineParams, hubParams, difference, flagged, message };
}
