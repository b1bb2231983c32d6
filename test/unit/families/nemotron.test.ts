/**
 * Nemotron-4 Minitron 4B (NemotronForCausalLM -> llama.cpp "nemotron"), from the real config.json of
 * nvidia/Minitron-4B-Base (test/fixtures/configs/nemotron-4-minitron-4b.json, URL in its _source).
 * Published size: 4.19B parameters, the Hub's "Model size" of a BF16 re-save of nvidia/Nemotron-Mini-4B-Instruct
 * (https://huggingface.co/SicariusSicariiStuff/nvidia_Nemotron-Mini-4B-Instruct_FP8; its BF16 sibling's single
 * model.safetensors is 8.38 GB), whose official config (https://huggingface.co/nvidia/Nemotron-Mini-4B-Instruct,
 * "_name_or_path": "nvidia/Minitron-4B-Instruct") has exactly Minitron-4B-Base's dimensions.
 * (llmfit's 3,806,330,880 for Nemotron-Mini-4B-Instruct is its config estimate formula, not a published figure.)
 * Minitron-8B (test/fixtures/configs/minitron-8b.json) checks the {n_embd, n_embd} q / output caveat.
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

describe('Nemotron-4 Minitron 4B (NemotronForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('nemotron-4-minitron-4b'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "nemotron": 32 layers of 24 / 8 heads of 128, squared-ReLU MLP (not gated)', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('nemotron');
    expect(shape.tiedEmbeddings).toBe(false);
    expect(shape.layers).toHaveLength(32);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 24, nHeadKv: 8, headDimK: 128, headDimV: 128, window: null });
    expect(shape.layers[0]!.ffn).toEqual({ kind: 'dense', ff: 9216, gated: false });
    expect(shape.assumptions).toEqual([]);
  });

  it('writes the tensors of src/models/nemotron.cpp: LayerNorm1P weight + bias, ffn_up / ffn_down only', () => {
    expect(tensors.filter((t) => t.layer === null).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'token_embd.weight 3072x256000',
      'output_norm.weight 3072',
      'output_norm.bias 3072',
      'output.weight 3072x256000',
    ]);
    expect(tensors.filter((t) => t.layer === 0).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'blk.0.attn_norm.weight 3072',
      'blk.0.attn_norm.bias 3072',
      'blk.0.attn_q.weight 3072x3072',
      'blk.0.attn_k.weight 3072x1024',
      'blk.0.attn_v.weight 3072x1024',
      'blk.0.attn_output.weight 3072x3072',
      'blk.0.ffn_norm.weight 3072',
      'blk.0.ffn_norm.bias 3072',
      'blk.0.ffn_down.weight 9216x3072',
      'blk.0.ffn_up.weight 3072x9216',
    ]);
    expect(tensors).toHaveLength(4 + 32 * 10);
  });

  it('counts 4.19 billion parameters, as published (within 0.5%)', () => {
    const total = paramCounts(tensors, shape).total;
    expect(total).toBe(2 * 256000 * 3072 + 2 * 3072 + 32 * (2 * 3072 ** 2 + 2 * 3072 * 1024 + 2 * 3072 * 9216 + 4 * 3072));
    expect(Math.abs(total / 4.19e9 - 1)).toBeLessThan(0.005);
  });

  it('caches 32 layers x 8 KV heads x 128 x 2 (K, V) x 2 bytes per token in llama.cpp', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(32 * 8 * 128 * 2 * 2);
  });

  it('sizes Minitron-8B (48 heads x 128 = 6144 != 4096) as converted, and says llama.cpp would not load it', () => {
    const m8 = modelShapeFromConfig(loadConfig('minitron-8b'));
    const block = tensorsOf(m8).filter((t) => t.layer === 0);
    expect(block.find((t) => t.name === 'blk.0.attn_q.weight')!.dims).toEqual([4096, 6144]);
    expect(block.find((t) => t.name === 'blk.0.attn_output.weight')!.dims).toEqual([6144, 4096]);
    expect(m8.assumptions.join(' ')).toMatch(/would not load/);
  });
});
