/**
 * A GGUF file on disk as a ReadRange for the sizing engine (the CLI's --gguf): positioned reads through one
 * FileHandle, so only the header's bytes are read, never the tensor data.
 */
import { open } from 'node:fs/promises';
import type { ReadRange } from '../sizing/gguf/gguf-cursor.ts';

export interface FileRangeSource {
  read: ReadRange;
  /** File size in bytes. */
  size: number;
  close(): Promise<void>;
}

export async function readRangeFromFile(path: string): Promise<FileRangeSource> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const read: ReadRange = async (offset, length) => {
      const want = Math.max(0, Math.min(length, size - offset));
      const buf = new Uint8Array(want);
      let filled = 0;
      // A positioned read may return fewer bytes than asked; loop until done or the file ends.
      while (filled < want) {
        const { bytesRead } = await handle.read(buf, filled, want - filled, offset + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return filled === want ? buf : buf.subarray(0, filled);
    };
    return { read, size, close: () => handle.close() };
  } catch (e) {
    await handle.close();
    throw e;
  }
}
