/**
 * A forward-only little-endian cursor over a file that is read in ranges, never whole.
 *
 * The GGUF header (key/values, then tensor infos) is parsed front to back, so the cursor keeps one window of bytes
 * and fetches the next range only when a value runs past it. Ranges grow geometrically (1 MiB, 2 MiB, 4 MiB ...)
 * so a 10+ MB tokenizer costs a handful of reads, and a 40 GB file costs no more than its header. Bytes that are
 * only skipped (numeric arrays such as tokenizer scores) are not read at all when they lie past the window.
 */
import { SizingError } from '../errors.ts';

/** Reads `length` bytes at `offset`. May return fewer bytes at the end of the file, never more. */
export type ReadRange = (offset: number, length: number) => Promise<Uint8Array>;

export const FIRST_READ_BYTES = 1 << 20;
const MAX_READ_BYTES = 64 << 20;

export class GgufCursor {
  private window = new Uint8Array(0);
  /** File offset of window[0]. */
  private windowStart = 0;
  /** Current file offset. */
  private pos = 0;
  private nextReadBytes = FIRST_READ_BYTES;
  /** The end of the file once known (from the caller, or from a short read). */
  private fileEnd: number | undefined;
  private readonly decoder = new TextDecoder('utf-8');

  constructor(
    private readonly read: ReadRange,
    fileSize?: number,
  ) {
    if (fileSize !== undefined) {
      if (!Number.isSafeInteger(fileSize) || fileSize < 0) throw new SizingError(`File size must be a non-negative integer, got ${fileSize}`, 'file');
      this.fileEnd = fileSize;
    }
  }

  get offset(): number {
    return this.pos;
  }

  /** The file size when known (given, or learnt from a short read). */
  get knownFileSize(): number | undefined {
    return this.fileEnd;
  }

  /** Bytes between the cursor and the end of the file, when the file size is known. */
  remaining(): number | undefined {
    return this.fileEnd === undefined ? undefined : this.fileEnd - this.pos;
  }

  /** Make the next `n` bytes available in the window, reading the next range(s) of the file as needed. */
  private async need(n: number, what: string): Promise<void> {
    const windowEnd = this.windowStart + this.window.length;
    if (this.pos + n <= windowEnd) return;
    if (this.fileEnd !== undefined && this.pos + n > this.fileEnd) this.endsInside(what);
    // Keep the unread tail of the window; read from the window's end (or from pos, when we skipped past it).
    const keepFrom = Math.min(this.pos, windowEnd);
    const kept = this.window.subarray(keepFrom - this.windowStart);
    const readFrom = Math.max(this.pos, windowEnd);
    let want = Math.max(this.pos + n - readFrom, this.nextReadBytes);
    if (this.fileEnd !== undefined) want = Math.min(want, this.fileEnd - readFrom);
    this.nextReadBytes = Math.min(this.nextReadBytes * 2, MAX_READ_BYTES);
    const got = await this.read(readFrom, want);
    if (got.length > want) throw new SizingError(`The file reader returned ${got.length} bytes for a read of ${want}`, 'file');
    if (got.length < want) this.fileEnd = readFrom + got.length;
    const joined = new Uint8Array(kept.length + got.length);
    joined.set(kept, 0);
    joined.set(got, kept.length);
    this.window = joined;
    this.windowStart = readFrom - kept.length;
    if (this.pos + n > this.windowStart + this.window.length) this.endsInside(what);
  }

  private endsInside(what: string): never {
    const end = this.fileEnd ?? this.windowStart + this.window.length;
    throw new SizingError(`Truncated GGUF: the file ends inside the header at byte ${end} (reading ${what})`, 'file');
  }

  private async view(n: number, what: string): Promise<DataView> {
    await this.need(n, what);
    const at = this.pos - this.windowStart;
    this.pos += n;
    return new DataView(this.window.buffer, this.window.byteOffset + at, n);
  }

  async bytes(n: number, what: string): Promise<Uint8Array> {
    await this.need(n, what);
    const at = this.pos - this.windowStart;
    this.pos += n;
    return this.window.subarray(at, at + n);
  }

  /** Move forward without looking at the bytes; past the window, nothing is read. */
  async skip(n: number, what: string): Promise<void> {
    if (this.fileEnd !== undefined && this.pos + n > this.fileEnd) this.endsInside(what);
    if (this.pos + n <= this.windowStart + this.window.length) {
      this.pos += n;
      return;
    }
    this.pos += n;
    // Without a known size, prove the skipped bytes exist by reading the byte before the new position.
    if (this.fileEnd === undefined && n > 0) {
      this.pos -= 1;
      await this.need(1, what);
      this.pos += 1;
    }
  }

  async u8(what: string): Promise<number> {
    return (await this.view(1, what)).getUint8(0);
  }
  async i8(what: string): Promise<number> {
    return (await this.view(1, what)).getInt8(0);
  }
  async u16(what: string): Promise<number> {
    return (await this.view(2, what)).getUint16(0, true);
  }
  async i16(what: string): Promise<number> {
    return (await this.view(2, what)).getInt16(0, true);
  }
  async u32(what: string): Promise<number> {
    return (await this.view(4, what)).getUint32(0, true);
  }
  async i32(what: string): Promise<number> {
    return (await this.view(4, what)).getInt32(0, true);
  }
  async f32(what: string): Promise<number> {
    return (await this.view(4, what)).getFloat32(0, true);
  }
  async f64(what: string): Promise<number> {
    return (await this.view(8, what)).getFloat64(0, true);
  }
  async u64(what: string): Promise<bigint> {
    return (await this.view(8, what)).getBigUint64(0, true);
  }
  async i64(what: string): Promise<bigint> {
    return (await this.view(8, what)).getBigInt64(0, true);
  }

  /**
   * A GGUF string: u64 byte length, then UTF-8 bytes (no terminator). The length is checked against the file
   * before anything is read, as gguf.cpp's gguf_reader::read(std::string&) does.
   */
  async string(what: string): Promise<string> {
    const n = await this.stringLength(what);
    return this.decoder.decode(await this.bytes(n, what));
  }

  /** Skip a GGUF string; returns its total size in bytes (8 + length). */
  async skipString(what: string): Promise<number> {
    const n = await this.stringLength(what);
    await this.skip(n, what);
    return 8 + n;
  }

  /**
   * Skip `count` consecutive GGUF strings (a tokenizer's tokens or merges: 10^5-10^6 of them). Strings inside the
   * window are walked synchronously; only a string that crosses the window's end waits for a read.
   */
  async skipStrings(count: number, what: string): Promise<void> {
    let i = 0;
    while (i < count) {
      const windowEnd = this.windowStart + this.window.length;
      const view = new DataView(this.window.buffer, this.window.byteOffset, this.window.length);
      while (i < count && this.pos + 8 <= windowEnd) {
        const len = view.getBigUint64(this.pos - this.windowStart, true);
        if (this.pos + 8 + Number(len) > windowEnd || len > BigInt(MAX_STRING_BYTES)) break;
        this.pos += 8 + Number(len);
        i++;
      }
      if (i < count) {
        await this.skipString(`${what}[${i}]`);
        i++;
      }
    }
  }

  private async stringLength(what: string): Promise<number> {
    const at = this.pos;
    const len = await this.u64(`the length of ${what}`);
    if (len > BigInt(MAX_STRING_BYTES)) {
      throw new SizingError(`Corrupt GGUF: ${what} at byte ${at} claims ${len} bytes, longer than any real header`, 'file');
    }
    this.claim(len, `${what} at byte ${at} claims ${len} bytes`);
    return Number(len);
  }

  /**
   * A length read from the file must fit in the rest of it: past the end, the file is cut short (or the length is
   * corrupt; the two cannot be told apart, so the message gives both facts).
   */
  claim(bytes: bigint, claimText: string): void {
    const rest = this.remaining();
    if (rest !== undefined && bytes > BigInt(rest)) {
      throw new SizingError(
        `Truncated GGUF: the file ends inside the header at byte ${this.fileEnd} (${claimText}, ${rest} remain)`,
        'file',
      );
    }
  }
}

/** GGUF_MAX_STRING_LENGTH in ggml/src/gguf.cpp: 1 GiB. */
export const MAX_STRING_BYTES = 1024 * 1024 * 1024;
