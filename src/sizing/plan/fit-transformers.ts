/**
 * transformers with device_map="auto" (accelerate's infer_auto_device_map): modules in execution order
 * (embed_tokens, layers 0..n-1, final norm + lm_head) fill GPU 0, then GPU 1, ..., then the CPU; a module is never
 * split (the decoder layer is a no-split module) and the map never returns to an earlier device. Each layer's
 * cache (DynamicCache) lives on the layer's device. Activations of the forward pass are charged to GPU 0 (where
 * the inputs enter) and the CUDA context to every GPU. Tied embeddings: lm_head is the embedding, placed with it.
 */
import { runtimeOverhead, CUDA_CONTEXT_BYTES } from '../memory/runtime.ts';
import { usableGpuBytes } from './devices.ts';
import { kvBytesPerLayer } from '../memory/kv-per-layer.ts';
import { baseNotes, gib, memoryRow, planOf, ramRow, verdictOf, type DevicePlan, type FitPlan, type PlanContext } from './fit-common.ts';
import { isOutputLayerTensor } from './sized-tensors.ts';
import type { TransformersPlacement } from './placements.ts';

export type { TransformersPlacement };


export function planTransformers(c: PlanContext): FitPlan {
  const { shape, tensors } = c;
  const n = shape.layers.length;
  const kvOpts = { runtime: 'transformers' as const, ctx: c.input.ctx, seqs: c.seqs, typeK: c.kvType, typeV: c.kvType, ...(c.input.version === undefined ? {} : { version: c.input.version }) };
  const kv = kvBytesPerLayer(shape, kvOpts);
  const blockWeights = new Array<number>(n).fill(0);
  let embedding = 0;
  let head = 0;
  for (const t of tensors) {
    if (t.layer !== null) blockWeights[t.layer] = (blockWeights[t.layer] ?? 0) + t.bytes;
    else if (isOutputLayerTensor(t)) head += t.bytes;
    else embedding += t.bytes;
  }
  const ov = runtimeOverhead(shape, { ...kvOpts, gpus: 1, backend: c.backend === 'cpu' ? 'cpu' : 'cuda' });
  const context = c.backend === 'cuda' ? CUDA_CONTEXT_BYTES : 0;
  const activations = ov.computeBytes + ov.outputBytes;
  const budgets = c.gpus.map(usableGpuBytes);
  const parts = c.gpus.map((_, i) => ({ weights: 0, kv: 0, compute: i === 0 ? activations : 0 }));
  const ramParts = { weights: 0, kv: 0, compute: c.gpus.length === 0 ? activations : 0 };
  let current = 0;
  let ramLayers = 0;
  const room = (i: number): number => {
    const p = parts[i];
    return p ? (budgets[i] ?? 0) - c.margin - context - p.weights - p.kv - p.compute : -Infinity;
  };
  /** Put a module on the current device if it fits, else move on (never back); past the last GPU: CPU. */
  const put = (weights: number, kvBytes: number): number => {
    while (current < parts.length && room(current) < weights + kvBytes) current++;
    const p = parts[current];
    if (!p) {
      ramParts.weights += weights;
      ramParts.kv += kvBytes;
      return -1;
    }
    p.weights += weights;
    p.kv += kvBytes;
    return current;
  };
  const embeddingDevice = put(embedding + (shape.tiedEmbeddings ? head : 0), 0);
  const layerDevice = blockWeights.map((w, i) => {
    const d = put(w, kv[i] ?? 0);
    if (d === -1) ramLayers += 1;
    return d;
  });
  const outputDevice = shape.tiedEmbeddings ? embeddingDevice : put(head, 0);
  const devices: DevicePlan[] = c.gpus.map((device, i) => {
    const p = parts[i] ?? { weights: 0, kv: 0, compute: 0 };
    const row = memoryRow({ ...p, overhead: context }, budgets[i] ?? 0);
    const free = row.free ?? 0;
    return {
      ...row,
      budget: budgets[i] ?? 0,
      free,
      device,
      margin: c.margin,
      layers: layerDevice.filter((d) => d === i).length,
      holdsOutput: outputDevice === i,
      fits: free >= c.margin,
    };
  });
  const unifiedUse = devices.reduce((s, d) => s + d.used, 0);
  const ram = ramRow(c, ramParts, ramLayers, 0, unifiedUse);
  const allOnGpu = c.gpus.length > 0 && embeddingDevice !== -1 && outputDevice !== -1 && ramLayers === 0;
  const gpusFit = devices.every((d) => d.fits);
  const verdict = verdictOf(allOnGpu || c.gpus.length === 0, gpusFit, ram);
  const reason =
    verdict === 'does-not-fit'
      ? gpusFit
        ? `device_map="auto" puts ${ramLayers} layers in RAM, which then needs ${gib(ram.used)}${ram.budget === null ? '' : ` of ${gib(ram.budget)}`}.`
        : `The activations of the forward pass (${gib(activations)}) do not fit on the first GPU.`
      : allOnGpu
        ? `device_map="auto" places every module on ${c.gpus.map((g) => g.name).join(' + ')}.`
        : c.gpus.length === 0
          ? 'Runs on the CPU from RAM.'
          : `device_map="auto" fills the GPUs and offloads ${ramLayers} of ${n} layers${outputDevice === -1 ? ' and lm_head' : ''} to the CPU (slow: weights cross PCIe every step).`;
  const notes = baseNotes(c);
  return planOf(c, { verdict, reason, devices, ram, transformers: { embeddingDevice, layerDevice, outputDevice }, notes });
}
