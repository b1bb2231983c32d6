/**
 * The engine against what the runtimes themselves printed in public logs, one list for every runtime: vLLM's start-up
 * lines (field-vllm.ts), llama.cpp's CUDA buffers (field-llamacpp-cuda.ts) and Ollama's estimator and buffer lines
 * (field-ollama.ts). Each row keeps its set ('fit': the records the mechanisms were checked against while modelling;
 * 'held-out': chosen before any comparison). `npm run accuracy`, its test and the accuracy chapter read this list.
 */
import { fieldVllmRows } from './field-vllm';
import { fieldOllamaError, fieldOllamaRows } from './field-ollama';
import { CUDA_TOLERANCE, cudaRowsOf, FIELD_LLAMACPP_CUDA_USABLE, relErr } from './field-llamacpp-cuda';

export type FieldRuntime = 'vLLM' | 'llama.cpp (CUDA)' | 'Ollama';

export interface FieldComparison {
  runtime: FieldRuntime;
  /** What is compared, in words ("weights per GPU", "KV cache tokens", "compute buffer per GPU" ...). */
  quantity: string;
  set: 'fit' | 'held-out';
  id: string;
  reference: string;
  /** The public log. */
  url: string;
  predicted: number;
  measured: number;
  /** As the runtime printed it. */
  printed: string;
  /** Unit of predicted and measured: bytes, tokens, layers or requests. */
  unit: 'bytes' | 'tokens' | 'layers';
  /** Relative error for bytes and tokens; layers for layers. */
  error: number;
  target: number;
}

const MiB = 2 ** 20;

const VLLM_QUANTITY: Record<string, [string, FieldComparison['unit']]> = {
  'vllm-weights': ['weights per GPU ("Model loading took")', 'bytes'],
  'vllm-kv-tokens': ['KV cache tokens, from the printed memory', 'tokens'],
  'vllm-available-kv': ['available KV cache memory, from the settings', 'bytes'],
};

const OLLAMA_QUANTITY: Record<string, [string, FieldComparison['unit']]> = {
  'ollama-kv': ['KV cache', 'bytes'],
  'ollama-graph': ['compute graph', 'bytes'],
  'ollama-weights': ['weights', 'bytes'],
  'ollama-required': ['memory.required (the sum)', 'bytes'],
  'ollama-layers': ['layers offloaded', 'layers'],
  'ollama-context': ['default context', 'tokens'],
};

const CUDA_QUANTITY: Record<string, string> = {
  model: 'model buffer per GPU',
  kv: 'KV cache per GPU',
  compute: 'compute buffer per GPU and host',
};

export function fieldComparisons(): FieldComparison[] {
  const out: FieldComparison[] = [];
  for (const r of fieldVllmRows()) {
    const [quantity, unit] = VLLM_QUANTITY[r.quantity] ?? [r.quantity, 'bytes'];
    out.push({ runtime: 'vLLM', quantity, set: r.set, id: r.id, reference: r.reference, url: r.source, predicted: r.predicted, measured: r.measured, printed: r.printed, unit, error: (r.predicted - r.measured) / r.measured, target: r.tolerance });
  }
  for (const record of FIELD_LLAMACPP_CUDA_USABLE) {
    for (const r of cudaRowsOf(record)) {
      if (r.excluded !== null || r.predicted === null) continue;
      out.push({
        runtime: 'llama.cpp (CUDA)',
        quantity: CUDA_QUANTITY[r.quantity] ?? r.quantity,
        set: r.set,
        id: r.record,
        reference: `${r.record}: ${r.buffer}`,
        url: r.url,
        predicted: r.predicted * MiB,
        measured: r.printed * MiB,
        printed: `${r.printed.toFixed(2)} MiB`,
        unit: 'bytes',
        error: relErr(r),
        target: CUDA_TOLERANCE[r.quantity],
      });
    }
  }
  for (const r of fieldOllamaRows()) {
    const [quantity, unit] = OLLAMA_QUANTITY[r.quantity] ?? [r.quantity, 'bytes'];
    out.push({ runtime: 'Ollama', quantity, set: r.set, id: r.id, reference: `${r.reference} (${r.key})`, url: r.source, predicted: r.predicted, measured: r.measured, printed: r.printed, unit, error: fieldOllamaError(r), target: r.tolerance });
  }
  return out;
}

export const withinFieldTarget = (c: FieldComparison): boolean => Math.abs(c.error) <= c.target + 1e-12;

export interface FieldSummary {
  runtime: FieldRuntime;
  quantity: string;
  set: 'fit' | 'held-out';
  rows: number;
  within: number;
  worst: FieldComparison | null;
}

/** Per runtime, quantity and set: how many rows, how many within target, and the worst. */
export function summarizeField(rows: readonly FieldComparison[]): FieldSummary[] {
  const groups = new Map<string, FieldSummary>();
  for (const r of rows) {
    const key = `${r.runtime}|${r.quantity}|${r.set}`;
    const g = groups.get(key) ?? { runtime: r.runtime, quantity: r.quantity, set: r.set, rows: 0, within: 0, worst: null };
    g.rows += 1;
    if (withinFieldTarget(r)) g.within += 1;
    if (!g.worst || Math.abs(r.error) > Math.abs(g.worst.error)) g.worst = r;
    groups.set(key, g);
  }
  return [...groups.values()];
}
