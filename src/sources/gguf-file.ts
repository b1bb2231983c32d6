/**
 * A GGUF file the reader picks or drops, read in the browser: only its header, through File.slice (a 40 GB file
 * costs a few megabytes of reads, never a full load), and nothing leaves the machine. The header becomes the
 * engine's inputs: the typed tensor list and the model shape.
 */
import { readGgufHeader } from '../sizing/gguf/gguf-reader';
import { readRangeFromBlob } from '../sizing/gguf/gguf-blob';
import { ggufSummary, shapeFromGguf, typedTensorsFromGguf, type GgufSummary } from '../sizing/gguf/gguf-model';
import { SizingError } from '../sizing/errors';
import type { ModelShape, TypedTensor } from '../sizing/types';

export interface LocalGguf {
  fileName: string;
  fileBytes: number;
  summary: GgufSummary;
  shape: ModelShape;
  typed: TypedTensor[];
  /** Bytes before the tensor data (header, metadata, tensor infos, padding): the file's own metadata size. */
  metadataBytes: number;
  tensorCount: number;
  /** Bytes actually read from the file to get here. */
  bytesRead: number;
}

export type LocalGgufResult = { ok: true; value: LocalGguf } | { ok: false; message: string };

/** What the engine's reader messages mean to someone who just picked a file. */
function explain(e: unknown): string {
  if (e instanceof SizingError) {
    const m = e.message;
    if (/^(This is not a GGUF file|Truncated GGUF|Corrupt GGUF|GGUF version|Unsupported GGUF|This GGUF file is big-endian)/.test(m)) return m;
    // Readable header, but a model the engine cannot size (unknown architecture, missing key).
    return `The header was read, but this model cannot be sized: ${m}`;
  }
  if (e instanceof DOMException || (e instanceof Error && e.name === 'NotReadableError')) {
    return 'The browser could not read this file (was it moved or deleted?). Choose it again.';
  }
  return `This file could not be read as GGUF: ${e instanceof Error ? e.message : String(e)}`;
}

/** The header of a local GGUF file -> summary, shape and typed tensors; a clear message for anything else. */
export async function readLocalGguf(file: Blob & { name?: string }): Promise<LocalGgufResult> {
  const fileName = file.name ?? 'file';
  if (file.size === 0) return { ok: false, message: `${fileName} is empty (0 bytes); a GGUF file starts with the bytes "GGUF".` };
  const blobRead = readRangeFromBlob(file);
  let bytesRead = 0;
  const read = async (offset: number, length: number) => {
    const bytes = await blobRead(offset, length);
    bytesRead += bytes.length;
    return bytes;
  };
  try {
    const header = await readGgufHeader(read, file.size);
    const summary = ggufSummary(header);
    const shape = shapeFromGguf(header);
    const typed = typedTensorsFromGguf(header);
    if (typed.length === 0) return { ok: false, message: `${fileName} has no tensors: it holds metadata only (a vocabulary file?), not a model.` };
    return {
      ok: true,
      value: { fileName, fileBytes: file.size, summary, shape, typed, metadataBytes: header.tensorDataOffset, tensorCount: typed.length, bytesRead },
    };
  } catch (e) {
    return { ok: false, message: `${fileName}: ${explain(e)}` };
  }
}
