import { getCollection, type CollectionEntry } from 'astro:content';
import { formatBitsPerWeight } from '../sizing/memory/format-bits';

export type GlossaryEntry = CollectionEntry<'glossary'>;

export interface GlossaryRow {
  entry: GlossaryEntry;
  href: string;
  /** Bits per weight computed by src/sizing from the entry's `format` key; null for naming parts and methods. */
  bits: { bits: number; basis: string; encodedBits?: number } | null;
}

export async function glossaryRows(): Promise<GlossaryRow[]> {
  const entries = await getCollection('glossary');
  return entries
    .map((entry) => {
      const bits = entry.data.format ? formatBitsPerWeight(entry.data.format) : null;
      if (entry.data.format && !bits) {
        // A typo in a format key must fail the build, not show an empty cell.
        throw new Error(`glossary/${entry.id}: src/sizing cannot resolve format "${entry.data.format}"`);
      }
      return { entry, href: `/glossary/${entry.id}/`, bits };
    })
    .sort((a, b) => shownBits(b) - shownBits(a) || a.entry.data.name.localeCompare(b.entry.data.name));
}

/** The figure a table shows: a GPU format's bits in the tensors it quantizes, else the type's or file's average. */
export function shownBits(row: GlossaryRow): number {
  return row.bits ? (row.bits.encodedBits ?? row.bits.bits) : -1;
}

export function formatBits(bits: number): string {
  return `${Number(bits.toFixed(bits >= 10 ? 2 : 3))} bits per weight`;
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
