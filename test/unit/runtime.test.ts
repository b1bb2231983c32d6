import { describe, expect, it } from 'vitest';
import { kvCache } from '../../src/sizing/memory/kv-cache.ts';
import { modelShapeFromConfig } from '../../src/sizing/model/model-shape.ts';
import { LLAMA_CPP_PROFILES, llamaCppProfile, runtimeOverhead, VLLM_PROFILES, vllmProfile } from '../../src/sizing/memory/runtime.ts';
import { SizingError } from '../../src/sizing/errors.ts';
import { GiB, MiB } from '../../src/sizing/units.ts';
import { loadConfig } from '../fixtures/configs.ts';
import { measuredRuns, optionsOf } from './llamacpp-loads.ts';

describe('runtime profiles are pinned to named versions', () => {
  it('llama.cpp defaults to the measured build (2026-09-28, de3ff815); every profile states version and date', () => {
    expect(llamaCppProfile()).toMatchObject({ version: 'de3ff815', date: '2026-09-28', swaKeptF16: false, mla: 'latent-k' });
    for (const p of LLAMA_CPP_PROFILES) expect(p.label).toMatch(/llama\.cpp/);
    expect(() => llamaCppProfile('b9999')).toThrow(SizingError);
  });
  it('vLLM: 0.21 (gpu_memory_utilization 0.92, CUDA graphs inside the budget) is the default; 0.9 before; blocks of 16', () => {
    expect(vllmProfile()).toMatchObject({ version: 'v0.21', gpuMemoryUtilization: 0.92, cudaGraphSubtracted: true });
    expect(vllmProfile('v0.11')).toMatchObject({ gpuMemoryUtilization: 0.9, cudaGraphSubtracted: false, ncclInNonTorch: false });
    expect(vllmProfile('v0.8').ncclInNonTorch).toBe(true);
    expect(vllmProfile('v0').engine).toBe('v0');
    for (const p of VLLM_PROFILES) expect(p.blockSize).toBe(16);
    expect(() => vllmProfile('main@002f10e')).toThrow(SizingError);
  });
});

describe('runtimeOverhead', () => {
  const llama1b = modelShapeFromConfig(loadConfig('llama-3.2-1b'));
  const base = { ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' };
  it('llama.cpp on CUDA: compute buffer, logits buffer, a labelled CUDA context per GPU', () => {
    const o = runtimeOverhead(llama1b, { runtime: 'llama.cpp', ...base, gpus: 2 });
    expect(o.contextBytes).toBe(2 * 400 * MiB);
    expect(o.outputBytes).toBe(128256 * 4);
    expect(o.reserveBytes).toBe(0);
    expect(o.notes.join(' ')).toMatch(/CUDA context/);
    expect(o.version).toBe('de3ff815');
  });
  it('llama.cpp on CPU / Metal: no CUDA context', () => {
    expect(runtimeOverhead(llama1b, { runtime: 'llama.cpp', ...base, backend: 'cpu' }).contextBytes).toBe(0);
    expect(runtimeOverhead(llama1b, { runtime: 'llama.cpp', ...base, backend: 'metal' }).contextBytes).toBe(0);
  });
  it('vLLM: reserve = (1 - utilization) x GPU memory, per version', () => {
    const a = runtimeOverhead(llama1b, { runtime: 'vllm', ...base, typeK: 'auto', typeV: 'auto', totalGpuBytes: 80 * GiB });
    expect(Math.abs(a.reserveBytes - 0.08 * 80 * GiB)).toBeLessThanOrEqual(1);
    const b = runtimeOverhead(llama1b, { runtime: 'vllm', ...base, typeK: 'auto', typeV: 'auto', totalGpuBytes: 80 * GiB, version: 'v0.11' });
    expect(Math.abs(b.reserveBytes - 0.1 * 80 * GiB)).toBeLessThanOrEqual(1);
    expect(a.computeBytes).toBeGreaterThan(512 * MiB); // CUDA graphs + activations
    expect(() => runtimeOverhead(llama1b, { runtime: 'vllm', ...base, gpuMemoryUtilization: 1.5 })).toThrow(SizingError);
  });
  it('transformers: eager attention materialises the score matrix, sdpa does not', () => {
    const sdpa = runtimeOverhead(llama1b, { runtime: 'transformers', ...base, typeK: 'bf16', typeV: 'bf16' });
    expect(sdpa.computeBytes).toBeLessThan(32 * 4096 * 4096 * 6);
    expect(sdpa.outputBytes).toBe(128256 * 4);
  });
});

describe('KV + compute + output vs llama.cpp totals (target: KV within 1%, model + KV + compute within 5%)', () => {
  it('every measured load: predicted KV + compute + output within 1% of the printed buffers', () => {
    const rows: string[] = [];
    for (const run of measuredRuns()) {
      const o = optionsOf(run.load);
      const kv = kvCache(run.shape, o).bytes / MiB;
      const r = runtimeOverhead(run.shape, { ...o, backend: 'cpu' });
      const predicted = kv + (r.computeBytes + r.hostComputeBytes + r.outputBytes) / MiB;
      const measured = run.load.kv_buffer_MiB + run.load.compute_buffer_MiB + run.load.output_buffer_MiB;
      // The model buffer is the weights engineer's (weights.ts); here the measured CPU_Mapped / CPU buffer stands in.
      const model = run.load.model_buffers_MiB['CPU_Mapped'] ?? run.load.model_buffers_MiB['CPU'] ?? 0;
      const errKv = Math.abs(kv - run.load.kv_buffer_MiB) / run.load.kv_buffer_MiB;
      const errAll = Math.abs(predicted - measured) / (measured + model);
      rows.push(`${run.id}: KV ${kv.toFixed(2)}/${run.load.kv_buffer_MiB}, runtime total ${predicted.toFixed(2)}/${measured.toFixed(2)} MiB`);
      expect(errKv).toBeLessThan(0.01);
      expect(Math.abs(predicted - measured) / measured).toBeLessThan(0.01);
      expect(errAll).toBeLessThan(0.05);
    }
    console.log(rows.join('\n'));
  });
});
