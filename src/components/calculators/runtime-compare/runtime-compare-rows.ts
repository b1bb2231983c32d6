/**
 * One model under each runtime at a comparable precision, as the runtimes chapter and its calculator show it.
 * Each runtime loads its own kind of checkpoint, so a precision maps to the format each one actually runs:
 * 4-bit is Q4_K_M for llama.cpp, AWQ for vLLM and bitsandbytes NF4 for transformers. Bytes come from estimate().
 */
import { estimate, type Estimate, type RuntimeChoice } from '../../../sizing/memory/estimate';
import { vllmCapacity } from '../../../sizing/memory/kv-vllm';
import { vllmProfile } from '../../../sizing/memory/runtime-profiles';
import type { ModelShape } from '../../../sizing/types';
import { PRECISIONS, type Precision } from './runtime-precisions';

export { PRECISIONS, type Precision } from './runtime-precisions';

const FORMAT_LABELS: Record<string, string> = {
  BF16: 'GGUF BF16',
  Q8_0: 'GGUF Q8_0',
  Q4_K_M: 'GGUF Q4_K_M',
  bf16: 'BF16 safetensors',
  fp8: 'FP8 checkpoint',
  awq: 'AWQ 4-bit',
  'bnb-int8': 'bitsandbytes LLM.int8()',
  'bnb-nf4': 'bitsandbytes NF4',
};

export interface VllmPool {
  utilization: number;
  /** utilization x GPU memory: what vLLM takes at start-up. */
  claimBytes: number;
  /** What is left of the claim for KV blocks after weights, activations, CUDA graphs and the CUDA context. */
  poolBytes: number;
  /** Tokens the pool holds (vLLM logs "GPU KV cache size: N tokens"). */
  tokens: number;
  /** Sequences of the chosen context that fit at once ("Maximum concurrency"). */
  concurrency: number;
}

export interface RuntimeColumn {
  runtime: 'llama.cpp' | 'vllm' | 'transformers';
  label: string;
  format: string;
  formatLabel: string;
  estimate: Estimate;
  vllm: VllmPool | null;
}

const COLUMNS: readonly { runtime: RuntimeColumn['runtime']; label: string }[] = [
  { runtime: 'llama.cpp', label: 'llama.cpp / Ollama' },
  { runtime: 'vllm', label: 'vLLM' },
  { runtime: 'transformers', label: 'transformers' },
];

export interface CompareQuery {
  precision: Precision['id'];
  ctx: number;
  seqs: number;
  /** Memory of the one GPU, bytes. */
  gpuBytes: number;
}

/** The three runtimes side by side. Throws SizingError for inputs the engine refuses. */
export function compareRuntimes(shape: ModelShape, q: CompareQuery): RuntimeColumn[] {
  const precision = PRECISIONS.find((p) => p.id === q.precision) ?? PRECISIONS[2];
  if (!precision) throw new Error('no precisions defined');
  return COLUMNS.map(({ runtime, label }) => {
    const format = precision.formats[runtime];
    const e = estimate({ kind: 'shape', shape }, { quant: format, ctx: q.ctx, seqs: q.seqs, runtime: runtime as RuntimeChoice, totalGpuBytes: q.gpuBytes });
    let vllm: VllmPool | null = null;
    if (runtime === 'vllm') {
      const utilization = vllmProfile().gpuMemoryUtilization;
      const claimBytes = utilization * q.gpuBytes;
      const poolBytes = claimBytes - e.weightsBytes - e.computeBytes - e.overhead.contextBytes;
      const capacity = vllmCapacity(shape, Math.max(0, poolBytes), { typeK: 'auto', typeV: 'auto' });
      vllm = { utilization, claimBytes, poolBytes, tokens: capacity.tokens, concurrency: capacity.maxConcurrency(q.ctx) };
    }
    return { runtime, label, format, formatLabel: FORMAT_LABELS[format] ?? format, estimate: e, vllm };
  });
}
