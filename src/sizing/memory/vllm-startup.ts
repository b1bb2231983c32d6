/**
 * What vLLM decides at start-up, per GPU, as vllm/v1/worker/gpu_worker.py determine_available_memory (and V0's
 * worker.py) computes it:
 *
 *   requested    = ceil(total x gpu_memory_utilization)        total: what CUDA reports (torch.cuda.mem_get_info)
 *   available KV = requested - weights - non-torch growth - peak activations [- CUDA graph estimate, from v0.21]
 *
 * vLLM measures the last three at start-up; the engine estimates them, with the range seen in public logs:
 *  - peak activations: the profile run's largest allocation. The sampler warm-up over min(max_num_seqs,
 *    max_num_batched_tokens) rows of float32 logits [rows x padded vocabulary] holds about SAMPLER_COPIES copies of
 *    them (logits, probabilities, sorted values and int64 indices of the top-k/top-p pass); the dummy forward of
 *    max_num_batched_tokens tokens holds one layer's activations. The peak is the larger of the two.
 *  - non-torch growth: cuBLAS workspaces and, before #25359 (2025-09-23), NCCL and custom all-reduce buffers.
 *  - CUDA graphs: captured after the KV pool until v0.21, estimated and subtracted since.
 * test/unit/field-vllm.test.ts compares every figure with vLLM's own start-up lines (src/data/reference/field-vllm.json).
 */
import { SizingError } from '../errors.ts';
import { GiB } from '../units.ts';
import { vllmCapacity } from './kv-vllm.ts';
import { vllmSchedulerDefaults, type VllmGpu, type VllmProfile } from './runtime-profiles.ts';
import type { ModelShape } from '../types.ts';

/**
 * Float32 copies of the sampler's [rows x vocabulary] logits at the activation peak: 9.59 to 9.89 in the 18 start-up
 * logs of the fit set that print the peak (V0 and V1, T4 to H100, vocabularies of 32k to 201k); 9.72 is their median.
 */
export const SAMPLER_COPIES = 9.72;

/** Non-torch memory growth on one GPU: 0.02-0.14 GiB in the logs read without tensor parallelism. */
export const NON_TORCH_BYTES = Math.round(0.1 * GiB);
/** NCCL and custom all-reduce buffers, counted in non-torch growth before #25359: 0.54-0.55 GiB at TP 2 vs 0.13-0.14 at TP 1. */
export const NCCL_BYTES = Math.round(0.42 * GiB);

/** Ranges seen in public start-up logs, for the pages to show next to the estimates. */
export const OBSERVED = {
  nonTorchGiB: [0.02, 0.55],
  cudaGraphGiB: [0.17, 1.88],
  samplerCopies: [9.59, 9.89],
} as const;

export interface VllmStartupInput {
  profile: VllmProfile;
  /** Weights on one GPU (vllm-weights.ts). */
  weightsBytes: number;
  /** Tensor-parallel ranks. */
  tp: number;
  /** What CUDA reports as the GPU's total memory (vLLM's total_gpu_memory). */
  gpu: VllmGpu & { totalBytes: number };
  maxModelLen: number;
  utilization?: number;
  maxNumSeqs?: number;
  maxNumBatchedTokens?: number;
  /** --kv-cache-memory-bytes: the KV pool is this, whatever the rest (profiling is skipped). */
  kvCacheMemoryBytes?: number;
  enforceEager?: boolean;
}

export interface VllmStartup {
  utilization: number;
  maxNumSeqs: number;
  maxNumBatchedTokens: number;
  requestedBytes: number;
  weightsBytes: number;
  nonTorchBytes: number;
  activationPeakBytes: number;
  /** The CUDA graph memory vLLM would capture (an estimate), and whether it comes out of the KV pool. */
  cudaGraphBytes: number;
  cudaGraphSubtracted: boolean;
  /** "Available KV cache memory" (negative: vLLM refuses to start). */
  availableKvBytes: number;
  notes: string[];
}

/** The profile run's peak: the sampler warm-up or the dummy forward pass, whichever allocates more. */
export function vllmActivationPeak(shape: ModelShape, maxNumSeqs: number, maxNumBatchedTokens: number, tp: number): number {
  const rows = Math.min(maxNumSeqs, maxNumBatchedTokens);
  const vocab = Math.ceil(shape.vocabSize / 64) * 64;
  const sampler = SAMPLER_COPIES * rows * vocab * 4;
  const ff = Math.max(0, ...shape.layers.map((l) => (l.ffn.kind === 'dense' ? l.ffn.ff : l.ffn.nExpertUsed * l.ffn.expertFf + l.ffn.sharedFf)));
  // One layer at T tokens, bf16: residual, norm and attention outputs (4 x hidden) and the MLP's gate|up output with
  // its activation (3 x ff / tp). V0 without chunked prefill runs T = max_model_len tokens: 2.2 GiB for Llama-3.1-8B at
  // 20,000 tokens, where its log shows 2.1 GiB.
  const forward = maxNumBatchedTokens * (4 * shape.hiddenSize + (3 * ff) / tp) * 2;
  return Math.ceil(Math.max(sampler, forward));
}

export function vllmStartup(shape: ModelShape, input: VllmStartupInput): VllmStartup {
  const { profile } = input;
  const utilization = input.utilization ?? profile.gpuMemoryUtilization;
  if (!(utilization > 0 && utilization <= 1)) throw new SizingError(`gpu_memory_utilization must be in (0, 1], got ${utilization}`, 'gpuMemoryUtilization');
  if (!(input.gpu.totalBytes > 0)) throw new SizingError('The GPU memory must be a positive number of bytes', 'devices');
  const defaults = vllmSchedulerDefaults(profile, input.gpu, input.maxModelLen);
  const maxNumBatchedTokens = input.maxNumBatchedTokens ?? defaults.maxNumBatchedTokens;
  const maxNumSeqs = Math.min(input.maxNumSeqs ?? defaults.maxNumSeqs, maxNumBatchedTokens);
  const requestedBytes = Math.ceil(input.gpu.totalBytes * utilization);
  const nonTorchBytes = NON_TORCH_BYTES + (profile.ncclInNonTorch && input.tp > 1 ? NCCL_BYTES : 0);
  const activationPeakBytes = vllmActivationPeak(shape, maxNumSeqs, maxNumBatchedTokens, input.tp);
  const cudaGraphBytes = input.enforceEager ? 0 : profile.cudaGraphBytes;
  const cudaGraphSubtracted = profile.cudaGraphSubtracted && !input.enforceEager;
  const notes: string[] = [
    `${profile.label}.`,
    `KV budget: ${utilization} x ${(input.gpu.totalBytes / GiB).toFixed(2)} GiB reported by CUDA, less the weights, ` +
      `non-torch memory (about ${(nonTorchBytes / GiB).toFixed(2)} GiB; ${OBSERVED.nonTorchGiB.join('-')} GiB in public logs) and the profile run's peak ` +
      `(${(activationPeakBytes / GiB).toFixed(2)} GiB: about ${SAMPLER_COPIES} float32 copies of ${Math.min(maxNumSeqs, maxNumBatchedTokens)} rows of logits); vLLM measures these at start-up.`,
    cudaGraphSubtracted
      ? `CUDA graphs (${(cudaGraphBytes / GiB).toFixed(2)} GiB assumed; ${OBSERVED.cudaGraphGiB.join('-')} GiB in public logs) are estimated and subtracted before the KV pool.`
      : 'CUDA graphs are captured after the KV pool, in the memory the utilization cap leaves free.',
  ];
  let availableKvBytes: number;
  if (input.kvCacheMemoryBytes !== undefined) {
    availableKvBytes = input.kvCacheMemoryBytes;
    notes.push('--kv-cache-memory-bytes sets the KV pool; gpu_memory_utilization is not applied.');
  } else {
    availableKvBytes = Math.floor(requestedBytes - input.weightsBytes - nonTorchBytes - activationPeakBytes - (cudaGraphSubtracted ? cudaGraphBytes : 0));
  }
  return {
    utilization,
    maxNumSeqs,
    maxNumBatchedTokens,
    requestedBytes,
    weightsBytes: input.weightsBytes,
    nonTorchBytes,
    activationPeakBytes,
    cudaGraphBytes,
    cudaGraphSubtracted,
    availableKvBytes,
    notes,
  };
}

/** What vLLM prints after sizing the pool: "GPU KV cache size: N tokens" and the maximum concurrency at max_model_len. */
export function vllmPoolReport(
  rankShape: ModelShape,
  availableKvBytes: number,
  maxModelLen: number,
  opts: { profile: VllmProfile; typeK: string; typeV: string; maxNumBatchedTokens: number; blockSize?: number },
): { numBlocks: number; kvCacheTokens: number; maxConcurrency: number } {
  const capacity = vllmCapacity(rankShape, Math.max(0, availableKvBytes), {
    typeK: opts.typeK,
    typeV: opts.typeV,
    maxNumBatchedTokens: opts.maxNumBatchedTokens,
    version: opts.profile.version,
    ...(opts.blockSize === undefined ? {} : { blockSize: opts.blockSize }),
  });
  const maxConcurrency = capacity.maxConcurrency(maxModelLen);
  // #41069 (2026-04-28): the token line prints int(max_concurrency x max_model_len); before, num_blocks // groups x block_size.
  const kvCacheTokens = opts.profile.tokensLine === 'concurrency' ? Math.floor(maxConcurrency * maxModelLen) : capacity.tokens;
  return { numBlocks: capacity.numBlocks, kvCacheTokens, maxConcurrency };
}
