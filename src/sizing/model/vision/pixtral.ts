/**
 * Pixtral vision towers: Mistral Small 3.1 / 3.2 and Magistral / Devstral vision (Mistral3ForConditionalGeneration)
 * and Pixtral-12B in transformers format (LlavaForConditionalGeneration with a "pixtral" vision_config).
 *
 * Checkpoint (transformers PixtralVisionModel): patch conv (no bias), ln_pre (RMSNorm), layers of attention_norm /
 * ffn_norm (RMSNorm), q/k/v/o and a gated MLP gate/up/down, none with biases. Projector:
 *   Mistral3MultiModalProjector: norm (RMSNorm of C), patch_merger.merging_layer (C m^2 -> C, spatial_merge_size m),
 *     linear_1 (C -> T) and linear_2 (T -> T), biases per multimodal_projector_bias (Mistral3Config default false);
 *   LlavaMultiModalProjector (Pixtral-12B): linear_1 and linear_2 with biases (LlavaConfig default true).
 *
 * mmproj (conversion/llava.py LlavaVisionModel): the same tensors (q/k permuted, shapes unchanged), mm.input_norm,
 * mm.patch_merger (F16 at outtype F16, else F32), mm.1 / mm.2, plus v.token_embd.img_break: the [IMG_BREAK] row of
 * the text embedding (T, F32), which clip.cpp requires (load_tensors, PROJECTOR_TYPE_PIXTRAL). At llama.cpp
 * 3f545bec, MmprojModel.filter_tensors drops "language_model.*" names before the row is copied, so an HF-format
 * conversion may lack it; files that load have it.
 *
 * Tokens: one per (patch x merge)^2 pixels, an [IMG_BREAK] after every row and [IMG_END] after the last
 * (the last row's break replaced by it): rows x (cols + 1).
 *   transformers / vLLM (PixtralImageProcessor, PixtralProcessor): the image scaled down (floor) to fit the longest
 *     edge (vision image_size: 1540 for Mistral Small 3.1, 1024 for Pixtral-12B), then cols = ceil(W / 28).
 *   llama.cpp (mtmd_image_preprocessor_dyn_size, clip.cpp set_limit_image_tokens(8, 1024)): rounded to the nearest
 *     multiple of 28 with 8 to 1024 merged tokens, then nx x ny + (ny - 1) breaks + [IMG_END].
 */
import { featureLayers, subReader, VisionKeys } from './config.ts';
import { MmprojList, tensorParams } from './mmproj.ts';
import { checkImage, smartResize } from './image-geometry.ts';
import type { ConfigReader } from '../config-reader.ts';
import type { ImageSize, VisionPart, VisionRuntime } from './types.ts';
import { DEFAULT_IMAGE } from './types.ts';

function hfTokens(img: ImageSize, longestEdge: number, factor: number): number {
  let { width, height } = img;
  const ratio = Math.max(height / longestEdge, width / longestEdge);
  if (ratio > 1) {
    height = Math.floor(height / ratio);
    width = Math.floor(width / ratio);
  }
  const cols = Math.floor((width - 1) / factor) + 1;
  const rows = Math.floor((height - 1) / factor) + 1;
  return rows * (cols + 1);
}

function llamaCppTokens(img: ImageSize, factor: number): number {
  const r = smartResize(img, { factor, minPixels: 8 * factor * factor, maxPixels: 1024 * factor * factor }, 'llama.cpp');
  const nx = r.width / factor;
  const ny = r.height / factor;
  return nx * ny + (ny - 1) + 1;
}

export function pixtralPart(top: ConfigReader, textHidden: number): VisionPart {
  const mistral3 = (top.raw('architectures') as string[])[0] === 'Mistral3ForConditionalGeneration';
  const v = subReader(top, 'vision_config')!;
  const keys = new VisionKeys(v, 'PixtralVisionConfig');
  const c = keys.int('hidden_size', 1024);
  const ff = keys.int('intermediate_size', 4096);
  const layers = keys.int('num_hidden_layers', 24);
  const image = keys.int('image_size', 1024);
  const patch = keys.int('patch_size', 16);
  const channels = v.has('num_channels') ? v.int('num_channels') : 3;
  const merge = mistral3 ? (top.has('spatial_merge_size') ? top.int('spatial_merge_size') : 2) : 1;
  const bias = top.bool('multimodal_projector_bias', !mistral3);
  const projIn = c * featureLayers(top, -1).length;

  const m = new MmprojList();
  m.add('v.patch_embd.weight', [patch, patch, channels, c], 'other', null, 'patch');
  m.norm('v.pre_ln', c, false);
  for (let il = 0; il < layers; il++) {
    const p = `v.blk.${il}`;
    for (const x of ['attn_q', 'attn_k', 'attn_v', 'attn_out']) m.linear(`${p}.${x}`, c, c, false, 'attn', il);
    m.norm(`${p}.ln1`, c, false, il);
    m.linear(`${p}.ffn_gate`, c, ff, false, 'ffn', il);
    m.linear(`${p}.ffn_up`, c, ff, false, 'ffn', il);
    m.linear(`${p}.ffn_down`, ff, c, false, 'ffn', il);
    m.norm(`${p}.ln2`, c, false, il);
  }
  if (mistral3) {
    m.add('mm.input_norm.weight', [c], 'norm');
    m.add('mm.patch_merger.weight', [c * merge * merge, c], 'other', null, 'patch');
  }
  m.linear('mm.1', projIn, textHidden, bias, 'other');
  m.linear('mm.2', textHidden, textHidden, bias, 'other');
  m.add('v.token_embd.img_break', [textHidden], 'other');

  const mergerParams = mistral3 ? c + c * merge * merge * c : 0;
  const projectorParams = mergerParams + projIn * textHidden + textHidden * textHidden + (bias ? 2 * textHidden : 0);
  // The [IMG_BREAK] row is a copy of the text embedding, not a vision weight of the checkpoint.
  const checkpoint = tensorParams(m.tensors) - textHidden;
  const factor = patch * merge;
  const tokens = (img: ImageSize | 'default', runtime: VisionRuntime = 'transformers') => {
    const i = checkImage(img === 'default' ? DEFAULT_IMAGE : img);
    return runtime === 'llama.cpp' ? llamaCppTokens(i, factor) : hfTokens(i, image, factor);
  };
  return {
    family: 'pixtral',
    projectorType: 'pixtral',
    towerParams: checkpoint - projectorParams,
    projectorParams,
    vllmParams: checkpoint,
    mmprojTensors: m.tensors,
    mmprojConverter: 'convert_hf_to_gguf',
    imageTokens: tokens,
    defaultImageTokens: tokens('default'),
    notes: [
      ...keys.notes,
      `One token per ${factor} x ${factor} px, an [IMG_BREAK] per row, [IMG_END] last. transformers/vLLM fit the longest side to ${image} px; llama.cpp allows 8 to 1024 merged tokens.`,
      'mmproj includes v.token_embd.img_break (the [IMG_BREAK] embedding row, T values), which clip.cpp requires.',
    ],
  };
}
