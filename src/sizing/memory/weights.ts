/**
 * Bytes of typed tensors: per tensor, per block (layer), per model, and as a GGUF file on disk.
 *
 * A GGUF file = header + key/value metadata + tensor infos, padded to the alignment, then each tensor's data
 * padded to GGUF_DEFAULT_ALIGNMENT = 32 bytes (ggml/src/gguf.cpp; llama-quant.cpp writes
 * GGML_PAD(new_size, align) - new_size zero bytes after every tensor).
 */
import { SizingError } from '../errors.ts';
import { elementCount, tensorDataBytes } from '../formats/ggml-types.ts';
import { ggmlNDims, typeCounts } from '../formats/gguf-mix.ts';
import type { GgmlTypeName, TensorInfo, TypedTensor } from '../types.ts';

export const GGUF_ALIGNMENT = 32;

export function padTo(bytes: number, alignment: number = GGUF_ALIGNMENT): number {
  return Math.ceil(bytes / alignment) * alignment;
}

/** Data bytes of one tensor (ggml_nbytes): rows x row size of its type. No padding. */
export function tensorBytes(t: TypedTensor): number {
  return tensorDataBytes(t.type, t.dims);
}

export interface WeightSummary {
  /** Sum of tensor data bytes, unpadded: what llama.cpp prints as "model size". */
  bytes: number;
  /** Same, each tensor padded to 32 bytes: the tensor-data section of the GGUF file. */
  paddedBytes: number;
  elements: number;
  byLayer: {
    /** Bytes of block i (tensors named blk.i.*), index = layer. */
    blocks: number[];
    /** Token embedding, output head, output norm and anything else outside the blocks. */
    nonBlock: number;
  };
  typeCounts: Record<GgmlTypeName, number>;
  /** File average over all elements, as llama.cpp prints it: bytes x 8 / elements. */
  bitsPerWeight: number;
}

export function summarizeWeights(typed: readonly TypedTensor[]): WeightSummary {
  let bytes = 0;
  let paddedBytes = 0;
  let elements = 0;
  let nonBlock = 0;
  const blocks: number[] = [];
  for (const t of typed) {
    const b = tensorBytes(t);
    bytes += b;
    paddedBytes += padTo(b);
    elements += elementCount(t.dims);
    if (t.layer === null) nonBlock += b;
    else {
      while (blocks.length <= t.layer) blocks.push(0);
      blocks[t.layer] = (blocks[t.layer] ?? 0) + b;
    }
  }
  return {
    bytes,
    paddedBytes,
    elements,
    byLayer: { blocks, nonBlock },
    typeCounts: typeCounts(typed),
    bitsPerWeight: elements === 0 ? 0 : (bytes * 8) / elements,
  };
}

/** Size of a GGUF file: metadata padded to the alignment, then every tensor's data padded to 32 bytes. */
export function ggufFileBytes(typed: readonly TypedTensor[], metadataBytes: number): number {
  if (!(metadataBytes >= 0)) throw new SizingError(`metadataBytes must be >= 0, got ${metadataBytes}`, 'metadataBytes');
  return padTo(metadataBytes) + typed.reduce((s, t) => s + padTo(tensorBytes(t)), 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Metadata estimate

/**
 * How a tokenizer is stored in GGUF (convert_hf_to_gguf.py / gguf-py): every kind stores tokenizer.ggml.tokens
 * (strings) and token_type (int32 each); SentencePiece ('spm': Llama 2, Mistral, Gemma) adds scores (float32
 * each); byte-level BPE ('bpe': Llama 3, Qwen, SmolLM2, gpt-oss, DeepSeek) adds merges (strings).
 */
export type TokenizerKind = 'bpe' | 'spm';

export interface MetadataEstimateOptions {
  tokenizer?: TokenizerKind;
  /**
   * Mean UTF-8 length of a token string. Default 7: byte-level BPE writes a space as "Ġ" (2 bytes) and
   * SentencePiece as "▁" (3 bytes); typical 32k-256k vocabularies average 6-8 bytes. An assumption.
   */
  avgTokenBytes?: number;
  /**
   * BPE merges. Default = vocabSize, typical of tokenizers trained with HF tokenizers (Qwen2.5: 151,387 merges for
   * 151,936 tokens; SmolLM2: ~48.9k for 49,152). tiktoken-derived vocabularies have about 2.2x as many
   * (Llama 3: 280,147 for 128,256): pass it when known.
   */
  merges?: number;
  /** Mean UTF-8 length of one merge string "a b". Default avgTokenBytes + 1. */
  avgMergeBytes?: number;
  /** The tensor list: its tensor-info section is computed exactly. Otherwise nTensors x 48 bytes. */
  tensors?: readonly TensorInfo[];
  nTensors?: number;
  /** Everything else: hyper-parameters, names, the chat template (Llama 3.1's is ~4 KB). Default 8 KiB. */
  otherKvBytes?: number;
}

/** Bytes of one tensor-info entry: name (u64 length + bytes), n_dims u32, dims u64 each, type u32, offset u64. */
export function tensorInfoBytes(t: TensorInfo): number {
  return 8 + utf8Length(t.name) + 4 + 8 * ggmlNDims(t.dims) + 4 + 8;
}

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

/**
 * Estimate of a GGUF's header + metadata + tensor infos (before the tensor data). The tokenizer dominates
 * (3-9 MB for 32k-256k vocabularies); hyper-parameters and tensor infos are tens of KB.
 *
 * Layout from gguf-py (GGUFWriter): header 24 B (magic, version, tensor count, kv count); each key/value:
 * key string (8 + len), value type u32, value; an array adds element type u32 + count u64; a string is
 * u64 length + bytes. Checked on llamacpp-measured.json, whose stand-in vocabularies (tokens of a 4-character
 * prefix + decimal index, with scores) it reproduces within 0.1%, and on bartowski's Llama-3.1-8B files, whose
 * printed sizes put a Llama 3 tokenizer's metadata at 6.8-9.9 MB (estimate: 6.9 MB); see test/unit/weights.test.ts.
 * For real tokenizers the token and merge lengths are assumptions (options above): expect +-20% on the
 * metadata, which is 0.1-0.2% of a quantized 8B file.
 */
export function estimateGgufMetadataBytes(vocabSize: number, opts: MetadataEstimateOptions = {}): number {
  if (!Number.isInteger(vocabSize) || vocabSize <= 0) throw new SizingError(`vocabSize must be a positive integer, got ${vocabSize}`, 'vocabSize');
  const kind = opts.tokenizer ?? 'bpe';
  const avgToken = opts.avgTokenBytes ?? 7;
  const header = 24;
  const tensorInfos = opts.tensors ? opts.tensors.reduce((s, t) => s + tensorInfoBytes(t), 0) : (opts.nTensors ?? 0) * 48;
  const kv = (key: string) => 8 + key.length + 4; // key string + value type
  const arr = (key: string) => kv(key) + 4 + 8; // + element type + count
  let tokenizer = arr('tokenizer.ggml.tokens') + vocabSize * (8 + avgToken) + arr('tokenizer.ggml.token_type') + vocabSize * 4;
  if (kind === 'spm') tokenizer += arr('tokenizer.ggml.scores') + vocabSize * 4;
  else {
    const merges = opts.merges ?? vocabSize;
    tokenizer += arr('tokenizer.ggml.merges') + merges * (8 + (opts.avgMergeBytes ?? avgToken + 1));
  }
  return Math.round(header + (opts.otherKvBytes ?? 8192) + tensorInfos + tokenizer);
}
