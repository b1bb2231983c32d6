/**
 * The engine half of YourModelCalculator: estimate() for the model the picker chose. Loaded by the island with a
 * dynamic import on the first change (or when the link holds other inputs), and run at build time for the default
 * (yourModelProps below), so the page shows the default model's memory without shipping the engine. Everything it
 * returns is plain data, so Astro can serialise it into the page.
 */
import { estimate, MAX_CTX, type ModelSource, type RuntimeChoice } from '../../../sizing/memory/estimate';
import { SizingError } from '../../../sizing/errors';
import type { PickerCatalogEntry } from '../common/picker-catalog';

/**
 * What the reader chose, flat so the island can compare it by value. `pick` names the picked model: `catalog:<id>`
 * for a catalog model, or a per-pick token for the other sources; the model itself (its ModelSource) is passed
 * beside it, because a fetched config or a GGUF tensor list is not an input anyone types.
 */
export interface YourModelInput {
  pick: string;
  /** '' for a GGUF file: its tensors carry their own types. */
  quant: string;
  ctx: number;
  runtime: RuntimeChoice;
  /** Images per request (multimodal models; context positions, and llama.cpp's mmproj loaded). */
  images: number;
}

export interface YourModelView {
  /** The quantization sized: an engine id, or 'file' for a GGUF file's own types. */
  quantId: string;
  weightsBytes: number;
  kvCacheBytes: number;
  /** Compute buffers and runtime overhead together. */
  computeBytes: number;
  totalBytes: number;
  paramsTotal: number;
  paramsActive: number;
  /** 'generic': an architecture without a reader of its own, sized as a standard decoder from `readingKeys`. */
  reading: 'exact' | 'generic';
  readingKeys: string[];
  architecture: string;
  /** Multimodal models: the vision part, its own line (null for a text model). */
  vision: {
    loaded: boolean;
    bytes: number;
    params: number;
    exact: boolean;
    mmprojFileBytes: number | null;
    tokensPerImage: number | null;
    imageTokens: number;
  } | null;
}

/** A result, or why the engine refused: the quantization (field "quant"), or anything else ("other"). */
export type YourModelOutcome = { ok: true; view: YourModelView } | { ok: false; field: 'quant' | 'other'; message: string };

function architectureOf(source: ModelSource): string {
  if (source.kind !== 'config') return source.shape.hfArchitecture;
  const archs = source.config['architectures'];
  return Array.isArray(archs) && typeof archs[0] === 'string' ? archs[0] : 'this architecture';
}

export function sizeModel(source: ModelSource, { quant, ctx, runtime, images }: YourModelInput): YourModelOutcome {
  try {
    const e = estimate(source, { quant, ctx, runtime, images });
    return {
      ok: true,
      view: {
        quantId: e.quant.id,
        weightsBytes: e.weightsBytes,
        kvCacheBytes: e.kvCacheBytes,
        computeBytes: e.computeBytes + e.overheadBytes,
        totalBytes: e.totalBytes,
        paramsTotal: e.params.total,
        paramsActive: e.params.active,
        reading: e.reading.kind,
        readingKeys: e.reading.keys ?? [],
        architecture: architectureOf(source),
        vision: e.vision
          ? {
              loaded: e.vision.loaded,
              bytes: e.vision.loaded ? e.visionBytes : e.vision.bytes,
              params: e.vision.params,
              exact: e.vision.basis === 'exact',
              mmprojFileBytes: e.vision.mmprojFileBytes ?? null,
              tokensPerImage: e.vision.tokensPerImage,
              imageTokens: e.vision.imageTokens,
            }
          : null,
      },
    };
  } catch (err) {
    if (!(err instanceof SizingError)) throw err;
    return { ok: false, field: err.field === 'quant' || err.field === 'format' ? 'quant' : 'other', message: err.message };
  }
}

export const catalogPick = (id: string): string => `catalog:${id}`;

/** The island's defaults besides the model: the useUrlState defaults of YourModelCalculator.tsx must be the same. */
export const YOUR_MODEL_DEFAULTS = { model: 'llama-3.1-8b', quant: 'Q4_K_M', ctx: 8192, runtime: 'llama.cpp', images: 0 } as const;

/**
 * Build time only: <YourModelCalculator {...yourModelProps(catalog)} />, with the catalog the page passes (the
 * compact configs the island sizes, so the build-time result is the one the island would compute).
 */
export function yourModelProps(catalog: PickerCatalogEntry[]): {
  catalog: PickerCatalogEntry[];
  defaultModel: string;
  maxCtx: number;
  initial: { input: YourModelInput; result: YourModelOutcome };
} {
  const { model, quant, ctx, runtime, images } = YOUR_MODEL_DEFAULTS;
  const entry = catalog.find((m) => m.id === model);
  if (!entry) throw new Error(`YourModelCalculator: no catalog model "${model}".`);
  const input: YourModelInput = { pick: catalogPick(model), quant, ctx, runtime, images };
  return { catalog, defaultModel: model, maxCtx: MAX_CTX, initial: { input, result: sizeModel({ kind: 'config', config: entry.config }, input) } };
}
