/**
 * IBM Granite 3.1 MoE (GraniteMoeForCausalLM -> llama.cpp "granitemoe"), from the real config.json files in
 * test/fixtures/configs/granite-3.1-1b-a400m.json and granite-3.1-3b-a800m.json (URLs in their _source).
 *
 * Published size of granite-3.1-1b-a400m-instruct: its single bf16 model.safetensors is 2,669,283,096 bytes
 * (Git LFS pointer in the repository copy https://github.com/jeremieconte/granite-3.1-1b-a400m-instruct, commit
 * 73154eec, the same file as https://huggingface.co/ibm-granite/granite-3.1-1b-a400m-instruct "2.67 GB"): at
 * 2 bytes per parameter, 1,334,641,548 parameters plus a JSON header of a few tens of kilobytes.
 * granite-3.1-3b-a800m has no exact published total (its two shards print as "5 GB" and "1.6 GB"); its count is
 * checked against the per-tensor formula only.
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

const listed = (tensors: { name: string; dims: number[]; layer: number | null }[], layer: number | null) =>
  tensors.filter((t) => t.layer === layer).map((t) => `${t.name} ${t.dims.join('x')}`);

describe('Granite 3.1 1B-A400M (GraniteMoeForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('granite-3.1-1b-a400m'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "granitemoe": 24 layers of 16 / 8 heads of 64, 32 experts of 512, 8 used', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('granitemoe');
    expect(shape.tiedEmbeddings).toBe(true);
    expect(shape.layers).toHaveLength(24);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 16, nHeadKv: 8, headDimK: 64, headDimV: 64, window: null });
    expect(shape.layers[23]!.ffn).toEqual({ kind: 'moe', nExpert: 32, nExpertUsed: 8, expertFf: 512, nSharedExpert: 0, sharedFf: 0, gated: true });
  });

  it('writes the tensors of src/models/granite-moe.cpp: no output.weight, gate/up split from input_linear', () => {
    expect(listed(tensors, null)).toEqual(['token_embd.weight 1024x49155', 'output_norm.weight 1024']);
    expect(listed(tensors, 0).map((s) => s.replace('blk.0.', ''))).toEqual([
      'attn_norm.weight 1024',
      'attn_q.weight 1024x1024',
      'attn_k.weight 1024x512',
      'attn_v.weight 1024x512',
      'attn_output.weight 1024x1024',
      'ffn_norm.weight 1024',
      'ffn_gate_inp.weight 1024x32',
      'ffn_gate_exps.weight 1024x512x32',
      'ffn_down_exps.weight 512x1024x32',
      'ffn_up_exps.weight 1024x512x32',
    ]);
    expect(tensors).toHaveLength(2 + 24 * 10);
  });

  it('counts 1,334,628,352 parameters, the size of the published bf16 safetensors file', () => {
    const counts = paramCounts(tensors, shape);
    const perLayer = 2 * 1024 ** 2 + 2 * 1024 * 512 + 32 * 3 * 1024 * 512 + 32 * 1024 + 2 * 1024;
    expect(counts.total).toBe(24 * perLayer + 49155 * 1024 + 1024);
    expect(counts.total).toBe(1_334_628_352);
    // 2,669,283,096 bytes / 2 includes the safetensors header: an upper bound, 13,196 above the count.
    expect(Math.abs(counts.total / (2_669_283_096 / 2) - 1)).toBeLessThan(0.005);
    // "A400M": 8 of 32 experts per token.
    expect(counts.active).toBe(24 * (perLayer - 24 * 3 * 1024 * 512) + 49155 * 1024 + 1024);
  });

  it('caches 24 layers x 8 KV heads x 64 x 2 (K, V) x 2 bytes per token in llama.cpp', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(24 * 8 * 64 * 2 * 2);
    expect(kv.bytes).toBe(24 * 8 * 64 * 2 * 2 * 4096);
  });
});

describe('Granite 3.1 3B-A800M (GraniteMoeForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('granite-3.1-3b-a800m'));
  const tensors = tensorsOf(shape);

  it('reads 32 layers of 24 / 8 heads of 64, 40 experts of 512, 8 used', () => {
    expect(shape.ggufArch).toBe('granitemoe');
    expect(shape.layers).toHaveLength(32);
    expect(shape.layers[0]!.mixer).toMatchObject({ nHead: 24, nHeadKv: 8, headDimK: 64 });
    expect(shape.layers[0]!.ffn).toMatchObject({ nExpert: 40, nExpertUsed: 8, expertFf: 512 });
  });

  it('counts 3,298,793,472 parameters (per-tensor formula; no exact published total)', () => {
    const perLayer = 2 * 1536 ** 2 + 2 * 1536 * 512 + 40 * 3 * 1536 * 512 + 40 * 1536 + 2 * 1536;
    expect(paramCounts(tensors, shape).total).toBe(32 * perLayer + 49155 * 1536 + 1536);
    expect(paramCounts(tensors, shape).total).toBe(3_298_793_472);
  });
});

describe('GraniteMoeShared: the shared expert (rule test on the 1B-A400M config with shared_intermediate_size added)', () => {
  const config = { ...loadConfig('granite-3.1-1b-a400m'), architectures: ['GraniteMoeSharedForCausalLM'], shared_intermediate_size: 1024 };
  const shape = modelShapeFromConfig(config);

  it('adds ffn_gate_shexp, ffn_up_shexp, ffn_down_shexp after the routed experts, in load order', () => {
    expect(shape.ggufArch).toBe('granitemoe');
    expect(shape.layers[0]!.ffn).toMatchObject({ nSharedExpert: 1, sharedFf: 1024 });
    expect(listed(tensorsOf(shape), 0).slice(-3)).toEqual([
      'blk.0.ffn_gate_shexp.weight 1024x1024',
      'blk.0.ffn_up_shexp.weight 1024x1024',
      'blk.0.ffn_down_shexp.weight 1024x1024',
    ]);
  });
});
