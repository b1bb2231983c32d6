/**
 * EXAONE 4.0 1.2B (Exaone4ForCausalLM -> llama.cpp "exaone4"), from a GitHub copy of the config.json of
 * LGAI-EXAONE/EXAONE-4.0-1.2B (test/fixtures/configs/exaone-4.0-1.2b.json, URL in its _source).
 * Published count: 1,279,391,488 parameters, the Hub's safetensors total for LGAI-EXAONE/EXAONE-4.0-1.2B as scraped
 * into https://github.com/AlexsJones/llmfit/blob/5bdc9df9d8e28168fdc4650741be71b715a11fc6/llmfit-core/data/hf_models.json
 * (parameters_raw, a curated entry); the GGUF adds the 32 floats of rope_freqs.weight (llama3 rope scaling).
 * Sliding windows follow src/models/exaone4.cpp: only a 64-layer model (EXAONE-4.0-32B) slides, with period 4.
 * No 32B config.json was reachable, so that rule is checked on this config with its depth set to 64.
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

describe('EXAONE 4.0 1.2B (Exaone4ForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('exaone-4.0-1.2b'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "exaone4", tied, 30 full-attention layers of 32 / 8 heads of 64', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('exaone4');
    expect(shape.tiedEmbeddings).toBe(true);
    expect(shape.layers).toHaveLength(30);
    expect(shape.nextnLayers).toBeUndefined();
    expect(shape.layers.every((l) => l.mixer.kind === 'attention' && l.mixer.window === null)).toBe(true);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 32, nHeadKv: 8, headDimK: 64, headDimV: 64, window: null });
    expect(shape.assumptions).toEqual([]);
  });

  it('writes the post-norm block of src/models/exaone4.cpp: no attn_norm / ffn_norm, q/k norms, 11 per block', () => {
    expect(tensors.filter((t) => t.layer === null).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'token_embd.weight 2048x102400',
      'output_norm.weight 2048',
      'rope_freqs.weight 32',
    ]);
    expect(tensors.filter((t) => t.layer === 0).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'blk.0.attn_q.weight 2048x2048',
      'blk.0.attn_k.weight 2048x512',
      'blk.0.attn_v.weight 2048x512',
      'blk.0.attn_output.weight 2048x2048',
      'blk.0.post_attention_norm.weight 2048',
      'blk.0.attn_q_norm.weight 64',
      'blk.0.attn_k_norm.weight 64',
      'blk.0.ffn_gate.weight 2048x4096',
      'blk.0.ffn_down.weight 4096x2048',
      'blk.0.ffn_up.weight 2048x4096',
      'blk.0.post_ffw_norm.weight 2048',
    ]);
    expect(tensors).toHaveLength(3 + 30 * 11);
  });

  it('counts the published 1,279,391,488 parameters plus the 32 of rope_freqs', () => {
    const total = paramCounts(tensors, shape).total;
    const block = 2 * 2048 ** 2 + 2 * 2048 * 512 + 3 * 2048 * 4096 + 2 * 2048 + 2 * 64;
    expect(total).toBe(102400 * 2048 + 30 * block + 2048 + 32);
    expect(total - 32).toBe(1_279_391_488);
    expect(Math.abs(total / 1_279_391_488 - 1)).toBeLessThan(0.005);
  });

  it('caches 30 layers x 8 KV heads x 64 x 2 (K, V) x 2 bytes per token in llama.cpp', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(30 * 8 * 64 * 2 * 2);
    expect(kv.groups.map((g) => g.label)).toEqual(['global']);
  });

  it('slides 3 of every 4 layers over 4096 tokens only at 64 layers (the 32B depth), as exaone4.cpp does', () => {
    const deep = modelShapeFromConfig({ ...loadConfig('exaone-4.0-1.2b'), num_hidden_layers: 64, layer_types: undefined, sliding_window: 4096 });
    expect(deep.layers.map((l) => (l.mixer.kind === 'attention' ? l.mixer.window : -1)).slice(0, 8)).toEqual([4096, 4096, 4096, null, 4096, 4096, 4096, null]);
    expect(deep.layers.filter((l) => l.mixer.kind === 'attention' && l.mixer.window === null)).toHaveLength(16);
    const kv = kvCache(deep, { runtime: 'llama.cpp', ctx: 32768, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(16 * 8 * 64 * 2 * 2);
    // A 30-layer config that declares sliding layers still gets full attention everywhere in llama.cpp.
    const shallow = modelShapeFromConfig({ ...loadConfig('exaone-4.0-1.2b'), layer_types: undefined, sliding_window: 4096, sliding_window_pattern: 'LLLG' });
    expect(shallow.layers.every((l) => l.mixer.kind === 'attention' && l.mixer.window === null)).toBe(true);
    expect(shallow.assumptions.join(' ')).toMatch(/only for the 64-layer model/);
  });
});
