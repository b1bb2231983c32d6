/**
 * Multimodal checkpoints read exactly: the text model by its own architecture's reader (model/wrapped-text.ts), the
 * vision part apart (model/vision/). Engine text + vision equals the Hub's safetensors total to the parameter; the
 * totals are the ones the vision tests cite (test/unit/vision-*.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { checkpointCheck } from '../../../src/sources/checkpoint-check.ts';
import { loadConfig } from '../../fixtures/configs.ts';

const CASES: [string, string, string, number][] = [
  ['llava-1.5-7b-hf', 'LlavaForConditionalGeneration', 'llama', 7_063_427_072],
  ['llava-v1.6-mistral-7b-hf', 'LlavaNextForConditionalGeneration', 'llama', 7_566_747_648],
  ['qwen2.5-vl-7b-instruct', 'Qwen2_5_VLForConditionalGeneration', 'qwen2vl', 8_292_166_656],
  ['qwen3-vl-2b-instruct', 'Qwen3VLForConditionalGeneration', 'qwen3vl', 2_127_532_032],
  ['qwen3-vl-4b-instruct', 'Qwen3VLForConditionalGeneration', 'qwen3vl', 4_437_815_808],
  ['qwen3-vl-8b-instruct', 'Qwen3VLForConditionalGeneration', 'qwen3vl', 8_767_123_696],
  ['qwen3-vl-32b-instruct', 'Qwen3VLForConditionalGeneration', 'qwen3vl', 33_357_390_064],
  ['gemma-3-4b-it', 'Gemma3ForConditionalGeneration', 'gemma3', 4_300_079_472],
];

describe('multimodal wrappers: the text model read exactly, the vision part apart', () => {
  for (const [id, arch, gguf, hubTotal] of CASES) {
    it(`${id} (${arch}): text as llama.cpp's ${gguf}, text + vision = the Hub's ${hubTotal.toLocaleString('en-US')}`, () => {
      const shape = modelShapeFromConfig(loadConfig(id));
      expect(shape.hfArchitecture).toBe(arch);
      expect(shape.reading).toEqual({ kind: 'exact' });
      expect(shape.ggufArch).toBe(gguf);
      expect(shape.extras.some((e) => e.name === 'vision encoder')).toBe(true);
      expect(checkpointCheck(shape, hubTotal)!.engineParams).toBe(hubTotal);
    });
  }

  it('InternVL3-1B: the Qwen2 text model of llm_config, its InternViT-300M tower apart', () => {
    const shape = modelShapeFromConfig(loadConfig('internvl3-1b'));
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.layers).toHaveLength(24);
    expect(shape.layers[0]!.mixer).toMatchObject({ nHead: 14, nHeadKv: 2, headDimK: 64 });
    const vision = shape.extras.find((e) => e.name === 'vision encoder')!;
    expect(vision.params).toBeGreaterThan(304_012_288); // tower (the published InternViT-300M) plus the MLP projector
  });
});
