/**
 * The memory a device offers a runtime, and how a device is described to the planner.
 *
 * Apple Silicon: unified memory, of which Metal lets the GPU use recommendedMaxWorkingSetSize. Measured shares
 * (public measurements): M1 Max 32 GB 2/3 (llama.cpp PR #2011); M3 16 GB 74% (llmfit PR #754); 64 GB Macs
 * ~73-75% (llama.cpp issue #1870); M5 Max 128 GB 84% (antirez/ds4 PR #893). The catalog carries the figure per
 * machine; for a Mac without one, the rule of those measurements is used: 2/3 up to 36 GiB, 3/4 up to 64 GiB,
 * 84% above. The user may raise it (sudo sysctl iogpu.wired_limit_mb) but never to 100%: macOS needs memory too.
 */
import { SizingError } from '../errors.ts';
import { GiB } from '../units.ts';

export type PlanDeviceKind = 'gpu' | 'apple' | 'cpu';

/** A device as the planner takes it: a catalog entry (src/data/devices.ts) or one the user describes. */
export interface PlanDevice {
  id?: string;
  name: string;
  kind: PlanDeviceKind;
  /** Physical memory in bytes (a "24 GB" card: 24 x 2^30). */
  memoryBytes: number;
  /** Peak memory bandwidth, GB/s (10^9 bytes per second). */
  bandwidthGBps?: number;
  /** Dense FP16 tensor throughput, TFLOPS (for the prefill bound). */
  fp16TensorTflops?: number;
  /** Apple: share of unified memory the GPU may use (recommendedMaxWorkingSetSize / memory). */
  gpuWorkingSetShare?: number;
  /** GPUs: the total CUDA reports to a process (vLLM's total_gpu_memory), when a public log of the GPU gives it. */
  cudaTotalBytes?: number;
}

/**
 * What CUDA reports as a GPU's total when no log of it is known: the card's memory less 0.45 GiB, the median gap in
 * the public logs read (0.26 GiB on a T4 to 0.85 GiB on an A100 80GB: what the driver keeps, ECC reserve included).
 */
export const CUDA_RESERVED_ESTIMATE_BYTES = Math.round(0.45 * GiB);

/** The GPU total CUDA reports (vLLM sizes its budget from it), and whether it is the GPU's own figure or an estimate. */
export function cudaVisibleBytes(d: PlanDevice): { bytes: number; estimated: boolean } {
  if (d.cudaTotalBytes !== undefined) return { bytes: d.cudaTotalBytes, estimated: false };
  return { bytes: Math.max(0, d.memoryBytes - CUDA_RESERVED_ESTIMATE_BYTES), estimated: true };
}

/** The working-set share of a Mac without a measured figure (see the header for the measurements). */
export function defaultWorkingSetShare(memoryBytes: number): number {
  if (memoryBytes <= 36 * GiB) return 2 / 3;
  if (memoryBytes <= 64 * GiB) return 0.75;
  return 0.84;
}

/** Memory the runtime may fill on an accelerator: all of a GPU, the working-set share of a Mac. */
export function usableGpuBytes(d: PlanDevice): number {
  if (!(Number.isFinite(d.memoryBytes) && d.memoryBytes > 0)) {
    throw new SizingError(`${d.name}: memory must be a positive number of bytes`, 'devices');
  }
  if (d.kind !== 'apple') return d.memoryBytes;
  const share = d.gpuWorkingSetShare ?? defaultWorkingSetShare(d.memoryBytes);
  if (!(share > 0 && share < 1)) {
    throw new SizingError(`${d.name}: the GPU working-set share must be above 0 and below 1 (macOS keeps memory for itself), got ${share}`, 'gpuWorkingSetShare');
  }
  return Math.floor(share * d.memoryBytes);
}
