/**
 * Recognise the quantization parts of a name: GGUF file types (Q4_K_M, UD-Q4_K_XL, i1-IQ3_M), floats (f16, bf16),
 * GPU formats (AWQ, GPTQ-Int4, FP8-dynamic, NVFP4, bnb-4bit, EXL2) and markers (qat, GGUF, imatrix).
 */
import { allFileTypes, canonicalFileTypeId } from '../formats/file-types.ts';
import { isGgufTypeName, type Token } from './tokenize.ts';
import type { ParsedQuantization, QuantRecipe } from './types.ts';

export interface QuantContext {
  /** Inside a .gguf file name, "MXFP4" is llama.cpp's MXFP4_MOE file type rather than a GPU checkpoint format. */
  inGgufFile: boolean;
  publisher?: string;
}

/** What a run of tokens starting at one position says about quantization. */
export interface QuantMatch {
  /** How many tokens the match covers. */
  length: number;
  quantization?: ParsedQuantization;
  imatrix?: boolean;
  qat?: boolean;
  /** "GGUF" in a repository name: a repository of GGUF files. */
  ggufRepo?: boolean;
  /** "4.0bpw": EXL2/EXL3 target bits per weight. */
  bitsPerWeight?: number;
  notes: string[];
}

const RECIPES: readonly QuantRecipe[] = ['S', 'M', 'L', 'XL', 'XS', 'XXS', 'NL'];
const UNSLOTH_DYNAMIC = 'Unsloth Dynamic (UD)';
const BPW_PATTERN = /^(\d+(?:\.\d+)?)bpw$/i;

type Matcher = (words: readonly string[], tokens: readonly Token[], ctx: QuantContext) => QuantMatch | null;

/** The quantization read from tokens[i...], or null when tokens[i] is not a quantization part. */
export function matchQuantization(tokens: readonly Token[], i: number, ctx: QuantContext): QuantMatch | null {
  const rest = tokens.slice(i);
  const words = rest.map((t) => t.text.toLowerCase());
  for (const matcher of MATCHERS) {
    const m = matcher(words, rest, ctx);
    if (m) return m;
  }
  return null;
}

const MATCHERS: readonly Matcher[] = [
  function unslothDynamicGguf(words, tokens) {
    const next = tokens[1];
    if (words[0] !== 'ud' || !next || !isGgufTypeName(next.text)) return null;
    const q = ggufFileType(next.text, UNSLOTH_DYNAMIC);
    return {
      length: 2,
      quantization: { ...q.quantization, text: `${tokens[0]?.text}-${next.text}` },
      notes: [
        ...q.notes,
        "UD- (Unsloth Dynamic): Unsloth's patched llama-quantize picks a type per layer and tensor, so the file is not llama.cpp's standard mix; use the published file size.",
      ],
    };
  },
  function imatrixMarker(words) {
    if (words[0] !== 'i1' && words[0] !== 'imatrix' && words[0] !== 'imat') return null;
    return { length: 1, imatrix: true, notes: [] };
  },
  function ggufTypeName(_words, tokens, ctx) {
    const t = tokens[0];
    if (!t || !isGgufTypeName(t.text)) return null;
    if (/^MXFP4_MOE$/i.test(t.text)) return mxfp4(t.text, ctx);
    const q = ggufFileType(t.text);
    return { length: 1, quantization: q.quantization, notes: q.notes };
  },
  function floatType(words, tokens) {
    const id = FLOATS[words[0] ?? ''];
    if (!id) return null;
    const bits = id === 'F32' ? 32 : 16;
    return { length: 1, quantization: { kind: 'float', id, bits, text: tokens[0]?.text ?? '' }, notes: [] };
  },
  function qatMarker(words) {
    return words[0] === 'qat' ? { length: 1, qat: true, notes: [] } : null;
  },
  function ggufRepoMarker(words) {
    if (words[0] !== 'gguf') return null;
    return {
      length: 1,
      ggufRepo: true,
      notes: ['A repository of GGUF files: each file is one quantization; pick a file to size.'],
    };
  },
  function bitsAndBytes(words, tokens) {
    const unsloth = words[0] === 'unsloth' && words[1] === 'bnb';
    const at = unsloth ? 1 : 0;
    if (words[at] !== 'bnb') return null;
    const width = words[at + 1];
    if (width !== '4bit' && width !== '8bit') return null;
    const four = width === '4bit';
    const q: ParsedQuantization = {
      kind: 'gpu-format',
      id: four ? 'bnb-nf4' : 'bnb-int8',
      bits: four ? 4 : 8,
      text: joinText(tokens, at + 2),
    };
    const notes = four
      ? ['bnb-4bit checkpoints store bitsandbytes 4-bit blocks of 64 (NF4 in these repos; check bnb_4bit_quant_type in config.json): about 4.5 bits per weight, 4.13 with double quantization.']
      : ['bnb-8bit: bitsandbytes LLM.int8() weights.'];
    if (unsloth) {
      q.thirdPartyRecipe = 'Unsloth Dynamic 4-bit (some layers left unquantized)';
      notes.push("Unsloth's dynamic 4-bit leaves selected layers in 16-bit: slightly larger than plain bnb 4-bit.");
    }
    return { length: at + 2, quantization: q, notes };
  },
  function awq(words, tokens) {
    if (words[0] !== 'awq') return null;
    return {
      length: 1,
      quantization: { kind: 'gpu-format', id: 'awq', bits: 4, text: tokens[0]?.text ?? '' },
      notes: ['AWQ: 4-bit integer weights with a 16-bit scale and zero point per group (group 128: about 4.16 bits per weight).'],
    };
  },
  function gptq(words, tokens) {
    if (words[0] !== 'gptq') return null;
    const bits = integerBits(words[1]);
    if (bits !== undefined) {
      return {
        length: 2,
        quantization: { kind: 'gpu-format', id: `gptq-int${bits}`, bits, text: joinText(tokens, 2) },
        notes: [],
      };
    }
    return {
      length: 1,
      quantization: { kind: 'gpu-format', id: 'gptq', text: tokens[0]?.text ?? '' },
      notes: ['GPTQ without a bit width in the name: read bits and group_size from quantize_config.json (or the branch name).'],
    };
  },
  function fp8(words, tokens) {
    if (words[0] !== 'fp8') return null;
    if (words[1] === 'dynamic') {
      return {
        length: 2,
        quantization: { kind: 'gpu-format', id: 'fp8-dynamic', bits: 8, text: joinText(tokens, 2) },
        notes: ['FP8-dynamic: FP8 (E4M3) weights, activation scales computed at run time; W8A8 needs compute capability 8.9+ (Ada, Hopper, Blackwell), older GPUs run it as weight-only FP8.'],
      };
    }
    return {
      length: 1,
      quantization: { kind: 'gpu-format', id: 'fp8', bits: 8, text: tokens[0]?.text ?? '' },
      notes: ['FP8 (E4M3) weights: 8 bits per weight plus negligible scales.'],
    };
  },
  function nvfp4(words, tokens, ctx) {
    const nvidia = /^nvidia$/i.test(ctx.publisher ?? '');
    if (words[0] !== 'nvfp4' && !(words[0] === 'fp4' && nvidia)) return null;
    const notes = ['NVFP4: 4-bit floats with an FP8 scale per 16 values (about 4.5 bits per weight); native only on Blackwell GPUs.'];
    if (words[0] === 'fp4') notes.push("NVIDIA's '-FP4' checkpoints are NVFP4.");
    return { length: 1, quantization: { kind: 'gpu-format', id: 'nvfp4', bits: 4, text: tokens[0]?.text ?? '' }, notes };
  },
  function mxfp4Format(words, tokens, ctx) {
    return words[0] === 'mxfp4' ? mxfp4(tokens[0]?.text ?? '', ctx) : null;
  },
  function exllama(words, tokens) {
    if (words[0] !== 'exl2' && words[0] !== 'exl3') return null;
    const bpw = BPW_PATTERN.exec(words[1] ?? '');
    const q: ParsedQuantization = { kind: 'gpu-format', id: words[0], text: joinText(tokens, bpw ? 2 : 1) };
    if (bpw?.[1]) q.bits = Number(bpw[1]);
    return {
      length: bpw ? 2 : 1,
      quantization: q,
      notes: [`${words[0].toUpperCase()}: mixed bit widths chosen to hit a target average; the branch name gives the bits per weight (e.g. 4.0bpw).`],
    };
  },
  function bitsPerWeight(words) {
    const m = BPW_PATTERN.exec(words[0] ?? '');
    return m?.[1] ? { length: 1, bitsPerWeight: Number(m[1]), notes: [] } : null;
  },
  function llmCompressorScheme(words, tokens) {
    const scheme = LLM_COMPRESSOR[words[0] ?? ''];
    if (!scheme) return null;
    return {
      length: 1,
      quantization: { kind: 'gpu-format', id: scheme.id, bits: scheme.bits, text: tokens[0]?.text ?? '' },
      notes: [scheme.note],
    };
  },
  function mlxBits(words, tokens, ctx) {
    // mlx-community repositories end in "-4bit" / "-8bit" without naming the format.
    const bits = /^(\d)bit$/.exec(words[0] ?? '')?.[1];
    if (!bits || !/mlx/i.test(ctx.publisher ?? '')) return null;
    return {
      length: 1,
      quantization: { kind: 'gpu-format', id: `mlx-${bits}bit`, bits: Number(bits), text: tokens[0]?.text ?? '' },
      notes: [`MLX ${bits}-bit: Apple MLX affine quantization (groups of 64 with a 16-bit scale and bias by default).`],
    };
  },
  function quantizedPrefix(words) {
    // RedHatAI / neuralmagic write "-quantized.w4a16": the word itself carries no format.
    return words[0] === 'quantized' ? { length: 1, notes: [] } : null;
  },
];

const FLOATS: Readonly<Record<string, string>> = {
  f16: 'F16',
  fp16: 'F16',
  float16: 'F16',
  bf16: 'BF16',
  bfloat16: 'BF16',
  f32: 'F32',
  fp32: 'F32',
  float32: 'F32',
};

const LLM_COMPRESSOR: Readonly<Record<string, { id: string; bits: number; note: string }>> = {
  w8a8: { id: 'w8a8-int8', bits: 8, note: 'W8A8: INT8 weights and INT8 activations (llm-compressor / SmoothQuant style).' },
  w4a16: { id: 'w4a16', bits: 4, note: 'W4A16: 4-bit integer weights (GPTQ-style groups), 16-bit activations.' },
  w8a16: { id: 'w8a16', bits: 8, note: 'W8A16: 8-bit integer weights, 16-bit activations.' },
  int4: { id: 'int4', bits: 4, note: 'INT4 weights; the method (GPTQ, AWQ ...) is not in the name.' },
  int8: { id: 'int8', bits: 8, note: 'INT8 weights; the method is not in the name.' },
};

function mxfp4(text: string, ctx: QuantContext): QuantMatch {
  if (ctx.inGgufFile || /_MOE$/i.test(text)) {
    return {
      length: 1,
      quantization: { kind: 'gguf-file-type', id: 'MXFP4_MOE', bits: 4, text },
      notes: ["MXFP4 in a GGUF: llama.cpp's MXFP4_MOE file type, expert tensors in MXFP4 (4.25 bits per weight), other matrices at higher precision."],
    };
  }
  return {
    length: 1,
    quantization: { kind: 'gpu-format', id: 'mxfp4', bits: 4, text },
    notes: ['MXFP4: 4-bit floats with a power-of-two scale per 32 values (4.25 bits per weight).'],
  };
}

/** A GGUF file type from its name in any casing. Unknown names keep their upper-case spelling and get a note. */
function ggufFileType(text: string, thirdPartyRecipe?: string): { quantization: ParsedQuantization; notes: string[] } {
  const upper = text.toUpperCase();
  const known = canonicalFileTypeId(upper);
  const id = known ?? upper;
  const notes: string[] = [];
  const quantization: ParsedQuantization = { kind: 'gguf-file-type', id, text };
  const bits = /^(?:I?Q|TQ)(\d+)/.exec(id)?.[1];
  if (bits) quantization.bits = Number(bits);
  const recipe = RECIPES.find((r) => id.endsWith(`_${r}`));
  if (recipe) quantization.recipe = recipe;
  if (known && known !== upper) notes.push(`${upper} is llama.cpp's alias of ${known}.`);

  const origin = allFileTypes().find((f) => f.id === id)?.origin;
  if (thirdPartyRecipe) {
    quantization.thirdPartyRecipe = thirdPartyRecipe;
  } else if ((origin === 'bartowski' || !known) && (recipe === 'L' || recipe === 'XL')) {
    quantization.thirdPartyRecipe =
      recipe === 'L' ? 'bartowski _L: token_embd/output at Q8_0' : 'bartowski/Unsloth _XL: token_embd/output at Q8_0';
    notes.push(`${id} is not a llama.cpp file type: a third-party recipe, the ${id.replace(/_X?L$/, '')} mix with embeddings and output head at Q8_0.`);
  } else if (/^Q4_0_\d_\d$/.test(id)) {
    notes.push(`${id}: Q4_0 weights interleaved for ARM CPUs (same size as Q4_0); llama.cpp later dropped these file types and repacks Q4_0 at load time.`);
  } else if (!known) {
    notes.push(`${id} is not a file type llama-quantize makes.`);
  }
  if (allFileTypes().find((f) => f.id === id)?.needsImatrix) {
    notes.push(`llama-quantize makes ${id} only with an importance matrix.`);
  }
  return { quantization, notes };
}

function integerBits(word: string | undefined): number | undefined {
  const m = /^(?:int(\d)|(\d)bit)$/.exec(word ?? '');
  const digits = m?.[1] ?? m?.[2];
  return digits ? Number(digits) : undefined;
}

function joinText(tokens: readonly Token[], count: number): string {
  return tokens
    .slice(0, count)
    .map((t) => t.text)
    .join('-');
}
