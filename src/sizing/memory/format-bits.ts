/**
 * Bits per weight of any storage format the glossary names, computed by the engine rather than typed in:
 *   ggml:<TYPE>   the block layout (Q4_K -> 4.5)
 *   ftype:<FTYPE> the file average of a llama.cpp file type on Llama-3.1-8B's real shape (assignFileType)
 *   gpu:<id>      a GPU format on Llama-3.1-8B's real shape (scales and kept-16-bit tensors included)
 *   kv:<type>     one KV-cache element (llama.cpp f16 16, q8_0 8.5, q4_0 4.5 ...; vLLM fp8 8)
 */
import { SizingError } from '../errors.ts';
import { parseFileType } from '../formats/file-types.ts';
import { bitsPerWeight, findGgmlType } from '../formats/ggml-types.ts';
import { assignFileType } from '../formats/gguf-mix.ts';
import { applyGpuFormat } from '../formats/gpu-formats.ts';
import { findGpuFormat } from '../formats/quant-names.ts';
import { LLAMA_CPP_CACHE_TYPES } from './kv-llamacpp.ts';
import { modelShapeFromConfig } from '../model/model-shape.ts';
import { tensorsOf } from '../model/tensors.ts';
import type { ModelShape, TensorInfo } from '../types.ts';
import { summarizeWeights } from './weights.ts';

export interface FormatBits {
  bits: number;
  basis: string;
  /**
   * GPU formats: bits per weight of the tensors the format encodes (scales and zeros included), i.e. the figure
   * people quote ("AWQ is about 4.16 bits"), while `bits` averages over the whole checkpoint, 16-bit parts included.
   */
  encodedBits?: number;
}

/**
 * meta-llama/Llama-3.1-8B config.json, the keys sizing reads (values: src/data/reference/models.json, whose
 * sources are verbatim copies of the HF config in mlc-ai/mlc-llm model_preset.py; rope_scaling from its notes).
 */
const LLAMA_31_8B_CONFIG = {
  architectures: ['LlamaForCausalLM'],
  model_type: 'llama',
  vocab_size: 128256,
  hidden_size: 4096,
  intermediate_size: 14336,
  num_hidden_layers: 32,
  num_attention_heads: 32,
  num_key_value_heads: 8,
  head_dim: 128,
  max_position_embeddings: 131072,
  rope_theta: 500000,
  rope_scaling: { rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8192 },
  tie_word_embeddings: false,
  torch_dtype: 'bfloat16',
} as const;

const REFERENCE_MODEL = 'Llama-3.1-8B';

let reference: { shape: ModelShape; tensors: TensorInfo[] } | undefined;
function referenceModel(): { shape: ModelShape; tensors: TensorInfo[] } {
  if (!reference) {
    const shape = modelShapeFromConfig({ ...LLAMA_31_8B_CONFIG });
    reference = { shape, tensors: tensorsOf(shape) };
  }
  return reference;
}

/** vLLM cache dtypes of one byte per element (vLLM docs features/quantization/quantized_kvcache). */
const VLLM_FP8_CACHE_TYPES = ['fp8', 'fp8_e4m3', 'fp8_e5m2'];

function kvBits(type: string): FormatBits | null {
  const t = type.toLowerCase();
  if ((LLAMA_CPP_CACHE_TYPES as readonly string[]).includes(t)) {
    return { bits: bitsPerWeight(t), basis: `llama.cpp --cache-type ${t}: ggml ${t.toUpperCase()} block layout, bits per cached element` };
  }
  if (VLLM_FP8_CACHE_TYPES.includes(t)) return { bits: 8, basis: `vLLM --kv-cache-dtype ${t}: one byte per element (scales per tensor or head are negligible)` };
  return null;
}

const cache = new Map<string, FormatBits | null>();

/** Bits per weight for a glossary key, or null when the key is unknown. */
export function formatBitsPerWeight(key: string): FormatBits | null {
  if (!cache.has(key)) cache.set(key, compute(key));
  return cache.get(key) ?? null;
}

function compute(key: string): FormatBits | null {
  const colon = key.indexOf(':');
  if (colon < 0) return null;
  const kind = key.slice(0, colon).toLowerCase();
  const name = key.slice(colon + 1);
  try {
    switch (kind) {
      case 'ggml': {
        const t = findGgmlType(name);
        if (!t) return null;
        return { bits: bitsPerWeight(t.name), basis: `${t.name} block: ${t.bytesPerBlock} bytes per ${t.blockSize} weights (${t.layout})` };
      }
      case 'ftype': {
        const ft = parseFileType(name);
        const { shape, tensors } = referenceModel();
        const s = summarizeWeights(assignFileType(tensors, shape, ft.id));
        const imatrix = ft.needsImatrix ? ', with an importance matrix (required)' : ', without an importance matrix';
        return {
          bits: s.bitsPerWeight,
          basis: `file average of ${ft.id} on ${REFERENCE_MODEL}'s real tensor shapes (every tensor typed by llama.cpp's quantization rules${imatrix}; norms F32): ${s.bytes} bytes over ${s.elements} weights`,
        };
      }
      case 'gpu': {
        const f = findGpuFormat(name);
        if (!f) return null;
        const r = applyGpuFormat(referenceModel().tensors, f.id);
        let encBytes = 0;
        let encElements = 0;
        for (const t of r.tensors) {
          if (t.format !== f.id) continue;
          encBytes += t.bytes;
          encElements += t.dims.reduce((a, b) => a * b, 1);
        }
        const result: FormatBits = { bits: r.bitsPerWeight, basis: `${f.name}, averaged over ${REFERENCE_MODEL}'s real tensors with scales included; ${f.keeps16Bit}` };
        if (encElements > 0 && encElements < r.tensors.reduce((a, t) => a + t.dims.reduce((x, y) => x * y, 1), 0)) result.encodedBits = (encBytes * 8) / encElements;
        return result;
      }
      case 'kv':
        return kvBits(name);
      default:
        return null;
    }
  } catch (e) {
    // Unknown names throw SizingError in the parsers; for the glossary an unknown key is simply absent.
    if (e instanceof SizingError) return null;
    throw e;
  }
}
