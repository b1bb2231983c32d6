/** What ModelPicker reports to the island that embeds it. */
import type { ModelSource } from '../../../sizing/memory/estimate';
import type { HfModelFiles } from '../../../sources/hf-hub';
import type { LocalGguf } from '../../../sources/gguf-file';
import type { ModelUrlValue } from '../model-url-state';

export type PickerMode = 'catalog' | 'hf' | 'config' | 'gguf';

export interface PickedModel {
  mode: PickerMode;
  /** For headings and results: "Llama 3.1 8B", "Qwen/Qwen3-8B", "pasted config.json (Qwen3ForCausalLM)", "model.gguf". */
  label: string;
  /** What estimate() takes. A GGUF file is 'typed': its tensors already carry their types, so no quant applies. */
  source: ModelSource;
  /** Trained context length in tokens, when known. */
  contextLength?: number;
  /** A quantization the source itself declares: quantization_config's GPU format, or the GGUF file type. */
  suggestedQuant?: string;
  /** The Hub answer (mode 'hf') and the file read (mode 'gguf'), for islands that show more. */
  hub?: HfModelFiles;
  gguf?: LocalGguf;
}

/** One source's current outcome: a usable model or null, and what the URL should hold for it. */
export interface SourceReport {
  picked: PickedModel | null;
  url: ModelUrlValue;
}
