/**
 * The whole picture for one model, quantization, context and runtime: weights + KV cache + runtime buffers.
 * This is the function the CLI, the calculators and the prose call; it only wires the engine's parts together:
 *
 *   config.json ─▶ modelShapeFromConfig ─▶ tensorsOf ─▶ assignFileType (GGUF) | applyGpuFormat (GPU formats)
 *   GGUF header ─▶ shapeFromGguf + typedTensorsFromGguf ──────────────┘
 *        └────────▶ kvCache (per runtime) + runtimeOverhead (compute, output, CUDA context, reserve)
 */
import { SizingError } from '../errors.ts';
import { visionMemory, type VisionMemory } from './vision-memory.ts';
import type { ImageSize, MmprojOuttype } from '../model/vision/index.ts';
import { modelShapeFromConfig } from '../model/model-shape.ts';
import { loadedTensors, tensorsOf } from '../model/tensors.ts';
import { paramCounts, type ParamCounts } from '../model/params.ts';
import { canonicalFileTypeId } from '../formats/file-types.ts';
import { typeCounts } from '../formats/gguf-mix.ts';
import { typedFile } from '../formats/typed-file.ts';
import { summarizeWeights, ggufFileBytes, estimateGgufMetadataBytes, type WeightSummary } from './weights.ts';
import { kvCache, type KvResult } from './kv-cache.ts';
import { runtimeOverhead, ollamaDefaultNumCtx, ollamaLlamaCppVersion, ollamaProfileOf, type OllamaProfile, type RuntimeOverhead } from './runtime.ts';
import { applyGpuFormat, type GpuFormatResult } from '../formats/gpu-formats.ts';
import { elementCount } from '../formats/ggml-types.ts';
import { findGpuFormat } from '../formats/quant-names.ts';
import type { HfConfig, ModelReading, ModelShape, TensorInfo, TypedTensor } from '../types.ts';

export type RuntimeChoice = 'llama.cpp' | 'ollama' | 'vllm' | 'transformers';
export const RUNTIMES: readonly RuntimeChoice[] = ['llama.cpp', 'ollama', 'vllm', 'transformers'];

export interface EstimateOptions {
  /** A llama.cpp file type (Q4_K_M, IQ4_XS, Q8_0, F16, BF16 ...) or a GPU format id (awq, gptq, nf4, fp8, nvfp4, mxfp4, bf16 ...). */
  quant: string;
  /**
   * Context in tokens per sequence. Default 4096; Ollama: its default num_ctx for the version and the GPU memory
   * (totalGpuBytes x gpus; 4096 when neither is given).
   */
  ctx?: number;
  /** Sequences served in parallel (llama.cpp -np, vLLM concurrent requests, transformers batch). Default 1. */
  seqs?: number;
  /** llama.cpp micro-batch (-ub). Default 512. */
  ubatch?: number;
  /** KV cache element type for K and V (typeK/typeV override each). Default f16 (llama.cpp), auto (vLLM), bf16 (transformers). */
  kvType?: string;
  typeK?: string;
  typeV?: string;
  /** llama.cpp flash attention. Default on (llama.cpp's -fa auto resolves to on where supported). */
  flashAttn?: boolean;
  runtime?: RuntimeChoice;
  /** An importance matrix was used to make the GGUF (changes a few tensors' types in some file types). */
  imatrix?: boolean;
  /** llama-quantize rules of which version made the file: 'new' (default), 'old' (autumn 2025) or '2023'. */
  quantRules?: string;
  /** Where the model runs: CUDA GPUs pay a CUDA context each; Metal and CPU do not. Default 'cuda'. */
  backend?: 'cuda' | 'metal' | 'cpu';
  gpus?: number;
  /** Runtime version (see runtime-profiles.ts). Ollama: an OLLAMA_PROFILES key ("v0.30", "v0.2" ...), a release ("0.5.7") or a llama.cpp build id. */
  version?: string;
  /** vLLM: memory of one GPU and --gpu-memory-utilization, to size its reserve. */
  totalGpuBytes?: number;
  gpuMemoryUtilization?: number;
  /**
   * Multimodal models: load the vision part. Default: vLLM, transformers and Ollama load it; llama.cpp only with an
   * mmproj file (--mmproj), which images > 0 implies.
   */
  vision?: boolean;
  /** Images per sequence, each taking context positions (default 0). */
  images?: number;
  /** The images' size in pixels (default 1024 x 768). */
  imageSize?: ImageSize;
  /** llama.cpp: the mmproj file's type (default f16). */
  mmprojType?: MmprojOuttype;
}

export interface Estimate {
  runtime: RuntimeChoice;
  runtimeVersion: string;
  quant: { id: string; kind: 'gguf' | 'gpu' };
  params: ParamCounts;
  /** llama.cpp: its model buffer(s), i.e. the tensor data; GPU runtimes: the weights in GPU memory. */
  weightsBytes: number;
  /** llama.cpp: its KV buffer(s); vLLM: blocks for ctx x seqs tokens; transformers: the cache tensors. */
  kvCacheBytes: number;
  /** llama.cpp: compute buffers (device + host) and the output buffer; vLLM/transformers: activations (+ CUDA graphs). */
  computeBytes: number;
  /** CUDA context per GPU, and vLLM's unused share (1 - gpu_memory_utilization) when a GPU size is given. */
  overheadBytes: number;
  /** The vision encoder and projector as the runtime holds them (0 when the model has none or it is not loaded). */
  visionBytes: number;
  /** weights + KV cache + compute + overhead + vision. */
  totalBytes: number;
  /** Multimodal models: the vision part (also when not loaded, with loaded: false) and the images' context positions. */
  vision?: VisionMemory & { loaded: boolean };
  /** GGUF only: file size on disk (tensor data aligned + metadata estimate) and tensor counts per ggml type. */
  ggufFileBytes?: number;
  tensorTypes?: Record<string, number>;
  weights: WeightSummary;
  kv: KvResult;
  overhead: RuntimeOverhead;
  notes: string[];
  /** 'exact': the architecture's own reader (or a GGUF header); 'generic': an unknown architecture read as a standard decoder. */
  reading: ModelReading;
}

/** Where the model comes from: a config.json, or a GGUF header already typed (see gguf-model.ts). */
export type ModelSource =
  | { kind: 'config'; config: HfConfig }
  | { kind: 'shape'; shape: ModelShape; tensors?: TensorInfo[] }
  | { kind: 'typed'; shape: ModelShape; typed: TypedTensor[]; metadataBytes?: number };

function positiveInt(value: number | undefined, field: string, fallback: number, max: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || !Number.isInteger(v) || v < 1) throw new SizingError(`${field} must be a whole number of at least 1, got ${v}`, field);
  if (v > max) throw new SizingError(`${field} must be at most ${max.toLocaleString('en-US')}, got ${v.toLocaleString('en-US')}`, field);
  return v;
}

function defaultKvType(runtime: RuntimeChoice): string {
  if (runtime === 'vllm') return 'auto';
  if (runtime === 'transformers') return 'bf16';
  return 'f16';
}

/** The largest context the engine accepts: 16M tokens (no model is trained that long; keeps sums exact). */
export const MAX_CTX = 16 * 1024 * 1024;

export function estimate(source: ModelSource, opts: EstimateOptions): Estimate {
  const runtime = opts.runtime ?? 'llama.cpp';
  if (!RUNTIMES.includes(runtime)) throw new SizingError(`runtime must be one of ${RUNTIMES.join(', ')}`, 'runtime');
  const ollama = runtime === 'ollama' ? ollamaProfileOf(opts.version) : undefined;
  const ollamaVram = (opts.totalGpuBytes ?? 0) * (opts.gpus ?? 1);
  const ctx = positiveInt(opts.ctx, 'ctx', ollama ? ollamaDefaultNumCtx(ollama, ollamaVram) : 4096, MAX_CTX);
  const seqs = positiveInt(opts.seqs, 'seqs', 1, 4096);
  const ubatch = positiveInt(opts.ubatch, 'ubatch', 512, 65536);
  const kvDefault = opts.kvType ?? defaultKvType(runtime);
  const typeK = opts.typeK ?? kvDefault;
  const typeV = opts.typeV ?? kvDefault;
  const flashAttn = opts.flashAttn ?? true;
  const notes: string[] = [];

  const shape = source.kind === 'config' ? modelShapeFromConfig(source.config) : source.shape;
  const baseTensors = source.kind === 'typed' ? source.typed : source.kind === 'shape' && source.tensors ? source.tensors : tensorsOf(shape);
  const params = paramCounts(baseTensors, shape);

  // Weights: a GGUF file type through llama-quantize's rules, or a GPU format with its scales and 16-bit leftovers.
  let quant: Estimate['quant'];
  let weights: WeightSummary;
  let fileBytes: number | undefined;
  let tensorTypes: Record<string, number> | undefined;
  // NextN blocks (GLM-4.5) are in the file but not loaded: the file size counts them, the weights in memory do not.
  if (params.nextn > 0) {
    notes.push(
      `The model also has NextN (multi-token prediction) block(s) of ${(params.nextn / 1e9).toFixed(2)}B parameters, in the GGUF file and the checkpoint; ` +
        'llama.cpp skips them at load, and other runtimes load them only for MTP speculative decoding: counted in the file size, not in memory.',
    );
  }
  if (source.kind === 'typed') {
    quant = { id: opts.quant || 'file', kind: 'gguf' };
    weights = summarizeWeights(loadedTensors(source.typed, shape));
    fileBytes = ggufFileBytes(source.typed, source.metadataBytes ?? estimateGgufMetadataBytes(shape.vocabSize));
    tensorTypes = typeCounts(source.typed);
  } else {
    const fileType = canonicalFileTypeId(opts.quant);
    const gpuFormat = fileType ? undefined : findGpuFormat(opts.quant);
    if (fileType && (runtime === 'llama.cpp' || runtime === 'ollama' || !findGpuFormat(opts.quant))) {
      const typed = typedFile(source, shape, baseTensors, fileType, {
        ...(opts.imatrix === undefined ? {} : { imatrix: opts.imatrix }),
        ...(opts.quantRules === undefined ? {} : { version: opts.quantRules }),
      });
      quant = { id: fileType, kind: 'gguf' };
      // Types are chosen over the whole file (llama-quantize sees the NextN blocks too), then the loaded part summed.
      weights = summarizeWeights(loadedTensors(typed, shape));
      fileBytes = ggufFileBytes(typed, estimateGgufMetadataBytes(shape.vocabSize));
      tensorTypes = typeCounts(typed);
      if (runtime === 'vllm') notes.push('vLLM loads GGUF files only through its experimental GGUF loader (single-file models).');
      if (runtime === 'transformers') notes.push('transformers dequantizes GGUF weights to 16 bits on load; the GGUF bytes shown are the file, not the memory.');
    } else {
      const format = gpuFormat ?? findGpuFormat(opts.quant);
      if (!format) {
        throw new SizingError(
          `Unknown quantization "${opts.quant}": give a llama.cpp file type (Q4_K_M, IQ4_XS, Q8_0, F16 ...) or a GPU format (awq, gptq, nf4, fp8, nvfp4, mxfp4, bf16 ...)`,
          'quant',
        );
      }
      const applied = applyGpuFormat(loadedTensors(baseTensors, shape), format.id);
      quant = { id: format.id, kind: 'gpu' };
      weights = summarizeGpuWeights(applied);
      if (runtime === 'llama.cpp' || runtime === 'ollama') notes.push(`llama.cpp does not load ${format.id} checkpoints; convert to GGUF first.`);
    }
  }

  const kvRuntime = runtime === 'ollama' ? 'llama.cpp' : runtime;
  const version = runtime === 'ollama' ? ollamaLlamaCppVersion(opts.version) : opts.version;
  // The cache and the runtime's buffers are sized from the same settings.
  const cacheSettings = { runtime: kvRuntime, ctx, seqs, typeK, typeV, flashAttn, ubatch, ...(version === undefined ? {} : { version }) };
  const kv = kvCache(shape, cacheSettings);
  const overhead = runtimeOverhead(shape, {
    ...cacheSettings,
    backend: opts.backend ?? 'cuda',
    gpus: opts.gpus ?? 1,
    ...(opts.totalGpuBytes === undefined ? {} : { totalGpuBytes: opts.totalGpuBytes }),
    ...(opts.gpuMemoryUtilization === undefined ? {} : { gpuMemoryUtilization: opts.gpuMemoryUtilization }),
  });
  if (ollama) notes.push(ollamaNote(ollama, opts.ctx === undefined ? { ctx, vram: ollamaVram } : null, version ?? ollama.llamaCppVersion));

  // The vision part, apart from the text weights: the mmproj file under llama.cpp, the checkpoint's tower elsewhere.
  const images = opts.images ?? 0;
  const vm = visionMemory(source.kind === 'config' ? source.config : null, shape, {
    runtime,
    images,
    ...(opts.imageSize ? { imageSize: opts.imageSize } : {}),
    ...(opts.mmprojType ? { mmprojType: opts.mmprojType } : {}),
    dtypeBytes: quant.id === 'fp32' ? 4 : 2,
  });
  const visionLoaded = vm !== null && (opts.vision ?? (runtime !== 'llama.cpp' || images > 0));
  if (vm && vm.imageTokens > 0) {
    notes.push(
      `${images} image${images === 1 ? '' : 's'} of ${vm.imageSize.width} x ${vm.imageSize.height} take ${vm.imageTokens.toLocaleString('en-US')} of the ${ctx.toLocaleString('en-US')} context positions per sequence` +
        (vm.imageTokens > ctx ? ': more than the context, so they do not fit.' : ', and their share of the KV cache.'),
    );
  }
  if (vm && !visionLoaded) notes.push(`The vision part (${(vm.params / 1e9).toFixed(2)}B parameters) is not loaded: llama.cpp loads it only with --mmproj.`);

  const computeBytes = overhead.computeBytes + overhead.hostComputeBytes + overhead.outputBytes;
  const overheadBytes = overhead.contextBytes + overhead.reserveBytes;
  const weightsBytes = weights.bytes;
  const kvCacheBytes = kv.bytes;
  const visionBytes = visionLoaded && vm ? vm.bytes : 0;
  const result: Estimate = {
    runtime,
    runtimeVersion: overhead.version,
    quant,
    params,
    weightsBytes,
    kvCacheBytes,
    computeBytes,
    overheadBytes,
    visionBytes,
    totalBytes: weightsBytes + kvCacheBytes + computeBytes + overheadBytes + visionBytes,
    weights,
    kv,
    overhead,
    notes: [...shape.assumptions, ...notes, ...kv.notes, ...overhead.notes],
    reading: shape.reading ?? { kind: 'exact' },
  };
  if (fileBytes !== undefined) result.ggufFileBytes = fileBytes;
  if (tensorTypes !== undefined) result.tensorTypes = tensorTypes;
  if (vm) result.vision = { ...vm, loaded: visionLoaded };
  return result;
}

/** What the figures assume of Ollama: the era, its defaults, and where the context came from. */
export function ollamaNote(p: OllamaProfile, defaulted: { ctx: number; vram: number } | null, llamaCppVersion = p.llamaCppVersion): string {
  const rule = p.numCtx;
  const numCtx =
    rule.kind === 'fixed'
      ? `${rule.tokens}`
      : `by total VRAM: ${rule.otherwise} below ${rule.tiers[rule.tiers.length - 1]!.minBytes / 2 ** 30} GiB, ${[...rule.tiers].reverse().map((t) => `${t.tokens} from ${t.minBytes / 2 ** 30} GiB`).join(', ')}`;
  const parallel = p.numParallel.kind === 'fixed' ? `${p.numParallel.value}` : `auto (${p.numParallel.tries.join(', then ')})`;
  const kv = `KV cache f16 (OLLAMA_KV_CACHE_TYPE ${p.kvCacheTypes.filter((t) => t !== 'f16').join(' or ') || 'not available'}${p.kvTypeNeedsFlashAttention && p.kvCacheTypes.length > 1 ? ', only with flash attention' : ''})`;
  const used = defaulted ? ` No context given: Ollama's default ${defaulted.ctx} is used (${defaulted.vram > 0 ? `${(defaulted.vram / 2 ** 30).toFixed(1)} GiB of GPU memory` : 'no GPU memory given'}).` : '';
  return `Figures for ${p.label}: num_ctx ${numCtx}; OLLAMA_NUM_PARALLEL ${parallel}; ${kv}; KV sized by llama.cpp ${llamaCppVersion}.${used}`;
}

/** The same summary as summarizeWeights, for tensors stored in a GPU format (counted by format, not ggml type). */
function summarizeGpuWeights(applied: GpuFormatResult): WeightSummary {
  const blocks: number[] = [];
  let nonBlock = 0;
  let elements = 0;
  const counts: Record<string, number> = {};
  for (const t of applied.tensors) {
    elements += elementCount(t.dims);
    counts[t.format] = (counts[t.format] ?? 0) + 1;
    if (t.layer === null) nonBlock += t.bytes;
    else {
      while (blocks.length <= t.layer) blocks.push(0);
      blocks[t.layer] = (blocks[t.layer] ?? 0) + t.bytes;
    }
  }
  return {
    bytes: applied.bytes,
    paddedBytes: applied.bytes,
    elements,
    byLayer: { blocks, nonBlock },
    typeCounts: counts,
    bitsPerWeight: applied.bitsPerWeight,
  };
}
