/**
 * Weights of a catalog model in one storage format, as the weights chapter and its calculator show them: the napkin
 * figure (parameters x the bits the format's name promises) beside the engine's tensor-by-tensor sum, with the bytes
 * of each storage type. Every byte comes from src/sizing; this module only groups and labels.
 */
import { llamaCppFileTypes, type FileType } from '../../../sizing/formats/file-types';
import { assignFileType } from '../../../sizing/formats/gguf-mix';
import { elementCount, tensorDataBytes } from '../../../sizing/formats/ggml-types';
import { applyGpuFormat, gpuFormats, type GpuFormat } from '../../../sizing/formats/gpu-formats';
import { napkinWeightsBytes } from '../../../sizing/memory/napkin';
import { paramCounts } from '../../../sizing/model/params';
import { tensorsOf } from '../../../sizing/model/tensors';
import { estimateGgufMetadataBytes, ggufFileBytes } from '../../../sizing/memory/weights';
import type { ModelShape } from '../../../sizing/types';

export type WeightFormat = { kind: 'gguf'; id: string; fileType: FileType } | { kind: 'gpu'; id: string; format: GpuFormat };

/** llama.cpp file types (upper case, "Q4_K_M") and GPU formats (lower case, "awq"): ids never collide case-sensitively. */
export function findWeightFormat(id: string): WeightFormat | undefined {
  const fileType = llamaCppFileTypes().find((f) => f.id === id);
  if (fileType) return { kind: 'gguf', id, fileType };
  const format = gpuFormats().find((f) => f.id === id);
  if (format) return { kind: 'gpu', id, format };
  return undefined;
}

/**
 * The bits a format's name promises, which is what napkin math multiplies by: F16 16, Q8_0 8, Q4_K_M 4, IQ2_XS 2,
 * MXFP4 4, AWQ 4, GPTQ 3-bit 3, FP8 8, NF4 4, LLM.int8 8.
 */
export function nominalBits(f: WeightFormat): number {
  if (f.kind === 'gguf') {
    const digits = /(\d+)/.exec(f.id.replace(/^MXFP/, 'Q'));
    return Number(digits?.[1] ?? 16);
  }
  const id = f.id;
  const bits = /(\d+)bit/.exec(id) ?? /^fp(32|16)$/.exec(id) ?? /^bf(16)$/.exec(id);
  if (bits) return Number(bits[1]);
  if (/fp8|int8/.test(id)) return 8;
  return 4; // awq, nf4, fp4, hqq-w4, nvfp4, mxfp4
}

export interface TypeRow {
  /** ggml type ("Q4_K", "F32") or GPU storage ("awq", "bf16"). */
  type: string;
  tensors: number;
  elements: number;
  bytes: number;
}

export interface WeightsBreakdown {
  params: number;
  nominalBits: number;
  napkinBytes: number;
  /** Tensor data: what llama.cpp reports as model size, or the checkpoint's tensors. */
  bytes: number;
  bitsPerWeight: number;
  /** GGUF only: file on disk (tensors padded to 32 bytes + estimated metadata). */
  fileBytes: number | null;
  rows: TypeRow[];
}

function addRow(rows: Map<string, TypeRow>, type: string, elements: number, bytes: number): void {
  const r = rows.get(type) ?? { type, tensors: 0, elements: 0, bytes: 0 };
  r.tensors += 1;
  r.elements += elements;
  r.bytes += bytes;
  rows.set(type, r);
}

/** Napkin vs exact weights of a model shape in a format. Throws SizingError when the format cannot apply. */
export function weightsBreakdown(shape: ModelShape, f: WeightFormat): WeightsBreakdown {
  const tensors = tensorsOf(shape);
  // The file's tensors, NextN blocks included (GLM-4.5): bytes and params both count them, as llama.cpp's print does.
  const counts = paramCounts(tensors, shape);
  const params = counts.total + counts.nextn;
  const bits = nominalBits(f);
  const rows = new Map<string, TypeRow>();
  let bytes = 0;
  let fileBytes: number | null = null;
  if (f.kind === 'gguf') {
    const typed = assignFileType(tensors, shape, f.id);
    for (const t of typed) {
      const b = tensorDataBytes(t.type, t.dims);
      bytes += b;
      addRow(rows, t.type, elementCount(t.dims), b);
    }
    fileBytes = ggufFileBytes(typed, estimateGgufMetadataBytes(shape.vocabSize));
  } else {
    for (const t of applyGpuFormat(tensors, f.id).tensors) {
      bytes += t.bytes;
      addRow(rows, t.format, elementCount(t.dims), t.bytes);
    }
  }
  return {
    params,
    nominalBits: bits,
    napkinBytes: napkinWeightsBytes(params, bits),
    bytes,
    bitsPerWeight: params === 0 ? 0 : (bytes * 8) / params,
    fileBytes,
    rows: [...rows.values()].sort((a, b) => b.bytes - a.bytes),
  };
}
