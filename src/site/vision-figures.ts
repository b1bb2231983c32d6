/**
 * Build-time figures for the "Vision models" chapter: the vision encoder and projector of a few multimodal models,
 * sized by the engine's vision module (src/sizing/model/vision), and the context their images take.
 *
 * The catalog describes Gemma 3 27B by its text model only, and has no Qwen2.5-VL entry, so their vision keys are
 * given here with the file they were read from. Llama 4 Scout comes from the catalog as it is.
 */
import { model } from './figures';
import { kvCache, modelShapeFromConfig, type HfConfig, type ModelShape } from '../sizing/index.ts';
import { DEFAULT_IMAGE, mmprojFileBytes, visionPartOf, type ImageSize, type MmprojOuttype, type VisionPart } from '../sizing/model/vision/index.ts';

/**
 * google/gemma-3-27b-it config.json: the SigLIP vision_config (the same in the 4B, 12B and 27B releases) and
 * mm_tokens_per_image, added to the catalog's text_config.
 * https://huggingface.co/google/gemma-3-27b-it/blob/main/config.json
 */
const GEMMA3_VISION = {
  vision_config: {
    hidden_size: 1152,
    image_size: 896,
    intermediate_size: 4304,
    model_type: 'siglip_vision_model',
    num_attention_heads: 16,
    num_hidden_layers: 27,
    patch_size: 14,
    vision_use_head: false,
  },
  mm_tokens_per_image: 256,
};

/**
 * Qwen/Qwen2.5-VL-7B-Instruct config.json: the shape keys (the text model at the top level, as Qwen2.5-VL writes
 * it) and the vision keys the official file lists (depth 32, hidden_size 1280, intermediate_size 3420, num_heads 16,
 * patch_size 14, spatial_merge_size 2, window_size 112, out_hidden_size 3584).
 * https://huggingface.co/Qwen/Qwen2.5-VL-7B-Instruct/blob/main/config.json
 */
const QWEN25_VL_7B: HfConfig = {
  architectures: ['Qwen2_5_VLForConditionalGeneration'],
  model_type: 'qwen2_5_vl',
  hidden_size: 3584,
  intermediate_size: 18944,
  num_hidden_layers: 28,
  num_attention_heads: 28,
  num_key_value_heads: 4,
  max_position_embeddings: 32768,
  max_window_layers: 28,
  sliding_window: 32768,
  use_sliding_window: false,
  tie_word_embeddings: false,
  vocab_size: 152064,
  vision_config: {
    model_type: 'qwen2_5_vl',
    depth: 32,
    hidden_size: 1280,
    intermediate_size: 3420,
    num_heads: 16,
    in_chans: 3,
    out_hidden_size: 3584,
    patch_size: 14,
    spatial_merge_size: 2,
    window_size: 112,
  },
};

export interface VisionModel {
  id: string;
  name: string;
  config: HfConfig;
  shape: ModelShape;
  part: VisionPart;
}

function visionModel(id: string, name: string, config: HfConfig): VisionModel {
  const shape = modelShapeFromConfig(config);
  const part = visionPartOf(config);
  if (!part) throw new Error(`The vision chapter quotes ${name}, whose vision part the engine does not model.`);
  return { id, name, config, shape, part };
}

/** The chapter's models, smallest vision part first. */
export function visionModels(): VisionModel[] {
  const gemma = model('gemma-3-27b');
  const scout = model('llama-4-scout-17b-16e');
  return [
    visionModel('gemma-3-27b', gemma.entry.name, { ...gemma.entry.config, ...GEMMA3_VISION }),
    visionModel('qwen2.5-vl-7b', 'Qwen2.5-VL 7B Instruct', QWEN25_VL_7B),
    visionModel('llama-4-scout', scout.entry.name, scout.entry.config),
  ];
}

export const MMPROJ_OUTTYPES: readonly MmprojOuttype[] = ['f16', 'bf16', 'q8_0', 'f32'];

/** Bytes of the mmproj GGUF convert_hf_to_gguf.py --mmproj writes for each --outtype. */
export function mmprojSizes(m: VisionModel): Record<MmprojOuttype, number> {
  return Object.fromEntries(MMPROJ_OUTTYPES.map((o) => [o, mmprojFileBytes(m.part, o)])) as Record<MmprojOuttype, number>;
}

/** A phone photo (12 megapixels, 4:3). */
export const PHONE_PHOTO: ImageSize = { width: 4032, height: 3024 };
export { DEFAULT_IMAGE };

/** Context positions for `n` images of one size, per runtime. */
export function imageContext(m: VisionModel, image: ImageSize, runtime: 'llama.cpp' | 'vllm', n = 1): number {
  return n * m.part.imageTokens(image, runtime);
}

/** llama.cpp's f16 KV cache for a context of `ctx` tokens (one sequence), as it allocates it at start-up. */
export function llamaCppKv(m: VisionModel, ctx: number): number {
  return kvCache(m.shape, { runtime: 'llama.cpp', ctx, seqs: 1, typeK: 'f16', typeV: 'f16' }).bytes;
}

/** Marginal KV bytes of one token at long context (llama.cpp, f16): windowed layers full, so global layers only. */
export function perTokenKv(m: VisionModel): number {
  return kvCache(m.shape, { runtime: 'llama.cpp', ctx: 131072, seqs: 1, typeK: 'f16', typeV: 'f16' }).perTokenBytes;
}
