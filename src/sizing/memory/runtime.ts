/**
 * What a runtime adds around weights and KV cache: compute / activation buffers, the output (logits) buffer, the
 * CUDA context of each GPU, and memory the runtime keeps back on purpose (vLLM's 1 - gpu_memory_utilization).
 * Each figure is labelled; the profile (runtime-profiles.ts) pins the version whose rules are used.
 */
import { llamaCppComputeBuffer, llamaCppOutputBuffer, type ComputeBufferOptions } from './compute-buffer.ts';
import { SizingError } from '../errors.ts';
import {
  CUDA_CONTEXT_BYTES,
  runtimeProfile,
  vllmSchedulerDefaults,
  type RuntimeName,
  type TransformersProfile,
  type VllmProfile,
} from './runtime-profiles.ts';
import type { LayerShape, ModelShape } from '../types.ts';
import { MiB } from '../units.ts';
import { attentionOf } from '../mixers.ts';
import { SAMPLER_COPIES, vllmActivationPeak } from './vllm-startup.ts';

export * from './runtime-profiles.ts';

export interface OverheadOptions extends Omit<ComputeBufferOptions, 'backend'> {
  runtime: RuntimeName;
  /** 'cuda' (default): each GPU pays a CUDA context. 'metal' / 'cpu': no CUDA context. */
  backend?: 'cuda' | 'metal' | 'cpu';
  /** GPUs the model is spread over (default 1). */
  gpus?: number;
  /** vLLM: memory of one GPU, to size the reserve (1 - utilization) x total. */
  totalGpuBytes?: number;
  /** vLLM: --gpu-memory-utilization (default: the profile's). */
  gpuMemoryUtilization?: number;
  /** vLLM: --max-num-batched-tokens (default: the profile's). */
  maxNumBatchedTokens?: number;
  /** vLLM: --max-num-seqs (default: the profile's). */
  maxNumSeqs?: number;
}

export interface RuntimeOverhead {
  /** Scratch for the forward pass on the device(s): llama.cpp compute buffer; vLLM peak activations + CUDA graphs. */
  computeBytes: number;
  /** Host-side scratch (llama.cpp CUDA_Host compute buffer: graph inputs). Not on the GPU. */
  hostComputeBytes: number;
  /** Logits buffer (llama.cpp: host memory). */
  outputBytes: number;
  /** CUDA context, all GPUs together (see CUDA_CONTEXT_BYTES in runtime-profiles.ts). */
  contextBytes: number;
  /** Memory the runtime leaves unused on purpose (vLLM: (1 - gpu_memory_utilization) x GPU memory, per GPU). */
  reserveBytes: number;
  version: string;
  notes: string[];
}

function contextOverhead(backend: OverheadOptions['backend'], gpus: number): { bytes: number; note: string | null } {
  if ((backend ?? 'cuda') !== 'cuda') return { bytes: 0, note: null };
  return {
    bytes: CUDA_CONTEXT_BYTES * gpus,
    note: `CUDA context: ${CUDA_CONTEXT_BYTES / MiB} MiB per GPU (usually 300-500 MiB with lazy loading; more on old drivers), charged ${gpus}x.`,
  };
}

const ffActive = (l: LayerShape): number =>
  l.ffn.kind === 'dense' ? l.ffn.ff : l.ffn.nExpertUsed * l.ffn.expertFf + l.ffn.sharedFf;

/** Widest per-token activation of one layer in elements: residual and norms (4 x hidden), q/k/v, MLP (3 x ff). */
function activationWidth(shape: ModelShape): number {
  let widest = 0;
  for (const l of shape.layers) {
    const m = l.mixer;
    const qkv =
      m.kind === 'attention'
        ? m.nHead * m.headDimK + m.nHeadKv * (m.headDimK + m.headDimV)
        : m.kind === 'mla'
          ? m.nHead * (m.qkNopeHeadDim + m.qkRopeHeadDim + m.vHeadDim) + m.kvLoraRank + m.qkRopeHeadDim
          : 2 * shape.hiddenSize;
    widest = Math.max(widest, 4 * shape.hiddenSize + qkv + 3 * ffActive(l));
  }
  return widest;
}

function vllmOverhead(shape: ModelShape, opts: OverheadOptions, profile: VllmProfile, gpus: number): RuntimeOverhead {
  const utilization = opts.gpuMemoryUtilization ?? profile.gpuMemoryUtilization;
  if (!(utilization > 0 && utilization <= 1)) throw new SizingError('gpu_memory_utilization must be in (0, 1]', 'gpuMemoryUtilization');
  const defaults = vllmSchedulerDefaults(profile, opts.totalGpuBytes === undefined ? {} : { totalBytes: opts.totalGpuBytes }, opts.ctx);
  const tokens = opts.maxNumBatchedTokens ?? defaults.maxNumBatchedTokens;
  const seqs = Math.min(opts.maxNumSeqs ?? defaults.maxNumSeqs, tokens);
  // The profile run's peak (vllm-startup.ts), paid on every rank; CUDA graphs likewise.
  const activations = vllmActivationPeak(shape, seqs, tokens, gpus) * gpus;
  const ctx = contextOverhead(opts.backend, gpus);
  const notes = [
    `${profile.label}.`,
    `Peak activations estimated for max_num_batched_tokens = ${tokens} and a sampler warm-up over ${seqs} sequences (about ${SAMPLER_COPIES} float32 copies of their logits); vLLM measures them at start-up.`,
    `CUDA graphs: ~${profile.cudaGraphBytes / MiB} MiB assumed (vLLM logs the real figure; --enforce-eager removes it).`,
    'vLLM then gives everything left under the utilization cap to KV blocks, so the GPU looks full whatever the model.',
  ];
  if (ctx.note) notes.push(ctx.note);
  let reserveBytes = 0;
  if (opts.totalGpuBytes !== undefined) {
    reserveBytes = Math.floor((1 - utilization) * opts.totalGpuBytes) * gpus;
    notes.push(`Reserve: (1 - ${utilization}) of each GPU's memory is left unused by design.`);
  } else {
    notes.push(`Reserve: vLLM leaves (1 - ${utilization}) of the GPU unused; give totalGpuBytes to size it.`);
  }
  return {
    computeBytes: activations + profile.cudaGraphBytes * gpus,
    hostComputeBytes: 0,
    outputBytes: 0,
    contextBytes: ctx.bytes,
    reserveBytes,
    version: profile.version,
    notes,
  };
}

function transformersOverhead(shape: ModelShape, opts: OverheadOptions, profile: TransformersProfile, gpus: number): RuntimeOverhead {
  const tokens = opts.ctx * opts.seqs;
  const nHead = Math.max(0, ...shape.layers.map((l) => attentionOf(l)?.nHead ?? 0));
  // Prefill of the whole prompt at once, bf16. eager materialises [batch, heads, q, kv] scores (bf16) and their
  // f32 softmax; sdpa uses fused kernels and holds no score matrix.
  const scores = profile.attention === 'eager' ? opts.seqs * nHead * opts.ctx * opts.ctx * (2 + 4) : 0;
  const activations = tokens * activationWidth(shape) * 2;
  // generate() computes logits for the last position only (logits_to_keep), upcast to f32.
  const outputBytes = opts.seqs * shape.vocabSize * 4;
  const ctx = contextOverhead(opts.backend, gpus);
  const notes = [
    `${profile.label}.`,
    'Prefill activations estimated for the whole prompt in one forward pass; the PyTorch caching allocator keeps freed blocks reserved, so nvidia-smi shows more.',
  ];
  if (ctx.note) notes.push(ctx.note);
  return { computeBytes: scores + activations, hostComputeBytes: 0, outputBytes, contextBytes: ctx.bytes, reserveBytes: 0, version: profile.version, notes };
}

/** Everything a runtime adds besides weights and KV cache, for one model and context. */
export function runtimeOverhead(shape: ModelShape, opts: OverheadOptions): RuntimeOverhead {
  const gpus = opts.backend === 'cpu' ? 0 : (opts.gpus ?? 1);
  if (!Number.isInteger(gpus) || gpus < 0) throw new SizingError(`gpus must be a whole number, got ${gpus}`, 'gpus');
  const profile = runtimeProfile(opts.runtime, opts.version);
  if (profile.runtime === 'vllm') return vllmOverhead(shape, opts, profile, Math.max(1, gpus));
  if (profile.runtime === 'transformers') return transformersOverhead(shape, opts, profile, Math.max(1, gpus));

  const onGpu = (opts.backend ?? 'cuda') !== 'cpu';
  const cb = llamaCppComputeBuffer(shape, { ...opts, backend: onGpu ? 'gpu' : 'cpu' });
  const ctx = contextOverhead(opts.backend, gpus);
  const notes = [
    `${profile.label}.`,
    `Compute buffer peak at the ${cb.peak} of the graph (n_ubatch ${cb.nUbatch}, n_kv ${cb.nKv}); fitted to every measured load within 0.01 MiB.`,
    'Output buffer: logits for max(1, parallel sequences) outputs, in host memory.',
  ];
  if (ctx.note) notes.push(ctx.note);
  if (gpus > 1) notes.push('Several GPUs: each holds a compute buffer for its layers; pipeline parallelism keeps several copies. Not modelled: one buffer is charged.');
  return {
    computeBytes: cb.deviceBytes,
    hostComputeBytes: cb.hostBytes,
    outputBytes: llamaCppOutputBuffer(shape, opts.seqs),
    contextBytes: ctx.bytes,
    reserveBytes: 0,
    version: profile.version,
    notes,
  };
}
