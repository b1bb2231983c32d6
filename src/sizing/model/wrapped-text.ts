/**
 * Multimodal checkpoints whose text model is an architecture the engine already reads: LLaVA 1.5 / NeXT (a Llama or
 * Mistral text_config), Qwen2-VL / Qwen2.5-VL (a Qwen2 decoder, its keys at the top level or in text_config),
 * Qwen3-VL (a Qwen3 or Qwen3-MoE text_config) and InternVL (an llm_config of its own architecture). The text model is
 * read exactly by that architecture's reader, under the name llama.cpp's converter gives its GGUF; the vision part is
 * sized apart (vision/ and vision-tower.ts).
 */
import type { ConfigReader } from './config-reader.ts';

export interface WrappedText {
  /** The text model's Hugging Face architecture, whose reader sizes it. */
  architecture: string;
  /** Where its keys are: text_config, llm_config, or the top level. */
  reader: ConfigReader;
  /** llama.cpp's architecture for the text GGUF when it differs from the inner one's (qwen2vl, qwen3vl, qwen3vlmoe). */
  ggufArch?: string;
  /** transformers' defaults of the inner config class, for the keys LLaVA-style text_configs leave out. */
  defaults?: Readonly<Record<string, unknown>>;
}

/**
 * Defaults of transformers' config classes that wrapped text_configs rely on (llava-1.5-7b-hf's text_config gives only
 * vocab_size and max_position_embeddings): models/llama/configuration_llama.py LlamaConfig.__init__ and
 * models/mistral/configuration_mistral.py MistralConfig.__init__.
 */
const CLASS_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  llama: { vocab_size: 32000, hidden_size: 4096, intermediate_size: 11008, num_hidden_layers: 32, num_attention_heads: 32, max_position_embeddings: 2048 },
  mistral: { vocab_size: 32000, hidden_size: 4096, intermediate_size: 14336, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, max_position_embeddings: 4096 * 32 },
};

/** text_config.model_type (or llm_config's) to the architecture that reads it. */
const BY_MODEL_TYPE: Readonly<Record<string, string>> = {
  llama: 'LlamaForCausalLM',
  mistral: 'MistralForCausalLM',
  qwen2: 'Qwen2ForCausalLM',
  qwen3: 'Qwen3ForCausalLM',
  qwen3_moe: 'Qwen3MoeForCausalLM',
  qwen2_vl: 'Qwen2ForCausalLM',
  qwen2_5_vl: 'Qwen2ForCausalLM',
  qwen2_vl_text: 'Qwen2ForCausalLM',
  qwen2_5_vl_text: 'Qwen2ForCausalLM',
  qwen3_vl_text: 'Qwen3ForCausalLM',
  qwen3_vl_moe_text: 'Qwen3MoeForCausalLM',
  internlm2: 'InternLM2ForCausalLM',
  gemma2: 'Gemma2ForCausalLM',
  phi3: 'Phi3ForCausalLM',
};

interface Wrapper {
  /** The sub-config holding the text model ('top': the top level). */
  part: 'text_config' | 'llm_config' | 'text_config-or-top';
  /** The inner architecture when the wrapper fixes it (Qwen-VL); else read from the part. */
  inner?: string;
  ggufArch?: string;
}

/** Wrappers by Hugging Face architecture (config.json architectures[0]); llama.cpp names from convert_hf_to_gguf.py's registrations. */
const WRAPPERS: Readonly<Record<string, Wrapper>> = {
  LlavaForConditionalGeneration: { part: 'text_config' },
  LlavaNextForConditionalGeneration: { part: 'text_config' },
  Qwen2VLForConditionalGeneration: { part: 'text_config-or-top', inner: 'Qwen2ForCausalLM', ggufArch: 'qwen2vl' },
  Qwen2_5_VLForConditionalGeneration: { part: 'text_config-or-top', inner: 'Qwen2ForCausalLM', ggufArch: 'qwen2vl' },
  Qwen3VLForConditionalGeneration: { part: 'text_config', inner: 'Qwen3ForCausalLM', ggufArch: 'qwen3vl' },
  Qwen3VLMoeForConditionalGeneration: { part: 'text_config', inner: 'Qwen3MoeForCausalLM', ggufArch: 'qwen3vlmoe' },
  InternVLChatModel: { part: 'llm_config' },
  InternVLForConditionalGeneration: { part: 'text_config' },
};

export const WRAPPER_ARCHITECTURES: readonly string[] = Object.keys(WRAPPERS);

/** The text model inside a multimodal wrapper, or undefined when the architecture is not one (or names no text model). */
export function wrappedText(hfArchitecture: string, top: ConfigReader): WrappedText | undefined {
  const w = WRAPPERS[hfArchitecture];
  if (!w) return undefined;
  const sub = w.part === 'llm_config' ? top.nested('llm_config') : top.nested('text_config');
  const reader = sub ?? (w.part === 'text_config-or-top' ? top : undefined);
  if (!reader) return undefined;
  const archs = reader.config['architectures'];
  const named = Array.isArray(archs) && typeof archs[0] === 'string' ? archs[0] : undefined;
  const modelType = reader.config['model_type'];
  const architecture = w.inner ?? named ?? (typeof modelType === 'string' ? BY_MODEL_TYPE[modelType] : undefined);
  if (!architecture) return undefined;
  const defaults = typeof modelType === 'string' ? CLASS_DEFAULTS[modelType] : undefined;
  return { architecture, reader, ...(w.ggufArch ? { ggufArch: w.ggufArch } : {}), ...(defaults ? { defaults } : {}) };
}
