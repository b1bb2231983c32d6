/**
 * Quantize one short vector of weights the way llama.cpp does, and report what is stored and what comes back.
 * For teaching: the "How quantization works" chapter and its QuantizeDemo island.
 *
 * Each scheme follows the reference code in ggml-org/llama.cpp ggml/src/ggml-quants.c (commit 01243c58):
 *   Q8_0   quantize_row_q8_0_ref   d = amax/127, q = roundf(x/d)                       w = d·q
 *   Q5_0   quantize_row_q5_0_ref   d = max/-16,  q = min(31, trunc(x/d + 16.5))         w = d·(q − 16)
 *   Q5_1   quantize_row_q5_1_ref   d = (max−min)/31, m = min, q = trunc((x−m)/d + 0.5)  w = d·q + m
 *   Q4_0   quantize_row_q4_0_ref   d = max/-8,   q = min(15, trunc(x/d + 8.5))          w = d·(q − 8)
 *   Q4_1   quantize_row_q4_1_ref   d = (max−min)/15, m = min, q = min(15, trunc((x−m)/d + 0.5))
 *   IQ4_NL quantize_iq4_nl (what llama-quantize calls; ntry = 7, no imatrix: weights x²)  w = d·kvalues_iq4nl[q]
 *   MXFP4  quantize_row_mxfp4_ref  E8M0 scale 2^(floor(log2 amax) − 2), nearest E2M1 value
 * where "max" is the signed value of largest magnitude and d, m are stored as FP16 (rounded to nearest even).
 *   NVFP4  NVIDIA's two-level recipe (NVIDIA technical blog "Introducing NVFP4", 2025-06-24): an FP32 scale per
 *          tensor, amax/(6·448), and an E4M3 scale per 16 values, then the nearest E2M1 value. ggml's own NVFP4
 *          block (quantize_row_nvfp4_ref) has the E4M3 scales but no per-tensor FP32 scale.
 * Arithmetic is done in float32 (Math.fround) as the C code does, so the stored codes match ggml's.
 */
import type { Parsed } from '../input.ts';

export const DEMO_SCHEMES = ['Q8_0', 'Q5_1', 'Q5_0', 'Q4_1', 'Q4_0', 'IQ4_NL', 'MXFP4', 'NVFP4'] as const;
export type DemoScheme = (typeof DEMO_SCHEMES)[number];

/** The ggml block each scheme is stored in (its bits per weight come from the engine's block table). */
export const DEMO_GGML_TYPE: Record<DemoScheme, string> = {
  Q8_0: 'Q8_0',
  Q5_1: 'Q5_1',
  Q5_0: 'Q5_0',
  Q4_1: 'Q4_1',
  Q4_0: 'Q4_0',
  IQ4_NL: 'IQ4_NL',
  MXFP4: 'MXFP4',
  NVFP4: 'NVFP4',
};

/** Weights that share one scale: 32 for every scheme here except NVFP4's 16. */
export function scaleGroupSize(scheme: DemoScheme): number {
  return scheme === 'NVFP4' ? 16 : 32;
}

/** kvalues_iq4nl in ggml-common.h: IQ4_NL's 16 non-uniform levels (before the block scale). */
export const IQ4_NL_VALUES: readonly number[] = [-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113];

/** E2M1 (FP4) values by 4-bit code: codes 0-7 positive, 8-15 the same magnitudes negative (kvalues_mxfp4 / 2). */
export const E2M1_VALUES: readonly number[] = [0, 0.5, 1, 1.5, 2, 3, 4, 6, -0, -0.5, -1, -1.5, -2, -3, -4, -6];

export interface ScaleGroup {
  /** First and one-past-last weight index sharing this scale. */
  start: number;
  end: number;
  /** The scale as stored (decoded): FP16 d, E8M0 power of two, or E4M3 value. */
  scale: number;
  /** Type-1 schemes: the stored FP16 minimum. */
  min?: number;
  /** How the scale is stored, for display: 'FP16', 'E8M0', 'E4M3'. */
  scaleFormat: 'FP16' | 'E8M0' | 'E4M3';
}

export interface DemoResult {
  scheme: DemoScheme;
  input: number[];
  /** The stored integer per weight (a 4-, 5- or 8-bit code). */
  codes: number[];
  /** What each code stands for before the scale is applied: q − 8, q, an IQ4_NL level or an E2M1 value. */
  levels: number[];
  groups: ScaleGroup[];
  /** NVFP4 only: the FP32 second-level scale per tensor. */
  tensorScale?: number;
  dequantized: number[];
  /** dequantized − input, per weight. */
  errors: number[];
  rmse: number;
  maxAbsError: number;
}

const f = Math.fround;

function roundHalfEven(v: number): number {
  const fl = Math.floor(v);
  const diff = v - fl;
  if (diff > 0.5) return fl + 1;
  if (diff < 0.5) return fl;
  return fl % 2 === 0 ? fl : fl + 1;
}

/** Exact binary exponent of a positive finite number (Math.log2 can be off by one near powers of two). */
function exponentOf(a: number): number {
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e -= 1;
  if (2 ** (e + 1) <= a) e += 1;
  return e;
}

/** Rounds to a small float format: manBits mantissa bits, smallest normal exponent minExp, round to nearest even. */
function roundMinifloat(x: number, manBits: number, minExp: number, maxFinite: number, saturate: boolean): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const e = Math.max(exponentOf(a), minExp);
  const step = 2 ** (e - manBits);
  const r = roundHalfEven(a / step) * step;
  if (r > maxFinite) return saturate ? sign * maxFinite : sign * Infinity;
  return sign * r;
}

/** IEEE half precision, round to nearest even (GGML_FP32_TO_FP16). */
export function toFp16(x: number): number {
  return roundMinifloat(x, 10, -14, 65504, false);
}

/** OCP FP8 E4M3 (max 448, no infinities), round to nearest even, saturating. */
export function toE4m3(x: number): number {
  return roundMinifloat(x, 3, -6, 448, true);
}

/** C's roundf: halves away from zero. */
function roundf(x: number): number {
  return Math.sign(x) * Math.floor(Math.abs(x) + 0.5);
}

/** The signed value of largest magnitude (first one wins a tie), as ggml's _0 quantizers pick it. */
function signedAbsMax(xs: readonly number[]): { amax: number; max: number } {
  let amax = 0;
  let max = 0;
  for (const v of xs) {
    if (amax < Math.abs(v)) {
      amax = Math.abs(v);
      max = v;
    }
  }
  return { amax, max };
}

/** best_index_int8 (ggml-quants.c): nearest level of a sorted table, a value at a midpoint taking the upper level. */
function bestIndexInt8(values: readonly number[], x: number): number {
  const x2 = f(x + x);
  let idx = 0;
  for (let step = values.length >> 1; step > 0; step >>= 1) {
    const j = idx + step;
    idx = x2 >= (values[j - 1] ?? 0) + (values[j] ?? 0) ? j : idx;
  }
  return idx;
}

/** best_index_mxfp4: the E2M1 code whose value times d is nearest x; ties keep the lower code. */
function bestIndexFp4(x: number, d: number): number {
  let best = 0;
  let bestErr = f(Math.abs(f(f((E2M1_VALUES[0] ?? 0) * d) - x)));
  for (let i = 1; i < 16; i++) {
    const err = f(Math.abs(f(f((E2M1_VALUES[i] ?? 0) * d) - x)));
    if (err < bestErr) {
      best = i;
      bestErr = err;
    }
  }
  return best;
}

interface GroupOut {
  codes: number[];
  levels: number[];
  deq: number[];
  group: Omit<ScaleGroup, 'start' | 'end'>;
}

/** Type-0, symmetric: d = max / -half, q = trunc(x/d + half + 0.5) capped at 2·half − 1 (Q4_0: half = 8; Q5_0: 16). */
function quantizeSymmetric(xs: number[], half: number): GroupOut {
  const { max } = signedAbsMax(xs);
  const d = f(max / -half);
  const id = d ? f(1 / d) : 0;
  const dh = toFp16(d);
  const codes = xs.map((x) => Math.min(2 * half - 1, Math.trunc(f(f(x * id) + half + 0.5))));
  const levels = codes.map((q) => q - half);
  return { codes, levels, deq: levels.map((l) => f(l * dh)), group: { scale: dh, scaleFormat: 'FP16' } };
}

/** Type-1, asymmetric: d = (max − min) / (2^bits − 1), m = min, q = trunc((x − m)/d + 0.5). */
function quantizeAsymmetric(xs: number[], bits: 4 | 5): GroupOut {
  let min = Infinity;
  let max = -Infinity;
  for (const v of xs) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const top = (1 << bits) - 1;
  const d = f(f(max - min) / top);
  const id = d ? f(1 / d) : 0;
  const dh = toFp16(d);
  const mh = toFp16(min);
  // Q4_1 caps at 15; Q5_1's reference code has no cap (x − min never exceeds max − min).
  const codes = xs.map((x) => Math.min(top, Math.trunc(f(f(f(x - min) * id) + 0.5))));
  return { codes, levels: codes, deq: codes.map((q) => f(f(q * dh) + mh)), group: { scale: dh, min: mh, scaleFormat: 'FP16' } };
}

function quantizeQ8(xs: number[]): GroupOut {
  const { amax } = signedAbsMax(xs);
  const d = f(amax / 127);
  const id = d ? f(1 / d) : 0;
  const dh = toFp16(d);
  const codes = xs.map((x) => roundf(f(x * id)));
  return { codes, levels: codes, deq: codes.map((q) => f(q * dh)), group: { scale: dh, scaleFormat: 'FP16' } };
}

/**
 * quantize_row_iq4_nl_impl for one block of 32 with ntry = 7 and no importance matrix: start from d = max/127, then
 * try 15 candidate scales (positive and negative: the table is not symmetric) and keep the one whose weighted
 * least-squares fit d = Σw·q·x / Σw·q² explains the most (weights w = x²).
 */
function quantizeIq4nl(xs: number[]): GroupOut {
  const values = IQ4_NL_VALUES;
  const v0 = values[0] ?? -127;
  const weight = xs.map((x) => f(x * x));
  const { amax, max } = signedAbsMax(xs);
  if (amax < 1e-15) {
    const codes = xs.map(() => 0);
    return { codes, levels: codes.map(() => v0), deq: xs.map(() => 0), group: { scale: 0, scaleFormat: 'FP16' } };
  }
  const ntry = 7;
  const fit = (id: number): { sumqx: number; sumq2: number } => {
    let sumqx = 0;
    let sumq2 = 0;
    xs.forEach((x, j) => {
      const q = values[bestIndexInt8(values, f(id * x))] ?? 0;
      const w = weight[j] ?? 0;
      sumqx = f(sumqx + f(f(w * q) * x));
      sumq2 = f(sumq2 + f(f(w * q) * q));
    });
    return { sumqx, sumq2 };
  };
  let d = f(-max / v0);
  const first = fit(f(1 / d));
  d = first.sumq2 > 0 ? f(first.sumqx / first.sumq2) : 0;
  let best = f(d * first.sumqx);
  for (let itry = -ntry; itry <= ntry; itry++) {
    const { sumqx, sumq2 } = fit(f((itry + v0) / max));
    if (sumq2 > 0 && f(sumqx * sumqx) > f(best * sumq2)) {
      d = f(sumqx / sumq2);
      best = f(d * sumqx);
    }
  }
  const dh = toFp16(d);
  const id = d ? f(1 / d) : 0;
  const codes = xs.map((x) => bestIndexInt8(values, f(id * x)));
  const levels = codes.map((q) => values[q] ?? 0);
  return { codes, levels, deq: levels.map((l) => f(dh * l)), group: { scale: dh, scaleFormat: 'FP16' } };
}

/** quantize_row_mxfp4_ref: shared exponent e = floor(log2 amax) − 2 (E8M0, bias 127), then the nearest E2M1 value. */
function quantizeMxfp4(xs: number[]): GroupOut {
  const { amax } = signedAbsMax(xs);
  const biased = amax > 0 ? Math.min(254, Math.max(0, exponentOf(amax) - 2 + 127)) : 0;
  const scale = 2 ** (biased - 127);
  const codes = xs.map((x) => bestIndexFp4(x, scale));
  const levels = codes.map((q) => E2M1_VALUES[q] ?? 0);
  return { codes, levels, deq: levels.map((l) => f(l * scale)), group: { scale, scaleFormat: 'E8M0' } };
}

/** One NVFP4 block of 16: E4M3 scale of amax / 6 in units of the tensor scale, then the nearest E2M1 value. */
function quantizeNvfp4Block(xs: number[], tensorScale: number): GroupOut {
  const { amax } = signedAbsMax(xs);
  const blockScale = tensorScale > 0 ? toE4m3(f(amax / 6 / tensorScale)) : 0;
  const d = f(blockScale * tensorScale);
  const codes = xs.map((x) => bestIndexFp4(x, d));
  const levels = codes.map((q) => E2M1_VALUES[q] ?? 0);
  return { codes, levels, deq: levels.map((l) => f(l * d)), group: { scale: blockScale, scaleFormat: 'E4M3' } };
}

/** Quantizes 1 to 32 values (one block; NVFP4: blocks of 16) and measures the round-trip error. */
export function quantizeDemo(values: readonly number[], scheme: DemoScheme): DemoResult {
  const input = values.map((v) => f(v));
  const size = scaleGroupSize(scheme);
  const tensorScale = scheme === 'NVFP4' ? f(signedAbsMax(input).amax / (6 * 448)) : undefined;
  const codes: number[] = [];
  const levels: number[] = [];
  const dequantized: number[] = [];
  const groups: ScaleGroup[] = [];
  for (let start = 0; start < input.length; start += size) {
    const xs = input.slice(start, start + size);
    let out: GroupOut;
    switch (scheme) {
      case 'Q8_0':
        out = quantizeQ8(xs);
        break;
      case 'Q5_0':
        out = quantizeSymmetric(xs, 16);
        break;
      case 'Q4_0':
        out = quantizeSymmetric(xs, 8);
        break;
      case 'Q5_1':
        out = quantizeAsymmetric(xs, 5);
        break;
      case 'Q4_1':
        out = quantizeAsymmetric(xs, 4);
        break;
      case 'IQ4_NL':
        out = quantizeIq4nl(xs);
        break;
      case 'MXFP4':
        out = quantizeMxfp4(xs);
        break;
      case 'NVFP4':
        out = quantizeNvfp4Block(xs, tensorScale ?? 0);
        break;
    }
    // x + 0 turns a negative zero (0 / -8) into 0, so it prints as "0".
    codes.push(...out.codes);
    levels.push(...out.levels.map((l) => l + 0));
    dequantized.push(...out.deq.map((w) => w + 0));
    const group: ScaleGroup = { start, end: start + xs.length, scale: out.group.scale + 0, scaleFormat: out.group.scaleFormat };
    if (out.group.min !== undefined) group.min = out.group.min + 0;
    groups.push(group);
  }
  const errors = dequantized.map((w, i) => w - (input[i] ?? 0));
  const sq = errors.reduce((s, e) => s + e * e, 0);
  const result: DemoResult = {
    scheme,
    input,
    codes,
    levels,
    groups,
    dequantized,
    errors,
    rmse: errors.length ? Math.sqrt(sq / errors.length) : 0,
    maxAbsError: errors.reduce((m, e) => Math.max(m, Math.abs(e)), 0),
  };
  if (tensorScale !== undefined) result.tensorScale = tensorScale;
  return result;
}

/** The dequantization formula of each scheme, as plain text. */
export const DEMO_FORMULA: Record<DemoScheme, string> = {
  Q8_0: 'w = d · q, q from −127 to 127',
  Q5_1: 'w = d · q + m, q from 0 to 31',
  Q5_0: 'w = d · (q − 16), q from 0 to 31',
  Q4_1: 'w = d · q + m, q from 0 to 15',
  Q4_0: 'w = d · (q − 8), q from 0 to 15',
  IQ4_NL: 'w = d · table[q], table = −127 … 113 (16 uneven steps)',
  MXFP4: 'w = 2^e · fp4[q], fp4 = 0, ±0.5, ±1, ±1.5, ±2, ±3, ±4, ±6',
  NVFP4: 'w = s_tensor · s_block · fp4[q], s_block in FP8 E4M3 per 16 values',
};

/** A deterministic pseudo-random generator (mulberry32), so a seed in the URL always gives the same vector. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n draws from a standard normal distribution (Box–Muller), rounded to 2 decimals, from a seed. */
export function randomNormalVector(seed: number, n = 32): number[] {
  const next = mulberry32(seed);
  const out: number[] = [];
  while (out.length < n) {
    const u1 = Math.max(next(), 1e-12);
    const u2 = next();
    const r = Math.sqrt(-2 * Math.log(u1));
    out.push(Math.round(r * Math.cos(2 * Math.PI * u2) * 100) / 100);
    if (out.length < n) out.push(Math.round(r * Math.sin(2 * Math.PI * u2) * 100) / 100);
  }
  return out.map((v) => (Object.is(v, -0) ? 0 : v));
}

export const MAX_DEMO_VALUES = 32;
export const MAX_DEMO_MAGNITUDE = 1000;

/** Parses a pasted list of weights: numbers separated by commas, spaces, semicolons or new lines; brackets ignored. */
export function parseWeightList(raw: string | null | undefined, label = 'Weights'): Parsed<number[]> {
  const text = (raw ?? '').replace(/[[\]()]/g, ' ').trim();
  if (text === '') return { ok: false, message: `${label}: enter between 1 and ${MAX_DEMO_VALUES} numbers.` };
  const parts = text.split(/[\s,;]+/).filter((p) => p !== '');
  if (parts.length > MAX_DEMO_VALUES) {
    return { ok: false, message: `${label}: ${parts.length} numbers given; one block holds at most ${MAX_DEMO_VALUES}.` };
  }
  const values: number[] = [];
  for (const p of parts) {
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(p)) {
      const shown = p.length > 16 ? `${p.slice(0, 16)}…` : p;
      return { ok: false, message: `${label}: “${shown}” is not a number.` };
    }
    const v = Number(p);
    if (!Number.isFinite(v) || Math.abs(v) > MAX_DEMO_MAGNITUDE) {
      return { ok: false, message: `${label}: every value must be between −${MAX_DEMO_MAGNITUDE} and ${MAX_DEMO_MAGNITUDE}.` };
    }
    values.push(v);
  }
  return { ok: true, value: values };
}

/** Up to 4 significant digits, no exponent for the magnitudes weights have, "0" for zero: how the demo prints numbers. */
export function formatSignificant(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-4 && a < 1e6) return String(Number(v.toPrecision(4)));
  return v.toExponential(3);
}
