/**
 * LLaVA 1.5 (LlavaForConditionalGeneration) and LLaVA-NeXT / 1.6 (LlavaNextForConditionalGeneration) with a CLIP
 * vision tower (CLIP ViT-L/14-336 in the released models) and a 2-layer MLP projector.
 *
 * Checkpoint (transformers CLIPVisionModel + LlavaMultiModalProjector): class embedding, patch conv (no bias), learned
 * positions ((image/patch)^2 + 1), pre_layrnorm, layers of q/k/v/out + fc1/fc2 (all with biases) and two LayerNorms,
 * post_layernorm; projector linear_1 (C x n_feature_layers -> T) and linear_2 (T -> T), with biases
 * (multimodal_projector_bias). LLaVA-NeXT adds image_newline (T).
 *
 * mmproj: the legacy pipeline (llava_surgery(_v2).py + convert_image_encoder_to_gguf.py; convert_hf_to_gguf.py does
 * not write CLIP llava projectors). It drops the layers past the feature layer (block_count = max(feature layer), the
 * last one for vision_feature_layer -2) and post_layernorm, names fc1 "ffn_down" and fc2 "ffn_up" (clip.cpp swaps them
 * back when ffn_down.ne0 == n_embd), writes 4-D tensors F16 and 2-D weights (position embedding included) in the
 * outtype. Projector: mm.0 / mm.2 (clip.cpp load_tensors, PROJECTOR_TYPE_MLP).
 *
 * Tokens: 1.5 = (336/14)^2 = 576 per image in every runtime (the "default" feature strategy drops the class token).
 * 1.6: transformers' LlavaNextProcessor counts a 336 overview plus the best-fitting grid of 336 tiles, unpadded to the
 * image's aspect ratio, plus one image_newline per row (_get_number_of_features / _get_unpadded_features); llama.cpp
 * (llava-uhd preprocessing, mtmd-image.cpp) encodes 576 x (1 + tiles), without unpadding or newlines, and an image
 * no larger than 336 x 336 as the overview alone.
 */
import { featureLayers, pairList, subReader, VisionKeys } from './config.ts';
import { MmprojList } from './mmproj.ts';
import { selectBestResolution, checkImage, pyRound } from './image-geometry.ts';
import type { ConfigReader } from '../config-reader.ts';
import type { ImageSize, VisionPart, VisionRuntime } from './types.ts';
import { DEFAULT_IMAGE } from './types.ts';

interface ClipShape {
  hidden: number;
  ff: number;
  layers: number;
  image: number;
  patch: number;
  channels: number;
}

function readClip(v: ConfigReader, keys: VisionKeys): ClipShape {
  // Defaults: transformers CLIPVisionConfig.__init__ (ViT-B/32); released LLaVA configs list every one.
  return {
    hidden: keys.int('hidden_size', 768),
    ff: keys.int('intermediate_size', 3072),
    layers: keys.int('num_hidden_layers', 12),
    image: keys.int('image_size', 224),
    patch: keys.int('patch_size', 32),
    channels: v.has('num_channels') ? v.int('num_channels') : 3,
  };
}

/** Non-negative index of a feature layer: hidden_states has n + 1 entries (embeddings, then each layer). */
function layerIndex(idx: number, nLayers: number): number {
  return idx < 0 ? nLayers + idx + 1 : idx;
}

function clipLayerParams(c: ClipShape): number {
  const h = c.hidden;
  return 4 * h * h + 4 * h + 2 * h * c.ff + c.ff + h + 4 * h;
}

function clipEmbeddingParams(c: ClipShape): number {
  const positions = Math.floor(c.image / c.patch) ** 2 + 1;
  return c.hidden + c.channels * c.patch * c.patch * c.hidden + positions * c.hidden;
}

function legacyMmproj(c: ClipShape, blocks: number, projIn: number, textHidden: number, bias: boolean, newline: boolean): MmprojList {
  const m = new MmprojList();
  const h = c.hidden;
  const positions = Math.floor(c.image / c.patch) ** 2 + 1;
  // Projector tensors first: the legacy script adds them before the CLIP state dict.
  m.linear('mm.0', projIn, textHidden, bias, 'other');
  m.linear('mm.2', textHidden, textHidden, bias, 'other');
  // llava_surgery_v2 keeps image_newline; get_tensor_name maps "image_newline" to "model.image_newline" (1-D, F32);
  // clip.cpp does not load it (it looks for v.image_newline, optional).
  if (newline) m.add('model.image_newline', [textHidden], 'other');
  m.add('v.class_embd', [h], 'other');
  m.add('v.patch_embd.weight', [c.patch, c.patch, c.channels, h], 'other', null, 'f16');
  m.add('v.position_embd.weight', [h, positions], 'other');
  m.norm('v.pre_ln', h, true);
  for (let il = 0; il < blocks; il++) {
    const p = `v.blk.${il}`;
    for (const x of ['attn_k', 'attn_v', 'attn_q', 'attn_out']) m.linear(`${p}.${x}`, h, h, true, 'attn', il);
    m.norm(`${p}.ln1`, h, true, il);
    // fc1 (h -> ff) is written as ffn_down, fc2 as ffn_up (the legacy name swap).
    m.linear(`${p}.ffn_down`, h, c.ff, true, 'ffn', il);
    m.linear(`${p}.ffn_up`, c.ff, h, true, 'ffn', il);
    m.norm(`${p}.ln2`, h, true, il);
  }
  return m;
}

/** transformers LlavaNextProcessor._get_number_of_features for one image (the default feature strategy). */
function nextTokensHf(img: ImageSize, c: ClipShape, pinpoints: readonly ImageSize[]): number {
  const best = selectBestResolution(img, pinpoints, 'python');
  const side = Math.floor(c.image / c.patch);
  let h = side * (best.height / c.image);
  let w = side * (best.width / c.image);
  if (img.width / img.height > w / h) {
    const newH = Math.trunc(pyRound((img.height * (w / img.width)) * 1e7) / 1e7);
    h -= Math.floor((h - newH) / 2) * 2;
  } else {
    const newW = Math.trunc(pyRound((img.width * (h / img.height)) * 1e7) / 1e7);
    w -= Math.floor((w - newW) / 2) * 2;
  }
  return h * w + h + side * side;
}

/** llama.cpp llava-uhd: the overview, plus one 336 tile per cell of the chosen pinpoint (mtmd-image.cpp). */
function nextTokensLlamaCpp(img: ImageSize, c: ClipShape, pinpoints: readonly ImageSize[]): number {
  const perTile = Math.floor(c.image / c.patch) ** 2;
  if (img.width <= c.image && img.height <= c.image) return perTile;
  const best = selectBestResolution(img, pinpoints, 'llama.cpp');
  return perTile * (1 + (best.width / c.image) * (best.height / c.image));
}

/** transformers LlavaNextConfig default image_grid_pinpoints. */
const DEFAULT_PINPOINTS: [number, number][] = [
  [336, 672],
  [672, 336],
  [672, 672],
  [1008, 336],
  [336, 1008],
];

export function llavaPart(top: ConfigReader, textHidden: number): VisionPart {
  const arch = (top.raw('architectures') as string[])[0];
  const next = arch === 'LlavaNextForConditionalGeneration';
  const v = subReader(top, 'vision_config')!;
  const keys = new VisionKeys(v, 'CLIPVisionConfig');
  const c = readClip(v, keys);
  const layers = featureLayers(top, -2).map((i) => layerIndex(i, c.layers));
  const deepest = Math.max(...layers);
  const bias = top.bool('multimodal_projector_bias', true);
  const projIn = c.hidden * layers.length;
  const layerParams = clipLayerParams(c);
  const embeddings = clipEmbeddingParams(c);
  const towerParams = embeddings + 2 * c.hidden + c.layers * layerParams + 2 * c.hidden;
  const projectorParams = projIn * textHidden + textHidden * textHidden + (bias ? 2 * textHidden : 0) + (next ? textHidden : 0);
  // vLLM builds the tower up to the deepest feature layer and without post_layernorm (llava.py init_vision_tower_for_llava).
  const vllmParams = embeddings + 2 * c.hidden + deepest * layerParams + projectorParams;
  const keepClass = top.optionalString('vision_feature_select_strategy') === 'full';
  const perTile = Math.floor(c.image / c.patch) ** 2 + (keepClass ? 1 : 0);
  const pairs = pairList(top, 'image_grid_pinpoints') ?? DEFAULT_PINPOINTS;
  // transformers reads each pinpoint as [height, width]; clip.cpp reads the flattened pairs as (width, height).
  const hfPinpoints = pairs.map(([height, width]) => ({ width, height }));
  const cppPinpoints = pairs.map(([width, height]) => ({ width, height }));
  const notes = [
    ...keys.notes,
    `mmproj from the legacy llava converter: ${deepest} of ${c.layers} CLIP layers (vision_feature_layer), no post_layernorm; fc1/fc2 stored as ffn_down/ffn_up.`,
  ];
  if (next) notes.push('LLaVA-NeXT: transformers counts the unpadded tile grid plus one newline per row; llama.cpp counts 576 per tile and the overview.');
  const tokens = (image: ImageSize | 'default', runtime: VisionRuntime = 'transformers'): number => {
    const img = checkImage(image === 'default' ? DEFAULT_IMAGE : image);
    if (!next) return perTile;
    return runtime === 'llama.cpp' ? nextTokensLlamaCpp(img, c, cppPinpoints) : nextTokensHf(img, c, hfPinpoints);
  };
  return {
    family: next ? 'llava-next' : 'llava',
    projectorType: 'mlp',
    towerParams,
    projectorParams,
    vllmParams,
    mmprojTensors: legacyMmproj(c, deepest, projIn, textHidden, bias, next).tensors,
    mmprojConverter: 'legacy-llava',
    imageTokens: tokens,
    defaultImageTokens: tokens('default'),
    notes,
  };
}
