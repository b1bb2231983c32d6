/** The public API of the sizing engine. Pages, islands and the CLI import from here only. */
export * from './units.ts';
export * from './napkin.ts';
export * from './input.ts';
export { SizingError } from './errors.ts';
export type * from './types.ts';

// Model description: config.json -> shape -> tensors -> parameter counts
export { modelShapeFromConfig, SUPPORTED_ARCHITECTURES } from './model-shape.ts';
export { tensorsOf } from './tensors.ts';
export { paramCounts, type ParamCounts } from './params.ts';

// Storage: ggml types, llama.cpp file types and their per-tensor mixes, GPU formats, glossary bits
export { allGgmlTypes, findGgmlType, ggmlType, bitsPerWeight, rowBytes, tensorDataBytes } from './ggml-types.ts';
export { allFileTypes, llamaCppFileTypes, parseFileType, canonicalFileTypeId, type FileType } from './file-types.ts';
export { assignFileType, typeCounts } from './gguf-mix.ts';
export { summarizeWeights, ggufFileBytes, estimateGgufMetadataBytes, type WeightSummary } from './weights.ts';
export { gpuFormats, applyGpuFormat, type GpuFormat } from './gpu-formats.ts';
export { findGpuFormat } from './quant-names.ts';
export { formatBitsPerWeight, type FormatBits } from './formats.ts';

// Dynamic memory and runtimes
export { kvCache, kvCacheTextbook, vllmCapacity, type KvOptions, type KvResult, type KvGroup } from './kv-cache.ts';
export { runtimeOverhead, OLLAMA_DEFAULTS, CUDA_CONTEXT_BYTES, llamaCppProfile, vllmProfile, transformersProfile, type RuntimeOverhead } from './runtime.ts';

// The whole picture
export { estimate, RUNTIMES, MAX_CTX, type Estimate, type EstimateOptions, type ModelSource, type RuntimeChoice } from './estimate.ts';

// Planning: fit, inverse solvers, speed, training, launch commands, names
export * from './fit.ts';
export * from './solvers.ts';
export { decodeSpeed, prefillSpeed, efficiencyFor } from './speed.ts';
export * from './training.ts';
export * from './launch.ts';
export { parseModelName, matchCatalogModel } from './names.ts';
export type { ParsedName, CatalogMatch } from './names.ts';
