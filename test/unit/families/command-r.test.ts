/**
 * Cohere Command R family (CohereForCausalLM -> llama.cpp "command-r"): Aya 23 8B from
 * test/fixtures/configs/aya-23-8b.json (mlc-llm's copy of the config) and Command R v01 35B from
 * test/fixtures/configs/command-r-v01.json (a full fine-tune's copy; the official repo is gated). URLs in _source.
 *
 * Published counts: CohereLabs/aya-23-8B 8,028,033,024, the Hub's safetensors total as recorded in
 * https://github.com/AlexsJones/llmfit/blob/5bdc9df9d8e28168fdc4650741be71b715a11fc6/llmfit-core/data/hf_models.json
 * (parameters_raw); c4ai-command-r-v01 34.981 billion, Open LLM Leaderboard request file
 * https://huggingface.co/datasets/open-llm-leaderboard/requests/blob/bb568ab3807ce6507ae28df68d3aec9d37c10c20/CohereForAI/c4ai-command-r-v01_eval_request_False_float16_Original.json.
 * GGUF tensor names of the real v01 checkpoint (8 per block, output_norm, no output.weight, no ffn_norm):
 * https://github.com/ollama/ollama/blob/fb30760996871fa9460115c753afd2c60d4ab0f7/convert/testdata/c4ai-command-r-v01.json
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

const listed = (tensors: { name: string; dims: number[]; layer: number | null }[], layer: number | null) =>
  tensors.filter((t) => t.layer === layer).map((t) => `${t.name.replace(/^blk\.\d+\./, '')} ${t.dims.join('x')}`);

describe('Aya 23 8B (CohereForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('aya-23-8b'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "command-r": 32 layers of 32 / 8 heads of 128, head tied', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('command-r');
    expect(shape.tiedEmbeddings).toBe(true);
    expect(shape.layers).toHaveLength(32);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 32, nHeadKv: 8, headDimK: 128, headDimV: 128, window: null });
  });

  it('writes the tensors of src/models/command-r.cpp: one norm per parallel block, no ffn_norm, no output.weight', () => {
    expect(listed(tensors, null)).toEqual(['token_embd.weight 4096x256000', 'output_norm.weight 4096']);
    expect(listed(tensors, 0)).toEqual([
      'attn_norm.weight 4096',
      'attn_q.weight 4096x4096',
      'attn_k.weight 4096x1024',
      'attn_v.weight 4096x1024',
      'attn_output.weight 4096x4096',
      'ffn_gate.weight 4096x14336',
      'ffn_down.weight 14336x4096',
      'ffn_up.weight 4096x14336',
    ]);
    expect(tensors).toHaveLength(2 + 32 * 8);
  });

  it('counts 8,028,033,024 parameters, the Hub total', () => {
    const total = paramCounts(tensors, shape).total;
    expect(total).toBe(32 * (2 * 4096 ** 2 + 2 * 4096 * 1024 + 3 * 4096 * 14336 + 4096) + 256000 * 4096 + 4096);
    expect(total).toBe(8_028_033_024);
  });

  it('caches 32 layers x 8 KV heads x 128 x 2 (K, V) x 2 bytes per token in llama.cpp', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 8192, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(32 * 8 * 128 * 2 * 2);
  });
});

describe('Command R v01 35B (CohereForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('command-r-v01'));
  const tensors = tensorsOf(shape);

  it('reads 40 MHA layers of 64 heads of 128 and the 128k context of model_max_length', () => {
    expect(shape.ggufArch).toBe('command-r');
    expect(shape.maxContext).toBe(131072);
    expect(shape.layers[0]!.mixer).toMatchObject({ nHead: 64, nHeadKv: 64, headDimK: 128 });
    // The real checkpoint's GGUF: 40 blocks of 8 tensors and output_norm (ollama testdata lists 321 besides token_embd).
    expect(tensors.filter((t) => t.name !== 'token_embd.weight')).toHaveLength(321);
  });

  it('counts 34.981 billion parameters, as published (within 0.5%)', () => {
    const total = paramCounts(tensors, shape).total;
    expect(total).toBe(40 * (4 * 8192 ** 2 + 3 * 8192 * 22528 + 8192) + 256000 * 8192 + 8192);
    expect(Math.abs(total / 34.981e9 - 1)).toBeLessThan(0.005);
  });

  it('caches 40 layers x 64 KV heads x 128 x 2 x 2 bytes per token (no GQA)', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(40 * 64 * 128 * 2 * 2);
  });
});

describe('Command R+ layout (rule test: the Aya 23 config at 64 layers)', () => {
  it('adds the per-head q/k norms llama.cpp requires from 64 layers on, after attn_norm', () => {
    const shape = modelShapeFromConfig({ ...loadConfig('aya-23-8b'), num_hidden_layers: 64 });
    expect(listed(tensorsOf(shape), 0).slice(0, 4)).toEqual([
      'attn_norm.weight 4096',
      'attn_q_norm.weight 128x32',
      'attn_k_norm.weight 128x8',
      'attn_q.weight 4096x4096',
    ]);
    // use_qk_norm false in the config: llama.cpp keys the norms on depth, and says so.
    expect(shape.assumptions.some((a) => a.includes('use_qk_norm'))).toBe(true);
  });
});
