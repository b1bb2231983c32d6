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
 * The config keys sizing reads (src/sizing/model/model-shape.ts, architectures.ts, shape-parts.ts, vision-tower.ts via
 * ConfigReader), kept at the top level and inside text_config. test/unit/config-input.test.ts checks that every
 * fixture config and catalog config gives the same shape after a round trip through the URL, so a key the
 * engine starts reading must be added here.
 */
export const URL_CONFIG_KEYS = [
  'architectures', 'model_type', 'torch_dtype', 'dtype',
  'vocab_size', 'hidden_size', 'intermediate_size', 'intermediate_size_mlp', 'num_hidden_layers', 'num_attention_heads',
  'num_key_value_heads', 'head_dim', 'max_position_embeddings', 'tie_word_embeddings', 'attention_bias',
  'query_pre_attn_scalar', 'use_qk_norm',
  // sliding windows, chunked attention, NoPE layers, hybrid (linear attention) layers
  'sliding_window', 'sliding_window_pattern', 'use_sliding_window', 'max_window_layers', 'layer_types',
  'attention_chunk_size', 'no_rope_layers', 'full_attention_interval', 'linear_conv_kernel_dim', 'linear_key_head_dim',
  'linear_num_key_heads', 'linear_num_value_heads', 'linear_value_head_dim',
  // mixture of experts
  'num_experts', 'num_local_experts', 'n_routed_experts', 'n_shared_experts', 'num_experts_per_tok', 'experts_per_token',
  'moe_intermediate_size', 'shared_expert_intermediate_size', 'decoder_sparse_step', 'mlp_only_layers', 'moe_layer_freq',
  'first_k_dense_replace', 'interleave_moe_layer_step', 'topk_method',
  // multi-head latent attention and multi-token prediction (DeepSeek)
  'kv_lora_rank', 'q_lora_rank', 'qk_nope_head_dim', 'qk_rope_head_dim', 'v_head_dim', 'num_nextn_predict_layers',
  // Gemma 4: global-layer heads, K=V attention, MoE block, and the keys of features the reader refuses (E2B / E4B)
  'global_head_dim', 'num_global_key_value_heads', 'attention_k_eq_v', 'enable_moe_block', 'top_k_experts',
  'expert_intermediate_size', 'num_kv_shared_layers', 'hidden_size_per_layer_input',
] as const;
/** rope_scaling: only its kind is read (longrope / su changes Phi-3's tensors); factor lists are dropped. */
const ROPE_KEYS = ['rope_type', 'type'] as const;
/** vision_config: the ViT sizes vision-tower.ts estimates the encoder from. */
const VISION_KEYS = ['hidden_size', 'intermediate_size', 'num_hidden_layers', 'depth', 'patch_size', 'image_size', 'num_channels', 'in_channels', 'num_position_embeddings'] as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function pick(source: Obj, keys: readonly string[]): Obj {
  const out: Obj = {};
  for (const k of keys) if (source[k] !== undefined) out[k] = source[k];
  return out;
}

function compactLevel(source: Obj): Obj {
  const out = pick(source, URL_CONFIG_KEYS);
  if (isObj(source['rope_scaling'])) out['rope_scaling'] = pick(source['rope_scaling'], ROPE_KEYS);
  if (isObj(source['text_config'])) out['text_config'] = compactLevel(source['text_config']);
  if (isObj(source['vision_config'])) out['vision_config'] = pick(source['vision_config'], VISION_KEYS);
  const q = compactQuantizationConfig(source['quantization_config']);
  if (q) out['quantization_config'] = q;
  return out;
}

/** The config reduced to the keys sizing reads (and what quantization detection reads). */
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

function mapLayerTypes(level: Obj, f: (v: unknown) => unknown): Obj {
  const out: Obj = { ...level };
  if (out['layer_types'] !== undefined) out['layer_types'] = f(out['layer_types']);
  if (isObj(out['text_config'])) out['text_config'] = mapLayerTypes(out['text_config'], f);
  return out;
}

const shortenLayerTypes = (v: unknown): unknown =>
  Array.isArray(v) && v.length > 0 && v.every((t) => typeof t === 'string' && t in LAYER_TYPE_LETTERS) ? v.map((t: string) => LAYER_TYPE_LETTERS[t]).join('') : v;

const expandLayerTypes = (v: unknown): unknown =>
  typeof v === 'string' && /^[sfcl]+$/.test(v) ? [...v].map((c) => LETTER_LAYER_TYPES[c]) : v;

/**
 * A config for the `config=` query parameter: base64url of the minified JSON of compactConfig(config), with
 * layer_types as letters. Plain base64 rather than deflate keeps it synchronous and dependency-free; a compact
 * config is 300-900 bytes.
 */
export function encodeConfigForUrl(config: HfConfig): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify(mapLayerTypes(compactConfig(config), shortenLayerTypes))));
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
  return validateConfig(isObj(value) ? mapLayerTypes(value, expandLayerTypes) : value);
}
