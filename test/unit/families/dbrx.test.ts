/**
 * DBRX Instruct (DbrxForCausalLM -> llama.cpp "dbrx"), from the config.json Databricks publishes in its GitHub
 * repository (test/fixtures/configs/dbrx-instruct.json, URL in _source).
 * Published counts: "132B total parameters of which 36B parameters are active" (model card,
 * https://github.com/databricks/dbrx/blob/a3200393e678387a6f30f3e903108c650625eb21/MODEL_CARD_dbrx_instruct.md) and
 * 131.597 billion on the Open LLM Leaderboard (computed from the checkpoint,
 * https://huggingface.co/datasets/open-llm-leaderboard/requests/blame/9135905e4a865eb51e40fa27ec30d599deb13342/databricks/dbrx-instruct_eval_request_False_bfloat16_Original.json).
 * Tensor count: llama.cpp PR #6515's quantize log lists 323 tensors for DBRX (https://github.com/ggml-org/llama.cpp/pull/6515).
 * Rules: src/models/dbrx.cpp load_arch_tensors, conversion/dbrx.py.
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

const row = (t: { name: string; dims: number[] }) => `${t.name} ${t.dims.join('x')}`;

describe('DBRX Instruct (DbrxForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('dbrx-instruct'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "dbrx": 40 layers of 48 / 8 heads of 128, 16 experts of 10752, top 4', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('dbrx');
    expect(shape.tiedEmbeddings).toBe(false);
    expect(shape.hiddenSize).toBe(6144);
    expect(shape.vocabSize).toBe(100352);
    expect(shape.maxContext).toBe(32768);
    expect(shape.layers).toHaveLength(40);
    expect(shape.layers.every((l) => l.mixer.kind === 'attention' && l.ffn.kind === 'moe')).toBe(true);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 48, nHeadKv: 8, headDimK: 128, headDimV: 128, window: null });
    expect(shape.layers[0]!.ffn).toEqual({ kind: 'moe', nExpert: 16, nExpertUsed: 4, expertFf: 10752, nSharedExpert: 0, sharedFf: 0, gated: true });
  });

  it('writes fused Wqkv, bias-free LayerNorms (attn_norm, attn_output_norm) and the stacked experts of src/models/dbrx.cpp', () => {
    expect(tensors.filter((t) => t.layer === null).map(row)).toEqual(['token_embd.weight 6144x100352', 'output_norm.weight 6144', 'output.weight 6144x100352']);
    expect(tensors.filter((t) => t.layer === 0).map((t) => `${row(t)} ${t.role}`)).toEqual([
      'blk.0.attn_norm.weight 6144 norm',
      'blk.0.attn_qkv.weight 6144x8192 attn',
      'blk.0.attn_output.weight 6144x6144 attn',
      'blk.0.attn_output_norm.weight 6144 norm',
      'blk.0.ffn_gate_inp.weight 6144x16 router',
      'blk.0.ffn_gate_exps.weight 6144x10752x16 ffn_exps',
      'blk.0.ffn_down_exps.weight 10752x6144x16 ffn_exps',
      'blk.0.ffn_up_exps.weight 6144x10752x16 ffn_exps',
    ]);
    expect(tensors).toHaveLength(323);
  });

  it('counts 131.597 billion parameters as the leaderboard does ("132B"), 36.5 billion active ("36B")', () => {
    const p = paramCounts(tensors, shape);
    const block = 2 * 6144 + 6144 * 8192 + 6144 * 6144 + 6144 * 16 + 3 * 6144 * 10752 * 16;
    expect(p.total).toBe(2 * 100352 * 6144 + 40 * block + 6144);
    expect(p.total).toBe(131_596_523_520);
    expect(Math.abs(p.total / 131.597e9 - 1)).toBeLessThan(0.005);
    expect(Math.round(p.total / 1e9)).toBe(132);
    expect(p.active).toBe(p.total - 40 * (3 * 6144 * 10752 * 12));
    expect(Math.round(p.active / 1e9)).toBe(36);
  });

  it('caches 40 layers x 8 KV heads x 128 x 2 (K, V) x 2 bytes per token in llama.cpp (clip_qkv changes nothing)', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(40 * 8 * 128 * 2 * 2);
    expect(kv.bytes).toBe(4096 * 40 * 8 * 128 * 2 * 2);
  });
});
