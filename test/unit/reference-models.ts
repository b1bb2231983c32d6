/**
 * Test helper: real model shapes from the repository's reference data (src/data/reference), as tensor lists.
 *
 * A model's config comes from test/fixtures/configs/<id>.json when that file exists, else it is rebuilt from the values in models.json (HF config keys) or, for gemma-3-1b, from the
 * generator_hyperparameters llama.cpp's measurement used.
 */
import { existsSync, readFileSync } from 'node:fs';
import { modelShapeFromConfig } from '../../src/sizing/model/model-shape.ts';
import { tensorsOf } from '../../src/sizing/model/tensors.ts';
import type { HfConfig, ModelShape, TensorInfo } from '../../src/sizing/types.ts';

import { REFERENCE_DIR } from '../fixtures/configs.ts';

export const REFERENCE = REFERENCE_DIR;
const FIXTURES = new URL('../fixtures/configs/', import.meta.url).pathname;

export function readJson<T = any>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export const measured = readJson(`${REFERENCE}/llamacpp-measured.json`);
export const published = readJson(`${REFERENCE}/published-gguf-sizes.json`);
const modelsJson = readJson(`${REFERENCE}/models.json`);

/** HF config.json from a models.json entry (same key names); rope_scaling added where its notes name llama3 scaling. */
function configFromModelsJson(name: string): HfConfig {
  const m = modelsJson.models.find((x: { name: string }) => x.name === name);
  if (!m) throw new Error(`models.json has no ${name}`);
  const c: HfConfig = {
    architectures: [m.architecture],
    vocab_size: m.vocab_size,
    hidden_size: m.hidden_size,
    intermediate_size: m.intermediate_size,
    num_hidden_layers: m.num_hidden_layers,
    num_attention_heads: m.num_attention_heads,
    num_key_value_heads: m.num_key_value_heads,
    tie_word_embeddings: m.tie_word_embeddings,
    max_position_embeddings: m.max_position_embeddings,
  };
  if (m.head_dim !== null) c['head_dim'] = m.head_dim;
  if (m.sliding_window !== null) c['sliding_window'] = m.sliding_window;
  if (m.moe_intermediate_size !== null) c['moe_intermediate_size'] = m.moe_intermediate_size;
  if (m.num_experts !== null) {
    c['num_experts'] = m.num_experts;
    c['num_local_experts'] = m.num_experts;
    c['num_experts_per_tok'] = m.num_experts_per_tok;
  }
  if (String(m.notes ?? '').includes('rope_scaling llama3') || /Llama-3\.[123]/.test(name)) {
    c['rope_scaling'] = { rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8192 };
  }
  if (m.architecture === 'Qwen2ForCausalLM') c['use_sliding_window'] = false;
  if (m.architecture === 'Gemma2ForCausalLM') c['sliding_window'] = m.sliding_window;
  return c;
}

function configFromGenerator(h: Record<string, any>): HfConfig {
  if (h['arch'] !== 'gemma3') throw new Error(`no config builder for generator arch ${h['arch']}`);
  return {
    architectures: ['Gemma3ForCausalLM'],
    model_type: 'gemma3_text',
    vocab_size: h['n_vocab'],
    hidden_size: h['n_embd'],
    intermediate_size: h['n_ff'],
    num_hidden_layers: h['n_layer'],
    num_attention_heads: h['n_head'],
    num_key_value_heads: h['n_head_kv'],
    head_dim: h['head_dim'],
    max_position_embeddings: h['n_ctx_train'],
    rope_theta: h['rope_theta'],
    rms_norm_eps: h['rms_eps'],
    sliding_window: h['sliding_window'],
    sliding_window_pattern: h['swa_pattern'],
    tie_word_embeddings: h['tied'],
  };
}

/** Config of a llamacpp-measured.json model (by its name there). */
export function measuredConfig(name: string): HfConfig {
  const fixture = `${FIXTURES}${name}.json`;
  if (existsSync(fixture)) return readJson(fixture);
  const m = measured.models.find((x: { name: string }) => x.name === name);
  return configFromGenerator(m.generator_hyperparameters);
}

/** Config of a models.json model (by its name there, e.g. "Llama-3.1-8B"). */
export function referenceConfig(name: string): HfConfig {
  const fixture = `${FIXTURES}${name.toLowerCase()}.json`;
  if (existsSync(fixture)) return readJson(fixture);
  return configFromModelsJson(name);
}

export interface BuiltModel {
  shape: ModelShape;
  tensors: TensorInfo[];
}

export function build(config: HfConfig): BuiltModel {
  const shape = modelShapeFromConfig(config);
  return { shape, tensors: tensorsOf(shape) };
}

/** Role key as llamacpp-measured.json writes it: "blk.*.attn_v.weight" or the plain name. */
export function roleKey(name: string): string {
  return name.replace(/^blk\.\d+\./, 'blk.*.');
}

export const GB = 1e9;
export const GiB = 2 ** 30;
