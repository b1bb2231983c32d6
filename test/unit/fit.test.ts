import { describe, expect, it } from 'vitest';
import { planFit, DEFAULT_MARGIN_BYTES } from '../../src/sizing/plan/fit.ts';
import { defaultWorkingSetShare } from '../../src/sizing/plan/devices.ts';
import { shapePerRank, weightsPerRank } from '../../src/sizing/plan/fit-vllm.ts';
import { sizedTensors } from '../../src/sizing/plan/sized-tensors.ts';
import { modelShapeFromConfig } from '../../src/sizing/model/model-shape.ts';
import { SizingError } from '../../src/sizing/errors.ts';
import { GiB, MiB } from '../../src/sizing/units.ts';
import { catalogModel, device } from './plan-fixtures.ts';

const rtx4090 = device('rtx-4090');
const ram64 = 64 * GiB;

describe('planFit: llama.cpp on one and two GPUs', () => {
  it('Llama-3.1-8B Q4_K_M at 8192 fits a 24 GB RTX 4090 with room; the token embedding stays in RAM', () => {
    const p = planFit({ ...catalogModel('llama-3.1-8b'), quant: 'Q4_K_M', ctx: 8192, devices: [rtx4090], ramBytes: ram64 });
    expect(p.verdict).toBe('fits');
    expect(p.llamaCpp).toMatchObject({ nGpuLayers: 33, nCpuMoe: 0, outputDevice: 0 });
    const gpu = p.devices[0]!;
    // token_embd Q4_K: 128256 x 4096 x 144/256 bytes = 295,501,824 B (281.81 MiB, llama.cpp's CPU_Mapped buffer).
    expect(p.ram.weights).toBe(128256 * 4096 * (144 / 256));
    expect(gpu.weights + p.ram.weights).toBe(p.estimate.weightsBytes);
    // KV of all 32 layers with their layers: 8192 x 128 KiB = 1 GiB (2 x 8 KV heads x 128 x 2 bytes x 32 layers per token).
    expect(gpu.kv).toBe(1 * GiB);
    expect(gpu.overhead).toBe(400 * MiB);
    expect(gpu.free).toBeGreaterThan(17 * GiB);
    expect(gpu.free).toBeLessThan(19 * GiB);
    expect(p.reason).toMatch(/-ngl 33/);
  });

  it('Llama-3.1-70B Q4_K_M at 8192: one 24 GB card offloads about half the layers; two cards hold it all', () => {
    const one = planFit({ ...catalogModel('llama-3.1-70b'), quant: 'Q4_K_M', ctx: 8192, devices: [rtx4090], ramBytes: ram64 });
    expect(one.verdict).toBe('fits-with-offload');
    expect(one.llamaCpp!.nGpuLayers).toBe(43);
    expect(one.devices[0]!.free).toBeGreaterThanOrEqual(DEFAULT_MARGIN_BYTES);
    expect(one.ram.layers).toBe(38);
    // -ngl counts the output layer: 43 = 42 blocks + output; i_gpu_start = 81 - 43 = 38.
    expect(one.devices[0]!.layers).toBe(42);
    expect(one.llamaCpp!.iGpuStart).toBe(38);
    expect(one.llamaCpp!.layerDevice.slice(37, 39)).toEqual([-1, 0]);

    const two = planFit({ ...catalogModel('llama-3.1-70b'), quant: 'Q4_K_M', ctx: 8192, devices: [rtx4090, rtx4090], ramBytes: ram64 });
    expect(two.verdict).toBe('fits');
    expect(two.llamaCpp!.tensorSplit).toEqual([41, 40]);
    expect(two.devices[1]!.holdsOutput).toBe(true);
    for (const d of two.devices) {
      expect(d.free).toBeGreaterThan(2 * GiB);
      expect(d.free).toBeLessThan(3 * GiB);
    }
    // KV 2560 MiB at 8192 (2 x 8 KV heads x 128 x 2 bytes x 80 layers per token), split with the layers.
    expect(two.devices[0]!.kv + two.devices[1]!.kv).toBe(2560 * MiB);
  });

  it('one more layer than the answer does not fit: the -ngl found is the largest', () => {
    const p = planFit({ ...catalogModel('llama-3.1-70b'), quant: 'Q4_K_M', ctx: 8192, devices: [rtx4090], ramBytes: ram64 });
    const gpu = p.devices[0]!;
    // Layers are equal: adding one more block (weights + KV) would break the margin.
    const perLayer = (gpu.weights - 0) / gpu.layers;
    expect(gpu.free - DEFAULT_MARGIN_BYTES).toBeLessThan(perLayer);
  });

  it('gpt-oss-120b MXFP4_MOE fits one 80 GB H100 (as OpenAI states), even at its full 131072 context', () => {
    const p = planFit({ ...catalogModel('gpt-oss-120b'), quant: 'MXFP4_MOE', ctx: 131072, devices: [device('h100-sxm')], ramBytes: 256 * GiB });
    expect(p.verdict).toBe('fits');
    expect(p.devices[0]!.weights).toBeGreaterThan(58 * GiB);
    expect(p.devices[0]!.free).toBeGreaterThan(15 * GiB);
  });

  it('gpt-oss-120b on one RTX 4090: llama.cpp keeps attention on the GPU and puts experts of the first N layers in RAM', () => {
    const p = planFit({ ...catalogModel('gpt-oss-120b'), quant: 'MXFP4_MOE', ctx: 32768, devices: [rtx4090], ramBytes: 128 * GiB });
    expect(p.verdict).toBe('fits-with-offload');
    expect(p.llamaCpp!.nGpuLayers).toBe(37);
    const n = p.llamaCpp!.nCpuMoe;
    expect(n).toBe(24);
    expect(p.ram.expertLayers).toBe(24);
    expect(p.reason).toMatch(/--n-cpu-moe 24/);
    // The smallest N: N - 1 does not fit. (Each layer's experts weigh the same.)
    const expertsPerLayer = (p.ram.weights - p.estimate.weights.byLayer.nonBlock + 0) / n;
    expect(p.devices[0]!.free - DEFAULT_MARGIN_BYTES).toBeLessThan(expertsPerLayer);
  });

  it('Apple M4 Max 128 GB: only the working-set share (84%) is the GPU budget; a user override applies', () => {
    const mac = device('m4-max-128');
    const p = planFit({ ...catalogModel('llama-3.1-70b'), quant: 'Q4_K_M', ctx: 32768, devices: [mac] });
    expect(p.devices[0]!.budget).toBe(Math.floor(0.84 * 128 * GiB));
    expect(p.devices[0]!.overhead).toBe(0); // Metal: no CUDA context
    expect(p.verdict).toBe('fits');
    expect(p.ram.unified).toBe(true);
    // RAM defaults to the Mac's memory, minus what the GPU uses.
    expect(p.ram.budget).toBe(128 * GiB - p.devices[0]!.used);
    const low = planFit({ ...catalogModel('llama-3.1-70b'), quant: 'Q4_K_M', ctx: 32768, devices: [{ ...mac, gpuWorkingSetShare: 0.3 }] });
    expect(low.verdict).toBe('fits-with-offload');
    expect(() => planFit({ ...catalogModel('llama-3.1-8b'), quant: 'Q4_K_M', ctx: 4096, devices: [{ ...mac, gpuWorkingSetShare: 1 }] })).toThrow(SizingError);
  });

  it('a Mac without a measured share gets the rule of the measurements: 2/3, 3/4, 84%', () => {
    expect(defaultWorkingSetShare(32 * GiB)).toBeCloseTo(2 / 3, 10);
    expect(defaultWorkingSetShare(64 * GiB)).toBe(0.75);
    expect(defaultWorkingSetShare(192 * GiB)).toBe(0.84);
  });

  it('CPU only: fits in RAM or not', () => {
    const p = planFit({ ...catalogModel('llama-3.1-8b'), quant: 'Q4_K_M', ctx: 4096, devices: [], ramBytes: 16 * GiB });
    expect(p.verdict).toBe('fits');
    expect(p.ram.weights).toBe(p.estimate.weightsBytes);
    expect(planFit({ ...catalogModel('llama-3.1-70b'), quant: 'Q4_K_M', ctx: 4096, devices: [], ramBytes: 16 * GiB }).verdict).toBe('does-not-fit');
  });

  it('not enough RAM for the offloaded part: does not fit', () => {
    const p = planFit({ ...catalogModel('llama-3.1-70b'), quant: 'Q4_K_M', ctx: 8192, devices: [rtx4090], ramBytes: 16 * GiB });
    expect(p.verdict).toBe('does-not-fit');
    expect(p.ram.fits).toBe(false);
  });

  it('the margin is the user\'s: a larger margin leaves fewer layers on the GPU', () => {
    const base = { ...catalogModel('llama-3.1-70b'), quant: 'Q4_K_M', ctx: 8192, devices: [rtx4090], ramBytes: ram64 };
    expect(planFit({ ...base, marginBytes: 4 * GiB }).llamaCpp!.nGpuLayers).toBeLessThan(planFit(base).llamaCpp!.nGpuLayers);
  });

  it('sized tensors add up to the engine\'s weights for GGUF and GPU formats', () => {
    for (const [quant, runtime] of [['Q4_K_M', 'llama.cpp'], ['awq', 'vllm']] as const) {
      const p = planFit({ ...catalogModel('qwen2.5-7b'), quant, ctx: 4096, runtime, devices: [rtx4090] });
      const s = sizedTensors(catalogModel('qwen2.5-7b').model, quant, runtime);
      expect(s.tensors.reduce((a, t) => a + t.bytes, 0)).toBe(p.estimate.weightsBytes);
    }
  });
});

describe('planFit: vLLM tensor parallelism', () => {
  const qwen = modelShapeFromConfig(catalogModel('qwen2.5-7b').model.kind === 'config' ? (catalogModel('qwen2.5-7b').model as { config: Record<string, unknown> }).config : {});
  it('KV heads per GPU = max(1, kv_heads / tp): Qwen2.5-7B has 4 KV heads, 1 per GPU at tp 4 and at tp 8', () => {
    for (const [tp, heads] of [[1, 4], [2, 2], [4, 1], [8, 1]] as const) {
      const r = shapePerRank(qwen, tp);
      for (const l of r.layers) if (l.mixer.kind === 'attention') expect(l.mixer.nHeadKv).toBe(heads);
    }
    const p = planFit({ ...catalogModel('qwen2.5-7b'), quant: 'bf16', ctx: 32768, runtime: 'vllm', devices: Array(4).fill(device('h100-sxm')) });
    expect(p.verdict).toBe('fits');
    expect(p.vllm!.kvHeadsPerGpu).toBe(1);
    // 28 layers x 1 head x (128 + 128) x 2 B = 14 KiB per token per GPU; 32768 tokens = 448 MiB.
    expect(p.vllm!.neededKvBytesPerGpu).toBe(32768 * 28 * 256 * 2);
  });

  it('tp 8 is refused for Qwen2.5-7B: its 28 attention heads do not divide by 8', () => {
    const p = planFit({ ...catalogModel('qwen2.5-7b'), quant: 'bf16', ctx: 4096, runtime: 'vllm', devices: Array(8).fill(device('h100-sxm')) });
    expect(p.verdict).toBe('does-not-fit');
    expect(p.reason).toMatch(/28 attention heads/);
  });

  it('weights are sharded except replicated parts; k/v projections replicate past the KV heads', () => {
    const { tensors, shape } = sizedTensors(catalogModel('qwen2.5-7b').model, 'bf16', 'vllm');
    const total = tensors.reduce((s, t) => s + t.bytes, 0);
    const w2 = weightsPerRank(tensors, shape, 2);
    expect(w2).toBeGreaterThan(total / 2);
    expect(w2).toBeLessThan(total / 2 + 2 * MiB); // only norms and biases replicated
    const w8 = weightsPerRank(tensors, shape, 8);
    const kvWeights = tensors.filter((t) => /attn_[kv]\.weight/.test(t.name)).reduce((s, t) => s + t.bytes, 0);
    // At tp 8 each rank keeps 1 of 4 KV heads: k/v weights / 4 instead of / 8.
    expect(w8 - total / 8).toBeGreaterThan(kvWeights / 4 - kvWeights / 8 - 1);
  });

  it('MLA: the latent cache is replicated on every GPU (DeepSeek-V2-Lite, tp 2 vs tp 1)', () => {
    const base = { ...catalogModel('deepseek-v2-lite'), quant: 'bf16', ctx: 8192, runtime: 'vllm' as const };
    const one = planFit({ ...base, devices: [device('h100-sxm')] });
    const two = planFit({ ...base, devices: [device('h100-sxm'), device('h100-sxm')] });
    expect(two.vllm!.neededKvBytesPerGpu).toBe(one.vllm!.neededKvBytesPerGpu);
    // 27 layers x (512 + 64) x 2 B x 8192 tokens.
    expect(one.vllm!.neededKvBytesPerGpu).toBe(27 * 576 * 2 * 8192);
  });

  it('when the context does not fit, vLLM\'s own message with the estimated maximum model length', () => {
    const p = planFit({ ...catalogModel('llama-3.1-70b'), quant: 'bf16', ctx: 131072, runtime: 'vllm', devices: [device('h100-sxm'), device('h100-sxm')] });
    expect(p.verdict).toBe('does-not-fit');
    expect(p.vllm!.starts).toBe(false);
    const n = p.vllm!.estimatedMaxModelLen!;
    expect(p.vllm!.message).toContain(`the estimated maximum model length is ${n}`);
    // Plugging n back in: it starts; n + 16 (one more block) does not.
    const at = (ctx: number) => planFit({ ...catalogModel('llama-3.1-70b'), quant: 'bf16', ctx, runtime: 'vllm', devices: [device('h100-sxm'), device('h100-sxm')] });
    expect(at(n).vllm!.starts).toBe(true);
    expect(at(n + 16).vllm!.starts).toBe(false);
    // 80 layers x 4 KV heads per GPU x 256 x 2 B = 160 KiB per token per GPU.
    expect(p.vllm!.neededKvBytesPerGpu).toBe(131072 * 80 * 4 * 256 * 2);
  });

  it('reports vLLM\'s token capacity and concurrency', () => {
    const p = planFit({ ...catalogModel('llama-3.1-8b'), quant: 'bf16', ctx: 8192, runtime: 'vllm', devices: [device('h100-sxm')] });
    expect(p.verdict).toBe('fits');
    const perToken = 32 * 8 * 256 * 2;
    expect(p.vllm!.kvCacheTokens).toBe(Math.floor(p.vllm!.availableKvBytesPerGpu / (perToken * 16)) * 16);
    expect(p.vllm!.maxConcurrency).toBeCloseTo(p.vllm!.kvCacheTokens / 8192, 1);
  });
});

describe('planFit: transformers device_map="auto"', () => {
  it('fills GPU 0, then the CPU; the embedding goes to GPU 0', () => {
    const p = planFit({ ...catalogModel('llama-3.1-8b'), quant: 'bf16', ctx: 8192, runtime: 'transformers', devices: [device('rtx-3060-12gb')], ramBytes: ram64 });
    expect(p.verdict).toBe('fits-with-offload');
    expect(p.transformers!.embeddingDevice).toBe(0);
    const layers = p.transformers!.layerDevice;
    const firstCpu = layers.indexOf(-1);
    expect(firstCpu).toBeGreaterThan(0);
    expect(layers.slice(firstCpu).every((d) => d === -1)).toBe(true);
    expect(p.devices[0]!.free).toBeGreaterThanOrEqual(DEFAULT_MARGIN_BYTES);
    const fits = planFit({ ...catalogModel('llama-3.1-8b'), quant: 'bf16', ctx: 8192, runtime: 'transformers', devices: [rtx4090], ramBytes: ram64 });
    expect(fits.verdict).toBe('fits');
  });
});
