/**
 * Mamba-2 (Mamba2ForCausalLM -> llama.cpp "mamba2"), from test/fixtures/configs/mamba-codestral-7b.json (a Hugging
 * Face staff conversion of mistralai/Mamba-Codestral-7B-v0.1) and mamba2-130m.json (a conversion of
 * state-spaces/mamba2-130m; URLs and changes in their _source).
 * Published count: Mamba-Codestral-7B-v0.1, 7,285,403,648 parameters (Mistral AI's announcement,
 * https://mistral.ai/news/codestral-mamba; "7B" on the Hub). The engine's figure is that integer exactly.
 * Published GGUF tensors: Ollama mahade315/mamba-codestral:7b-q4_K_M, https://ollama.com/mahade315/mamba-codestral:7b-q4_K_M/blobs/919888b99f46
 * (general.architecture mamba2, ssm.inner_size 8192, group_count 8, state_size 128, time_step_rank 128, conv_kernel 4;
 * token_embd [4096, 32768], blk.0.attn_norm [4096], blk.0.ssm_a [1, 128], blk.0.ssm_conv1d.bias [10240]; list truncated).
 * Tensors: src/models/mamba2.cpp load_arch_tensors; state: src/llama-hparams.cpp n_embd_r / n_embd_s (llama.cpp 3f545bec).
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { SizingError } from '../../../src/sizing/errors.ts';
import { loadConfig } from '../../fixtures/configs.ts';

const llama = { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' } as const;
const rows = (tensors: ReturnType<typeof tensorsOf>, il: number | null) =>
  tensors.filter((t) => t.layer === il).map((t) => `${t.name} ${t.dims.join('x')}`);

describe('Mamba-Codestral 7B (Mamba2ForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('mamba-codestral-7b'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "mamba2": 64 recurrent layers, untied, vocabulary 32768', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('mamba2');
    expect(shape.tiedEmbeddings).toBe(false);
    expect(shape.vocabSize).toBe(32768);
    expect(shape.layers).toHaveLength(64);
    expect(shape.layers.every((l) => l.mixer.kind === 'recurrent' && l.mixer.variant === 'mamba2')).toBe(true);
    // n_embd_r = (4 - 1) x (8192 + 2 x 8 x 128); n_embd_s = 128 x 8192.
    expect(shape.layers[0]!.mixer).toMatchObject({ stateElementsR: 3 * 10240, stateElementsS: 128 * 8192 });
  });

  it('writes the tensors of src/models/mamba2.cpp, matching the published GGUF', () => {
    expect(rows(tensors, null)).toEqual(['token_embd.weight 4096x32768', 'output_norm.weight 4096', 'output.weight 4096x32768']);
    expect(rows(tensors, 0)).toEqual([
      'blk.0.attn_norm.weight 4096',
      'blk.0.ssm_in.weight 4096x18560', // z 8192 + x|B|C 10240 + dt 128
      'blk.0.ssm_conv1d.weight 4x10240',
      'blk.0.ssm_conv1d.bias 10240',
      'blk.0.ssm_dt.bias 128',
      'blk.0.ssm_a 1x128',
      'blk.0.ssm_d 1x128',
      'blk.0.ssm_norm.weight 1024x8',
      'blk.0.ssm_out.weight 8192x4096',
    ]);
    expect(tensors).toHaveLength(3 + 64 * 9);
    const byName = new Map(tensors.map((t) => [t.name, t.dims]));
    expect(byName.get('token_embd.weight')).toEqual([4096, 32768]);
    expect(byName.get('blk.0.attn_norm.weight')).toEqual([4096]);
    expect(byName.get('blk.0.ssm_a')).toEqual([1, 128]);
    expect(byName.get('blk.0.ssm_conv1d.bias')).toEqual([10240]);
  });

  it('counts 7,285,403,648 parameters, as published', () => {
    const total = paramCounts(tensors, shape).total;
    const block = 4096 + 4096 * 18560 + 4 * 10240 + 10240 + 3 * 128 + 8192 + 8192 * 4096;
    expect(total).toBe(2 * 32768 * 4096 + 4096 + 64 * block);
    expect(total).toBe(7_285_403_648);
  });

  it('keeps in llama.cpp 64 F32 states of (3 x 10240) + (128 x 8192) values per sequence, no KV cache', () => {
    const kv = kvCache(shape, llama);
    expect(kv.perTokenBytes).toBe(0);
    expect(kv.groups).toEqual([
      expect.objectContaining({ label: 'recurrent', layers: 64, kBytes: 64 * 3 * 10240 * 4, vBytes: 64 * 128 * 8192 * 4 }),
    ]);
    expect(kv.bytes).toBe(276_299_776);
    expect(kvCache(shape, { ...llama, ctx: 262144 }).bytes).toBe(kv.bytes);
  });
});

describe('Mamba2 130M (Mamba2ForCausalLM, tied, no intermediate_size)', () => {
  const shape = modelShapeFromConfig(loadConfig('mamba2-130m'));
  const tensors = tensorsOf(shape);

  it('d_inner 2 x 768, 24 heads of 64, one group: ssm_norm {1536, 1}; no output.weight', () => {
    expect(shape.tiedEmbeddings).toBe(true);
    expect(shape.vocabSize).toBe(50288);
    expect(rows(tensors, null)).toEqual(['token_embd.weight 768x50288', 'output_norm.weight 768']);
    expect(rows(tensors, 0)).toContain('blk.0.ssm_in.weight 768x3352');
    expect(rows(tensors, 0)).toContain('blk.0.ssm_norm.weight 1536x1');
  });

  it('counts 128,989,632 parameters; state (3 x 1792 + 128 x 1536) x 4 bytes per layer', () => {
    const block = 768 + 768 * 3352 + 4 * 1792 + 1792 + 3 * 24 + 1536 + 1536 * 768;
    expect(paramCounts(tensors, shape).total).toBe(50288 * 768 + 768 + 24 * block);
    expect(paramCounts(tensors, shape).total).toBe(128_989_632);
    expect(kvCache(shape, llama).bytes).toBe(24 * (3 * 1792 + 128 * 1536) * 4);
  });
});

describe('Mamba-2: what the reader refuses', () => {
  it('a d_inner that is not expand x hidden is refused, as the converter asserts', () => {
    expect(() => modelShapeFromConfig({ ...loadConfig('mamba-codestral-7b'), intermediate_size: 4096 })).toThrow(SizingError);
  });
});
