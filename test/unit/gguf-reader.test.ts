import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gguf as hfGguf } from '@huggingface/gguf';
import { afterAll, describe, expect, it } from 'vitest';
import { readRangeFromFile } from '../../src/cli/gguf-file.ts';
import { SizingError } from '../../src/sizing/errors.ts';
import { tensorDataBytes } from '../../src/sizing/formats/ggml-types.ts';
import { readRangeFromBlob } from '../../src/sizing/gguf/gguf-blob.ts';
import { readGgufHeader, type GgufArray, type ReadRange } from '../../src/sizing/gguf/gguf-reader.ts';
import { tinyGemma3, tinyLlama, tinyMoe, tokenizerMetadata } from '../fixtures/gguf-models.ts';
import { writeGguf, type WriteTensor } from '../fixtures/gguf-writer.ts';

/** A ReadRange over bytes in memory that records every call. */
function memoryRange(bytes: Uint8Array) {
  const calls: { offset: number; length: number }[] = [];
  const read: ReadRange = async (offset, length) => {
    calls.push({ offset, length });
    return bytes.slice(offset, Math.min(offset + length, bytes.length));
  };
  return { read, calls, bytesRead: () => calls.reduce((s, c) => s + Math.max(0, Math.min(c.length, bytes.length - c.offset)), 0) };
}

const pad32 = (n: number) => Math.ceil(n / 32) * 32;

async function expectSizingError(p: Promise<unknown>, pattern: RegExp): Promise<SizingError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SizingError);
  expect((e as Error).message).toMatch(pattern);
  expect((e as Error).message).not.toContain('\n');
  return e as SizingError;
}

const tmp = mkdtempSync(join(tmpdir(), 'gguf-reader-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('readGgufHeader: round trip through writeGguf', () => {
  const fx = tinyLlama();

  it('reads back every tensor with its name, dims, type and offset', async () => {
    const h = await readGgufHeader(memoryRange(fx.bytes).read, fx.bytes.length);
    expect(h.version).toBe(3);
    expect(h.alignment).toBe(32);
    expect(h.tensors.map((t) => t.name)).toEqual(fx.tensors.map((t) => t.name));
    expect(h.tensors.map((t) => t.dims)).toEqual(fx.tensors.map((t) => t.dims));
    expect(h.tensors.map((t) => t.type)).toEqual(fx.tensors.map((t) => t.type));
    // ggml ids from enum ggml_type: Q4_K 12, Q6_K 14, IQ4_XS 23, BF16 30.
    const id = (n: string) => h.tensors.find((t) => t.name === n)!.ggmlTypeId;
    expect([id('blk.0.attn_q.weight'), id('token_embd.weight'), id('blk.1.attn_output.weight'), id('blk.0.ffn_up.weight'), id('output.weight')]).toEqual([12, 14, 23, 30, 1]);
    let expected = 0;
    for (const t of h.tensors) {
      expect(t.offset).toBe(expected);
      expected += pad32(tensorDataBytes(t.type, t.dims));
    }
  });

  it('reads typed metadata: numbers, big u64 as bigint, i64, u8, bool, f32, f64, strings, arrays', async () => {
    const h = await readGgufHeader(memoryRange(fx.bytes).read, fx.bytes.length);
    const m = h.metadata;
    expect(m['general.architecture']).toBe('llama');
    expect(m['general.name']).toBe('Tiny Llama');
    expect(m['llama.block_count']).toBe(2);
    expect(h.metadataTypes['llama.block_count']).toBe('u32');
    expect(m['llama.rope.freq_base']).toBe(500000.5);
    expect(m['llama.attention.layer_norm_rms_epsilon']).toBeCloseTo(1e-5, 10);
    expect(m['general.big_unsigned']).toBe(2n ** 60n);
    expect(m['general.negative']).toBe(-5);
    expect(m['general.tiny']).toBe(200);
    expect(m['general.flag']).toBe(true);
    expect(m['general.pi']).toBe(Math.PI);
    const tokens = m['tokenizer.ggml.tokens'] as GgufArray;
    // 512 strings "tok_<base36>": 8 bytes of length each plus the text; summarised, not materialised.
    const textBytes = Array.from({ length: 512 }, (_, i) => `tok_${i.toString(36)}`.length).reduce((a, b) => a + b, 0);
    expect(tokens).toEqual({ kind: 'array', elementType: 'string', length: 512, byteLength: 512 * 8 + textBytes });
    expect(m['tokenizer.ggml.token_type']).toEqual({ kind: 'array', elementType: 'i32', length: 512, byteLength: 2048 });
    expect((m['tokenizer.ggml.merges'] as GgufArray).length).toBe(256);
  });

  it('places the data section so that tensor data = file size - data offset, exactly', async () => {
    const h = await readGgufHeader(memoryRange(fx.bytes).read, fx.bytes.length);
    expect(h.tensorDataOffset % 32).toBe(0);
    expect(h.tensorDataOffset - h.headerBytes).toBeLessThan(32);
    expect(h.tensorDataOffset + h.tensorDataBytesPadded).toBe(fx.bytes.length);
    const unpadded = fx.tensors.reduce((s, t) => s + tensorDataBytes(t.type, t.dims), 0);
    expect(h.tensorDataBytesPadded - unpadded).toBeGreaterThanOrEqual(0);
    expect(h.tensorDataBytesPadded - unpadded).toBeLessThan(32 * fx.tensors.length);
    // Sections add up: 24-byte fixed header + key/values + tensor infos.
    expect(24 + h.metadataBytes + h.tensorInfoBytes).toBe(h.headerBytes);
  });

  it('honours general.alignment and version 2', async () => {
    const bytes = writeGguf({ metadata: { 'general.architecture': 'llama' }, tensors: tinyLlama().tensors, alignment: 64, version: 2 });
    const h = await readGgufHeader(memoryRange(bytes).read, bytes.length);
    expect(h.version).toBe(2);
    expect(h.alignment).toBe(64);
    expect(h.tensorDataOffset % 64).toBe(0);
    expect(h.tensors.every((t) => t.offset % 64 === 0)).toBe(true);
    expect(h.tensorDataOffset + h.tensorDataBytesPadded).toBe(bytes.length);
  });

  it('reads a file with no tensors (no padding before the empty data section)', async () => {
    const bytes = writeGguf({ metadata: { 'general.architecture': 'llama' }, tensors: [] });
    const h = await readGgufHeader(memoryRange(bytes).read, bytes.length);
    expect(h.tensors).toEqual([]);
    expect(h.tensorDataOffset).toBe(bytes.length);
  });

  it('works without a file size (the reader learns the end from a short read)', async () => {
    const h = await readGgufHeader(memoryRange(fx.bytes).read);
    expect(h.tensors.length).toBe(fx.tensors.length);
  });

  it('keeps small arrays (per-layer values) materialised', async () => {
    const bytes = writeGguf({
      metadata: { 'x.head_count_kv': [8, 0, 8], 'x.swa': [true, false, true], 'x.f': [0.5, 1.5] },
      tensors: [],
    });
    const m = (await readGgufHeader(memoryRange(bytes).read, bytes.length)).metadata;
    expect((m['x.head_count_kv'] as GgufArray).values).toEqual([8, 0, 8]);
    expect((m['x.swa'] as GgufArray).values).toEqual([true, false, true]);
    expect((m['x.f'] as GgufArray).values).toEqual([0.5, 1.5]);
  });
});

describe('readGgufHeader: reads little', () => {
  it('parses a 200k-token vocabulary (a ~5 MB header) in a few reads, never reading the tensor data', async () => {
    const fx = tinyLlama();
    const bigData: WriteTensor[] = [...fx.tensors, { name: 'big.weight', dims: [4096, 4096], type: 'F32' }];
    const bytes = writeGguf({ metadata: { ...fx.metadata, ...tokenizerMetadata(200_000) }, tensors: bigData });
    const src = memoryRange(bytes);
    const h = await readGgufHeader(src.read, bytes.length);
    expect((h.metadata['tokenizer.ggml.tokens'] as GgufArray).length).toBe(200_000);
    expect(h.tensors.length).toBe(bigData.length);
    expect(h.tensorDataOffset).toBeGreaterThan(4_000_000);
    // 1 + 2 + 4 MiB covers a 5 MB header: at most 4 reads.
    expect(src.calls.length).toBeLessThanOrEqual(4);
    // The 64 MiB tensor is never read: bytes read stay within the header plus one read's overshoot.
    expect(bytes.length).toBeGreaterThan(70_000_000);
    expect(src.bytesRead()).toBeLessThan(h.tensorDataOffset + 4 * 1024 * 1024);
    expect(src.bytesRead()).toBeLessThan(bytes.length / 5);
  });

  it('skips numeric tokenizer arrays past the window without reading them', async () => {
    const scores = { type: 'array' as const, elementType: 'f32' as const, values: Array.from({ length: 1_000_000 }, () => 0) };
    const bytes = writeGguf({ metadata: { 'tokenizer.ggml.scores': scores, 'general.after': 'still read' }, tensors: [] });
    const src = memoryRange(bytes);
    const h = await readGgufHeader(src.read, bytes.length);
    expect(h.metadata['general.after']).toBe('still read');
    expect((h.metadata['tokenizer.ggml.scores'] as GgufArray).byteLength).toBe(4_000_000);
    // First read 1 MiB; the rest of the 4 MB array is skipped, one more read fetches the key after it.
    expect(src.calls.length).toBe(2);
    expect(src.bytesRead()).toBeLessThan(1024 * 1024 + 100);
  });
});

describe('readGgufHeader: corrupt and truncated files', () => {
  const fx = tinyLlama();
  const read = (bytes: Uint8Array, size: number | undefined = bytes.length) => readGgufHeader(memoryRange(bytes).read, size);
  const patched = (at: number, write: (v: DataView) => void) => {
    const b = fx.bytes.slice();
    write(new DataView(b.buffer, at));
    return b;
  };

  it('rejects a file cut anywhere inside the header, naming the byte where it ends', async () => {
    const h = await read(fx.bytes);
    for (let i = 0; i < 20; i++) {
      const cut = Math.floor((h.headerBytes * i) / 20);
      const e = await expectSizingError(read(fx.bytes.slice(0, cut)), /ends inside the header at byte \d+/);
      expect(e.message).toContain(`at byte ${cut}`);
      // Without the size, the short read tells the same story.
      await expectSizingError(read(fx.bytes.slice(0, cut), undefined), new RegExp(`ends inside the header at byte ${cut}\\b`));
    }
  });

  it('rejects a file cut inside the tensor data when its size is known', async () => {
    const h = await read(fx.bytes);
    const cut = h.tensorDataOffset + 100;
    const last = h.tensors[h.tensors.length - 1]!;
    const end = h.tensorDataOffset + last.offset + tensorDataBytes(last.type, last.dims);
    await expectSizingError(read(fx.bytes.slice(0, cut)), new RegExp(`Truncated GGUF: tensor "${last.name}" ends at byte ${end}, beyond the end of the file \\(${cut} bytes\\)`));
  });

  it('rejects a wrong magic', async () => {
    await expectSizingError(read(patched(0, (v) => v.setUint32(0, 0x46554747, false))), /not a GGUF file: it starts with "FUGG"/);
    await expectSizingError(read(new TextEncoder().encode('{"json": true}')), /not a GGUF file/);
  });

  it('rejects version 1, unknown versions and big-endian files', async () => {
    await expectSizingError(read(patched(4, (v) => v.setUint32(0, 1, true))), /GGUF version 1 is not supported/);
    await expectSizingError(read(patched(4, (v) => v.setUint32(0, 4, true))), /Unsupported GGUF version 4/);
    await expectSizingError(read(patched(4, (v) => v.setUint32(0, 3, false))), /big-endian/);
  });

  it('rejects absurd counts before reading further', async () => {
    await expectSizingError(read(patched(8, (v) => v.setBigUint64(0, 2n ** 40n, true))), /tensor count is 1099511627776, more than any real model has/);
    await expectSizingError(read(patched(16, (v) => v.setBigUint64(0, 2n ** 63n, true))), /metadata key count is 9223372036854775808, more than any real model has/);
    // Plausible in itself, but more than the bytes left can hold (each tensor info takes at least 25 bytes).
    await expectSizingError(read(patched(8, (v) => v.setBigUint64(0, 900_000n, true))), /ends inside the header at byte \d+ \(the tensor count is 900000/);
  });

  it('rejects a string longer than the file', async () => {
    // The first key's length sits right after the 24-byte fixed header.
    await expectSizingError(read(patched(24, (v) => v.setBigUint64(0, 10_000_000n, true))), /ends inside the header at byte \d+ \(metadata key 0 at byte 24 claims 10000000 bytes/);
  });

  it('rejects an unknown value type', async () => {
    const bytes = writeGguf({ metadata: { 'general.architecture': 'llama' }, tensors: [] });
    // key: 8-byte length + "general.architecture" (20 bytes), then the value type.
    const b = bytes.slice();
    new DataView(b.buffer).setUint32(24 + 8 + 20, 13, true);
    await expectSizingError(read(b), /key "general.architecture" has unknown value type 13/);
  });

  it('rejects an unknown ggml tensor type id', async () => {
    const bytes = writeGguf({ metadata: {}, tensors: [{ name: 'w.weight', dims: [32, 2], type: 'F32', rawTypeId: 99 }] });
    await expectSizingError(read(bytes), /tensor "w.weight" has unknown ggml type id 99/);
    // Ids 4 and 5 (the removed Q4_2 / Q4_3) are unknown too.
    const removed = writeGguf({ metadata: {}, tensors: [{ name: 'w.weight', dims: [32, 2], type: 'F32', rawTypeId: 4 }] });
    await expectSizingError(read(removed), /unknown ggml type id 4/);
  });

  it('rejects rows that are not whole blocks, too many dims, and bad offsets', async () => {
    const rows = writeGguf({ metadata: {}, tensors: [{ name: 'w.weight', dims: [100, 2], type: 'F32', rawTypeId: 12 }] });
    await expectSizingError(read(rows), /rows of 100 elements, not a multiple of Q4_K's block of 256/);
    const dims5 = writeGguf({ metadata: {}, tensors: [{ name: 'w.weight', dims: [1, 1, 1, 1, 1], type: 'F32' }] });
    await expectSizingError(read(dims5), /has 5 dimensions \(at most 4\)/);
    // Move the second tensor's offset by 32: gguf.cpp requires the exact padded layout.
    const two = writeGguf({ metadata: {}, tensors: [{ name: 'a', dims: [8], type: 'F32' }, { name: 'b', dims: [8], type: 'F32' }] });
    const b = two.slice();
    const secondOffsetAt = 24 + (8 + 1 + 4 + 8 + 4 + 8) + (8 + 1 + 4 + 8 + 4);
    new DataView(b.buffer).setBigUint64(secondOffsetAt, 64n, true);
    await expectSizingError(read(b, undefined), /tensor "b" has data offset 64, expected 32/);
  });

  it('rejects an alignment that is not a u32 power of two', async () => {
    const bytes = writeGguf({ metadata: { 'general.alignment': { type: 'u32', value: 48 } }, tensors: [] });
    await expectSizingError(read(bytes), /general.alignment 48 is not a power of 2/);
    const typed = writeGguf({ metadata: { 'general.alignment': { type: 'u64', value: 32 } }, tensors: [] });
    await expectSizingError(read(typed), /general.alignment must be a u32/);
  });

  it('rejects duplicate keys and tensor names', async () => {
    const dup = writeGguf({ metadata: {}, tensors: [{ name: 'a', dims: [8], type: 'F32' }, { name: 'a', dims: [8], type: 'F32' }] });
    await expectSizingError(read(dup), /duplicate tensor name "a"/);
  });
});

describe('adapters', () => {
  it('reads through a Blob, as the browser reads a File', async () => {
    const fx = tinyGemma3();
    const blob = new Blob([fx.bytes]);
    const h = await readGgufHeader(readRangeFromBlob(blob), blob.size);
    expect(h.metadata['general.architecture']).toBe('gemma3');
    expect(h.tensors.map((t) => t.name)).toEqual(fx.tensors.map((t) => t.name));
    expect(h.tensorDataOffset + h.tensorDataBytesPadded).toBe(blob.size);
  });

  it('a Blob read past the end returns the bytes that exist', async () => {
    const read = readRangeFromBlob(new Blob([new Uint8Array([1, 2, 3])]));
    expect([...(await read(1, 10))]).toEqual([2, 3]);
    expect((await read(5, 10)).length).toBe(0);
  });

  it('reads a file on disk through positioned reads', async () => {
    const fx = tinyMoe();
    const path = join(tmp, 'moe.gguf');
    writeFileSync(path, fx.bytes);
    const src = await readRangeFromFile(path);
    try {
      expect(src.size).toBe(fx.bytes.length);
      const h = await readGgufHeader(src.read, src.size);
      expect(h.tensors.find((t) => t.name === 'blk.1.ffn_down_exps.weight')?.dims).toEqual([256, 256, 8]);
      expect([...(await src.read(src.size - 2, 10))].length).toBe(2);
    } finally {
      await src.close();
    }
  });
});

describe('cross-check with @huggingface/gguf', () => {
  for (const [name, make] of [['llama', tinyLlama], ['gemma3', tinyGemma3], ['moe', tinyMoe]] as const) {
    it(`parses the ${name} fixture to the same tensor list and data offset`, async () => {
      const fx = make();
      const path = join(tmp, `${name}.gguf`);
      writeFileSync(path, fx.bytes);
      const theirs = await hfGguf(path, { allowLocalFile: true });
      const ours = await readGgufHeader(memoryRange(fx.bytes).read, fx.bytes.length);
      expect(ours.tensors.map((t) => ({ name: t.name, dims: t.dims, type: t.ggmlTypeId, offset: t.offset }))).toEqual(
        theirs.tensorInfos.map((t) => ({ name: t.name, dims: t.shape.map(Number), type: t.dtype, offset: Number(t.offset) })),
      );
      expect(ours.tensorDataOffset).toBe(Number(theirs.tensorDataOffset));
      expect(Number(theirs.metadata.tensor_count)).toBe(ours.tensors.length);
      expect(theirs.metadata['general.architecture']).toBe(ours.metadata['general.architecture']);
    });
  }
});
