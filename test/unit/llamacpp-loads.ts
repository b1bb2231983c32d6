/** The loads of llamacpp-measured.json (llama.cpp 2026-09-28, de3ff815) and the ModelShape of each model. */
import { readFileSync } from 'node:fs';
import { modelShapeFromConfig } from '../../src/sizing/model/model-shape.ts';
import type { KvOptions } from '../../src/sizing/memory/kv-cache.ts';
import type { ModelShape } from '../../src/sizing/types.ts';
import { loadConfig, REFERENCE_DIR } from '../fixtures/configs.ts';

export interface MeasuredLoad {
  quant: string;
  n_ctx: number;
  cache_type_k: string;
  cache_type_v: string;
  flash_attn_resolved: string | null;
  n_batch: number;
  n_ubatch: number;
  n_seq_max: number;
  model_buffers_MiB: Record<string, number>;
  kv_buffer_MiB: number;
  kv_swa_MiB: number | null;
  kv_caches: { size_MiB: number; cells: number; layers: number; seqs: number; k_type: string; k_MiB: number; v_type: string; v_MiB: number }[];
  compute_buffer_MiB: number;
  output_buffer_MiB: number;
}

export interface MeasuredRun {
  model: string;
  shape: ModelShape;
  load: MeasuredLoad;
  /** Short id for test names. */
  id: string;
}

export function measuredRuns(): MeasuredRun[] {
  const doc = JSON.parse(readFileSync(`${REFERENCE_DIR}/llamacpp-measured.json`, 'utf8')) as {
    models: { name: string; loads: MeasuredLoad[] }[];
  };
  return doc.models.flatMap((m) => {
    // gemma-3-1b has no hf_config in the measured file; the fixture of the same model is used.
    const shape = modelShapeFromConfig(loadConfig(m.name));
    return m.loads.map((load, i) => ({
      model: m.name,
      shape,
      load,
      id: `${m.name} #${i} ${load.quant} ctx ${load.n_ctx} ub ${load.n_ubatch} ${load.cache_type_k}/${load.cache_type_v} fa=${load.flash_attn_resolved}`,
    }));
  });
}

/**
 * Options that reproduce a load. flash_attn_resolved is "enabled" when -fa auto resolved to on and null when it was
 * set explicitly. A null with a q8_0 V cache must have been FA on (this build refuses a quantized V cache without it),
 * and the compute buffer confirms it (flat 99.38 MiB for SmolLM2 at 4096 and 32768 cells: no KQ matrix).
 */
export function optionsOf(load: MeasuredLoad): KvOptions {
  return {
    runtime: 'llama.cpp',
    ctx: load.n_ctx,
    seqs: load.n_seq_max,
    typeK: load.cache_type_k,
    typeV: load.cache_type_v,
    flashAttn: load.flash_attn_resolved === 'enabled' || load.cache_type_v !== 'f16',
    ubatch: load.n_ubatch,
  };
}

/** MiB as llama.cpp prints them: printf("%.2f"), which rounds an exact half to even (5.625 -> "5.62"). */
export function printedMiB(bytes: number): number {
  const hundredths = (bytes / 2 ** 20) * 100;
  const floor = Math.floor(hundredths);
  const frac = hundredths - floor;
  const rounded = frac === 0.5 ? (floor % 2 === 0 ? floor : floor + 1) : Math.round(hundredths);
  return rounded / 100;
}
