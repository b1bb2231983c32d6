/**
 * Qwen2-VL (Qwen2VLForConditionalGeneration) and Qwen2.5-VL (Qwen2_5_VLForConditionalGeneration): a ViT of 14 px
 * patches (Conv3d over 2 frames, no bias), a 2 x 2 patch merger (merger.ln_q, then mlp.0 4C -> 4C and mlp.2 4C -> T).
 *
 *   Qwen2-VL: C = vision embed_dim, LayerNorm (weight + bias), MLP fc1 / fc2 of C x mlp_ratio, merger into
 *     vision_config.hidden_size (the text width); transformers Qwen2VLVisionConfig defaults.
 *   Qwen2.5-VL: C = vision hidden_size, RMSNorm (weight), gated MLP gate / up / down of intermediate_size with
 *     biases, merger into out_hidden_size; transformers Qwen2_5_VLVisionConfig defaults.
 *
 * mmproj (conversion/qwenvl.py Qwen2VLVisionModel): the Conv3d is split into two Conv2D halves v.patch_embd.weight and
 * v.patch_embd.weight.1 (F16 at outtype F16, else F32), the fused qkv into attn_q / attn_k / attn_v, merger.ln_q is
 * v.post_ln, merger.mlp.0 / .2 are mm.0 / mm.2. Same elements as the checkpoint.
 */
import { subReader, VisionKeys } from './config.ts';
import { MmprojList, tensorParams } from './mmproj.ts';
import { qwenImageTokens } from './qwen-resize.ts';
import type { ConfigReader } from '../config-reader.ts';
import type { ImageSize, VisionPart, VisionRuntime } from './types.ts';

interface QwenShape {
  v25: boolean;
  c: number;
  ff: number;
  depth: number;
  patch: number;
  merge: number;
  temporal: number;
  channels: number;
  out: number;
}

function readShape(keys: VisionKeys, v25: boolean): QwenShape {
  const c = v25 ? keys.int('hidden_size', 3584) : keys.int('embed_dim', 1280);
  return {
    v25,
    c,
    ff: v25 ? keys.int('intermediate_size', 3420) : c * keys.int('mlp_ratio', 4),
    depth: keys.int('depth', 32),
    patch: keys.int(['patch_size', 'spatial_patch_size'], 14),
    merge: keys.int('spatial_merge_size', 2),
    temporal: keys.int('temporal_patch_size', 2),
    channels: keys.int(['in_channels', 'in_chans'], 3),
    // Qwen2-VL's vision hidden_size is the merger's output (the text width); Qwen2.5-VL names it out_hidden_size.
    out: v25 ? keys.int('out_hidden_size', 3584) : keys.int('hidden_size', 3584),
  };
}

function mmproj(s: QwenShape): MmprojList {
  const m = new MmprojList();
  const { c, ff } = s;
  const halves = [s.patch, s.patch, s.channels, c];
  m.add('v.patch_embd.weight', halves, 'other', null, 'patch');
  m.add('v.patch_embd.weight.1', halves, 'other', null, 'patch');
  for (let il = 0; il < s.depth; il++) {
    const p = `v.blk.${il}`;
    for (const x of ['attn_q', 'attn_k', 'attn_v', 'attn_out']) m.linear(`${p}.${x}`, c, c, true, 'attn', il);
    m.norm(`${p}.ln1`, c, !s.v25, il);
    if (s.v25) {
      m.linear(`${p}.ffn_gate`, c, ff, true, 'ffn', il);
      m.linear(`${p}.ffn_up`, c, ff, true, 'ffn', il);
    } else {
      m.linear(`${p}.ffn_up`, c, ff, true, 'ffn', il);
    }
    m.linear(`${p}.ffn_down`, ff, c, true, 'ffn', il);
    m.norm(`${p}.ln2`, c, !s.v25, il);
  }
  const merged = c * s.merge * s.merge;
  m.norm('v.post_ln', c, !s.v25);
  m.linear('mm.0', merged, merged, true, 'other');
  m.linear('mm.2', merged, s.out, true, 'other');
  return m;
}

/** transformers / vLLM pixel limits from Qwen2-VL's and Qwen2.5-VL's preprocessor_config.json. */
const HF_LIMITS = { hfMinPixels: 3136, hfMaxPixels: 12845056 };

export function qwen2vlPart(top: ConfigReader): VisionPart {
  const arch = (top.raw('architectures') as string[])[0];
  const v25 = arch === 'Qwen2_5_VLForConditionalGeneration';
  const v = subReader(top, 'vision_config')!;
  const keys = new VisionKeys(v, v25 ? 'Qwen2_5_VLVisionConfig' : 'Qwen2VLVisionConfig');
  const s = readShape(keys, v25);
  const m = mmproj(s);
  const total = tensorParams(m.tensors);
  const merged = s.c * s.merge * s.merge;
  const projectorParams = (s.v25 ? s.c : 2 * s.c) + merged * merged + merged + merged * s.out + s.out;
  const tokens = (image: ImageSize | 'default', runtime: VisionRuntime = 'transformers') =>
    qwenImageTokens(image, runtime, s.patch, s.merge, HF_LIMITS);
  return {
    family: v25 ? 'qwen2.5vl' : 'qwen2vl',
    projectorType: v25 ? 'qwen2.5vl_merger' : 'qwen2vl_merger',
    // The checkpoint's Conv3d (C x 3 x 2 x p x p) holds the same elements as the two Conv2D halves.
    towerParams: total - projectorParams,
    projectorParams,
    vllmParams: total,
    mmprojTensors: m.tensors,
    mmprojConverter: 'convert_hf_to_gguf',
    imageTokens: tokens,
    defaultImageTokens: tokens('default'),
    notes: [
      ...keys.notes,
      'Image tokens: (W/28) x (H/28) after resizing to multiples of 28 px, plus <|vision_start|> and <|vision_end|>; transformers/vLLM allow 4 to 16384 tokens, llama.cpp 8 to 4096 (--image-min-tokens / --image-max-tokens).',
    ],
  };
}
