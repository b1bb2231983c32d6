/**
 * Inverse questions on top of planFit: the largest context, the most parallel sequences, the best quantization,
 * the fewest GPUs, the largest catalog model that fit. Each answer comes with the reason (which device runs out,
 * and of what) and the plan at the answer, so a page can show the breakdown behind it.
 *
 * "Fits" means verdict 'fits' (everything on the accelerators; CPU-only when no GPU is given) unless
 * `allowOffload` accepts 'fits-with-offload'. Every search relies on monotonicity (more context, more sequences,
 * more bits never need less memory) and is checked by the tests by plugging the answer back in.
 */
import { SizingError } from '../errors.ts';
import { planFit } from './fit.ts';
import type { FitInput, FitPlan, MemoryPart } from './fit-common.ts';
import type { PlanDevice } from './devices.ts';
import { canonicalFileTypeId, llamaCppFileTypes } from '../formats/file-types.ts';
import { quantQuality, type QuantQuality } from './quant-quality.ts';
import { gpuFormats } from '../formats/gpu-formats.ts';
import { shapeOf } from './sized-tensors.ts';
import { vllmProfile } from '../memory/runtime.ts';
import type { HfConfig } from '../types.ts';

export interface SolverOptions {
  /** Accept a plan that keeps part of the model in RAM (default false: everything on the GPUs). */
  allowOffload?: boolean;
}

export interface Limit {
  /** The device that runs out first ('RAM' for host memory, 'model' when the model's own limit is reached). */
  device: string;
  part: MemoryPart | 'ram' | 'model-max-context' | 'runtime';
  explanation: string;
}

function accepts(plan: FitPlan, opts: SolverOptions): boolean {
  return plan.verdict === 'fits' || (opts.allowOffload === true && plan.verdict === 'fits-with-offload');
}

function tryPlan(input: FitInput): FitPlan | null {
  try {
    return planFit(input);
  } catch (e) {
    if (e instanceof SizingError) return null;
    throw e;
  }
}

/** Why a plan is at its limit: the device with the least room and its largest context-dependent part. */
export function limitOf(plan: FitPlan, failing: FitPlan | null): Limit {
  const probe = failing ?? plan;
  if (probe.vllm && probe.reason.startsWith('vLLM refuses')) return { device: 'all GPUs', part: 'runtime', explanation: probe.reason };
  if (probe.vllm) {
    // vLLM gives the KV pool whatever its budget leaves: the pool is the limit, unless nothing is left for it at all.
    const part: MemoryPart = probe.vllm.availableKvBytesPerGpu <= 0 ? 'weights' : 'kv';
    return { device: probe.devices.length > 1 ? 'every GPU' : (probe.devices[0]?.device.name ?? 'GPU'), part, explanation: probe.reason };
  }
  if (!probe.ram.fits) return { device: 'RAM', part: 'ram', explanation: `RAM runs out first: ${probe.reason}` };
  const rows = probe.devices.length > 0 ? probe.devices : [];
  if (rows.length === 0) {
    const part = probe.ram.kv >= probe.ram.compute ? 'kv' : 'compute';
    return { device: 'RAM', part, explanation: `RAM runs out; its context-dependent part is the ${part === 'kv' ? 'KV cache' : 'compute buffer'}.` };
  }
  const worst = rows.reduce((a, b) => (b.free - b.margin < a.free - a.margin ? b : a));
  if (probe.verdict === 'fits-with-offload') {
    // Part of the model went to RAM: do the weights alone exceed what the GPUs offer, or does the context tip it?
    const room = rows.reduce((s, d) => s + d.budget - d.margin - d.overhead - d.compute, 0);
    const part: MemoryPart = probe.estimate.weightsBytes > room ? 'weights' : probe.estimate.kvCacheBytes >= worst.compute ? 'kv' : 'compute';
    const what = part === 'weights' ? 'the weights alone are more than the GPUs hold' : `the ${part === 'kv' ? 'KV cache' : 'compute buffer'} pushes layers to RAM`;
    return { device: worst.device.name, part, explanation: `${probe.reason} Of everything, ${what}.` };
  }
  const fixed = worst.weights + worst.overhead;
  const part: MemoryPart = fixed + worst.margin > worst.budget ? 'weights' : worst.kv >= worst.compute ? 'kv' : 'compute';
  const what = part === 'weights' ? 'the weights alone leave no room above the margin' : `the part that grows is the ${part === 'kv' ? 'KV cache' : 'compute buffer'}`;
  return {
    device: worst.device.name,
    part,
    explanation: `${worst.device.name} runs out first (${(worst.free / 2 ** 30).toFixed(2)} GiB free, margin ${(worst.margin / 2 ** 30).toFixed(2)} GiB): ${what}.`,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Largest context

export interface MaxContextResult {
  /** Largest context per sequence that fits (0: not even the smallest step). */
  ctx: number;
  /** The granularity searched: llama.cpp pads the context to 256 cells, vLLM allocates blocks of 16 tokens. */
  step: number;
  limitedBy: Limit;
  plan: FitPlan | null;
  /** The plan at ctx + step (null when ctx is the model's own maximum). */
  nextPlan: FitPlan | null;
}

/** Context granularity of a runtime: a context between two steps costs as much as the next step. */
export function contextStep(input: FitInput): number {
  const runtime = input.runtime ?? 'llama.cpp';
  if (runtime === 'vllm') return vllmProfile(input.version).blockSize;
  if (runtime === 'transformers') return 1;
  return 256; // GGML_PAD(n_ctx, 256), llama.cpp PR #17046 (src/llama-context.cpp)
}

export function maxContext(input: Omit<FitInput, 'ctx'> & { ctx?: number; maxCtx?: number }, opts: SolverOptions = {}): MaxContextResult {
  const step = contextStep(input as FitInput);
  const limit = input.maxCtx ?? shapeOf(input.model).maxContext;
  const hiK = Math.floor(limit / step);
  const at = (k: number): FitPlan | null => tryPlan({ ...input, ctx: k * step } as FitInput);
  const ok = (k: number): boolean => {
    const p = at(k);
    return p !== null && accepts(p, opts);
  };
  if (hiK < 1) throw new SizingError(`The model's context (${limit}) is below one step of ${step} tokens`, 'ctx');
  if (!ok(1)) {
    const p = at(1);
    return { ctx: 0, step, limitedBy: p ? limitOf(p, p) : { device: 'input', part: 'runtime', explanation: 'The inputs are not valid for this runtime.' }, plan: null, nextPlan: p };
  }
  if (ok(hiK)) {
    const p = at(hiK);
    return {
      ctx: hiK * step,
      step,
      limitedBy: { device: 'model', part: 'model-max-context', explanation: `The model's own maximum context (${limit} tokens) fits.` },
      plan: p,
      nextPlan: null,
    };
  }
  let lo = 1;
  let hi = hiK; // ok(lo), !ok(hi)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  const plan = at(lo);
  const next = at(lo + 1);
  return { ctx: lo * step, step, limitedBy: plan ? limitOf(plan, next) : limitOf(next as FitPlan, next), plan, nextPlan: next };
}

// ---------------------------------------------------------------------------------------------------------------
// Most sequences in parallel

export interface MaxConcurrencyResult {
  /** Most sequences of `ctx` tokens each served at once (0: not even one). */
  seqs: number;
  limitedBy: Limit;
  plan: FitPlan | null;
  /** vLLM's own "Maximum concurrency for ctx tokens per request" at the answer (its pool, not a requirement). */
  vllmMaxConcurrency?: number;
}

export function maxConcurrency(input: Omit<FitInput, 'seqs' | 'ctx'>, ctx: number, opts: SolverOptions & { maxSeqs?: number } = {}): MaxConcurrencyResult {
  const cap = opts.maxSeqs ?? 256;
  const at = (s: number): FitPlan | null => tryPlan({ ...input, ctx, seqs: s });
  const ok = (s: number): boolean => {
    const p = at(s);
    return p !== null && accepts(p, opts);
  };
  if (!ok(1)) {
    const p = at(1);
    return { seqs: 0, limitedBy: p ? limitOf(p, p) : { device: 'input', part: 'runtime', explanation: 'The inputs are not valid.' }, plan: null };
  }
  let lo = 1;
  let hi = cap + 1;
  if (ok(cap)) lo = cap;
  else {
    hi = cap;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (ok(mid)) lo = mid;
      else hi = mid;
    }
  }
  const plan = at(lo);
  const next = lo === cap ? null : at(lo + 1);
  const limitedBy = lo === cap ? { device: 'input', part: 'runtime' as const, explanation: `The search stops at ${cap} sequences.` } : limitOf(plan as FitPlan, next);
  const result: MaxConcurrencyResult = { seqs: lo, limitedBy, plan };
  if (plan?.vllm) result.vllmMaxConcurrency = plan.vllm.maxConcurrency;
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Best quantization

export interface QuantCandidate {
  quant: string;
  bitsPerWeight: number;
  /** GGUF file types: mean KLD from FP16, measured (llama.cpp's Llama 3 8B scoreboard) or interpolated; null for GPU formats. */
  quality: QuantQuality | null;
  verdict: FitPlan['verdict'] | 'invalid';
  reason: string;
}

export interface BestQuantResult {
  /** The best candidate that fits (GGUF: lowest mean KLD, measured where the site has it; GPU formats: most bits), or null. */
  quant: string | null;
  bitsPerWeight: number | null;
  limitedBy: Limit | null;
  plan: FitPlan | null;
  /** Every candidate, best first. */
  candidates: QuantCandidate[];
}

/**
 * Default candidates: llama-quantize's own file types for llama.cpp / Ollama; the GPU formats for vLLM and
 * transformers. Left out: F32 / fp32 (a 16-bit checkpoint gains nothing from 32 bits) and the ternary TQ types
 * (only for models trained ternary).
 */
export function defaultQuantCandidates(runtime: FitInput['runtime']): string[] {
  if (runtime === 'vllm' || runtime === 'transformers') return gpuFormats().map((f) => f.id).filter((id) => id !== 'fp32');
  // Ternary (TQ) and 1/2-bit Q1_0 / Q2_0 keep little more than signs on a model not trained for them: never advised.
  return llamaCppFileTypes().map((f) => f.id).filter((id) => id !== 'F32' && !id.startsWith('TQ') && id !== 'Q1_0' && id !== 'Q2_0');
}

export function bestQuantThatFits(input: Omit<FitInput, 'quant'>, candidates?: string[], opts: SolverOptions = {}): BestQuantResult {
  const list = candidates ?? defaultQuantCandidates(input.runtime);
  const tried = list.map((quant) => {
    let plan: FitPlan | null = null;
    let error = '';
    let imatrix = input.imatrix ?? false;
    try {
      plan = planFit({ ...input, quant });
    } catch (e) {
      if (!(e instanceof SizingError)) throw e;
      // Files whose mix needs an importance matrix are published made with one.
      if (e.field === 'imatrix') {
        plan = tryPlan({ ...input, quant, imatrix: true });
        imatrix = true;
      }
      if (!plan) error = e.message;
    }
    return { quant, plan, error, imatrix };
  });
  // GGUF file types rank by quality (mean KLD, measured where there is a measurement), GPU formats by bits per weight.
  const ranked = tried
    .map((t) => {
      const bpw = t.plan ? t.plan.estimate.weights.bitsPerWeight : -1;
      const gguf = t.plan ? t.plan.estimate.quant.kind === 'gguf' : canonicalFileTypeId(t.quant) !== undefined;
      const quality = gguf && bpw > 0 ? quantQuality(t.plan?.quant ?? t.quant, t.imatrix, bpw) : null;
      return { ...t, bpw, quality };
    })
    .sort((a, b) => (a.quality && b.quality && a.quality.meanKld !== b.quality.meanKld ? a.quality.meanKld - b.quality.meanKld : b.bpw - a.bpw));
  const candidatesOut: QuantCandidate[] = ranked.map((t) => ({
    quant: t.plan?.quant ?? t.quant,
    bitsPerWeight: t.bpw,
    quality: t.quality,
    verdict: t.plan ? t.plan.verdict : 'invalid',
    reason: t.plan ? t.plan.reason : t.error,
  }));
  const bestIndex = ranked.findIndex((t) => t.plan !== null && accepts(t.plan, opts));
  const best = ranked[bestIndex];
  if (!best || !best.plan) {
    const smallest = [...ranked].reverse().find((t) => t.plan !== null);
    return { quant: null, bitsPerWeight: null, limitedBy: smallest?.plan ? limitOf(smallest.plan, smallest.plan) : null, plan: null, candidates: candidatesOut };
  }
  // Why not better: the next better candidate, which did not fit.
  const above = ranked.slice(0, bestIndex).reverse().find((t) => t.plan !== null);
  return {
    quant: best.plan.quant,
    bitsPerWeight: best.bpw,
    limitedBy: above?.plan ? limitOf(best.plan, above.plan) : { device: 'none', part: 'runtime', explanation: 'The best candidate fits.' },
    plan: best.plan,
    candidates: candidatesOut,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Fewest GPUs

export interface FewestGpusResult {
  /** Number of identical GPUs needed, or null when maxGpus are not enough. */
  gpus: number | null;
  plan: FitPlan | null;
  /** Why one GPU fewer does not do (or why even maxGpus do not). */
  limitedBy: Limit | null;
}

export function fewestGpus(input: Omit<FitInput, 'devices'> & { ramDevice?: PlanDevice }, device: PlanDevice, opts: SolverOptions & { maxGpus?: number } = {}): FewestGpusResult {
  const max = opts.maxGpus ?? 16;
  let previous: FitPlan | null = null;
  for (let n = 1; n <= max; n++) {
    const devices = Array.from({ length: n }, () => device);
    if (input.ramDevice) devices.push(input.ramDevice);
    const plan = tryPlan({ ...input, devices });
    if (plan && accepts(plan, opts)) return { gpus: n, plan, limitedBy: previous ? limitOf(previous, previous) : null };
    if (plan) previous = plan;
  }
  return { gpus: null, plan: previous, limitedBy: previous ? limitOf(previous, previous) : null };
}

// ---------------------------------------------------------------------------------------------------------------
// Largest model

export interface CatalogModel {
  id: string;
  name: string;
  hfId?: string;
  config: HfConfig;
  params: { total: number };
}

export interface LargestModelResult {
  model: CatalogModel | null;
  plan: FitPlan | null;
  /** Every model tried, largest first. */
  tried: { id: string; params: number; verdict: FitPlan['verdict'] | 'invalid'; reason: string }[];
}

export function largestModelThatFits(input: Omit<FitInput, 'model'>, models: readonly CatalogModel[], opts: SolverOptions = {}): LargestModelResult {
  // Largest first; equal sizes in id order, so the answer does not depend on how the catalog is listed.
  const byParams = [...models].sort((a, b) => b.params.total - a.params.total || a.id.localeCompare(b.id));
  const tried: LargestModelResult['tried'] = [];
  let found: { model: CatalogModel; plan: FitPlan } | null = null;
  for (const m of byParams) {
    let plan: FitPlan | null = null;
    let error = '';
    try {
      plan = planFit({ ...input, model: { kind: 'config', config: m.config }, modelLabel: m.id, ...(m.hfId ? { hfId: m.hfId } : {}) });
    } catch (e) {
      if (!(e instanceof SizingError)) throw e;
      error = e.message;
    }
    tried.push({ id: m.id, params: m.params.total, verdict: plan ? plan.verdict : 'invalid', reason: plan ? plan.reason : error });
    if (!found && plan && accepts(plan, opts)) found = { model: m, plan };
  }
  return { model: found?.model ?? null, plan: found?.plan ?? null, tried };
}
