import { describe, expect, it } from 'vitest';
import { SizingError } from '../../src/sizing/errors.ts';
import { parseFileType } from '../../src/sizing/formats/file-types.ts';
import { assignFileType, typeCounts, useMoreBits } from '../../src/sizing/formats/gguf-mix.ts';
import type { HfConfig, TypedTensor } from '../../src/sizing/types.ts';
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
