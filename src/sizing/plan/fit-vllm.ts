/**
 * vLLM on identical GPUs with tensor parallelism (tp = number of GPUs). Sources: vllm-project/vllm
 * vllm/v1/kv_cache_interface.py (at 001cabc1), vllm/v1/worker/gpu_worker.py and the tensor-parallel layers below.
 *
 *  - Weights: every matrix sharded over the tp ranks (column/row-parallel linears, VocabParallelEmbedding and
 *    ParallelLMHead included) except what vLLM replicates: 1-D tensors (norms, biases), the MoE router
 *    (ReplicatedLinear), MLA's low-rank down-projections (q_a_proj, kv_a_proj_with_mqa: ReplicatedLinear), and
 *    k/v projections when tp exceeds the KV heads (each rank keeps max(1, kv_heads / tp) heads).
 *  - KV per GPU: heads per rank = max(1, kv_heads // tp) (config/model.py get_num_kv_heads); an MLA latent has no
 *    heads to split, so every rank caches the whole latent (replicated).
 *  - Budget per GPU: gpu_memory_utilization x memory (default 0.9) must hold weights + peak activations + CUDA graphs
 *    + CUDA context; what is left becomes KV blocks. vLLM starts when one request of max_model_len fits
 *    (_check_enough_kv_cache_memory), else it says "the estimated maximum model length is N".
 */
import { SizingError } from '../errors.ts';
import { kvCache } from '../memory/kv-cache.ts';
import { vllmProfile } from '../memory/runtime.ts';
import { vllmPoolReport, vllmStartup } from '../memory/vllm-startup.ts';
import { checkpointQuantization, ropeCacheElements, vllmWeights, type CheckpointQuantization } from '../memory/vllm-weights.ts';
import { CUDA_RESERVED_ESTIMATE_BYTES, cudaVisibleBytes } from './devices.ts';
import { baseNotes, gib, memoryRow, planOf, ramRow, verdictOf, type DevicePlan, type FitPlan, type PlanContext } from './fit-common.ts';
import type { SizedTensor } from './sized-tensors.ts';
import type { ModelShape } from '../types.ts';
import type { VllmPlacement } from './placements.ts';
import { attentionOf } from '../mixers.ts';

export type { VllmPlacement };


/** The model as one tensor-parallel rank sees it: KV heads divided, never below one. */
export function shapePerRank(shape: ModelShape, tp: number): ModelShape {
  return {
    ...shape,
    layers: shape.layers.map((l) =>
      l.mixer.kind === 'attention' ? { ...l, mixer: { ...l.mixer, nHeadKv: Math.max(1, Math.floor(l.mixer.nHeadKv / tp)) } } : l,
    ),
  };
}

/** Share of a tensor one rank holds. */
export function rankShare(t: SizedTensor, shape: ModelShape, tp: number): number {
  const nDims = t.dims.filter((d) => d > 1).length;
  if (nDims <= 1 || t.role === 'norm' || t.role === 'bias' || t.role === 'router') return 1;
  if (/\.attn_(q_a|kv_a_mqa)\./.test(t.name)) return 1;
  const m = t.layer === null ? undefined : shape.layers[t.layer]?.mixer;
  if (m?.kind === 'attention' && /\.attn_[kv]\.weight$/.test(t.name)) return Math.max(1, Math.floor(m.nHeadKv / tp)) / m.nHeadKv;
  return 1 / tp;
}

export function weightsPerRank(tensors: SizedTensor[], shape: ModelShape, tp: number): number {
  return tensors.reduce((s, t) => s + t.bytes * rankShare(t, shape, tp), 0);
}

/** vLLM's start-up error when one request of max_model_len does not fit (vllm/v1/core/kv_cache_utils.py). */
export function vllmNotEnoughKvMessage(maxModelLen: number, neededBytes: number, availableBytes: number, estimatedMaxLen: number): string {
  if (availableBytes <= 0) return 'No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine.';
  return (
    `To serve at least one request with the model's max seq len (${maxModelLen}), (${(neededBytes / 2 ** 30).toFixed(2)} GiB KV cache is needed, ` +
    `which is larger than the available KV cache memory (${(availableBytes / 2 ** 30).toFixed(2)} GiB). ` +
    `Based on the available memory, the estimated maximum model length is ${estimatedMaxLen}. ` +
    'Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when initializing the engine.'
  );
}

/** The checkpoint's storage as vLLM reads it: its config's quantization_config, or the format the reader chose. */
function checkpointOf(c: PlanContext): CheckpointQuantization {
  const config = c.input.model.kind === 'config' ? c.input.model.config : undefined;
  const own = config ? checkpointQuantization(config) : undefined;
  if (own && own.method !== 'none') return own;
  return quantizationOfFormat(c.input.quant);
}

/** A GPU format id (fit input) as the quantization_config a checkpoint in that format carries. */
export function quantizationOfFormat(id: string): CheckpointQuantization {
  const f = id.trim().toLowerCase();
  const base = { skip: [], lmHeadQuantized: false };
  if (f === 'fp8' || f === 'fp8-e4m3') return { method: 'fp8', fp8Scales: 'tensor', ...base };
  if (f === 'fp8-channel') return { method: 'fp8', fp8Scales: 'channel', ...base };
  if (f === 'fp8-block') return { method: 'fp8', fp8Scales: 'block', ...base };
  if (f.startsWith('mxfp4')) return { method: 'mxfp4', ...base };
  if (f === 'nvfp4') return { method: 'nvfp4', ...base };
  if (f === 'awq' || f.startsWith('awq-g')) return { method: 'awq', bits: 4, group: Number(/g(\d+)/.exec(f)?.[1] ?? 128), ...base };
  const g = /^gptq(?:-(\d)bit-g(-?\d+))?/.exec(f);
  if (g) return { method: 'gptq', bits: Number(g[1] ?? 4), group: Number(g[2] ?? 128), ...base };
  if (f.startsWith('bnb-int8') || f === 'llm-int8') return { method: 'bnb8', ...base };
  if (f.startsWith('bnb') || f === 'nf4') return { method: 'bnb4', ...base };
  if (f === 'w8a8-int8') return { method: 'w8a8-int8', ...base };
  return { method: 'none', ...base };
}

export function planVllm(c: PlanContext): FitPlan {
  if (c.gpus.length === 0) throw new SizingError('vLLM needs at least one GPU', 'devices');
  if (c.gpus.some((g) => g.kind !== 'gpu')) throw new SizingError('vLLM serves from CUDA / ROCm GPUs, not Apple Silicon', 'devices');
  const profile = vllmProfile(c.input.version);
  const tp = c.gpus.length;
  const notes = baseNotes(c);
  // Every rank gets the smallest GPU's budget; vLLM sizes it from what CUDA reports, not the card's label.
  const visible = c.gpus.map((g) => ({ g, ...cudaVisibleBytes(g) }));
  const smallest = visible.reduce((a, b) => (b.bytes < a.bytes ? b : a));
  if (visible.some((v) => v.bytes !== smallest.bytes)) notes.push("GPUs of different sizes: every tensor-parallel rank gets the smallest GPU's budget.");
  if (smallest.estimated) {
    notes.push(`No public log gives what CUDA reports for ${smallest.g.name}: the card's memory less ${(CUDA_RESERVED_ESTIMATE_BYTES / 2 ** 30).toFixed(2)} GiB is assumed (0.26-0.85 GiB less on the GPUs whose logs were read).`);
  }
  const attnHeads = Math.max(0, ...c.shape.layers.map((l) => attentionOf(l)?.nHead ?? 0));
  const headsDivide = attnHeads === 0 || attnHeads % tp === 0;

  const rank = shapePerRank(c.shape, tp);
  const kvOpts = { runtime: 'vllm' as const, typeK: c.kvType, typeV: c.kvType, ...(c.input.version === undefined ? {} : { version: c.input.version }) };
  // GGUF-typed tensors (vLLM's GGUF loader) carry a ggml type; GPU-format tensors are re-sized as vLLM stores the checkpoint.
  const gguf = c.tensors.some((t) => 'type' in t);
  let weights: number;
  if (gguf) {
    weights = weightsPerRank(c.tensors, c.shape, tp);
  } else {
    const config = c.input.model.kind === 'config' ? c.input.model.config : {};
    const stored = vllmWeights(c.shape, c.tensors, checkpointOf(c), {
      tp,
      share: (t) => rankShare(t as SizedTensor, c.shape, tp),
      ropeCacheElements: ropeCacheElements(config, c.shape),
      gpuName: smallest.g.name,
    });
    weights = stored.bytesPerGpu;
    notes.push(...stored.notes);
  }
  const startup = vllmStartup(c.shape, {
    profile,
    weightsBytes: weights,
    tp,
    gpu: { totalBytes: smallest.bytes, name: smallest.g.name },
    maxModelLen: c.input.ctx,
    ...(c.input.gpuMemoryUtilization === undefined ? {} : { utilization: c.input.gpuMemoryUtilization }),
    ...(c.input.maxNumSeqs === undefined ? {} : { maxNumSeqs: c.input.maxNumSeqs }),
    ...(c.input.maxNumBatchedTokens === undefined ? {} : { maxNumBatchedTokens: c.input.maxNumBatchedTokens }),
  });
  notes.push(...startup.notes);
  const util = startup.utilization;
  const available = startup.availableKvBytes;
  const need = kvCache(rank, { ...kvOpts, ctx: c.input.ctx, seqs: c.seqs }).bytes;
  const one = kvCache(rank, { ...kvOpts, ctx: c.input.ctx, seqs: 1 }).bytes;
  const pool = vllmPoolReport(rank, available, c.input.ctx, { profile, typeK: c.kvType, typeV: c.kvType, maxNumBatchedTokens: startup.maxNumBatchedTokens });
  const starts = headsDivide && available > 0 && one <= available;
  const fits = starts && need <= available;
  const compute = startup.nonTorchBytes + startup.activationPeakBytes + (startup.cudaGraphSubtracted ? startup.cudaGraphBytes : 0);

  const devices: DevicePlan[] = c.gpus.map((device) => {
    // The budget is the utilization cap; the CUDA context and (before v0.21) CUDA graphs live in the rest.
    const row = memoryRow({ weights, kv: need, compute, overhead: 0 }, startup.requestedBytes);
    const free = row.free ?? 0;
    return { ...row, budget: startup.requestedBytes, free, device, margin: 0, layers: c.shape.layers.length, holdsOutput: true, fits: fits && free >= 0 };
  });
  const ram = ramRow(c, { weights: 0, kv: 0, compute: 0 }, 0, 0, 0);
  const kvHeadsPerGpu = Math.max(1, ...rank.layers.map((l) => (l.mixer.kind === 'attention' ? l.mixer.nHeadKv : 1)));
  const placement: VllmPlacement = {
    tp,
    gpuMemoryUtilization: util,
    kvHeadsPerGpu,
    cudaTotalBytes: smallest.bytes,
    cudaTotalEstimated: smallest.estimated,
    requestedBytesPerGpu: startup.requestedBytes,
    weightsBytesPerGpu: weights,
    nonTorchBytes: startup.nonTorchBytes,
    activationPeakBytes: startup.activationPeakBytes,
    cudaGraphBytes: startup.cudaGraphBytes,
    cudaGraphSubtracted: startup.cudaGraphSubtracted,
    maxNumSeqs: startup.maxNumSeqs,
    maxNumBatchedTokens: startup.maxNumBatchedTokens,
    schedulerGiven: { maxNumSeqs: c.input.maxNumSeqs !== undefined, maxNumBatchedTokens: c.input.maxNumBatchedTokens !== undefined },
    availableKvBytesPerGpu: available,
    neededKvBytesPerGpu: need,
    numBlocks: pool.numBlocks,
    kvCacheTokens: pool.kvCacheTokens,
    maxConcurrency: pool.maxConcurrency,
    starts,
  };
  let reason: string;
  if (!headsDivide) {
    reason = `vLLM refuses tensor parallelism ${tp}: the ${attnHeads} attention heads must divide evenly over the GPUs.`;
  } else if (!starts) {
    const maxLen = estimatedMaxModelLen(rank, kvOpts, available, c.input.ctx);
    placement.estimatedMaxModelLen = maxLen;
    placement.message = vllmNotEnoughKvMessage(c.input.ctx, one, available, maxLen);
    reason = available <= 0
      ? `Weights (${gib(weights)} per GPU), activations and the rest leave nothing for the KV cache under ${util} x ${gib(smallest.bytes)}.`
      : `vLLM would not start: ${placement.message}`;
  } else if (!fits) {
    reason = `vLLM starts, but its KV pool holds ${placement.maxConcurrency.toFixed(2)} requests of ${c.input.ctx} tokens, fewer than the ${c.seqs} asked for.`;
  } else {
    reason = `${tp > 1 ? `Tensor parallel over ${tp} GPUs: ` : ''}${gib(weights)} of weights per GPU; the KV pool (${gib(available)} per GPU) holds ${pool.kvCacheTokens} tokens, ${placement.maxConcurrency.toFixed(2)} requests of ${c.input.ctx}.`;
  }
  const mla = c.shape.layers.some((l) => l.mixer.kind === 'mla');
  if (mla && tp > 1) notes.push('MLA: the latent cache has no heads to split; every GPU holds all of it.');
  if (c.shape.layers.some((l) => l.mixer.kind === 'attention' && l.mixer.nHeadKv < tp)) {
    notes.push('More GPUs than KV heads: each GPU keeps one KV head, so those heads are replicated.');
  }
  return planOf(c, { verdict: verdictOf(true, fits, ram), reason, devices, ram, vllm: placement, notes });
}

/** vLLM's binary search: the largest max_model_len whose single request fits the available KV memory. */
function estimatedMaxModelLen(
  rank: ModelShape,
  kvOpts: { runtime: 'vllm'; typeK: string; typeV: string; version?: string },
  available: number,
  upTo: number,
): number {
  if (available <= 0) return 0;
  let lo = 0;
  let hi = upTo;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (kvCache(rank, { ...kvOpts, ctx: mid, seqs: 1 }).bytes <= available) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
