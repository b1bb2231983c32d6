/**
 * The vision part of a multimodal checkpoint, sized apart from its text model.
 *
 * Three figures a reader needs, each for its runtime:
 *   - llama.cpp loads the encoder and projector from a separate "mmproj" GGUF (tools/mtmd/clip.cpp): its tensors,
 *     named and shaped as clip.cpp loads them, typed as convert_hf_to_gguf.py --mmproj writes them (mmproj.ts);
 *   - transformers keeps the checkpoint's vision weights on the GPU in the model dtype (towerParams + projectorParams);
 *     vLLM the same, except where it builds the tower only up to the feature layer it reads (vllmParams);
 *   - every image takes context positions (KV cache): imageTokens(), per runtime, since llama.cpp's preprocessing
 *     (tools/mtmd/mtmd-image.cpp) differs from the Hugging Face processors that transformers and vLLM run.
 */
import type { TensorInfo } from '../../types.ts';

/** How convert_hf_to_gguf.py (or the legacy llava converter) picks a tensor's storage type. */
export type MmprojStorage =
  /** Always F32: 1-D tensors, norms, biases, position embeddings (conversion/base.py prepare_tensors). */
  | 'f32'
  /** The output type (--outtype); Q8_0 falls back to F16 when a row is not a multiple of 32 (gguf.quants QuantError). */
  | 'out'
  /** Patch embedding / patch merger: F16 when the outtype is F16, else F32 (MmprojModel.tensor_force_quant). */
  | 'patch'
  /** Always F16 (Gemma 3 mm.input_projection; the legacy llava converter's 4-D convolution). */
  | 'f16';

/** One tensor of an mmproj GGUF, with the rule that types it. */
export interface MmprojTensor extends TensorInfo {
  storage: MmprojStorage;
}

/** Output types the converters write for an mmproj (convert_hf_to_gguf.py --outtype; the legacy script: f16 / f32). */
export type MmprojOuttype = 'f32' | 'f16' | 'bf16' | 'q8_0';

/**
 * Which script writes the family's mmproj: convert_hf_to_gguf.py --mmproj, or the legacy llava pipeline
 * (tools/mtmd/legacy-models/llava_surgery(_v2).py + convert_image_encoder_to_gguf.py) for LLaVA 1.5 / 1.6.
 */
export type MmprojConverter = 'convert_hf_to_gguf' | 'legacy-llava';

/** Runtimes whose image-token rules differ. vLLM runs the Hugging Face processor, so it counts as transformers does. */
export type VisionRuntime = 'llama.cpp' | 'transformers' | 'vllm';

export interface ImageSize {
  width: number;
  height: number;
}

/** The image 'default' stands for: a 1024 x 768 (4:3) photo, a common size for a pasted or uploaded picture. */
export const DEFAULT_IMAGE: ImageSize = { width: 1024, height: 768 };

export interface VisionPart {
  /** Projector family: 'llava', 'llava-next', 'qwen2vl', 'qwen2.5vl', 'qwen3vl', 'gemma3', 'llama4', 'pixtral', 'internvl'. */
  family: string;
  /** clip.projector_type as the mmproj GGUF records it ('mlp', 'qwen2vl_merger', 'gemma3' ...). */
  projectorType: string;
  /** Parameters of the checkpoint's vision encoder (patch / position embeddings, blocks, encoder norms). */
  towerParams: number;
  /** Parameters of the checkpoint's projector into the text model (merger, adapter, MLP, norms, extra embeddings). */
  projectorParams: number;
  /** What vLLM builds and loads: the same, except LLaVA, whose tower stops at vision_feature_layer (no last layer). */
  vllmParams: number;
  /** The mmproj GGUF's tensors in clip.cpp's load order: GGUF names, ggml dims, storage rule. */
  mmprojTensors: MmprojTensor[];
  mmprojConverter: MmprojConverter;
  /** Context positions one image takes (image embeddings plus the marker tokens around them), per runtime. */
  imageTokens(image: ImageSize | 'default', runtime?: VisionRuntime): number;
  /** imageTokens('default') for transformers / vLLM (see DEFAULT_IMAGE). */
  defaultImageTokens: number;
  /** What was assumed or defaulted, and how the runtimes differ. */
  notes: string[];
}
