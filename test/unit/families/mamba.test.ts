/**
 * Mamba-1 (MambaForCausalLM -> llama.cpp "mamba"), from test/fixtures/configs/mamba-1.4b-hf.json (official
 * state-spaces/mamba-1.4b-hf) and mamba-2.8b.json (a Hugging Face staff conversion of state-spaces/mamba-2.8b; URLs in
 * their _source). Published counts:
 * - mamba-2.8b-hf: "params": 2.768 (billions), the Open PT-LLM Leaderboard request for state-spaces/mamba-2.8b-hf,
 *   https://huggingface.co/datasets/eduagarcia-temp/llm_pt_leaderboard_requests/commit/cdf590cccf899b178b006774171ba8388cbb2e42
 * - the per-tensor formula is also checked against the Hub safetensors totals of state-spaces/mamba-130m-hf
 *   (129,135,360) and state-spaces/mamba-370m-hf (371,516,416), as scraped into
 *   https://github.com/AlexsJones/llmfit/blob/a3e0eb27c57fe05298292f4c61699b9aed2824ea/llmfit-core/data/hf_models.json
 *   (field parameters_raw), with the sizes llama.cpp's mamba loader names for them (src/models/mamba.cpp: 24 layers x
 *   768 = SMALL, 48 x 1024 = MEDIUM).
 * Tensors: src/models/mamba.cpp load_arch_tensors; state: src/llama-hparams.cpp n_embd_r / n_embd_s (llama.cpp 3f545bec).
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { SizingError } from '../../../src/sizing/errors.ts';
import type { HfConfig } from '../../../src/sizing/types.ts';
import { loadConfig } from '../../fixtures/configs.ts';

const llama = { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' } as const;
const rows = (tensors: ReturnType<typeof tensorsOf>, il: number | null) =>
  tensors.filter((t) => t.layer === il).map((t) => `${t.name} ${t.dims.join('x')}`);

/** One Mamba-1 block's parameters, src/models/mamba.cpp: h hidden, d_inner 2h, state 16, conv 4, rank r. */
function mambaBlock(h: number, r: number): number {
  const d = 2 * h;
  return h + h * 2 * d + 4 * d + d + d * (r + 32) + r * d + d + 16 * d + d + d * h;
}

describe('Mamba 1.4B (MambaForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('mamba-1.4b-hf'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "mamba": 48 recurrent layers, no MLP, tied, vocabulary 50280 (already a multiple of 8)', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('mamba');
    expect(shape.tiedEmbeddings).toBe(true);
    expect(shape.vocabSize).toBe(50280);
    expect(shape.layers).toHaveLength(48);
    expect(shape.layers.every((l) => l.mixer.kind === 'recurrent' && l.mixer.variant === 'mamba')).toBe(true);
    expect(shape.layers[0]!.mixer).toMatchObject({ kind: 'recurrent', variant: 'mamba', stateElementsR: 3 * 4096, stateElementsS: 16 * 4096 });
    expect(shape.layers[0]!.ffn).toEqual({ kind: 'dense', ff: 0, gated: true });
    expect(shape.maxContext).toBe(2 ** 20);
  });

  it('writes the tensors of src/models/mamba.cpp: no output.weight (tied), 10 per block', () => {
    expect(rows(tensors, null)).toEqual(['token_embd.weight 2048x50280', 'output_norm.weight 2048']);
    expect(rows(tensors, 0)).toEqual([
      'blk.0.attn_norm.weight 2048',
      'blk.0.ssm_in.weight 2048x8192',
      'blk.0.ssm_conv1d.weight 4x4096',
      'blk.0.ssm_conv1d.bias 4096',
      'blk.0.ssm_x.weight 4096x160',
      'blk.0.ssm_dt.weight 128x4096',
      'blk.0.ssm_dt.bias 4096',
      'blk.0.ssm_a 16x4096',
      'blk.0.ssm_d 4096',
      'blk.0.ssm_out.weight 4096x2048',
    ]);
    expect(tensors).toHaveLength(2 + 48 * 10);
  });

  it('counts 1,372,178,432 parameters (tied embedding + 48 blocks + final norm)', () => {
    const total = paramCounts(tensors, shape).total;
    expect(total).toBe(50280 * 2048 + 48 * mambaBlock(2048, 128) + 2048);
    expect(total).toBe(1_372_178_432);
  });

  it('keeps in llama.cpp a recurrent state per layer of (d_conv - 1) x d_inner and d_state x d_inner F32 values, no KV', () => {
    const kv = kvCache(shape, llama);
    expect(kv.perTokenBytes).toBe(0);
    expect(kv.groups).toHaveLength(1);
    expect(kv.groups[0]).toMatchObject({ label: 'recurrent', layers: 48, kBytes: 48 * 3 * 4096 * 4, vBytes: 48 * 16 * 4096 * 4 });
    // The state does not grow with the context.
    expect(kvCache(shape, { ...llama, ctx: 65536 }).bytes).toBe(kv.bytes);
    expect(kv.bytes).toBe(48 * (3 + 16) * 4096 * 4);
  });

  it('two sequences keep two states', () => {
    expect(kvCache(shape, { ...llama, seqs: 2 }).bytes).toBe(2 * 48 * (3 + 16) * 4096 * 4);
  });
});

describe('Mamba 2.8B (MambaForCausalLM, no intermediate_size key)', () => {
  const shape = modelShapeFromConfig(loadConfig('mamba-2.8b'));
  const tensors = tensorsOf(shape);

  it('d_inner defaults to 2 x hidden (5120), dt_rank 160, 64 layers', () => {
    expect(shape.layers).toHaveLength(64);
    expect(rows(tensors, 0).slice(1, 6)).toEqual([
      'blk.0.ssm_in.weight 2560x10240',
      'blk.0.ssm_conv1d.weight 4x5120',
      'blk.0.ssm_conv1d.bias 5120',
      'blk.0.ssm_x.weight 5120x192',
      'blk.0.ssm_dt.weight 160x5120',
    ]);
  });

  it('counts 2,768,345,600 parameters: 2.768 B as published (leaderboard request for state-spaces/mamba-2.8b-hf)', () => {
    const total = paramCounts(tensors, shape).total;
    expect(total).toBe(50280 * 2560 + 64 * mambaBlock(2560, 160) + 2560);
    expect(total).toBe(2_768_345_600);
    expect(Math.round(total / 1e6) / 1e3).toBe(2.768);
  });

  it('recurrent state: 64 x (3 + 16) x 5120 x 4 bytes', () => {
    expect(kvCache(shape, llama).bytes).toBe(64 * (3 + 16) * 5120 * 4);
  });
});

describe('Mamba: the formula against the Hub totals of mamba-130m-hf and mamba-370m-hf', () => {
  const sized = (hidden: number, layers: number): HfConfig => {
    const c = loadConfig('mamba-1.4b-hf');
    return { ...c, hidden_size: hidden, d_model: hidden, intermediate_size: 2 * hidden, num_hidden_layers: layers, n_layer: layers, time_step_rank: Math.ceil(hidden / 16) };
  };
  it('24 x 768: 129,135,360 and 48 x 1024: 371,516,416, exactly', () => {
    for (const [h, n, published] of [[768, 24, 129_135_360], [1024, 48, 371_516_416]] as const) {
      const s = modelShapeFromConfig(sized(h, n));
      expect(paramCounts(tensorsOf(s), s).total).toBe(published);
    }
  });
});

describe('Mamba: what the reader refuses or assumes', () => {
  it('an expansion other than 2 is refused (llama.cpp: "only an expansion factor of 2 is supported")', () => {
    expect(() => modelShapeFromConfig({ ...loadConfig('mamba-1.4b-hf'), intermediate_size: 6144 })).toThrow(SizingError);
  });

  it('pads the vocabulary up to pad_vocab_size_multiple, as the converter does', () => {
    const s = modelShapeFromConfig({ ...loadConfig('mamba-1.4b-hf'), vocab_size: 50277 });
    expect(s.vocabSize).toBe(50280);
    expect(s.assumptions.join(' ')).toContain('padded to 50280');
  });

  it('an untied checkpoint writes output.weight', () => {
    const s = modelShapeFromConfig({ ...loadConfig('mamba-1.4b-hf'), tie_word_embeddings: false });
    expect(tensorsOf(s).filter((t) => t.layer === null).map((t) => t.name)).toEqual(['token_embd.weight', 'output_norm.weight', 'output.weight']);
  });
});
