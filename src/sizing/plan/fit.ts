/**
 * Does it fit: a model, a quantization and a context placed on real devices the way each runtime places them.
 *
 *   planFit({ model, quant: 'Q4_K_M', ctx: 8192, runtime: 'llama.cpp', devices: [rtx4090], ramBytes: 64 * GiB })
 *     -> { verdict: 'fits' | 'fits-with-offload' | 'does-not-fit', devices: [{ weights, kv, compute, overhead, free }], ram, reason }
 *
 * Per runtime (sources: each runtime's file below, which cites the upstream code):
 *  - llama.cpp / Ollama (fit-llamacpp.ts): layers split over the GPUs in proportion to their free memory, -ngl counting
 *    the output layer, token embedding always in host memory, each layer's KV with its layer; the largest -ngl that
 *    leaves the --fit margin (1024 MiB) free on every GPU; for MoE first --n-cpu-moe N (experts of the first N
 *    layers in RAM), the smallest N that fits.
 *  - vLLM (fit-vllm.ts): tensor parallelism over identical GPUs, gpu_memory_utilization, its own start-up check.
 *  - transformers (fit-transformers.ts): device_map="auto": fill GPU 0, then GPU 1, ..., then the CPU.
 * The plan works on per-layer and per-tensor bytes from the engine, never on totals.
 */
import { SizingError } from '../errors.ts';
import { estimate, RUNTIMES } from '../memory/estimate.ts';
import { usableGpuBytes } from './devices.ts';
import { sizedTensors } from './sized-tensors.ts';
import { DEFAULT_MARGIN_BYTES, defaultKvType, tightestDevice, type FitInput, type FitPlan, type PlanContext } from './fit-common.ts';
import { planLlamaCpp } from './fit-llamacpp.ts';
import { planVllm } from './fit-vllm.ts';
import { planTransformers } from './fit-transformers.ts';

export * from './fit-common.ts';
export type { PlanDevice } from './devices.ts';
export { usableGpuBytes, defaultWorkingSetShare } from './devices.ts';
export type { LlamaCppPlacement } from './fit-llamacpp.ts';
export type { VllmPlacement } from './fit-vllm.ts';
export type { TransformersPlacement } from './fit-transformers.ts';

function planContext(input: FitInput): PlanContext {
  const runtime = input.runtime ?? 'llama.cpp';
  if (!RUNTIMES.includes(runtime)) throw new SizingError(`runtime must be one of ${RUNTIMES.join(', ')}`, 'runtime');
  if (!Array.isArray(input.devices)) throw new SizingError('devices must be a list', 'devices');
  const seqs = input.seqs ?? 1;
  const kvType = input.kvType ?? defaultKvType(runtime);
  const gpus = input.devices.filter((d) => d.kind !== 'cpu');
  gpus.forEach(usableGpuBytes); // validates sizes and Apple shares
  const apple = gpus.filter((d) => d.kind === 'apple');
  if (apple.length > 0 && apple.length !== gpus.length) throw new SizingError('A Mac and discrete GPUs cannot serve one model together', 'devices');
  if (apple.length > 1) throw new SizingError('Give one Mac: several Macs need RPC / distributed runtimes, not modelled', 'devices');
  const margin = input.marginBytes ?? DEFAULT_MARGIN_BYTES;
  if (!(Number.isFinite(margin) && margin >= 0)) throw new SizingError(`margin must be zero or more bytes, got ${margin}`, 'marginBytes');
  const cpu = input.devices.find((d) => d.kind === 'cpu');
  const mac = apple[0];
  const ramBytes = input.ramBytes ?? cpu?.memoryBytes ?? mac?.memoryBytes ?? null;
  if (ramBytes !== null && !(Number.isFinite(ramBytes) && ramBytes >= 0)) throw new SizingError(`RAM must be zero or more bytes, got ${ramBytes}`, 'ramBytes');
  const backend = gpus.length === 0 ? 'cpu' : mac ? 'metal' : 'cuda';

  const est = estimate(input.model, {
    quant: input.quant,
    ctx: input.ctx,
    seqs,
    kvType,
    runtime,
    backend,
    gpus: 1,
    ...(input.flashAttn === undefined ? {} : { flashAttn: input.flashAttn }),
    ...(input.ubatch === undefined ? {} : { ubatch: input.ubatch }),
    ...(input.version === undefined ? {} : { version: input.version }),
    ...(input.imatrix === undefined ? {} : { imatrix: input.imatrix }),
  });
  const { shape, tensors } = sizedTensors(input.model, input.quant, runtime, input.imatrix);
  return {
    input,
    runtime,
    seqs,
    kvType,
    shape,
    tensors,
    estimate: est,
    gpus,
    margin,
    ramBytes,
    unified: mac !== undefined,
    backend,
    modelLabel: input.modelLabel ?? shape.hfArchitecture,
  };
}

/** Place a model on devices the way its runtime would, and say whether it fits. */
export function planFit(input: FitInput): FitPlan {
  const c = planContext(input);
  const plan = c.runtime === 'vllm' ? planVllm(c) : c.runtime === 'transformers' ? planTransformers(c) : planLlamaCpp(c);
  plan.tightest = tightestDevice(plan.devices);
  return plan;
}

