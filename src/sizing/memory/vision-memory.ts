/**
 * The memory a multimodal model's vision part takes under a runtime, and the context its images take.
 *
 *  - llama.cpp / Ollama: the mmproj GGUF beside the text GGUF, in its own output type (F16 unless chosen), loaded to
 *    the GPU by default (llama-server --no-mmproj-offload keeps it in RAM): mmprojDataBytes (vision/mmproj.ts);
 *  - vLLM: the encoder and projector as vLLM builds them (LLaVA's tower stops at the feature layer), in the model dtype;
 *  - transformers: the checkpoint's tower and projector in the model dtype.
 * Every image also takes context positions, counted by each runtime's own preprocessing (imageTokens): they come out
 * of the context the KV cache is sized for, they do not add to it.
 * Vision towers of families the engine does not model carry the generic ViT estimate of vision-tower.ts, labelled so.
 */
import { SizingError } from '../errors.ts';
import { visionPartOf, mmprojDataBytes, mmprojFileBytes, DEFAULT_IMAGE, type ImageSize, type MmprojOuttype, type VisionRuntime } from '../model/vision/index.ts';
import type { HfConfig, ModelShape } from '../types.ts';

export type VisionRuntimeChoice = 'llama.cpp' | 'ollama' | 'vllm' | 'transformers';

export interface VisionOptions {
  runtime: VisionRuntimeChoice;
  /** Images per sequence (default 0: the part is loaded, no image is in the context). */
  images?: number;
  /** The images' size in pixels (default DEFAULT_IMAGE, a 1024 x 768 photo). */
  imageSize?: ImageSize;
  /** llama.cpp: the mmproj file's output type (convert_hf_to_gguf.py --outtype; default f16). */
  mmprojType?: MmprojOuttype;
  /** Bytes per parameter of the model dtype for vLLM / transformers (2 for BF16 / FP16, 4 for FP32). */
  dtypeBytes?: number;
}

export interface VisionMemory {
  /** 'exact': a modelled projector family; 'estimated': the generic ViT estimate (no image tokens then). */
  basis: 'exact' | 'estimated';
  family: string | null;
  /** Tower plus projector as the runtime loads them. */
  params: number;
  /** Bytes the runtime holds for them (llama.cpp: the mmproj tensor data; vLLM / transformers: params x dtype). */
  bytes: number;
  /** llama.cpp: the mmproj file on disk (tensor data, alignment and metadata). */
  mmprojFileBytes?: number;
  mmprojType?: MmprojOuttype;
  /** Context positions one image of imageSize takes under this runtime (null when the family is not modelled). */
  tokensPerImage: number | null;
  /** images x tokensPerImage. */
  imageTokens: number;
  imageSize: ImageSize;
  notes: string[];
}

/** At most this many images per sequence (a bound that keeps sums exact; no chat holds more). */
export const MAX_IMAGES = 4096;

const runtimeOf = (r: VisionRuntimeChoice): VisionRuntime => (r === 'ollama' ? 'llama.cpp' : r);

/** The vision part's memory for a config, or null when the model has no vision part. */
export function visionMemory(config: HfConfig | null, shape: ModelShape, opts: VisionOptions): VisionMemory | null {
  const images = opts.images ?? 0;
  if (!Number.isInteger(images) || images < 0 || images > MAX_IMAGES) throw new SizingError(`images must be a whole number from 0 to ${MAX_IMAGES}, got ${images}`, 'images');
  const imageSize = opts.imageSize ?? DEFAULT_IMAGE;
  if (![imageSize.width, imageSize.height].every((n) => Number.isInteger(n) && n >= 1 && n <= 32768)) {
    throw new SizingError(`image size must be whole pixels from 1 to 32768 on each side, got ${imageSize.width} x ${imageSize.height}`, 'imageSize');
  }
  const dtypeBytes = opts.dtypeBytes ?? 2;
  const mmprojType = opts.mmprojType ?? 'f16';
  const gguf = opts.runtime === 'llama.cpp' || opts.runtime === 'ollama';
  const part = config ? visionPartOf(config, shape.hiddenSize) : null;
  if (part) {
    const tokensPerImage = part.imageTokens(imageSize, runtimeOf(opts.runtime));
    const params = opts.runtime === 'vllm' ? part.vllmParams : part.towerParams + part.projectorParams;
    const notes = [...part.notes];
    if (gguf) notes.push(`llama.cpp loads the vision part from a separate mmproj GGUF (--mmproj), to the GPU unless --no-mmproj-offload; ${mmprojType.toUpperCase()} here.`);
    return {
      basis: 'exact',
      family: part.family,
      params,
      bytes: gguf ? mmprojDataBytes(part, mmprojType) : params * dtypeBytes,
      ...(gguf ? { mmprojFileBytes: mmprojFileBytes(part, mmprojType), mmprojType } : {}),
      tokensPerImage,
      imageTokens: images * tokensPerImage,
      imageSize,
      notes,
    };
  }
  const extra = shape.extras.find((e) => /vision/i.test(e.name));
  if (!extra || extra.params <= 0) return null;
  // A family the engine does not model: its parameters are estimated, its image tokens unknown.
  const bytesPerParam = gguf ? (mmprojType === 'f32' ? 4 : mmprojType === 'q8_0' ? 34 / 32 : 2) : dtypeBytes;
  return {
    basis: 'estimated',
    family: null,
    params: extra.params,
    bytes: Math.ceil(extra.params * bytesPerParam),
    tokensPerImage: null,
    imageTokens: 0,
    imageSize,
    notes: [extra.note, 'Image tokens are not counted: the engine does not model this vision family.'],
  };
}
