import { describe, expect, it } from 'vitest';
import { SizingError } from '../../src/sizing/errors.ts';
import { fileTypeFromLlamaFtype, llamaCppFileTypes, parseFileType } from '../../src/sizing/formats/file-types.ts';
import { assignFileType, typeCounts, useMoreBits } from '../../src/sizing/formats/gguf-mix.ts';
import type { HfConfig, LayerShape, ModelShape, TensorInfo, TypedTensor } from '../../src/sizing/types.ts';
import { summarizeWeights } from '../../src/sizing/memory/weights.ts';
import { typedFile } from '../../src/sizing/formats/typed-file.ts';
import { modelShapeFromConfig } from '../../src/sizing/model/model-shape.ts';
import { tensorsOf } from '../../src/sizing/model/tensors.ts';
import { estimate } from '../../src/sizing/memory/estimate.ts';
import { loadConfig } from '../fixtures/configs.ts';
import { build, measured, measuredConfig, referenceConfig, roleKey } from './reference-models.ts';

function typesByRole(typed: TypedTensor[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const t of typed) {
    const k = roleKey(t.name);
    const row = (out[k] ??= {});
    row[t.type] = (row[t.type] ?? 0) + 1;
  }
  return out;
}

function typeOf(typed: TypedTensor[], name: string): string | undefined {
  return typed.find((t) => t.name === name)?.type;
}

describe('llama.cpp measurements (llamacpp-measured.json): every model, every file type', () => {
  for (const m of measured.models) {
    const model = build(measuredConfig(m.name));
    for (const [ftype, q] of Object.entries<any>(m.quants)) {
      it(`${m.name} ${ftype}: tensor type counts and types by role are exact`, () => {
        const typed = assignFileType(model.tensors, model.shape, ftype);
        expect(typeCounts(typed)).toEqual(q.tensor_types);
        expect(typesByRole(typed)).toEqual(q.types_by_role);
      });
    }
  }
});

describe('llama-quantize mixes of Llama-3.1-8B (llama-quant.cpp at 007dbbf3)', () => {
  const m = build(referenceConfig('Llama-3.1-8B'));
  const M = (i: number) => useMoreBits(i, 32);

  it('use_more_bits picks 16 of 32 layers', () => {
    expect([...Array(32).keys()].filter(M)).toEqual([0, 1, 2, 3, 6, 9, 12, 15, 18, 21, 24, 27, 28, 29, 30, 31]);
  });

  const expectations: Record<string, Record<string, (i: number) => string>> = {
    Q5_K_M: { attn_q: () => 'Q5_K', attn_v: (i) => (M(i) ? 'Q6_K' : 'Q5_K'), ffn_down: (i) => (M(i) ? 'Q6_K' : 'Q5_K') },
    Q4_K_M: { attn_k: () => 'Q4_K', attn_v: (i) => (M(i) ? 'Q6_K' : 'Q4_K'), ffn_down: (i) => (M(i) ? 'Q6_K' : 'Q4_K'), ffn_up: () => 'Q4_K' },
    Q4_K_S: { attn_v: (i) => (i < 4 ? 'Q5_K' : 'Q4_K'), ffn_down: (i) => (i < 4 ? 'Q5_K' : 'Q4_K') },
    Q3_K_L: { attn_q: () => 'Q3_K', attn_v: () => 'Q5_K', attn_output: () => 'Q5_K', ffn_down: () => 'Q5_K', ffn_gate: () => 'Q3_K' },
    Q3_K_M: { attn_v: (i) => (i < 2 ? 'Q5_K' : 'Q4_K'), attn_output: () => 'Q4_K', ffn_down: (i) => (i < 2 ? 'Q5_K' : 'Q4_K') },
    Q2_K: { attn_q: () => 'Q2_K', attn_v: () => 'Q4_K', attn_output: () => 'Q3_K', ffn_down: () => 'Q3_K' },
    IQ4_XS: { attn_v: () => 'Q5_K', ffn_down: (i) => (i < 4 ? 'Q5_K' : 'IQ4_XS'), attn_output: () => 'IQ4_XS' },
  };
  const heads: Record<string, [string, string]> = {
    Q8_0: ['Q8_0', 'Q8_0'], Q6_K: ['Q6_K', 'Q6_K'], Q5_K_M: ['Q5_K', 'Q6_K'], Q4_K_M: ['Q4_K', 'Q6_K'], Q4_0: ['Q4_0', 'Q6_K'],
    Q3_K_M: ['Q3_K', 'Q6_K'], Q2_K: ['Q2_K', 'Q6_K'], IQ4_XS: ['IQ4_XS', 'Q6_K'], IQ2_XXS: ['Q2_K', 'Q5_K'], IQ2_M: ['IQ3_S', 'Q5_K'],
  };
  for (const [ftype, [embd, output]] of Object.entries(heads)) {
    it(`${ftype}: token_embd ${embd}, output ${output}`, () => {
      const typed = assignFileType(m.tensors, m.shape, ftype);
      expect([typeOf(typed, 'token_embd.weight'), typeOf(typed, 'output.weight')]).toEqual([embd, output]);
      expect(typeOf(typed, 'blk.0.attn_norm.weight')).toBe('F32');
      expect(typeOf(typed, 'rope_freqs.weight')).toBe('F32');
    });
  }
  for (const [ftype, rules] of Object.entries(expectations)) {
    it(`${ftype}: per-layer rules`, () => {
      const typed = assignFileType(m.tensors, m.shape, ftype);
      for (const [tensor, rule] of Object.entries(rules)) {
        for (let i = 0; i < 32; i++) expect(typeOf(typed, `blk.${i}.${tensor}.weight`), `${tensor} ${i}`).toBe(rule(i));
      }
    });
  }

  it('Q4_0 with an imatrix moves the first eighth of ffn_down to Q4_1', () => {
    const typed = assignFileType(m.tensors, m.shape, 'Q4_0', { imatrix: true });
    expect(typesByRole(typed)['blk.*.ffn_down.weight']).toEqual({ Q4_1: 4, Q4_0: 28 });
  });
});

describe('worked checks on other shapes', () => {
  it('Qwen3-30B-A3B Q4_K_M: f32 241, q4_K 289, q6_K 49 (llama.cpp issue #14235)', () => {
    const m = build(referenceConfig('Qwen3-30B-A3B'));
    const typed = assignFileType(m.tensors, m.shape, 'Q4_K_M');
    expect(typeCounts(typed)).toEqual({ F32: 241, Q4_K: 289, Q6_K: 49 });
    // Expert ffn_down layers come from the names (layer_info with n_expert > 1).
    expect(typeOf(typed, 'blk.8.ffn_down_exps.weight')).toBe('Q6_K');
    expect(typeOf(typed, 'blk.9.ffn_down_exps.weight')).toBe('Q4_K');
    expect(typeOf(typed, 'blk.0.ffn_gate_inp.weight')).toBe('F32');
  });

  it('Qwen2.5-72B: ffn_down rows of 29568 fall back (Q4_K->Q5_0, Q6_K->Q8_0); 70B attn_v bump to Q5_K', () => {
    const m = build(referenceConfig('Qwen2.5-72B'));
    const typed = assignFileType(m.tensors, m.shape, 'Q4_K_M');
    expect(typesByRole(typed)['blk.*.ffn_down.weight']).toEqual({ Q8_0: 40, Q5_0: 40 });
    expect(typesByRole(typed)['blk.*.attn_v.weight']).toEqual({ Q6_K: 40, Q5_K: 40 });
    const q3 = assignFileType(m.tensors, m.shape, 'Q3_K_M');
    expect(typesByRole(q3)['blk.*.ffn_down.weight']).toEqual({ Q5_1: 5, Q5_0: 75 });
  });

  it('Llama-3.1-70B (80 layers, GQA) is 70B: Q3_K_M attn_v all Q5_K; Q4_0 untouched', () => {
    const m = build(referenceConfig('Llama-3.1-70B'));
    expect(typesByRole(assignFileType(m.tensors, m.shape, 'Q3_K_M'))['blk.*.attn_v.weight']).toEqual({ Q5_K: 80 });
    expect(typesByRole(assignFileType(m.tensors, m.shape, 'Q4_0'))['blk.*.attn_v.weight']).toEqual({ Q4_0: 80 });
  });

  it('Gemma-2-9B (tied): token_embd follows the output rule, n_gqa 2 keeps IQ4_XS attn_v', () => {
    const m = build(referenceConfig('Gemma-2-9B'));
    expect(typeOf(assignFileType(m.tensors, m.shape, 'Q4_K_M'), 'token_embd.weight')).toBe('Q6_K');
    expect(typeOf(assignFileType(m.tensors, m.shape, 'Q8_0'), 'token_embd.weight')).toBe('Q8_0');
    expect(typesByRole(assignFileType(m.tensors, m.shape, 'IQ4_XS'))['blk.*.attn_v.weight']).toEqual({ IQ4_XS: 42 });
  });

  it('Mixtral-8x7B (8 experts): attn_v and attn_k Q8_0, attn_output Q5_K', () => {
    const m = build(referenceConfig('Mixtral-8x7B'));
    const byRole = typesByRole(assignFileType(m.tensors, m.shape, 'Q4_K_M'));
    expect(byRole['blk.*.attn_v.weight']).toEqual({ Q8_0: 32 });
    expect(byRole['blk.*.attn_k.weight']).toEqual({ Q8_0: 32 });
    expect(byRole['blk.*.attn_output.weight']).toEqual({ Q5_K: 32 });
  });

  it('gpt-oss-20b MXFP4_MOE: 3-D experts MXFP4, other matrices Q8_0, 1-D F32', () => {
    const m = build(referenceConfig('gpt-oss-20b'));
    const typed = assignFileType(m.tensors, m.shape, 'MXFP4_MOE');
    for (const t of typed) {
      // Biases (2-D for experts), sinks, norms and the router are never quantized and were written F32.
      const neverQuantized = !t.name.endsWith('.weight') || t.dims.length === 1 || t.role === 'router';
      const expected = neverQuantized ? 'F32' : (t.dims[2] ?? 1) > 1 ? 'MXFP4' : 'Q8_0';
      expect(t.type, t.name).toBe(expected);
    }
  });

  it('Phi-3 fused attn_qkv: new rules treat it as attn_v, the old gave Q5_K everywhere', () => {
    const m = build(referenceConfig('Phi-3-mini'));
    const fresh = typesByRole(assignFileType(m.tensors, m.shape, 'Q4_K_M'))['blk.*.attn_qkv.weight'];
    expect(fresh).toEqual({ Q6_K: 16, Q4_K: 16 });
    const old = typesByRole(assignFileType(m.tensors, m.shape, 'Q4_K_M', { version: 'old' }))['blk.*.attn_qkv.weight'];
    expect(old).toEqual({ Q5_K: 32 });
  });

  it('old rules fall back Q2_K/Q3_K to IQ4_NL, new to Q4_0 (SmolLM2, hidden 576)', () => {
    const m = build(measuredConfig('smollm2-135m'));
    expect(typeOf(assignFileType(m.tensors, m.shape, 'Q3_K_S'), 'blk.0.attn_q.weight')).toBe('Q4_0');
    expect(typeOf(assignFileType(m.tensors, m.shape, 'Q3_K_S', { version: '8784689f' }), 'blk.0.attn_q.weight')).toBe('IQ4_NL');
  });
});

describe('imatrix, overrides, recipes', () => {
  const m = build(referenceConfig('Llama-3.1-8B'));

  it('refuses IQ2_XXS without an imatrix, like llama-quantize', () => {
    expect(() => assignFileType(m.tensors, m.shape, 'IQ2_XXS', { imatrix: false })).toThrow(SizingError);
    expect(() => assignFileType(m.tensors, m.shape, 'IQ2_XXS')).not.toThrow();
  });

  it('bartowski Q4_K_L = Q4_K_M with Q8_0 token_embd and output', () => {
    const base = assignFileType(m.tensors, m.shape, 'Q4_K_M');
    const l = assignFileType(m.tensors, m.shape, 'q4_k_l');
    expect(parseFileType('Q4_K_L').recipe?.approximation).toMatch(/Approximation/);
    for (let i = 0; i < base.length; i++) {
      const name = base[i]!.name;
      const expected = name === 'token_embd.weight' || name === 'output.weight' ? 'Q8_0' : base[i]!.type;
      expect(l[i]!.type, name).toBe(expected);
    }
  });

  it('parses file types in any casing and the aliases', () => {
    expect(parseFileType('q4_k_m').id).toBe('Q4_K_M');
    expect(parseFileType('Q4_K').id).toBe('Q4_K_M');
    expect(parseFileType('q3_k').id).toBe('Q3_K_M');
    expect(parseFileType('Q5_K').id).toBe('Q5_K_M');
    expect(parseFileType('IQ3_XS').defaultType).toBe('IQ3_S');
    expect(parseFileType('mxfp4_moe').llamaFtype).toBe(38);
    expect(() => parseFileType('Q4_K_XXL')).toThrow(SizingError);
  });

  it('keeps the caller order of tensors', () => {
    const typed = assignFileType(m.tensors, m.shape, 'Q4_K_M');
    expect(typed.map((t) => t.name)).toEqual(m.tensors.map((t) => t.name));
  });
});

describe('typedFile: typing remembered across estimates', () => {
  const config = () => JSON.parse(JSON.stringify(loadConfig('llama-3.1-8b'))) as HfConfig;

  it('gives the same tensors as assignFileType, once per config and file type', () => {
    const cfg = config();
    const shape = modelShapeFromConfig(cfg);
    const first = typedFile({ kind: 'config', config: cfg }, shape, tensorsOf(shape), 'Q4_K_M');
    expect(first).toEqual(assignFileType(tensorsOf(shape), shape, 'Q4_K_M'));
    // An equal config (another object) is served the remembered list; another file type is typed anew.
    expect(typedFile({ kind: 'config', config: config() }, shape, tensorsOf(shape), 'Q4_K_M')).toBe(first);
    expect(typedFile({ kind: 'config', config: cfg }, shape, tensorsOf(shape), 'Q5_K_M')).not.toBe(first);
  });

  it('a config edited in place is typed anew, and estimate() follows the edit', () => {
    const cfg = config();
    const before = estimate({ kind: 'config', config: cfg }, { quant: 'Q4_K_M', ctx: 4096 });
    cfg['num_hidden_layers'] = 16;
    const after = estimate({ kind: 'config', config: cfg }, { quant: 'Q4_K_M', ctx: 4096 });
    // 16 of 32 layers gone: 16 x (attn_q, k, v, output, ffn gate, up, down, 2 norms) = 144 fewer tensors.
    const count = (e: typeof before) => Object.values(e.tensorTypes!).reduce((a, b) => a + b, 0);
    expect(count(before) - count(after)).toBe(16 * 9);
    expect(after.weightsBytes).toBeLessThan(before.weightsBytes * 0.6);
  });
});

/*
 * llama-quantize's file types at ggml-org/llama.cpp 3f545bec (2026-08-22): QUANT_OPTIONS in tools/quantize/quantize.cpp
 * (name -> LLAMA_FTYPE_*), the enum's numbers in include/llama.h and llama_ftype_get_default_type() in
 * src/llama-quant.cpp, copied here so the list is checked name for name ("COPY" only copies tensors; aliases last).
 */
const QUANT_OPTIONS_3F545BEC: [name: string, llamaFtype: number, defaultType: string][] = [
  ['Q1_0', 40, 'Q1_0'], ['Q2_0', 41, 'Q2_0'], ['Q4_0', 2, 'Q4_0'], ['Q4_1', 3, 'Q4_1'], ['MXFP4_MOE', 38, 'MXFP4'],
  ['Q5_0', 8, 'Q5_0'], ['Q5_1', 9, 'Q5_1'], ['IQ2_XXS', 19, 'IQ2_XXS'], ['IQ2_XS', 20, 'IQ2_XS'], ['IQ2_S', 28, 'IQ2_XS'],
  ['IQ2_M', 29, 'IQ2_S'], ['IQ1_S', 24, 'IQ1_S'], ['IQ1_M', 31, 'IQ1_M'], ['TQ1_0', 36, 'TQ1_0'], ['TQ2_0', 37, 'TQ2_0'],
  ['Q2_K', 10, 'Q2_K'], ['Q2_K_S', 21, 'Q2_K'], ['IQ3_XXS', 23, 'IQ3_XXS'], ['IQ3_S', 26, 'IQ3_S'], ['IQ3_M', 27, 'IQ3_S'],
  ['IQ3_XS', 22, 'IQ3_S'], ['Q3_K_S', 11, 'Q3_K'], ['Q3_K_M', 12, 'Q3_K'], ['Q3_K_L', 13, 'Q3_K'], ['IQ4_NL', 25, 'IQ4_NL'],
  ['IQ4_XS', 30, 'IQ4_XS'], ['Q4_K_S', 14, 'Q4_K'], ['Q4_K_M', 15, 'Q4_K'], ['Q5_K_S', 16, 'Q5_K'], ['Q5_K_M', 17, 'Q5_K'],
  ['Q6_K', 18, 'Q6_K'], ['Q8_0', 7, 'Q8_0'], ['F16', 1, 'F16'], ['BF16', 32, 'BF16'], ['F32', 0, 'F32'],
  ['Q3_K', 12, 'Q3_K'], ['Q4_K', 15, 'Q4_K'], ['Q5_K', 17, 'Q5_K'],
];

describe('every file type llama-quantize offers (3f545bec)', () => {
  it.each(QUANT_OPTIONS_3F545BEC)('%s: general.file_type %i, default type %s', (name, llamaFtype, defaultType) => {
    const ft = parseFileType(name);
    expect([ft.llamaFtype, ft.defaultType, ft.origin]).toEqual([llamaFtype, defaultType, 'llama.cpp']);
  });

  it('and no other llama.cpp file type', () => {
    const offered = new Set(QUANT_OPTIONS_3F545BEC.map(([name]) => parseFileType(name).id));
    expect(llamaCppFileTypes().map((f) => f.id).filter((id) => !offered.has(id))).toEqual([]);
    // LLAMA_FTYPE_MOSTLY_NVFP4 = 39 is in llama.h but llama-quantize has no default type for it.
    expect(fileTypeFromLlamaFtype(39)).toBeUndefined();
    expect(fileTypeFromLlamaFtype(40)?.id).toBe('Q1_0');
    expect(fileTypeFromLlamaFtype(41)?.id).toBe('Q2_0');
  });
});

describe('Q1_0 and Q2_0 (llama.cpp PR #21273, 2026-04-06; PR #24448, 2026-07-07)', () => {
  const m = build(referenceConfig('Llama-3.1-8B'));

  it('Q2_0: token_embd Q4_K (as TQ1_0 / TQ2_0), output Q6_K, every other matrix Q2_0', () => {
    const typed = assignFileType(m.tensors, m.shape, 'q2_0');
    expect([typeOf(typed, 'token_embd.weight'), typeOf(typed, 'output.weight')]).toEqual(['Q4_K', 'Q6_K']);
    const byRole = typesByRole(typed);
    for (const role of ['attn_q', 'attn_k', 'attn_v', 'attn_output', 'ffn_gate', 'ffn_up', 'ffn_down']) {
      expect(byRole[`blk.*.${role}.weight`], role).toEqual({ Q2_0: 32 });
    }
    // No importance matrix needed, none asked for.
    expect(() => assignFileType(m.tensors, m.shape, 'Q2_0', { imatrix: false })).not.toThrow();
  });

  it('Q1_0: no token_embd rule (stays Q1_0), output Q6_K, every other matrix Q1_0', () => {
    const typed = assignFileType(m.tensors, m.shape, 'Q1_0');
    expect([typeOf(typed, 'token_embd.weight'), typeOf(typed, 'output.weight')]).toEqual(['Q1_0', 'Q6_K']);
    expect(typesByRole(typed)['blk.*.ffn_down.weight']).toEqual({ Q1_0: 32 });
  });

  it('rows that are not whole blocks: Q2_0 falls back to Q4_0; Q1_0 has no fallback and llama-quantize stops', () => {
    // gpt-oss-20b: hidden 2880 = 45 x 64 but 22.5 x 128.
    const g = build(referenceConfig('gpt-oss-20b'));
    expect(() => assignFileType(g.tensors, g.shape, 'Q1_0')).toThrow(/not a multiple of 128 and no fallback/);
    const tiny = shapeOf('llama', [attnLayer(0, 8, 8)], { hidden: 96, vocab: 1000 });
    const typed = assignFileType(tensorList(tiny), tiny, 'Q2_0');
    // 96 = 1.5 x 64: tensor_type_fallback Q2_0 -> Q4_0 (96 = 3 x 32).
    expect(typeOf(typed, 'blk.0.attn_q.weight')).toBe('Q4_0');
  });
});

describe('imatrix by default only when llama-quantize would refuse this model without one', () => {
  const g1 = build(measuredConfig('gemma-3-1b'));
  const g4 = build(referenceConfig('Gemma-3-4B'));

  it('Gemma 3 1B IQ3_XXS: every IQ3_XXS / IQ2_S tensor falls back (hidden 1152), so no imatrix and ffn_down Q4_K / Q3_K', () => {
    const plain = assignFileType(g1.tensors, g1.shape, 'IQ3_XXS');
    expect(typesByRole(plain)['blk.*.ffn_down.weight']).toEqual({ Q4_K: 3, Q3_K: 23 });
    expect(typesByRole(plain)['blk.*.attn_q.weight']).toEqual({ IQ4_NL: 26 });
    expect(typesByRole(plain)['blk.*.attn_v.weight']).toEqual({ Q5_0: 26 });
    expect(plain).toEqual(assignFileType(g1.tensors, g1.shape, 'IQ3_XXS', { imatrix: false }));
    const withImatrix = assignFileType(g1.tensors, g1.shape, 'IQ3_XXS', { imatrix: true });
    expect(typesByRole(withImatrix)['blk.*.ffn_down.weight']).toEqual({ IQ3_XXS: 26 });
    // The imatrix-less file is 1.9% larger: the held-out difference this rule fixes.
    const ratio = summarizeWeights(plain).bytes / summarizeWeights(withImatrix).bytes - 1;
    expect(ratio).toBeCloseTo(0.019, 3);
  });

  it('Gemma 3 4B IQ3_XXS needs one (attn_q IQ2_S, ffn IQ3_XXS), so the default is the imatrix mix', () => {
    expect(() => assignFileType(g4.tensors, g4.shape, 'IQ3_XXS', { imatrix: false })).toThrow(SizingError);
    const typed = assignFileType(g4.tensors, g4.shape, 'IQ3_XXS');
    expect(typed).toEqual(assignFileType(g4.tensors, g4.shape, 'IQ3_XXS', { imatrix: true }));
    // Tied embeddings: token_embd takes the output rule (Q5_K for IQ3_XXS), not the token_embd rule (IQ3_S).
    expect(typeOf(typed, 'token_embd.weight')).toBe('Q5_K');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Small hand-made shapes (no family reader involved): the architecture-keyed rules.

function attnLayer(index: number, nHead: number, nHeadKv: number, ff = 256): LayerShape {
  return { index, mixer: { kind: 'attention', nHead, nHeadKv, headDimK: 32, headDimV: 32, window: null }, ffn: { kind: 'dense', ff, gated: true } };
}
function recurrentLayer(index: number, ff = 256): LayerShape {
  return { index, mixer: { kind: 'recurrent', variant: 'mamba2', stateElementsR: 1, stateElementsS: 1 }, ffn: { kind: 'dense', ff, gated: true } };
}
function mlpLayer(index: number, ff: number): LayerShape {
  return { index, mixer: { kind: 'none' }, ffn: { kind: 'dense', ff, gated: false } };
}
function shapeOf(ggufArch: string, layers: LayerShape[], o: { hidden?: number; vocab?: number; tied?: boolean } = {}): ModelShape {
  return {
    hfArchitecture: 'Test', ggufArch, vocabSize: o.vocab ?? 1024, hiddenSize: o.hidden ?? 256, tiedEmbeddings: o.tied ?? false,
    layers, maxContext: 4096, extras: [], assumptions: [],
  };
}
/** The tensors llama.cpp's converter writes for these layers (attn_qkv when fused), names and ggml dims. */
function tensorList(shape: ModelShape, o: { fusedQkv?: boolean } = {}): TensorInfo[] {
  const h = shape.hiddenSize;
  const out: TensorInfo[] = [{ name: 'token_embd.weight', dims: [h, shape.vocabSize], layer: null, role: 'token_embd' }];
  for (const l of shape.layers) {
    const b = `blk.${l.index}.`;
    const add = (n: string, dims: number[], role: TensorInfo['role']) => out.push({ name: b + n, dims, layer: l.index, role });
    if (l.mixer.kind === 'attention') {
      const q = l.mixer.nHead * l.mixer.headDimK;
      const kv = l.mixer.nHeadKv * l.mixer.headDimK;
      add('attn_norm.weight', [h], 'norm');
      if (o.fusedQkv) add('attn_qkv.weight', [h, q + 2 * kv], 'attn');
      else {
        add('attn_q.weight', [h, q], 'attn');
        add('attn_k.weight', [h, kv], 'attn');
        add('attn_v.weight', [h, kv], 'attn');
      }
      add('attn_output.weight', [q, h], 'attn');
    } else if (l.mixer.kind === 'recurrent') {
      add('ssm_in.weight', [h, 2 * h], 'recurrent');
      add('ssm_out.weight', [h, h], 'recurrent');
    }
    if (l.ffn.kind === 'dense' && l.ffn.ff > 0) {
      add('ffn_norm.weight', [h], 'norm');
      if (l.ffn.gated) add('ffn_gate.weight', [h, l.ffn.ff], 'ffn');
      add('ffn_up.weight', [h, l.ffn.ff], 'ffn');
      add('ffn_down.weight', [l.ffn.ff, h], 'ffn');
    }
  }
  out.push({ name: 'output_norm.weight', dims: [h], layer: null, role: 'norm' });
  if (!shape.tiedEmbeddings) out.push({ name: 'output.weight', dims: [h, shape.vocabSize], layer: null, role: 'output' });
  return out;
}

describe('n_gqa() reads layer 0 (llama_hparams::n_gqa(il = 0)), as the GGUF stores head_count_kv', () => {
  // 8 layers, attention every 4th from layer 3 (32 heads, 8 KV heads: n_gqa 4 on the attention layers).
  const layers = (first: 'recurrent' | 'attention') =>
    [...Array(8).keys()].map((i) => (i === 0 && first === 'attention') || i % 4 === 3 ? attnLayer(i, 32, 8) : recurrentLayer(i));
  const attnV = (arch: string, first: 'recurrent' | 'attention', ftype: string) => {
    const s = shapeOf(arch, layers(first));
    return typesByRole(assignFileType(tensorList(s), s, ftype))['blk.*.attn_v.weight'];
  };

  it('granitehybrid / jamba / nemotron_h / lfm2 with a recurrent layer 0: head_count_kv[0] = 0, so no n_gqa >= 4 bump', () => {
    // Q2_K: attn_v Q4_K when n_gqa() >= 4, else Q3_K; IQ4_XS: Q5_K when n_gqa() >= 4, else IQ4_XS.
    for (const arch of ['granitehybrid', 'jamba', 'nemotron_h', 'lfm2', 'plamo2']) {
      expect(attnV(arch, 'recurrent', 'Q2_K'), arch).toEqual({ Q3_K: 2 });
      expect(attnV(arch, 'recurrent', 'IQ4_XS'), arch).toEqual({ IQ4_XS: 2 });
    }
  });

  it('the same stack with attention on layer 0 gets the bump', () => {
    expect(attnV('granitehybrid', 'attention', 'Q2_K')).toEqual({ Q4_K: 3 });
    expect(attnV('granitehybrid', 'attention', 'IQ4_XS')).toEqual({ Q5_K: 3 });
  });

  it('Qwen3-Next / Qwen3.5 write head_count_kv as one number, so layer 0 has the attention layers\' count', () => {
    for (const arch of ['qwen3next', 'qwen35', 'qwen35moe']) {
      expect(attnV(arch, 'recurrent', 'Q2_K'), arch).toEqual({ Q4_K: 2 });
    }
  });

  it('the real Qwen3-Next-80B-A3B config: layer 0 Gated DeltaNet, n_gqa 8 from the scalar, Q2_K attn_v all Q4_K', () => {
    const q = build(loadConfig('qwen3-next-80b-a3b'));
    expect(q.shape.layers[0]!.mixer.kind).toBe('recurrent');
    expect(typesByRole(assignFileType(q.tensors, q.shape, 'Q2_K'))['blk.*.attn_v.weight']).toEqual({ Q4_K: 12 });
  });
});

describe('counters and architecture rules on small shapes', () => {
  it('attn_qkv counts in n_attention_wv and takes the attn_v rules (Q4_K_M: Q6_K on use_more_bits of 16)', () => {
    const s = shapeOf('phi2', [...Array(16).keys()].map((i) => attnLayer(i, 8, 8)));
    const typed = assignFileType(tensorList(s, { fusedQkv: true }), s, 'Q4_K_M');
    for (let i = 0; i < 16; i++) expect(typeOf(typed, `blk.${i}.attn_qkv.weight`), `${i}`).toBe(useMoreBits(i, 16) ? 'Q6_K' : 'Q4_K');
  });

  it('ffn_down on only some layers (nemotron_h MLP-only layers): a running counter over n_ffn_down = n_layer_all', () => {
    // 16 layers: mamba on even layers, MLP-only on odd ones; 8 ffn_down tensors counted 0..7 against 16.
    const s = shapeOf('nemotron_h', [...Array(16).keys()].map((i) => (i % 2 === 0 ? recurrentLayer(i, 0) : mlpLayer(i, 512))));
    const typed = assignFileType(tensorList(s), s, 'Q4_K_M');
    const got = [...Array(8).keys()].map((k) => typeOf(typed, `blk.${2 * k + 1}.ffn_down.weight`));
    expect(got).toEqual([...Array(8).keys()].map((k) => (useMoreBits(k, 16) ? 'Q6_K' : 'Q4_K')));
    // Block numbers would give layers 1, 3, 9, 15 ... instead: counters 0, 1, 4, 7 are the bumped ones.
    expect(got.map((t, k) => (t === 'Q6_K' ? 2 * k + 1 : -1)).filter((x) => x >= 0)).toEqual([1, 3, 9, 15]);
  });

  it('Falcon: output.weight (and a tied token_embd) Q8_0 whatever the file type; ffn_down Q4_K_M pattern of n/16', () => {
    const layers = [...Array(32).keys()].map((i) => attnLayer(i, 8, 1));
    for (const tied of [false, true]) {
      const s = shapeOf('falcon', layers, { tied });
      const name = tied ? 'token_embd.weight' : 'output.weight';
      for (const ftype of ['Q4_K_M', 'Q2_K', 'IQ3_XXS', 'Q6_K']) {
        expect(typeOf(assignFileType(tensorList(s), s, ftype, { imatrix: true }), name), `${ftype} tied=${tied}`).toBe('Q8_0');
      }
    }
    const s = shapeOf('falcon', layers);
    const typed = assignFileType(tensorList(s), s, 'Q4_K_M');
    for (let i = 0; i < 32; i++) {
      const want = i < 2 ? 'Q6_K' : useMoreBits(i, 32) ? 'Q5_K' : 'Q4_K';
      expect(typeOf(typed, `blk.${i}.ffn_down.weight`), `${i}`).toBe(want);
    }
  });

  it('LLM_TYPE_70B: OLMo 1 with 80 layers is 70B, OLMoE is not; jais2 at 68 layers', () => {
    const bump = (arch: string, n: number) => {
      const s = shapeOf(arch, [...Array(n).keys()].map((i) => attnLayer(i, 8, 8)));
      return typesByRole(assignFileType(tensorList(s), s, 'Q3_K_M'))['blk.*.attn_v.weight'];
    };
    // Q3_K_M attn_v: Q5_K for the first two, Q4_K after; a 70B model lifts Q4_K to Q5_K.
    expect(bump('olmo', 80)).toEqual({ Q5_K: 80 });
    expect(bump('olmoe', 80)).toEqual({ Q5_K: 2, Q4_K: 78 });
    expect(bump('jais2', 68)).toEqual({ Q5_K: 68 });
  });

  it('position_embd.weight (GPT-2, StarCoder) is never quantized and stays F32 as converted', () => {
    const s = shapeOf('starcoder', [attnLayer(0, 8, 1)]);
    const tensors = [...tensorList(s), { name: 'position_embd.weight', dims: [256, 2048], layer: null, role: 'other' as const }];
    expect(typeOf(assignFileType(tensors, s, 'Q4_K_M'), 'position_embd.weight')).toBe('F32');
  });

  it('DBRX converter keeps every matrix, the router included, in the outtype (tensor_force_quant)', () => {
    const s = shapeOf('dbrx', [attnLayer(0, 8, 8)]);
    const router: TensorInfo = { name: 'blk.0.ffn_gate_inp.weight', dims: [256, 16], layer: 0, role: 'router' };
    expect(typeOf(assignFileType([...tensorList(s), router], s, 'Q4_K_M', { sourceType: 'BF16' }), router.name)).toBe('BF16');
    const other = shapeOf('qwen2moe', [attnLayer(0, 8, 8)]);
    expect(typeOf(assignFileType([...tensorList(other), router], other, 'Q4_K_M', { sourceType: 'BF16' }), router.name)).toBe('F32');
  });
});
