/**
 * The vision API around the families: which configs have a modelled vision part, the mmproj file arithmetic
 * (GGUF: header, key/values and tensor infos padded to 32 bytes, then each tensor padded to 32; ggml/src/gguf.cpp),
 * the ModelShape extra, and the image-size checks. Synthetic configs here test behaviour, not published figures.
 */
import { describe, expect, it } from 'vitest';
import { ConfigReader } from '../../src/sizing/model/config-reader.ts';
import { modelShapeFromConfig } from '../../src/sizing/model/model-shape.ts';
import { pyRound, smartResize } from '../../src/sizing/model/vision/image-geometry.ts';
import { MMPROJ_KV_BYTES } from '../../src/sizing/model/vision/mmproj.ts';
import { mmprojDataBytes, mmprojFileBytes, visionPartOf } from '../../src/sizing/model/vision/index.ts';
import type { MmprojTensor } from '../../src/sizing/model/vision/index.ts';
import { visionTowerExtra } from '../../src/sizing/model/vision-tower.ts';
import { SizingError } from '../../src/sizing/errors.ts';
import { loadConfig } from '../fixtures/configs.ts';
import { loadVisionConfig } from './vision-text-params.ts';

describe('visionPartOf', () => {
  it('is null without a vision_config, and for vision families it does not model', () => {
    expect(visionPartOf(loadConfig('qwen2.5-7b'))).toBeNull();
    const idefics = { architectures: ['Idefics3ForConditionalGeneration'], text_config: { hidden_size: 2048 }, vision_config: { hidden_size: 1152, intermediate_size: 4304, num_hidden_layers: 27, patch_size: 14, image_size: 384 } };
    expect(visionPartOf(idefics)).toBeNull();
    // The ModelShape extra then keeps the generic ViT estimate, labelled as such.
    const extra = visionTowerExtra(new ConfigReader(idefics), 2048)!;
    expect(extra.note).toMatch(/^Estimated/);
    expect(extra.params).toBeGreaterThan(0.4e9);
  });

  it('needs the text width for the projector, and takes the architecture reader`s when given', () => {
    const llava = loadVisionConfig('llava-1.5-7b-hf');
    expect(() => visionPartOf(llava)).toThrow(SizingError);
    expect(visionPartOf(llava, 4096)?.projectorParams).toBe(1024 * 4096 + 4096 + 4096 * 4096 + 4096);
  });

  it('names a bad vision key', () => {
    const bad = { ...loadConfig('gemma-3-4b-it'), vision_config: { hidden_size: 'wide', num_hidden_layers: 27 } };
    expect(() => visionPartOf(bad)).toThrow(/vision_config\.hidden_size/);
  });

  it('refuses images that are not positive integer sizes', () => {
    const part = visionPartOf(loadConfig('qwen3-vl-8b-instruct'))!;
    expect(() => part.imageTokens({ width: 0, height: 10 })).toThrow(SizingError);
    expect(() => part.imageTokens({ width: 10.5, height: 10 })).toThrow(SizingError);
  });
});

describe('the ModelShape extra', () => {
  it('comes from the family reader: exact for Gemma 3 4B, with the family in the note', () => {
    const extra = modelShapeFromConfig(loadConfig('gemma-3-4b-it')).extras.find((e) => e.name === 'vision encoder')!;
    expect(extra.params).toBe(416_866_032 + 2_950_272);
    expect(extra.note).toContain('gemma3 vision tower 416,866,032 + projector 2,950,272');
  });
});

describe('mmproj file bytes', () => {
  const tensors: MmprojTensor[] = [
    { name: 'v.blk.0.ln1.bias', dims: [3], layer: 0, role: 'bias', storage: 'f32' },
    { name: 'v.blk.0.attn_q.weight', dims: [40, 2], layer: 0, role: 'attn', storage: 'out' },
    { name: 'v.patch_embd.weight', dims: [64, 1], layer: null, role: 'other', storage: 'patch' },
  ];
  const part = { mmprojTensors: tensors, mmprojConverter: 'convert_hf_to_gguf' as const };
  const infos = tensors.reduce((s, t) => s + 8 + t.name.length + 4 + 8 * t.dims.length + 4 + 8, 0);
  const header = Math.ceil((24 + MMPROJ_KV_BYTES + infos) / 32) * 32;

  it('pads the header and every tensor to 32 bytes', () => {
    // f16: 12 B (F32) -> 32, 160 B (F16) -> 160, 128 B (patch F16) -> 128.
    expect(mmprojDataBytes(part, 'f16')).toBe(12 + 160 + 128);
    expect(mmprojFileBytes(part, 'f16')).toBe(header + 32 + 160 + 128);
    // q8_0: a 40-long row is not a multiple of 32 -> F16; the patch embedding is F32 at any outtype but f16.
    expect(mmprojDataBytes(part, 'q8_0')).toBe(12 + 160 + 256);
    expect(mmprojDataBytes(part, 'f32')).toBe(12 + 320 + 256);
  });
});

describe('image geometry', () => {
  it('rounds half to even as Python does', () => {
    expect([0.5, 1.5, 2.5, 36.5, 37.5, 2.4, 2.6].map(pyRound)).toEqual([0, 2, 2, 36, 38, 2, 3]);
  });

  it('resizes like smart_resize, keeping the area within the limits', () => {
    const lim = { factor: 28, minPixels: 3136, maxPixels: 12845056 };
    expect(smartResize({ width: 1024, height: 768 }, lim, 'python')).toEqual({ width: 1036, height: 756 });
    const big = smartResize({ width: 8000, height: 6000 }, lim, 'python');
    expect(big.width * big.height).toBeLessThanOrEqual(lim.maxPixels);
    expect(big.width % 28 + (big.height % 28)).toBe(0);
  });
});
