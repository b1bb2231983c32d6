/**
 * Validated reads from a Hugging Face config.json.
 *
 * A config is untrusted JSON: every value the engine uses goes through here, so a bad value fails with a
 * SizingError that names the key ("text_config.num_key_value_heads") instead of a NaN three modules later.
 * Multimodal configs nest the text model under `text_config`; a reader can look there first and fall back
 * to the top level (Gemma 3 keeps `tie_word_embeddings` at the top, the layer sizes inside).
 */
import { SizingError } from '../errors.ts';
import type { HfConfig } from '../types.ts';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v);
}

/** Largest value any config dimension may take (see ConfigReader.int). */
export const MAX_DIMENSION = 2 ** 24;

/**
 * Ceilings per key, far above every released model yet low enough that the engine's work stays bounded (it walks
 * layers and tensors: a config claiming 16 million layers must be refused, not sized for a minute). The largest real
 * values: 126 layers (Llama 3.1 405B), hidden 25,600 (Qwen3.5-397B is 4,096; Grok-1 6,144), vocabulary 262,400
 * (Gemma 3n), 512 experts (Qwen3.5), 128 query heads (DeepSeek-V3), context 10M (Llama 4 Scout).
 */
const KEY_LIMITS: Readonly<Record<string, [number, string]>> = {
  num_hidden_layers: [1024, 'no released model has more than a few hundred layers'],
  n_layer: [1024, 'no released model has more than a few hundred layers'],
  num_layers: [1024, 'no released model has more than a few hundred layers'],
  hidden_size: [131072, 'the widest released models are about 25,000 wide'],
  intermediate_size: [1 << 20, 'far above any released model'],
  moe_intermediate_size: [1 << 20, 'far above any released model'],
  vocab_size: [1 << 22, 'the largest vocabularies have about 260,000 tokens'],
  num_attention_heads: [4096, 'far above any released model (128 at most)'],
  num_key_value_heads: [4096, 'far above any released model'],
  head_dim: [8192, 'far above any released model (512 at most)'],
  num_local_experts: [16384, 'the most experts in a released model is 512'],
  num_experts: [16384, 'the most experts in a released model is 512'],
  n_routed_experts: [16384, 'the most experts in a released model is 512'],
  max_position_embeddings: [1 << 30, 'far above any trained context'],
};

export class ConfigReader {
  /**
   * @param config the object to read (the whole config, or its text_config)
   * @param prefix how keys of `config` are named in messages: '' or 'text_config.'
   * @param parent an outer config to fall back on for keys the nested one lacks
   */
  constructor(
    readonly config: HfConfig,
    readonly prefix = '',
    readonly parent?: ConfigReader,
  ) {}

  /** The nested reader for a sub-object such as `text_config`, or undefined when absent. */
  nested(key: string): ConfigReader | undefined {
    const v = this.config[key];
    if (v === undefined || v === null) return undefined;
    if (!isPlainObject(v)) this.fail(key, 'must be an object', v);
    return new ConfigReader(v, `${this.prefix}${key}.`, this);
  }

  /** Key as it appears in messages. */
  path(key: string): string {
    return `${this.prefix}${key}`;
  }

  /** A key is present when it holds anything but null (HF writes `"head_dim": null` for "not set"). */
  has(key: string): boolean {
    return this.lookup(key) !== undefined;
  }

  raw(key: string): unknown {
    return this.lookup(key)?.value;
  }

  /** The error for a bad value of `key`, named where the key was found (text_config or top level). */
  error(key: string, what: string, got: unknown): SizingError {
    const where = this.lookup(key)?.reader ?? this;
    return new SizingError(`config.json: ${where.path(key)} ${what}, got ${show(got)}`, where.path(key));
  }

  fail(key: string, what: string, got: unknown): never {
    throw this.error(key, what, got);
  }

  /**
   * A positive integer (or >= `min`), at most `max`. Missing: `fallback` if given, else an error.
   * The default ceiling, 2^24 (16.7 million), is far above any real dimension (the largest vocabularies are
   * ~260k, the widest layers ~50k) and keeps every product of three dimensions an exact integer in a double.
   */
  int(key: string, opts: { min?: number; max?: number; fallback?: number } = {}): number {
    const min = opts.min ?? 1;
    const limit = KEY_LIMITS[key];
    const max = Math.min(opts.max ?? MAX_DIMENSION, limit?.[0] ?? Infinity);
    const found = this.lookup(key);
    if (found === undefined) {
      if (opts.fallback !== undefined) return opts.fallback;
      throw new SizingError(`config.json: ${this.path(key)} is required and missing`, this.path(key));
    }
    const v = found.value;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      const what = min === 1 ? 'a positive integer' : min === 0 ? 'a non-negative integer' : `an integer >= ${min}`;
      throw found.reader.error(key, `must be ${what}`, v);
    }
    if (v > max) {
      const why = limit && limit[0] === max ? ` (${limit[1]})` : '';
      throw found.reader.error(key, `must be at most ${max.toLocaleString('en-US')}${why}`, v);
    }
    return v;
  }

  optionalInt(key: string, min = 1): number | undefined {
    return this.has(key) ? this.int(key, { min }) : undefined;
  }

  num(key: string, fallback?: number): number {
    const found = this.lookup(key);
    if (found === undefined) {
      if (fallback !== undefined) return fallback;
      throw new SizingError(`config.json: ${this.path(key)} is required and missing`, this.path(key));
    }
    if (typeof found.value !== 'number' || !Number.isFinite(found.value)) throw found.reader.error(key, 'must be a number', found.value);
    return found.value;
  }

  bool(key: string, fallback: boolean): boolean {
    const found = this.lookup(key);
    if (found === undefined) return fallback;
    if (typeof found.value !== 'boolean') throw found.reader.error(key, 'must be true or false', found.value);
    return found.value;
  }

  optionalString(key: string): string | undefined {
    const found = this.lookup(key);
    if (found === undefined) return undefined;
    if (typeof found.value !== 'string') throw found.reader.error(key, 'must be a string', found.value);
    return found.value;
  }

  /** An array of strings of an exact length (layer_types). */
  stringList(key: string, length?: number): string[] | undefined {
    const found = this.lookup(key);
    if (found === undefined) return undefined;
    const v = found.value;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw found.reader.error(key, 'must be a list of strings', v);
    if (length !== undefined && v.length !== length) throw found.reader.error(key, `must have ${length} entries (one per layer)`, v.length);
    return v as string[];
  }

  /** An array of non-negative integers (mlp_only_layers). */
  intList(key: string): number[] | undefined {
    const found = this.lookup(key);
    if (found === undefined) return undefined;
    const v = found.value;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0)) {
      throw found.reader.error(key, 'must be a list of non-negative integers', v);
    }
    return v as number[];
  }

  private lookup(key: string): { value: unknown; reader: ConfigReader } | undefined {
    const v = this.config[key];
    if (v !== undefined && v !== null) return { value: v, reader: this };
    return this.parent?.lookup(key);
  }
}
