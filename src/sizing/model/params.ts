/**
 * Parameter counts from the tensor list, as llama.cpp prints "model params" (llama_model::n_elements():
 * the sum of ggml_nelements over every tensor in the file, so rope_freqs and norms count, and a tied
 * embedding counts once because there is no output.weight).
 *
 * One exception: tensors of NextN / MTP blocks past the model's layers (GLM-4.5: blk.46 on Air) are in the file
 * and in llama.cpp's printed figure (GLM-4.5-Air: 110.469 B), but llama.cpp skips them at load and never runs
 * them, and published totals leave them out. They are counted apart, in `nextn`: total + nextn is the printed figure.
 *
 * active: what one token touches: everything except routed experts, plus nExpertUsed / nExpert of each
 * stacked routed-expert tensor (its experts are equal slices along dims[2]).
 */
import { isSkippedBlockTensor } from './tensors.ts';
import type { ModelShape, TensorInfo } from '../types.ts';

export interface ParamCounts {
  /** Every tensor but those of skipped NextN blocks: the model that runs. */
  total: number;
  active: number;
  /** token_embd (and output when untied: the vocabulary projections). */
  embedding: number;
  nonEmbedding: number;
  /**
   * active minus an untied input embedding: the convention of OpenAI (gpt-oss "3.6B active") and DeepSeek
   * ("37B activated"), since an embedding lookup reads one row, not the matrix. Mistral and Qwen quote `active`.
   * A tied matrix is also the output head, so it stays.
   */
  activeWithoutInputEmbedding: number;
  /** Tensors of NextN / MTP blocks the GGUF carries but no runtime loads by default (0 for most models). */
  nextn: number;
}

export function elementsOf(t: TensorInfo): number {
  return t.dims.reduce((a, b) => a * b, 1);
}

/** Routed experts used per token, for the layer a tensor belongs to. */
function usedFraction(t: TensorInfo, shape: ModelShape): number {
  if (t.layer === null) return 1;
  const ffn = shape.layers[t.layer]?.ffn;
  if (!ffn || ffn.kind !== 'moe') return 1;
  return ffn.nExpertUsed / ffn.nExpert;
}

/** Routed-expert tensors: the stacked weights and their per-expert biases (gpt-oss). */
function isRoutedExpert(t: TensorInfo): boolean {
  return t.role === 'ffn_exps' || /_exps\.bias$/.test(t.name);
}

export function paramCounts(tensors: TensorInfo[], shape: ModelShape): ParamCounts {
  let total = 0;
  let active = 0;
  let embedding = 0;
  let untiedInputEmbedding = 0;
  let nextn = 0;
  for (const t of tensors) {
    const n = elementsOf(t);
    if (isSkippedBlockTensor(t, shape)) {
      nextn += n;
      continue;
    }
    total += n;
    active += isRoutedExpert(t) ? (n * usedFraction(t, shape)) : n;
    if (t.role === 'token_embd' || t.role === 'output') embedding += n;
    if (t.role === 'token_embd' && !shape.tiedEmbeddings) untiedInputEmbedding += n;
  }
  const activeRounded = Math.round(active);
  return {
    total,
    active: activeRounded,
    embedding,
    nonEmbedding: total - embedding,
    activeWithoutInputEmbedding: activeRounded - untiedInputEmbedding,
    nextn,
  };
}
