/**
 * The vision encoder of a multimodal checkpoint as a ModelShape extra.
 *
 * The text GGUF does not hold it (llama.cpp loads it from a separate mmproj file), but the checkpoint and a
 * transformers / vLLM load do. For the modelled projector families (vision/index.ts: LLaVA 1.5 / NeXT, Qwen2-VL,
 * Qwen2.5-VL, Qwen3-VL, Gemma 3, Llama 4, Pixtral / Mistral 3, InternVL) the count is exact: tower plus projector, as
 * the checkpoint stores them. Any other vision_config is estimated as a standard pre-norm ViT (SigLIP / CLIP style):
 *   per layer: q,k,v,o with biases (4h^2 + 4h), MLP with biases (2 h ff + ff + h), two LayerNorms (4h)
 *   patch embedding conv (channels x patch^2 x h + h), learned positions ((image/patch)^2 x h), final LayerNorm (2h)
 *   plus a linear projector vision hidden -> text hidden.
 */
import type { ConfigReader } from './config-reader.ts';
import type { ModelShape } from '../types.ts';
import { visionPartOf } from './vision/index.ts';
import { subReader } from './vision/config.ts';

type Extra = ModelShape['extras'][number];

/** A number-valued key of the vision config, or undefined (vision configs vary: `depth` vs `num_hidden_layers`). */
function optional(v: ConfigReader, ...keys: string[]): number | undefined {
  for (const k of keys) if (typeof v.config[k] === 'number') return v.int(k);
  return undefined;
}

/** The generic ViT estimate for vision towers of families vision/ does not model. */
function estimatedExtra(v: ConfigReader, textHidden: number): Extra {
  const h = optional(v, 'hidden_size');
  const ff = optional(v, 'intermediate_size');
  const nLayer = optional(v, 'num_hidden_layers', 'depth');
  const patch = optional(v, 'patch_size');
  // A vision_config without the ViT sizes cannot be estimated; say so instead of guessing.
  if (h === undefined || ff === undefined || nLayer === undefined || patch === undefined) {
    return { name: 'vision encoder', params: 0, note: 'vision_config present but without ViT sizes: not estimated. Not part of the text weights.' };
  }
  const image = optional(v, 'image_size');
  const channels = optional(v, 'num_channels', 'in_channels') ?? 3;
  const perLayer = 4 * h * h + 4 * h + 2 * h * ff + ff + h + 4 * h;
  // Learned positions: one per patch of the native image size (SigLIP), or an explicit table size (Qwen-VL).
  const positions = image !== undefined ? Math.floor(image / patch) ** 2 : (optional(v, 'num_position_embeddings') ?? 0);
  const embed = channels * patch * patch * h + h + positions * h;
  const projector = h * textHidden;
  const params = nLayer * perLayer + embed + 2 * h + projector;
  return {
    name: 'vision encoder',
    params,
    note: `Estimated from vision_config (${nLayer} layers, hidden ${h}, MLP ${ff}, ${positions} positions) plus a linear projector to the text width; not part of the text weights (llama.cpp keeps it in a separate mmproj file).`,
  };
}

export function visionTowerExtra(top: ConfigReader, textHidden: number): Extra | undefined {
  const v = subReader(top, 'vision_config');
  if (!v) return undefined;
  const part = visionPartOf(top.config, textHidden);
  if (!part) return estimatedExtra(v, textHidden);
  return {
    name: 'vision encoder',
    params: part.towerParams + part.projectorParams,
    note:
      `${part.family} vision tower ${part.towerParams.toLocaleString('en-US')} + projector ${part.projectorParams.toLocaleString('en-US')} parameters, ` +
      `as the checkpoint stores them (transformers / vLLM load them in the model dtype); not part of the text weights: llama.cpp loads them from a separate mmproj file.`,
  };
}
