/**
 * llama.cpp file types ("ftypes": Q4_K_M, IQ4_XS ...) and third-party recipes built on them.
 *
 * An ftype is a recipe, not a tensor encoding: it names a default ggml type and a set of rules (gguf-mix.ts) that
 * move some tensors to other types. The list is llama-quantize's own (QUANT_OPTIONS in tools/quantize/quantize.cpp),
 * checked name for name at ggml-org/llama.cpp 3f545bec (2026-08-22; read from the ngxson/llama.cpp mirror of master);
 * default types: llama_ftype_get_default_type() in src/llama-quant.cpp; general.file_type numbers: enum llama_ftype
 * in include/llama.h, same commit.
 *
 * Not listed: "COPY" (copies every tensor unchanged, general.file_type ALL_F32) and LLAMA_FTYPE_MOSTLY_NVFP4 = 39,
 * which llama.h defines but llama-quantize does not offer (no QUANT_OPTIONS entry, no default type: it refuses it as
 * "invalid output file type"); NVFP4 tensors only come from converted NVFP4 checkpoints.
 */
import { SizingError } from '../errors.ts';
import type { GgmlTypeName } from '../types.ts';

export interface FileType {
  /** Canonical name, upper case: "Q4_K_M". */
  id: string;
  /** general.file_type written in the GGUF (LLAMA_FTYPE_MOSTLY_*); null for third-party recipes. */
  llamaFtype: number | null;
  /** The ggml type most tensors get (llama_ftype_get_default_type). */
  defaultType: GgmlTypeName;
  /**
   * llama-quantize refuses to make this file type without an importance matrix, because its mix contains types
   * that tensor_requires_imatrix() lists (IQ1_*, IQ2_*, IQ3_XXS; Q2_K in a Q2_K_S file). gguf-mix.ts checks the
   * same rule per tensor; this flag is its summary for a model whose rows divide by 256.
   */
  needsImatrix: boolean;
  description: string;
  /** 'llama.cpp' for llama-quantize's own ftypes; otherwise who publishes the recipe. */
  origin: 'llama.cpp' | 'bartowski';
  /** Third-party recipes: the llama.cpp ftype they start from and the types forced on token_embd / output. */
  recipe?: { base: string; tokenEmbeddingType: GgmlTypeName; outputTensorType: GgmlTypeName; approximation: string };
}

const LLAMA_CPP_FILE_TYPES: readonly FileType[] = [
  ft('F32', 0, 'F32', 'Every matrix in 32-bit float; 1-D tensors F32 as always.'),
  ft('F16', 1, 'F16', 'Every matrix in IEEE half precision; norms and biases stay F32.'),
  ft('BF16', 32, 'BF16', 'Every matrix in bfloat16, the dtype most checkpoints ship in; norms and biases stay F32.'),
  ft('Q8_0', 7, 'Q8_0', '8-bit blocks of 32 with one FP16 scale (8.5 bpw) for every matrix; near-lossless.'),
  ft('Q6_K', 18, 'Q6_K', '6-bit k-quant (6.5625 bpw) everywhere; output head Q6_K as well.'),
  ft('Q5_K_M', 17, 'Q5_K', 'Q5_K, with Q6_K for half of attn_v and ffn_down (use_more_bits layers) and the output head.'),
  ft('Q5_K_S', 16, 'Q5_K', 'Q5_K for every matrix, output head Q6_K.'),
  ft('Q5_1', 9, 'Q5_1', 'Legacy 5-bit blocks of 32 with scale and minimum (6.0 bpw); output head Q6_K.'),
  ft('Q5_0', 8, 'Q5_0', 'Legacy 5-bit blocks of 32 with one scale (5.5 bpw); output head Q6_K.'),
  ft('Q4_K_M', 15, 'Q4_K', 'The common default: Q4_K, with Q6_K for half of attn_v and ffn_down and the output head.'),
  ft('Q4_K_S', 14, 'Q4_K', 'Q4_K, with Q5_K for the first attn_v tensors and the first eighth of ffn_down.'),
  ft('Q4_1', 3, 'Q4_1', 'Legacy 4-bit blocks of 32 with scale and minimum (5.0 bpw); output head Q6_K.'),
  ft('Q4_0', 2, 'Q4_0', 'Legacy 4-bit blocks of 32 with one scale (4.5 bpw); output head Q6_K.'),
  ft('Q3_K_L', 13, 'Q3_K', 'Q3_K, with Q5_K for attn_v, attn_output and ffn_down.'),
  ft('Q3_K_M', 12, 'Q3_K', 'Q3_K, with Q4_K/Q5_K for attn_v, attn_output and ffn_down.'),
  ft('Q3_K_S', 11, 'Q3_K', 'Q3_K for every matrix, output head Q6_K.'),
  ft('Q2_K', 10, 'Q2_K', 'Q2_K, with Q3_K/Q4_K for attn_v, attn_output and ffn_down.'),
  ft('Q2_K_S', 21, 'Q2_K', 'Q2_K almost everywhere (Q4_K for the first eighth of ffn_down); needs an imatrix.', true),
  ft('IQ4_XS', 30, 'IQ4_XS', 'Non-linear 4-bit super-blocks (4.25 bpw); attn_v Q5_K on GQA models.'),
  ft('IQ4_NL', 25, 'IQ4_NL', 'Non-linear 4-bit blocks of 32 (4.5 bpw); attn_v Q5_K on GQA models.'),
  ft('IQ3_M', 27, 'IQ3_S', 'IQ3_S, with Q4_K for attn_v, attn_output and the first eighth of ffn_down.'),
  ft('IQ3_S', 26, 'IQ3_S', 'IQ3_S (3.4375 bpw) with Q4_K attn_v on GQA models.'),
  ft('IQ3_XS', 22, 'IQ3_S', 'IQ3_S, with IQ3_XXS for attn_q/attn_k and the middle ffn_gate/ffn_up; needs an imatrix.', true),
  ft('IQ3_XXS', 23, 'IQ3_XXS', 'IQ3_XXS (3.0625 bpw), IQ2_S for attn_q/attn_k; needs an imatrix.', true),
  ft('IQ2_M', 29, 'IQ2_S', 'IQ2_S (2.5625 bpw) with IQ3_S/Q4_K for the sensitive tensors; needs an imatrix.', true),
  ft('IQ2_S', 28, 'IQ2_XS', 'IQ2_XS (2.3125 bpw) with IQ3_S/Q4_K for the sensitive tensors; needs an imatrix.', true),
  ft('IQ2_XS', 20, 'IQ2_XS', 'IQ2_XS (2.3125 bpw) with Q2_K/Q4_K for the sensitive tensors; needs an imatrix.', true),
  ft('IQ2_XXS', 19, 'IQ2_XXS', 'IQ2_XXS (2.0625 bpw) with Q2_K/Q4_K for the sensitive tensors; needs an imatrix.', true),
  ft('IQ1_M', 31, 'IQ1_M', 'IQ1_M (1.75 bpw): last-resort 1-bit codebook quant; needs an imatrix.', true),
  ft('IQ1_S', 24, 'IQ1_S', 'IQ1_S (1.5625 bpw): last-resort 1-bit codebook quant; needs an imatrix.', true),
  ft('TQ1_0', 36, 'TQ1_0', 'Ternary 1.6875 bpw, only for models trained ternary (BitNet-style); token_embd Q4_K.'),
  ft('TQ2_0', 37, 'TQ2_0', 'Ternary 2.0625 bpw, only for models trained ternary (BitNet-style); token_embd Q4_K.'),
  // Q2_0 (PR #24448, 2026-07-07): blocks of 64 two-bit codes, weight = (q - 1) x scale, i.e. {-1, 0, +1, +2} x d.
  ft('Q2_0', 41, 'Q2_0', '2-bit blocks of 64 with one FP16 scale (2.25 bpw), values -1, 0, +1, +2 times the scale; token_embd Q4_K, output Q6_K.'),
  // Q1_0 (PR #21273, 2026-04-06): blocks of 128 sign bits, weight = +d or -d.
  ft('Q1_0', 40, 'Q1_0', '1-bit blocks of 128 with one FP16 scale (1.125 bpw): each weight is +scale or -scale; output Q6_K. For models trained for it.'),
  ft('MXFP4_MOE', 38, 'MXFP4', 'MoE expert tensors in MXFP4 (4.25 bpw), everything else Q8_0: the gpt-oss format.'),
];

/**
 * bartowski's "_L" / "_XL" files: a standard ftype run with --token-embedding-type q8_0 --output-tensor-type q8_0
 * (his READMEs: "Uses Q8_0 for embed and output weights"). The base ftype per name is read from his tables; the
 * exact command line is not published, so these are labelled approximations.
 */
const BARTOWSKI_RECIPES: readonly { id: string; base: string }[] = [
  { id: 'Q6_K_L', base: 'Q6_K' },
  { id: 'Q5_K_L', base: 'Q5_K_M' },
  { id: 'Q4_K_L', base: 'Q4_K_M' },
  { id: 'Q3_K_XL', base: 'Q3_K_L' },
  { id: 'Q2_K_L', base: 'Q2_K' },
];

const ALIASES: Readonly<Record<string, string>> = {
  Q4_K: 'Q4_K_M',
  Q3_K: 'Q3_K_M',
  Q5_K: 'Q5_K_M',
  ALL_F32: 'F32',
};

function ft(
  id: string,
  llamaFtype: number,
  defaultType: GgmlTypeName,
  description: string,
  needsImatrix = false,
): FileType {
  return { id, llamaFtype, defaultType, needsImatrix, description, origin: 'llama.cpp' };
}

const BY_ID: ReadonlyMap<string, FileType> = new Map(
  [...LLAMA_CPP_FILE_TYPES, ...BARTOWSKI_RECIPES.map(bartowskiRecipe)].map((f) => [f.id, f]),
);

function bartowskiRecipe(r: { id: string; base: string }): FileType {
  const base = LLAMA_CPP_FILE_TYPES.find((f) => f.id === r.base);
  if (!base) throw new Error(`recipe ${r.id}: unknown base ${r.base}`);
  return {
    id: r.id,
    llamaFtype: null,
    defaultType: base.defaultType,
    needsImatrix: base.needsImatrix,
    description: `bartowski's ${r.id}: ${r.base} with token_embd and output forced to Q8_0.`,
    origin: 'bartowski',
    recipe: {
      base: r.base,
      tokenEmbeddingType: 'Q8_0',
      outputTensorType: 'Q8_0',
      approximation: `Approximation: ${r.base} mix plus Q8_0 embeddings/output, as his README describes; his exact command is not published.`,
    },
  };
}

/** llama-quantize's own file types, most bits first. */
export function llamaCppFileTypes(): FileType[] {
  return [...LLAMA_CPP_FILE_TYPES];
}

/** Every recognised file type, llama.cpp's and third-party recipes. */
export function allFileTypes(): FileType[] {
  return [...BY_ID.values()];
}

/** Canonical id of a file-type name in any casing ("q4_k_m", "Q4_K", "LLAMA_FTYPE_MOSTLY_Q4_K_M"), or undefined. */
export function canonicalFileTypeId(s: string): string | undefined {
  const up = s
    .trim()
    .toUpperCase()
    .replace(/-/g, '_')
    .replace(/^LLAMA_FTYPE_/, '')
    .replace(/^MOSTLY_/, '');
  const id = ALIASES[up] ?? up;
  return BY_ID.has(id) ? id : undefined;
}

/** Parse a file-type name in any casing; throws SizingError for an unknown name. */
export function parseFileType(s: string): FileType {
  const id = canonicalFileTypeId(s);
  const f = id === undefined ? undefined : BY_ID.get(id);
  if (!f) {
    throw new SizingError(
      `Unknown GGUF file type "${s}". Known: ${[...BY_ID.keys()].join(', ')}`,
      'fileType',
    );
  }
  return f;
}

/** The file type stored in a GGUF's general.file_type, or undefined. */
export function fileTypeFromLlamaFtype(n: number): FileType | undefined {
  return LLAMA_CPP_FILE_TYPES.find((f) => f.llamaFtype === n);
}
