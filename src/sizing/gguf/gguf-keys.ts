/**
 * Typed access to GGUF metadata for the shape reader: each getter names the key it failed on, so a bad or missing
 * hyper-parameter reads as "llama.attention.head_count is missing" rather than a NaN three functions later.
 * Keys are llama.cpp's (src/llama-arch.cpp LLM_KV_NAMES: "%s.block_count", "%s.attention.head_count_kv" ...).
 */
import { SizingError } from '../errors.ts';
import type { GgufHeader, GgufScalar, GgufValue } from './gguf-reader.ts';

export class GgufKeys {
  constructor(
    private readonly header: GgufHeader,
    /** general.architecture: prefixes the model's hyper-parameter keys. */
    readonly arch: string,
  ) {}

  /** "<arch>.<suffix>". */
  key(suffix: string): string {
    return `${this.arch}.${suffix}`;
  }

  raw(key: string): GgufValue | undefined {
    return this.header.metadata[key];
  }

  has(key: string): boolean {
    return this.raw(key) !== undefined;
  }

  fail(key: string, problem: string): never {
    throw new SizingError(`GGUF metadata ${key} ${problem}`, key);
  }

  private asInt(key: string, v: GgufScalar): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) this.fail(key, `must be a non-negative integer, got ${String(v)}`);
    return v;
  }

  optionalInt(key: string): number | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (typeof v === 'object') this.fail(key, 'must be a single integer, got an array');
    return this.asInt(key, v);
  }

  int(key: string): number {
    const v = this.optionalInt(key);
    if (v === undefined) this.fail(key, 'is missing');
    return v;
  }

  string(key: string): string {
    const v = this.raw(key);
    if (v === undefined) this.fail(key, 'is missing');
    if (typeof v !== 'string') this.fail(key, 'must be a string');
    return v;
  }

  optionalString(key: string): string | undefined {
    return this.has(key) ? this.string(key) : undefined;
  }

  /** A value llama.cpp reads with get_key_or_arr: one integer for every layer, or one per layer. */
  optionalPerLayerInt(key: string, nLayer: number): number[] | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'object') return Array.from({ length: nLayer }, () => this.asInt(key, v));
    const values = this.arrayValues(key, v);
    if (values.length !== nLayer) this.fail(key, `has ${values.length} entries for ${nLayer} layers`);
    return values.map((x) => this.asInt(key, x));
  }

  perLayerInt(key: string, nLayer: number): number[] {
    const v = this.optionalPerLayerInt(key, nLayer);
    if (v === undefined) this.fail(key, 'is missing');
    return v;
  }

  /** A per-layer array of booleans (e.g. sliding_window_pattern written as one flag per layer). */
  boolArray(key: string, nLayer: number): boolean[] {
    const v = this.raw(key);
    if (v === undefined || typeof v !== 'object') this.fail(key, 'must be an array of booleans');
    const values = this.arrayValues(key, v);
    if (values.length !== nLayer) this.fail(key, `has ${values.length} entries for ${nLayer} layers`);
    return values.map((x) => (typeof x === 'boolean' ? x : this.asInt(key, x) !== 0));
  }

  private arrayValues(key: string, v: Exclude<GgufValue, GgufScalar>): GgufScalar[] {
    if (!v.values) this.fail(key, `is an array of ${v.length} entries, too long to be a per-layer value`);
    return v.values;
  }

  /** Length of an array value (the tokenizer's token list), without its contents. */
  arrayLength(key: string): number | undefined {
    const v = this.raw(key);
    return typeof v === 'object' ? v.length : undefined;
  }
}
