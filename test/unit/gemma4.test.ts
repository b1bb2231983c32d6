/**
 * Gemma 4 (llama.cpp arch "gemma4"): 31B dense, 26B-A4B MoE and the small E2B / E4B (per-layer embeddings, KV
 * sharing), every figure worked out by hand from the fixture configs (test/fixtures/configs/gemma-4-*.json). Rules:
 * src/models/gemma4.cpp (load_arch_hparams / load_arch_tensors, graph), src/llama-model.cpp (the gemma3n / gemma4 KV
 * reuse callback) and conversion/gemma.py Gemma4Model in ggml-org/llama.cpp (3f545bec).
 * Published counts for E2B / E4B: 5,123,178,051 and 7,996,156,490, the Hub safetensors totals of google/gemma-4-E2B-it
 * and google/gemma-4-E4B-it (text + vision + audio) as scraped into
 * https://github.com/AlexsJones/llmfit/blob/a3e0eb27c57fe05298292f4c61699b9aed2824ea/llmfit-core/data/hf_models.json
 * (field parameters_raw). KV-sharing donors and cache counts as Ollama's Gemma 4 runner tests them
 * (https://github.com/ollama/ollama/blob/505e35f2b97d7b5a72581d71df5a80838ba5c3c6/x/models/gemma4/gemma4_test.go:
 * E2B KVShareMap[15] = 13, [19] = [34] = 14, 15 caches; E4B KVShareMap[29] = 23, 24 caches).
 */
import { describe, expect, it } from 'vitest';
import { SizingError } from '../../src/sizing/errors.ts';
import { kvCache, type KvOptions } from '../../src/sizing/memory/kv-cache.ts';
import { modelShapeFromConfig } from '../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../src/sizing/model/params.ts';
import { tensorsOf } from '../../src/sizing/model/tensors.ts';
import type { HfConfig, StandardAttention, TensorInfo } from '../../src/sizing/types.ts';
import { MiB } from '../../src/sizing/units.ts';
import { loadConfig } from '../fixtures/configs.ts';

const shapeOf = (id: string) => modelShapeFromConfig(loadConfig(id));
const llama = (ctx: number, extra: Partial<KvOptions> = {}): KvOptions => ({ runtime: 'llama.cpp', ctx, seqs: 1, typeK: 'f16', typeV: 'f16', ...extra });
const block = (tensors: TensorInfo[], il: number) =>
  tensors.filter((t) => t.layer === il).map((t) => [t.name.replace(`blk.${il}.`, ''), t.dims.join('x')].join(' '));
const withText = (id: string, patch: Record<string, unknown>): HfConfig => {
  const c = loadConfig(id);
  return { ...c, text_config: { ...(c['text_config'] as Record<string, unknown>), ...patch } };
};

describe('Gemma 4 31B (dense): layers', () => {
  const s = shapeOf('gemma-4-31b');

  it('gemma4, 60 layers: 5 sliding (window 1024) then 1 full, ten times; tied; 262144 context', () => {
    expect(s.ggufArch).toBe('gemma4');
    expect(s.layers).toHaveLength(60);
    const w = s.layers.map((l) => (l.mixer as StandardAttention).window);
    expect(w.filter((x) => x === null)).toHaveLength(10);
    expect(w.slice(0, 6)).toEqual([1024, 1024, 1024, 1024, 1024, null]);
    expect(w[59]).toBeNull();
    expect([s.tiedEmbeddings, s.maxContext, s.vocabSize, s.hiddenSize]).toEqual([true, 262144, 262144, 5376]);
    expect(s.assumptions).toEqual([]);
  });

  it('sliding layers: 32 heads, 16 KV heads of 256; full layers: 4 KV heads of 512, V from K', () => {
    expect(s.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 32, nHeadKv: 16, headDimK: 256, headDimV: 256, window: 1024, windowKind: 'sliding' });
    expect(s.layers[5]!.mixer).toEqual({ kind: 'attention', nHead: 32, nHeadKv: 4, headDimK: 512, headDimV: 512, window: null, valueFromKey: true });
    expect(s.layers[5]!.ffn).toEqual({ kind: 'dense', ff: 21504, gated: true });
  });
});

describe('Gemma 4 31B: tensors as the GGUF has them', () => {
  const t = tensorsOf(shapeOf('gemma-4-31b'));

  it('833 tensors (bartowski google_gemma-4-31B-it-Q8_0.gguf: 833): 3 global + 50 x 14 + 10 x 13', () => {
    expect(t).toHaveLength(833);
    expect(t.filter((x) => x.layer === null).map((x) => [x.name, x.dims])).toEqual([
      ['token_embd.weight', [5376, 262144]],
      ['output_norm.weight', [5376]],
      ['rope_freqs.weight', [256]], // global_head_dim / 2, proportional RoPE of the full layers
    ]);
  });

  it('a sliding layer: q 32 x 256, k / v 16 x 256, q/k norms of 256, sandwich norms, the layer scalar', () => {
    expect(block(t, 0)).toEqual([
      'attn_norm.weight 5376',
      'attn_q.weight 5376x8192',
      'attn_k.weight 5376x4096',
      'attn_v.weight 5376x4096',
      'attn_output.weight 8192x5376',
      'attn_q_norm.weight 256',
      'attn_k_norm.weight 256',
      'post_attention_norm.weight 5376',
      'ffn_norm.weight 5376',
      'ffn_gate.weight 5376x21504',
      'ffn_down.weight 21504x5376',
      'ffn_up.weight 5376x21504',
      'post_ffw_norm.weight 5376',
      'layer_output_scale.weight 1',
    ]);
  });

  it('a full layer: q 32 x 512, k 4 x 512, no attn_v (attention_k_eq_v), q/k norms of 512', () => {
    const b = block(t, 5);
    expect(b.slice(0, 6)).toEqual([
      'attn_norm.weight 5376',
      'attn_q.weight 5376x16384',
      'attn_k.weight 5376x2048',
      'attn_output.weight 16384x5376',
      'attn_q_norm.weight 512',
      'attn_k_norm.weight 512',
    ]);
    expect(b.some((x) => x.startsWith('attn_v'))).toBe(false);
    expect(b).toHaveLength(13);
  });

  it('without attention_k_eq_v the full layers keep attn_v {5376, 2048}', () => {
    const t2 = tensorsOf(modelShapeFromConfig(withText('gemma-4-31b', { attention_k_eq_v: false })));
    expect(t2).toHaveLength(843);
    expect(t2.find((x) => x.name === 'blk.5.attn_v.weight')?.dims).toEqual([5376, 2048]);
  });
});

describe('Gemma 4 parameter counts', () => {
  /*
   * 31B by hand (h 5376, vocab 262144, tied):
   *   embedding 262144 x 5376 = 1,409,286,144; output_norm 5376; rope_freqs 256
   *   sliding layer: attention 5376 x (8192 + 4096 + 4096) + 8192 x 5376 = 132,120,576; MLP 3 x 5376 x 21504 = 346,816,512;
   *     norms 4 x 5376 + 2 x 256 = 22,016; scalar 1  -> 478,959,105
   *   full layer: 5376 x (16384 + 2048) + 16384 x 5376 = 187,170,816; MLP 346,816,512; norms 4 x 5376 + 2 x 512; 1 -> 534,009,857
   *   total = 1,409,286,144 + 5376 + 256 + 50 x 478,959,105 + 10 x 534,009,857 = 30,697,345,596 (model card: 30.7B)
   */
  it('31B: 30,697,345,596 (published 30.7B)', () => {
    const s = shapeOf('gemma-4-31b');
    const c = paramCounts(tensorsOf(s), s);
    expect(c.total).toBe(30_697_345_596);
    expect(c.active).toBe(c.total);
    expect(c.embedding).toBe(1_409_286_144);
    expect(Math.round(c.total / 1e8) / 10).toBe(30.7);
  });

  /*
   * 26B-A4B by hand (h 2816, 30 layers, 128 experts of 704, top 8, dense MLP 2112 in every layer):
   *   embedding 262144 x 2816 = 738,197,504; output_norm 2816; rope_freqs 256
   *   sliding attention 2816 x (4096 + 2048 + 2048) + 4096 x 2816 = 34,603,008; full 2816 x (8192 + 1024) + 8192 x 2816 = 49,020,928
   *   dense MLP 3 x 2816 x 2112 = 17,842,176
   *   MoE: router 2816 x 128 + its scale 2816; gate_up 2816 x 1408 x 128 = 507,510,784; down 704 x 2816 x 128 = 253,755,392;
   *        per-expert scale 128; 3 norms 8448 -> 761,638,016
   *   norms 4 x 2816 + q/k norms (512 sliding, 1024 full) + the scalar
   *   sliding layer 814,094,977; full layer 828,513,409
   *   total = 738,197,504 + 3072 + 25 x 814,094,977 + 5 x 828,513,409 = 25,233,142,046 (model card: 25.2B)
   *   active = total - 30 x (507,510,784 + 253,755,392) x 120/128 = 3,822,530,846 (model card: 3.8B active)
   */
  it('26B-A4B: 25,233,142,046 total, 3,822,530,846 active (published 25.2B / 3.8B)', () => {
    const s = shapeOf('gemma-4-26b-a4b');
    const c = paramCounts(tensorsOf(s), s);
    expect(c.total).toBe(25_233_142_046);
    expect(c.active).toBe(25_233_142_046 - 30 * (507_510_784 + 253_755_392) * 120 / 128);
    expect(c.active).toBe(3_822_530_846);
    expect(Math.round(c.total / 1e8) / 10).toBe(25.2);
    expect(Math.round(c.active / 1e8) / 10).toBe(3.8);
  });
});

describe('Gemma 4 26B-A4B (MoE): layers and tensors', () => {
  const s = shapeOf('gemma-4-26b-a4b');
  const t = tensorsOf(s);

  it('30 layers, full every 6th; 16 heads, 8 KV heads of 256 (sliding) / 2 of 512 (full)', () => {
    expect(s.layers.filter((l) => (l.mixer as StandardAttention).window === null).map((l) => l.index)).toEqual([5, 11, 17, 23, 29]);
    expect(s.layers[0]!.mixer).toMatchObject({ nHead: 16, nHeadKv: 8, headDimK: 256, window: 1024 });
    expect(s.layers[29]!.mixer).toMatchObject({ nHead: 16, nHeadKv: 2, headDimK: 512, window: null, valueFromKey: true });
    for (const l of s.layers) expect(l.ffn).toEqual({ kind: 'moe', nExpert: 128, nExpertUsed: 8, expertFf: 704, nSharedExpert: 1, sharedFf: 2112, gated: true });
  });

  it('658 tensors (gemma-4-26B-A4B GGUFs: 658): the dense ones plus 8 MoE tensors per layer', () => {
    expect(t).toHaveLength(658);
  });

  it('an MoE layer: dense MLP kept, router with its scale, fused gate_up experts, per-expert down scale, numbered norms', () => {
    expect(block(t, 5).slice(6)).toEqual([
      'post_attention_norm.weight 2816',
      'ffn_norm.weight 2816',
      'ffn_gate.weight 2816x2112',
      'ffn_up.weight 2816x2112',
      'ffn_down.weight 2112x2816',
      'post_ffw_norm_1.weight 2816',
      'ffn_gate_inp.weight 2816x128',
      'ffn_gate_inp.scale 2816',
      'pre_ffw_norm_2.weight 2816',
      'ffn_gate_up_exps.weight 2816x1408x128',
      'ffn_down_exps.weight 704x2816x128',
      'ffn_down_exps.scale 128',
      'post_ffw_norm_2.weight 2816',
      'post_ffw_norm.weight 2816',
      'layer_output_scale.weight 1',
    ]);
    expect(t.filter((x) => x.name.startsWith('blk.5.attn_')).map((x) => [x.name, x.dims.join('x')])).toEqual([
      ['blk.5.attn_norm.weight', '2816'],
      ['blk.5.attn_q.weight', '2816x8192'],
      ['blk.5.attn_k.weight', '2816x1024'],
      ['blk.5.attn_output.weight', '8192x2816'],
      ['blk.5.attn_q_norm.weight', '512'],
      ['blk.5.attn_k_norm.weight', '512'],
    ]);
  });
});

describe('Gemma 4 KV cache in llama.cpp (iSWA: full layers cache the context, sliding layers n_swa + n_ubatch cells)', () => {
  /*
   * 31B, f16: a full layer caches K and V of 4 x 512 = 2048 each (V is cached although it comes from K):
   *   10 x 2 x 2048 x 2 B = 81,920 B per token of context (80 KiB).
   *   sliding: 50 x 2 x 16 x 256 x 2 B = 819,200 B per cell, 1024 + 512 = 1536 cells = 1200 MiB whatever the context.
   *   At 32768: 2560 MiB + 1200 MiB = 3760 MiB.
   */
  it('31B: 81,920 B/token; 3760 MiB at 32768 (2560 global + 1200 sliding)', () => {
    const r = kvCache(shapeOf('gemma-4-31b'), llama(32768));
    expect(r.perTokenBytes).toBe(10 * 2 * 4 * 512 * 2);
    expect(r.groups.map((g) => [g.label, g.layers, g.cells, g.bytes / MiB])).toEqual([
      ['global', 10, 32768, 2560],
      ['sliding', 50, 1536, 1200],
    ]);
    expect(r.bytes / MiB).toBe(3760);
  });

  /*
   * 26B-A4B, f16: 5 x 2 x 2 x 512 x 2 B = 20,480 B/token; sliding 25 x 2 x 8 x 256 x 2 B x 1536 = 300 MiB.
   * At 262144 (the trained context): 5120 MiB + 300 MiB.
   */
  it('26B-A4B: 20,480 B/token; 5420 MiB at 262144', () => {
    const r = kvCache(shapeOf('gemma-4-26b-a4b'), llama(262144));
    expect(r.perTokenBytes).toBe(20480);
    expect(r.groups.map((g) => [g.label, g.layers, g.cells, g.bytes / MiB])).toEqual([
      ['global', 5, 262144, 5120],
      ['sliding', 25, 1536, 300],
    ]);
  });

  it('--swa-full: every layer caches the whole context', () => {
    const r = kvCache(shapeOf('gemma-4-26b-a4b'), llama(8192, { swaFull: true }));
    expect(r.bytes).toBe(8192 * (5 * 2 * 2 * 512 * 2 + 25 * 2 * 8 * 256 * 2));
  });
});

describe('Gemma 4: what the reader refuses or assumes', () => {
  it('a KV-sharing count that leaves fewer than 2 cache-owning layers is refused, naming the key', () => {
    try {
      modelShapeFromConfig(withText('gemma-4-31b', { num_kv_shared_layers: 59 }));
      throw new Error('expected a SizingError');
    } catch (e) {
      expect(e).toBeInstanceOf(SizingError);
      expect((e as Error).message).toContain('num_kv_shared_layers');
    }
  });

  it('without layer_types: every 6th layer full, stated as an assumption', () => {
    const s = modelShapeFromConfig(withText('gemma-4-26b-a4b', { layer_types: null }));
    expect(s.layers.filter((l) => (l.mixer as StandardAttention).window === null).map((l) => l.index)).toEqual([5, 11, 17, 23, 29]);
    expect(s.assumptions.join(' ')).toContain('layer_types');
  });

  it('Gemma4ForCausalLM (a text-only config) reads the same', () => {
    const c = loadConfig('gemma-4-31b');
    const text = { ...(c['text_config'] as Record<string, unknown>), architectures: ['Gemma4ForCausalLM'] };
    const s = modelShapeFromConfig(text);
    expect(paramCounts(tensorsOf(s), s).total).toBe(30_697_345_596);
  });
});

describe('Gemma 4 E2B (per-layer embeddings, 20 KV-shared layers, double-wide MLP on them)', () => {
  const s = shapeOf('gemma-4-e2b');
  const t = tensorsOf(s);
  const mixer = (il: number) => s.layers[il]!.mixer as StandardAttention;

  it('reads exactly: 35 layers, 4 sliding (window 512) then 1 full; heads 8, 1 KV head of 256 / 512; tied', () => {
    expect(s.reading).toEqual({ kind: 'exact' });
    expect(s.ggufArch).toBe('gemma4');
    expect(s.layers).toHaveLength(35);
    expect(s.layers.filter((l) => (l.mixer as StandardAttention).window === null).map((l) => l.index)).toEqual([4, 9, 14, 19, 24, 29, 34]);
    expect(mixer(0)).toEqual({ kind: 'attention', nHead: 8, nHeadKv: 1, headDimK: 256, headDimV: 256, window: 512, windowKind: 'sliding' });
    expect(mixer(4)).toEqual({ kind: 'attention', nHead: 8, nHeadKv: 1, headDimK: 512, headDimV: 512, window: null });
    expect([s.tiedEmbeddings, s.vocabSize, s.hiddenSize]).toEqual([true, 262144, 1536]);
    expect(s.assumptions).toEqual([]);
  });

  it('layers 15-34 reuse the cache of layer 13 (sliding) or 14 (full), as llama.cpp and Ollama pick them', () => {
    expect(s.layers.slice(0, 15).every((l) => (l.mixer as StandardAttention).kvSharedFrom === undefined)).toBe(true);
    expect([15, 19, 34].map((il) => mixer(il).kvSharedFrom)).toEqual([13, 14, 14]);
    for (const l of s.layers.slice(15)) {
      const m = l.mixer as StandardAttention;
      expect(m.kvSharedFrom).toBe(m.window === null ? 14 : 13);
    }
  });

  it('use_double_wide_mlp: the 20 shared layers have an MLP of 2 x 6144', () => {
    expect(s.layers[14]!.ffn).toEqual({ kind: 'dense', ff: 6144, gated: true });
    expect(s.layers[15]!.ffn).toEqual({ kind: 'dense', ff: 12288, gated: true });
  });

  it('globals: token_embd, the per-layer embedding table {256 x 35, vocab}, its projection and norm, output_norm, rope_freqs', () => {
    expect(t.filter((x) => x.layer === null).map((x) => `${x.name} ${x.dims.join('x')}`)).toEqual([
      'token_embd.weight 1536x262144',
      'per_layer_token_embd.weight 8960x262144',
      'per_layer_model_proj.weight 1536x8960',
      'per_layer_proj_norm.weight 256',
      'output_norm.weight 1536',
      'rope_freqs.weight 256',
    ]);
  });

  it('a block: the gemma4 block, then inp_gate / proj / post_norm; a KV-shared layer still carries attn_k / attn_v', () => {
    expect(block(t, 0)).toEqual([
      'attn_norm.weight 1536',
      'attn_q.weight 1536x2048',
      'attn_k.weight 1536x256',
      'attn_v.weight 1536x256',
      'attn_output.weight 2048x1536',
      'attn_q_norm.weight 256',
      'attn_k_norm.weight 256',
      'post_attention_norm.weight 1536',
      'ffn_norm.weight 1536',
      'ffn_gate.weight 1536x6144',
      'ffn_down.weight 6144x1536',
      'ffn_up.weight 1536x6144',
      'post_ffw_norm.weight 1536',
      'layer_output_scale.weight 1',
      'inp_gate.weight 1536x256',
      'proj.weight 256x1536',
      'post_norm.weight 1536',
    ]);
    expect(block(t, 34).slice(0, 7)).toEqual([
      'attn_norm.weight 1536',
      'attn_q.weight 1536x4096',
      'attn_k.weight 1536x512',
      'attn_v.weight 1536x512',
      'attn_output.weight 4096x1536',
      'attn_q_norm.weight 512',
      'attn_k_norm.weight 512',
    ]);
    expect(block(t, 34)).toContain('ffn_gate.weight 1536x12288');
    expect(t).toHaveLength(6 + 35 * 17);
  });

  /*
   * E2B by hand (h 1536, P 256, vocab 262144, 35 layers; full layers 4, 9, ..., 34; layers >= 15 MLP 12288):
   *   globals 262144 x 1536 + 262144 x 8960 + 1536 x 8960 + 256 + 1536 + 256 (rope_freqs)
   *   sliding attention 1536 x (2048 + 256 + 256) + 2048 x 1536 + 2 x 256; full 1536 x (4096 + 512 + 512) + 4096 x 1536 + 2 x 512
   *   MLP 3 x 1536 x ff; norms 4 x 1536; scalar 1; per-layer input 2 x 1536 x 256 + 1536
   */
  it('counts 4,647,450,147 parameters; the Hub total less the vision and audio towers', () => {
    const c = paramCounts(t, s);
    const h = 1536;
    const globals = 262144 * h + 262144 * 8960 + h * 8960 + 256 + h + 256;
    const attention = (full: boolean) => (full ? h * (4096 + 1024) + 4096 * h + 1024 : h * (2048 + 512) + 2048 * h + 512);
    const layer = (il: number) => attention(il % 5 === 4) + 3 * h * (il >= 15 ? 12288 : 6144) + 4 * h + 1 + 2 * h * 256 + h;
    expect(c.total).toBe(globals + Array.from({ length: 35 }, (_, il) => layer(il)).reduce((a, b) => a + b, 0));
    expect(c.total).toBe(4_647_450_147);
  });

  it('cross-check with E4B: the Hub totals less the text models (less rope_freqs, which only the GGUF has) leave vision + audio parts that differ by exactly the two projections into the text width, (768 + 1536) x (2560 - 1536)', () => {
    const text = (id: string) => {
      const shape = shapeOf(id);
      return paramCounts(tensorsOf(shape), shape).total - 256;
    };
    const towersE2B = 5_123_178_051 - text('gemma-4-e2b');
    const towersE4B = 7_996_156_490 - text('gemma-4-e4b');
    expect(towersE2B).toBe(475_728_160);
    expect(towersE4B - towersE2B).toBe((768 + 1536) * (2560 - 1536));
  });

  /*
   * llama.cpp, f16: only layers 0-14 own a cache (n_layer_kv_from_start = 35 - 20): 3 full layers (4, 9, 14) of
   * 1 x 512 for K and V: 3 x 2 x 512 x 2 B = 6144 B per token; 12 sliding layers of 1 x 256, 512 + 512 cells.
   */
  it('llama.cpp: 6144 B/token (3 full owners), 12 sliding owners, nothing for the 20 shared layers', () => {
    const r = kvCache(s, llama(32768));
    expect(r.perTokenBytes).toBe(3 * 2 * 512 * 2);
    expect(r.groups.map((g) => [g.label, g.layers, g.cells])).toEqual([
      ['global', 3, 32768],
      ['sliding', 12, 1024],
    ]);
    expect(r.bytes).toBe(32768 * 6144 + 12 * 2 * 256 * 2 * 1024);
  });

  it('transformers keeps 15 caches, as Ollama\'s runner does', () => {
    const r = kvCache(s, { runtime: 'transformers', ctx: 4096, seqs: 1, typeK: 'bf16', typeV: 'bf16' });
    expect(r.groups.reduce((n, g) => n + g.layers, 0)).toBe(15);
  });
});

describe('Gemma 4 E4B (18 KV-shared layers, no double-wide MLP)', () => {
  const s = shapeOf('gemma-4-e4b');

  it('42 layers, 5 sliding then 1 full, 2 KV heads; layers 24-41 reuse layer 22 (sliding) or 23 (full)', () => {
    expect(s.layers).toHaveLength(42);
    const m = (il: number) => s.layers[il]!.mixer as StandardAttention;
    expect(m(5)).toMatchObject({ nHeadKv: 2, headDimK: 512, window: null });
    expect([m(23).kvSharedFrom, m(24).kvSharedFrom, m(29).kvSharedFrom, m(41).kvSharedFrom]).toEqual([undefined, 22, 23, 23]);
    expect(s.layers.every((l) => l.ffn.kind === 'dense' && l.ffn.ff === 10240)).toBe(true);
  });

  it('counts 7,518,069,290 parameters; llama.cpp caches 24 layers: 4 full x 2 x 512 x 2 x 2 B = 16,384 B/token', () => {
    expect(paramCounts(tensorsOf(s), s).total).toBe(7_518_069_290);
    const r = kvCache(s, llama(8192));
    expect(r.perTokenBytes).toBe(4 * 2 * 2 * 512 * 2);
    expect(r.groups.reduce((n, g) => n + g.layers, 0)).toBe(24);
  });
});
