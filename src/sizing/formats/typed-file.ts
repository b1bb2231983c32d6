/**
 * The tensors of a model typed for a llama.cpp file type (llama-quantize's rules over every tensor), remembered.
 * Typing is most of an estimate's time and does not depend on context, sequences or runtime, while the solvers
 * (largest context, fewest GPUs) size one model in one file type dozens of times. A config is remembered by the
 * content of the shape read from it (its JSON: a config edited in place is never served an old answer, and the key is
 * bounded by the reader's ceilings whatever else the config holds); a shape or tensor list, which only the engine
 * makes, by identity. Callers must not change the returned tensors.
 */
import { assignFileType, type AssignOptions } from './gguf-mix.ts';
import type { HfConfig, ModelShape, TensorInfo, TypedTensor } from '../types.ts';

export type TypedFileOwner = { kind: 'config'; config: HfConfig } | { kind: 'shape'; shape: ModelShape; tensors?: TensorInfo[] };

const byConfig = new Map<string, readonly TypedTensor[]>();
const byIdentity = new WeakMap<object, Map<string, readonly TypedTensor[]>>();
const MAX_REMEMBERED_CONFIGS = 64;

export function typedFile(owner: TypedFileOwner, shape: ModelShape, tensors: TensorInfo[], fileType: string, opts: AssignOptions = {}): readonly TypedTensor[] {
  // Every option that changes a type is in the key (an absent imatrix is its own case: llama-quantize's default).
  const key = [fileType, opts.imatrix, opts.version, opts.sourceType, opts.tokenEmbeddingType, opts.outputTensorType].map(String).join('|');
  const configKey = owner.kind === 'config' ? `${key}|${JSON.stringify(shape)}` : null;
  const identity = owner.kind === 'shape' ? (owner.tensors ?? owner.shape) : null;
  const cached = configKey !== null ? byConfig.get(configKey) : identity ? byIdentity.get(identity)?.get(key) : undefined;
  if (cached) return cached;
  const typed = assignFileType(tensors, shape, fileType, opts);
  if (configKey !== null) {
    if (byConfig.size >= MAX_REMEMBERED_CONFIGS) byConfig.delete(byConfig.keys().next().value!);
    byConfig.set(configKey, typed);
  } else if (identity) {
    const perOwner = byIdentity.get(identity) ?? new Map<string, readonly TypedTensor[]>();
    perOwner.set(key, typed);
    byIdentity.set(identity, perOwner);
  }
  return typed;
}
