/**
 * An architecture family: one module in families/ that reads a family's config.json and, where its GGUF differs
 * from the standard decoder, lists its tensors. families.ts gathers every module of that folder, so adding an
 * architecture is adding a file there (with its test and its real config.json in test/fixtures/configs/).
 */
import type { ArchReader } from './architectures.ts';
import type { Emit } from './tensor-parts.ts';
import type { LayerShape, ModelShape, TensorRole } from '../types.ts';

/** Adds one tensor outside the blocks (token_embd.weight, output_norm.weight ...). */
export type GlobalEmit = (name: string, dims: number[], role: TensorRole) => void;

export interface ArchFamily {
  /** Hugging Face architecture names (config.json `architectures[0]`) this family reads. */
  architectures: readonly string[];
  read: ArchReader;
  /** llama.cpp architecture names (GGUF general.architecture) whose tensor lists the hooks below write. */
  ggufArchs?: readonly string[];
  /** The tensors outside the blocks, when not token_embd, output_norm and (untied) output. */
  globalTensors?: (shape: ModelShape, emit: GlobalEmit) => void;
  /** One block's tensors, when not the standard decoder block (tensor-parts.ts standardBlock). */
  blockTensors?: (shape: ModelShape, layer: LayerShape, emit: Emit) => void;
}
