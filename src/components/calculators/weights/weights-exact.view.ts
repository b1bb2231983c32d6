/**
 * The engine half of WeightsExact: loaded by the island with a dynamic import on the first change, and run at
 * build time for the default result (src/site/memory-island-props.ts). Everything it returns is plain data, so
 * Astro can serialise it into the page.
 */
import { findModel } from '../common/model-catalog';
import type { CompactModel } from '../common/compact-catalog';
import { findWeightFormat, weightsBreakdown, type WeightsBreakdown } from './weights-breakdown';
import { SizingError } from '../../../sizing/errors';
import type { SelectGroup } from '../common/select-options';

export interface WeightsInput {
  model: string;
  quant: string;
}

/** The breakdown of src/components/calculators/weights/weights-breakdown.ts, with the names the island shows. */
export interface WeightsView extends WeightsBreakdown {
  modelName: string;
  /** "Q4_K_M" for a file type, the format's name ("AWQ 4-bit") for a GPU format. */
  formatLabel: string;
  /** What the format keeps in which precision, shown under the table. */
  formatNote: string;
}

/** A result, or the message for the Format field when the engine refuses the format for this model. */
export type WeightsOutcome = { ok: true; view: WeightsView } | { ok: false; quantMessage: string };

export function compute({ model: modelId, quant }: WeightsInput): WeightsOutcome {
  const model = findModel(modelId);
  const format = findWeightFormat(quant);
  // The island checks both against its lists before asking; at build time a bad default should stop the build.
  if (!model || !format) throw new Error(`WeightsExact: no catalog model "${modelId}" or no format "${quant}".`);
  try {
    const b = weightsBreakdown(model.shape, format);
    return {
      ok: true,
      view: {
        modelName: model.entry.name,
        formatLabel: format.kind === 'gguf' ? format.id : format.format.name,
        formatNote: format.kind === 'gguf' ? format.fileType.description : `${format.format.description} Kept as stored: ${format.format.keeps16Bit}.`,
        ...b,
      },
    };
  } catch (e) {
    if (e instanceof SizingError) return { ok: false, quantMessage: `Format: ${e.message}` };
    throw e;
  }
}

/** The island's build-time props besides its defaults (see weightsExactProps). */
export interface WeightsExactData {
  models: CompactModel[];
  formats: SelectGroup[];
  initial: { input: WeightsInput; result: WeightsOutcome };
}
