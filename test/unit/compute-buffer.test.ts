import { afterAll, describe, expect, it } from 'vitest';
import { CUDA_RULES_BEFORE_2026, llamaCppComputeBuffer, llamaCppOutputBuffer } from '../../src/sizing/memory/compute-buffer.ts';
import { modelShapeFromConfig } from '../../src/sizing/model/model-shape.ts';
import { MiB } from '../../src/sizing/units.ts';
import { loadConfig } from '../fixtures/configs.ts';
import { measuredRuns, optionsOf, printedMiB } from './llamacpp-loads.ts';

/** Tolerance: the printing precision of llama.cpp (two decimals) plus float noise. */
const TOLERANCE_MIB = 0.006;

describe('llama.cpp compute and output buffers vs every load of llamacpp-measured.json (CPU, de3ff815)', () => {
  const rows: string[] = [];
  afterAll(() => {
    // The residual table the comment in compute-buffer.ts quotes.
    console.log(['load | measured MiB | predicted MiB | residual MiB | peak', ...rows].join('\n'));
  });
  for (const run of measuredRuns()) {
    it(run.id, () => {
      const o = optionsOf(run.load);
      const cb = llamaCppComputeBuffer(run.shape, { ...o, backend: 'cpu' });
      const predicted = cb.deviceBytes / MiB;
      const residual = predicted - run.load.compute_buffer_MiB;
      rows.push(`${run.id} | ${run.load.compute_buffer_MiB} | ${predicted.toFixed(3)} | ${residual >= 0 ? '+' : ''}${residual.toFixed(3)} | ${cb.peak}`);
      expect(Math.abs(residual)).toBeLessThanOrEqual(TOLERANCE_MIB);
      expect(cb.hostBytes).toBe(0);
      expect(printedMiB(llamaCppOutputBuffer(run.shape, run.load.n_seq_max))).toBe(run.load.output_buffer_MiB);
    });
  }
});

describe('compute buffer mechanism', () => {
  const llama1b = modelShapeFromConfig(loadConfig('llama-3.2-1b'));
  it('with flash attention the peak is the logits f32 [n_vocab x n_ubatch] and does not grow with context', () => {
    const at = (ctx: number) => llamaCppComputeBuffer(llama1b, { ctx, seqs: 1, typeK: 'f16', typeV: 'f16', backend: 'cpu' });
    expect(at(4096).peak).toBe('output');
    expect(at(4096).deviceBytes).toBe(at(32768).deviceBytes);
    expect(at(4096).deviceBytes).toBeGreaterThan(4 * 128256 * 512);
  });
  it('without flash attention KQ f32 [n_kv x n_ubatch x n_head] dominates at long context', () => {
    const cb = llamaCppComputeBuffer(llama1b, { ctx: 131072, seqs: 1, typeK: 'f16', typeV: 'f16', flashAttn: false, backend: 'cpu' });
    expect(cb.peak).toBe('attention');
    expect(cb.deviceBytes).toBeGreaterThan(131072 * 512 * 32 * 4);
  });
  it('DeepSeek-R1 shape at 160k without FA: KQ ~ 41.9 GB as the ik_llama.cpp PR #235 thread computes', () => {
    const d = modelShapeFromConfig(loadConfig('deepseek-v3'));
    const cb = llamaCppComputeBuffer(d, { ctx: 160 * 1024, seqs: 1, typeK: 'f16', typeV: 'f16', flashAttn: false, backend: 'cpu' });
    expect(cb.peak).toBe('attention');
    expect(cb.deviceBytes / 1e9).toBeGreaterThan(41.9);
    expect(cb.deviceBytes / 1e9).toBeLessThan(42.8 * 1.05);
  });
  it('CUDA log (32 layers x 1024, FA off, logdetective PR #106): device 164 / host 12.01 MiB @2048, 2144 / 72.01 @32768', () => {
    const m = modelShapeFromConfig(loadConfig('mistral-7b-v0.3'));
    const cases: [number, number, number][] = [
      [2048, 164, 12.01],
      [32768, 2144, 72.01],
    ];
    for (const [ctx, device, host] of cases) {
      // A pre-2026 build: no inp_embd input tensor (PR #18550) and an F32 mask (PR #23764).
      const cb = llamaCppComputeBuffer(m, { ctx, seqs: 1, typeK: 'f16', typeV: 'f16', flashAttn: false, backend: 'gpu', cudaRules: CUDA_RULES_BEFORE_2026 });
      const dev = cb.deviceBytes / MiB;
      console.log(`Mistral-7B-class CUDA ctx ${ctx}: device ${dev.toFixed(2)} vs ${device} (${(((dev - device) / device) * 100).toFixed(2)}%), host ${(cb.hostBytes / MiB).toFixed(2)} vs ${host}`);
      expect(Math.abs(dev - device) / device).toBeLessThan(0.03);
      expect(Math.abs(cb.hostBytes / MiB - host)).toBeLessThan(0.02);
    }
  });
});
