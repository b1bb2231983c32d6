/**
 * SmolLM3-3B (SmolLM3ForCausalLM -> llama.cpp "smollm3"), from its real config.json
 * (test/fixtures/configs/smollm3-3b.json, URL in _source).
 * Published count: 3,075,098,624 parameters (model.safetensors.index.json metadata.total_parameters,
 * https://github.com/fetchwiki/HuggingFaceTB-SmolLM3-3B/blob/2db8990c473c6b73b340dde39f1f323e8ab305e4/model.safetensors.index.json;
 * the same index lists no lm_head.weight: the head is tied).
 * Rules: src/models/smollm3.cpp (load_arch_tensors; n_no_rope_layer_step = 4), conversion/llama.py SmolLM3Model.
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

const row = (t: { name: string; dims: number[] }) => `${t.name} ${t.dims.join('x')}`;

describe('SmolLM3-3B (SmolLM3ForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('smollm3-3b'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "smollm3": tied, 36 GQA layers of 16 / 4 heads of 128, all attention', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('smollm3');
    expect(shape.tiedEmbeddings).toBe(true);
    expect(shape.maxContext).toBe(65536);
    expect(shape.layers).toHaveLength(36);
    expect(shape.layers.every((l) => l.mixer.kind === 'attention')).toBe(true);
    expect(shape.layers[3]!.mixer).toEqual({ kind: 'attention', nHead: 16, nHeadKv: 4, headDimK: 128, headDimV: 128, window: null });
    // no_rope_layers marks every 4th layer, the pattern llama.cpp hard-codes: nothing to note.
    expect(shape.assumptions).toEqual([]);
  });

  it('writes the standard block, no output.weight and no rope_freqs', () => {
    expect(tensors.filter((t) => t.layer === null).map(row)).toEqual(['token_embd.weight 2048x128256', 'output_norm.weight 2048']);
    expect(tensors.filter((t) => t.layer === 0).map(row)).toEqual([
      'blk.0.attn_norm.weight 2048',
      'blk.0.attn_q.weight 2048x2048',
      'blk.0.attn_k.weight 2048x512',
      'blk.0.attn_v.weight 2048x512',
      'blk.0.attn_output.weight 2048x2048',
      'blk.0.ffn_norm.weight 2048',
      'blk.0.ffn_gate.weight 2048x11008',
      'blk.0.ffn_down.weight 11008x2048',
      'blk.0.ffn_up.weight 2048x11008',
    ]);
    expect(tensors).toHaveLength(2 + 36 * 9);
  });

  it('counts 3,075,098,624 parameters, exactly the published total', () => {
    const total = paramCounts(tensors, shape).total;
    expect(total).toBe(128256 * 2048 + 36 * (2 * 2048 ** 2 + 2 * 2048 * 512 + 3 * 2048 * 11008 + 2 * 2048) + 2048);
    expect(total).toBe(3_075_098_624);
    expect(Math.abs(total / 3_075_098_624 - 1)).toBeLessThan(0.005);
  });

  it('caches every layer, NoPE layers included: 36 x 4 KV heads x 128 x 2 (K, V) x 2 bytes per token', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(36 * 4 * 128 * 2 * 2);
    expect(kv.bytes).toBe(4096 * 36 * 4 * 128 * 2 * 2);
  });

  it('notes a NoPE pattern other than llama.cpp\'s fixed every-4th-layer one', () => {
    const cfg = loadConfig('smollm3-3b');
    const s = modelShapeFromConfig({ ...cfg, no_rope_layers: Array.from({ length: 36 }, (_, il) => ((il + 1) % 3 === 0 ? 0 : 1)) });
    expect(s.assumptions).toHaveLength(1);
    expect(s.assumptions[0]).toContain('every 4th layer');
  });
});
