/**
 * Image tokens of the Qwen-VL family (Qwen2-VL, Qwen2.5-VL, Qwen3-VL): the image is resized to multiples of
 * patch x merge pixels (28 for 14 px patches, 32 for 16 px) with its area clamped, and each merged 2 x 2 patch group is
 * one token, so tokens = (W / 28) x (H / 28) (clip.cpp clip_n_output_tokens, PROJECTOR_TYPE_QWEN2VL / QWEN3VL), plus
 * <|vision_start|> and <|vision_end|> around them (mtmd.cpp img_beg / img_end; the Qwen chat template).
 *
 * Area limits differ by runtime:
 *   transformers / vLLM: preprocessor_config.json, min_pixels 3136 / max_pixels 12845056 (Qwen2-VL, Qwen2.5-VL) and
 *     size.shortest_edge 65536 / size.longest_edge 16777216 (Qwen3-VL);
 *   llama.cpp: 8 to 4096 tokens (clip.cpp load_hparams: set_limit_image_tokens(8, 4096)), changed by
 *     --image-min-tokens / --image-max-tokens.
 */
import { checkImage, smartResize } from './image-geometry.ts';
import type { ImageSize, VisionRuntime } from './types.ts';
import { DEFAULT_IMAGE } from './types.ts';

export interface QwenPixelLimits {
  /** transformers / vLLM processor limits (pixels). */
  hfMinPixels: number;
  hfMaxPixels: number;
}

/** Merged tokens of one image, plus the two vision start / end tokens. */
export function qwenImageTokens(
  image: ImageSize | 'default',
  runtime: VisionRuntime,
  patch: number,
  merge: number,
  limits: QwenPixelLimits,
): number {
  const img = checkImage(image === 'default' ? DEFAULT_IMAGE : image);
  const factor = patch * merge;
  const llamaCpp = runtime === 'llama.cpp';
  const lim = llamaCpp
    ? { factor, minPixels: 8 * factor * factor, maxPixels: 4096 * factor * factor }
    : { factor, minPixels: limits.hfMinPixels, maxPixels: limits.hfMaxPixels };
  const r = smartResize(img, lim, llamaCpp ? 'llama.cpp' : 'python');
  return (r.width / factor) * (r.height / factor) + 2;
}
