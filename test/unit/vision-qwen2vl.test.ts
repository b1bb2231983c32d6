/**
 * Qwen2.5-VL and Qwen2-VL vision (ViT of 14 px patches + 2 x 2 merger).
 *
 * Qwen2.5-VL-7B-Instruct from the fixture qwen2.5-vl-7b-instruct (unsloth's re-upload of the official config, whose
 * vision_config lists only non-default keys; URL in its _source), and from the official file's vision_config values
 * (https://huggingface.co/Qwen/Qwen2.5-VL-7B-Instruct/blame/main/config.json, seen up to fullatt_block_indexes).
 * Published: Qwen/Qwen2.5-VL-7B-Instruct 8,292,166,656 parameters (Hub safetensors total, AlexsJones/llmfit
 * hf_models.json @a3e0eb27); its text model is Qwen2.5-7B's shape (7,615,616,512). mmproj: a third-party
 * Qwen2.5-VL-7B-Instruct-mmproj.gguf of 1.35 GB (https://huggingface.co/hfmaster/models-moved/tree/main/qwen-image;
 * dtype not stated, F16 fits).
 *
 * Qwen2-VL-2B-Instruct: its config.json was not found. Its vision_config keeps transformers' Qwen2VLVisionConfig
 * defaults (depth 32, embed_dim 1280, mlp_ratio 4, 16 heads, 14 px patches, merge 2) with the merger into 1536, the width
 * of its Qwen2-1.5B text model; the test builds that config and says so. Published: lmstudio-community
 * Qwen2-VL-2B-Instruct-GGUF mmproj-model-f32.gguf 2.66 GB (https://huggingface.co/lmstudio-community/Qwen2-VL-2B-Instruct-GGUF/tree/main);
 * "Model size 2.21B params" on Hub pages of Qwen2-VL-2B fine-tunes (e.g. https://huggingface.co/Suraj527/Qwen2VL2B).
 *
 * Tokens: Qwen2.5-VL README (QwenLM/Qwen2.5-VL @f0af2996 README.md:150, 415-429): images keep their aspect ratio, are
 * resized to multiples of 28 px and each 28 x 28 block is one token, 4 to 16384 tokens by default (min_pixels 3136,
 * max_pixels 12845056); plus <|vision_start|> / <|vision_end|>. llama.cpp: 8 to 4096 tokens (clip.cpp load_hparams).
 */
import { describe, expect, it } from 'vitest';
import { mmprojFileBytes, mmprojTypedTensors, tensorParams, visionPartOf } from '../../src/sizing/model/vision/index.ts';
import type { HfConfig } from '../../src/sizing/types.ts';
import { loadConfig } from '../fixtures/configs.ts';
import { denseTextParams, QWEN25_7B } from './vision-text-params.ts';

const C = 1280;
const F = 3420;
const BLOCK_25 = 4 * (C * C + C) + 2 * C + 3 * C * F + 2 * F + C;
const MERGER_25 = C + 5120 * 5120 + 5120 + 5120 * 3584 + 3584;

describe('Qwen2.5-VL 7B vision', () => {
  const config = loadConfig('qwen2.5-vl-7b-instruct');
  const part = visionPartOf(config)!;

  it('reads the unsloth copy with Qwen2_5_VLVisionConfig defaults, the same as the official values', () => {
    expect(part.family).toBe('qwen2.5vl');
    expect(part.projectorType).toBe('qwen2.5vl_merger');
    expect(part.notes.some((n) => n.includes('vision_config.depth not given'))).toBe(true);
    const official: HfConfig = {
      ...config,
      vision_config: { depth: 32, hidden_act: 'silu', hidden_size: 1280, intermediate_size: 3420, num_heads: 16, in_chans: 3, out_hidden_size: 3584, patch_size: 14, spatial_merge_size: 2, spatial_patch_size: 14, window_size: 112 },
    };
    const p = visionPartOf(official)!;
    expect([p.towerParams, p.projectorParams]).toEqual([part.towerParams, part.projectorParams]);
    // The excerpt of the official file ends before temporal_patch_size (2, the class default).
    expect(p.notes.filter((n) => n.includes('not given'))).toEqual([`vision_config.temporal_patch_size not given: used Qwen2_5_VLVisionConfig's default 2.`]);
  });

  it('counts the checkpoint vision weights exactly: published total minus the Qwen2.5-7B text model', () => {
    expect(part.towerParams).toBe(3 * 2 * 14 * 14 * C + 32 * BLOCK_25);
    expect(part.projectorParams).toBe(MERGER_25);
    expect(denseTextParams(QWEN25_7B)).toBe(7_615_616_512);
    expect(denseTextParams(QWEN25_7B) + part.towerParams + part.projectorParams).toBe(8_292_166_656);
    expect(tensorParams(part.mmprojTensors)).toBe(part.towerParams + part.projectorParams);
  });

  it('writes the tensors of conversion/qwenvl.py: split Conv3d and qkv, RMSNorms, gated MLP', () => {
    const typed = mmprojTypedTensors(part, 'f16');
    const show = (t: (typeof typed)[number]) => `${t.name} ${t.dims.join('x')} ${t.type}`;
    expect(typed.filter((t) => t.layer === null).map(show)).toEqual([
      'v.patch_embd.weight 14x14x3x1280 F16',
      'v.patch_embd.weight.1 14x14x3x1280 F16',
      'v.post_ln.weight 1280 F32',
      'mm.0.weight 5120x5120 F16',
      'mm.0.bias 5120 F32',
      'mm.2.weight 5120x3584 F16',
      'mm.2.bias 3584 F32',
    ]);
    expect(typed.filter((t) => t.layer === 0).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'v.blk.0.attn_q.weight 1280x1280',
      'v.blk.0.attn_q.bias 1280',
      'v.blk.0.attn_k.weight 1280x1280',
      'v.blk.0.attn_k.bias 1280',
      'v.blk.0.attn_v.weight 1280x1280',
      'v.blk.0.attn_v.bias 1280',
      'v.blk.0.attn_out.weight 1280x1280',
      'v.blk.0.attn_out.bias 1280',
      'v.blk.0.ln1.weight 1280',
      'v.blk.0.ffn_gate.weight 1280x3420',
      'v.blk.0.ffn_gate.bias 3420',
      'v.blk.0.ffn_up.weight 1280x3420',
      'v.blk.0.ffn_up.bias 3420',
      'v.blk.0.ffn_down.weight 3420x1280',
      'v.blk.0.ffn_down.bias 1280',
      'v.blk.0.ln2.weight 1280',
    ]);
    // At outtype Q8_0 the patch halves are F32 and the 3420-long ffn_down rows fall back to F16.
    const q8 = mmprojTypedTensors(part, 'q8_0');
    expect(q8.find((t) => t.name === 'v.patch_embd.weight.1')?.type).toBe('F32');
    expect(q8.find((t) => t.name === 'v.blk.0.ffn_down.weight')?.type).toBe('F16');
    expect(q8.find((t) => t.name === 'v.blk.0.ffn_up.weight')?.type).toBe('Q8_0');
  });

  it('sizes the F16 mmproj within 1% of the published 1.35 GB', () => {
    expect(Math.abs(mmprojFileBytes(part, 'f16') / 1.35e9 - 1)).toBeLessThan(0.01);
  });

  it('counts (W/28) x (H/28) tokens plus vision start/end, within each runtime`s limits', () => {
    expect(part.imageTokens({ width: 1024, height: 768 }, 'transformers')).toBe(37 * 27 + 2);
    expect(part.imageTokens({ width: 1024, height: 768 }, 'llama.cpp')).toBe(37 * 27 + 2);
    expect(part.defaultImageTokens).toBe(1001);
    // A 12 MP photo: transformers keeps 144 x 108 tokens (under 16384); llama.cpp scales it down under 4096.
    expect(part.imageTokens({ width: 4032, height: 3024 }, 'vllm')).toBe(144 * 108 + 2);
    const cpp = part.imageTokens({ width: 4032, height: 3024 }, 'llama.cpp') - 2;
    expect(cpp).toBeLessThanOrEqual(4096);
    expect(cpp).toBe(73 * 55);
    // A tiny image is scaled up to the minimum: 4 tokens (3136 px) in transformers, 8 (6272 px) in llama.cpp -> 3 x 3.
    expect(part.imageTokens({ width: 28, height: 28 }, 'transformers')).toBe(2 * 2 + 2);
    expect(part.imageTokens({ width: 28, height: 28 }, 'llama.cpp')).toBe(3 * 3 + 2);
    // 70 px = 2.5 x 28: Python rounds half to even (2), llama.cpp's std::round away from zero (3).
    expect(part.imageTokens({ width: 70, height: 280 }, 'transformers')).toBe(2 * 10 + 2);
    expect(part.imageTokens({ width: 70, height: 280 }, 'llama.cpp')).toBe(3 * 10 + 2);
  });
});

describe('Qwen2-VL 2B vision (Qwen2VLVisionConfig defaults, merger into 1536)', () => {
  const config: HfConfig = { architectures: ['Qwen2VLForConditionalGeneration'], hidden_size: 1536, vision_config: { hidden_size: 1536 } };
  const part = visionPartOf(config)!;

  it('uses LayerNorms and a fc1/fc2 MLP of 4 x embed_dim', () => {
    expect(part.family).toBe('qwen2vl');
    expect(part.projectorType).toBe('qwen2vl_merger');
    const blk = part.mmprojTensors.filter((t) => t.layer === 0).map((t) => t.name);
    expect(blk).toEqual([
      'v.blk.0.attn_q.weight', 'v.blk.0.attn_q.bias', 'v.blk.0.attn_k.weight', 'v.blk.0.attn_k.bias',
      'v.blk.0.attn_v.weight', 'v.blk.0.attn_v.bias', 'v.blk.0.attn_out.weight', 'v.blk.0.attn_out.bias',
      'v.blk.0.ln1.weight', 'v.blk.0.ln1.bias', 'v.blk.0.ffn_up.weight', 'v.blk.0.ffn_up.bias',
      'v.blk.0.ffn_down.weight', 'v.blk.0.ffn_down.bias', 'v.blk.0.ln2.weight', 'v.blk.0.ln2.bias',
    ]);
    const block = 4 * (C * C + C) + 4 * C + 2 * C * 4 * C + 4 * C + C;
    expect(part.towerParams).toBe(3 * 2 * 14 * 14 * C + 32 * block);
    expect(part.projectorParams).toBe(2 * C + 5120 * 5120 + 5120 + 5120 * 1536 + 1536);
  });

  it('with the Qwen2-1.5B text model makes the published 2.21B', () => {
    const text = denseTextParams({ vocab: 151936, hidden: 1536, layers: 28, heads: 12, kvHeads: 2, headDim: 128, ff: 8960, tied: true, qkvBias: true });
    expect(text).toBe(1_543_714_304);
    expect(Math.round((text + part.towerParams + part.projectorParams) / 1e7) / 100).toBe(2.21);
  });

  it('sizes mmproj-model-f32.gguf within 1% of the published 2.66 GB', () => {
    expect(mmprojTypedTensors(part, 'f32').every((t) => t.type === 'F32')).toBe(true);
    expect(Math.abs(mmprojFileBytes(part, 'f32') / 2.66e9 - 1)).toBeLessThan(0.01);
  });
});
