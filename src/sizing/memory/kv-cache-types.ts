/** Inputs and outputs of the KV-cache sizing (kv-cache.ts and its per-runtime modules). */
import type { RuntimeName } from './runtime-profiles.ts';

export interface KvOptions {
  runtime: RuntimeName;
  /**
   * Context in tokens PER SEQUENCE (what each user / slot can hold), for every runtime.
   * llama.cpp is started with the total: n_ctx = ctx x seqs (`-c` = ctx x `-np`); with seqs = 1 this is `-c` itself.
   * vLLM: max_model_len. transformers: prompt + generated tokens.
   */
  ctx: number;
  /** Parallel sequences (llama.cpp n_seq_max / -np, vLLM concurrent requests, transformers batch size). */
  seqs: number;
  /** Cache element type. llama.cpp: f32, f16, bf16, q8_0, q4_0, q4_1, q5_0, q5_1, iq4_nl. vLLM: auto, bf16, fp16, fp8, fp8_e4m3, fp8_e5m2. transformers: bf16, f16, f32. */
  typeK: string;
  typeV: string;
  /** llama.cpp: flash attention (default on: -fa auto resolves to on for CPU, CUDA and Metal). */
  flashAttn?: boolean;
  /** llama.cpp n_ubatch (default 512). */
  ubatch?: number;
  /** llama.cpp --kv-unified (default: the build's default, false in current builds). */
  unified?: boolean;
  /** llama.cpp --swa-full: sliding-window layers cache the whole context. */
  swaFull?: boolean;
  /** vLLM block size in tokens (default 16). */
  blockSize?: number;
  /** vLLM max_num_batched_tokens (bounds the sliding-window allocation; default: the profile's). */
  maxNumBatchedTokens?: number;
  /** vLLM hybrid KV cache manager (default on). Off: sliding-window layers are allocated as full attention. */
  hybridAllocator?: boolean;
  /** Runtime version (see runtime-profiles.ts); default: the newest measured / documented profile. */
  version?: string;
}

export type KvGroupLabel = 'global' | 'sliding' | 'chunked' | 'mla' | 'recurrent' | 'padding';

/**
 * One set of layers that share a cache size.
 * cells: token slots per layer, all sequences together (llama.cpp cells x streams; vLLM blocks x block size).
 * For 'recurrent' groups, cells = state rows (one per sequence), kBytes = conv/shift state (R), vBytes = SSM/WKV state (S).
 */
export interface KvGroup {
  label: KvGroupLabel;
  layers: number;
  cells: number;
  typeK: string;
  typeV: string;
  kBytes: number;
  vBytes: number;
  bytes: number;
}

export interface KvResult {
  runtime: RuntimeName;
  version: string;
  bytes: number;
  /** Marginal bytes of one more token of context (one sequence) at long context: windows are full, states fixed. */
  perTokenBytes: number;
  groups: KvGroup[];
  notes: string[];
}
