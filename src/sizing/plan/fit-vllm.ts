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
import { vllmCapacity } from '../memory/kv-vllm.ts';
import { CUDA_CONTEXT_BYTES, runtimeOverhead, vllmProfile } from '../memory/runtime.ts';
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

export function planVllm(c: PlanContext): FitPlan {
  if (c.gpus.length === 0) throw new SizingError('vLLM needs at least one GPU', 'devices');
  if (c.gpus.some((g) => g.kind !== 'gpu')) throw new SizingError('vLLM serves from CUDA / ROCm GPUs, not Apple Silicon', 'devices');
  const profile = vllmProfile(c.input.version);
  const util = c.input.gpuMemoryUtilization ?? profile.gpuMemoryUtilization;
  if (!(util > 0 && util <= 1)) throw new SizingError(`gpu_memory_utilization must be in (0, 1], got ${util}`, 'gpuMemoryUtilization');
  const tp = c.gpus.length;
  const memory = Math.min(...c.gpus.map((g) => g.memoryBytes));
  const notes = baseNotes(c);
  if (c.gpus.some((g) => g.memoryBytes !== memory)) notes.push('GPUs of different sizes: every tensor-parallel rank gets the smallest GPU\'s budget.');
  const attnHeads = Math.max(0, ...c.shape.layers.map((l) => attentionOf(l)?.nHead ?? 0));
  const headsDivide = attnHeads === 0 || attnHeads % tp === 0;

  const rank = shapePerRank(c.shape, tp);
  const kvOpts = { runtime: 'vllm' as const, typeK: c.kvType, typeV: c.kvType, ...(c.input.version === undefined ? {} : { version: c.input.version }) };
  const weights = weightsPerRank(c.tensors, c.shape, tp);
  // Activations are sharded over the ranks; sampler logits and CUDA graphs are paid on every rank.
  const ov = runtimeOverhead(c.shape, { ...kvOpts, ctx: c.input.ctx, seqs: c.seqs, gpus: tp, backend: 'cuda', maxNumSeqs: c.seqs });
  const compute = ov.computeBytes - profile.cudaGraphBytes * (tp - 1);
  const cap = util * memory;
  const available = cap - weights - compute - CUDA_CONTEXT_BYTES;
  const need = kvCache(rank, { ...kvOpts, ctx: c.input.ctx, seqs: c.seqs }).bytes;
  const one = kvCache(rank, { ...kvOpts, ctx: c.input.ctx, seqs: 1 }).bytes;
  const capacity = vllmCapacity(rank, Math.max(0, available), kvOpts);
  const starts = headsDivide && available > 0 && one <= available;
  const fits = starts && need <= available;

  const devices: DevicePlan[] = c.gpus.map((device) => {
    const row = memoryRow({ weights, kv: need, compute, overhead: CUDA_CONTEXT_BYTES }, cap);
    const free = row.free ?? 0;
    return { ...row, budget: cap, free, device, margin: 0, layers: c.shape.layers.length, holdsOutput: true, fits: fits && free >= 0 };
  });
  const ram = ramRow(c, { weights: 0, kv: 0, compute: 0 }, 0, 0, 0);
  const kvHeadsPerGpu = Math.max(1, ...rank.layers.map((l) => (l.mixer.kind === 'attention' ? l.mixer.nHeadKv : 1)));
  const placement: VllmPlacement = {
    tp,
    gpuMemoryUtilization: util,
    kvHeadsPerGpu,
    availableKvBytesPerGpu: available,
    neededKvBytesPerGpu: need,
    kvCacheTokens: capacity.tokens,
    maxConcurrency: capacity.maxConcurrency(c.input.ctx),
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
      ? `Weights (${gib(weights)} per GPU) and activations leave nothing for the KV cache under ${util} x ${gib(memory)}.`
      : `vLLM would not start: ${placement.message}`;
  } else if (!fits) {
    reason = `vLLM starts, but its KV pool holds ${placement.maxConcurrency.toFixed(2)} requests of ${c.input.ctx} tokens, fewer than the ${c.seqs} asked for.`;
  } else {
    reason = `${tp > 1 ? `Tensor parallel over ${tp} GPUs: ` : ''}${gib(weights)} of weights per GPU; the KV pool (${gib(available)} per GPU) holds ${capacity.tokens} tokens, ${placement.maxConcurrency.toFixed(2)} requests of ${c.input.ctx}.`;
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
