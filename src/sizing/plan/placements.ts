/**
 * What each runtime's planner decided, as plain data: where llama.cpp put each layer, how vLLM split the model over its
 * tensor-parallel ranks, where transformers' device_map placed each module. Types only, shared by fit-common.ts (the
 * plan every runtime returns) and the runtime planners that fill them, so neither imports the other.
 */

export interface LlamaCppPlacement {
  /** -ngl: blocks on GPUs plus 1 when the output layer is on a GPU. */
  nGpuLayers: number;
  /** --n-cpu-moe: routed experts of blocks 0 .. N-1 kept in RAM. */
  nCpuMoe: number;
  nLayer: number;
  iGpuStart: number;
  /** Per block: index into plan.devices, or -1 for the CPU. */
  layerDevice: number[];
  /** Device of the output layer (-1: CPU). */
  outputDevice: number;
  /** Layers (blocks + output) per GPU, for --tensor-split. */
  tensorSplit: number[];
  /** The proportions used to split (each GPU's free memory, as llama.cpp does by default). */
  splitWeights: number[];
}

export interface VllmPlacement {
  tp: number;
  gpuMemoryUtilization: number;
  /** What CUDA reports as each GPU's total (vLLM's total_gpu_memory), and whether it is an estimate. */
  cudaTotalBytes: number;
  cudaTotalEstimated: boolean;
  /** ceil(total x gpu_memory_utilization). */
  requestedBytesPerGpu: number;
  /** "Model loading took": the weights on each GPU as vLLM stores the checkpoint. */
  weightsBytesPerGpu: number;
  /** Estimates of what vLLM measures at start-up (vllm-startup.ts). */
  nonTorchBytes: number;
  activationPeakBytes: number;
  cudaGraphBytes: number;
  cudaGraphSubtracted: boolean;
  maxNumSeqs: number;
  maxNumBatchedTokens: number;
  /** Whether the two were given (and so belong on the command line) rather than vLLM's defaults for the GPU. */
  schedulerGiven: { maxNumSeqs: boolean; maxNumBatchedTokens: boolean };
  /** KV blocks in the pool. */
  numBlocks: number;
  /** KV heads each GPU caches, per attention layer kind (max over layers); MLA: 1 (replicated latent). */
  kvHeadsPerGpu: number;
  /** Memory left for KV blocks on each GPU. */
  availableKvBytesPerGpu: number;
  /** KV bytes per GPU for ctx x seqs tokens. */
  neededKvBytesPerGpu: number;
  /** vLLM's log: "GPU KV cache size: N tokens". */
  kvCacheTokens: number;
  /** vLLM's log: "Maximum concurrency for ctx tokens per request: X". */
  maxConcurrency: number;
  /** vLLM starts (one request of max_model_len fits). */
  starts: boolean;
  /** When it does not start: the largest max_model_len that would. */
  estimatedMaxModelLen?: number;
  /** vLLM's own error text when it does not start. */
  message?: string;
}

export interface TransformersPlacement {
  /** Device index per module in order: embedding, blocks 0..n-1, head (-1 = CPU). */
  embeddingDevice: number;
  layerDevice: number[];
  outputDevice: number;
}
