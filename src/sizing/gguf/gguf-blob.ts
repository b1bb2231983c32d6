/**
 * A browser File (or any Blob) as a ReadRange: each read slices the range it needs, so a 40 GB file is never
 * loaded whole; only the header's bytes are read.
 */
import type { ReadRange } from './gguf-cursor.ts';

export function readRangeFromBlob(blob: Blob): ReadRange {
  return async (offset, length) => {
    const end = Math.min(offset + length, blob.size);
    if (end <= offset) return new Uint8Array(0);
    return new Uint8Array(await blob.slice(offset, end).arrayBuffer());
  };
}
