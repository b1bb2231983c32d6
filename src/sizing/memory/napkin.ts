/**
 * The textbook formulas the guide teaches first. They are exact for what they model (every weight stored at
 * the same width, nothing else in memory) and the guide then shows why real files and runtimes differ.
 */
import { SizingError } from '../errors.js';

/** Weights memory = parameters x bits per weight / 8, in bytes. */
export function napkinWeightsBytes(params: number, bitsPerWeight: number): number {
  if (!Number.isFinite(params) || params <= 0) throw new SizingError('parameters must be a positive number', 'params');
  if (!Number.isFinite(bitsPerWeight) || bitsPerWeight <= 0 || bitsPerWeight > 64) {
    throw new SizingError('bits per weight must be between 0 and 64', 'bits');
  }
  return (params * bitsPerWeight) / 8;
}

export interface NapkinKvInput {
  layers: number;
  /** Key/value heads (GQA). For the textbook multi-head formula pass the attention heads. */
  kvHeads: number;
  headDim: number;
  bytesPerElement: number;
}

/**
 * KV cache bytes per token = 2 (K and V) x layers x KV heads x head dim x bytes per element.
 * With kvHeads = all attention heads and headDim = hidden / heads this is the textbook
 * 2 x layers x hidden x bytes, which overstates grouped-query models by heads / kvHeads.
 */
export function napkinKvBytesPerToken({ layers, kvHeads, headDim, bytesPerElement }: NapkinKvInput): number {
  for (const [field, v] of Object.entries({ layers, kvHeads, headDim, bytesPerElement })) {
    if (!Number.isFinite(v) || v <= 0) throw new SizingError(`${field} must be a positive number`, field);
  }
  return 2 * layers * kvHeads * headDim * bytesPerElement;
}
