/**
 * The bits per weight a glossary entry shows, computed from its frontmatter `format` by the engine (never typed in).
 * Pure (no astro:content), so test/unit/glossary-bits.test.ts can check every entry's figures.
 *
 *   ggml:<TYPE>   a ggml tensor type: its block layout (Q4_K: 144 bytes per 256 weights = 4.5 bits per weight).
 *   ftype:<FTYPE> a llama.cpp file type: the block figure of its main tensor type(s) AND the whole-file average on a
 *                 named catalog model, typed by llama-quantize's rules. The model is one on which the file type's own
 *                 tensor type actually covers tensors: Llama 3.1 8B by default, gpt-oss-20b for MXFP4_MOE (whose MXFP4
 *                 only applies to stacked expert tensors, which a dense model has none of). A file average on a model
 *                 where the type covers nothing is refused (an error, the build stops).
 *                 Types meant only for checkpoints trained for them (TQ1_0, TQ2_0, Q1_0, Q2_0) show the block figure as
 *                 their headline: no catalog model is trained ternary or binary, so their file average on Llama 3.1 8B
 *                 is shown only as an illustration of the recipe, labelled as meaningless for that model.
 *   gpu:<id>      a GPU format: bits in the tensors it quantizes (scales included) and over the whole checkpoint.
 *   kv:<type>     one cached element.
 */
import { MODELS } from '../data/models';
import type { ModelEntry } from '../data/schema';
import { parseFileType } from '../sizing/formats/file-types';
import { findGgmlType, bitsPerWeight } from '../sizing/formats/ggml-types';
import { assignFileType } from '../sizing/formats/gguf-mix';
import { formatBitsPerWeight } from '../sizing/memory/format-bits';
import { summarizeWeights } from '../sizing/memory/weights';
import { modelShapeFromConfig } from '../sizing/model/model-shape';
import { tensorsOf } from '../sizing/model/tensors';
import type { TypedTensor } from '../sizing/types';

/** The catalog model file-type averages are computed on, unless REFERENCE_BY_FILE_TYPE names another. */
export const DEFAULT_REFERENCE_MODEL = 'llama-3.1-8b';

/**
 * File types whose own tensor type never occurs in the default reference model, and the model to use instead (with
 * why). MXFP4_MOE stores only the stacked (three-dimensional) expert tensors as MXFP4; on a dense model every tensor
 * would be Q8_0 and the figure would be Q8_0's.
 */
export const REFERENCE_BY_FILE_TYPE: Readonly<Record<string, { model: string; why: string }>> = {
  MXFP4_MOE: {
    model: 'gpt-oss-20b',
    why:
      'MXFP4_MOE stores only stacked MoE expert tensors as MXFP4; on a dense model such as Llama 3.1 8B every tensor would be ' +
      "Q8_0 and the average would be Q8_0's, so it is computed on gpt-oss-20b, whose experts use it.",
  },
};

/**
 * File types that only make sense for a checkpoint trained (or converted) for them. No catalog model is, so their
 * headline is the block figure, and the file average is labelled as an illustration on a model not trained for it.
 */
export const TRAINED_FOR: Readonly<Record<string, string>> = {
  TQ1_0: 'trained ternary (BitNet b1.58, TriLM)',
  TQ2_0: 'trained ternary (BitNet b1.58, TriLM)',
  Q1_0: 'made binary (one sign per weight and one scale per 128 weights)',
  Q2_0: 'made for it (ternary-style checkpoints such as PrismML\'s Ternary Bonsai)',
};

export interface BlockFigure {
  /** ggml type name, as llama.cpp prints it upper case: "Q4_K". */
  type: string;
  bits: number;
  bytesPerBlock: number;
  blockSize: number;
  /** For a file type: the share of the reference model's weights stored in this type (0..1). */
  share?: number;
}

export interface FileAverage {
  fileType: string;
  modelId: string;
  modelName: string;
  hfId: string;
  /** Whole-file average: tensor bytes x 8 / weights, as llama.cpp prints it. */
  bits: number;
  bytes: number;
  weights: number;
  /** With an importance matrix (only when the file type requires one). */
  imatrix: boolean;
  /** Share of the model's weights stored in the file type's own (default) tensor type, 0..1. */
  coverage: number;
  /** Every tensor type in the file with its share of the weights, largest first. */
  shares: { type: string; share: number }[];
}

export interface EntryBits {
  kind: 'tensor-type' | 'file-type' | 'gpu' | 'kv';
  /** The one figure the index table and search results show. */
  headline: number;
  /** What the headline is, in words ("file average on Llama 3.1 8B"). */
  headlineWhat: string;
  /** Block-level figures: the type itself, or a file type's main tensor type(s). */
  blocks: BlockFigure[];
  /** File types: the whole-file average on a named model (without an importance matrix unless required). */
  file?: FileAverage;
  /** File types whose recipe changes with an importance matrix: the same file with one. */
  fileWithImatrix?: FileAverage;
  /** File types meant only for checkpoints made for them: what such a checkpoint is. */
  trainedFor?: string;
  /** GPU formats: bits in the quantized tensors (scales included) and over the whole checkpoint. */
  gpu?: { encodedBits?: number; bits: number; basis: string };
  /** KV-cache types: bits per cached element. */
  kvBasis?: string;
  basis: string;
}

const modelCache = new Map<string, { entry: ModelEntry; tensors: ReturnType<typeof tensorsOf>; shape: ReturnType<typeof modelShapeFromConfig> }>();

function referenceModel(id: string) {
  let m = modelCache.get(id);
  if (!m) {
    const entry = MODELS.find((x) => x.id === id);
    if (!entry) throw new Error(`glossary bits: catalog model ${id} not found in src/data/models`);
    const shape = modelShapeFromConfig({ ...entry.config });
    m = { entry, shape, tensors: tensorsOf(shape) };
    modelCache.set(id, m);
  }
  return m;
}

function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function block(type: string, share?: number): BlockFigure {
  const t = findGgmlType(type);
  if (!t) throw new Error(`glossary bits: unknown ggml type ${type}`);
  const out: BlockFigure = { type: t.name, bits: bitsPerWeight(t.name), bytesPerBlock: t.bytesPerBlock, blockSize: t.blockSize };
  if (share !== undefined) out.share = share;
  return out;
}

function average(fileType: string, modelId: string, typed: TypedTensor[], imatrix: boolean): FileAverage {
  const { entry } = referenceModel(modelId);
  const ft = parseFileType(fileType);
  const s = summarizeWeights(typed);
  const byType = new Map<string, number>();
  for (const t of typed) byType.set(t.type, (byType.get(t.type) ?? 0) + elementCount(t.dims));
  const shares = [...byType.entries()].map(([type, n]) => ({ type, share: n / s.elements })).sort((a, b) => b.share - a.share);
  return {
    fileType: ft.id,
    modelId,
    modelName: entry.name,
    hfId: entry.hfId,
    bits: s.bitsPerWeight,
    bytes: s.bytes,
    weights: s.elements,
    imatrix,
    coverage: shares.find((x) => x.type === ft.defaultType)?.share ?? 0,
    shares,
  };
}

/**
 * The whole-file average of a llama.cpp file type on a catalog model, as llama-quantize would type it: without an
 * importance matrix unless the file type requires one (imatrix undefined), or explicitly with / without one.
 */
export function fileAverageOn(fileType: string, modelId: string, imatrix?: boolean): FileAverage {
  const { shape, tensors } = referenceModel(modelId);
  const ft = parseFileType(fileType);
  const opts = imatrix === undefined ? {} : { imatrix };
  const typed = assignFileType(tensors, shape, ft.id, opts);
  return average(ft.id, modelId, typed, imatrix ?? ft.needsImatrix);
}

/** A catalog model's display name ("Llama 3.1 8B"). */
export function catalogModelName(id: string): string {
  return referenceModel(id).entry.name;
}

/** The catalog model a file type's average is computed on. */
export function referenceModelFor(fileType: string): string {
  return REFERENCE_BY_FILE_TYPE[parseFileType(fileType).id]?.model ?? DEFAULT_REFERENCE_MODEL;
}

/**
 * A file type's average on its reference model; throws when the file type's own tensor type covers none of that
 * model's weights (the figure would describe other types, as MXFP4_MOE on a dense model is plain Q8_0).
 */
export function headlineFileAverage(fileType: string, modelId = referenceModelFor(fileType)): FileAverage {
  const avg = fileAverageOn(fileType, modelId);
  if (avg.coverage <= 0) {
    throw new Error(
      `glossary bits: ${avg.fileType} stores none of ${avg.modelName}'s weights as ${parseFileType(fileType).defaultType}; ` +
        `its file average there is another type's. Name a model whose tensors use it in REFERENCE_BY_FILE_TYPE.`,
    );
  }
  return avg;
}

function fileTypeBits(name: string): EntryBits {
  const ft = parseFileType(name);
  const file = headlineFileAverage(ft.id);
  // Main tensor types: the file type's default type, any other type holding at least a fifth of the weights, and
  // the ggml type of the same name when the file type is built on another one (the IQ2_S file is mostly IQ2_XS).
  const main = new Map<string, number | undefined>();
  main.set(ft.defaultType, file.coverage);
  for (const s of file.shares) if (s.share >= 0.2 && !main.has(s.type)) main.set(s.type, s.share);
  const sameName = findGgmlType(ft.id);
  if (sameName && !main.has(sameName.name)) main.set(sameName.name, file.shares.find((s) => s.type === sameName.name)?.share ?? 0);
  const blocks = [...main.entries()].map(([type, share]) => block(type, share));
  let fileWithImatrix: FileAverage | undefined;
  if (!ft.needsImatrix) {
    const withImatrix = fileAverageOn(ft.id, file.modelId, true);
    if (withImatrix.bytes !== file.bytes) fileWithImatrix = withImatrix;
  }
  const trainedFor = TRAINED_FOR[ft.id];
  const own = blocks[0] as BlockFigure;
  const out: EntryBits = {
    kind: 'file-type',
    headline: trainedFor ? own.bits : file.bits,
    headlineWhat: trainedFor ? `${own.type} block` : `file average on ${file.modelName}`,
    blocks,
    file,
    basis:
      `file average of ${ft.id} on ${file.modelName}'s real tensor shapes (${file.hfId}; every tensor typed by ` +
      `llama.cpp's quantization rules, ${file.imatrix ? 'with the importance matrix it requires' : 'without an importance matrix'}; ` +
      `norms F32): ${file.bytes} bytes over ${file.weights} weights`,
  };
  if (fileWithImatrix) out.fileWithImatrix = fileWithImatrix;
  if (trainedFor) out.trainedFor = trainedFor;
  return out;
}

/** Every figure an entry with this `format` key shows, or null for an unknown key. */
export function entryBits(format: string): EntryBits | null {
  const colon = format.indexOf(':');
  const ns = format.slice(0, colon);
  const name = format.slice(colon + 1);
  if (ns === 'ftype') return fileTypeBits(name);
  const fb = formatBitsPerWeight(format);
  if (!fb) return null;
  if (ns === 'ggml') return { kind: 'tensor-type', headline: fb.bits, headlineWhat: 'block layout', blocks: [block(name)], basis: fb.basis };
  if (ns === 'kv') return { kind: 'kv', headline: fb.bits, headlineWhat: 'per cached element', blocks: [], kvBasis: fb.basis, basis: fb.basis };
  if (ns === 'gpu') {
    const gpu: EntryBits['gpu'] = { bits: fb.bits, basis: fb.basis };
    if (fb.encodedBits !== undefined) gpu.encodedBits = fb.encodedBits;
    return {
      kind: 'gpu',
      headline: fb.encodedBits ?? fb.bits,
      headlineWhat: fb.encodedBits !== undefined ? 'in the tensors it quantizes' : 'over the whole model',
      blocks: [],
      gpu,
      basis: fb.basis,
    };
  }
  return null;
}

/** "4.894 bits per weight": three decimals below 10, two above (averages). */
export function formatBits(bits: number): string {
  return `${Number(bits.toFixed(bits >= 10 ? 2 : 3))} bits per weight`;
}

/** A block layout's exact figure: bytes x 8 / weights has at most four decimals (IQ2_XS: 2.3125). */
export function formatBlockBits(bits: number): string {
  return `${Number(bits.toFixed(4))} bits per weight`;
}

/** The headline as a bare number for the index table: exact for block figures, three decimals for averages. */
export function headlineNumber(b: EntryBits): number {
  return Number(b.headline.toFixed(headlineIsBlock(b) ? 4 : 3));
}

/** Whether the headline is a block layout's figure (a tensor type, a KV element, a type for trained checkpoints). */
export function headlineIsBlock(b: EntryBits): boolean {
  return b.kind === 'tensor-type' || b.kind === 'kv' || b.trainedFor !== undefined;
}

/** A share of weights as a percentage: "80.9%", "under 0.1%". */
export function formatShare(share: number): string {
  if (share > 0 && share < 0.001) return 'under 0.1%';
  return `${Number((share * 100).toFixed(1))}%`;
}

/** Bytes in decimal gigabytes, the unit the glossary uses throughout: "4.91 GB". */
export function formatGB(bytes: number): string {
  return `${(bytes / 1e9).toFixed(2)} GB`;
}
