/**
 * Types and small helpers shared by the planners (fit.ts and its per-runtime modules fit-llamacpp.ts, fit-vllm.ts,
 * fit-transformers.ts): the input, the memory rows, the verdict.
 */
import type { Estimate, ModelSource, RuntimeChoice } from '../memory/estimate.ts';
import type { PlanDevice } from './devices.ts';
import type { SizedTensor } from './sized-tensors.ts';
import type { ModelShape } from '../types.ts';
import { MiB } from '../units.ts';
import type { LlamaCppPlacement, TransformersPlacement, VllmPlacement } from './placements.ts';

/** llama.cpp --fit's default margin per device (-fitt / --fit-target 1024 MiB: common/arg.cpp and src/llama-fit-params.cpp of ggml-org/llama.cpp). */
export const DEFAULT_MARGIN_BYTES = 1024 * MiB;

export interface FitInput {
  model: ModelSource;
  /** Catalog id or label, for messages and launch commands. */
  modelLabel?: string;
  /** Hugging Face repository (vLLM serve) or Ollama tag, for launch commands. */
  hfId?: string;
  quant: string;
  /** Context in tokens per sequence. */
  ctx: number;
  /** Sequences served in parallel (llama.cpp -np, vLLM concurrent requests). Default 1. */
  seqs?: number;
  kvType?: string;
  runtime?: RuntimeChoice;
  /** GPUs and Macs to place the model on (any mix of sizes); 'cpu' entries describe system RAM. */
  devices: PlanDevice[];
  /** System RAM in bytes. Default: a 'cpu' device's memory, or a Mac's whole unified memory; else unchecked. */
  ramBytes?: number;
  /** System RAM bandwidth, GB/s (speed.ts). Default: a 'cpu' device's, or the Mac's. */
  ramBandwidthGBps?: number;
  /** Memory to keep free on every GPU. Default 1024 MiB (llama.cpp --fit). vLLM uses gpu_memory_utilization instead. */
  marginBytes?: number;
  flashAttn?: boolean;
  ubatch?: number;
  version?: string;
  /** vLLM --gpu-memory-utilization (default: the profile's: 0.92 since v0.21, 0.9 before). */
  gpuMemoryUtilization?: number;
  /** vLLM --max-num-seqs and --max-num-batched-tokens (default: vLLM's for the GPU). */
  maxNumSeqs?: number;
  maxNumBatchedTokens?: number;
  imatrix?: boolean;
}

export type Verdict = 'fits' | 'fits-with-offload' | 'does-not-fit';
export type MemoryPart = 'weights' | 'kv' | 'compute' | 'overhead';

/** Bytes on one memory: what is placed there, what it offers, what is left. */
export interface MemoryRow {
  weights: number;
  kv: number;
  compute: number;
  /** CUDA context (GPUs); 0 elsewhere. */
  overhead: number;
  used: number;
  /** What the runtime may fill (a GPU's memory, a Mac's working set, vLLM's utilization cap, RAM). null: not given. */
  budget: number | null;
  /** budget - used (before the margin). null when the budget is unknown. */
  free: number | null;
}

export interface DevicePlan extends MemoryRow {
  device: PlanDevice;
  budget: number;
  free: number;
  /** Memory to leave free on top (--fit margin); 0 for vLLM, whose cap is the utilization. */
  margin: number;
  /** Transformer blocks placed here. */
  layers: number;
  holdsOutput: boolean;
  fits: boolean;
}

export interface RamPlan extends MemoryRow {
  /** Transformer blocks whose weights are in RAM (routed experts moved by --n-cpu-moe not counted). */
  layers: number;
  /** Blocks whose routed experts are in RAM while the rest of the block is on a GPU. */
  expertLayers: number;
  /** A Mac: RAM and GPU memory are one; the GPU's use is taken from the budget. */
  unified: boolean;
  fits: boolean;
}

export interface FitPlan {
  verdict: Verdict;
  reason: string;
  runtime: RuntimeChoice;
  quant: string;
  ctx: number;
  seqs: number;
  kvType: string;
  modelLabel: string;
  hfId?: string;
  devices: DevicePlan[];
  ram: RamPlan;
  /** The device with the least room above its margin, and its largest part. */
  tightest: { device: string; freeAboveMargin: number; largestPart: MemoryPart } | null;
  llamaCpp?: LlamaCppPlacement;
  vllm?: VllmPlacement;
  transformers?: TransformersPlacement;
  estimate: Estimate;
  notes: string[];
}

/** What every runtime's planner starts from: the inputs checked and the engine's figures for them. */
export interface PlanContext {
  input: FitInput;
  runtime: RuntimeChoice;
  seqs: number;
  kvType: string;
  shape: ModelShape;
  tensors: SizedTensor[];
  estimate: Estimate;
  /** Accelerators (GPUs and Macs), in the order given. */
  gpus: PlanDevice[];
  margin: number;
  ramBytes: number | null;
  unified: boolean;
  backend: 'cuda' | 'metal' | 'cpu';
  modelLabel: string;
}

export function defaultKvType(runtime: RuntimeChoice): string {
  return runtime === 'vllm' ? 'auto' : runtime === 'transformers' ? 'bf16' : 'f16';
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers shared by the runtime planners

export function memoryRow(parts: { weights: number; kv: number; compute: number; overhead: number }, budget: number | null): MemoryRow {
  const used = parts.weights + parts.kv + parts.compute + parts.overhead;
  return { ...parts, used, budget, free: budget === null ? null : budget - used };
}

export function largestPart(r: MemoryRow): MemoryPart {
  const parts: [MemoryPart, number][] = [['weights', r.weights], ['kv', r.kv], ['compute', r.compute], ['overhead', r.overhead]];
  return parts.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
}

export function tightestDevice(devices: DevicePlan[]): FitPlan['tightest'] {
  let best: DevicePlan | undefined;
  for (const d of devices) if (!best || d.free - d.margin < best.free - best.margin) best = d;
  return best ? { device: best.device.name, freeAboveMargin: best.free - best.margin, largestPart: largestPart(best) } : null;
}

/** RAM row: what is placed in host memory; on a Mac the GPU's use comes out of the same memory. */
export function ramRow(
  c: PlanContext,
  parts: { weights: number; kv: number; compute: number },
  layers: number,
  expertLayers: number,
  gpuUsedOnUnified: number,
): RamPlan {
  const budget = c.ramBytes === null ? null : c.ramBytes - (c.unified ? gpuUsedOnUnified : 0);
  const row = memoryRow({ ...parts, overhead: 0 }, budget);
  return { ...row, layers, expertLayers, unified: c.unified, fits: row.free === null || row.free >= 0 };
}

export function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
}

/** The verdict every placement reduces to: all on accelerators, some in RAM, or not at all. */
export function verdictOf(allOnGpu: boolean, gpusFit: boolean, ram: RamPlan): Verdict {
  if (!gpusFit || !ram.fits) return 'does-not-fit';
  return allOnGpu ? 'fits' : 'fits-with-offload';
}

/**
 * The fields every runtime's plan shares, from the context; each runtime adds its placement (llamaCpp, vllm or
 * transformers). `tightest` is filled in by planFit once the devices are known.
 */
export function planOf(
  c: PlanContext,
  parts: Pick<FitPlan, 'verdict' | 'reason' | 'devices' | 'ram' | 'notes'> & Partial<Pick<FitPlan, 'llamaCpp' | 'vllm' | 'transformers'>>,
): FitPlan {
  const plan: FitPlan = {
    runtime: c.runtime,
    quant: c.estimate.quant.id,
    ctx: c.input.ctx,
    seqs: c.seqs,
    kvType: c.kvType,
    modelLabel: c.modelLabel,
    tightest: null,
    estimate: c.estimate,
    ...parts,
  };
  if (c.input.hfId !== undefined) plan.hfId = c.input.hfId;
  return plan;
}

export function baseNotes(c: PlanContext): string[] {
  const notes = [...c.estimate.notes];
  if (c.ramBytes === null) notes.push('System RAM not given: what goes to RAM is shown but not checked.');
  if (c.unified) notes.push('Apple unified memory: the GPU may use only its working-set share; RAM and GPU memory are the same chips.');
  return notes;
}

