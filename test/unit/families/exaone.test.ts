/**
 * EXAONE 3.5 2.4B (ExaoneForCausalLM -> llama.cpp "exaone"), from the config.json of a fine-tune of
 * LGAI-EXAONE/EXAONE-3.5-2.4B-Instruct (test/fixtures/configs/exaone-3.5-2.4b.json, URL and provenance in its
 * _source; a fine-tune keeps every dimension). Published count: 2,405,327,360 parameters, the Hub's safetensors
 * total for LGAI-EXAONE/EXAONE-3.5-2.4B-Instruct as scraped into
 * https://github.com/AlexsJones/llmfit/blob/5bdc9df9d8e28168fdc4650741be71b715a11fc6/llmfit-core/data/hf_models.json
 * (parameters_raw). It equals the per-tensor count with a tied embedding; the GGUF adds the 40 floats of
 * rope_freqs.weight that the converter derives from the llama3 rope scaling.
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

describe('EXAONE 3.5 2.4B (ExaoneForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('exaone-3.5-2.4b'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "exaone", num_layers 30, tied by ExaoneConfig default, 32 / 8 heads of 80', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('exaone');
    expect(shape.tiedEmbeddings).toBe(true);
    expect(shape.layers).toHaveLength(30);
    expect(shape.maxContext).toBe(32768);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 32, nHeadKv: 8, headDimK: 80, headDimV: 80, window: null });
  });

  it('writes the tensors of src/models/exaone.cpp: no output.weight, rope_freqs of head_dim / 2, 9 per block', () => {
    expect(tensors.filter((t) => t.layer === null).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'token_embd.weight 2560x102400',
      'output_norm.weight 2560',
      'rope_freqs.weight 40',
    ]);
    expect(tensors.filter((t) => t.layer === 0).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'blk.0.attn_norm.weight 2560',
      'blk.0.attn_q.weight 2560x2560',
      'blk.0.attn_k.weight 2560x640',
      'blk.0.attn_v.weight 2560x640',
      'blk.0.attn_output.weight 2560x2560',
      'blk.0.ffn_norm.weight 2560',
      'blk.0.ffn_gate.weight 2560x7168',
      'blk.0.ffn_down.weight 7168x2560',
      'blk.0.ffn_up.weight 2560x7168',
    ]);
    expect(tensors).toHaveLength(3 + 30 * 9);
  });

  it('counts the published 2,405,327,360 parameters plus the 40 of rope_freqs', () => {
    const total = paramCounts(tensors, shape).total;
    expect(total).toBe(102400 * 2560 + 30 * (2 * 2560 ** 2 + 2 * 2560 * 640 + 3 * 2560 * 7168 + 2 * 2560) + 2560 + 40);
    expect(total - 40).toBe(2_405_327_360);
    expect(Math.abs(total / 2_405_327_360 - 1)).toBeLessThan(0.005);
  });

  it('caches 30 layers x 8 KV heads x 80 x 2 (K, V) x 2 bytes per token in llama.cpp', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(30 * 8 * 80 * 2 * 2);
  });
});
