/**
 * Llama 4 (Llama4ForConditionalGeneration): a ViT of 14 px patches on 336 px tiles (patch embedding is a Linear over
 * unfolded patches, no bias), a class embedding, learned positions ((336/14)^2 + 1), LayerNorm pre / post, layers of
 * biased q/k/v/o and fc1/fc2; then the vision adapter (pixel shuffle 0.5, mlp fc1 intermediate_size ->
 * projector_input_dim and fc2 -> projector_output_dim, no biases) and multi_modal_projector.linear_1
 * (vision_output_dim -> T, no bias). Checkpoint: transformers Llama4VisionModel + Llama4MultiModalProjector.
 *
 * mmproj (conversion/llama4.py Llama4VisionModel): v.patch_embd.weight {3 p^2, C} (reshaped in the graph,
 * tools/mtmd/models/llama4.cpp), v.class_embd, v.position_embd.weight (F32), v.pre_ln / v.post_ln, the adapter as
 * mm.model.mlp.1 / .2 and linear_1 as mm.model.fc. Same elements as the checkpoint.
 *
 * Tokens: 144 per 336 px tile ((336/14)^2 / 2^2).
 *   transformers / vLLM (Llama4ImageProcessor, max_patches 16, resize_to_max_canvas false): the canvas of up to 16
 *     tiles that fits the image with the least upscaling (or the least downscaling) (get_best_fit); with more than
 *     one tile every tile is followed by <|tile_x_separator|> (except a row's last) and each row by
 *     <|tile_y_separator|>, then the global tile after <|image|>, all between <|image_start|> and <|image_end|>
 *     (Llama4Processor._prompt_split_image).
 *   llama.cpp: llava-uhd tiling over 1..3 x 1..3 tiles (not 1 x 1) for an image larger than 336 in either side, the
 *     overview after the tiles, no separators; <|image_start|> / <|image_end|> around (clip.cpp
 *     set_llava_uhd_res_candidates(model, 3), mtmd.cpp).
 */
import { subReader, VisionKeys } from './config.ts';
import { MmprojList, tensorParams } from './mmproj.ts';
import { checkImage, selectBestResolution } from './image-geometry.ts';
import type { ConfigReader } from '../config-reader.ts';
import type { ImageSize, VisionPart, VisionRuntime } from './types.ts';
import { DEFAULT_IMAGE } from './types.ts';

/** Llama4ImageProcessor get_best_fit over find_supported_resolutions(max_patches, tile): tiles across and down. */
export function llama4HfGrid(img: ImageSize, tile: number, maxPatches: number): { cols: number; rows: number } {
  const canvases: { rows: number; cols: number }[] = [];
  for (let n = maxPatches; n >= 1; n--) for (let r = 1; r <= n; r++) if (n % r === 0) canvases.push({ rows: r, cols: n / r });
  const scales = canvases.map((cv) => Math.min((cv.cols * tile) / img.width, (cv.rows * tile) / img.height));
  const up = scales.filter((s) => s >= 1);
  const chosen = up.length > 0 ? Math.min(...up) : Math.max(...scales.filter((s) => s < 1));
  let best = canvases[0]!;
  let bestArea = Infinity;
  canvases.forEach((cv, i) => {
    if (scales[i] !== chosen) return;
    const area = cv.rows * cv.cols;
    if (area < bestArea) {
      best = cv;
      bestArea = area;
    }
  });
  return { cols: best.cols, rows: best.rows };
}

function hfTokens(img: ImageSize, tile: number, perTile: number): number {
  const { cols, rows } = llama4HfGrid(img, tile, 16);
  const tiles = cols * rows;
  const tiled = tiles > 1 ? tiles * perTile + rows * (cols - 1) + rows : 0;
  // <|image_start|>, tiles and separators, <|image|>, the global tile, <|image_end|>.
  return 1 + tiled + 1 + perTile + 1;
}

function llamaCppTokens(img: ImageSize, tile: number, perTile: number): number {
  if (img.width <= tile && img.height <= tile) return 2 + perTile;
  const candidates: ImageSize[] = [];
  for (let x = 1; x <= 3; x++) for (let y = 1; y <= 3; y++) if (x !== 1 || y !== 1) candidates.push({ width: x * tile, height: y * tile });
  const best = selectBestResolution(img, candidates, 'llama.cpp');
  return 2 + perTile * (1 + (best.width / tile) * (best.height / tile));
}

export function llama4Part(top: ConfigReader, textHidden: number): VisionPart {
  const v = subReader(top, 'vision_config')!;
  const keys = new VisionKeys(v, 'Llama4VisionConfig');
  const c = keys.int('hidden_size', 768);
  const ff = keys.int('intermediate_size', 5632);
  const layers = keys.int('num_hidden_layers', 34);
  const image = keys.int('image_size', 448);
  const patch = keys.int('patch_size', 14);
  const channels = v.has('num_channels') ? v.int('num_channels') : 3;
  const projIn = keys.int('projector_input_dim', 4096);
  const projOut = keys.int('projector_output_dim', 4096);
  const visionOut = keys.int('vision_output_dim', 7680);
  const ratio = v.has('pixel_shuffle_ratio') ? v.num('pixel_shuffle_ratio') : 0.5;
  if (!(ratio > 0 && ratio <= 1)) v.fail('pixel_shuffle_ratio', 'must be in (0, 1]', ratio);
  const positions = Math.floor(image / patch) ** 2 + 1;

  const m = new MmprojList();
  m.add('v.patch_embd.weight', [channels * patch * patch, c], 'other', null, 'patch');
  m.add('v.class_embd', [c], 'other');
  m.add('v.position_embd.weight', [c, positions], 'other', null, 'f32');
  m.norm('v.pre_ln', c, true);
  for (let il = 0; il < layers; il++) {
    const p = `v.blk.${il}`;
    for (const x of ['attn_q', 'attn_k', 'attn_v', 'attn_out']) m.linear(`${p}.${x}`, c, c, true, 'attn', il);
    m.norm(`${p}.ln1`, c, true, il);
    m.linear(`${p}.ffn_up`, c, ff, true, 'ffn', il);
    m.linear(`${p}.ffn_down`, ff, c, true, 'ffn', il);
    m.norm(`${p}.ln2`, c, true, il);
  }
  m.norm('v.post_ln', c, true);
  m.add('mm.model.mlp.1.weight', [ff, projIn], 'other');
  m.add('mm.model.mlp.2.weight', [projIn, projOut], 'other');
  m.add('mm.model.fc.weight', [visionOut, textHidden], 'other');

  const projectorParams = ff * projIn + projIn * projOut + visionOut * textHidden;
  const total = tensorParams(m.tensors);
  const perTile = Math.round(Math.floor(image / patch) ** 2 * ratio * ratio);
  const tokens = (img: ImageSize | 'default', runtime: VisionRuntime = 'transformers') => {
    const i = checkImage(img === 'default' ? DEFAULT_IMAGE : img);
    return runtime === 'llama.cpp' ? llamaCppTokens(i, image, perTile) : hfTokens(i, image, perTile);
  };
  return {
    family: 'llama4',
    projectorType: 'llama4',
    towerParams: total - projectorParams,
    projectorParams,
    vllmParams: total,
    mmprojTensors: m.tensors,
    mmprojConverter: 'convert_hf_to_gguf',
    imageTokens: tokens,
    defaultImageTokens: tokens('default'),
    notes: [
      ...keys.notes,
      `${perTile} tokens per ${image} px tile. transformers/vLLM: up to 16 tiles plus a global tile, with tile separators; llama.cpp: up to 3 x 3 tiles plus the overview, no separators.`,
    ],
  };
}
