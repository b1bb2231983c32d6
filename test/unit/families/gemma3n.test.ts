/**
 * Gemma 3n E2B / E4B (Gemma3nForConditionalGeneration -> llama.cpp "gemma3n"), text model, from
 * test/fixtures/configs/gemma-3n-e2b.json and gemma-3n-e4b.json (reconstructed: no verbatim config.json was found;
 * sources in their _source).
 * Published counts: the text-only GGUFs are labelled 4.5B (E2B) and 6.9B (E4B) by LM Studio, whose GGUFs "are
 * currently text-only" (https://lmstudio.ai/models/google/gemma-3n-e2b, https://lmstudio.ai/models/google/gemma-3n-e4b).
 * The engine's figures round to those labels (E4B within 0.5%; E2B 4.458 B, 0.9% under the rounded 4.5).
 * Tensors: src/models/gemma3n.cpp load_arch_tensors; KV reuse: src/llama-model.cpp (gemma3n / gemma4 reuse callback,
 * n_layer_kv_from_start = 20 hard-coded in gemma3n.cpp), llama.cpp 3f545bec.
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import type { HfConfig, StandardAttention } from '../../../src/sizing/types.ts';
import { loadConfig } from '../../fixtures/configs.ts';

const llama = (ctx: number) => ({ runtime: 'llama.cpp', ctx, seqs: 1, typeK: 'f16', typeV: 'f16' }) as const;
const rows = (tensors: ReturnType<typeof tensorsOf>, il: number | null) =>
  tensors.filter((t) => t.layer === il).map((t) => `${t.name.replace(/^blk\.\d+\./, '')} ${t.dims.join('x')}`);
const withText = (id: string, patch: Record<string, unknown>): HfConfig => {
  const c = loadConfig(id);
  return { ...c, text_config: { ...(c['text_config'] as Record<string, unknown>), ...patch } };
};

/** One gemma3n block's parameters: h 2048, 8 heads / 2 KV heads of 256, MLP ff, per-layer 256, altup 4, laurel 64. */
function block(ff: number): number {
  const h = 2048;
  const attention = h * 2048 + 2 * h * 512 + 2048 * h + 2 * 256;
  const norms = 5 * h; // attn_norm, post_attention_norm, ffn_norm, post_ffw_norm, post_norm
  const perLayer = 2 * h * 256;
  const altup = 16 + h + 64 + 4 * h + h; // correct_coef, correct_scale, predict_coef, router, router_norm
  const laurel = 2 * h * 64 + h;
  return attention + norms + 3 * h * ff + perLayer + altup + laurel;
}
/** Globals: token_embd and the per-layer table padded to 262400 rows, AltUp projections, per-layer projection, norms. */
const globals = (layers: number) => 2048 * 262400 + 2 * 3 * 2048 * 2048 + 256 * layers * 262400 + 2048 * 256 * layers + 256 + 2048;

describe('Gemma 3n E4B (Gemma3nForConditionalGeneration)', () => {
  const shape = modelShapeFromConfig(loadConfig('gemma-3n-e4b'));
  const tensors = tensorsOf(shape);
  const mixer = (il: number) => shape.layers[il]!.mixer as StandardAttention;

  it('reads exactly, as llama.cpp arch "gemma3n": 35 layers, every 5th full, window 512; tied; vocabulary 262400', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('gemma3n');
    expect(shape.tiedEmbeddings).toBe(true);
    expect(shape.vocabSize).toBe(262400);
    expect(shape.layers).toHaveLength(35);
    expect(shape.layers.filter((l) => (l.mixer as StandardAttention).window === null).map((l) => l.index)).toEqual([4, 9, 14, 19, 24, 29, 34]);
    expect(mixer(0)).toEqual({ kind: 'attention', nHead: 8, nHeadKv: 2, headDimK: 256, headDimV: 256, window: 512, windowKind: 'sliding' });
    expect(shape.assumptions).toEqual([]);
  });

  it('layers 20-34 reuse the cache of layer 18 (sliding) or 19 (full): n_layer_kv_from_start = 20', () => {
    expect(shape.layers.slice(0, 20).every((l) => (l.mixer as StandardAttention).kvSharedFrom === undefined)).toBe(true);
    for (const l of shape.layers.slice(20)) {
      const m = l.mixer as StandardAttention;
      expect(m.kvSharedFrom).toBe(m.window === null ? 19 : 18);
    }
  });

  it('writes the globals of src/models/gemma3n.cpp: AltUp projections and the padded per-layer table', () => {
    expect(rows(tensors, null)).toEqual([
      'token_embd.weight 2048x262400',
      'altup_proj.weight 2048x2048x3',
      'altup_unembd_proj.weight 2048x2048x3',
      'per_layer_token_embd.weight 8960x262400',
      'per_layer_model_proj.weight 2048x8960',
      'per_layer_proj_norm.weight 256',
      'output_norm.weight 2048',
    ]);
  });

  it('writes a block with per-layer input, AltUp and LAuReL tensors; a KV-shared layer still has attn_k / attn_v', () => {
    expect(rows(tensors, 0)).toEqual([
      'attn_norm.weight 2048',
      'attn_q.weight 2048x2048',
      'attn_k.weight 2048x512',
      'attn_v.weight 2048x512',
      'attn_output.weight 2048x2048',
      'attn_q_norm.weight 256',
      'attn_k_norm.weight 256',
      'post_attention_norm.weight 2048',
      'ffn_norm.weight 2048',
      'ffn_gate.weight 2048x16384',
      'ffn_up.weight 2048x16384',
      'ffn_down.weight 16384x2048',
      'post_ffw_norm.weight 2048',
      'inp_gate.weight 2048x256',
      'proj.weight 256x2048',
      'post_norm.weight 2048',
      'altup_correct_coef.weight 4x4',
      'altup_correct_scale.weight 2048',
      'altup_predict_coef.weight 4x16',
      'altup_router.weight 2048x4',
      'altup_router_norm.weight 2048',
      'laurel_l.weight 2048x64',
      'laurel_r.weight 64x2048',
      'laurel_post_norm.weight 2048',
    ]);
    expect(rows(tensors, 34)).toEqual(rows(tensors, 0));
    expect(tensors).toHaveLength(7 + 35 * 24);
  });

  it('counts 6,868,990,448 parameters: the 6.9B of the text-only GGUF, within 0.5%', () => {
    const total = paramCounts(tensors, shape).total;
    expect(total).toBe(globals(35) + 35 * block(16384));
    expect(total).toBe(6_868_990_448);
    expect(Math.abs(total / 6.9e9 - 1)).toBeLessThan(0.005);
  });

  /*
   * llama.cpp, f16: layers 0-19 own a cache: 4 full (4, 9, 14, 19) of 2 x 256 for K and V = 4 x 2 x 512 x 2 B =
   * 8192 B per token; 16 sliding layers of 512 + 512 cells.
   */
  it('llama.cpp caches 20 layers: 8192 B/token (4 full) and 16 sliding windows', () => {
    const kv = kvCache(shape, llama(32768));
    expect(kv.perTokenBytes).toBe(4 * 2 * 512 * 2);
    expect(kv.groups.map((g) => [g.label, g.layers, g.cells])).toEqual([
      ['global', 4, 32768],
      ['sliding', 16, 1024],
    ]);
    expect(kv.bytes).toBe(32768 * 8192 + 16 * 2 * 512 * 2 * 1024);
  });

  it('vLLM and transformers skip the 15 shared layers as well', () => {
    const tf = kvCache(shape, { runtime: 'transformers', ctx: 4096, seqs: 1, typeK: 'bf16', typeV: 'bf16' });
    expect(tf.groups.reduce((n, g) => n + g.layers, 0)).toBe(20);
  });
});

describe('Gemma 3n E2B (30 layers, MLP 8192, 10 KV-shared layers)', () => {
  const shape = modelShapeFromConfig(loadConfig('gemma-3n-e2b'));
  const tensors = tensorsOf(shape);

  it('the same cache-owning layers 0-19 (30 - 10); layers 20-29 reuse 18 / 19', () => {
    expect(shape.layers).toHaveLength(30);
    expect((shape.layers[29]!.mixer as StandardAttention).kvSharedFrom).toBe(19);
    expect((shape.layers[20]!.mixer as StandardAttention).kvSharedFrom).toBe(18);
    expect(kvCache(shape, llama(4096)).perTokenBytes).toBe(4 * 2 * 512 * 2);
  });

  it('counts 4,458,122,848 parameters: the 4.5B of the text-only GGUF, to its one decimal', () => {
    const total = paramCounts(tensors, shape).total;
    expect(total).toBe(globals(30) + 30 * block(8192));
    expect(total).toBe(4_458_122_848);
    expect(Math.round(total / 1e8) / 10).toBe(4.5);
  });
});

describe('Gemma 3n: configs llama.cpp would not load', () => {
  it('intermediate_size given per layer (the released form) reads the same', () => {
    const s = modelShapeFromConfig(withText('gemma-3n-e2b', { intermediate_size: Array.from({ length: 30 }, () => 8192) }));
    expect(paramCounts(tensorsOf(s), s).total).toBe(4_458_122_848);
  });

  it('a laurel_rank other than 64 is stated: llama.cpp takes 64 as a constant', () => {
    const s = modelShapeFromConfig(withText('gemma-3n-e4b', { laurel_rank: 32 }));
    expect(s.assumptions.join(' ')).toContain('laurel_rank');
  });

  it('a KV-sharing count not leaving 20 owners is stated: llama.cpp hard-codes 20', () => {
    const s = modelShapeFromConfig(withText('gemma-3n-e4b', { num_kv_shared_layers: 10 }));
    expect(s.assumptions.join(' ')).toContain('num_kv_shared_layers');
    expect((s.layers[20]!.mixer as StandardAttention).kvSharedFrom).toBe(18);
  });
});
