/**
 * Reads the header of a GGUF file (metadata and tensor infos), exactly, through ranged reads.
 *
 * Format (GGUF v2/v3, little endian), as ggml/src/gguf.cpp gguf_init_from_reader() parses it and
 * ggml-org/ggml docs/gguf.md specifies it (cross-checked with gguf-py/gguf/gguf_reader.py):
 *   magic "GGUF" | version u32 | tensor_count u64 | metadata_kv_count u64
 *   kv:     key (string) | value_type u32 | value        string = u64 byte length + UTF-8 bytes
 *           array value = element_type u32 | count u64 | elements (no nested arrays in gguf.cpp)
 *   tensor: name (string) | n_dims u32 | ne u64 x n_dims | ggml_type u32 | offset u64 (from the data section)
 *   padding to general.alignment (u32, default 32), then the tensor data; tensor i sits at
 *   offset_i = sum over j < i of GGML_PAD(nbytes_j, alignment) (gguf.cpp rejects any other layout).
 * v1 (u32 counts and lengths) is rejected, as llama.cpp rejects it; v2 and v3 share one layout (v3 allows
 * big-endian files, which we do not read).
 */
import { SizingError } from '../errors.ts';
import { allGgmlTypes, rowBytes, type GgmlType } from '../formats/ggml-types.ts';
import { GgufCursor, type ReadRange } from './gguf-cursor.ts';

export type { ReadRange } from './gguf-cursor.ts';

/** enum gguf_type (ggml/include/gguf.h), in id order. */
export const GGUF_VALUE_TYPES = ['u8', 'i8', 'u16', 'i16', 'u32', 'i32', 'f32', 'bool', 'string', 'array', 'u64', 'i64', 'f64'] as const;
export type GgufValueType = (typeof GGUF_VALUE_TYPES)[number];
export type GgufScalarType = Exclude<GgufValueType, 'array'>;

/** u64/i64 become numbers when safe, else stay bigints. */
export type GgufScalar = number | bigint | string | boolean;

/**
 * An array value. Small arrays (per-layer hyper-parameters) carry their `values`; tokenizer arrays and anything
 * longer than MAX_MATERIALISED_ARRAY are summarised: element type, length and byte size only.
 */
export interface GgufArray {
  kind: 'array';
  elementType: GgufScalarType;
  length: number;
  /** Bytes of the elements in the file (after the element type and count). */
  byteLength: number;
  values?: GgufScalar[];
}

export type GgufValue = GgufScalar | GgufArray;

export interface GgufTensorHeader {
  name: string;
  /** ggml order: dims[0] = ne0 = row length. As many as the file stores (n_dims). */
  dims: number[];
  ggmlTypeId: number;
  /** Upper-case ggml type name ("Q4_K"). */
  type: string;
  /** Offset of the tensor's data from the start of the data section. */
  offset: number;
}

export interface GgufHeader {
  version: 2 | 3;
  alignment: number;
  metadata: Record<string, GgufValue>;
  /** The GGUF value type of each key (metadata[key] says what; this says how it was stored). */
  metadataTypes: Record<string, GgufValueType>;
  tensors: GgufTensorHeader[];
  /** Absolute file offset of the tensor data section (aligned). */
  tensorDataOffset: number;
  /** Bytes from the start of the file to the end of the tensor infos (before the alignment padding). */
  headerBytes: number;
  /** Bytes of the key/value section alone. */
  metadataBytes: number;
  /** Bytes of the tensor-info section alone. */
  tensorInfoBytes: number;
  /** Bytes of the data section: every tensor padded to the alignment (the last one too, as writers do). */
  tensorDataBytesPadded: number;
}

/** Arrays longer than this are summarised, never materialised. */
export const MAX_MATERIALISED_ARRAY = 4096;
/** Tokenizer arrays are summarised whatever their length: the engine needs only their size. */
const SUMMARISED_KEY_PREFIX = 'tokenizer.ggml.';
/** gguf.cpp: GGUF_MAX_ARRAY_ELEMENTS (1 Gi elements). */
const MAX_ARRAY_ELEMENTS = 1024 * 1024 * 1024;
/** ggml.h GGML_MAX_DIMS and GGML_MAX_NAME (names must be shorter: gguf.cpp checks length >= GGML_MAX_NAME). */
const MAX_DIMS = 4;
const MAX_NAME = 64;
/** Tensor and key counts above this are corruption (the largest real files have ~10^4 tensors). */
const MAX_COUNT = 1_000_000;
/** Smallest possible kv (empty key is invalid: 8 + 1 + 4 + 1) and tensor info (8 + 1 + 4 + 4 + 8). */
const MIN_KV_BYTES = 14;
const MIN_TENSOR_INFO_BYTES = 25;

const SCALAR_BYTES: Readonly<Record<Exclude<GgufScalarType, 'string'>, number>> = {
  u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, f32: 4, bool: 1, u64: 8, i64: 8, f64: 8,
};

const TYPES_BY_ID: ReadonlyMap<number, GgmlType> = new Map(
  allGgmlTypes()
    .filter((t): t is GgmlType & { ggmlId: number } => t.ggmlId !== null)
    .map((t) => [t.ggmlId, t]),
);

function corrupt(message: string): never {
  throw new SizingError(`Corrupt GGUF: ${message}`, 'file');
}

/** A u64/i64 as a number when it is exactly representable, else the bigint. */
function narrow(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function valueType(id: number, key: string): GgufValueType {
  const t = GGUF_VALUE_TYPES[id];
  if (t === undefined) corrupt(`key "${key}" has unknown value type ${id}`);
  return t;
}

async function readScalar(c: GgufCursor, type: GgufScalarType, what: string): Promise<GgufScalar> {
  switch (type) {
    case 'u8': return c.u8(what);
    case 'i8': return c.i8(what);
    case 'u16': return c.u16(what);
    case 'i16': return c.i16(what);
    case 'u32': return c.u32(what);
    case 'i32': return c.i32(what);
    case 'f32': return c.f32(what);
    case 'f64': return c.f64(what);
    case 'bool':
      return (await c.u8(what)) !== 0; // gguf.cpp: any non-zero byte is true
    case 'string': return c.string(what);
    case 'u64': return narrow(await c.u64(what));
    case 'i64': return narrow(await c.i64(what));
  }
}

async function readArray(c: GgufCursor, key: string): Promise<GgufArray> {
  const elemId = await c.u32(`the element type of "${key}"`);
  const elementType = valueType(elemId, key);
  if (elementType === 'array') corrupt(`key "${key}" is an array of arrays, which llama.cpp does not read`);
  const count = await c.u64(`the length of "${key}"`);
  if (count > BigInt(MAX_ARRAY_ELEMENTS)) corrupt(`array "${key}" claims ${count} elements, more than any real header has`);
  const minElemBytes = elementType === 'string' ? 8 : SCALAR_BYTES[elementType];
  c.claim(count * BigInt(minElemBytes), `array "${key}" claims ${count} elements`);
  const length = Number(count);
  const start = c.offset;
  const materialise = length <= MAX_MATERIALISED_ARRAY && !key.startsWith(SUMMARISED_KEY_PREFIX);
  if (materialise) {
    const values: GgufScalar[] = [];
    for (let i = 0; i < length; i++) values.push(await readScalar(c, elementType, `"${key}"[${i}]`));
    return { kind: 'array', elementType, length, byteLength: c.offset - start, values };
  }
  if (elementType === 'string') {
    await c.skipStrings(length, `"${key}"`);
  } else {
    await c.skip(length * SCALAR_BYTES[elementType], `"${key}"`);
  }
  return { kind: 'array', elementType, length, byteLength: c.offset - start };
}

async function readCount(c: GgufCursor, what: string, minBytesEach: number): Promise<number> {
  const n = await c.u64(what);
  if (n > BigInt(MAX_COUNT)) corrupt(`${what} is ${n}, more than any real model has`);
  c.claim(n * BigInt(minBytesEach), `${what} is ${n}`);
  return Number(n);
}

async function readVersion(c: GgufCursor): Promise<2 | 3> {
  const magic = await c.bytes(4, 'the magic number');
  if (String.fromCharCode(...magic) !== 'GGUF') {
    const shown = [...magic].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '?')).join('');
    throw new SizingError(`This is not a GGUF file: it starts with "${shown}", not "GGUF"`, 'file');
  }
  const version = await c.u32('the version');
  // gguf.cpp: a v3 file written big-endian reads as 0x03000000 here.
  if (version !== 0 && (version & 0xffff) === 0) throw new SizingError('This GGUF file is big-endian; only little-endian files can be read', 'file');
  if (version === 1) throw new SizingError('GGUF version 1 is not supported (llama.cpp dropped it in 2023); convert the model again', 'file');
  if (version !== 2 && version !== 3) throw new SizingError(`Unsupported GGUF version ${version} (supported: 2 and 3)`, 'file');
  return version;
}

async function readTensorInfo(c: GgufCursor, index: number): Promise<GgufTensorHeader> {
  const name = await c.string(`the name of tensor ${index}`);
  if (name.length === 0 || new TextEncoder().encode(name).length >= MAX_NAME) {
    corrupt(`tensor ${index} has a name of ${name.length} characters (must be 1 to ${MAX_NAME - 1} bytes)`);
  }
  const nDims = await c.u32(`the dimension count of "${name}"`);
  if (nDims > MAX_DIMS) corrupt(`tensor "${name}" has ${nDims} dimensions (at most ${MAX_DIMS})`);
  const dims: number[] = [];
  for (let j = 0; j < nDims; j++) {
    const ne = await c.u64(`dimension ${j} of "${name}"`);
    if (ne > BigInt(Number.MAX_SAFE_INTEGER)) corrupt(`tensor "${name}" dimension ${j} is ${ne}`);
    dims.push(Number(ne));
  }
  const elements = dims.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(elements)) corrupt(`tensor "${name}" has ${dims.join(' x ')} elements, too many to be real`);
  const ggmlTypeId = await c.u32(`the type of "${name}"`);
  const t = TYPES_BY_ID.get(ggmlTypeId);
  if (!t) corrupt(`tensor "${name}" has unknown ggml type id ${ggmlTypeId}`);
  const ne0 = dims[0] ?? 1;
  if (ne0 % t.blockSize !== 0) corrupt(`tensor "${name}" has rows of ${ne0} elements, not a multiple of ${t.name}'s block of ${t.blockSize}`);
  const offset = await c.u64(`the data offset of "${name}"`);
  if (offset > BigInt(Number.MAX_SAFE_INTEGER)) corrupt(`tensor "${name}" has data offset ${offset}`);
  return { name, dims, ggmlTypeId, type: t.name, offset: Number(offset) };
}

/** ggml_nbytes of a tensor as stored: rows x row size. */
export function ggufTensorBytes(t: GgufTensorHeader): number {
  const [ne0 = 1, ...rest] = t.dims;
  return rowBytes(t.type, ne0) * rest.reduce((a, b) => a * b, 1);
}

function padTo(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

function readAlignment(metadata: Record<string, GgufValue>, types: Record<string, GgufValueType>): number {
  const v = metadata['general.alignment'];
  if (v === undefined) return 32; // GGUF_DEFAULT_ALIGNMENT
  if (types['general.alignment'] !== 'u32' || typeof v !== 'number') corrupt(`general.alignment must be a u32, got a ${types['general.alignment']}`);
  if (v === 0 || (v & (v - 1)) !== 0) corrupt(`general.alignment ${v} is not a power of 2`);
  return v;
}

/**
 * Tensor i must start where the previous one ended, padded to the alignment (gguf.cpp: "tensor '%s' has offset
 * %zu, expected %zu"); the data section must lie within the file when its size is known.
 */
function checkDataLayout(tensors: readonly GgufTensorHeader[], alignment: number, dataOffset: number, fileSize: number | undefined): number {
  let expected = 0;
  for (const t of tensors) {
    if (t.offset !== expected) corrupt(`tensor "${t.name}" has data offset ${t.offset}, expected ${expected}`);
    expected += padTo(ggufTensorBytes(t), alignment);
  }
  const last = tensors[tensors.length - 1];
  if (fileSize !== undefined && last) {
    const end = dataOffset + last.offset + ggufTensorBytes(last);
    if (end > fileSize) {
      throw new SizingError(`Truncated GGUF: tensor "${last.name}" ends at byte ${end}, beyond the end of the file (${fileSize} bytes)`, 'file');
    }
  }
  return expected;
}

/**
 * Parse a GGUF header through `read`. Pass `fileSize` when known (a Blob's size, a stat): lengths and counts are
 * then checked against it, and tensor data must fit inside the file. Throws SizingError with a one-line message.
 */
export async function readGgufHeader(read: ReadRange, fileSize?: number): Promise<GgufHeader> {
  const c = new GgufCursor(read, fileSize);
  const version = await readVersion(c);
  const tensorCount = await readCount(c, 'the tensor count', MIN_TENSOR_INFO_BYTES);
  const kvCount = await readCount(c, 'the metadata key count', MIN_KV_BYTES);

  const kvStart = c.offset;
  const metadata: Record<string, GgufValue> = {};
  const metadataTypes: Record<string, GgufValueType> = {};
  for (let i = 0; i < kvCount; i++) {
    const key = await c.string(`metadata key ${i}`);
    if (key.length === 0) corrupt(`metadata key ${i} is empty`);
    if (Object.hasOwn(metadata, key)) corrupt(`duplicate metadata key "${key}"`);
    const type = valueType(await c.u32(`the value type of "${key}"`), key);
    metadata[key] = type === 'array' ? await readArray(c, key) : await readScalar(c, type, `the value of "${key}"`);
    metadataTypes[key] = type;
  }
  const metadataBytes = c.offset - kvStart;
  const alignment = readAlignment(metadata, metadataTypes);

  const infoStart = c.offset;
  const tensors: GgufTensorHeader[] = [];
  const names = new Set<string>();
  for (let i = 0; i < tensorCount; i++) {
    const t = await readTensorInfo(c, i);
    if (names.has(t.name)) corrupt(`duplicate tensor name "${t.name}"`);
    names.add(t.name);
    tensors.push(t);
  }
  const headerBytes = c.offset;
  // gguf.cpp pads to the alignment only when there are tensors.
  const tensorDataOffset = tensorCount > 0 ? padTo(headerBytes, alignment) : headerBytes;
  const knownSize = c.knownFileSize;
  if (tensorCount > 0 && knownSize !== undefined && tensorDataOffset > knownSize) {
    throw new SizingError(`Truncated GGUF: the file ends inside the header at byte ${knownSize} (padding before the tensor data)`, 'file');
  }
  const tensorDataBytesPadded = checkDataLayout(tensors, alignment, tensorDataOffset, c.knownFileSize);
  return {
    version,
    alignment,
    metadata,
    metadataTypes,
    tensors,
    tensorDataOffset,
    headerBytes,
    metadataBytes,
    tensorInfoBytes: headerBytes - infoStart,
    tensorDataBytesPadded,
  };
}
