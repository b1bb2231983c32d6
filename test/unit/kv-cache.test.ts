import { describe, expect, it } from 'vitest';
import { SizingError } from '../../src/sizing/errors.ts';
import { kvCache, kvCacheTextbook, vllmCapacity, vllmLayout, type KvOptions, type KvResult } from '../../src/sizing/memory/kv-cache.ts';
import { modelShapeFromConfig } from '../../src/sizing/model/model-shape.ts';
import type { ModelShape } from '../../src/sizing/types.ts';
import { GiB, MiB } from '../../src/sizing/units.ts';
import { loadConfig } from '../fixtures/configs.ts';
import { measuredRuns, optionsOf, printedMiB } from './llamacpp-loads.ts';

const shape = (id: string): ModelShape => modelShapeFromConfig(loadConfig(id));
const llama = (ctx: number, extra: Partial<KvOptions> = {}): KvOptions => ({
  runtime: 'llama.cpp',
  ctx,
  seqs: 1,
  typeK: 'f16',
  typeV: 'f16',
  ...extra,
});
const group = (r: KvResult, label: string) => {
  const g = r.groups.find((x) => x.label === label);
  if (!g) throw new Error(`no ${label} group in ${JSON.stringify(r.groups)}`);
  return g;
};

describe('llama.cpp KV cache vs every load of llamacpp-measured.json (2026-09-28, de3ff815)', () => {
  for (const run of measuredRuns()) {
    it(run.id, () => {
      const r = kvCache(run.shape, optionsOf(run.load));
      expect(printedMiB(r.bytes)).toBe(run.load.kv_buffer_MiB);
      // llama.cpp prints the non-SWA cache first, then the SWA cache.
      const attention = r.groups.filter((g) => g.label === 'global' || g.label === 'sliding');
      expect(attention.map((g) => g.label)).toEqual(run.load.kv_caches.length === 2 ? ['global', 'sliding'] : ['global']);
      run.load.kv_caches.forEach((want, i) => {
        const got = attention[i]!;
        expect({ cells: got.cells, layers: got.layers, k: printedMiB(got.kBytes), v: printedMiB(got.vBytes), size: printedMiB(got.bytes) }).toEqual({
          cells: want.cells,
          layers: want.layers,
          k: want.k_MiB,
          v: want.v_MiB,
          size: want.size_MiB,
        });
        expect(got.typeK).toBe(want.k_type);
        expect(got.typeV).toBe(want.v_type);
      });
      if (run.load.kv_swa_MiB !== null) expect(printedMiB(group(r, 'sliding').bytes)).toBe(run.load.kv_swa_MiB);
    });
  }
});

describe('llama.cpp sliding-window cells', () => {
  const gemma1b = shape('gemma-3-1b');
  it('Gemma-3-1B: SWA cache = pad256(min(n_ctx, 512 + n_ubatch)): 1024 cells at 4096, 512 at 512', () => {
    expect(group(kvCache(gemma1b, llama(4096)), 'sliding').cells).toBe(1024);
    expect(group(kvCache(gemma1b, llama(512)), 'sliding').cells).toBe(512);
    expect(group(kvCache(gemma1b, llama(4096, { ubatch: 128 })), 'sliding').cells).toBe(768);
  });
  it('Gemma-3-1B at q8_0: the measured build quantizes the SWA part (11.69 MiB), PR #21277 keeps it F16 (22 MiB)', () => {
    const q8 = llama(4096, { typeK: 'q8_0', typeV: 'q8_0' });
    expect(printedMiB(group(kvCache(gemma1b, q8), 'sliding').bytes)).toBe(11.69);
    const kept = kvCache(gemma1b, { ...q8, version: 'pr21277' });
    expect(printedMiB(group(kept, 'sliding').bytes)).toBe(22);
    expect(group(kept, 'global').typeK).toBe('q8_0');
  });
  it('Gemma-3-27B at 32768: 10 global x 32768 + 52 SWA x 1536 cells = 3184 MiB; --swa-full 15872 MiB', () => {
    const g = shape('gemma-3-27b');
    const r = kvCache(g, llama(32768));
    expect(r.bytes / MiB).toBe(3184);
    expect(group(r, 'sliding')).toMatchObject({ layers: 52, cells: 1536 });
    expect(group(r, 'global')).toMatchObject({ layers: 10, cells: 32768 });
    expect(kvCache(g, llama(32768, { swaFull: true })).bytes / MiB).toBe(15872);
    // Before PR #13194 every layer cached the whole context.
    expect(kvCache(g, llama(32768, { version: 'pre-pr13194' })).bytes / MiB).toBe(15872);
  });
  it('unified cache with 4 sequences: SWA = pad256(n_swa x 4 + n_ubatch)', () => {
    const r = kvCache(shape('gemma-3-27b'), llama(8192, { seqs: 4, unified: true }));
    expect(group(r, 'global').cells).toBe(32768);
    expect(group(r, 'sliding').cells).toBe(1024 * 4 + 512);
  });
  it('non-unified cache with 4 sequences: 4 streams, each with its own window', () => {
    const r = kvCache(shape('gemma-3-27b'), llama(8192, { seqs: 4 }));
    expect(group(r, 'global').cells).toBe(32768);
    expect(group(r, 'sliding').cells).toBe(4 * 1536);
  });
});

describe('llama.cpp: published logs and worked sizes', () => {
  it('Llama-2-7B, n_ctx 512, f16: 256 MiB', () => {
    expect(kvCache(shape('llama-2-7b'), llama(512)).bytes / MiB).toBe(256);
  });
  it('32 layers x 1024 (Mistral-7B class), f16: 256 MiB @2048, 4096 MiB @32768, K = V', () => {
    const m = shape('mistral-7b-v0.3');
    const a = kvCache(m, llama(2048, { flashAttn: false }));
    expect([a.bytes / MiB, group(a, 'global').kBytes / MiB, group(a, 'global').vBytes / MiB]).toEqual([256, 128, 128]);
    expect(kvCache(m, llama(32768, { flashAttn: false })).bytes / MiB).toBe(4096);
  });
  it('Qwen2.5-Coder-32B shape (64 layers x 1024), q8_0 at 32768: 4352 MiB, K 2176 MiB', () => {
    const r = kvCache(shape('qwen2.5-32b'), llama(32768, { typeK: 'q8_0', typeV: 'q8_0' }));
    expect(r.bytes / MiB).toBe(4352);
    expect(group(r, 'global').kBytes / MiB).toBe(2176);
  });
  it('DeepSeek-V3 (61 MLA layers), latent q8_0 at 32768: 1166.62 MiB, K only', () => {
    const d = shape('deepseek-v3');
    const r = kvCache(d, llama(32768, { typeK: 'q8_0', typeV: 'q8_0' }));
    expect(printedMiB(r.bytes)).toBe(1166.62);
    expect(group(r, 'mla')).toMatchObject({ layers: 61, vBytes: 0 });
    // f16: 1152 B per token per layer, 70272 B per token -> 4392 MiB at 65536.
    const f16 = kvCache(d, llama(65536));
    expect(f16.perTokenBytes).toBe(70272);
    expect(f16.bytes / MiB).toBe(4392);
    // Late-2025 builds also allocated V (512): 1088 elements per cell; older builds cached decompressed MHA.
    expect(kvCache(d, llama(1024, { version: '3514e9f6' })).perTokenBytes).toBe(61 * 2176);
    expect(kvCache(d, llama(1024, { version: 'pre-pr12801' })).perTokenBytes).toBe(61 * 2 * (24576 + 16384));
  });
  const table: [string, number, [number, number][]][] = [
    ['llama-3.1-8b', 131072, [[8192, 1024], [32768, 4096], [131072, 16384]]],
    ['llama-3.1-70b', 327680, [[8192, 2560], [32768, 10240], [131072, 40960]]],
    ['llama-2-7b', 524288, [[8192, 4096]]],
    ['qwen2.5-7b', 57344, [[8192, 448], [32768, 1792], [131072, 7168]]],
    ['qwen2.5-32b', 262144, [[8192, 2048], [32768, 8192]]],
  ];
  for (const [id, perToken, sizes] of table) {
    it(`${id}: ${perToken} B/token, ${sizes.map(([c, m]) => `${m} MiB @${c}`).join(', ')}`, () => {
      const s = shape(id);
      for (const [ctx, mib] of sizes) {
        const r = kvCache(s, llama(ctx));
        expect(r.bytes / MiB).toBe(mib);
        expect(r.perTokenBytes).toBe(perToken);
      }
    });
  }
  // GQA over the 46 (92) main layers only: llama.cpp builds no cache for the NextN block (n_layer() excludes it).
  it('GLM-4.5-Air: 46 layers x 2 x 8 KV heads x 128 x 2 B = 188416 B/token (184 KiB), 5888 MiB at 32768', () => {
    const r = kvCache(shape('glm-4.5-air'), llama(32768));
    expect(r.perTokenBytes).toBe(46 * 2 * 8 * 128 * 2);
    expect(group(r, 'global')).toMatchObject({ layers: 46, cells: 32768 });
    expect(r.bytes).toBe(32768 * 46 * 2 * 8 * 128 * 2);
    expect(r.bytes / MiB).toBe(5888);
  });
  it('GLM-4.5: 92 layers: 376832 B/token', () => {
    expect(kvCache(shape('glm-4.5'), llama(4096)).perTokenBytes).toBe(92 * 2 * 8 * 128 * 2);
  });
  it('pads the context to 256 cells: -c 35000 -> 35072 cells', () => {
    expect(group(kvCache(shape('llama-3.1-8b'), llama(35000)), 'global').cells).toBe(35072);
    // Older builds padded to 32 without flash attention.
    expect(group(kvCache(shape('llama-3.1-8b'), llama(1000, { flashAttn: false, version: 'pr13833' })), 'global').cells).toBe(1024);
    expect(group(kvCache(shape('llama-3.1-8b'), llama(1010, { flashAttn: false, version: 'pr13833' })), 'global').cells).toBe(1024);
    expect(group(kvCache(shape('llama-3.1-8b'), llama(1010, { flashAttn: true, version: 'pr13833' })), 'global').cells).toBe(1024);
    expect(group(kvCache(shape('llama-3.1-8b'), llama(1060, { flashAttn: false, version: 'pr13833' })), 'global').cells).toBe(1088);
  });
});

describe('llama.cpp: cache types and their rules', () => {
  const m = shape('llama-3.1-8b');
  it('quantized V without flash attention throws (field typeV); quantized K alone is allowed', () => {
    expect(() => kvCache(m, llama(4096, { typeV: 'q8_0', typeK: 'q8_0', flashAttn: false }))).toThrow(SizingError);
    try {
      kvCache(m, llama(4096, { typeV: 'q4_0', flashAttn: false }));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SizingError);
      expect((e as SizingError).message).toBe('quantized V cache requires flash attention in llama.cpp');
      expect((e as SizingError).field).toBe('typeV');
    }
    expect(kvCache(m, llama(4096, { typeK: 'q8_0', flashAttn: false })).bytes).toBe(32 * 4096 * (1088 + 2048));
  });
  it('row sizes follow ggml blocks: q4_0 18 B / 32, q5_1 24 B / 32, iq4_nl 18 B / 32, f32 4 B', () => {
    const per = (t: string) => kvCache(m, llama(256, { typeK: t, typeV: t })).perTokenBytes / 32 / 2;
    expect([per('q4_0'), per('q4_1'), per('q5_0'), per('q5_1'), per('iq4_nl'), per('f32'), per('bf16')]).toEqual([
      576, 640, 704, 768, 576, 4096, 2048,
    ]);
  });
  it('rejects an unknown cache type', () => {
    expect(() => kvCache(m, llama(256, { typeK: 'q4_k' }))).toThrow(/typeK|cache type/);
  });
  it('V rows are padded to the widest V when flash attention is off and widths differ', () => {
    const base = shape('llama-3.1-8b');
    const varied: ModelShape = {
      ...base,
      layers: base.layers.map((l, i) =>
        i === 0 && l.mixer.kind === 'attention' ? { ...l, mixer: { ...l.mixer, nHeadKv: 16 } } : l,
      ),
    };
    const fa = kvCache(varied, llama(256));
    const noFa = kvCache(varied, llama(256, { flashAttn: false }));
    // 31 layers' V grow from 1024 to 2048 elements (2 B each) over 256 cells.
    expect(noFa.bytes - fa.bytes).toBe(31 * 1024 * 2 * 256);
    expect(noFa.notes.join(' ')).toMatch(/padded/);
  });
});

describe('llama.cpp recurrent state (Qwen3-Next: 36 Gated DeltaNet + 12 attention layers)', () => {
  const q = shape('qwen3-next-80b-a3b');
  it('is F32, one state per sequence, independent of the context', () => {
    const a = group(kvCache(q, llama(4096)), 'recurrent');
    const b = group(kvCache(q, llama(65536)), 'recurrent');
    expect(a.bytes).toBe(b.bytes);
    expect(a.bytes).toBe(36 * 4 * (24576 + 524288));
    expect(a).toMatchObject({ layers: 36, cells: 1, typeK: 'f32' });
    expect(group(kvCache(q, llama(4096, { seqs: 4 })), 'recurrent').bytes).toBe(4 * a.bytes);
    // Only the 12 attention layers grow with context: 2 kv heads x 256 x (K+V) x 2 B.
    expect(kvCache(q, llama(4096)).perTokenBytes).toBe(12 * 2 * 512 * 2);
  });
});

describe('textbook formula 2 x bytes x layers x hidden x tokens x batch', () => {
  it('overestimates Llama-3.1-8B by n_head / n_head_kv = 4 and DeepSeek-V3 by 24.9x', () => {
    const m = shape('llama-3.1-8b');
    expect(kvCacheTextbook(m, 8192, 1, 2) / kvCache(m, llama(8192)).bytes).toBe(4);
    const d = shape('deepseek-v3');
    const ratio = kvCacheTextbook(d, 8192, 1, 2) / kvCache(d, llama(8192)).bytes;
    expect(ratio).toBeCloseTo((2 * 7168) / 576, 6);
  });
});

describe('vLLM page accounting (kv_cache_interface.py at 001cabc1)', () => {
  const vllm = (ctx: number, extra: Partial<KvOptions> = {}): KvOptions => ({ runtime: 'vllm', ctx, seqs: 1, typeK: 'auto', typeV: 'auto', ...extra });
  it('DeepSeek-V3 MLA: 1152 B per token per layer in bf16, 576 B in fp8; no factor 2', () => {
    const d = shape('deepseek-v3');
    expect(kvCache(d, vllm(4096)).perTokenBytes).toBe(61 * 1152);
    expect(kvCache(d, vllm(4096, { typeK: 'fp8', typeV: 'fp8' })).perTokenBytes).toBe(61 * 576);
    expect(vllmLayout(d, { typeK: 'bf16', typeV: 'bf16' }).page).toBe(16 * 1152);
  });
  it('full attention: whole blocks of 16 tokens per sequence', () => {
    const m = shape('llama-3.1-8b');
    expect(kvCache(m, vllm(8192)).bytes / MiB).toBe(1024);
    expect(kvCache(m, vllm(1000)).bytes).toBe(1008 * 131072);
    expect(kvCache(m, vllm(1000, { seqs: 3 })).bytes).toBe(3 * 1008 * 131072);
  });
  it('gpt-oss-120b (18 sliding + 18 full): the logged token capacity charges every layer, 36 x 2048 B per token', () => {
    const g = shape('gpt-oss-120b');
    const layout = vllmLayout(g, { typeK: 'auto', typeV: 'auto' });
    expect({ groupSize: layout.groupSize, nGroups: layout.nGroups, page: layout.page }).toEqual({ groupSize: 18, nGroups: 2, page: 16 * 8 * 128 * 2 });
    const avail = 5.38 * GiB;
    const cap = vllmCapacity(g, avail, { typeK: 'auto', typeV: 'auto' });
    // hf-mem #60: tokens = 5.38 GiB / (36 layers x 2048 B), to whole blocks.
    expect(cap.tokens).toBe(Math.floor(Math.floor(avail / (36 * 2048)) / 16) * 16);
    // Concurrency uses the window: a 131072-token request needs 8192 full blocks + cdiv(127 + 2048, 16) + 1 = 137 sliding blocks.
    expect(cap.maxConcurrency(131072)).toBeCloseTo(cap.numBlocks / (8192 + 137), 9);
    // The memory one request needs: sliding layers hold their window, full layers the context.
    const r = kvCache(g, vllm(131072));
    expect(group(r, 'sliding').cells).toBe(137 * 16);
    expect(r.bytes).toBe((8192 + 137) * layout.page * 18);
  });
  it('without the hybrid allocator, sliding layers are full attention', () => {
    const g = shape('gpt-oss-120b');
    const r = kvCache(g, vllm(131072, { hybridAllocator: false }));
    expect(r.bytes).toBe(36 * 131072 * 2048);
    expect(r.groups.map((x) => x.label)).toEqual(['global']);
  });
  it('Gemma-3-27B: groups of 10 layers, 1 full + 6 sliding groups, 8 padding layers', () => {
    const layout = vllmLayout(shape('gemma-3-27b'), { typeK: 'auto', typeV: 'auto' });
    expect({ groupSize: layout.groupSize, nGroups: layout.nGroups }).toEqual({ groupSize: 10, nGroups: 7 });
    const r = kvCache(shape('gemma-3-27b'), vllm(32768));
    expect(group(r, 'padding').layers).toBe(8);
    // sliding per request: cdiv(1023 + 2048, 16) + 1 = 193 blocks.
    expect(group(r, 'sliding').cells).toBe(193 * 16);
  });
  it('rejects different K and V dtypes', () => {
    expect(() => kvCache(shape('llama-3.1-8b'), vllm(1024, { typeK: 'fp8', typeV: 'auto' }))).toThrow(SizingError);
  });
});

describe('transformers DynamicCache', () => {
  const hf = (ctx: number, extra: Partial<KvOptions> = {}): KvOptions => ({ runtime: 'transformers', ctx, seqs: 1, typeK: 'bf16', typeV: 'bf16', ...extra });
  it('Llama-3.1-8B bf16 at 8192: 1 GiB, like llama.cpp f16', () => {
    expect(kvCache(shape('llama-3.1-8b'), hf(8192)).bytes).toBe(GiB);
  });
  it('Gemma-3-27B: 4.56+ keeps the window in sliding layers; 4.45 keeps every token', () => {
    const g = shape('gemma-3-27b');
    expect(kvCache(g, hf(32768)).bytes).toBe((10 * 32768 + 52 * 1024) * 8192);
    expect(kvCache(g, hf(32768, { version: '4.45' })).bytes / MiB).toBe(15872);
  });
  it('GLM-4.5-Air: the 46 main layers, bf16: 188416 B/token', () => {
    expect(kvCache(shape('glm-4.5-air'), hf(1)).perTokenBytes).toBe(46 * 2 * 8 * 128 * 2);
  });
  it('DeepSeek-V3 is cached decompressed: 128 heads x (192 + 128) per token per layer', () => {
    expect(kvCache(shape('deepseek-v3'), hf(1)).perTokenBytes).toBe(61 * 128 * 320 * 2);
  });
});
