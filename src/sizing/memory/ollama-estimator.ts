/**
 * Ollama's old memory estimator (llm/memory.go EstimateGPULayers and fs/ggml/ggml.go GraphSize), which decided how
 * many layers Ollama offloaded from v0.1.33 until v0.11.10 for every model and until v0.12.10 for llama-engine models,
 * and whose figures it printed ("offload to cuda" / msg=offload: memory.required.full/partial/kv, memory.weights.*,
 * memory.graph.*, layers.offload) and showed in `ollama ps` (SIZE = memory.required.full).
 *
 * Pure functions of an Ollama-style view of the GGUF (OllamaGgufView) and the settings the scheduler passed. The rules
 * that changed between releases are flags of OllamaEstimatorRules, chosen by ollamaEstimatorRules(release); each
 * cites the tag where the code reads that way (ollama/ollama; the last version of the file is
 * llm/memory.go@4372d0bfe, the parent of f560bd077 which deleted it, shipped through v0.12.10).
 *
 * Figures are bytes, computed with Go's unsigned integer arithmetic where Go uses it (left to right, truncating).
 */
import { SizingError } from '../errors.ts';
import { MiB } from '../units.ts';
import type { ModelShape } from '../types.ts';
import { compareOllamaReleases, parseOllamaRelease, type OllamaParallelRule } from './runtime-profiles.ts';

/** What the estimator reads from the GGUF: its metadata keys and the byte size of each tensor group. */
export interface OllamaGgufView {
  /** general.architecture as Ollama's file has it (mistral3, gemma3, gptoss, qwen25vl, llama, qwen2 ...). */
  arch: string;
  blockCount: number;
  /** embedding_length. */
  embedding: number;
  /** tokenizer.ggml.tokens length. */
  vocab: number;
  /** attention.head_count (max over layers). */
  headCount: number;
  /** attention.head_count_kv per layer (0: a layer without attention). */
  headCountKv: number[];
  /** attention.key_length / value_length (default embedding / head_count). */
  keyLength: number;
  valueLength: number;
  /** attention.sliding_window, if any. */
  slidingWindow: number | null;
  /** feed_forward_length. */
  feedForwardLength: number;
  /** Bytes of each blk.N group (all its tensors). */
  blockBytes: number[];
  /** output_norm + output (or token_embd when the output head is tied): the "output layer" Ollama places last. */
  outputLayerBytes: number;
  /** The largest tensor group (blk.N, token_embd, output, v ...): the v0.7.0 buffer. */
  largestGroupBytes: number;
  /** blk.0.ffn_gate_exps.weight bytes (stacked experts: the "mixtral 8x22b" branch of the llama graph), or null. */
  ffnGateExpsBytes: number | null;
}

/** The estimator's rules at one release (flags that changed between releases, with the tag each starts at). */
export interface OllamaEstimatorRules {
  release: string;
  /** v0.6.3 (commit f66216e39): a KV size per layer (gemma3 sliding layers, gpt-oss); before, ctx x blocks spread evenly. */
  kvPerLayer: boolean;
  /** v0.5.0 (PR #6279): OLLAMA_KV_CACHE_TYPE q8_0 / q4_0 counted (1 / 0.5 bytes an element) when flash attention is on. */
  kvTypes: boolean;
  /** v0.3.10 (commit 2003d6015, "llama3.1 memory"): the llama full-offload graph also covers the output (vocab) graph. */
  llamaFullVocab: boolean;
  /** v0.3.10: OLLAMA_GPU_OVERHEAD subtracted. */
  gpuOverhead: boolean;
  /** v0.7.0 (commit 0478d440f): layers placed from the last block down; before, from block 0 up. */
  lastBlockFirst: boolean;
  /** v0.7.0 only: the buffer is the largest tensor group; before and after (commit 3fe74fba4, v0.7.1) blk.0. */
  largestGroupBuffer: boolean;
  /** v0.7.1 (commit d75557747): an Ollama-engine projector (weights + graph) goes with the output layer; before, on GPU 0. */
  projectorWithOutput: boolean;
  /** v0.7.0: overflow counted layer by layer; before, (blocks - placed) x the last block's size. */
  overflowPerLayer: boolean;
  /** How memory.weights.* were printed: total included the KV (<= v0.6.0), total = repeating = blocks (v0.6.1-v0.6.2), total = blocks + output (v0.6.3+). */
  weightsLog: 'with-kv' | 'blocks-only' | 'blocks-plus-output';
  /** gpt-oss graph: v0.11.0 full = 4 x gqa x kv / 6, partial = 2 x full; v0.11.3 (fcec04bf4) partial = full; v0.11.5 partial = 2 x gqa x kv / 6 = full. */
  gptoss: 'v0.11.0' | 'v0.11.3' | 'v0.11.5';
  /** v0.11.8: with flash attention the gpt-oss partial graph is (4 x parallel + ctx/1024 + 110) MiB. */
  gptossFlashGraph: boolean;
}

const at = (v: readonly number[], release: string): boolean => compareOllamaReleases(v, parseOllamaRelease(release)) >= 0;

/** The estimator rules of an Ollama release ("0.5.7"). Releases from v0.12.11 on no longer have the estimator. */
export function ollamaEstimatorRules(release: string): OllamaEstimatorRules {
  const v = parseOllamaRelease(release);
  if (at(v, '0.12.11')) throw new SizingError(`Ollama ${release} has no llm/memory.go estimator (removed in v0.12.11)`, 'version');
  return {
    release,
    kvPerLayer: at(v, '0.6.3'),
    kvTypes: at(v, '0.5.0'),
    llamaFullVocab: at(v, '0.3.10'),
    gpuOverhead: at(v, '0.3.10'),
    lastBlockFirst: at(v, '0.7.0'),
    largestGroupBuffer: at(v, '0.7.0') && !at(v, '0.7.1'),
    projectorWithOutput: at(v, '0.7.1'),
    overflowPerLayer: at(v, '0.7.0'),
    weightsLog: at(v, '0.6.3') ? 'blocks-plus-output' : at(v, '0.6.1') ? 'blocks-only' : 'with-kv',
    gptoss: at(v, '0.11.5') ? 'v0.11.5' : at(v, '0.11.3') ? 'v0.11.3' : 'v0.11.0',
    gptossFlashGraph: at(v, '0.11.8'),
  };
}

/** A GPU as the estimator sees it: its library and free memory (what Ollama's discovery reported). */
export interface OllamaGpu {
  library: 'cuda' | 'rocm' | 'metal' | 'cpu';
  freeBytes: number;
}

export interface OllamaProjector {
  /** 'mmproj': a separate projector file (llama engine, weights only, GPU 0); 'ollama-engine': weights and graph from the model file. */
  kind: 'mmproj' | 'ollama-engine';
  weights: number;
  graph: number;
}

export interface OllamaEstimatorSettings {
  /** opts.NumCtx as the estimator got it: num_ctx x parallel (the scheduler multiplies before estimating). */
  numCtx: number;
  numParallel: number;
  /** num_batch (default 512); the graph uses min(numCtx, numBatch). */
  numBatch?: number;
  /** num_gpu (layers requested; -1 = as many as fit). */
  numGpu?: number;
  /** OLLAMA_KV_CACHE_TYPE ('' = f16); counted only with flash attention and the kvTypes rule. */
  kvCacheType?: string;
  flashAttention?: boolean;
  gpus: OllamaGpu[];
  /** OLLAMA_GPU_OVERHEAD, bytes (v0.3.10+). */
  gpuOverheadBytes?: number;
  projector?: OllamaProjector;
}

export interface OllamaEstimate {
  /** KV bytes per block, and their sum (memory.required.kv). */
  kv: number[];
  kvTotal: number;
  /** memory.graph.full / partial (after the Metal and multi-GPU adjustments). */
  graphFull: number;
  graphPartial: number;
  /** layers.offload (blocks and the output layer placed on GPUs), layers.model (blocks + 1), layers.split. */
  layers: number;
  layersModel: number;
  split: number[];
  /** memory.required.allocations per GPU. */
  allocations: number[];
  /** memory.required.partial (VRAMSize) and memory.required.full (TotalSize). */
  requiredPartial: number;
  requiredFull: number;
  /** memory.weights.* as that release printed them. */
  weights: { total: number; repeating: number; nonrepeating: number };
  fullyLoaded: boolean;
}

/** Go's uint64(float64(x) * bytesPerElement). */
const times = (elements: number, bytesPerElement: number): number => Math.floor(elements * bytesPerElement);

function kvBytesPerElement(kvCacheType: string): number {
  if (kvCacheType === 'q8_0') return 1; // fs/ggml/ggml.go kvCacheBytesPerElement: "1/2 of fp16" (llama.cpp's q8_0 is 1.0625)
  if (kvCacheType === 'q4_0') return 0.5;
  if (kvCacheType === 'f32') return 4;
  return 2;
}

/** HeadCountKVMin: the smallest non-zero KV head count (1 when no layer has attention). */
function minPositive(values: readonly number[]): number {
  const positive = values.filter((h) => h > 0);
  return positive.length > 0 ? Math.min(...positive) : 1;
}

/** Go's integer a * b / c, left to right. */
const muldiv = (a: number, b: number, c: number): number => Math.floor((a * b) / c);

interface GraphParts {
  kv: number[];
  kvDefaultTotal: number;
  partial: number;
  full: number;
}

/** fs/ggml/ggml.go GraphSize (llm/ggml.go before v0.6): the KV per block and the compute graph for full and partial offload. */
export function ollamaGraphSize(view: OllamaGgufView, rules: OllamaEstimatorRules, s: { context: number; batch: number; numParallel: number; kvCacheType: string; flashAttention: boolean }): GraphParts {
  const { context, batch } = s;
  const E = view.embedding;
  const V = view.vocab;
  const H = view.headCount;
  const kvHeads = view.headCountKv;
  const Hkv = Math.max(0, ...kvHeads);
  const HkvMin = minPositive(kvHeads);
  const Dk = view.keyLength;
  const Dv = view.valueLength;
  const Dh = Math.floor(E / Math.max(1, H)); // EmbeddingHeadCount = embedding / heads
  const bpe = kvBytesPerElement(s.kvCacheType);
  const n = view.blockCount;

  // KV: before v0.6.3 one total spread evenly; from v0.6.3 per layer, with the architecture overrides below.
  let kv: number[];
  let kvDefaultTotal: number;
  if (!rules.kvPerLayer) {
    const total = times(context * n * (Dk + Dv) * Hkv, bpe);
    kv = Array.from({ length: n }, () => Math.floor(total / n));
    kvDefaultTotal = total;
  } else {
    kv = kvHeads.map((h) => times(context * (Dk + Dv) * h, bpe));
    kvDefaultTotal = kv.reduce((a, b) => a + b, 0);
  }

  let full = 0;
  let partial = 0;
  switch (view.arch) {
    case 'llama':
    case 'llama4': {
      full = 4 * batch * (1 + 4 * E + context * (1 + H));
      if (rules.llamaFullVocab) full = Math.max(full, 4 * batch * (E + V));
      partial =
        4 * batch * E +
        Math.max(
          4 * batch * (1 + E + Math.max(context, E)) + muldiv(E * E, 9, 16) + 4 * context * (batch * H + Dh * Hkv),
          4 * batch * (E + V) + muldiv(E * V, 105, 128),
        );
      if (view.ffnGateExpsBytes !== null) {
        const ff = view.feedForwardLength;
        partial = Math.max(
          3 * view.ffnGateExpsBytes + 4 * batch * (2 * ff + Hkv + E + context + Dh * Hkv),
          4 * (context * batch * H + context * Dh * Hkv + batch * 1024 + Dh * Hkv * batch),
        );
      }
      break;
    }
    case 'gemma':
    case 'gemma2':
    case 'gemma3':
    case 'gemma3n': {
      full = Math.max(4 * batch * (E + V), 4 * batch * (2 + context + context * H + 2 * E + 2 * Dk * H));
      partial = Math.max(
        4 * E * batch + muldiv(E * V, 105, 128) + 4 * V * batch,
        4 * batch * (2 * E + 1 + 2 * Dk * H + context + context * H) + 4 * Dk * context * 8 + muldiv(E * Dk * H, 9, 16),
      );
      if (view.arch === 'gemma3n') {
        full *= 4;
        partial *= 4;
      }
      if (view.arch === 'gemma3' && rules.kvPerLayer && view.slidingWindow !== null) {
        // Every 6th layer global (full context); the others numParallel x window + batch.
        const window = s.numParallel * view.slidingWindow + batch;
        kv = kv.map((b, i) => ((i + 1) % 6 !== 0 ? times(window * (Dk + Dv) * (kvHeads[i] ?? Hkv), bpe) : b));
      }
      break;
    }
    case 'command-r':
      full = Math.max(4 * batch * (E + V), 4 * batch * (2 + 4 * E + context * (1 + H)));
      partial = Math.max(4 * batch * (E + V) + muldiv(E * V, 105, 128), 4 * batch * (1 + 2 * E + context * (1 + H)) + 4 * E * context + muldiv(E * E, 9, 16));
      break;
    case 'qwen2':
      full = Math.max(4 * batch * (E + V), 4 * batch * (1 + 2 * E + context + context * H));
      partial = Math.max(4 * batch * (E + V) + muldiv(E * V, 105, 128), 4 * (batch * (1 + 2 * E + context * (1 + H)) + E * (1 + context)));
      break;
    case 'phi2':
      full = Math.max(4 * batch * (E + V), 4 * batch * (1 + 4 * E + context + context * H));
      partial = Math.max(4 * batch * (2 * E + V) + muldiv(E * V, 105, 128), 4 * batch * (2 + 3 * E + context + context * H));
      break;
    case 'stablelm':
      full = 4 * batch * (context * (1 + H) + 3 * E + 2);
      partial = Math.max(4 * batch * (V + 2 * E), full);
      break;
    case 'deepseek2':
      full = Math.max(4 * batch * (3 * E + V), 4 * batch * (3 * E + 2 + context * (1 + Hkv) + 2 * Dk * Hkv));
      partial = Math.max(
        4 * batch * (3 * E + V) + muldiv(E * V, 105, 128),
        4 * batch * (2 * E + 1 + 2 * Dk * Hkv + context + context * Hkv) + 4 * Dk * context * Hkv + muldiv(E * Dk * Hkv, 9, 16),
      );
      break;
    case 'gptoss':
    case 'gpt-oss': {
      // Even layers: numParallel x 4096 + batch tokens; odd layers the whole context. The graph uses the total
      // computed before this override (kvTotal inside GraphSize is not updated).
      kv = kvHeads.map((h, i) => times((Dk + Dv) * h, bpe) * (i % 2 === 0 ? s.numParallel * 4096 + batch : context));
      const gqa = Math.floor(H / HkvMin);
      if (rules.gptoss === 'v0.11.5') {
        partial = Math.floor((2 * gqa * kvDefaultTotal) / 6);
        if (rules.gptossFlashGraph && s.flashAttention) partial = (4 * s.numParallel + Math.floor(context / 1024) + 110) * MiB;
      } else {
        full = Math.floor((4 * gqa * kvDefaultTotal) / 6);
        partial = rules.gptoss === 'v0.11.0' ? 2 * full : full;
      }
      break;
    }
  }
  return { kv, kvDefaultTotal, partial, full };
}

/**
 * llm/memory.go EstimateGPULayers: the layers Ollama offloads and the figures it logs, for one set of GPUs of one
 * library (the scheduler tries single GPUs first, then all; see ollamaSchedule).
 */
export function ollamaEstimate(view: OllamaGgufView, rules: OllamaEstimatorRules, s: OllamaEstimatorSettings): OllamaEstimate {
  const n = view.blockCount;
  const batch = Math.min(s.numCtx, s.numBatch ?? 512);
  const numGpu = s.numGpu ?? -1;
  const overhead = rules.gpuOverhead ? (s.gpuOverheadBytes ?? 0) : 0;
  const fa = s.flashAttention ?? false;
  const kvType = rules.kvTypes && fa && ['q8_0', 'q4_0', 'f16'].includes((s.kvCacheType ?? '').toLowerCase()) ? (s.kvCacheType ?? '').toLowerCase() : '';
  const g = ollamaGraphSize(view, rules, { context: s.numCtx, batch, numParallel: s.numParallel, kvCacheType: kvType, flashAttention: fa });
  const kv = g.kv;
  const kvTotal = kv.reduce((a, b) => a + b, 0);
  let partial = g.partial;
  let full = g.full;
  if (partial === 0) {
    // Architectures without a formula: gqa x KV / 6 (HeadCountMax / HeadCountKVMin; GQA() before v0.9.3, equal here).
    partial = Math.floor((Math.floor(view.headCount / minPositive(view.headCountKv)) * (rules.kvPerLayer ? kvTotal : g.kvDefaultTotal)) / 6);
  }
  if (full === 0) full = partial;
  const gpus = s.gpus;
  const library = gpus[0]?.library ?? 'cpu';
  if (library === 'metal') partial = full;
  else if (gpus.length > 1) full = partial;
  const graphMax = Math.max(partial, full);

  const minimum = (gpu: OllamaGpu): number => (gpu.library === 'metal' ? 512 * MiB : gpu.library === 'cpu' ? 0 : 457 * MiB);
  const projector = s.projector;
  const gpu0Overhead = projector ? (projector.kind === 'mmproj' || !rules.projectorWithOutput ? projector.weights + (projector.kind === 'mmproj' ? 0 : projector.graph) : 0) : 0;
  const lastLayerExtra = projector && projector.kind === 'ollama-engine' && rules.projectorWithOutput ? projector.weights + projector.graph : 0;

  const largest = Math.max(view.largestGroupBytes, projector?.weights ?? 0); // GroupLayers() includes the vision group "v"
  let layerSize = (rules.largestGroupBuffer ? largest : (view.blockBytes[0] ?? 0)) + (kv[0] ?? 0);
  const allocations = gpus.map(() => 0);
  const split = gpus.map(() => 0);
  let withSpace: number[] = [];
  for (let i = 0; i < gpus.length; i++) {
    const gpu = gpus[i]!;
    const gzo = withSpace.length === 0 ? gpu0Overhead : 0;
    if (gpu.freeBytes < overhead + gzo + graphMax + minimum(gpu) + 2 * layerSize) continue;
    withSpace.push(i);
    allocations[i]! += minimum(gpu) + layerSize;
  }
  let overflow = 0;
  if (withSpace.length > 0) allocations[withSpace[0]!]! += gpu0Overhead;
  else if (rules.projectorWithOutput) overflow += gpu0Overhead;

  let count = 0;
  let blocksWeights = 0;
  const order = Array.from({ length: n }, (_, k) => (rules.lastBlockFirst ? n - 1 - k : k));
  for (const i of order) {
    layerSize = (view.blockBytes[i] ?? 0) + (kv[i] ?? 0);
    blocksWeights += view.blockBytes[i] ?? 0;
    if (numGpu >= 0 && count >= numGpu) {
      if (rules.overflowPerLayer) overflow += layerSize;
      continue;
    }
    for (let j = withSpace.length; j > 0; j--) {
      const k = i % j;
      const gi = withSpace[k]!;
      const used = allocations[gi]! + graphMax;
      if (gpus[gi]!.freeBytes > overhead + used + layerSize) {
        allocations[gi]! += layerSize;
        split[gi]! += 1;
        count++;
        break;
      }
      withSpace = [...withSpace.slice(0, k), ...withSpace.slice(k + 1)];
    }
    if (rules.overflowPerLayer && withSpace.length === 0) overflow += layerSize;
  }
  let fullyLoaded = count >= n;
  if (!rules.overflowPerLayer && !fullyLoaded) overflow += (n - count) * layerSize;

  const lastLayer = view.outputLayerBytes + lastLayerExtra;
  if (lastLayer > 0 && (numGpu < 0 || count < numGpu)) {
    for (let j = withSpace.length; j > 0; j--) {
      const gi = withSpace[count % j]!;
      const used = allocations[gi]! + graphMax;
      if (gpus[gi]!.freeBytes > overhead + used + lastLayer) {
        allocations[gi]! += lastLayer;
        split[gi]! += 1;
        count++;
        break;
      }
    }
    if (count < n + 1) {
      fullyLoaded = false;
      overflow += lastLayer;
    }
  } else if (lastLayer > 0 && rules.projectorWithOutput && count < n + 1) {
    fullyLoaded = false;
    overflow += lastLayer;
  }
  for (let i = 0; i < gpus.length; i++) if (split[i]! > 0) allocations[i]! += fullyLoaded ? full : partial;
  const allocated = allocations.reduce((a, b) => a + b, 0);
  const requiredFull = allocated + overflow;
  const onGpus = library !== 'cpu' && count > 0;

  const output = view.outputLayerBytes;
  const weights =
    rules.weightsLog === 'with-kv'
      ? { total: blocksWeights + kvTotal, repeating: blocksWeights + kvTotal - output, nonrepeating: output } // memoryWeights += blk + kv/n
      : rules.weightsLog === 'blocks-only'
        ? { total: blocksWeights, repeating: blocksWeights, nonrepeating: output }
        : { total: blocksWeights + output, repeating: blocksWeights, nonrepeating: output };
  return {
    kv,
    kvTotal: rules.kvPerLayer ? kvTotal : g.kvDefaultTotal,
    graphFull: full,
    graphPartial: partial,
    layers: onGpus ? count : 0,
    layersModel: n + 1,
    split,
    allocations,
    requiredPartial: onGpus ? allocated : 0,
    requiredFull,
    weights,
    fullyLoaded,
  };
}

export interface OllamaScheduled {
  /** The parallel the scheduler settled on, and the num_ctx x parallel the runner got. */
  parallel: number;
  context: number;
  /** Indices of the GPUs the model was loaded on (the offload line lists only these). */
  gpus: number[];
  estimate: OllamaEstimate;
}

/**
 * server/sched.go (v0.2-v0.11): with a fixed parallel, that parallel; with "auto", the first of the tries whose
 * load fits entirely on one GPU (largest free first), then on all GPUs; otherwise a partial load with parallel 1 on
 * all GPUs (pickBestFullFitByLibrary / pickBestPartialFitByLibrary, server/sched.go:683-780@v0.5.7). CPU-only:
 * the CPU parallel (sched.go:201-208@v0.5.7).
 */
export function ollamaSchedule(
  view: OllamaGgufView,
  rules: OllamaEstimatorRules,
  parallel: OllamaParallelRule,
  s: Omit<OllamaEstimatorSettings, 'numCtx' | 'numParallel'> & { numCtx: number },
): OllamaScheduled {
  const run = (p: number, idx: number[]): OllamaScheduled => ({
    parallel: p,
    context: s.numCtx * p,
    gpus: idx,
    estimate: ollamaEstimate(view, rules, { ...s, numCtx: s.numCtx * p, numParallel: p, gpus: idx.map((i) => s.gpus[i]!) }),
  });
  const all = s.gpus.map((_, i) => i);
  if (s.gpus.length === 0 || s.gpus.every((g) => g.library === 'cpu')) {
    return run(parallel.kind === 'auto' ? parallel.cpu : parallel.value, all);
  }
  const tries = parallel.kind === 'auto' ? parallel.tries : [parallel.value];
  const fits = (r: OllamaScheduled): boolean => (s.numGpu ?? -1) < 0 ? r.estimate.layers >= view.blockCount + 1 : r.estimate.layers >= (s.numGpu ?? 0);
  const byFree = [...all].sort((a, b) => s.gpus[b]!.freeBytes - s.gpus[a]!.freeBytes);
  for (const p of tries) {
    for (const i of byFree) {
      const r = run(p, [i]);
      if (fits(r)) return r;
    }
  }
  for (const p of tries) {
    const r = run(p, byFree);
    if (fits(r)) return run(p, all);
  }
  return run(parallel.kind === 'auto' ? 1 : parallel.value, all);
}

// ---------------------------------------------------------------------------------------------------------------
// The Ollama engine's own KV cache (v0.6-v0.29, runner/ollamarunner)

/**
 * Cells of one layer's cache in the Ollama engine (kvcache/causal.go Init@v0.24.0:130-182): a full-attention layer
 * holds parallel x capacity; a sliding layer parallel x its memory window + one batch, unless that window reaches
 * the capacity; rounded up to the backend's padding (256 on the ggml backends, ml/backend/ggml/ggml.go:696-698).
 * capacity = num_ctx per sequence (KvSize / parallel, runner/ollamarunner/cache.go:35).
 */
export function ollamaEngineCacheCells(o: { capacity: number; parallel: number; batch: number; swaMemory: number | null; swaWindow?: number | null; padding?: number }): number {
  const pad = o.padding ?? 256;
  let memory = o.swaMemory;
  if (memory !== null && o.parallel > 1 && o.swaWindow != null) memory = Math.max(memory, o.swaWindow + 1);
  const cells = memory === null || memory >= o.capacity ? o.parallel * o.capacity : o.parallel * memory + o.batch;
  return Math.ceil(cells / pad) * pad;
}

/**
 * The sliding-window memory an Ollama-engine model keeps (its model.go): gemma4 and gpt-oss keep 4096 tokens
 * (NewSWAMemCache(window, 4096): model/models/gemma4/model.go:114-117, model/models/gptoss/model.go:238-239 @v0.24.0),
 * gemma3 its window (NewSWACache, model/models/gemma3/model_text.go:96).
 */
export function ollamaEngineSwaMemory(arch: string, window: number): number {
  return arch === 'gemma4' || arch === 'gptoss' || arch === 'gpt-oss' ? 4096 : window;
}

/** KV bytes per layer in the Ollama engine (f16 unless OLLAMA_KV_CACHE_TYPE says q8_0 / q4_0 with flash attention). */
export function ollamaEngineKvPerLayer(shape: ModelShape, o: { arch: string; numCtx: number; parallel: number; batch?: number; bytesPerElement?: number }): number[] {
  const bpe = o.bytesPerElement ?? 2;
  return shape.layers.map((l) => {
    const m = l.mixer;
    if (m.kind !== 'attention' || m.kvSharedFrom !== undefined) return 0;
    const swa = m.window !== null ? ollamaEngineSwaMemory(o.arch, m.window) : null;
    const cells = ollamaEngineCacheCells({ capacity: o.numCtx, parallel: o.parallel, batch: o.batch ?? 512, swaMemory: swa, swaWindow: m.window });
    return Math.round(cells * m.nHeadKv * (m.headDimK + m.headDimV) * bpe);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// From the engine's model to Ollama's view

/** A tensor with its bytes (sized-tensors.ts SizedTensor, or a GGUF header's). */
export interface ByteTensor {
  name: string;
  layer: number | null;
  role: string;
  bytes: number;
}

/**
 * The estimator's view of a model from the engine's shape and sized tensors. `arch` is the architecture Ollama's own
 * file declares when it differs from llama.cpp's name (Ollama converted gemma3, mistral3, qwen2.5-VL and gpt-oss
 * itself: "gptoss", "mistral3", "qwen25vl"). MLA layers are read as the GGUF of 2024-early 2025 stored them:
 * n_head_kv = n_head, key_length = nope + rope, value_length = v_head_dim.
 */
export function ollamaGgufView(shape: ModelShape, tensors: readonly ByteTensor[], opts: { arch?: string; vocab?: number } = {}): OllamaGgufView {
  const n = shape.layers.length;
  const blockBytes = new Array<number>(n).fill(0);
  let outputNorm = 0;
  let output = 0;
  let tokenEmbd = 0;
  let ffnGateExps: number | null = null;
  for (const t of tensors) {
    if (t.layer !== null) {
      if (t.layer < n) blockBytes[t.layer]! += t.bytes;
      if (t.layer === 0 && /\.ffn_gate_exps\.weight$/.test(t.name)) ffnGateExps = t.bytes;
    } else if (t.name.startsWith('output_norm')) outputNorm += t.bytes;
    else if (t.name.startsWith('output.')) output += t.bytes;
    else if (t.name.startsWith('token_embd.')) tokenEmbd += t.bytes;
  }
  const outputLayerBytes = outputNorm + (output > 0 ? output : tokenEmbd);
  let headCount = 0;
  let keyLength = 0;
  let valueLength = 0;
  let window: number | null = null;
  let ff = 0;
  const headCountKv = shape.layers.map((l) => {
    const m = l.mixer;
    if (l.ffn.kind === 'dense') ff = Math.max(ff, l.ffn.ff);
    else ff = Math.max(ff, l.ffn.expertFf);
    if (m.kind === 'attention') {
      headCount = Math.max(headCount, m.nHead);
      keyLength = Math.max(keyLength, m.headDimK);
      valueLength = Math.max(valueLength, m.headDimV);
      if (m.window !== null) window = m.window;
      return m.nHeadKv;
    }
    if (m.kind === 'mla') {
      headCount = Math.max(headCount, m.nHead);
      keyLength = Math.max(keyLength, m.qkNopeHeadDim + m.qkRopeHeadDim);
      valueLength = Math.max(valueLength, m.vHeadDim);
      return m.nHead;
    }
    return 0;
  });
  return {
    arch: opts.arch ?? shape.ggufArch,
    blockCount: n,
    embedding: shape.hiddenSize,
    vocab: opts.vocab ?? shape.vocabSize,
    headCount,
    headCountKv,
    keyLength,
    valueLength,
    slidingWindow: window,
    feedForwardLength: ff,
    blockBytes,
    outputLayerBytes,
    largestGroupBytes: Math.max(...blockBytes, tokenEmbd, output, outputNorm),
    ffnGateExpsBytes: ffnGateExps,
  };
}

/** Ollama's format.HumanBytes2, as every figure of its log is printed ("1.3 GiB", "608.0 MiB", "0 B"). */
export function humanBytes2(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
