/** The result of decoding a model name (Ollama tag, GGUF file name, Hugging Face repo). See names.ts. */

export type NameSource = 'ollama' | 'gguf' | 'huggingface' | 'unknown';

export type ModelVariant =
  | 'base'
  | 'instruct'
  | 'chat'
  | 'reasoning'
  | 'coder'
  | 'vision'
  | 'embedding'
  /** A multimodal projector file (mmproj): the vision encoder, not a language model. */
  | 'vision-projector';

/** The recipe suffix of a GGUF file type: which tensors a file type bumps to more bits. */
export type QuantRecipe = 'S' | 'M' | 'L' | 'XL' | 'XS' | 'XXS' | 'NL';

export type QuantKind = 'gguf-file-type' | 'gpu-format' | 'float' | 'qat';

export interface ParsedQuantization {
  kind: QuantKind;
  /** Canonical id: GGUF types upper case ('Q4_K_M', 'IQ4_XS', 'F16'); GPU formats lower case ('awq', 'fp8-dynamic'). */
  id: string;
  /** Nominal bits of most weights (the number in the name), not the real bits per weight of the file. */
  bits?: number;
  recipe?: QuantRecipe;
  /** A recipe that is not llama.cpp's own (bartowski _L/_XL, Unsloth Dynamic). */
  thirdPartyRecipe?: string;
  /** True when the name says the file was made with an importance matrix (i1-, -i1-GGUF, imatrix). */
  imatrix?: boolean;
  /** The text the quantization was read from, as written. */
  text: string;
}

export interface ParsedParams {
  /** Total parameters named (70b -> 70e9). Absent for NxM expert names, whose total is not N x M. */
  total?: number;
  /** Active parameters per token named by an MoE name (a3b -> 3e9). */
  active?: number;
  /** "8x7b": 8 experts of a 7B-class model. */
  experts?: { count: number; each: number };
  /** The name parts the numbers were read from, joined by '-': '70b', '30b-a3b', '8x7b'. */
  text: string;
}

export interface OllamaTagInfo {
  /** Model part before ':' (with a namespace if one was given). */
  model: string;
  /** Tag after ':'; 'latest' when none was given. */
  tag: string;
  /** No tag was written: Ollama resolves the name to ':latest'. */
  implicitTag: boolean;
  /** What ':latest' pointed to in the Ollama library when the reference data was collected (e.g. '3b'). */
  latestParamsText?: string;
}

export interface ParsedName {
  source: NameSource;
  /** The input, trimmed. */
  input: string;
  /** Hugging Face owner or Ollama namespace ('bartowski', 'Qwen'). */
  publisher?: string;
  /** Hugging Face 'owner/name' when known. */
  repo?: string;
  /** Hugging Face branch / revision ('4.0bpw'). */
  branch?: string;
  /** Lower-case model family: 'llama', 'qwen', 'gemma', 'mistral', 'phi', 'deepseek', 'gpt-oss' ... */
  family?: string;
  /** A line within the family whose sizes differ from the main line: 'mixtral', 'tinyllama', 'qwq', 'r1-distill'. */
  series?: string;
  /** '3.1', '2.5', '0.3'; DeepSeek releases keep their letter: 'R1', 'V3'. */
  version?: string;
  /** The model name without quantization, split and extension. */
  baseName?: string;
  params?: ParsedParams;
  /** A size word that stands for a parameter count: 'mini', 'medium', 'lite'. */
  sizeClass?: string;
  /** The most specific variant found (embedding > vision > coder > reasoning > instruct > chat > base). */
  variant?: ModelVariant;
  /** Every variant marker found, in name order. */
  variants: ModelVariant[];
  /** A named fine-tune line built on another family ('hermes', 'nemotron'). */
  fineTune?: string;
  quantization?: ParsedQuantization;
  /** Imatrix marker seen (also on a GGUF repo name with no file type chosen yet). */
  imatrix?: boolean;
  split?: { part: number; of: number };
  /** Context length written in the name, lower case: '4k', '128k', '1m'. */
  context?: string;
  /** Release date code: '2507' (YYMM), '0528' (DeepSeek's MMDD). */
  date?: string;
  /** '.gguf' */
  extension?: string;
  ollama?: OllamaTagInfo;
  /** Every name part that could not be explained, as written. Never guessed at. */
  unknownParts: string[];
  notes: string[];
}
