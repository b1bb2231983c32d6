/**
 * AllenAI OLMo 2 (Olmo2ForCausalLM -> llama.cpp "olmo2"): OLMo-2-1124-13B from its official config
 * (test/fixtures/configs/olmo-2-1124-13b.json) and OLMo-2-0325-32B (GQA) from mlc-llm's copy
 * (test/fixtures/configs/olmo-2-0325-32b.json); URLs in _source. No real OLMo 3 config was reachable: its sliding
 * window rule is tested on the 13B config with the OLMo 3 architecture name.
 *
 * Published counts, the Hub's safetensors totals as recorded in
 * https://github.com/AlexsJones/llmfit/blob/5bdc9df9d8e28168fdc4650741be71b715a11fc6/llmfit-core/data/hf_models.json
 * (parameters_raw): allenai/OLMo-2-1124-13B-Instruct 13,716,198,400 and allenai/OLMo-2-0325-32B-Instruct
 * 32,234,279,936 (the instruct models have the base models' shapes).
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

const listed = (tensors: { name: string; dims: number[]; layer: number | null }[], layer: number | null) =>
  tensors.filter((t) => t.layer === layer).map((t) => `${t.name.replace(/^blk\.\d+\./, '')} ${t.dims.join('x')}`);

describe('OLMo-2-1124-13B (Olmo2ForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('olmo-2-1124-13b'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "olmo2": 40 MHA layers of 40 heads of 128, untied head, no window', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('olmo2');
    expect(shape.tiedEmbeddings).toBe(false);
    expect(shape.layers).toHaveLength(40);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 40, nHeadKv: 40, headDimK: 128, headDimV: 128, window: null });
  });

  it('writes the post-norm block of src/models/olmo2.cpp: no attn_norm / ffn_norm, q/k norms over the whole width', () => {
    expect(listed(tensors, null)).toEqual(['token_embd.weight 5120x100352', 'output_norm.weight 5120', 'output.weight 5120x100352']);
    expect(listed(tensors, 0)).toEqual([
      'attn_q.weight 5120x5120',
      'attn_k.weight 5120x5120',
      'attn_v.weight 5120x5120',
      'attn_output.weight 5120x5120',
      'attn_q_norm.weight 5120',
      'attn_k_norm.weight 5120',
      'post_attention_norm.weight 5120',
      'ffn_gate.weight 5120x13824',
      'ffn_up.weight 5120x13824',
      'ffn_down.weight 13824x5120',
      'post_ffw_norm.weight 5120',
    ]);
    expect(tensors).toHaveLength(3 + 40 * 11);
  });

  it('counts 13,716,198,400 parameters, the Hub total', () => {
    const total = paramCounts(tensors, shape).total;
    expect(total).toBe(40 * (4 * 5120 ** 2 + 4 * 5120 + 3 * 5120 * 13824) + 2 * 100352 * 5120 + 5120);
    expect(total).toBe(13_716_198_400);
  });

  it('caches 40 layers x 40 KV heads x 128 x 2 x 2 bytes per token', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(40 * 40 * 128 * 2 * 2);
  });
});

describe('OLMo-2-0325-32B (Olmo2ForCausalLM, GQA)', () => {
  const shape = modelShapeFromConfig(loadConfig('olmo-2-0325-32b'));
  const tensors = tensorsOf(shape);

  it('sizes attn_k_norm as n_head_kv x head (1024), not hidden_size', () => {
    expect(shape.layers[0]!.mixer).toMatchObject({ nHead: 40, nHeadKv: 8, headDimK: 128 });
    expect(listed(tensors, 0).filter((s) => s.startsWith('attn_'))).toEqual([
      'attn_q.weight 5120x5120',
      'attn_k.weight 5120x1024',
      'attn_v.weight 5120x1024',
      'attn_output.weight 5120x5120',
      'attn_q_norm.weight 5120',
      'attn_k_norm.weight 1024',
    ]);
  });

  it('counts 32,234,279,936 parameters, the Hub total', () => {
    expect(paramCounts(tensors, shape).total).toBe(32_234_279_936);
  });

  it('caches 64 layers x 8 KV heads x 128 x 2 x 2 bytes per token', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(64 * 8 * 128 * 2 * 2);
  });
});

describe('OLMo 3 windows (rule test: the 13B config as Olmo3ForCausalLM)', () => {
  const base = loadConfig('olmo-2-1124-13b');

  it('slides 3 of every 4 layers over sliding_window (olmo2.cpp: period 4, the bool array ignored)', () => {
    const shape = modelShapeFromConfig({ ...base, architectures: ['Olmo3ForCausalLM'], model_type: 'olmo3', sliding_window: 4096 });
    expect(shape.ggufArch).toBe('olmo2');
    expect(shape.layers.map((l) => (l.mixer.kind === 'attention' ? l.mixer.window : -1)).slice(0, 8)).toEqual([4096, 4096, 4096, null, 4096, 4096, 4096, null]);
    expect(shape.assumptions).toEqual([]);
  });

  it('takes Olmo3Config\'s default window of 4096 when the key is missing, and says so', () => {
    const shape = modelShapeFromConfig({ ...base, architectures: ['Olmo3ForCausalLM'], model_type: 'olmo3' });
    expect(shape.layers[0]!.mixer).toMatchObject({ window: 4096 });
    expect(shape.assumptions).toHaveLength(1);
  });
});
