/**
 * Image resizing and tiling rules shared by several projector families, as each runtime computes them.
 *
 * llama.cpp (tools/mtmd/mtmd-image.cpp) computes in float32 and rounds half away from zero (std::round); the Hugging
 * Face processors (run by transformers and vLLM) compute in float64 and round half to even (Python's round).
 * Math.fround reproduces the float32 steps, so sizes on a rounding boundary come out as each runtime has them.
 */
import { SizingError } from '../../errors.ts';
import type { ImageSize } from './types.ts';

export type Rounding = 'llama.cpp' | 'python';

/** Python's round(): half to even. */
export function pyRound(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Checks a reader's image size: positive integer pixels. */
export function checkImage(image: ImageSize): ImageSize {
  const ok = (n: number) => Number.isInteger(n) && n > 0 && n <= 1 << 16;
  if (!ok(image.width) || !ok(image.height)) {
    throw new SizingError(`An image must be 1 to 65536 pixels wide and high, got ${image.width} x ${image.height}`, 'image');
  }
  return image;
}

export interface ResizeLimits {
  /** Width and height become multiples of this (patch size x merge). */
  factor: number;
  minPixels: number;
  maxPixels: number;
}

/**
 * Aspect-preserving resize to multiples of `factor` with the area clamped to [minPixels, maxPixels]:
 * transformers' smart_resize (models/qwen2_vl/image_processing_qwen2_vl.py) and llama.cpp's
 * img_tool::calc_size_preserved_ratio (tools/mtmd/mtmd-image.cpp), which ports it.
 */
export function smartResize(image: ImageSize, lim: ResizeLimits, rounding: Rounding): ImageSize {
  const { width, height } = checkImage(image);
  const f = lim.factor;
  if (rounding === 'python') {
    let h = pyRound(height / f) * f;
    let w = pyRound(width / f) * f;
    if (h * w > lim.maxPixels) {
      const beta = Math.sqrt((height * width) / lim.maxPixels);
      h = Math.max(f, Math.floor(height / beta / f) * f);
      w = Math.max(f, Math.floor(width / beta / f) * f);
    } else if (h * w < lim.minPixels) {
      const beta = Math.sqrt(lim.minPixels / (height * width));
      h = Math.ceil((height * beta) / f) * f;
      w = Math.ceil((width * beta) / f) * f;
    }
    return { width: w, height: h };
  }
  const fl = Math.fround;
  const byFactor = (x: number, op: (v: number) => number) => op(fl(fl(x) / f)) * f;
  let w = Math.max(f, byFactor(width, Math.round));
  let h = Math.max(f, byFactor(height, Math.round));
  if (h * w > lim.maxPixels) {
    const beta = fl(Math.sqrt(fl(fl(fl(height) * width) / lim.maxPixels)));
    h = Math.max(f, byFactor(fl(height / beta), Math.floor));
    w = Math.max(f, byFactor(fl(width / beta), Math.floor));
  } else if (h * w < lim.minPixels) {
    const beta = fl(Math.sqrt(fl(lim.minPixels / fl(fl(height) * width))));
    h = byFactor(fl(height * beta), Math.ceil);
    w = byFactor(fl(width * beta), Math.ceil);
  }
  return { width: w, height: h };
}

/**
 * LLaVA-NeXT's choice of canvas among candidate resolutions: the one that keeps the most of the image's pixels
 * after an aspect-preserving fit, then the one wasting the least area. transformers image_processing_utils
 * select_best_resolution; llama.cpp mtmd_image_preprocessor_llava_uhd::select_best_resolution (float32).
 */
export function selectBestResolution(image: ImageSize, candidates: readonly ImageSize[], rounding: Rounding): ImageSize {
  const fl = rounding === 'llama.cpp' ? Math.fround : (x: number) => x;
  let best: ImageSize | undefined;
  let maxEffective = 0;
  let minWasted = Infinity;
  for (const c of candidates) {
    const scale = Math.min(fl(c.width / image.width), fl(c.height / image.height));
    const w = Math.trunc(fl(image.width * scale));
    const h = Math.trunc(fl(image.height * scale));
    const effective = Math.min(w * h, image.width * image.height);
    const wasted = c.width * c.height - effective;
    if (effective > maxEffective || (effective === maxEffective && wasted < minWasted)) {
      maxEffective = effective;
      minWasted = wasted;
      best = c;
    }
  }
  if (!best) throw new SizingError('No candidate resolution to tile the image into', 'image');
  return best;
}
