/**
 * GgufHeader -> the engine's inputs. A GGUF enters at TypedTensor[] with its types already assigned
 * (DESIGN.md), so from here a file and a config.json take the same road; shapeFromGguf gives the ModelShape for
 * the KV cache and the per-layer plan.
 */
import { SizingError } from '../errors.ts';
import { elementCount } from '../formats/ggml-types.ts';
import { fileTypeFromLlamaFtype } from '../formats/file-types.ts';
import { ggufTensorBytes, type GgufHeader } from './gguf-reader.ts';
import { layerOfTensorName, recurrentLayers, roleOfTensorName } from './gguf-tensor-roles.ts';
import type { GgmlTypeName, TypedTensor } from '../types.ts';

export { shapeFromGguf } from './gguf-shape.ts';

export function typedTensorsFromGguf(header: GgufHeader): TypedTensor[] {
  const recurrent = recurrentLayers(header.tensors.map((t) => t.name));
  return header.tensors.map((t) => {
    const layer = layerOfTensorName(t.name);
    return {
      name: t.name,
      dims: [...t.dims],
      layer,
      role: roleOfTensorName(t.name, layer !== null && recurrent.has(layer)),
      type: t.type,
    };
  });
}

export interface GgufSummary {
  architecture: string;
  /** general.name, when the file has one. */
  name: string | null;
  /** llama.cpp file type name from general.file_type ("Q4_K_M"), null when absent or unknown. */
  fileType: string | null;
  /** The raw general.file_type, null when absent. */
  fileTypeId: number | null;
  /** general.parameter_count when present, else the sum of tensor elements. */
  parameterCount: number;
  /** Sum of every tensor's data bytes (rows x row size), unpadded: llama.cpp's "model size". */
  tensorDataBytes: number;
  /** The data section: each tensor padded to the alignment. */
  tensorDataBytesPadded: number;
  typeCounts: Record<GgmlTypeName, number>;
}

/** A required string key. */
function text(header: GgufHeader, key: string): string {
  const v = header.metadata[key];
  if (typeof v !== 'string') throw new SizingError(`GGUF metadata ${key} is missing`, key);
  return v;
}

function optionalInt(header: GgufHeader, key: string): number | null {
  const v = header.metadata[key];
  return typeof v === 'number' && Number.isInteger(v) ? v : null;
}

export function ggufSummary(header: GgufHeader): GgufSummary {
  let bytes = 0;
  let elements = 0;
  const typeCounts: Record<GgmlTypeName, number> = {};
  header.tensors.forEach((t, i) => {
    const b = ggufTensorBytes(t);
    // Each tensor must fit in the slot its offsets give it (the reader already checked the exact layout).
    const next = header.tensors[i + 1];
    const slot = (next ? next.offset : header.tensorDataBytesPadded) - t.offset;
    if (b > slot) throw new SizingError(`Corrupt GGUF: tensor "${t.name}" needs ${b} bytes but its offsets leave ${slot}`, 'file');
    bytes += b;
    elements += elementCount(t.dims);
    typeCounts[t.type] = (typeCounts[t.type] ?? 0) + 1;
  });
  const fileTypeId = optionalInt(header, 'general.file_type');
  const name = header.metadata['general.name'];
  return {
    architecture: text(header, 'general.architecture'),
    name: typeof name === 'string' ? name : null,
    fileType: fileTypeId === null ? null : (fileTypeFromLlamaFtype(fileTypeId)?.id ?? null),
    fileTypeId,
    parameterCount: optionalInt(header, 'general.parameter_count') ?? elements,
    tensorDataBytes: bytes,
    tensorDataBytesPadded: header.tensorDataBytesPadded,
    typeCounts,
  };
}
