/**
 * Llama 4 vision (ViT on 336 px tiles + pixel-shuffle adapter + linear projector), from the fixture
 * llama-4-scout-17b-16e-instruct (text part: ai-dynamo/aiconfigurator's copy; vision_config: transformers' print of
 * the checkpoint's config; sources in its _source). Maverick has the same vision_config (TensorRT-LLM's
 * LLAMA_4_MAVERICK_TWO_LAYER_CONFIG).
 *
 * Published totals (AlexsJones/llmfit hf_models.json @a3e0eb27, parameters_raw):
 *   meta-llama/Llama-4-Maverick-17B-128E-Instruct 401,583,781,376 (curated entry, Hub safetensors total);
 *   jiangchengchengNLP/Llama-4-Scout-17B-16E-Instruct-abliterated-v2 108,641,793,536 (a weight-edited Scout, same shapes).
 * Text models by hand: 48 layers of 5120, 40 / 8 heads of 128, MoE of 8192 per expert plus a shared expert, untied
 * 202,048-token embedding and head; Scout: 16 experts in every layer; Maverick: 128 experts every other layer
 * (interleave_moe_layer_step 2), the others dense of 16384.
 *
 * Tokens: 144 per tile ((336/14)^2 / 2^2). transformers: Llama4ImageProcessor get_best_fit (max_patches 16) and
 * Llama4Processor._prompt_split_image; llama.cpp: llava-uhd over 3 x 3 tiles (clip.cpp set_llava_uhd_res_candidates).
 */
import { describe, expect, it } from 'vitest';
import { llama4HfGrid } from '../../src/sizing/model/vision/llama4.ts';
import { mmprojTypedTensors, tensorParams, visionPartOf } from '../../src/sizing/model/vision/index.ts';
import { loadConfig } from '../fixtures/configs.ts';

const D = 5120;
const ATTN = 2 * D * D + 2 * D * 1024 + 2 * D;
const EXPERT = 3 * D * 8192;
const EMBED_AND_HEAD = 2 * 202048 * D + D;
const SCOUT_TEXT = 48 * (ATTN + D * 16 + 17 * EXPERT) + EMBED_AND_HEAD;
const MAVERICK_TEXT = 24 * (ATTN + D * 128 + 129 * EXPERT) + 24 * (ATTN + 3 * D * 16384) + EMBED_AND_HEAD;

describe('Llama 4 vision', () => {
  const part = visionPartOf(loadConfig('llama-4-scout-17b-16e-instruct'))!;
  const C = 1408;
  const F = 5632;

  it('counts the checkpoint vision weights exactly: published Maverick and Scout totals minus their text models', () => {
    expect(part.family).toBe('llama4');
    const layer = 4 * (C * C + C) + 2 * C * F + F + C + 4 * C;
    expect(part.towerParams).toBe(C + 577 * C + 588 * C + 4 * C + 34 * layer);
    expect(part.projectorParams).toBe(F * 4096 + 4096 * 4096 + 4096 * D);
    expect(part.towerParams + part.projectorParams).toBe(871_932_416);
    expect(MAVERICK_TEXT + part.towerParams + part.projectorParams).toBe(401_583_781_376);
    expect(SCOUT_TEXT + part.towerParams + part.projectorParams).toBe(108_641_793_536);
    expect(tensorParams(part.mmprojTensors)).toBe(part.towerParams + part.projectorParams);
  });

  it('writes the tensors of conversion/llama4.py', () => {
    const typed = mmprojTypedTensors(part, 'f16');
    const show = (t: (typeof typed)[number]) => `${t.name} ${t.dims.join('x')} ${t.type}`;
    expect(typed.filter((t) => t.layer === null).map(show)).toEqual([
      'v.patch_embd.weight 588x1408 F16',
      'v.class_embd 1408 F32',
      'v.position_embd.weight 1408x577 F32',
      'v.pre_ln.weight 1408 F32',
      'v.pre_ln.bias 1408 F32',
      'v.post_ln.weight 1408 F32',
      'v.post_ln.bias 1408 F32',
      'mm.model.mlp.1.weight 5632x4096 F16',
      'mm.model.mlp.2.weight 4096x4096 F16',
      'mm.model.fc.weight 4096x5120 F16',
    ]);
    expect(typed.filter((t) => t.layer === 33)).toHaveLength(16);
  });

  it('tiles as each runtime does', () => {
    // transformers: 1024 x 768 fits a 4 x 3 canvas of 336 px tiles (least upscaling): 12 tiles + the global tile.
    expect(llama4HfGrid({ width: 1024, height: 768 }, 336, 16)).toEqual({ cols: 4, rows: 3 });
    expect(part.imageTokens({ width: 1024, height: 768 }, 'transformers')).toBe(1 + 12 * 144 + 3 * 3 + 3 + 1 + 144 + 1);
    // llama.cpp: at most 3 x 3 tiles, the overview last, <|image_start|> / <|image_end|>.
    expect(part.imageTokens({ width: 1024, height: 768 }, 'llama.cpp')).toBe(2 + 144 * 10);
    // One tile: no separators; llama.cpp encodes the overview alone.
    expect(part.imageTokens({ width: 336, height: 336 }, 'vllm')).toBe(1 + 1 + 144 + 1);
    expect(part.imageTokens({ width: 300, height: 200 }, 'llama.cpp')).toBe(2 + 144);
    // Larger than 16 tiles allow: the least downscaling (4 x 4 for a square).
    expect(llama4HfGrid({ width: 4000, height: 4000 }, 336, 16)).toEqual({ cols: 4, rows: 4 });
  });
});
