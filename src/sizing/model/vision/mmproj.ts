/**
 * The mmproj GGUF: building its tensor list, typing it as the converter does, and its size on disk.
 *
 * Types (convert_hf_to_gguf.py, conversion/base.py ModelBase.prepare_tensors and MmprojModel.tensor_force_quant):
 *   1-D tensors and names ending "_norm.weight" -> F32; biases and other names not ending ".weight" -> F32;
 *   position embeddings (V_ENC_EMBD_POS) -> F32; ".patch_embd.weight" / ".patch_merger.weight" -> F16 if the outtype
 *   is F16, else F32; everything else the outtype, Q8_0 falling back to F16 for rows not a multiple of 32.
 * The legacy llava converter (tools/mtmd/legacy-models/convert_image_encoder_to_gguf.py) writes 4-D tensors as F16,
 * 2-D ".weight" tensors as the outtype (f16 or f32) and everything else as F32.
 *
 * File: GGUF header + key/values + tensor infos, padded to general.alignment (32), then every tensor's data padded
 * to 32 bytes (ggml/src/gguf.cpp; gguf-py GGUFWriter).
 */
import { GGML_TYPES } from '../../../data/ggml-types.ts';
import { SizingError } from '../../errors.ts';
import type { TensorRole, TypedTensor } from '../../types.ts';
import type { MmprojConverter, MmprojOuttype, MmprojStorage, MmprojTensor, VisionPart } from './types.ts';

/** GGUF_DEFAULT_ALIGNMENT (ggml/include/gguf.h). */
export const MMPROJ_ALIGNMENT = 32;

/** Collects an mmproj's tensors in clip.cpp's load order. */
export class MmprojList {
  readonly tensors: MmprojTensor[] = [];

  add(name: string, dims: number[], role: TensorRole, layer: number | null = null, storage?: MmprojStorage): void {
    // 1-D tensors are F32 whatever the script (prepare_tensors: n_dims <= 1 -> F32; the legacy script likewise).
    const rule: MmprojStorage = storage ?? (dims.length <= 1 || !name.endsWith('.weight') ? 'f32' : 'out');
    this.tensors.push({ name, dims, layer, role, storage: rule });
  }

  /** A linear layer: weight {in, out} and, when present, bias {out}. */
  linear(prefix: string, inF: number, outF: number, bias: boolean, role: TensorRole, layer: number | null = null): void {
    this.add(`${prefix}.weight`, [inF, outF], role, layer);
    if (bias) this.add(`${prefix}.bias`, [outF], 'bias', layer);
  }

  /** A LayerNorm (weight and bias) or an RMSNorm (weight only). */
  norm(prefix: string, n: number, bias: boolean, layer: number | null = null): void {
    this.add(`${prefix}.weight`, [n], 'norm', layer);
    if (bias) this.add(`${prefix}.bias`, [n], 'bias', layer);
  }
}

export function elementsOf(dims: readonly number[]): number {
  return dims.reduce((n, d) => n * d, 1);
}

/** Elements of a tensor list (the mmproj's parameter count). */
export function tensorParams(tensors: readonly MmprojTensor[]): number {
  return tensors.reduce((s, t) => s + elementsOf(t.dims), 0);
}

const OUTTYPE_NAME: Readonly<Record<MmprojOuttype, string>> = { f32: 'F32', f16: 'F16', bf16: 'BF16', q8_0: 'Q8_0' };

function typeOf(name: string): { blockSize: number; bytesPerBlock: number } {
  const t = GGML_TYPES.find((x) => x.name === name);
  if (!t) throw new SizingError(`Unknown ggml type ${name}`, 'type');
  return t;
}

function storageType(t: MmprojTensor, outtype: MmprojOuttype, converter: MmprojConverter): string {
  const out = OUTTYPE_NAME[outtype];
  if (converter === 'legacy-llava') {
    // convert_image_encoder_to_gguf.py: n_dims == 4 -> f16; ftype f16 and ".weight" with n_dims == 2 -> f16; else f32.
    if (t.storage === 'f16') return 'F16';
    return t.storage === 'out' ? out : 'F32';
  }
  switch (t.storage) {
    case 'f32':
      return 'F32';
    case 'f16':
      return 'F16';
    case 'patch':
      return outtype === 'f16' ? 'F16' : 'F32';
    case 'out':
      // gguf.quants.quantize raises QuantError for a row that is not a whole number of blocks; the converter
      // then writes F16 ("falling back to F16").
      if (outtype === 'q8_0' && (t.dims[0] ?? 0) % typeOf('Q8_0').blockSize !== 0) return 'F16';
      return out;
  }
}

/** The mmproj's tensors with the types the converter writes for `outtype`. */
export function mmprojTypedTensors(part: Pick<VisionPart, 'mmprojTensors' | 'mmprojConverter'>, outtype: MmprojOuttype = 'f16'): TypedTensor[] {
  if (part.mmprojConverter === 'legacy-llava' && outtype !== 'f16' && outtype !== 'f32') {
    throw new SizingError(`The legacy llava converter writes f16 or f32 mmproj files, not ${outtype}`, 'type');
  }
  return part.mmprojTensors.map((t) => {
    const { storage: _rule, ...info } = t;
    return { ...info, type: storageType(t, outtype, part.mmprojConverter) };
  });
}

function dataBytes(t: TypedTensor): number {
  const { blockSize, bytesPerBlock } = typeOf(t.type);
  const [ne0 = 1, ...rest] = t.dims;
  return (ne0 / blockSize) * bytesPerBlock * elementsOf(rest);
}

function padTo(n: number): number {
  return Math.ceil(n / MMPROJ_ALIGNMENT) * MMPROJ_ALIGNMENT;
}

/**
 * Key/value metadata of an mmproj: general.* (architecture "clip", type "mmproj", name, file_type ...), clip.* flags
 * and projector type, clip.vision.* hyper-parameters, image_mean / image_std. No tokenizer. An assumption of 2 KiB
 * (the hyper-parameters are ~25 keys of 40-60 bytes; general.* metadata from the model card adds a few hundred bytes).
 */
export const MMPROJ_KV_BYTES = 2048;

/** Bytes of one tensor info: name (u64 length + bytes), n_dims u32, dims u64 each, type u32, offset u64 (gguf.cpp). */
function tensorInfoBytes(t: TypedTensor): number {
  return 8 + new TextEncoder().encode(t.name).length + 4 + 8 * t.dims.length + 4 + 8;
}

/** Data bytes of the mmproj: every tensor's data, unpadded (what llama.cpp prints as the model size). */
export function mmprojDataBytes(part: Pick<VisionPart, 'mmprojTensors' | 'mmprojConverter'>, outtype: MmprojOuttype = 'f16'): number {
  return mmprojTypedTensors(part, outtype).reduce((s, t) => s + dataBytes(t), 0);
}

/** Size of the mmproj GGUF file: header, key/values and tensor infos padded to 32, then each tensor padded to 32. */
export function mmprojFileBytes(part: Pick<VisionPart, 'mmprojTensors' | 'mmprojConverter'>, outtype: MmprojOuttype = 'f16'): number {
  const typed = mmprojTypedTensors(part, outtype);
  const header = 24 + MMPROJ_KV_BYTES + typed.reduce((s, t) => s + tensorInfoBytes(t), 0);
  return padTo(header) + typed.reduce((s, t) => s + padTo(dataBytes(t)), 0);
}
