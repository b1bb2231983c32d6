/**
 * ggml storage types: lookup and the byte arithmetic of one row / one tensor.
 *
 * A row of ne0 weights of type T takes ne0 / blck_size(T) blocks of type_size(T) bytes: ggml_row_size() in
 * ggml/src/ggml.c (llama.cpp). Rows are never padded inside a tensor; only whole tensors are aligned in a GGUF
 * file (see weights.ts).
 */
import { GGML_TYPES, GGML_TYPES_UNVERIFIED, type GgmlTypeData } from '../../data/ggml-types.ts';
import { SizingError } from '../errors.ts';
import type { GgmlTypeName } from '../types.ts';

export interface GgmlType {
  name: GgmlTypeName;
  ggmlId: number | null;
  blockSize: number;
  bytesPerBlock: number;
  layout: string;
  notes?: string;
  verified: boolean;
}

const BY_NAME: ReadonlyMap<string, GgmlType> = new Map(
  [...GGML_TYPES, ...GGML_TYPES_UNVERIFIED].map((t: GgmlType | GgmlTypeData) => [t.name.toUpperCase(), t]),
);

/** All known types (verified first, then the unverified IQ2_NL / IQ3_NL). */
export function allGgmlTypes(): GgmlType[] {
  return [...BY_NAME.values()];
}

/** Case-insensitive lookup ("q4_k", "Q4_K", "bf16"); undefined when unknown. */
export function findGgmlType(name: string): GgmlType | undefined {
  return BY_NAME.get(name.trim().toUpperCase());
}

/** Case-insensitive lookup; throws SizingError for an unknown name. */
export function ggmlType(name: string): GgmlType {
  const t = findGgmlType(name);
  if (!t) throw new SizingError(`Unknown ggml type "${name}"`, 'type');
  return t;
}

/** Whether a type's block has quantization scales (ggml_is_quantized): every type with a block size above 1. */
export function isQuantizedType(name: string): boolean {
  return ggmlType(name).blockSize > 1;
}

/** Bytes of one row of ne0 weights (ggml_row_size). ne0 must be a whole number of blocks. */
export function rowBytes(type: string, ne0: number): number {
  const t = ggmlType(type);
  if (!Number.isInteger(ne0) || ne0 < 0) throw new SizingError(`Row length must be a non-negative integer, got ${ne0}`, 'dims');
  if (ne0 % t.blockSize !== 0) {
    throw new SizingError(
      `A row of ${ne0} weights is not a multiple of ${t.name}'s block of ${t.blockSize}; llama.cpp cannot store it as ${t.name}`,
      'dims',
    );
  }
  return (ne0 / t.blockSize) * t.bytesPerBlock;
}

/** Number of elements of a tensor of these dims (an empty dims list is a scalar). */
export function elementCount(dims: readonly number[]): number {
  return dims.reduce((n, d) => n * d, 1);
}

/** Bytes of a tensor's data (unpadded): rows x row size, rows = product of dims[1..]. */
export function tensorDataBytes(type: string, dims: readonly number[]): number {
  const [ne0 = 1, ...rest] = dims;
  return rowBytes(type, ne0) * elementCount(rest);
}

/** Bits per weight of the block layout: 8 x bytes per block / weights per block. */
export function bitsPerWeight(type: string): number {
  const t = ggmlType(type);
  return (8 * t.bytesPerBlock) / t.blockSize;
}
