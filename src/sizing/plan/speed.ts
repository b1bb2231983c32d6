/**
 * How fast a plan can decode and prefill: upper bounds from memory bandwidth and compute, never predictions.
 *
 * Decode: one token reads every weight it uses and the cached context once, so
 *   seconds per token >= sum over memories of bytes read there / that memory's bandwidth
 * (with offload the GPU part and the RAM part run one after the other: times add, speeds do not). Bytes read:
 *  - weights: all of a dense model; for MoE only the routed experts in use (n_expert_used / n_expert of each stacked
 *    expert tensor) plus shared experts, attention and router; the output head once (a tied embedding is that head);
 *    the input embedding lookup reads one row: negligible, counted as 0;
 *  - KV: every cached token of every full-attention layer, at most the window of a sliding-window layer, the latent
 *    of an MLA layer, the state of a recurrent layer (kv-per-layer.ts).
 * vLLM tensor parallelism: each GPU reads its shard at the same time, so the slowest rank sets the time.
 *
 * Real llama.cpp reaches a fraction of the bound (dequantization, kernels, synchronisation): measured fractions
 * below, each with its source. Prefill is compute-bound: 2 x active parameters FLOPs per token (matrix multiplies;
 * attention's own FLOPs are left out) over the device's dense FP16 tensor throughput, when it is known.
 */
import { SizingError } from '../errors.ts';
import { planFit } from './fit.ts';
import type { FitInput, FitPlan } from './fit-common.ts';
import type { PlanDevice } from './devices.ts';
import { kvReadBytesPerLayer } from '../memory/kv-per-layer.ts';
import { rankShare, shapePerRank } from './fit-vllm.ts';
import { isOutputLayerTensor, isRoutedExpertTensor, sizedTensors, type SizedTensor } from './sized-tensors.ts';
import type { ModelShape } from '../types.ts';

export interface EfficiencyRange {
  low: number;
  high: number;
  source: string;
}

/** Measured decode efficiency of llama.cpp (achieved / peak bandwidth), each from a public benchmark. */
const MEASURED_EFFICIENCY: readonly { chip: RegExp; range: EfficiencyRange }[] = [
  {
    chip: /^m2-ultra/,
    range: { low: 0.42, high: 0.56, source: 'llama.cpp PR #2917: M2 Ultra (800 GB/s), LLaMA-7B Q4_0 88.54 t/s (~338 GB/s, 42%), Q8_0 62.05 t/s (~444 GB/s, 56%)' },
  },
  {
    chip: /^m2-max/,
    range: { low: 0.59, high: 0.59, source: 'llama.cpp PR #2959: M2 Max 30-core (400 GB/s), LLaMA-7B Q4_0 61.7 t/s (~236 GB/s, 59%)' },
  },
  {
    chip: /^m4-\d+$/,
    range: { low: 0.86, high: 0.86, source: 'brand-o/normiebench issue #3: Mac mini M4 (120 GB/s), Llama-3.1-8B Q4_K_M 20.87 t/s (~103 GB/s, 86%)' },
  },
];

/** The measured range for a device, or the span of every measurement when none is for this device. */
export function efficiencyFor(device: PlanDevice | undefined): EfficiencyRange {
  const hit = device?.id ? MEASURED_EFFICIENCY.find((m) => m.chip.test(device.id ?? '')) : undefined;
  if (hit) return hit.range;
  return {
    low: 0.42,
    high: 0.86,
    source:
      'No measurement for this device; span of the published llama.cpp measurements: M2 Ultra 42-56% (PR #2917), M2 Max 59% (PR #2959), Mac mini M4 86% (brand-o/normiebench issue #3)',
  };
}

export interface DeviceRead {
  name: string;
  weightsBytes: number;
  kvBytes: number;
  bandwidthGBps: number;
  seconds: number;
}

export interface DecodeSpeed {
  label: 'upper bound';
  tokensPerSecondUpperBound: number;
  secondsPerToken: number;
  /** Tokens in the cache when the step is taken. */
  filled: number;
  bytesPerToken: { weights: number; kv: number; total: number };
  perDevice: DeviceRead[];
  efficiencyRange: EfficiencyRange;
  /** Upper bound x the efficiency range: what llama.cpp has reached on such hardware. */
  expectedTokensPerSecond: { low: number; high: number };
  plan: FitPlan;
  notes: string[];
}

/** Bytes one decode step reads from a tensor (before sharding). */
function weightReadBytes(t: SizedTensor, shape: ModelShape): number {
  if (t.role === 'token_embd' && !shape.tiedEmbeddings) return 0; // a lookup reads one row
  if (isRoutedExpertTensor(t) && t.layer !== null) {
    const f = shape.layers[t.layer]?.ffn;
    if (f?.kind === 'moe') return (t.bytes * f.nExpertUsed) / f.nExpert;
  }
  return t.bytes;
}

/** Memory index of a tensor in a llama.cpp / transformers plan: a GPU's index, or -1 for RAM. */
function locate(plan: FitPlan, t: SizedTensor, shape: ModelShape): number {
  const l = plan.llamaCpp;
  if (l) {
    if (t.layer !== null) return isRoutedExpertTensor(t) && t.layer < l.nCpuMoe ? -1 : (l.layerDevice[t.layer] ?? -1);
    if (isOutputLayerTensor(t)) return l.outputDevice;
    // A tied embedding is read as the output head, from the output layer's copy. rope_freqs and the like live
    // with block 0 (fit-llamacpp.ts).
    if (t.role === 'token_embd') return shape.tiedEmbeddings ? l.outputDevice : -1;
    return l.layerDevice[0] ?? -1;
  }
  const tr = plan.transformers;
  if (tr) {
    if (t.layer !== null) return tr.layerDevice[t.layer] ?? -1;
    return isOutputLayerTensor(t) ? tr.outputDevice : tr.embeddingDevice;
  }
  return 0;
}

function ramBandwidth(input: FitInput): number | undefined {
  return input.ramBandwidthGBps ?? input.devices.find((d) => d.kind === 'cpu')?.bandwidthGBps ?? input.devices.find((d) => d.kind === 'apple')?.bandwidthGBps;
}

export function decodeSpeed(input: FitInput & { filled?: number }): DecodeSpeed {
  const plan = planFit(input);
  const filled = input.filled ?? input.ctx;
  if (!(Number.isInteger(filled) && filled >= 0)) throw new SizingError(`filled must be a whole number of tokens, got ${filled}`, 'filled');
  const runtime = plan.runtime;
  const { shape, tensors } = sizedTensors(input.model, input.quant, runtime, input.imatrix);
  const gpus = plan.devices.map((d) => d.device);
  const notes = ['An upper bound: bandwidth / bytes read per token. Real decode reaches a fraction of it (efficiencyRange).'];
  const tp = plan.vllm?.tp ?? 1;
  const kvShape = plan.vllm ? shapePerRank(shape, tp) : shape;
  const kvRuntime = runtime === 'ollama' ? 'llama.cpp' : runtime;
  const kvRead = kvReadBytesPerLayer(kvShape, { runtime: kvRuntime, typeK: plan.kvType, typeV: plan.kvType, ...(input.flashAttn === undefined ? {} : { flashAttn: input.flashAttn }) }, filled);

  // Memories: index 0..n-1 the GPUs, n = RAM.
  const ram = gpus.length;
  const weights = new Array<number>(gpus.length + 1).fill(0);
  const kv = new Array<number>(gpus.length + 1).fill(0);
  const slot = (d: number): number => (d < 0 ? ram : d);
  for (const t of tensors) {
    const read = weightReadBytes(t, shape);
    if (plan.vllm) weights[0] = (weights[0] ?? 0) + read * rankShare(t, shape, tp);
    else {
      const i = slot(locate(plan, t, shape));
      weights[i] = (weights[i] ?? 0) + read;
    }
  }
  kvRead.forEach((b, i) => {
    const d = plan.llamaCpp ? (plan.llamaCpp.layerDevice[i] ?? -1) : plan.transformers ? (plan.transformers.layerDevice[i] ?? -1) : 0;
    kv[slot(d)] = (kv[slot(d)] ?? 0) + b;
  });
  const perDevice: DeviceRead[] = [];
  const memories = plan.vllm ? [0] : [...gpus.keys(), ram];
  for (const i of memories) {
    const w = weights[i] ?? 0;
    const k = kv[i] ?? 0;
    if (w + k === 0) continue;
    const isRam = i === ram && !plan.vllm;
    const bw = isRam ? ramBandwidth(input) : gpus[i]?.bandwidthGBps;
    const name = isRam ? 'RAM' : plan.vllm && tp > 1 ? `each of ${tp} x ${gpus[0]?.name}` : (gpus[i]?.name ?? 'GPU');
    if (!(bw !== undefined && bw > 0)) {
      throw new SizingError(`${name}: give its memory bandwidth (GB/s) to bound the speed`, isRam ? 'ramBandwidthGBps' : 'bandwidthGBps');
    }
    perDevice.push({ name, weightsBytes: w, kvBytes: k, bandwidthGBps: bw, seconds: (w + k) / (bw * 1e9) });
  }
  const seconds = perDevice.reduce((s, d) => s + d.seconds, 0);
  const wTotal = perDevice.reduce((s, d) => s + d.weightsBytes, 0);
  const kTotal = perDevice.reduce((s, d) => s + d.kvBytes, 0);
  if (plan.vllm && tp > 1) notes.push(`Tensor parallel: each GPU reads 1/${tp} of the sharded weights at the same time; all-reduce traffic is not counted.`);
  if (plan.transformers && perDevice.some((d) => d.name === 'RAM')) notes.push('transformers copies CPU-offloaded weights to the GPU every step over PCIe, usually slower than RAM bandwidth.');
  const main = perDevice.reduce<DeviceRead | undefined>((a, b) => (!a || b.seconds > a.seconds ? b : a), undefined);
  const mainDevice = main?.name === 'RAM' ? input.devices.find((d) => d.kind !== 'gpu') : (gpus.find((g) => main?.name.includes(g.name)) ?? gpus[0]);
  const efficiencyRange = efficiencyFor(mainDevice);
  const bound = seconds > 0 ? 1 / seconds : Infinity;
  return {
    label: 'upper bound',
    tokensPerSecondUpperBound: bound,
    secondsPerToken: seconds,
    filled,
    bytesPerToken: { weights: wTotal, kv: kTotal, total: wTotal + kTotal },
    perDevice,
    efficiencyRange,
    expectedTokensPerSecond: { low: bound * efficiencyRange.low, high: bound * efficiencyRange.high },
    plan,
    notes,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Prefill

export type PrefillSpeed =
  | {
      known: true;
      label: 'upper bound';
      tokensPerSecondUpperBound: number;
      /** Seconds to process the prompt at that bound. */
      secondsForPrompt: number;
      flopsPerToken: number;
      notes: string[];
    }
  | { known: false; reason: string };

export function prefillSpeed(input: FitInput & { promptTokens?: number }): PrefillSpeed {
  const plan = planFit(input);
  const gpus = plan.devices.map((d) => d.device);
  const missing = gpus.find((g) => !(g.fp16TensorTflops !== undefined && g.fp16TensorTflops > 0));
  if (gpus.length === 0 || missing) {
    return { known: false, reason: `Unknown: no verified FP16 tensor throughput for ${missing?.name ?? 'a CPU'}; give fp16TensorTflops to bound prefill.` };
  }
  // The embedding lookup is no matrix multiply: active parameters without the input embedding.
  const flopsPerToken = 2 * plan.estimate.params.activeWithoutInputEmbedding;
  let secondsPerToken: number;
  if (plan.vllm) {
    const total = gpus.reduce((s, g) => s + (g.fp16TensorTflops ?? 0), 0) * 1e12;
    secondsPerToken = flopsPerToken / total;
  } else {
    // Layer split: each GPU works on its share of the layers in turn.
    const layers = plan.devices.reduce((s, d) => s + d.layers, 0) || 1;
    secondsPerToken = plan.devices.reduce((s, d) => s + ((d.layers / layers) * flopsPerToken) / ((d.device.fp16TensorTflops ?? 1) * 1e12), 0);
  }
  const prompt = input.promptTokens ?? input.ctx;
  const notes = ['An upper bound from peak FP16 tensor throughput; attention FLOPs (growing with the prompt) are not counted.'];
  if (plan.verdict === 'fits-with-offload') notes.push('Part of the model is in RAM: llama.cpp copies those weights to the GPU for large batches, and PCIe then bounds prefill.');
  return { known: true, label: 'upper bound', tokensPerSecondUpperBound: 1 / secondsPerToken, secondsForPrompt: prompt * secondsPerToken, flopsPerToken, notes };
}
