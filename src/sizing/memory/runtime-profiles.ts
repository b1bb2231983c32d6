/**
 * Runtime profiles: how each runtime (at a named version) sizes the KV cache and what it adds around it.
 *
 * Every rule that changed between versions is a property here, so kv-cache and compute-buffer code reads the
 * profile instead of branching on dates. Sources: llama.cpp and vLLM source at the
 * commits and PRs named in each profile, and the public measurements named beside each constant.
 */
import { SizingError } from '../errors.ts';
import { GiB, MiB } from '../units.ts';

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

/** How Ollama picks num_ctx when neither the request, the Modelfile nor OLLAMA_CONTEXT_LENGTH sets it. */
export type OllamaNumCtxRule =
  | { kind: 'fixed'; tokens: number }
  /**
   * By the GPUs' total memory (summed over every GPU, each less OLLAMA_GPU_OVERHEAD): the first tier whose floor the
   * total reaches, else `otherwise`. Ollama uses 47 / 23 GiB floors for its "48 / 24 GiB" tiers (server/routes.go).
   */
  | { kind: 'vram'; tiers: readonly { minBytes: number; tokens: number }[]; otherwise: number };

/** OLLAMA_NUM_PARALLEL when unset: a fixed count, or "auto" (try each of `tries`, keep the first that fits entirely). */
export type OllamaParallelRule =
  | { kind: 'fixed'; value: number }
  /** Scheduler: the first of `tries` whose load fits on the GPUs entirely; a partial load runs 1; CPU-only runs `cpu`. */
  | { kind: 'auto'; tries: readonly number[]; cpu: number };

/** Who decides how many layers go to the GPU, and from which figures. */
export type OllamaFitting =
  /** Ollama's estimator (llm/memory.go): formulas for KV and graph, layers placed until a GPU's free memory runs out. */
  | 'estimator'
  /** Ollama-engine models: the runner allocates for real (fit, alloc, commit) and Ollama lays out layers from that; llama-engine models: the estimator's formulas. */
  | 'allocation'
  /** Upstream llama-server's own --fit (Ollama passes no -ngl unless num_gpu is set). */
  | 'llama-server-fit';

export interface OllamaProfile {
  runtime: 'ollama';
  /** Profile key ("v0.30"): the first release of the era. */
  version: string;
  /** First and last release of the era (null: still current). */
  from: string;
  to: string | null;
  /** Release date of `from` (the tag's date in ollama/ollama). */
  date: string;
  label: string;
  numCtx: OllamaNumCtxRule;
  /**
   * Models whose num_ctx Ollama raises to 8192 (gpt-oss), and from which total VRAM (null: always); releases before
   * `vramConditionFrom` raised it whatever the VRAM.
   */
  numCtxFloor: { families: readonly string[]; tokens: number; minTotalVramBytes: number | null; vramConditionFrom?: string } | null;
  numParallel: OllamaParallelRule;
  /** OLLAMA_KV_CACHE_TYPE default: f16. */
  kvCacheType: 'f16';
  /** Which KV cache types OLLAMA_KV_CACHE_TYPE may ask for (none before v0.5.0). */
  kvCacheTypes: readonly string[];
  /** Before v0.30 Ollama ignored OLLAMA_KV_CACHE_TYPE unless flash attention was on (llm/memory.go). */
  kvTypeNeedsFlashAttention: boolean;
  /** Flash attention when OLLAMA_FLASH_ATTENTION is unset: off, on for a list of architectures, or llama.cpp's auto. */
  flashAttention: 'off' | 'per-architecture' | 'auto';
  flashAttentionArchitectures: readonly string[];
  /** num_batch default (llama.cpp -b/-ub). 'auto' (v0.30+): 512 up to 4096 tokens of context, 1024 above, 2048 above 32768. */
  numBatch: number | 'auto';
  fitting: OllamaFitting;
  /** The release whose estimator rules (ollama-estimator.ts) stand for the era when no release is given; null: no estimator. */
  estimatorRelease: string | null;
  /** What Ollama keeps free on every GPU (MinimumMemory: 457 MiB CUDA/ROCm, 512 MiB Metal), plus OLLAMA_GPU_OVERHEAD. */
  minimumMemoryBytes: { gpu: number; metal: number };
  /** llama-server --fit: memory kept free per device (llama.cpp's -fitt default 1024 MiB; with a projector, its size + 1 GiB). */
  fitMarginBytes: number | null;
  /** The llama.cpp profile (LLAMA_CPP_PROFILES) whose cache and buffer rules are closest to what this Ollama ran. */
  llamaCppVersion: string;
  notes: string[];
}

const OLLAMA_MINIMUM = { gpu: 457 * MiB, metal: 512 * MiB }; // ml/device.go:359-364@fb307609 (HEAD); discover/gpu.go:42-43@v0.5.7
/** server/routes.go:2042-2058@fb307609 (HEAD), :1723-1738@v0.15.5; commit 0334ffa62, PR #13946. */
const VRAM_TIERS: OllamaNumCtxRule = { kind: 'vram', tiers: [{ minBytes: 47 * GiB, tokens: 262144 }, { minBytes: 23 * GiB, tokens: 32768 }], otherwise: 4096 };
const GO_RUNNER_FA = ['gemma3', 'gptoss', 'gpt-oss', 'qwen3', 'qwen3moe', 'qwen3vl', 'qwen3vlmoe', 'bert', 'mistral3', 'olmo3'];

/**
 * Ollama by era, newest first (the default). Eras start where a default or the fitting mechanism changed; the old
 * estimator's own formula changes inside an era are in ollama-estimator.ts (ollamaEstimatorRules). Citations are
 * path:line@tag in ollama/ollama.
 */
export const OLLAMA_PROFILES: readonly OllamaProfile[] = [
  {
    runtime: 'ollama',
    version: 'v0.30',
    from: 'v0.30.0',
    to: null,
    date: '2026-06-01',
    label: 'Ollama 0.30 and later (upstream llama-server with its own --fit; default num_ctx by total VRAM)',
    numCtx: VRAM_TIERS,
    numCtxFloor: null,
    numParallel: { kind: 'fixed', value: 1 }, // envconfig/config.go:275@fb307609
    kvCacheType: 'f16',
    kvCacheTypes: ['f16', 'q8_0', 'q4_0'], // passed as --cache-type-k/-v only when set (llm/llama_server.go:393-396@fb307609)
    kvTypeNeedsFlashAttention: false,
    flashAttention: 'auto', // --flash-attn auto unless a GPU lacks support (llm/llama_server.go:596-621@fb307609)
    flashAttentionArchitectures: [],
    numBatch: 'auto', // server/sched.go:797-905@fb307609
    fitting: 'llama-server-fit', // PR #16031 (commit 9db4bdbad): llama-server is the only GGUF engine
    estimatorRelease: null,
    minimumMemoryBytes: OLLAMA_MINIMUM, // scheduler: available = free - overhead - minimum (server/sched.go:616@fb307609)
    fitMarginBytes: 1024 * MiB, // LLAMA_ARG_FIT_TARGET only with a projector: mmproj + 1 GiB (llm/llama_server.go:83-87, 692-732@fb307609)
    llamaCppVersion: 'de3ff815', // upstream llama.cpp b9452 (v0.30.0) to b10488 (HEAD) via FetchContent
    notes: [
      'Ollama 0.30+ runs upstream llama-server (-c num_ctx x OLLAMA_NUM_PARALLEL, -np OLLAMA_NUM_PARALLEL) and lets its --fit choose the layers, so the placement shown is llama.cpp\'s.',
      'Its scheduler only predicts VRAM (file size + an f16 cache) to decide where to load and what to evict.',
    ],
  },
  {
    runtime: 'ollama',
    version: 'v0.15.5',
    from: 'v0.15.5',
    to: 'v0.29.x',
    date: '2026-02-05',
    label: 'Ollama 0.15.5 to 0.29 (Go runners; default num_ctx by total VRAM)',
    numCtx: VRAM_TIERS,
    numCtxFloor: null,
    numParallel: { kind: 'fixed', value: 1 },
    kvCacheType: 'f16',
    kvCacheTypes: ['f16', 'q8_0', 'q4_0'],
    kvTypeNeedsFlashAttention: true,
    flashAttention: 'per-architecture', // + llama.cpp's auto for llama-engine models from v0.13.4 (commit bd6c1d6b4, #13052)
    flashAttentionArchitectures: GO_RUNNER_FA,
    numBatch: 512,
    fitting: 'allocation', // llm/server.go:781-934,974-1033@v0.24.0; llama engine: GraphSize into the same layout (:531-735)
    estimatorRelease: null,
    minimumMemoryBytes: OLLAMA_MINIMUM,
    fitMarginBytes: null,
    llamaCppVersion: '3514e9f6', // vendored llama.cpp ec98e2002 (2025-12-16): Makefile.sync FETCH_HEAD@v0.15.5
    notes: ['Ollama-engine models (gemma3/4, qwen3, gpt-oss, mistral3 ...) are laid out from what the runner really allocated; llama-engine models from the old graph estimate.'],
  },
  {
    runtime: 'ollama',
    version: 'v0.11.11',
    from: 'v0.11.11',
    to: 'v0.15.4',
    date: '2025-09-12',
    label: 'Ollama 0.11.11 to 0.15.4 (Go runners; allocation-based fitting for Ollama-engine models; num_ctx 4096)',
    numCtx: { kind: 'fixed', tokens: 4096 }, // envconfig/config.go:204@v0.15.4
    numCtxFloor: { families: ['gptoss', 'gpt-oss', 'qwen3vl', 'qwen3vlmoe'], tokens: 8192, minTotalVramBytes: 20 * GiB }, // server/routes.go:148-155@v0.15.4
    numParallel: { kind: 'fixed', value: 1 },
    kvCacheType: 'f16',
    kvCacheTypes: ['f16', 'q8_0', 'q4_0'],
    kvTypeNeedsFlashAttention: true,
    flashAttention: 'per-architecture',
    flashAttentionArchitectures: GO_RUNNER_FA,
    numBatch: 512,
    fitting: 'allocation', // commit eb10390de "Enable new memory estimates by default"; llm/memory.go removed in v0.12.11 (f560bd077)
    estimatorRelease: '0.12.10',
    minimumMemoryBytes: OLLAMA_MINIMUM,
    fitMarginBytes: null,
    llamaCppVersion: 'pr13833', // vendored llama.cpp e54d41be (2025-08-08) @v0.11.11, 3cfa9c3f (2025-10-26) @v0.12.11, ec98e2002 from v0.13
    notes: ['Llama-engine models kept the old estimator through v0.12.10 (its memory.required.* log line), then its graph estimate in the new layout.'],
  },
  {
    runtime: 'ollama',
    version: 'v0.10',
    from: 'v0.10.0',
    to: 'v0.11.10',
    date: '2025-07-30',
    label: 'Ollama 0.10 to 0.11.10 (old estimator; num_ctx 4096; OLLAMA_NUM_PARALLEL 1)',
    numCtx: { kind: 'fixed', tokens: 4096 },
    // v0.11.0-v0.11.3 always (server/routes.go:117@v0.11.0); from v0.11.4 only with >= 20 GiB total VRAM (:56,123-125@v0.11.4)
    numCtxFloor: { families: ['gptoss', 'gpt-oss'], tokens: 8192, minTotalVramBytes: 20 * GiB, vramConditionFrom: 'v0.11.4' },
    numParallel: { kind: 'fixed', value: 1 }, // envconfig/config.go:222@v0.10.0 (commit 20c3266e9)
    kvCacheType: 'f16',
    kvCacheTypes: ['f16', 'q8_0', 'q4_0'],
    kvTypeNeedsFlashAttention: true,
    flashAttention: 'off', // gpt-oss on by default from v0.11.8 (commit 85ccf7354)
    flashAttentionArchitectures: ['gptoss', 'gpt-oss'],
    numBatch: 512,
    fitting: 'estimator', // new estimates opt-in with OLLAMA_NEW_ESTIMATES=1 from v0.11.5 (llm/server.go:164-166@v0.11.5)
    estimatorRelease: '0.10.0',
    minimumMemoryBytes: OLLAMA_MINIMUM,
    fitMarginBytes: null,
    llamaCppVersion: 'pre-pr13194', // vendored llama.cpp de4c07f9 (2025-05-12): Makefile.sync FETCH_HEAD@v0.10.0 to @v0.11.4
    notes: [],
  },
  {
    runtime: 'ollama',
    version: 'v0.6.7',
    from: 'v0.6.7',
    to: 'v0.9.6',
    date: '2025-04-30',
    label: 'Ollama 0.6.7 to 0.9 (old estimator; num_ctx 4096; parallel auto: 2, else 1)',
    numCtx: { kind: 'fixed', tokens: 4096 }, // envconfig/config.go:172@v0.6.7 (commit 44b466eeb, PR #10451)
    numCtxFloor: null,
    numParallel: { kind: 'auto', tries: [2, 1], cpu: 2 }, // server/sched.go:61@v0.6.7 (commit fe5b9bb21)
    kvCacheType: 'f16',
    kvCacheTypes: ['f16', 'q8_0', 'q4_0'],
    kvTypeNeedsFlashAttention: true,
    flashAttention: 'off',
    flashAttentionArchitectures: [],
    numBatch: 512,
    fitting: 'estimator',
    estimatorRelease: '0.6.7',
    minimumMemoryBytes: OLLAMA_MINIMUM,
    fitMarginBytes: null,
    llamaCppVersion: 'pre-pr13194', // vendored llama.cpp 2016f07b (2025-04-20) @v0.6.7, de4c07f9 (2025-05-12) from v0.7.0
    notes: [],
  },
  {
    runtime: 'ollama',
    version: 'v0.2',
    from: 'v0.2.0',
    to: 'v0.6.6',
    date: '2024-07-07',
    label: 'Ollama 0.2 to 0.6.6 (old estimator; num_ctx 2048; parallel auto: 4, else 1)',
    numCtx: { kind: 'fixed', tokens: 2048 }, // api/types.go:612@v0.5.7; envconfig/config.go:172@v0.6.6
    numCtxFloor: null,
    numParallel: { kind: 'auto', tries: [4, 1], cpu: 4 }, // envconfig/config.go:134@v0.2.0 (NumParallel = 0, autoselect); server/sched.go:57@v0.2.0 (commit 17b7186cd)
    kvCacheType: 'f16',
    kvCacheTypes: ['f16', 'q8_0', 'q4_0'], // OLLAMA_KV_CACHE_TYPE from v0.5.0 (PR #6279)
    kvTypeNeedsFlashAttention: true,
    flashAttention: 'off',
    flashAttentionArchitectures: [],
    numBatch: 512,
    fitting: 'estimator',
    estimatorRelease: '0.2.0',
    minimumMemoryBytes: OLLAMA_MINIMUM, // gpu/gpu.go:40-41@v0.3.0
    fitMarginBytes: null,
    llamaCppVersion: 'pre-pr12801', // vendored llama.cpp of 2024 to d7cfe1ff (2025-02-25, Makefile.sync@v0.6.5): MLA decompressed
    notes: ['OLLAMA_KV_CACHE_TYPE exists from v0.5.0 (PR #6279); before it the cache is always f16.'],
  },
  {
    runtime: 'ollama',
    version: 'v0.1',
    from: 'v0.1.0',
    to: 'v0.1.48',
    date: '2023-07-18',
    label: 'Ollama 0.1 (ollama_llama_server; num_ctx 2048; OLLAMA_NUM_PARALLEL 1)',
    numCtx: { kind: 'fixed', tokens: 2048 },
    numCtxFloor: null,
    numParallel: { kind: 'fixed', value: 1 }, // envconfig/config.go:132@v0.1.48; the context was multiplied by it
    kvCacheType: 'f16',
    kvCacheTypes: ['f16'],
    kvTypeNeedsFlashAttention: true,
    flashAttention: 'off',
    flashAttentionArchitectures: [],
    numBatch: 512,
    fitting: 'estimator', // llm/memory.go from v0.1.33; earlier a share of free VRAM (PR #921)
    estimatorRelease: '0.1.45',
    minimumMemoryBytes: OLLAMA_MINIMUM,
    fitMarginBytes: null,
    llamaCppVersion: 'pre-pr12801', // llama.cpp's example server of 2023-2024
    notes: ['Before v0.1.33 Ollama chose layers with cruder heuristics (PR #921: offload up to 75% of the free VRAM).'],
  },
];

export function ollamaProfile(version?: string): OllamaProfile {
  return pick(OLLAMA_PROFILES, 'Ollama', version);
}

/**
 * The profile for a release number ("0.5.7", "v0.30.2"): the newest era starting at or before it. Refuses what is
 * not a release number.
 */
export function ollamaProfileForRelease(release: string): OllamaProfile {
  const v = parseOllamaRelease(release);
  const found = OLLAMA_PROFILES.find((p) => compareOllamaReleases(v, parseOllamaRelease(p.from)) >= 0);
  if (!found) throw new SizingError(`No Ollama profile for release ${release}`, 'version');
  return found;
}

/** [major, minor, patch] of "v0.11.4" / "0.11.4" / "0.29.x" (x = 0). */
export function parseOllamaRelease(release: string): [number, number, number] {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+|x))?/.exec(release.trim());
  if (!m) throw new SizingError(`Not an Ollama release number: "${release}"`, 'version');
  return [Number(m[1]), Number(m[2]), m[3] === undefined || m[3] === 'x' ? 0 : Number(m[3])];
}

export function compareOllamaReleases(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/**
 * num_ctx when nothing sets it: the era's rule for the GPUs' total memory (Ollama sums TotalMemory - OLLAMA_GPU_OVERHEAD
 * over every GPU it found, at server start). With no GPU memory known, the lowest tier (Ollama's CPU-only default).
 */
export function ollamaDefaultNumCtx(profile: OllamaProfile, totalVramBytes = 0, family?: string, release?: string): number {
  const rule = profile.numCtx;
  let ctx = rule.kind === 'fixed' ? rule.tokens : (rule.tiers.find((t) => totalVramBytes >= t.minBytes)?.tokens ?? rule.otherwise);
  const floor = profile.numCtxFloor;
  if (floor && family !== undefined && floor.families.includes(family)) {
    const unconditional =
      floor.minTotalVramBytes === null ||
      (release !== undefined && floor.vramConditionFrom !== undefined && compareOllamaReleases(parseOllamaRelease(release), parseOllamaRelease(floor.vramConditionFrom)) < 0);
    if (unconditional || totalVramBytes >= (floor.minTotalVramBytes ?? 0)) ctx = Math.max(ctx, floor.tokens);
  }
  return ctx;
}

/** "0.5.7" / "v0.30.2": a release number rather than a profile key. */
export function isOllamaRelease(version: string): boolean {
  return /^v?\d+\.\d+\.\d+$/.test(version.trim()) && !OLLAMA_PROFILES.some((p) => p.version === version);
}

/**
 * The Ollama profile a version names: a profile key ("v0.30"), a release number ("0.5.7": its era), or a llama.cpp
 * build id (as before Ollama had profiles: the default era, run with that build). Default: the newest era.
 */
export function ollamaProfileOf(version?: string): OllamaProfile {
  if (version === undefined || LLAMA_CPP_PROFILES.some((p) => p.version === version)) return ollamaProfile();
  if (isOllamaRelease(version)) return ollamaProfileForRelease(version);
  return ollamaProfile(version); // a profile key, or refused naming the known ones
}

/** The llama.cpp profile an Ollama version runs with (see ollamaProfileOf); a llama.cpp build id stands for itself. */
export function ollamaLlamaCppVersion(version?: string): string {
  if (version !== undefined && LLAMA_CPP_PROFILES.some((p) => p.version === version)) return version;
  return ollamaProfileOf(version).llamaCppVersion;
}

/**
 * CUDA context per GPU per process: ~300-400 MB with lazy module loading (PyTorch >= 1.13,
 * CUDA >= 11.7; PR #86509 measured 287 MB), 200-700+ MB depending on GPU and driver. We charge 400 MiB, the upper
 * end of the usual range, and say so.
 */
export const CUDA_CONTEXT_BYTES = 400 * MiB;
export const CUDA_CONTEXT_RANGE_BYTES = [300 * MiB, 500 * MiB] as const;
