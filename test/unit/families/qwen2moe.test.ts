/**
 * Qwen2-57B-A14B and Qwen1.5-MoE-A2.7B (Qwen2MoeForCausalLM -> llama.cpp "qwen2moe"), from their config.json files
 * (test/fixtures/configs/qwen2-57b-a14b.json, official; qwen1.5-moe-a2.7b.json, the copy in mlc-llm's presets;
 * URLs in _source).
 * Published counts: Hub safetensors totals as collected in AlexsJones/llmfit llmfit-core/data/hf_models.json
 * (https://github.com/AlexsJones/llmfit/blob/a3e0eb27c57fe05298292f4c61699b9aed2824ea/llmfit-core/data/hf_models.json):
 * Qwen/Qwen2-57B-A14B 57,408,658,944 (also the Open LLM Leaderboard's 57.409,
 * https://huggingface.co/datasets/open-llm-leaderboard/requests/blame/refs%2Fpr%2F14/Qwen/Qwen2-57B-A14B_eval_request_False_bfloat16_Original.json)
 * and Qwen/Qwen1.5-MoE-A2.7B 14,315,784,192 (leaderboard: 14.316). Active: the names' "A14B" and "A2.7B".
 * Rules: src/models/qwen2moe.cpp load_arch_tensors, conversion/qwen.py Qwen2MoeModel.
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

const row = (t: { name: string; dims: number[] }) => `${t.name} ${t.dims.join('x')}`;

describe('Qwen2-57B-A14B (Qwen2MoeForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('qwen2-57b-a14b'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "qwen2moe": 28 GQA layers (28 / 4 heads of 128), 64 experts top-8 and a shared expert', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('qwen2moe');
    expect(shape.tiedEmbeddings).toBe(false);
    expect(shape.layers).toHaveLength(28);
    expect(shape.layers.every((l) => l.mixer.kind === 'attention' && l.ffn.kind === 'moe')).toBe(true);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 28, nHeadKv: 4, headDimK: 128, headDimV: 128, window: null });
    expect(shape.layers[0]!.ffn).toEqual({ kind: 'moe', nExpert: 64, nExpertUsed: 8, expertFf: 2560, nSharedExpert: 1, sharedFf: 20480, gated: true });
    expect(shape.assumptions).toEqual([]);
  });

  it('writes the tensors of src/models/qwen2moe.cpp, with the sigmoid gate of the shared expert (ffn_gate_inp_shexp)', () => {
    expect(tensors.filter((t) => t.layer === null).map(row)).toEqual(['token_embd.weight 3584x151936', 'output_norm.weight 3584', 'output.weight 3584x151936']);
    expect(tensors.filter((t) => t.layer === 0).map(row)).toEqual([
      'blk.0.attn_norm.weight 3584',
      'blk.0.attn_q.weight 3584x3584',
      'blk.0.attn_k.weight 3584x512',
      'blk.0.attn_v.weight 3584x512',
      'blk.0.attn_output.weight 3584x3584',
      'blk.0.attn_q.bias 3584',
      'blk.0.attn_k.bias 512',
      'blk.0.attn_v.bias 512',
      'blk.0.ffn_norm.weight 3584',
      'blk.0.ffn_gate_inp.weight 3584x64',
      'blk.0.ffn_gate_exps.weight 3584x2560x64',
      'blk.0.ffn_down_exps.weight 2560x3584x64',
      'blk.0.ffn_up_exps.weight 3584x2560x64',
      'blk.0.ffn_gate_inp_shexp.weight 3584',
      'blk.0.ffn_gate_shexp.weight 3584x20480',
      'blk.0.ffn_down_shexp.weight 20480x3584',
      'blk.0.ffn_up_shexp.weight 3584x20480',
    ]);
    expect(tensors).toHaveLength(3 + 28 * 17);
  });

  it('counts 57,408,658,944 parameters, exactly the Hub total; about 14B active', () => {
    const p = paramCounts(tensors, shape);
    expect(p.total).toBe(57_408_658_944);
    expect(Math.abs(p.total / 57_408_658_944 - 1)).toBeLessThan(0.005);
    // Active: attention, router, shared expert, embeddings and 8 of the 64 experts.
    expect(Math.round(p.active / 1e9)).toBe(14);
  });

  it('caches 28 layers x 4 KV heads x 128 x 2 (K, V) x 2 bytes per token in llama.cpp', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(28 * 4 * 128 * 2 * 2);
    expect(kv.bytes).toBe(4096 * 28 * 4 * 128 * 2 * 2);
  });
});

describe('Qwen1.5-MoE-A2.7B (Qwen2MoeForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('qwen1.5-moe-a2.7b'));
  const tensors = tensorsOf(shape);

  it('24 MHA layers of 16 x 128, 60 experts of 1408 (top 4) and a 5632-wide shared expert', () => {
    expect(shape.ggufArch).toBe('qwen2moe');
    expect(shape.layers).toHaveLength(24);
    expect(shape.layers[0]!.ffn).toEqual({ kind: 'moe', nExpert: 60, nExpertUsed: 4, expertFf: 1408, nSharedExpert: 1, sharedFf: 5632, gated: true });
    expect(tensors).toHaveLength(3 + 24 * 17);
  });

  it('counts 14,315,784,192 parameters, exactly the Hub total of Qwen/Qwen1.5-MoE-A2.7B; 2.7B active', () => {
    const p = paramCounts(tensors, shape);
    const block = 2048 + 4 * 2048 ** 2 + 3 * 2048 + 2048 + 2048 * 60 + 3 * 2048 * 1408 * 60 + 2048 + 3 * 2048 * 5632;
    expect(p.total).toBe(2 * 151936 * 2048 + 24 * block + 2048);
    expect(p.total).toBe(14_315_784_192);
    expect(Math.round(p.active / 1e8) / 10).toBe(2.7);
  });

  it('caches 24 layers x 16 KV heads x 128 x 2 (K, V) x 2 bytes per token in llama.cpp', () => {
    expect(kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' }).perTokenBytes).toBe(24 * 16 * 128 * 2 * 2);
  });
});
