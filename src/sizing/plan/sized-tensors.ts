/**
 * Every tensor of a model with its bytes under a quantization: the per-tensor view that planning needs (which
 * tensor sits on which device, which bytes a decode step reads). It takes the same road as estimate(): a GGUF file
 * type through llama-quantize's rules (assignFileType), a GPU format through applyGpuFormat, or a GGUF header's
 * own types. The sum equals estimate().weightsBytes (test/unit/fit.test.ts checks it).
 */
import { SizingError } from '../errors.ts';
import type { ModelSource, RuntimeChoice } from '../memory/estimate.ts';
import { canonicalFileTypeId } from '../formats/file-types.ts';
import { tensorDataBytes } from '../formats/ggml-types.ts';
import { typedFile } from '../formats/typed-file.ts';
import { applyGpuFormat } from '../formats/gpu-formats.ts';
import { modelShapeFromConfig } from '../model/model-shape.ts';
import { findGpuFormat } from '../formats/quant-names.ts';
import { loadedTensors, tensorsOf } from '../model/tensors.ts';
import type { ModelShape, TensorInfo } from '../types.ts';

export interface SizedTensor extends TensorInfo {
  bytes: number;
}

export interface SizedModel {
  shape: ModelShape;
  tensors: SizedTensor[];
}

/** The shape of a model source (config.json parsed, or given). */
export function shapeOf(source: ModelSource): ModelShape {
  return source.kind === 'config' ? modelShapeFromConfig(source.config) : source.shape;
}

/**
 * Tensors of a model with their bytes, typed as estimate() types them for this quant and runtime: the tensors a
 * runtime loads, so NextN blocks the file carries but llama.cpp skips (GLM-4.5) are left out after typing.
 */
export function sizedTensors(source: ModelSource, quant: string, runtime: RuntimeChoice, imatrix?: boolean): SizedModel {
  const shape = shapeOf(source);
  if (source.kind === 'typed') {
    return { shape, tensors: loadedTensors(source.typed, shape).map((t) => ({ ...t, bytes: tensorDataBytes(t.type, t.dims) })) };
  }
  const base = source.kind === 'shape' && source.tensors ? source.tensors : tensorsOf(shape);
  const fileType = canonicalFileTypeId(quant);
  if (fileType && (runtime === 'llama.cpp' || runtime === 'ollama' || !findGpuFormat(quant))) {
    const typed = typedFile(source, shape, base, fileType, imatrix === undefined ? {} : { imatrix });
    return { shape, tensors: loadedTensors(typed, shape).map((t) => ({ ...t, bytes: tensorDataBytes(t.type, t.dims) })) };
  }
  const format = findGpuFormat(quant);
  if (!format) throw new SizingError(`Unknown quantization "${quant}"`, 'quant');
  return { shape, tensors: applyGpuFormat(loadedTensors(base, shape), format.id).tensors };
}

/** Routed-expert tensors (stacked ffn_*_exps weights and their biases): what --n-cpu-moe moves to the CPU. */
export function isRoutedExpertTensor(t: TensorInfo): boolean {
  // llama.cpp's override pattern: blk\.N\.ffn_(up|down|gate|gate_up)_(ch|)exps (common/common.h).
  return t.role === 'ffn_exps' || /\.ffn_(up|down|gate|gate_up)_(ch)?exps\./.test(t.name);
}

/** Tensors of the output layer as llama.cpp places it (dev_output): output head and final norm. */
export function isOutputLayerTensor(t: TensorInfo): boolean {
  return t.layer === null && (t.role === 'output' || t.name.startsWith('output_norm') || t.name.startsWith('output.'));
}
