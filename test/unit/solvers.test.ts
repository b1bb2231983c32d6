import { describe, expect, it } from 'vitest';
import { planFit } from '../../src/sizing/plan/fit.ts';
import { bestQuantThatFits, fewestGpus, largestModelThatFits, maxConcurrency, maxContext } from '../../src/sizing/plan/solvers.ts';
import { MODELS } from '../../src/data/models.ts';
import { GiB } from '../../src/sizing/units.ts';
import { catalogModel, device } from './plan-fixtures.ts';

const rtx4090 = device('rtx-4090');

describe('maxContext', () => {
  it('llama.cpp, Llama-3.1-70B Q4_K_M on 2 x RTX 4090: fits at ctx, not at ctx + 256 (plugged back in)', () => {
    const input = { ...catalogModel('llama-3.1-70b'), quant: 'Q4_K_M', devices: [rtx4090, rtx4090], ramBytes: 64 * GiB };
    const r = maxContext(input);
    expect(r.step).toBe(256);
    expect(r.ctx % 256).toBe(0);
    expect(r.ctx).toBe(17664);
    expect(planFit({ ...input, ctx: r.ctx }).verdict).toBe('fits');
    expect(planFit({ ...input, ctx: r.ctx + 256 }).verdict).not.toBe('fits');
    expect(r.limitedBy.part).toBe('kv');
    expect(r.limitedBy.device).toBe('GeForce RTX 4090');
  });

  it('when the model\'s whole context fits, the limit is the model itself', () => {
    const r = maxContext({ ...catalogModel('llama-3.1-8b'), quant: 'Q4_K_M', devices: [rtx4090] });
    expect(r.ctx).toBe(131072);
    expect(r.limitedBy.part).toBe('model-max-context');
  });

  it('vLLM: agrees with vLLM\'s own estimated maximum model length (blocks of 16)', () => {
    const input = { ...catalogModel('llama-3.1-70b'), quant: 'bf16', runtime: 'vllm' as const, devices: [device('h100-sxm'), device('h100-sxm')] };
    const r = maxContext(input);
    expect(r.step).toBe(16);
    expect(r.ctx).toBe(planFit({ ...input, ctx: 131072 }).vllm!.estimatedMaxModelLen);
    expect(planFit({ ...input, ctx: r.ctx }).verdict).toBe('fits');
    expect(planFit({ ...input, ctx: r.ctx + 16 }).verdict).toBe('does-not-fit');
    expect(r.limitedBy.part).toBe('kv');
  });

  it('weights alone too large: ctx 0, limited by the weights', () => {
    const r = maxContext({ ...catalogModel('llama-3.1-70b'), quant: 'Q8_0', devices: [rtx4090], ramBytes: 256 * GiB });
    expect(r.ctx).toBe(0);
    expect(r.limitedBy.part).toBe('weights');
    // With offload allowed, there is a context again.
    expect(maxContext({ ...catalogModel('llama-3.1-70b'), quant: 'Q8_0', devices: [rtx4090], ramBytes: 256 * GiB }, { allowOffload: true }).ctx).toBeGreaterThan(0);
  });
});

describe('maxConcurrency', () => {
  it('Llama-3.1-8B Q4_K_M, 8192 tokens each, on an RTX 4090: n fits, n + 1 does not', () => {
    const input = { ...catalogModel('llama-3.1-8b'), quant: 'Q4_K_M', devices: [rtx4090] };
    const r = maxConcurrency(input, 8192);
    expect(r.seqs).toBe(18);
    expect(planFit({ ...input, ctx: 8192, seqs: r.seqs }).verdict).toBe('fits');
    expect(planFit({ ...input, ctx: 8192, seqs: r.seqs + 1 }).verdict).not.toBe('fits');
    expect(r.limitedBy.part).toBe('kv');
  });

  it('vLLM: the answer matches its pool\'s own maximum concurrency (floored)', () => {
    const input = { ...catalogModel('llama-3.1-8b'), quant: 'bf16', runtime: 'vllm' as const, devices: [device('h100-sxm')] };
    const r = maxConcurrency(input, 32768, { maxSeqs: 512 });
    expect(r.seqs).toBeGreaterThan(10);
    expect(r.seqs).toBe(Math.floor(r.vllmMaxConcurrency!));
  });
});

describe('bestQuantThatFits', () => {
  it('Llama-3.1-8B at 8192 on an RTX 4090: the highest-bit file type (F16/BF16) fits', () => {
    const r = bestQuantThatFits({ ...catalogModel('llama-3.1-8b'), ctx: 8192, devices: [rtx4090] });
    expect(r.bitsPerWeight).toBeCloseTo(16, 2); // norms stay F32
    expect(['F16', 'BF16']).toContain(r.quant);
  });

  it('Llama-3.1-70B at 8192 on one RTX 4090: the best file type that fits entirely, and every better one does not', () => {
    const input = { ...catalogModel('llama-3.1-70b'), ctx: 8192, devices: [rtx4090] };
    const r = bestQuantThatFits(input);
    expect(r.quant).not.toBeNull();
    expect(r.bitsPerWeight!).toBeLessThan(3);
    expect(planFit({ ...input, quant: r.quant!, imatrix: true }).verdict).toBe('fits');
    // Ranked by mean KLD (lower first), measured or interpolated.
    const klds = r.candidates.filter((c) => c.quality).map((c) => c.quality!.meanKld);
    expect([...klds].sort((a, b) => a - b)).toEqual(klds);
    const best = r.candidates.findIndex((c) => c.quant === r.quant);
    const better = r.candidates.slice(0, best).filter((c) => c.verdict !== 'invalid');
    expect(better.length).toBeGreaterThan(0);
    expect(better.every((c) => c.verdict !== 'fits')).toBe(true);
  });

  it('GGUF types rank by measured quality, not bits: Q4_K_M (KLD 0.031) above Q4_1 (0.072, more bits), Q3_K_L below Q4_0', () => {
    const r = bestQuantThatFits({ ...catalogModel('llama-3.1-8b'), ctx: 8192, devices: [rtx4090] });
    const at = (q: string) => r.candidates.findIndex((c) => c.quant === q);
    expect(at('Q4_K_M')).toBeLessThan(at('Q4_1'));
    expect(r.candidates[at('Q4_1')]!.bitsPerWeight).toBeGreaterThan(r.candidates[at('Q4_K_M')]!.bitsPerWeight);
    expect(r.candidates[at('Q4_K_M')]!.quality).toEqual({ meanKld: 0.03127, basis: 'measured' });
    expect(at('Q4_0')).toBeLessThan(at('Q3_K_L'));
    // A type the scoreboard does not measure is placed by its bits per weight, and says so.
    expect(r.candidates[at('BF16')]!.quality!.basis).toBe('interpolated');
  });

  it('vLLM: GPU formats ranked by bits; Llama-3.1-70B on one H100 80 GB needs ~4-bit or FP8', () => {
    const r = bestQuantThatFits({ ...catalogModel('llama-3.1-70b'), ctx: 8192, runtime: 'vllm', devices: [device('h100-sxm')] });
    expect(r.bitsPerWeight!).toBeLessThan(9);
    expect(r.bitsPerWeight!).toBeGreaterThan(4);
    expect(r.candidates.find((c) => c.quant === 'bf16')!.verdict).toBe('does-not-fit');
  });
});

describe('fewestGpus', () => {
  it('Llama-3.1-70B Q4_K_M at 8192: 2 RTX 4090s', () => {
    const r = fewestGpus({ ...catalogModel('llama-3.1-70b'), quant: 'Q4_K_M', ctx: 8192, ramBytes: 64 * GiB }, rtx4090);
    expect(r.gpus).toBe(2);
    expect(r.limitedBy?.device).toBe('GeForce RTX 4090');
  });
  it('vLLM, Llama-3.1-70B BF16 at 8192: 2 H100 80 GB (one cannot hold 131 GiB of weights)', () => {
    const r = fewestGpus({ ...catalogModel('llama-3.1-70b'), quant: 'bf16', ctx: 8192, runtime: 'vllm' }, device('h100-sxm'));
    expect(r.gpus).toBe(2);
    expect(r.limitedBy?.part).toBe('weights');
  });
});

describe('largestModelThatFits', () => {
  it('Q4_K_M at 8192 on one RTX 4090: the 35B hybrid MoE Qwen3.5-35B-A3B is the largest that fits entirely', () => {
    // ~19.4 GiB of Q4_K_M weights, and only 10 of its 40 layers keep a KV cache (the rest are Gated DeltaNet).
    const r = largestModelThatFits({ quant: 'Q4_K_M', ctx: 8192, devices: [rtx4090] }, MODELS);
    expect(r.model?.id).toBe('qwen3.5-35b-a3b');
    expect(r.plan?.verdict).toBe('fits');
    // Every larger model tried does not fit (or could not be sized).
    const larger = r.tried.filter((t) => t.params > r.model!.params.total);
    expect(larger.every((t) => t.verdict !== 'fits')).toBe(true);
  });
});

describe('the budget ranker tries file types best first', () => {
  it('RANKER_FILE_TYPES is in order of measured mean KLD (with an importance matrix where the scoreboard has one)', async () => {
    const { RANKER_FILE_TYPES } = await import('../../src/components/calculators/budget/budget.view.ts');
    const { quantQuality } = await import('../../src/sizing/plan/quant-quality.ts');
    const klds = RANKER_FILE_TYPES.map((ft) => quantQuality(ft, true, 0));
    expect(klds.every((q) => q.basis === 'measured')).toBe(true);
    const values = klds.map((q) => q.meanKld);
    expect([...values].sort((a, b) => a - b)).toEqual(values);
  });
});
