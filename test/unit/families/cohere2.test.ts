/**
 * Cohere Command R7B (Cohere2ForCausalLM -> llama.cpp "cohere2"), from test/fixtures/configs/command-r7b-12-2024.json
 * (a derivative's verbatim copy; the official repo is gated; URL in _source).
 * Published count: CohereLabs/c4ai-command-r7b-12-2024 8,028,033,024, the Hub's safetensors total as recorded in
 * https://github.com/AlexsJones/llmfit/blob/5bdc9df9d8e28168fdc4650741be71b715a11fc6/llmfit-core/data/hf_models.json
 * (parameters_raw).
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

const listed = (tensors: { name: string; dims: number[]; layer: number | null }[], layer: number | null) =>
  tensors.filter((t) => t.layer === layer).map((t) => `${t.name.replace(/^blk\.\d+\./, '')} ${t.dims.join('x')}`);

describe('Command R7B 12-2024 (Cohere2ForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('command-r7b-12-2024'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "cohere2": three sliding layers (window 4096) then one full, period 4', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('cohere2');
    expect(shape.tiedEmbeddings).toBe(true);
    expect(shape.layers).toHaveLength(32);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 32, nHeadKv: 8, headDimK: 128, headDimV: 128, window: 4096, windowKind: 'sliding' });
    const full = shape.layers.filter((l) => l.mixer.kind === 'attention' && l.mixer.window === null).map((l) => l.index);
    expect(full).toEqual([3, 7, 11, 15, 19, 23, 27, 31]);
    // The config's sliding_window_pattern (4) agrees with llama.cpp: no note.
    expect(shape.assumptions).toEqual([]);
  });

  it('writes the tensors of src/models/cohere2.cpp: no biases (dropped by the converter), no output.weight', () => {
    expect(listed(tensors, null)).toEqual(['token_embd.weight 4096x256000', 'output_norm.weight 4096']);
    expect(listed(tensors, 3)).toEqual([
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
    expect(paramCounts(tensors, shape).total).toBe(8_028_033_024);
  });

  it('caches the full context on the 8 global layers and window + ubatch (padded to 256) on the 24 sliding ones', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 32768, seqs: 1, typeK: 'f16', typeV: 'f16' });
    const cell = 8 * 128 * 2 * 2; // K and V of one layer, f16
    expect(kv.perTokenBytes).toBe(8 * cell);
    expect(kv.groups.map((g) => [g.label, g.layers, g.cells])).toEqual([
      ['global', 8, 32768],
      ['sliding', 24, 4096 + 512],
    ]);
    expect(kv.bytes).toBe(8 * 32768 * cell + 24 * 4608 * cell);
  });
});

describe('cohere2 sliding layout (rule test)', () => {
  it('keeps llama.cpp\'s period of 4 and says so when the config asks for another', () => {
    const shape = modelShapeFromConfig({ ...loadConfig('command-r7b-12-2024'), sliding_window_pattern: 6 });
    expect(shape.layers[3]!.mixer).toMatchObject({ window: null });
    expect(shape.layers[5]!.mixer).toMatchObject({ window: 4096 });
    expect(shape.assumptions).toHaveLength(1);
  });
});
