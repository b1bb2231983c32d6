/**
 * LLaVA 1.5 and LLaVA-NeXT (1.6) vision: CLIP ViT-L/14-336 + 2-layer MLP projector, from the llava-hf configs
 * (test/fixtures/configs/llava-1.5-7b-hf.json and llava-v1.6-mistral-7b-hf.json, copies of the llava-hf files;
 * URLs in their _source; not in configs/ because the engine has no LLaVA text reader yet).
 *
 * Published figures:
 *   - Hub safetensors totals (AlexsJones/llmfit llmfit-core/data/hf_models.json @a3e0eb27, parameters_raw):
 *     llava-hf/llava-1.5-7b-hf 7,063,427,072; llava-hf/llava-v1.6-mistral-7b-hf 7,566,747,648.
 *   - mys/ggml_llava-v1.5-7b mmproj-model-f16.gguf 624 MB (https://huggingface.co/mys/ggml_llava-v1.5-7b/tree/main,
 *     the file llama.cpp's llava docs use; Mozilla/llava-v1.5-7b-llamafile's llava-v1.5-7b-mmproj-f16.gguf: 624 MB too).
 *   - Tokens: 1.5 = 576 per image ((336/14)^2; llava-hf processor image_seq_length 576; clip.cpp PROJECTOR_TYPE_MLP).
 *     1.6 = transformers LlavaNextProcessor._get_number_of_features (overview + unpadded tile grid + a newline per row);
 *     llama.cpp = 576 x (1 + tiles) (mtmd-image.cpp llava-uhd with pinpoints).
 */
import { describe, expect, it } from 'vitest';
import { mmprojFileBytes, mmprojTypedTensors, tensorParams, visionPartOf } from '../../src/sizing/model/vision/index.ts';
import { denseTextParams, loadVisionConfig } from './vision-text-params.ts';

const H = 1024;
const FF = 4096;
const CLIP_LAYER = 4 * H * H + 4 * H + 2 * H * FF + FF + H + 4 * H;
/** CLIP ViT-L/14-336 as CLIPVisionModel stores it: class + patch conv + 577 positions, pre and post LayerNorm, 24 layers. */
const CLIP_TOWER = H + 3 * 14 * 14 * H + 577 * H + 2 * H + 24 * CLIP_LAYER + 2 * H;
const PROJECTOR = H * 4096 + 4096 + 4096 * 4096 + 4096;

describe('LLaVA 1.5 7B vision', () => {
  const part = visionPartOf(loadVisionConfig('llava-1.5-7b-hf'), 4096)!;

  it('is the llava family, mmproj from the legacy converter', () => {
    expect(part.family).toBe('llava');
    expect(part.projectorType).toBe('mlp');
    expect(part.mmprojConverter).toBe('legacy-llava');
  });

  it('counts the checkpoint vision weights exactly: published total minus the Llama-2-7B text model (vocab 32064)', () => {
    expect(part.towerParams).toBe(CLIP_TOWER);
    expect(part.projectorParams).toBe(PROJECTOR);
    const text = denseTextParams({ vocab: 32064, hidden: 4096, layers: 32, heads: 32, kvHeads: 32, headDim: 128, ff: 11008, tied: false });
    expect(text).toBe(6_738_939_904);
    expect(text + part.towerParams + part.projectorParams).toBe(7_063_427_072);
  });

  it('vLLM and the mmproj stop at the feature layer: 23 of 24 CLIP layers, no post_layernorm', () => {
    expect(part.vllmParams).toBe(part.towerParams + part.projectorParams - CLIP_LAYER - 2 * H);
    expect(tensorParams(part.mmprojTensors)).toBe(part.vllmParams);
    expect(part.mmprojTensors.filter((t) => t.name.endsWith('.ln1.weight'))).toHaveLength(23);
    expect(part.mmprojTensors.some((t) => t.name.startsWith('v.post_ln'))).toBe(false);
  });

  it('names and types the tensors as convert_image_encoder_to_gguf.py writes them', () => {
    const typed = mmprojTypedTensors(part, 'f16');
    const show = (name: string) => {
      const t = typed.find((x) => x.name === name)!;
      return `${t.dims.join('x')} ${t.type}`;
    };
    expect(typed.slice(0, 4).map((t) => t.name)).toEqual(['mm.0.weight', 'mm.0.bias', 'mm.2.weight', 'mm.2.bias']);
    expect(show('mm.0.weight')).toBe('1024x4096 F16');
    expect(show('v.class_embd')).toBe('1024 F32');
    expect(show('v.patch_embd.weight')).toBe('14x14x3x1024 F16');
    expect(show('v.position_embd.weight')).toBe('1024x577 F16');
    // fc1 (1024 -> 4096) is stored as ffn_down, fc2 as ffn_up; clip.cpp swaps them back.
    expect(show('v.blk.0.ffn_down.weight')).toBe('1024x4096 F16');
    expect(show('v.blk.0.ffn_up.weight')).toBe('4096x1024 F16');
    expect(show('v.blk.22.ln2.bias')).toBe('1024 F32');
    // --use-f32 keeps the 4-D patch convolution in F16.
    expect(mmprojTypedTensors(part, 'f32').find((t) => t.name === 'v.patch_embd.weight')?.type).toBe('F16');
    expect(() => mmprojTypedTensors(part, 'q8_0')).toThrow(/f16 or f32/);
  });

  it('sizes mmproj-model-f16.gguf within 1% of the published 624 MB', () => {
    expect(Math.abs(mmprojFileBytes(part) / 624e6 - 1)).toBeLessThan(0.01);
  });

  it('takes 576 tokens per image in every runtime', () => {
    expect(part.imageTokens({ width: 1920, height: 1080 }, 'llama.cpp')).toBe(576);
    expect(part.imageTokens({ width: 100, height: 100 })).toBe(576);
    expect(part.defaultImageTokens).toBe(576);
  });
});

describe('LLaVA-NeXT (1.6) Mistral 7B vision', () => {
  const part = visionPartOf(loadVisionConfig('llava-v1.6-mistral-7b-hf'), 4096)!;

  it('adds image_newline to the 1.5 projector and matches the published total minus the Mistral-7B text model', () => {
    expect(part.family).toBe('llava-next');
    expect(part.towerParams).toBe(CLIP_TOWER);
    expect(part.projectorParams).toBe(PROJECTOR + 4096);
    const text = denseTextParams({ vocab: 32064, hidden: 4096, layers: 32, heads: 32, kvHeads: 8, headDim: 128, ff: 14336, tied: false });
    expect(text + part.towerParams + part.projectorParams).toBe(7_566_747_648);
  });

  it('counts image tokens per runtime: transformers unpads the grid and adds row newlines, llama.cpp does not', () => {
    // 1024 x 768 -> pinpoint 672 x 672 (2 x 2 tiles of 24 x 24): unpadded to 36 rows x 48 = 1728, + 36 newlines + 576.
    expect(part.imageTokens({ width: 1024, height: 768 }, 'transformers')).toBe(1728 + 36 + 576);
    expect(part.imageTokens({ width: 1024, height: 768 }, 'llama.cpp')).toBe(576 * 5);
    // 336 x 336 -> pinpoint 336 high x 672 wide, unpadded to 24 x 24: 576 + 24 + 576; llama.cpp: the overview alone.
    expect(part.imageTokens({ width: 336, height: 336 }, 'transformers')).toBe(576 + 24 + 576);
    expect(part.imageTokens({ width: 336, height: 336 }, 'llama.cpp')).toBe(576);
    expect(part.defaultImageTokens).toBe(2340);
  });
});
