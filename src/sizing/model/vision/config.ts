/**
 * Reading a multimodal config's vision part. Every read goes through ConfigReader (a bad value names its key).
 *
 * The vision reader has no parent: a key missing from vision_config must not fall back to the text model's top-level
 * keys (Qwen2-VL keeps the text hidden_size at the top). Keys a released config leaves out take the transformers
 * class default, and the default is recorded in the part's notes.
 */
import { ConfigReader } from '../config-reader.ts';
import { SizingError } from '../../errors.ts';
import type { HfConfig } from '../../types.ts';

function isObject(v: unknown): v is HfConfig {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A reader over `key` of the config (vision_config, text_config, llm_config) with no fallback to the top level. */
export function subReader(top: ConfigReader, key: string): ConfigReader | undefined {
  const v = top.config[key];
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) top.fail(key, 'must be an object', v);
  return new ConfigReader(v, `${top.prefix}${key}.`);
}

/** The top level alone (no parent), so a nested reader's miss never lands there by accident. */
export function topReader(config: HfConfig): ConfigReader {
  return new ConfigReader(config);
}

/** Reads integer keys with class defaults, noting each default it used. */
export class VisionKeys {
  readonly notes: string[] = [];
  constructor(
    readonly r: ConfigReader,
    private readonly className: string,
  ) {}

  /** The first of `keys` present, else the class default (noted), else an error naming the first key. */
  int(keys: string | string[], fallback?: number, min = 1): number {
    const names = typeof keys === 'string' ? [keys] : keys;
    for (const k of names) if (this.r.has(k)) return this.r.int(k, { min });
    if (fallback === undefined) {
      throw new SizingError(`config.json: ${this.r.path(names[0]!)} is required and missing`, this.r.path(names[0]!));
    }
    this.notes.push(`${this.r.path(names[0]!)} not given: used ${this.className}'s default ${fallback}.`);
    return fallback;
  }

  bool(key: string, fallback: boolean): boolean {
    if (!this.r.has(key)) {
      this.notes.push(`${this.r.path(key)} not given: used ${this.className}'s default ${String(fallback)}.`);
      return fallback;
    }
    return this.r.bool(key, fallback);
  }

  /** A size given as a number or as a [height, width] pair (InternVL-hf writes image_size: [448, 448]). */
  square(key: string, fallback?: number): number {
    const v = this.r.raw(key);
    if (Array.isArray(v)) {
      const [a, b] = v;
      if (typeof a !== 'number' || a !== b || !Number.isInteger(a) || a < 1) this.r.fail(key, 'must be a positive integer or a square [n, n] pair', v);
      return a;
    }
    return this.int(key, fallback);
  }

  optionalString(key: string): string | undefined {
    return this.r.optionalString(key);
  }
}

/**
 * The text model's hidden size, which the projector maps into: text_config.hidden_size, llm_config.hidden_size
 * (InternVL's remote-code configs) or the top level (Qwen2-VL / Qwen2.5-VL keep the text keys there).
 */
export function textHiddenOf(top: ConfigReader): number | undefined {
  for (const key of ['text_config', 'llm_config']) {
    const r = subReader(top, key);
    if (r?.has('hidden_size')) return r.int('hidden_size');
  }
  return top.has('hidden_size') ? top.int('hidden_size') : undefined;
}

/** vision_feature_layer as a list of layer indices (LLaVA accepts an int or a list). */
export function featureLayers(top: ConfigReader, fallback: number): number[] {
  const v = top.raw('vision_feature_layer');
  if (v === undefined) return [fallback];
  if (typeof v === 'number' && Number.isInteger(v)) return [v];
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isInteger(x))) return v as number[];
  return top.fail('vision_feature_layer', 'must be an integer or a list of integers', v);
}

/** A list of [a, b] integer pairs (image_grid_pinpoints). */
export function pairList(r: ConfigReader, key: string): [number, number][] | undefined {
  const v = r.raw(key);
  if (v === undefined) return undefined;
  const ok = Array.isArray(v) && v.length > 0 && v.every((p) => Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === 'number' && Number.isInteger(x) && x > 0));
  if (!ok) r.fail(key, 'must be a list of [height, width] pairs of positive integers', v);
  return v as [number, number][];
}
