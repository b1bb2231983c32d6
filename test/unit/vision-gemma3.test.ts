/**
 * Gemma 3 vision (SigLIP-So400m + Gemma3MultiModalProjector), from google/gemma-3-4b-it's config (fixture
 * gemma-3-4b-it, an MLX copy; URL in its _source) and the reconstructed gemma-3-27b fixture (same vision_config).
 *
 * Published figures:
 *   - Hub safetensors totals (AlexsJones/llmfit llmfit-core/data/hf_models.json @a3e0eb27, field parameters_raw):
 *     google/gemma-3-4b-it 4,300,079,472; google/gemma-3-27b-it 27,432,406,640; twinkle-ai/gemma-3-4B-T1-it (the 4B's
 *     text model alone) 3,880,263,168.
 *   - mmproj files (Hub listings, MB = 10^6 bytes): ggml-org/gemma-3-4b-it-GGUF mmproj-model-f16.gguf 851 MB
 *     (https://huggingface.co/ggml-org/gemma-3-4b-it-GGUF/tree/main), ggml-org/gemma-3-27b-it-GGUF 858 MB
 *     (https://huggingface.co/ggml-org/gemma-3-27b-it-GGUF/tree/main).
 *   - Tokens: 256 per image (config mm_tokens_per_image; llama.cpp clip.cpp: (896/14)^2 / 4^2 = 256).
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../src/sizing/model/params.ts';
import { tensorsOf } from '../../src/sizing/model/tensors.ts';
import { mmprojFileBytes, mmprojTypedTensors, tensorParams, visionPartOf } from '../../src/sizing/model/vision/index.ts';
import { loadConfig } from '../fixtures/configs.ts';

const C = 1152;
const F = 4304;
/** SigLIP-So400m without head: patch conv + bias, 4096 positions, 27 blocks, post_layernorm. */
const SIGLIP = 3 * 14 * 14 * C + C + 4096 * C + 27 * (4 * C * C + 4 * C + 2 * C * F + F + C + 4 * C) + 2 * C;

describe('Gemma 3 4B vision', () => {
  const config = loadConfig('gemma-3-4b-it');
  const part = visionPartOf(config)!;

  it('is the gemma3 projector family', () => {
    expect(part.family).toBe('gemma3');
    expect(part.projectorType).toBe('gemma3');
    expect(part.mmprojConverter).toBe('convert_hf_to_gguf');
  });

  it('lists the mmproj tensors clip.cpp loads for PROJECTOR_TYPE_GEMMA3', () => {
    const t = part.mmprojTensors;
    const show = (x: (typeof t)[number]) => `${x.name} ${x.dims.join('x')}`;
    expect(t.slice(0, 3).map(show)).toEqual(['v.patch_embd.weight 14x14x3x1152', 'v.patch_embd.bias 1152', 'v.position_embd.weight 1152x4096']);
    expect(t.filter((x) => x.layer === 0).map(show)).toEqual([
      'v.blk.0.attn_k.weight 1152x1152',
      'v.blk.0.attn_k.bias 1152',
      'v.blk.0.attn_v.weight 1152x1152',
      'v.blk.0.attn_v.bias 1152',
      'v.blk.0.attn_q.weight 1152x1152',
      'v.blk.0.attn_q.bias 1152',
      'v.blk.0.attn_out.weight 1152x1152',
      'v.blk.0.attn_out.bias 1152',
      'v.blk.0.ln1.weight 1152',
      'v.blk.0.ln1.bias 1152',
      'v.blk.0.ffn_up.weight 1152x4304',
      'v.blk.0.ffn_up.bias 4304',
      'v.blk.0.ffn_down.weight 4304x1152',
      'v.blk.0.ffn_down.bias 1152',
      'v.blk.0.ln2.weight 1152',
      'v.blk.0.ln2.bias 1152',
    ]);
    expect(t.slice(-4).map(show)).toEqual(['v.post_ln.weight 1152', 'v.post_ln.bias 1152', 'mm.input_projection.weight 2560x1152', 'mm.soft_emb_norm.weight 1152']);
    expect(t).toHaveLength(3 + 27 * 16 + 4);
  });

  it('types them as conversion/gemma.py does: embeddings F32, input projection F16 at any outtype', () => {
    const typeOf = (out: 'f16' | 'q8_0', name: string) => mmprojTypedTensors(part, out).find((x) => x.name === name)?.type;
    expect(typeOf('f16', 'v.patch_embd.weight')).toBe('F32');
    expect(typeOf('f16', 'v.position_embd.weight')).toBe('F32');
    expect(typeOf('f16', 'v.blk.0.attn_q.weight')).toBe('F16');
    expect(typeOf('q8_0', 'v.blk.0.attn_q.weight')).toBe('Q8_0');
    expect(typeOf('q8_0', 'mm.input_projection.weight')).toBe('F16');
    // ffn_down rows are 4304 long, not a multiple of Q8_0's 32-weight block: the converter falls back to F16.
    expect(typeOf('q8_0', 'v.blk.0.ffn_down.weight')).toBe('F16');
    expect(typeOf('q8_0', 'v.blk.0.ffn_up.weight')).toBe('Q8_0');
  });

  it('counts the checkpoint vision weights exactly: published 4B total minus the text model', () => {
    expect(part.towerParams).toBe(SIGLIP);
    expect(part.projectorParams).toBe(C * 2560 + C);
    expect(part.vllmParams).toBe(part.towerParams + part.projectorParams);
    expect(tensorParams(part.mmprojTensors)).toBe(part.towerParams + part.projectorParams);
    const shape = modelShapeFromConfig(config);
    const text = paramCounts(tensorsOf(shape), shape).total;
    expect(text).toBe(3_880_263_168); // twinkle-ai/gemma-3-4B-T1-it, the text model alone
    expect(text + part.towerParams + part.projectorParams).toBe(4_300_079_472);
    expect(shape.extras.find((e) => e.name === 'vision encoder')?.params).toBe(419_816_304);
  });

  it('sizes mmproj-model-f16.gguf within 1% of the published 851 MB', () => {
    expect(Math.abs(mmprojFileBytes(part) / 851e6 - 1)).toBeLessThan(0.01);
  });

  it('takes 256 image tokens at any size: 258 positions in llama.cpp, 260 in transformers', () => {
    expect(part.imageTokens({ width: 4032, height: 3024 }, 'llama.cpp')).toBe(258);
    expect(part.imageTokens({ width: 200, height: 100 }, 'transformers')).toBe(260);
    expect(part.imageTokens('default', 'vllm')).toBe(260);
    expect(part.defaultImageTokens).toBe(260);
  });
});

describe('Gemma 3 27B vision', () => {
  const part = visionPartOf(loadConfig('gemma-3-27b'))!;

  it('differs from the 4B only in the projector into 5376', () => {
    expect(part.towerParams).toBe(SIGLIP);
    expect(part.projectorParams).toBe(C * 5376 + C);
  });

  it('counts the checkpoint vision weights exactly: published 27B total minus the text model', () => {
    const shape = modelShapeFromConfig(loadConfig('gemma-3-27b'));
    const text = paramCounts(tensorsOf(shape), shape).total;
    expect(text + part.towerParams + part.projectorParams).toBe(27_432_406_640);
  });

  it('sizes mmproj-model-f16.gguf within 1% of the published 858 MB', () => {
    expect(Math.abs(mmprojFileBytes(part) / 858e6 - 1)).toBeLessThan(0.01);
  });
});
