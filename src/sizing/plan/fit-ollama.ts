/**
 * Ollama on top of the llama.cpp plan (fit-llamacpp.ts): its defaults by version (runtime-profiles.ts
 * OLLAMA_PROFILES) and, for the releases that chose layers with their own estimator (up to v0.11.10 for every model,
 * v0.12.10 for llama-engine models), what that estimator would have decided (memory/ollama-estimator.ts).
 *
 * From v0.30 (PR #16031) Ollama runs upstream llama-server without -ngl, so llama-server's --fit makes the
 * placement fit-llamacpp.ts models; earlier releases placed layers their own way, given here as notes beside it.
 */
import { cudaVisibleBytes, usableGpuBytes, type PlanDevice } from './devices.ts';
import { gib, type PlanContext } from './fit-common.ts';
import type { LlamaCppPlacement } from './placements.ts';
import { isOllamaRelease, ollamaDefaultNumCtx, ollamaProfileOf, type OllamaProfile } from '../memory/runtime-profiles.ts';
import { ollamaEstimatorRules, ollamaGgufView, ollamaSchedule, type OllamaGpu } from '../memory/ollama-estimator.ts';

/** The total GPU memory Ollama sums for its default num_ctx (each GPU's total as CUDA or Metal reports it). */
export function ollamaTotalVram(devices: readonly PlanDevice[]): number {
  return devices
    .filter((d) => d.kind !== 'cpu')
    .reduce((s, d) => s + (d.kind === 'apple' ? usableGpuBytes(d) : cudaVisibleBytes(d).bytes), 0);
}

/**
 * Ollama's defaults for a set of devices when the user sets nothing: num_ctx (by total VRAM from v0.15.5),
 * OLLAMA_NUM_PARALLEL, KV cache type. For callers (the fit calculator, the CLI) that let the context be empty.
 */
export function ollamaDefaults(devices: readonly PlanDevice[], version?: string): { ctx: number; seqs: number; kvType: 'f16'; profile: OllamaProfile } {
  const profile = ollamaProfileOf(version);
  const seqs = profile.numParallel.kind === 'fixed' ? profile.numParallel.value : 1;
  return { ctx: ollamaDefaultNumCtx(profile, ollamaTotalVram(devices)), seqs, kvType: 'f16', profile };
}

/** Notes on an Ollama plan: the version the figures hold for, and what releases with the old estimator would do. */
export function ollamaPlanNotes(c: PlanContext, placement: LlamaCppPlacement): string[] {
  const profile = ollamaProfileOf(c.input.version);
  const notes: string[] = [];
  const vram = ollamaTotalVram(c.gpus);
  const byDefault = ollamaDefaultNumCtx(profile, vram);
  if (c.input.ctx !== byDefault) {
    const why = profile.numCtx.kind === 'vram' ? ` for ${(vram / 2 ** 30).toFixed(1)} GiB of GPU memory` : '';
    notes.push(`Ollama's own default context here would be num_ctx ${byDefault}${why}; the plan uses ${c.input.ctx}, set with PARAMETER num_ctx or OLLAMA_CONTEXT_LENGTH.`);
  }
  if (profile.fitting === 'llama-server-fit') {
    notes.push(
      `Ollama ${profile.from}+ passes no -ngl to llama-server unless num_gpu is set, so llama-server's --fit makes this placement (${placement.nGpuLayers} of ${placement.nLayer + 1} layers${placement.nCpuMoe > 0 ? `, experts of ${placement.nCpuMoe} layers in RAM` : ''}); its scheduler also keeps ${profile.minimumMemoryBytes.gpu / 2 ** 20} MiB free per GPU when choosing where to load.`,
    );
    return notes;
  }
  if (profile.fitting === 'allocation') {
    notes.push(
      `${profile.label}: Ollama-engine models are laid out from what the runner really allocates (close to llama.cpp's buffers, less ${profile.minimumMemoryBytes.gpu / 2 ** 20} MiB kept free per GPU); llama-engine models from its graph estimate, which is larger.`,
    );
    return notes;
  }
  const release = c.input.version !== undefined && isOllamaRelease(c.input.version) ? c.input.version : profile.estimatorRelease;
  if (c.gpus.length === 0 || release === null) return notes;
  const view = ollamaGgufView(c.shape, c.tensors);
  const rules = ollamaEstimatorRules(release);
  const gpus: OllamaGpu[] = c.gpus.map((d) => ({ library: d.kind === 'apple' ? 'metal' : 'cuda', freeBytes: d.kind === 'apple' ? usableGpuBytes(d) : cudaVisibleBytes(d).bytes }));
  const s = ollamaSchedule(view, rules, { kind: 'fixed', value: c.seqs }, {
    numCtx: c.input.ctx,
    gpus,
    kvCacheType: c.kvType,
    flashAttention: c.input.flashAttn ?? true,
  });
  const e = s.estimate;
  notes.push(
    `${profile.label}: Ollama chose the layers with its own estimator (llm/memory.go, rules of ${release.replace(/^v?/, 'v')}): ${e.layers} of ${e.layersModel} layers on the GPU, ${gib(e.requiredPartial)} reserved there (memory.required.partial), ollama ps SIZE ${gib(e.requiredFull)} (memory.required.full, an estimate above the real buffers). The placement above is llama.cpp's.`,
  );
  return notes;
}
