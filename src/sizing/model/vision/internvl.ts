/**
 * InternVL 2.5 / 3 / 3.5: InternViT (300M: 1024 wide, 24 layers; 6B: 3200 wide, 45 layers, RMSNorm and q/k norms) on
 * 448 px tiles, pixel shuffle (downsample_ratio 0.5: 4C per token) and mlp1 (LayerNorm of 4C, Linear 4C -> T, GELU,
 * Linear T -> T). Two config formats: OpenGVLab's remote code (InternVLChatModel: llm_config, vision_config of
 * InternVisionConfig, force_image_size, min/max_dynamic_patch, use_thumbnail) and transformers'
 * InternVLForConditionalGeneration (text_config, InternVLVisionConfig: attention_bias, use_qk_norm, image_size [448, 448]).
 *
 * Checkpoint: class embedding, patch conv with bias, learned positions ((448/14)^2 + 1), per layer norm1 / norm2
 * (LayerNorm weight + bias, or RMSNorm weight), qkv (bias per qkv_bias / attention_bias), proj with bias, q_norm /
 * k_norm of C when qk_normalization, layer scales ls1 / ls2, fc1 / fc2 with biases; no final norm.
 *
 * mmproj (conversion/internvl.py InternVisionModel): qkv split into attn_q / attn_k / attn_v, class embedding
 * {C, 1, 1}, position embedding {C, n, 1} forced F32, ls1 / ls2, mlp1.0 / .1 / .3 as mm.model.mlp.0 / 1 / 3.
 * Same elements as the checkpoint.
 *
 * Tokens: (448/14)^2 x 0.5^2 = 256 per tile, between <img> and </img>.
 *   transformers / vLLM (InternVL dynamic_preprocess / GotOcr2 crop_to_patches): the tile grid (i x j, min..max tiles,
 *     1..12 by default) whose aspect ratio is closest to the image's, a larger grid winning a tie when the image covers
 *     more than half of it; a thumbnail tile is added when there is more than one tile (use_thumbnail).
 *   llama.cpp (mtmd_image_preprocessor_internvl, llava-uhd slicing): an image no larger than 448 x 448 is one tile;
 *     otherwise the a x b grid (a x b <= max tiles) chosen by select_best_resolution, the overview after the tiles.
 */
import { subReader, VisionKeys } from './config.ts';
import { MmprojList, tensorParams } from './mmproj.ts';
import { checkImage, selectBestResolution } from './image-geometry.ts';
import type { ConfigReader } from '../config-reader.ts';
import type { ImageSize, VisionPart, VisionRuntime } from './types.ts';
import { DEFAULT_IMAGE } from './types.ts';

interface Tiling {
  tile: number;
  minTiles: number;
  maxTiles: number;
  thumbnail: boolean;
}

/** InternVL find_closest_aspect_ratio over the grids with min..max tiles (sorted by tile count). */
export function internvlHfTiles(img: ImageSize, t: Tiling): number {
  const grids: [number, number][] = [];
  for (let n = t.minTiles; n <= t.maxTiles; n++) {
    for (let i = 1; i <= n; i++) {
      for (let j = 1; j <= n; j++) {
        const p = i * j;
        if (p >= t.minTiles && p <= t.maxTiles && !grids.some(([a, b]) => a === i && b === j)) grids.push([i, j]);
      }
    }
  }
  grids.sort((a, b) => a[0] * a[1] - b[0] * b[1]);
  const aspect = img.width / img.height;
  const area = img.width * img.height;
  let bestDiff = Infinity;
  let best: [number, number] = [1, 1];
  for (const g of grids) {
    const diff = Math.abs(aspect - g[0] / g[1]);
    if (diff < bestDiff) {
      bestDiff = diff;
      best = g;
    } else if (diff === bestDiff && area > 0.5 * t.tile * t.tile * g[0] * g[1]) {
      best = g;
    }
  }
  const blocks = best[0] * best[1];
  return blocks + (t.thumbnail && blocks > 1 ? 1 : 0);
}

/** llama.cpp: tiles (plus the overview) for one image (clip.cpp set_internvl_dhr_res_candidates, llava-uhd slicing). */
export function internvlLlamaCppTiles(img: ImageSize, t: Tiling): number {
  if (img.width <= t.tile && img.height <= t.tile) return 1;
  const candidates: ImageSize[] = [];
  for (let a = t.minTiles; a <= t.maxTiles; a++) {
    const lo = Math.max(Math.ceil(t.minTiles / a), t.minTiles);
    const hi = Math.min(Math.floor(t.maxTiles / a), t.maxTiles);
    for (let b = lo; b <= hi; b++) candidates.push({ width: a * t.tile, height: b * t.tile });
  }
  const best = selectBestResolution(img, candidates, 'llama.cpp');
  return (best.width / t.tile) * (best.height / t.tile) + 1;
}

export function internvlPart(top: ConfigReader, textHidden: number): VisionPart {
  const remote = (top.raw('architectures') as string[])[0] === 'InternVLChatModel';
  const v = subReader(top, 'vision_config')!;
  const keys = new VisionKeys(v, remote ? 'InternVisionConfig' : 'InternVLVisionConfig');
  // Defaults: InternVisionConfig (remote code) describes InternViT-6B; transformers' InternVLVisionConfig InternViT-300M.
  const c = keys.int('hidden_size', remote ? 3200 : 1024);
  const ff = keys.int('intermediate_size', remote ? 12800 : 4096);
  const layers = keys.int('num_hidden_layers', remote ? 48 : 24);
  const image = remote && top.has('force_image_size') ? top.int('force_image_size') : keys.square('image_size', remote ? 224 : 448);
  const patch = keys.square('patch_size', 14);
  const channels = v.has('num_channels') ? v.int('num_channels') : 3;
  const qkvBias = remote ? keys.bool('qkv_bias', false) : keys.bool('attention_bias', false);
  const qkNorm = remote ? keys.bool('qk_normalization', true) : keys.bool('use_qk_norm', false);
  const rms = (keys.optionalString('norm_type') ?? (remote ? 'rms_norm' : 'layer_norm')) === 'rms_norm';
  const ds = top.has('downsample_ratio') ? top.num('downsample_ratio') : 0.5;
  if (!(ds > 0 && ds <= 1)) top.fail('downsample_ratio', 'must be in (0, 1]', ds);
  const scale = Math.round(1 / ds);
  const merged = c * scale * scale;
  const positions = Math.floor(image / patch) ** 2 + 1;

  const m = new MmprojList();
  m.add('v.class_embd', [c, 1, 1], 'other', null, 'f32');
  m.add('v.patch_embd.weight', [patch, patch, channels, c], 'other', null, 'patch');
  m.add('v.patch_embd.bias', [c], 'bias');
  m.add('v.position_embd.weight', [c, positions, 1], 'other', null, 'f32');
  for (let il = 0; il < layers; il++) {
    const p = `v.blk.${il}`;
    for (const x of ['attn_q', 'attn_k', 'attn_v']) m.linear(`${p}.${x}`, c, c, qkvBias, 'attn', il);
    m.linear(`${p}.attn_out`, c, c, true, 'attn', il);
    if (qkNorm) {
      m.add(`${p}.attn_q_norm.weight`, [c], 'norm', il);
      m.add(`${p}.attn_k_norm.weight`, [c], 'norm', il);
    }
    m.norm(`${p}.ln1`, c, !rms, il);
    m.add(`${p}.ls1.weight`, [c], 'other', il);
    m.linear(`${p}.ffn_up`, c, ff, true, 'ffn', il);
    m.linear(`${p}.ffn_down`, ff, c, true, 'ffn', il);
    m.norm(`${p}.ln2`, c, !rms, il);
    m.add(`${p}.ls2.weight`, [c], 'other', il);
  }
  m.norm('mm.model.mlp.0', merged, true);
  m.linear('mm.model.mlp.1', merged, textHidden, true, 'other');
  m.linear('mm.model.mlp.3', textHidden, textHidden, true, 'other');

  const projectorParams = 2 * merged + merged * textHidden + textHidden + textHidden * textHidden + textHidden;
  const total = tensorParams(m.tensors);
  const perTile = Math.round(Math.floor(image / patch) ** 2 / (scale * scale));
  const tiling: Tiling = {
    tile: image,
    minTiles: top.has('min_dynamic_patch') ? top.int('min_dynamic_patch') : 1,
    maxTiles: top.has('max_dynamic_patch') ? top.int('max_dynamic_patch') : 12,
    thumbnail: top.bool('use_thumbnail', true),
  };
  const tokens = (img: ImageSize | 'default', runtime: VisionRuntime = 'transformers') => {
    const i = checkImage(img === 'default' ? DEFAULT_IMAGE : img);
    const tiles = runtime === 'llama.cpp' ? internvlLlamaCppTiles(i, tiling) : internvlHfTiles(i, tiling);
    return 2 + perTile * tiles;
  };
  return {
    family: 'internvl',
    projectorType: 'internvl',
    towerParams: total - projectorParams,
    projectorParams,
    vllmParams: total,
    mmprojTensors: m.tensors,
    mmprojConverter: 'convert_hf_to_gguf',
    imageTokens: tokens,
    defaultImageTokens: tokens('default'),
    notes: [
      ...keys.notes,
      `${perTile} tokens per ${image} px tile, ${tiling.minTiles} to ${tiling.maxTiles} tiles plus a thumbnail, between <img> and </img>; transformers/vLLM match the image's aspect ratio, llama.cpp keeps the most pixels (select_best_resolution).`,
    ],
  };
}
