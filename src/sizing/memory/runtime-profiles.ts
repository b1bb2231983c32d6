/**
 * Runtime profiles: how each runtime (at a named version) sizes the KV cache and what it adds around it.
 *
 * Every rule that changed between versions is a property here, so kv-cache and compute-buffer code reads the
 * profile instead of branching on dates. Sources: llama.cpp and vLLM source at the
 * commits and PRs named in each profile, and the public measurements named beside each constant.
 */
import { SizingError } from '../errors.ts';
import { MiB } from '../units.ts';

export type RuntimeName = 'llama.cpp' | 'vllm' | 'transformers';

/** How llama.cpp rounds the requested context (llama-context.cpp). */
export type CtxPadding =
  | 'always-256' // GGML_PAD(n_ctx, 256), PR #17046 (~Nov 2025) and later
  | 'fa-256-else-32'; // get_ctx_padding(): 256 with flash attention, 32 without (older builds)

/** How many cells a sliding-window layer gets (llama-kv-cache-iswa.cpp). */
export type SwaCells =
  | 'full' // before PR #13194 (May 2025): SWA layers cached the whole context
  | 'window-times-seqs-plus-batch' // PR #13194 (2025-05-20) to #13833: n_swa * n_seq_max + n_batch
  | 'window-plus-ubatch' // PR #13833 (2025-05-27): n_swa*(unified?seqs:1) + n_ubatch, padded like the context
  | 'window-plus-ubatch-pad256'; // issue #17037: the SWA cache is always padded to 256

/** What an MLA layer (DeepSeek-V2/V3, Kimi-K2) stores per cell. */
export type MlaLayout =
  | 'latent-k' // has_v = !is_mla: one K row of kv_lora_rank + qk_rope_head_dim; V is a view of K
  | 'latent-k-and-v' // mainline ~Apr-Dec 2025 (3514e9f6): K (576) and V (512) both allocated
  | 'decompressed'; // before MLA support in the cache: per-head K (nope+rope) and V (v_head_dim)

export interface LlamaCppProfile {
  runtime: 'llama.cpp';
  version: string;
  date: string;
  label: string;
  ctxPadding: CtxPadding;
  swaCells: SwaCells;
  /** PR #21277 (merged 2026-04-01): the SWA part of the cache stays F16 whatever -ctk/-ctv ask for. */
  swaKeptF16: boolean;
  mla: MlaLayout;
  defaultUbatch: number;
  /** llama_context_default_params().kv_unified. */
  defaultUnified: boolean;
  notes: string[];
}

/**
 * The llama.cpp builds the engine knows. The default is the build that produced llamacpp-measured.json, so every
 * figure the guide prints is checked against a real run of it.
 */
export const LLAMA_CPP_PROFILES: readonly LlamaCppProfile[] = [
  {
    runtime: 'llama.cpp',
    version: 'de3ff815',
    date: '2026-09-28',
    label: 'llama.cpp 2026-09-28 (commit de3ff815, the measured build; node-llama-cpp 3.22.1)',
    ctxPadding: 'always-256',
    swaCells: 'window-plus-ubatch-pad256',
    // Measured: Gemma-3-1B at q8_0 reports an SWA buffer of 11.69 MiB = 1024 cells x 22 layers x 544 B,
    // so this build quantizes the SWA part although PR #21277 was merged earlier.
    swaKeptF16: false,
    mla: 'latent-k',
    defaultUbatch: 512,
    defaultUnified: false,
    notes: ['Ollama runs llama-server of a llama.cpp build like this one (since May 2026, ollama #16031) and adds its own defaults.'],
  },
  {
    runtime: 'llama.cpp',
    version: 'pr21277',
    date: '2026-04-01',
    label: 'llama.cpp with PR #21277 (SWA part of the cache kept F16)',
    ctxPadding: 'always-256',
    swaCells: 'window-plus-ubatch-pad256',
    swaKeptF16: true,
    mla: 'latent-k',
    defaultUbatch: 512,
    defaultUnified: false,
    notes: ['PR #21277 keeps the SWA cache in F16; the 2026-09-28 build measured here does not, so check your build.'],
  },
  {
    runtime: 'llama.cpp',
    version: '3514e9f6',
    date: '2025-12',
    label: 'llama.cpp late 2025 (commit 3514e9f6): MLA caches K and V',
    ctxPadding: 'always-256',
    swaCells: 'window-plus-ubatch-pad256',
    swaKeptF16: false,
    mla: 'latent-k-and-v',
    defaultUbatch: 512,
    defaultUnified: false,
    notes: [],
  },
  {
    runtime: 'llama.cpp',
    version: 'pr13833',
    date: '2025-05-27',
    label: 'llama.cpp mid 2025 (PR #13833): SWA = window + ubatch, context padded 256 (FA) or 32',
    ctxPadding: 'fa-256-else-32',
    swaCells: 'window-plus-ubatch',
    swaKeptF16: false,
    mla: 'latent-k-and-v',
    defaultUbatch: 512,
    defaultUnified: true,
    notes: [],
  },
  {
    runtime: 'llama.cpp',
    version: 'pr13194',
    date: '2025-05-20',
    label: 'llama.cpp late May 2025 (PR #13194, e.g. build 5452): SWA cache of n_swa x sequences + n_batch cells',
    ctxPadding: 'fa-256-else-32',
    swaCells: 'window-times-seqs-plus-batch',
    swaKeptF16: false,
    mla: 'latent-k-and-v',
    defaultUbatch: 512,
    defaultUnified: true,
    notes: [],
  },
  {
    runtime: 'llama.cpp',
    version: 'pre-pr13194',
    date: '2025-04-15',
    label: 'llama.cpp mid-April to May 2025 (after the MLA cache of PR #12801, before SWA caches): SWA layers cache the whole context',
    ctxPadding: 'fa-256-else-32',
    swaCells: 'full',
    swaKeptF16: false,
    mla: 'latent-k-and-v',
    defaultUbatch: 512,
    defaultUnified: true,
    notes: [],
  },
  {
    runtime: 'llama.cpp',
    version: 'pre-pr12801',
    date: '2025-04',
    label: 'llama.cpp before mid-April 2025 (PR #12801): no separate SWA cache, MLA decompressed to full K and V',
    ctxPadding: 'fa-256-else-32',
    swaCells: 'full',
    swaKeptF16: false,
    mla: 'decompressed',
    defaultUbatch: 512,
    defaultUnified: true,
    notes: [],
  },
];

export interface VllmProfile {
  runtime: 'vllm';
  version: string;
  label: string;
  /** When the behaviour below starts (merge date on vLLM's main branch; the release is inferred from it). */
  date: string;
  engine: 'v0' | 'v1';
  /** CacheConfig.gpu_memory_utilization default: 0.9, then 0.92 from #38284 (2026-04-21, "default since v0.21.0"). */
  gpuMemoryUtilization: number;
  /** DEFAULT_BLOCK_SIZE (vllm/config/cache.py). */
  blockSize: number;
  /**
   * max_num_batched_tokens of the OpenAI server (vllm serve): V1 8192 on large GPUs (>= 70 GiB, not A100), 2048 on
   * others (engine/arg_utils.py get_batch_defaults); V0 without chunked prefill max(max_model_len, 2048) (`null`).
   */
  maxNumBatchedTokens: { large: number; other: number } | null;
  /** max_num_seqs: V1 1024 on large GPUs, 256 on others (#16158); V0 256. */
  maxNumSeqs: { large: number; other: number };
  /**
   * CUDA graph capture memory. vLLM measures it ("Graph capturing finished ... took X GiB": 0.2-1.9 GiB in the public
   * logs read) and, from #38284 on, estimates it before sizing the KV pool and subtracts it.
   */
  cudaGraphBytes: number;
  cudaGraphSubtracted: boolean;
  /** NCCL and custom all-reduce buffers are counted in the measured non-torch memory (before #25359, 2025-09-23). */
  ncclInNonTorch: boolean;
  /** "GPU KV cache size: N tokens": num_blocks // groups x block_size, or int(max_concurrency x max_model_len) (#41069). */
  tokensLine: 'blocks' | 'concurrency' | 'none';
  notes: string[];
}

const VLLM_COMMON = { runtime: 'vllm' as const, blockSize: 16, cudaGraphBytes: 512 * MiB, notes: [] as string[] };

/**
 * vLLM's start-up accounting by era (vllm/v1/worker/gpu_worker.py determine_available_memory; V0 worker.py). Newest
 * first: the default. Release numbers are inferred from merge dates (vLLM's tags were not available to read).
 */
export const VLLM_PROFILES: readonly VllmProfile[] = [
  {
    ...VLLM_COMMON,
    version: 'v0.21',
    date: '2026-04-21',
    label: 'vLLM 0.21 and later (V1; gpu_memory_utilization 0.92, CUDA graph memory estimated and subtracted before the KV pool)',
    engine: 'v1',
    gpuMemoryUtilization: 0.92,
    maxNumBatchedTokens: { large: 8192, other: 2048 },
    maxNumSeqs: { large: 1024, other: 256 },
    cudaGraphSubtracted: true,
    ncclInNonTorch: false,
    tokensLine: 'concurrency',
  },
  {
    ...VLLM_COMMON,
    version: 'v0.11',
    date: '2025-09-23',
    label: 'vLLM 0.11 to 0.20 (V1; NCCL buffers allocated before the memory snapshot, CUDA graphs outside the budget)',
    engine: 'v1',
    gpuMemoryUtilization: 0.9,
    maxNumBatchedTokens: { large: 8192, other: 2048 },
    maxNumSeqs: { large: 1024, other: 256 },
    cudaGraphSubtracted: false,
    ncclInNonTorch: false,
    tokensLine: 'blocks',
  },
  {
    ...VLLM_COMMON,
    version: 'v0.8',
    date: '2025-06-10',
    label: 'vLLM 0.8 to 0.10 (V1 from June 2025; NCCL buffers counted in the non-torch memory)',
    engine: 'v1',
    gpuMemoryUtilization: 0.9,
    maxNumBatchedTokens: { large: 8192, other: 2048 },
    maxNumSeqs: { large: 1024, other: 256 },
    cudaGraphSubtracted: false,
    ncclInNonTorch: true,
    tokensLine: 'blocks',
  },
  {
    ...VLLM_COMMON,
    version: 'v0',
    date: '2024-12-16',
    label: 'vLLM 0.6.5 to 0.10 with the V0 engine (memory_profiling; no token line, "# cuda blocks")',
    engine: 'v0',
    gpuMemoryUtilization: 0.9,
    maxNumBatchedTokens: null,
    maxNumSeqs: { large: 256, other: 256 },
    cudaGraphSubtracted: false,
    ncclInNonTorch: true,
    tokensLine: 'none',
  },
];

/** A GPU as vLLM's defaults look at it: "large" is >= 70 GiB and not an A100 (engine/arg_utils.py get_batch_defaults). */
export interface VllmGpu {
  totalBytes?: number;
  name?: string;
}

/**
 * max_num_seqs and max_num_batched_tokens as `vllm serve` chooses them when not given (engine/arg_utils.py, V1
 * get_batch_defaults and the clamps after it; V0 config.py: without chunked prefill max(max_model_len, 2048), which V0
 * turned on (2048) only for contexts above 32,768).
 */
export function vllmSchedulerDefaults(profile: VllmProfile, gpu: VllmGpu, maxModelLen: number): { maxNumSeqs: number; maxNumBatchedTokens: number; largeGpu: boolean } {
  const largeGpu = (gpu.totalBytes ?? 0) >= 70 * 2 ** 30 && !/a100/i.test(gpu.name ?? '');
  const seqs = largeGpu ? profile.maxNumSeqs.large : profile.maxNumSeqs.other;
  if (profile.maxNumBatchedTokens === null) {
    return { maxNumSeqs: seqs, maxNumBatchedTokens: maxModelLen > 32768 ? 2048 : Math.max(maxModelLen, 2048), largeGpu };
  }
  const batched = Math.min(seqs * maxModelLen, largeGpu ? profile.maxNumBatchedTokens.large : profile.maxNumBatchedTokens.other);
  return { maxNumSeqs: Math.min(seqs, batched), maxNumBatchedTokens: batched, largeGpu };
}

export interface TransformersProfile {
  runtime: 'transformers';
  version: string;
  label: string;
  /** transformers >= 4.56 builds DynamicSlidingWindowLayer for sliding layers (cache_utils.py); older kept every token. */
  slidingWindowCache: boolean;
  attention: 'sdpa' | 'eager';
  notes: string[];
}

export const TRANSFORMERS_PROFILES: readonly TransformersProfile[] = [
  {
    runtime: 'transformers',
    version: '4.56',
    label: 'transformers 4.56+ (DynamicCache with per-layer sliding-window layers, sdpa, bf16)',
    slidingWindowCache: true,
    attention: 'sdpa',
    notes: [],
  },
  {
    runtime: 'transformers',
    version: '4.45',
    label: 'transformers 4.45 (DynamicCache keeps every token in every layer)',
    slidingWindowCache: false,
    attention: 'sdpa',
    notes: [],
  },
];

export type RuntimeProfile = LlamaCppProfile | VllmProfile | TransformersProfile;

function pick<P extends { version: string }>(list: readonly P[], runtime: string, version: string | undefined): P {
  const first = list[0];
  if (!first) throw new SizingError(`No profile for ${runtime}`, 'runtime');
  if (version === undefined) return first;
  const found = list.find((p) => p.version === version);
  if (!found) {
    throw new SizingError(
      `Unknown ${runtime} version "${version}"; known: ${list.map((p) => p.version).join(', ')}`,
      'version',
    );
  }
  return found;
}

/** The llama.cpp profile of a version (default: the measured 2026-09-28 build). */
export function llamaCppProfile(version?: string): LlamaCppProfile {
  return pick(LLAMA_CPP_PROFILES, 'llama.cpp', version);
}

export function vllmProfile(version?: string): VllmProfile {
  return pick(VLLM_PROFILES, 'vLLM', version);
}

export function transformersProfile(version?: string): TransformersProfile {
  return pick(TRANSFORMERS_PROFILES, 'transformers', version);
}

export function runtimeProfile(runtime: RuntimeName, version?: string): RuntimeProfile {
  switch (runtime) {
    case 'llama.cpp':
      return llamaCppProfile(version);
    case 'vllm':
      return vllmProfile(version);
    case 'transformers':
      return transformersProfile(version);
  }
}

/**
 * Ollama's own defaults on top of the llama.cpp build it runs (assumed; they changed over time: num_ctx was 2048,
 * then 4096; OLLAMA_NUM_PARALLEL was "auto" = up to 4 in 2024 builds, 1 later).
 */
export const OLLAMA_DEFAULTS = {
  llamaCppVersion: 'de3ff815',
  numCtx: 4096,
  numParallel: 1,
  kvCacheType: 'f16',
  /** Ollama's old estimator reserved this minimum per CUDA/ROCm GPU (ml/device.go); 512 MiB on Metal. */
  minimumMemoryBytes: 457 * MiB,
  source: 'ollama/ollama llm/memory.go and ml/device.go (at f560bd077^, 2025-11-11), ollama PR #16031',
} as const;

/**
 * CUDA context per GPU per process: ~300-400 MB with lazy module loading (PyTorch >= 1.13,
 * CUDA >= 11.7; PR #86509 measured 287 MB), 200-700+ MB depending on GPU and driver. We charge 400 MiB, the upper
 * end of the usual range, and say so.
 */
export const CUDA_CONTEXT_BYTES = 400 * MiB;
export const CUDA_CONTEXT_RANGE_BYTES = [300 * MiB, 500 * MiB] as const;
