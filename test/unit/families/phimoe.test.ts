import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { estimate } from '../../../src/sizing/memory/estimate.ts';
import { loadConfig } from '../../fixtures/configs.ts';

describe('PhiMoE (Phi-3.5-MoE)', () => {
  const config = loadConfig('phi-3.5-moe-instruct');
  const shape = modelShapeFromConfig(config);
  const tensors = tensorsOf(shape);

  it('reads 32 layers of 16 experts (2 used) of 6400, GQA 32/8 heads of 128, untied, exactly', () => {
    expect(shape.ggufArch).toBe('phimoe');
    expect(shape.reading?.kind ?? 'exact').toBe('exact');
    expect(shape.layers).toHaveLength(32);
    expect(shape.layers[0]!.mixer).toMatchObject({ kind: 'attention', nHead: 32, nHeadKv: 8, headDimK: 128, window: null });
    expect(shape.layers[0]!.ffn).toMatchObject({ kind: 'moe', nExpert: 16, nExpertUsed: 2, expertFf: 6400, nSharedExpert: 0 });
    expect(shape.tiedEmbeddings).toBe(false);
  });

  it('writes the tensors llama.cpp phimoe.cpp loads: biased norms, q/k/v/o and head, longrope factors', () => {
    const names = new Set(tensors.map((t) => t.name));
    for (const n of ['output.bias', 'output_norm.bias', 'rope_factors_long.weight', 'blk.0.attn_norm.bias', 'blk.0.attn_q.bias', 'blk.0.attn_output.bias', 'blk.0.ffn_norm.bias', 'blk.31.ffn_up_exps.weight']) {
      expect(names.has(n), n).toBe(true);
    }
    expect(tensors.find((t) => t.name === 'rope_factors_long.weight')!.dims).toEqual([64]);
  });

  it('counts 41.87B parameters, 6.64B active: the Hub\'s "42B" within 0.5%, and the card\'s "6.6B active" as printed', () => {
    const p = paramCounts(tensors, shape);
    expect(Math.abs(p.total - 42e9) / 42e9).toBeLessThan(0.005);
    // The card rounds to one decimal: 6.64B prints as 6.6B (with the input embedding; 6.51B without it).
    expect((p.active / 1e9).toFixed(1)).toBe('6.6');
    // Hand count: embeddings and head 2 x 32064 x 4096 (+ head bias), 32 layers of attention 2 x 4096^2 + 2 x 4096 x 1024
    // (+ biases), 16 x 3 x 4096 x 6400 experts, a 4096 x 16 router and four norm vectors.
    const layer = 2 * 4096 * 4096 + 2 * 4096 * 1024 + (4096 + 1024 + 1024 + 4096) + 16 * 3 * 4096 * 6400 + 4096 * 16 + 4 * 4096;
    expect(p.total).toBe(2 * 32064 * 4096 + 32064 + 2 * 4096 + 32 * layer + 2 * 64);
  });

  it('KV cache: 32 layers x 8 KV heads x 128 x 2 (K and V) x 2 bytes per token under llama.cpp', () => {
    const e = estimate({ kind: 'config', config }, { quant: 'Q4_K_M', ctx: 4096, backend: 'cpu' });
    expect(e.kv.perTokenBytes).toBe(32 * 8 * 128 * 2 * 2);
  });
});
