/**
 * A config.json the reader pastes, or carries in a link: parsed, validated by the engine, and packed into a
 * compact URL form holding only the keys sizing reads. Pure and synchronous; never throws on any input.
 */
import { modelShapeFromConfig } from '../sizing/model/model-shape';
import { SizingError } from '../sizing/errors';
import type { HfConfig, ModelShape } from '../sizing/types';
import { compactQuantizationConfig } from './hf-quantization';

export type ConfigResult =
  | { ok: true; config: HfConfig; shape: ModelShape }
  | { ok: false; message: string; field?: string; line?: number; column?: number };

/** Real config.json files are a few KB; DeepSeek's is under 2 KB. Anything far larger is not one. */
const MAX_CONFIG_CHARS = 1_000_000;

/** 1-based line and column of a character offset. */
function lineColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(position, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1] ?? '').length + 1 };
}

/**
 * Where JSON.parse stopped. V8 says "... in JSON at position 42 (line 3 column 5)" (newer) or "... at position 42"
 * (older); "Unexpected end of JSON input" means the text stopped early.
 */
function syntaxErrorAt(text: string, message: string): { line: number; column: number } | undefined {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(message);
  if (pos) return lineColumn(text, Number(pos[1]));
  if (/end of (?:JSON )?input|unterminated/i.test(message)) return lineColumn(text, text.length);
  return undefined;
}

/** A config object through the engine: the shape, or the SizingError's message naming the field at fault. */
export function validateConfig(value: unknown): ConfigResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    return { ok: false, message: `config.json must be a JSON object ({ … }), got ${got}.` };
  }
  try {
    return { ok: true, config: value as HfConfig, shape: modelShapeFromConfig(value as HfConfig) };
  } catch (e) {
    if (e instanceof SizingError) return { ok: false, message: e.message, ...(e.field ? { field: e.field } : {}) };
    // The engine throws only SizingError for bad input; anything else is a bug, reported rather than crashing the page.
    return { ok: false, message: `This config could not be read: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Text pasted into the config.json box -> a validated config, or a message with the line and column at fault. */
export function parseConfigText(text: string): ConfigResult {
  const src = typeof text === 'string' ? text : '';
  if (src.trim() === '') return { ok: false, message: 'Paste the contents of a config.json file.' };
  if (src.length > MAX_CONFIG_CHARS) return { ok: false, message: `That is ${src.length.toLocaleString('en-US')} characters; a config.json is a few thousand. Paste config.json itself.` };
  let value: unknown;
  try {
    value = JSON.parse(src);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = syntaxErrorAt(src, message);
    // Drop V8's own position suffix: the line and column are given once, in words.
    const reason = message.replace(/\s*(?:in JSON )?at position \d+(?: \(line \d+ column \d+\))?/, '').replace(/^JSON\.parse: /, '').replace(/, ".*" is not valid JSON$/s, '');
    return at ? { ok: false, message: `Not valid JSON at line ${at.line}, column ${at.column}: ${reason}.`, ...at } : { ok: false, message: `Not valid JSON: ${reason}.` };
  }
  return validateConfig(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Compact URL form

/**
 * Keys no sizing rule reads and that only lengthen a link: provenance, tokenizer ids, training and generation
 * settings, label maps. Everything else that is a number, a boolean, a short string or a list of them is kept, so
 * a key a new architecture family starts reading travels in the link without being listed here;
 * test/unit/config-input.test.ts checks that every fixture and catalog config gives the same shape after a round
 * trip through the URL.
 */
const DROPPED_KEYS = new Set([
  '_source', '_name_or_path', 'transformers_version', 'auto_map', 'id2label', 'label2id', 'task_specific_params',
  'chat_template', 'architectures_note', 'tokenizer_class', 'problem_type', 'finetuning_task', 'prefix',
  'initializer_range', 'use_cache', 'return_dict', 'torchscript', 'output_attentions', 'output_hidden_states',
  'rope_theta', 'rope_local_base_freq', 'bad_words_ids', 'begin_suppress_tokens', 'suppress_tokens',
  'num_beams', 'num_beam_groups', 'do_sample', 'top_p', 'top_k', 'temperature', 'typical_p', 'repetition_penalty',
  'length_penalty', 'no_repeat_ngram_size', 'encoder_no_repeat_ngram_size', 'max_length', 'min_length',
  'early_stopping', 'diversity_penalty', 'num_return_sequences', 'forced_bos_token_id', 'forced_eos_token_id',
  'remove_invalid_values', 'exponential_decay_length_penalty', 'chunk_size_feed_forward', 'cross_attention_hidden_size',
  'tf_legacy_loss', 'use_bfloat16', 'pruned_heads', 'is_encoder_decoder', 'add_cross_attention', 'tie_encoder_decoder',
  'output_scores', 'return_dict_in_generate', 'sep_token_id', 'decoder_start_token_id',
]);
/** Pattern-named keys of the same kind: token ids, dropout rates, norm epsilons, initialisation spreads. */
const DROPPED_PATTERN = /(?:_token_ids?$|^(?:im|text|video|image|mask|pad|org)_\w*id$|dropout|_eps$|epsilon|_std$|^init_|_init$|initializer)/;
/** rope_scaling / rope_parameters: only the kind is read (longrope changes Phi-3's and MiniCPM's tensors). */
const ROPE_KEYS = new Set(['rope_type', 'type']);
/** Longest string and list kept: hybrid_override_pattern strings and per-layer lists stay well under these. */
const MAX_STRING = 512;
const MAX_LIST = 1024;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): boolean => typeof v === 'number' || typeof v === 'boolean' || v === null || (typeof v === 'string' && v.length <= MAX_STRING);

function compactRope(source: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(source)) {
    if (ROPE_KEYS.has(k) && typeof v === 'string') out[k] = v;
    // transformers v5 nests rope_parameters per layer kind ({ full_attention: { rope_type }, ... }).
    else if (isObj(v)) {
      const inner = compactRope(v);
      if (Object.keys(inner).length > 0) out[k] = inner;
    }
  }
  return out;
}

function compactLevel(source: Obj, depth = 0): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(source)) {
    if (DROPPED_KEYS.has(k) || DROPPED_PATTERN.test(k)) continue;
    if (k === 'quantization_config' || k === 'compression_config') {
      const q = compactQuantizationConfig(v);
      if (q) out[k] = q;
    } else if (k === 'rope_scaling' || k === 'rope_parameters') {
      if (isObj(v)) out[k] = compactRope(v);
    } else if (isScalar(v)) {
      out[k] = v;
    } else if (Array.isArray(v)) {
      if (v.length <= MAX_LIST && v.every((x) => isScalar(x) || (Array.isArray(x) && x.every(isScalar)))) out[k] = v;
    } else if (isObj(v) && depth < 3) {
      // text_config, vision_config, audio_config, ssm_cfg ...: the same rules one level down.
      out[k] = compactLevel(v, depth + 1);
    }
  }
  return out;
}

/** The config without what sizing never reads (and with what quantization detection reads). */
export function compactConfig(config: HfConfig): HfConfig {
  return compactLevel(config);
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return null;
  try {
    const binary = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/**
 * In the URL, `layer_types` travels as one letter per layer ("sssssf..."): Gemma 4 31B's 60-entry list would
 * otherwise take most of the 2 KB a link may use. Only lists made entirely of these kinds are shortened.
 */
const LAYER_TYPE_LETTERS: Readonly<Record<string, string>> = {
  sliding_attention: 's',
  full_attention: 'f',
  chunked_attention: 'c',
  linear_attention: 'l',
};
const LETTER_LAYER_TYPES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(LAYER_TYPE_LETTERS).map(([k, v]) => [v, k]));

/** A list of runs: {"~": [[value, count], ...]}; Hunyuan's 32-entry per-layer lists become one pair each. */
const RUNS_KEY = '~';

function toRuns(list: readonly unknown[]): [unknown, number][] {
  const runs: [unknown, number][] = [];
  for (const v of list) {
    const last = runs[runs.length - 1];
    if (last && JSON.stringify(last[0]) === JSON.stringify(v)) last[1] += 1;
    else runs.push([v, 1]);
  }
  return runs;
}

function packValue(key: string, v: unknown): unknown {
  if (isObj(v)) return packLevel(v);
  if (!Array.isArray(v)) return v;
  if (key === 'layer_types') {
    const letters = shortenLayerTypes(v);
    if (typeof letters === 'string') return letters;
  }
  const runs = toRuns(v);
  return v.length >= 8 && JSON.stringify({ [RUNS_KEY]: runs }).length < JSON.stringify(v).length ? { [RUNS_KEY]: runs } : v;
}

function packLevel(level: Obj): Obj {
  return Object.fromEntries(Object.entries(level).map(([k, v]) => [k, packValue(k, v)]));
}

/** The runs back to a list, or undefined when the object is not a well-formed, modestly long list of runs. */
function fromRuns(v: Obj): unknown[] | undefined {
  const runs = v[RUNS_KEY];
  if (Object.keys(v).length !== 1 || !Array.isArray(runs)) return undefined;
  const out: unknown[] = [];
  for (const run of runs) {
    if (!Array.isArray(run) || run.length !== 2 || !Number.isInteger(run[1]) || run[1] < 1 || out.length + run[1] > MAX_LIST) return undefined;
    for (let i = 0; i < run[1]; i++) out.push(run[0]);
  }
  return out;
}

function unpackValue(key: string, v: unknown): unknown {
  if (key === 'layer_types' && typeof v === 'string') return expandLayerTypes(v);
  if (!isObj(v)) return v;
  return fromRuns(v) ?? unpackLevel(v);
}

function unpackLevel(level: Obj): Obj {
  return Object.fromEntries(Object.entries(level).map(([k, v]) => [k, unpackValue(k, v)]));
}

const shortenLayerTypes = (v: unknown): unknown =>
  Array.isArray(v) && v.length > 0 && v.every((t) => typeof t === 'string' && t in LAYER_TYPE_LETTERS) ? v.map((t: string) => LAYER_TYPE_LETTERS[t]).join('') : v;

const expandLayerTypes = (v: unknown): unknown =>
  typeof v === 'string' && /^[sfcl]+$/.test(v) ? [...v].map((c) => LETTER_LAYER_TYPES[c]) : v;

/**
 * A config for the `config=` query parameter: base64url of the minified JSON of compactConfig(config), with
 * layer_types as letters and long repetitive lists as runs. Plain base64 rather than deflate keeps it synchronous and dependency-free; a compact
 * config is 300-900 bytes.
 */
export function encodeConfigForUrl(config: HfConfig): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify(packLevel(compactConfig(config)))));
}

/** Longest `config=` value accepted: a compact config is well under 2 KB; a link far longer is not one of ours. */
export const MAX_URL_CONFIG_CHARS = 8000;

/** The `config=` parameter back to a validated config; garbage gives a message, never an exception. */
export function decodeConfigFromUrl(s: string): ConfigResult {
  const text = typeof s === 'string' ? s.trim() : '';
  const broken = 'The config in this link is damaged (it may have been cut short when copied); paste the config.json again.';
  if (text === '' || text.length > MAX_URL_CONFIG_CHARS) return { ok: false, message: broken };
  const bytes = fromBase64Url(text);
  if (!bytes) return { ok: false, message: broken };
  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, message: broken };
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, message: broken };
  }
  return validateConfig(isObj(value) ? unpackLevel(value) : value);
}
