/**
 * Gemma 3 (Gemma3ForConditionalGeneration): a SigLIP encoder (SigLIP-So400m, 896 px, 14 px patches in the released
 * 4B / 12B / 27B), then Gemma3MultiModalProjector: 4 x 4 average pooling of the 64 x 64 patch grid to 256 tokens,
 * mm_soft_emb_norm (RMSNorm of C) and mm_input_projection_weight (C x T, no bias).
 * Checkpoint: transformers SiglipVisionModel without head (vision_use_head false): patch conv with bias, learned
 * positions (image/patch)^2, LayerNorm blocks with biased q/k/v/out and fc1/fc2, post_layernorm.
 *
 * mmproj (conversion/gemma.py Gemma3VisionModel): anything under ".embeddings." (patch and position embedding) F32,
 * mm.input_projection F16 whatever the outtype (llama.cpp issue 13025), mm.soft_emb_norm stored + 1 (F32); the rest
 * as base.py types it. Same elements as the checkpoint.
 *
 * Tokens: mm_tokens_per_image (256) per image whatever its size (no pan & scan by default). llama.cpp wraps them in
 * <start_of_image> / <end_of_image> (mtmd.cpp): 258. transformers' Gemma3Processor replaces the prompt's
 * <start_of_image> with "\n\n<start_of_image>" + 256 x <image_soft_token> + "<end_of_image>\n\n", and "\n\n" is one
 * token of the Gemma vocabulary: 260.
 */
import { subReader, VisionKeys } from './config.ts';
import { MmprojList, tensorParams } from './mmproj.ts';
import { checkImage } from './image-geometry.ts';
import type { ConfigReader } from '../config-reader.ts';
import type { ImageSize, VisionPart, VisionRuntime } from './types.ts';
import { DEFAULT_IMAGE } from './types.ts';

export function gemma3Part(top: ConfigReader, textHidden: number): VisionPart {
  const v = subReader(top, 'vision_config')!;
  const keys = new VisionKeys(v, 'SiglipVisionConfig');
  const c = keys.int('hidden_size', 768);
  const ff = keys.int('intermediate_size', 3072);
  const layers = keys.int('num_hidden_layers', 12);
  const image = keys.int('image_size', 224);
  const patch = keys.int('patch_size', 16);
  const channels = v.has('num_channels') ? v.int('num_channels') : 3;
  const perImage = top.has('mm_tokens_per_image') ? top.int('mm_tokens_per_image') : 256;

  const m = new MmprojList();
  m.add('v.patch_embd.weight', [patch, patch, channels, c], 'other', null, 'f32');
  m.add('v.patch_embd.bias', [c], 'bias');
  m.add('v.position_embd.weight', [c, Math.floor(image / patch) ** 2], 'other', null, 'f32');
  for (let il = 0; il < layers; il++) {
    const p = `v.blk.${il}`;
    for (const x of ['attn_k', 'attn_v', 'attn_q', 'attn_out']) m.linear(`${p}.${x}`, c, c, true, 'attn', il);
    m.norm(`${p}.ln1`, c, true, il);
    m.linear(`${p}.ffn_up`, c, ff, true, 'ffn', il);
    m.linear(`${p}.ffn_down`, ff, c, true, 'ffn', il);
    m.norm(`${p}.ln2`, c, true, il);
  }
  m.norm('v.post_ln', c, true);
  m.add('mm.input_projection.weight', [textHidden, c], 'other', null, 'f16');
  m.add('mm.soft_emb_norm.weight', [c], 'norm');

  const projectorParams = c * textHidden + c;
  const total = tensorParams(m.tensors);
  const tokens = (img: ImageSize | 'default', runtime: VisionRuntime = 'transformers') => {
    checkImage(img === 'default' ? DEFAULT_IMAGE : img);
    return perImage + (runtime === 'llama.cpp' ? 2 : 4);
  };
  return {
    family: 'gemma3',
    projectorType: 'gemma3',
    towerParams: total - projectorParams,
    projectorParams,
    vllmParams: total,
    mmprojTensors: m.tensors,
    mmprojConverter: 'convert_hf_to_gguf',
    imageTokens: tokens,
    defaultImageTokens: tokens('default'),
    notes: [
      ...keys.notes,
      `${perImage} image tokens per image at any size (${image} px, pooled 4 x 4); llama.cpp adds <start_of_image> and <end_of_image>, transformers also a "\\n\\n" token on each side.`,
    ],
  };
}
