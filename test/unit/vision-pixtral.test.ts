/**
 * Pixtral vision towers: Mistral Small 3.1 (Mistral3ForConditionalGeneration; fixture
 * mistral-small-3.1-24b-instruct-2503, the official file completed from a full copy, sources in its _source) and the
 * transformers-format Pixtral-12B layout (LlavaForConditionalGeneration with a pixtral vision_config).
 *
 * Published: "With 24 billion parameters" (model card, https://huggingface.co/mistralai/Mistral-Small-3.1-24B-Instruct-2503);
 * the text-only conversion mrfakename/mistral-small-3.1-24b-instruct-2503-hf shows "Model size 23.6B params"
 * (the text model, 23,572,403,200 by hand). No exact total or mmproj size of this model was found.
 *
 * Tokens: one per 28 x 28 px (14 px patches, spatial_merge_size 2), an [IMG_BREAK] after each row, [IMG_END] last:
 * transformers' PixtralProcessor (image scaled to fit the 1540 px longest edge, then ceil(W/28) x ceil(H/28));
 * llama.cpp clip.cpp clip_n_output_tokens (PROJECTOR_TYPE_PIXTRAL: nx * ny + ny - 1) plus [IMG_END], 8 to 1024 tokens.
 */
import { describe, expect, it } from 'vitest';
import { mmprojFileBytes, mmprojTypedTensors, tensorParams, visionPartOf } from '../../src/sizing/model/vision/index.ts';
import type { HfConfig } from '../../src/sizing/types.ts';
import { loadConfig } from '../fixtures/configs.ts';
import { denseTextParams } from './vision-text-params.ts';

const C = 1024;
const F = 4096;
const T = 5120;
const TOWER = 3 * 14 * 14 * C + C + 24 * (4 * C * C + 3 * C * F + 2 * C);

describe('Mistral Small 3.1 vision (pixtral + patch merger)', () => {
  const config = loadConfig('mistral-small-3.1-24b-instruct-2503');
  const part = visionPartOf(config)!;

  it('counts the Pixtral tower and the Mistral3 projector (no biases)', () => {
    expect(part.family).toBe('pixtral');
    expect(part.projectorType).toBe('pixtral');
    expect(part.towerParams).toBe(TOWER);
    expect(part.projectorParams).toBe(C + 4 * C * C + C * T + T * T);
    expect(part.towerParams + part.projectorParams).toBe(438_958_080);
    // The mmproj also carries the [IMG_BREAK] embedding row (T values) that clip.cpp requires.
    expect(tensorParams(part.mmprojTensors)).toBe(part.towerParams + part.projectorParams + T);
  });

  it('with the 23.57B text model makes the published 24B', () => {
    const text = denseTextParams({ vocab: 131072, hidden: T, layers: 40, heads: 32, kvHeads: 8, headDim: 128, ff: 32768, tied: false });
    expect(text).toBe(23_572_403_200);
    expect(Math.round((text + part.towerParams + part.projectorParams) / 1e9)).toBe(24);
  });

  it('writes the tensors of conversion/llava.py LlavaVisionModel', () => {
    const typed = mmprojTypedTensors(part, 'f16');
    const show = (t: (typeof typed)[number]) => `${t.name} ${t.dims.join('x')} ${t.type}`;
    expect(typed.filter((t) => t.layer === null).map(show)).toEqual([
      'v.patch_embd.weight 14x14x3x1024 F16',
      'v.pre_ln.weight 1024 F32',
      'mm.input_norm.weight 1024 F32',
      'mm.patch_merger.weight 4096x1024 F16',
      'mm.1.weight 1024x5120 F16',
      'mm.2.weight 5120x5120 F16',
      'v.token_embd.img_break 5120 F32',
    ]);
    expect(typed.filter((t) => t.layer === 0).map((t) => t.name)).toEqual([
      'v.blk.0.attn_q.weight', 'v.blk.0.attn_k.weight', 'v.blk.0.attn_v.weight', 'v.blk.0.attn_out.weight', 'v.blk.0.ln1.weight',
      'v.blk.0.ffn_gate.weight', 'v.blk.0.ffn_up.weight', 'v.blk.0.ffn_down.weight', 'v.blk.0.ln2.weight',
    ]);
    // The patch merger follows the patch-embedding rule: F32 unless the outtype is F16.
    expect(mmprojTypedTensors(part, 'bf16').find((t) => t.name === 'mm.patch_merger.weight')?.type).toBe('F32');
    expect(mmprojFileBytes(part)).toBeGreaterThan(2 * part.towerParams);
  });

  it('counts rows x (cols + 1) tokens per runtime', () => {
    expect(part.imageTokens({ width: 1024, height: 768 }, 'transformers')).toBe(28 * (37 + 1));
    expect(part.imageTokens({ width: 1024, height: 768 }, 'llama.cpp')).toBe(37 * 27 + 27);
    // 2000 x 1000 is scaled to 1540 x 770 in transformers; llama.cpp caps it at 1024 merged tokens (45 x 22).
    expect(part.imageTokens({ width: 2000, height: 1000 }, 'vllm')).toBe(28 * (55 + 1));
    expect(part.imageTokens({ width: 2000, height: 1000 }, 'llama.cpp')).toBe(45 * 22 + 22);
    expect(part.defaultImageTokens).toBe(1064);
  });
});

describe('Pixtral-12B layout (LlavaForConditionalGeneration, pixtral vision_config)', () => {
  it('routes to the pixtral family: no patch merger, projector biases by default, 16 px tokens', () => {
    const mistral = loadConfig('mistral-small-3.1-24b-instruct-2503');
    const config: HfConfig = {
      architectures: ['LlavaForConditionalGeneration'],
      text_config: mistral['text_config'],
      vision_config: { ...(mistral['vision_config'] as HfConfig), patch_size: 16, image_size: 1024 },
    };
    const part = visionPartOf(config)!;
    expect(part.family).toBe('pixtral');
    expect(part.mmprojTensors.some((t) => t.name.startsWith('mm.patch_merger') || t.name.startsWith('mm.input_norm'))).toBe(false);
    expect(part.projectorParams).toBe(C * T + T + T * T + T);
    expect(part.imageTokens({ width: 1024, height: 768 })).toBe(48 * (64 + 1));
  });
});
