/** The public API of the sizing engine. Pages, islands and the CLI import from here only. */
export * from './units.ts';
export * from './memory/napkin.ts';
export * from './input.ts';
export { SizingError } from './errors.ts';
export type * from './types.ts';

// Model description: config.json -> shape -> tensors -> parameter counts
export { modelShapeFromConfig, SUPPORTED_ARCHITECTURES } from './model/model-shape.ts';
export { tensorsOf } from './model/tensors.ts';
export { paramCounts, type ParamCounts } from './model/params.ts';

// Storage: ggml types, llama.cpp file types and their per-tensor mixes, GPU formats, glossary bits
export { allGgmlTypes, findGgmlType, ggmlType, bitsPerWeight, rowBytes, tensorDataBytes } from './formats/ggml-types.ts';
export { allFileTypes, llamaCppFileTypes, parseFileType, canonicalFileTypeId, type FileType } from './formats/file-types.ts';
export { assignFileType, typeCounts } from './formats/gguf-mix.ts';
export { summarizeWeights, ggufFileBytes, estimateGgufMetadataBytes, type WeightSummary } from './memory/weights.ts';
export { gpuFormats, applyGpuFormat, type GpuFormat } from './formats/gpu-formats.ts';
export { findGpuFormat } from './formats/quant-names.ts';
export { formatBitsPerWeight, type FormatBits } from './memory/format-bits.ts';

// Dynamic memory and runtimes
export { kvCache, kvCacheTextbook, vllmCapacity, type KvOptions, type KvResult, type KvGroup } from './memory/kv-cache.ts';
export { runtimeOverhead, OLLAMA_PROFILES, ollamaProfile, ollamaDefaultNumCtx, CUDA_CONTEXT_BYTES, llamaCppProfile, vllmProfile, transformersProfile, type RuntimeOverhead, type OllamaProfile } from './memory/runtime.ts';

// The whole picture
export { estimate, RUNTIMES, MAX_CTX, type Estimate, type EstimateOptions, type ModelSource, type RuntimeChoice } from './memory/estimate.ts';

// Planning: fit, inverse solvers, speed, training, launch commands, names
export * from './plan/fit.ts';
export * from './plan/solvers.ts';
export { decodeSpeed, prefillSpeed, efficiencyFor } from './plan/speed.ts';
export * from './plan/training.ts';
export * from './plan/launch.ts';
export { parseModelName, matchCatalogModel } from './names/parse.ts';
export type { ParsedName, CatalogMatch } from './names/parse.ts';
