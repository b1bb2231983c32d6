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
    version: 'pre-pr13194',
    date: '2025-04',
    label: 'llama.cpp before May 2025: no separate SWA cache, MLA decompressed',
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
  /** CacheConfig.gpu_memory_utilization default: 0.9 in the docs and older code, 0.92 in newer main. */
  gpuMemoryUtilization: number;
  /** DEFAULT_BLOCK_SIZE (vllm/config/cache.py). */
  blockSize: number;
  /**
   * Assumed scheduler default: vLLM v1 picks max_num_batched_tokens by usage context and GPU size (2048 for the
   * OpenAI server on smaller GPUs, larger on >= 70 GiB GPUs and for the LLM class). Pass the real value.
   */
  maxNumBatchedTokens: number;
  /** Assumed default of max_num_seqs (sampler warm-up logits are sized by it). */
  maxNumSeqs: number;
  /**
   * CUDA graph capture memory: vLLM logs it ("Graph capturing finished ... took X GiB"); it depends on the model and
   * the capture sizes. A typical figure, not a derived one; newer builds subtract it before sizing the KV pool.
   */
  cudaGraphBytes: number;
  notes: string[];
}

export const VLLM_PROFILES: readonly VllmProfile[] = [
  {
    runtime: 'vllm',
    version: 'v1@001cabc1',
    label: 'vLLM v1 engine (kv_cache_interface.py at 001cabc1; gpu_memory_utilization 0.9 as documented)',
    gpuMemoryUtilization: 0.9,
    blockSize: 16,
    maxNumBatchedTokens: 2048,
    maxNumSeqs: 256,
    cudaGraphBytes: 512 * MiB,
    notes: [],
  },
  {
    runtime: 'vllm',
    version: 'main@002f10e',
    label: 'vLLM main (cache.py at 002f10e: gpu_memory_utilization 0.92)',
    gpuMemoryUtilization: 0.92,
    blockSize: 16,
    maxNumBatchedTokens: 2048,
    maxNumSeqs: 256,
    cudaGraphBytes: 512 * MiB,
    notes: ['Newer vLLM accounts for CUDA graph memory before sizing the KV pool and accepts --kv-cache-memory.'],
  },
];

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
