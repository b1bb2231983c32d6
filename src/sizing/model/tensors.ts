/**
 * ModelShape -> the tensors of its GGUF file, named and shaped as llama.cpp's converter writes them.
 *
 * Names follow gguf-py/gguf/constants.py TENSOR_NAMES ("blk.{bid}.attn_q" + ".weight"/".bias"); dims are ggml
 * order (dims[0] = input features), as src/llama-model.cpp load_tensors() creates them. Order: the non-block
 * tensors, then each block in load_tensors() order. Source: ggml-org/llama.cpp master (2025-2026).
 * The block parts are in tensor-parts.ts; an architecture family (families/*.ts) may write its own globals or blocks.
 */
import { familyForGgufArch } from './families.ts';
import { nextnTensors, standardBlock, type Emit } from './tensor-parts.ts';
import type { LayerShape, ModelShape, TensorInfo, TensorRole } from '../types.ts';

/**
 * A tensor of a block past the model's layers: a NextN / MTP block the GGUF carries but llama.cpp skips at load
 * (TENSOR_SKIP) and never runs. Such tensors count in the file, not in memory, KV, speed or active parameters.
 */
export function isSkippedBlockTensor(t: TensorInfo, shape: ModelShape): boolean {
  return t.layer !== null && t.layer >= shape.layers.length;
}

/** The tensors a runtime loads: all but those of skipped (NextN) blocks. */
export function loadedTensors<T extends TensorInfo>(tensors: readonly T[], shape: ModelShape): T[] {
  return tensors.filter((t) => !isSkippedBlockTensor(t, shape));
}

export function tensorsOf(shape: ModelShape): TensorInfo[] {
  const d = shape.tensorDetails ?? {};
  const h = shape.hiddenSize;
  const out: TensorInfo[] = [];
  const global = (name: string, dims: number[], role: TensorRole) => out.push({ name, dims, layer: null, role });
  const family = familyForGgufArch(shape.ggufArch);

  if (family?.globalTensors) family.globalTensors(shape, global);
  else {
    global('token_embd.weight', [h, shape.vocabSize], 'token_embd');
    global('output_norm.weight', [h], 'norm');
    // Tied embeddings: the converter writes no output.weight; llama.cpp reuses token_embd as the head.
    if (!shape.tiedEmbeddings) global('output.weight', [h, shape.vocabSize], 'output');
  }
  if (d.ropeFreqs !== undefined) global('rope_freqs.weight', [d.ropeFreqs], 'other');
  if (d.ropeFactors !== undefined) {
    global('rope_factors_long.weight', [d.ropeFactors], 'other');
    global('rope_factors_short.weight', [d.ropeFactors], 'other');
  }
  const block = (layer: LayerShape) => {
    const il = layer.index;
    const emit: Emit = (name, dims, role) => out.push({ name: `blk.${il}.${name}`, dims, layer: il, role });
    if (family?.blockTensors) family.blockTensors(shape, layer, emit);
    else standardBlock(shape, layer, d, emit);
  };
  for (const layer of shape.layers) block(layer);
  // NextN blocks follow the main layers in the file (convert_hf_to_gguf.py: block_count = layers + nextn).
  for (const layer of shape.nextnLayers ?? []) {
    block(layer);
    nextnTensors(shape, layer.index, d, out);
  }
  return out;
}
