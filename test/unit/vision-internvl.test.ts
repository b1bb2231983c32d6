/**
 * InternVL vision (InternViT-300M on 448 px tiles, pixel shuffle 0.5, mlp1 projector), from OpenGVLab/InternVL3-1B's
 * config as transformers printed it (test/fixtures/configs/internvl3-1b.json; source in its _source).
 *
 * Published totals (AlexsJones/llmfit hf_models.json @a3e0eb27, parameters_raw = Hub safetensors totals):
 *   OpenGVLab/InternVL3-1B 938,193,024; OpenGVLab/InternVL3-8B-hf 7,944,373,760; OpenGVLab/InternVL3_5-8B 8,528,318,464;
 *   gwkrsrch2/InternViT-300M-from-InternVL3_5-1B-HF (the vision tower alone) 304,012,288.
 * InternVL3-8B and InternVL3.5-8B have the same InternViT-300M (OpenGVLab's InternVL3.5 table: "#Vision Param 0.3B";
 * https://github.com/ErfeiCui/InternVL-doc docs/en/internvl3.5/quick_start.md) with mlp1 into their text widths, 3584
 * (Qwen2.5-7B) and 4096 (Qwen3-8B); the tests build those configs from the 1B's vision_config and say so.
 * mmproj files (Hub listings): QuantStack/InternVL3_5-8B-gguf mmproj-InternVL3_5-8B-f16.gguf 678 MB,
 * QuantStack/InternVL3_5-2B-gguf mmproj-InternVL3_5-2B-f16.gguf 636 MB (text width 2048).
 *
 * Tokens: 256 per 448 px tile (num_image_token = (448/14)^2 x 0.5^2) between <img> and </img>; tiles by
 * dynamic_preprocess (InternVL model cards' load_image(..., max_num=12): closest aspect ratio, thumbnail when more than
 * one tile) in transformers / vLLM, by llava-uhd select_best_resolution in llama.cpp (mtmd_image_preprocessor_internvl).
 */
import { describe, expect, it } from 'vitest';
import { internvlHfTiles, internvlLlamaCppTiles } from '../../src/sizing/model/vision/internvl.ts';
import { mmprojFileBytes, mmprojTypedTensors, tensorParams, visionPartOf } from '../../src/sizing/model/vision/index.ts';
import type { HfConfig } from '../../src/sizing/types.ts';
import { denseTextParams, loadVisionConfig, QWEN25_7B } from './vision-text-params.ts';

const base = loadVisionConfig('internvl3-1b');
function withTextWidth(hidden: number): HfConfig {
  return { ...base, llm_config: { ...(base['llm_config'] as HfConfig), hidden_size: hidden } };
}
const mlp1 = (t: number) => 2 * 4096 + 4096 * t + t + t * t + t;

describe('InternVL3-1B vision', () => {
  const part = visionPartOf(base)!;

  it('counts InternViT-300M exactly as published, and the 1B total with its text model', () => {
    expect(part.family).toBe('internvl');
    expect(part.projectorType).toBe('internvl');
    expect(part.towerParams).toBe(304_012_288);
    expect(part.projectorParams).toBe(mlp1(896));
    const text = denseTextParams({ vocab: 151674, hidden: 896, layers: 24, heads: 14, kvHeads: 2, headDim: 64, ff: 4864, tied: false, qkvBias: true });
    expect(text + part.towerParams + part.projectorParams).toBe(938_193_024);
    expect(tensorParams(part.mmprojTensors)).toBe(part.towerParams + part.projectorParams);
  });

  it('writes the tensors of conversion/internvl.py', () => {
    const typed = mmprojTypedTensors(part, 'f16');
    const show = (t: (typeof typed)[number]) => `${t.name} ${t.dims.join('x')} ${t.type}`;
    expect(typed.filter((t) => t.layer === null).map(show)).toEqual([
      'v.class_embd 1024x1x1 F32',
      'v.patch_embd.weight 14x14x3x1024 F16',
      'v.patch_embd.bias 1024 F32',
      'v.position_embd.weight 1024x1025x1 F32',
      'mm.model.mlp.0.weight 4096 F32',
      'mm.model.mlp.0.bias 4096 F32',
      'mm.model.mlp.1.weight 4096x896 F16',
      'mm.model.mlp.1.bias 896 F32',
      'mm.model.mlp.3.weight 896x896 F16',
      'mm.model.mlp.3.bias 896 F32',
    ]);
    expect(typed.filter((t) => t.layer === 0).map((t) => t.name)).toEqual([
      'v.blk.0.attn_q.weight', 'v.blk.0.attn_q.bias', 'v.blk.0.attn_k.weight', 'v.blk.0.attn_k.bias', 'v.blk.0.attn_v.weight', 'v.blk.0.attn_v.bias',
      'v.blk.0.attn_out.weight', 'v.blk.0.attn_out.bias', 'v.blk.0.ln1.weight', 'v.blk.0.ln1.bias', 'v.blk.0.ls1.weight',
      'v.blk.0.ffn_up.weight', 'v.blk.0.ffn_up.bias', 'v.blk.0.ffn_down.weight', 'v.blk.0.ffn_down.bias', 'v.blk.0.ln2.weight', 'v.blk.0.ln2.bias', 'v.blk.0.ls2.weight',
    ]);
  });

  it('counts 256 tokens per tile, tiles per runtime', () => {
    const tiling = { tile: 448, minTiles: 1, maxTiles: 12, thumbnail: true };
    expect(part.imageTokens({ width: 448, height: 448 }, 'transformers')).toBe(2 + 256);
    expect(part.imageTokens({ width: 448, height: 448 }, 'llama.cpp')).toBe(2 + 256);
    // 1024 x 768 (4:3): transformers picks the 4 x 3 grid (exact ratio) + thumbnail; llama.cpp the 3 x 2 grid + overview.
    expect(internvlHfTiles({ width: 1024, height: 768 }, tiling)).toBe(13);
    expect(internvlLlamaCppTiles({ width: 1024, height: 768 }, tiling)).toBe(7);
    expect(part.imageTokens({ width: 1024, height: 768 }, 'vllm')).toBe(2 + 13 * 256);
    expect(part.imageTokens({ width: 1024, height: 768 }, 'llama.cpp')).toBe(2 + 7 * 256);
    // 800 x 800: a 2 x 2 grid in both (the 3 x 3 grid would be more than twice the image's area).
    expect(part.imageTokens({ width: 800, height: 800 }, 'transformers')).toBe(2 + 5 * 256);
    expect(part.imageTokens({ width: 800, height: 800 }, 'llama.cpp')).toBe(2 + 5 * 256);
    expect(part.defaultImageTokens).toBe(3330);
  });
});

describe('InternVL3 / 3.5 8B and 3.5 2B (InternViT-300M, mlp1 into 3584 / 4096 / 2048)', () => {
  it('InternVL3-8B: published total minus the Qwen2.5-7B text model (vocab 151674)', () => {
    const part = visionPartOf(withTextWidth(3584))!;
    expect(denseTextParams({ ...QWEN25_7B, vocab: 151674 }) + part.towerParams + part.projectorParams).toBe(7_944_373_760);
  });

  it('InternVL3.5-8B: published total minus the Qwen3-8B text model; mmproj f16 within 1% of 678 MB', () => {
    const part = visionPartOf(withTextWidth(4096))!;
    const text = denseTextParams({ vocab: 151936, hidden: 4096, layers: 36, heads: 32, kvHeads: 8, headDim: 128, ff: 12288, tied: false, qkNorm: true });
    expect(text + part.towerParams + part.projectorParams).toBe(8_528_318_464);
    expect(Math.abs(mmprojFileBytes(part) / 678e6 - 1)).toBeLessThan(0.01);
  });

  it('InternVL3.5-2B: mmproj f16 within 1% of 636 MB', () => {
    expect(Math.abs(mmprojFileBytes(visionPartOf(withTextWidth(2048))!) / 636e6 - 1)).toBeLessThan(0.01);
  });
});
