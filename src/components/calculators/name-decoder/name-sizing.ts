/**
 * The heavy half of the name decoder, loaded on demand: match a decoded name to the model catalog and size its
 * weights with the engine. Kept out of NameDecoder.tsx so the catalog and the engine are fetched only once a name is
 * decoded, not with the page.
 */
import { MODELS } from '../../../data/models';
import { matchCatalogModel, type ParsedName } from '../../../sizing/names/parse';
import { estimate } from '../../../sizing/memory/estimate';
import { SizingError } from '../../../sizing/errors';

export interface NameSizing {
  modelId: string;
  modelName: string;
  confidence: string;
  reason: string;
  /** The quantization the weights were sized at (the engine's canonical id). */
  quant?: string;
  weightsBytes?: number;
  bitsPerWeight?: number;
  /** Why no size is given although the model matched. */
  notSized?: string;
}

/** The catalog model a decoded name refers to, and its weights at the named quantization; null when nothing matches. */
export function sizeParsedName(parsed: ParsedName): NameSizing | null {
  const match = matchCatalogModel(parsed, MODELS);
  if (!match) return null;
  const base: NameSizing = {
    modelId: match.model.id,
    modelName: match.model.name,
    confidence: match.confidence,
    reason: match.reason,
  };
  const q = parsed.quantization;
  if (!q) return { ...base, notSized: 'The name gives no quantization, so there is no size to compute.' };
  if (q.thirdPartyRecipe) {
    return { ...base, notSized: `${q.thirdPartyRecipe} is not one of llama.cpp's own recipes; use the published file size.` };
  }
  try {
    const e = estimate({ kind: 'config', config: match.model.config }, { quant: q.id, ctx: 4096 });
    return { ...base, quant: e.quant.id, weightsBytes: e.weightsBytes, bitsPerWeight: e.weights.bitsPerWeight };
  } catch (err) {
    if (err instanceof SizingError) return { ...base, notSized: err.message };
    throw err;
  }
}
