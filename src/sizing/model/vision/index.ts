/**
 * visionPartOf(config): the vision encoder and projector of a multimodal checkpoint, by projector family.
 *
 * Families are picked by the checkpoint's architecture (and, for LlavaForConditionalGeneration, its vision model
 * type). A config with a vision tower of another family gives null: its size is then only estimated
 * (vision-tower.ts). The text model is sized by the architecture readers; this module never reads its layers.
 */
import { SizingError } from '../../errors.ts';
import type { HfConfig } from '../../types.ts';
import type { ConfigReader } from '../config-reader.ts';
import { subReader, textHiddenOf, topReader } from './config.ts';
import { gemma3Part } from './gemma3.ts';
import { internvlPart } from './internvl.ts';
import { llama4Part } from './llama4.ts';
import { llavaPart } from './llava.ts';
import { pixtralPart } from './pixtral.ts';
import { qwen2vlPart } from './qwen2vl.ts';
import { qwen3vlPart } from './qwen3vl.ts';
import type { VisionPart } from './types.ts';

export type { ImageSize, MmprojOuttype, MmprojTensor, VisionPart, VisionRuntime } from './types.ts';
export { DEFAULT_IMAGE } from './types.ts';
export { mmprojDataBytes, mmprojFileBytes, mmprojTypedTensors, tensorParams } from './mmproj.ts';

type PartReader = (top: ConfigReader, textHidden: number) => VisionPart;

const QWEN3VL = ['Qwen3VLForConditionalGeneration', 'Qwen3VLMoeForConditionalGeneration', 'Qwen3_5ForConditionalGeneration', 'Qwen3_5MoeForConditionalGeneration'];

/** Vision model types LlavaForConditionalGeneration wraps: CLIP (LLaVA 1.5) or Pixtral (Pixtral-12B). */
function llavaReader(top: ConfigReader): PartReader | undefined {
  const type = subReader(top, 'vision_config')?.optionalString('model_type');
  if (type === 'pixtral') return pixtralPart;
  return type === undefined || type === 'clip_vision_model' ? llavaPart : undefined;
}

function readerFor(arch: string, top: ConfigReader): PartReader | undefined {
  if (arch === 'LlavaForConditionalGeneration') return llavaReader(top);
  if (arch === 'LlavaNextForConditionalGeneration') return llavaReader(top) === llavaPart ? llavaPart : undefined;
  if (arch === 'Qwen2VLForConditionalGeneration' || arch === 'Qwen2_5_VLForConditionalGeneration') return qwen2vlPart;
  if (QWEN3VL.includes(arch)) return qwen3vlPart;
  if (arch === 'Gemma3ForConditionalGeneration') return gemma3Part;
  if (arch === 'Llama4ForConditionalGeneration') return llama4Part;
  if (arch === 'Mistral3ForConditionalGeneration') return pixtralPart;
  if (arch === 'InternVLChatModel' || arch === 'InternVLForConditionalGeneration') return internvlPart;
  return undefined;
}

/**
 * The vision part of a multimodal config, or null when it has no vision_config or its family is not modelled.
 * `textHidden` (the text model's width, from the architecture reader) wins over the config's own keys; without it the
 * width is read from text_config / llm_config / the top level.
 */
export function visionPartOf(config: HfConfig, textHidden?: number): VisionPart | null {
  const top = topReader(config);
  if (!subReader(top, 'vision_config')) return null;
  const archs = config['architectures'];
  const arch = Array.isArray(archs) && typeof archs[0] === 'string' ? archs[0] : undefined;
  const reader = arch ? readerFor(arch, top) : undefined;
  if (!reader) return null;
  const hidden = textHidden ?? textHiddenOf(top);
  if (hidden === undefined) {
    throw new SizingError('config.json: the text model width (text_config.hidden_size) is required to size the vision projector', 'text_config.hidden_size');
  }
  return reader(top, hidden);
}
