/**
 * Mistral-Small-3.1-24B-Instruct-2503 (Mistral3ForConditionalGeneration -> llama.cpp "mistral3"), from
 * test/fixtures/configs/mistral-small-3.1-24b-instruct-2503.json (provenance in its _source).
 * Published counts:
 * - the text model: 23,572,403,200, the Hub safetensors total of lmstudio-community/Devstral-Small-2507-MLX-bf16 (Devstral
 *   Small 1.1, the same 40 x 5120 text model without the vision tower, stored in bf16), as scraped into
 *   https://github.com/AlexsJones/llmfit/blob/a3e0eb27c57fe05298292f4c61699b9aed2824ea/llmfit-core/data/hf_models.json
 *   (field parameters_raw);
 * - the whole checkpoint: "24B" (https://huggingface.co/mistralai/Mistral-Small-3.1-24B-Instruct-2503), text plus the
 *   Pixtral tower and projector (extras).
 * Tensors: src/models/mistral3.cpp load_arch_tensors; the GGUF is text-only (vision in the mmproj), llama.cpp 3f545bec.
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { SizingError } from '../../../src/sizing/errors.ts';
import type { HfConfig } from '../../../src/sizing/types.ts';
import { loadConfig } from '../../fixtures/configs.ts';

const withText = (patch: Record<string, unknown>): HfConfig => {
  const c = loadConfig('mistral-small-3.1-24b-instruct-2503');
  return { ...c, text_config: { ...(c['text_config'] as Record<string, unknown>), ...patch } };
};

describe('Mistral-Small-3.1-24B-Instruct-2503 (Mistral3ForConditionalGeneration)', () => {
  const shape = modelShapeFromConfig(loadConfig('mistral-small-3.1-24b-instruct-2503'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "mistral3": untied, 40 GQA layers of 32 / 8 heads of 128 (head_dim, not 5120 / 32)', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('mistral3');
    expect(shape.tiedEmbeddings).toBe(false);
    expect(shape.layers).toHaveLength(40);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 32, nHeadKv: 8, headDimK: 128, headDimV: 128, window: null });
    expect(shape.layers[0]!.ffn).toEqual({ kind: 'dense', ff: 32768, gated: true });
    expect([shape.vocabSize, shape.hiddenSize, shape.maxContext]).toEqual([131072, 5120, 131072]);
    expect(shape.assumptions).toEqual([]);
  });

  it('writes the tensors of src/models/mistral3.cpp: token_embd, output_norm, output, 9 per block', () => {
    expect(tensors.filter((t) => t.layer === null).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'token_embd.weight 5120x131072',
      'output_norm.weight 5120',
      'output.weight 5120x131072',
    ]);
    expect(tensors.filter((t) => t.layer === 0).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'blk.0.attn_norm.weight 5120',
      'blk.0.attn_q.weight 5120x4096',
      'blk.0.attn_k.weight 5120x1024',
      'blk.0.attn_v.weight 5120x1024',
      'blk.0.attn_output.weight 4096x5120',
      'blk.0.ffn_norm.weight 5120',
      'blk.0.ffn_gate.weight 5120x32768',
      'blk.0.ffn_down.weight 32768x5120',
      'blk.0.ffn_up.weight 5120x32768',
    ]);
    expect(tensors).toHaveLength(3 + 40 * 9);
  });

  it('counts 23,572,403,200 text parameters, the published text-model total', () => {
    const total = paramCounts(tensors, shape).total;
    const block = 5120 * 4096 * 2 + 5120 * 1024 * 2 + 3 * 5120 * 32768 + 2 * 5120;
    expect(total).toBe(2 * 131072 * 5120 + 5120 + 40 * block);
    expect(total).toBe(23_572_403_200);
  });

  it('records the Pixtral tower and projector as an extra; with it the checkpoint is 24.0 B (published "24B")', () => {
    const vision = shape.extras.find((e) => e.name === 'vision encoder');
    expect(vision).toBeDefined();
    const whole = paramCounts(tensors, shape).total + vision!.params;
    expect(Math.abs(whole / 24e9 - 1)).toBeLessThan(0.005);
  });

  it('caches 40 layers x 8 KV heads x 128 x 2 (K, V) x 2 bytes per token in llama.cpp', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(40 * 8 * 128 * 2 * 2);
    expect(kv.bytes).toBe(4096 * 40 * 8 * 128 * 2 * 2);
  });
});

describe('Mistral 3: other text configs', () => {
  it('a sliding_window is stated as not applied by llama.cpp', () => {
    const s = modelShapeFromConfig(withText({ sliding_window: 4096 }));
    expect(s.layers[0]!.mixer).toMatchObject({ window: null });
    expect(s.assumptions.join(' ')).toContain('sliding_window');
  });

  it('text model_type "mistral4" (DeepSeek-V2-style, arch "mistral4") is refused, naming the key', () => {
    expect(() => modelShapeFromConfig(withText({ model_type: 'mistral4' }))).toThrow(SizingError);
    expect(() => modelShapeFromConfig(withText({ model_type: 'mistral4' }))).toThrow(/model_type/);
  });

  it('tied embeddings (Ministral 3 sets tie_word_embeddings): no output.weight', () => {
    const s = modelShapeFromConfig(withText({ tie_word_embeddings: true }));
    expect(tensorsOf(s).some((t) => t.name === 'output.weight')).toBe(false);
  });
});
