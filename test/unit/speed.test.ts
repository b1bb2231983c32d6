import { describe, expect, it } from 'vitest';
import { decodeSpeed, efficiencyFor, prefillSpeed } from '../../src/sizing/plan/speed.ts';
import { SizingError } from '../../src/sizing/errors.ts';
import { GiB } from '../../src/sizing/units.ts';
import { catalogModel, device } from './plan-fixtures.ts';

const rtx4090 = device('rtx-4090');
const TOKEN_EMBD_Q4_K = 128256 * 4096 * (144 / 256);

describe('decodeSpeed: bandwidth / bytes read per token (an upper bound)', () => {
  it('Llama-3.1-8B Q4_K_M on an RTX 4090 at short context: ~1008e9 / 4.6e9 ≈ 218 t/s', () => {
    const s = decodeSpeed({ ...catalogModel('llama-3.1-8b'), quant: 'Q4_K_M', ctx: 8192, filled: 0, devices: [rtx4090] });
    expect(s.label).toBe('upper bound');
    // Every weight but the input embedding (a one-row lookup) is read once.
    expect(s.bytesPerToken.weights).toBe(s.plan.estimate.weightsBytes - TOKEN_EMBD_Q4_K);
    expect(s.bytesPerToken.kv).toBe(0);
    expect(s.tokensPerSecondUpperBound).toBeCloseTo(1008e9 / s.bytesPerToken.weights, 6);
    // Dividing by the whole 4.92 GB file gives 205 t/s; leaving the lookup out gives a little more.
    expect(s.tokensPerSecondUpperBound).toBeGreaterThan(205);
    expect(s.tokensPerSecondUpperBound).toBeLessThan(220);
  });

  it('at 32k cached tokens the f16 KV adds 4 GiB read per token: roughly half the speed', () => {
    const short = decodeSpeed({ ...catalogModel('llama-3.1-8b'), quant: 'Q4_K_M', ctx: 32768, filled: 0, devices: [rtx4090] });
    const long = decodeSpeed({ ...catalogModel('llama-3.1-8b'), quant: 'Q4_K_M', ctx: 32768, devices: [rtx4090] });
    expect(long.filled).toBe(32768);
    expect(long.bytesPerToken.kv).toBe(4 * GiB);
    expect(long.tokensPerSecondUpperBound / short.tokensPerSecondUpperBound).toBeGreaterThan(0.45);
    expect(long.tokensPerSecondUpperBound / short.tokensPerSecondUpperBound).toBeLessThan(0.6);
  });

  it('sliding-window layers read at most their window (gpt-oss: 128 tokens on half the layers)', () => {
    const s = decodeSpeed({ ...catalogModel('gpt-oss-120b'), quant: 'MXFP4_MOE', ctx: 32768, devices: [device('h100-sxm')] });
    // 18 global layers x 32768 tokens + 18 sliding layers x 128 tokens, 8 KV heads x 64 x 2 (K, V) x 2 bytes each.
    expect(s.bytesPerToken.kv).toBe((18 * 32768 + 18 * 128) * 8 * 64 * 2 * 2);
  });

  it('MoE reads only the experts in use: gpt-oss-120b reads ~4/128 of its experts', () => {
    const s = decodeSpeed({ ...catalogModel('gpt-oss-120b'), quant: 'MXFP4_MOE', ctx: 4096, filled: 0, devices: [device('h100-sxm')] });
    expect(s.bytesPerToken.weights).toBeLessThan(0.1 * s.plan.estimate.weightsBytes);
    expect(s.bytesPerToken.weights).toBeGreaterThan(2e9);
  });

  it('offload: times add (GPU bytes / GPU bandwidth + RAM bytes / RAM bandwidth)', () => {
    const s = decodeSpeed({ ...catalogModel('llama-3.1-70b'), quant: 'Q4_K_M', ctx: 8192, filled: 0, devices: [rtx4090, device('ddr5-5600-2ch')] });
    expect(s.plan.verdict).toBe('fits-with-offload');
    const [gpu, ram] = s.perDevice;
    expect(gpu?.bandwidthGBps).toBe(1008);
    expect(ram?.name).toBe('RAM');
    expect(ram?.bandwidthGBps).toBe(89.6);
    expect(s.secondsPerToken).toBeCloseTo(gpu!.weightsBytes / 1008e9 + ram!.weightsBytes / 89.6e9, 12);
    // Far slower than the GPU alone would be: RAM dominates.
    expect(s.tokensPerSecondUpperBound).toBeLessThan(5);
  });

  it('offload without a RAM bandwidth is an input error', () => {
    expect(() => decodeSpeed({ ...catalogModel('llama-3.1-70b'), quant: 'Q4_K_M', ctx: 8192, devices: [rtx4090], ramBytes: 64 * GiB })).toThrow(SizingError);
  });

  it('vLLM tensor parallel: each GPU reads its shard in parallel', () => {
    const one = decodeSpeed({ ...catalogModel('llama-3.1-8b'), quant: 'bf16', ctx: 4096, filled: 0, runtime: 'vllm', devices: [device('h100-sxm')] });
    const two = decodeSpeed({ ...catalogModel('llama-3.1-8b'), quant: 'bf16', ctx: 4096, filled: 0, runtime: 'vllm', devices: [device('h100-sxm'), device('h100-sxm')] });
    expect(two.tokensPerSecondUpperBound / one.tokensPerSecondUpperBound).toBeCloseTo(2, 1);
  });

  it('measured efficiency ranges with their sources', () => {
    expect(efficiencyFor(device('m2-ultra-192'))).toMatchObject({ low: 0.42, high: 0.56 });
    expect(efficiencyFor(device('m2-ultra-192')).source).toMatch(/PR #2917/);
    expect(efficiencyFor(device('m4-16'))).toMatchObject({ low: 0.86, high: 0.86 });
    expect(efficiencyFor({ id: 'm2-max-96', name: 'M2 Max', kind: 'apple', memoryBytes: 96 * GiB }).low).toBe(0.59);
    const mac = decodeSpeed({ ...catalogModel('llama-3.1-8b'), quant: 'Q4_K_M', ctx: 4096, filled: 0, devices: [device('m4-16')] });
    // Mac mini M4: 120 GB/s; measured 20.87 t/s, i.e. 86% of the byte-count bound (normiebench #3).
    expect(mac.tokensPerSecondUpperBound).toBeCloseTo(120e9 / mac.bytesPerToken.weights, 6);
    expect(mac.expectedTokensPerSecond.low).toBeGreaterThan(20.87 * 0.95);
    expect(mac.expectedTokensPerSecond.low).toBeLessThan(20.87 * 1.15);
  });
});

describe('prefillSpeed', () => {
  it('unknown without a verified FP16 tensor throughput', () => {
    const p = prefillSpeed({ ...catalogModel('llama-3.1-8b'), quant: 'Q4_K_M', ctx: 4096, devices: [rtx4090] });
    expect(p.known).toBe(false);
  });
  it('compute bound: FLOPS / (2 x active parameters)', () => {
    const p = prefillSpeed({ ...catalogModel('llama-3.1-8b'), quant: 'Q4_K_M', ctx: 4096, devices: [{ ...rtx4090, fp16TensorTflops: 165 }] });
    if (!p.known) throw new Error('expected a bound');
    // 8,030,261,312 params as llama.cpp counts them (rope_freqs included) minus the input embedding.
    expect(p.flopsPerToken).toBe(2 * (8030261312 - 128256 * 4096));
    expect(p.tokensPerSecondUpperBound).toBeCloseTo(165e12 / p.flopsPerToken, 6);
    expect(p.secondsForPrompt).toBeCloseTo(4096 / p.tokensPerSecondUpperBound, 9);
  });
});
