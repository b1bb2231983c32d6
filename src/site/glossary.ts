import { getCollection, type CollectionEntry } from 'astro:content';
import { entryBits, formatBits, formatBlockBits, headlineIsBlock, type EntryBits } from './glossary-bits';

export { formatBits, formatBlockBits };
export type GlossaryEntry = CollectionEntry<'glossary'>;

export interface GlossaryRow {
  entry: GlossaryEntry;
  href: string;
  /** Bits per weight computed by src/sizing from the entry's `format` key (glossary-bits.ts); null for naming parts and methods. */
  bits: EntryBits | null;
}

export async function glossaryRows(): Promise<GlossaryRow[]> {
  const entries = await getCollection('glossary');
  return entries
    .map((entry) => {
      const bits = entry.data.format ? entryBits(entry.data.format) : null;
      if (entry.data.format && !bits) {
        // A typo in a format key must fail the build, not show an empty cell.
        throw new Error(`glossary/${entry.id}: src/sizing cannot resolve format "${entry.data.format}"`);
      }
      return { entry, href: `/glossary/${entry.id}/`, bits };
    })
    .sort((a, b) => shownBits(b) - shownBits(a) || a.entry.data.name.localeCompare(b.entry.data.name));
}

/**
 * The figure a table or a search result shows: a GPU format's bits in the tensors it quantizes, a file type's average
 * on its named model (the block figure for types meant only for checkpoints trained for them), a tensor type's block.
 */
export function shownBits(row: GlossaryRow): number {
  return row.bits ? row.bits.headline : -1;
}

/** The search-result line: the headline figure and what it is, plus a file type's block figure. */
export function bitsMeta(bits: EntryBits): string {
  if (bits.kind === 'kv') return `${Number(bits.headline.toFixed(4))} bits per cached value`;
  const head = `${(headlineIsBlock(bits) ? formatBlockBits : formatBits)(bits.headline)} (${bits.headlineWhat})`;
  if (bits.kind !== 'file-type' || bits.trainedFor) return head;
  const main = bits.blocks[0];
  return main ? `${head}; ${main.type} block: ${formatBlockBits(main.bits)}` : head;
}

export const FAMILY_LABELS: Record<GlossaryEntry['data']['family'], string> = {
  float: 'Floating point',
  legacy: 'Legacy GGUF quant',
  'k-quant': 'K-quant',
  'i-quant': 'I-quant',
  ternary: 'Ternary',
  microscaling: 'Microscaling float',
  'gpu-int': 'GPU integer format',
  'gpu-float': 'GPU float format',
  bitsandbytes: 'bitsandbytes',
  naming: 'Naming convention',
  'kv-cache': 'KV-cache type',
  method: 'Method',
};
