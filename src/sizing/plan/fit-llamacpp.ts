/**
 * llama.cpp (and Ollama, which runs llama-server) placing a model on GPUs and RAM.
 *
 * Layer placement (src/llama-model.cpp load_tensors, current master; gpustack/gguf-parser-go issue #42 on
 * the output layer): -ngl counts the output layer as one more layer.
 *   i_gpu_start    = max(n_layer + 1 - ngl, 0)
 *   act_gpu_layers = min(ngl, n_layer + 1)
 *   layer il (il = n_layer is the output layer) is on a GPU iff i_gpu_start <= il < i_gpu_start + act_gpu_layers,
 *   on GPU upper_bound(splits, (il - i_gpu_start) / act_gpu_layers), splits = cumulative tensor split, by default
 *   each device's free memory.
 * The input layer (token_embd) is always in host memory (dev_input = CPU; "CPU_Mapped model buffer"). A tied
 * embedding is duplicated for the output head on the output layer's device. Each layer's KV lives with the layer.
 * Every GPU holding layers allocates its compute buffer; host memory holds the graph inputs and the logits.
 *
 * Choice of -ngl (llama.cpp --fit, src/llama-fit-params.cpp): every GPU must keep the margin (-fitt, 1024 MiB)
 * free. MoE models first move routed experts of the first N layers to the CPU (--n-cpu-moe N), smallest N that
 * fits; failing that, and for dense models, the largest -ngl that fits.
 */
import { CUDA_CONTEXT_BYTES, runtimeOverhead } from '../memory/runtime.ts';
import { llamaCppCudaComputeBuffers, type ComputeBufferOptions } from '../memory/compute-buffer.ts';
import {
  baseNotes,
  gib,
  memoryRow,
  planOf,
  ramRow,
  verdictOf,
  type DevicePlan,
  type FitPlan,
  type PlanContext,
  type RamPlan,
} from './fit-common.ts';
import { usableGpuBytes } from './devices.ts';
import { kvBytesPerLayer } from '../memory/kv-per-layer.ts';
import { isOutputLayerTensor, isRoutedExpertTensor } from './sized-tensors.ts';
import type { LlamaCppPlacement } from './placements.ts';
import { ollamaPlanNotes } from './fit-ollama.ts';

export type { LlamaCppPlacement };


/** Bytes of one block, its routed experts apart. */
interface BlockBytes {
  dense: number;
  experts: number;
  kv: number;
  /** Its largest routed-expert tensor and its largest tensor: what GPU 0 copies in when they stay in host memory. */
  largestExpert: number;
  largestTensor: number;
}

/** What does not depend on -ngl: per-block bytes, the output layer, the input layer, the buffers. */
interface Layout {
  blocks: BlockBytes[];
  output: number;
  /** Bytes an output layer on a GPU adds for a tied embedding (its copy of token_embd). */
  tiedCopy: number;
  input: number;
  gpuCompute: number;
  hostCompute: number;
  cpuCompute: number;
  outputBuffer: number;
  /** CUDA: the compute buffers are sized per GPU for each placement (compute-buffer.ts); null on Metal and CPU. */
  cudaCompute: ComputeBufferOptions | null;
  budgets: number[];
  splits: number[];
  contextPerGpu: number;
}

function layout(c: PlanContext): Layout {
  const { shape, tensors } = c;
  const nLayer = shape.layers.length;
  const kvOpts = {
    runtime: 'llama.cpp' as const,
    ctx: c.input.ctx,
    seqs: c.seqs,
    typeK: c.kvType,
    typeV: c.kvType,
    ...(c.input.flashAttn === undefined ? {} : { flashAttn: c.input.flashAttn }),
    ...(c.input.ubatch === undefined ? {} : { ubatch: c.input.ubatch }),
    // Ollama: the llama.cpp build of its profile (estimate() resolved it from the Ollama version).
    ...(c.runtime === 'ollama' ? { version: c.estimate.runtimeVersion } : c.input.version === undefined ? {} : { version: c.input.version }),
  };
  const kv = kvBytesPerLayer(shape, kvOpts);
  const blocks: BlockBytes[] = Array.from({ length: nLayer }, (_, i) => ({ dense: 0, experts: 0, kv: kv[i] ?? 0, largestExpert: 0, largestTensor: 0 }));
  let output = 0;
  let input = 0;
  let tiedCopy = 0;
  for (const t of tensors) {
    if (t.layer !== null) {
      const b = blocks[t.layer];
      if (!b) continue;
      if (isRoutedExpertTensor(t)) {
        b.experts += t.bytes;
        b.largestExpert = Math.max(b.largestExpert, t.bytes);
      } else b.dense += t.bytes;
      b.largestTensor = Math.max(b.largestTensor, t.bytes);
    } else if (isOutputLayerTensor(t)) output += t.bytes;
    else if (t.role === 'token_embd') {
      input += t.bytes;
      if (shape.tiedEmbeddings) tiedCopy += t.bytes;
    } else if (blocks[0]) {
      // rope_freqs and the like: created in layer 0 (TENSOR_DUPLICATED in the others), so it lives with block 0.
      blocks[0].dense += t.bytes;
    } else input += t.bytes;
  }
  const overheadOpts = { ...kvOpts, gpus: 1 };
  const onGpu = c.backend === 'cpu' ? undefined : runtimeOverhead(shape, { ...overheadOpts, backend: c.backend });
  const onCpu = runtimeOverhead(shape, { ...overheadOpts, backend: 'cpu' });
  const budgets = c.gpus.map(usableGpuBytes);
  const total = budgets.reduce((s, b) => s + b, 0);
  let acc = 0;
  const splits = budgets.map((b) => (acc += b) / total);
  return {
    blocks,
    output,
    tiedCopy,
    input,
    gpuCompute: onGpu?.computeBytes ?? 0,
    hostCompute: onGpu?.hostComputeBytes ?? 0,
    cpuCompute: onCpu.computeBytes,
    outputBuffer: onCpu.outputBytes,
    cudaCompute: c.backend === 'cuda' ? kvOpts : null,
    budgets,
    splits,
    contextPerGpu: c.backend === 'cuda' ? CUDA_CONTEXT_BYTES : 0,
  };
}

/** std::upper_bound over the cumulative split: the first device whose share ends after `f`. */
function gpuFor(splits: number[], f: number): number {
  const i = splits.findIndex((s) => s > f);
  return i === -1 ? splits.length - 1 : i;
}

interface Placed {
  placement: LlamaCppPlacement;
  devices: DevicePlan[];
  ram: RamPlan;
  gpusFit: boolean;
}

interface Split {
  iGpuStart: number;
  act: number;
  parts: { weights: number; kv: number; layers: number; output: boolean }[];
  ram: { weights: number; kv: number; layers: number; expertLayers: number };
  layerDevice: number[];
  outputDevice: number;
}

/** Where -ngl and --n-cpu-moe put each block and the output layer, and the bytes that land on each GPU and in RAM. */
function split(c: PlanContext, l: Layout, ngl: number, nCpuMoe: number): Split {
  const nLayer = l.blocks.length;
  const iGpuStart = Math.max(nLayer + 1 - ngl, 0);
  const act = c.gpus.length === 0 ? 0 : Math.min(ngl, nLayer + 1);
  const deviceOf = (il: number): number =>
    il < iGpuStart || il - iGpuStart >= act ? -1 : gpuFor(l.splits, (il - iGpuStart) / act);

  const parts = c.gpus.map(() => ({ weights: 0, kv: 0, layers: 0, output: false }));
  const ram = { weights: l.input, kv: 0, layers: 0, expertLayers: 0 };
  const layerDevice = l.blocks.map((b, il) => {
    const d = deviceOf(il);
    const p = parts[d];
    if (!p) {
      ram.weights += b.dense + b.experts;
      ram.kv += b.kv;
      ram.layers += 1;
      return -1;
    }
    p.layers += 1;
    p.kv += b.kv;
    p.weights += b.dense;
    if (il < nCpuMoe && b.experts > 0) {
      ram.weights += b.experts;
      ram.expertLayers += 1;
    } else p.weights += b.experts;
    return d;
  });
  const outputDevice = deviceOf(nLayer);
  const outPart = parts[outputDevice];
  if (outPart) {
    outPart.weights += l.output + l.tiedCopy;
    outPart.output = true;
  } else ram.weights += l.output;
  return { iGpuStart, act, parts, ram, layerDevice, outputDevice };
}

/** Weights, cache and CUDA context alone overflow a GPU's budget less its margin: no graph can make it fit. */
function hopeless(c: PlanContext, l: Layout, s: Split): boolean {
  return s.parts.some((p, i) => p.weights + p.kv + l.contextPerGpu + c.margin > (l.budgets[i] ?? 0));
}

function place(c: PlanContext, l: Layout, ngl: number, nCpuMoe: number): Placed {
  const nLayer = l.blocks.length;
  const s = split(c, l, ngl, nCpuMoe);
  const { iGpuStart, act, parts, ram, layerDevice, outputDevice } = s;

  // A placement whose weights, cache and context alone overflow a GPU cannot fit: its graph is not sized.
  const overflows = hopeless(c, l, s);
  // CUDA: one compute buffer per GPU and the CUDA_Host buffer, for this very placement (compute-buffer.ts).
  const cuda =
    l.cudaCompute && c.gpus.length > 0 && !overflows
      ? llamaCppCudaComputeBuffers(c.shape, l.cudaCompute, {
          nDevices: c.gpus.length,
          layerDevice,
          ffnDevice: layerDevice.map((d, il) => (il < nCpuMoe && (l.blocks[il]?.experts ?? 0) > 0 ? -1 : d)),
          hostWeightBytes: l.blocks.map((b, il) => ((layerDevice[il] ?? -1) < 0 ? b.largestTensor : il < nCpuMoe && b.experts > 0 ? b.largestExpert : 0)),
          outputDevice,
          outputHostWeightBytes: outputDevice < 0 ? l.output : 0,
          pipelineParallel: c.gpus.length > 1 && act === nLayer + 1 && nCpuMoe === 0,
        })
      : null;
  const devices: DevicePlan[] = c.gpus.map((device, i) => {
    const p = parts[i] ?? { weights: 0, kv: 0, layers: 0, output: false };
    const holds = p.layers > 0 || p.output;
    const compute = cuda ? (cuda.devices[i]?.bytes ?? 0) : holds ? l.gpuCompute : 0;
    const row = memoryRow({ weights: p.weights, kv: p.kv, compute, overhead: l.contextPerGpu }, l.budgets[i] ?? 0);
    const free = row.free ?? 0;
    return { ...row, budget: l.budgets[i] ?? 0, free, device, margin: c.margin, layers: p.layers, holdsOutput: p.output, fits: free >= c.margin };
  });
  const anyOnCpu = ram.layers > 0 || ram.expertLayers > 0 || outputDevice === -1;
  // GPU runs: host buffer for graph inputs; CPU-side layers compute in host memory too (the CPU compute buffer).
  const hostCompute = cuda ? cuda.hostBytes + cuda.cpuBytes : c.gpus.length === 0 ? l.cpuCompute : anyOnCpu ? Math.max(l.hostCompute, l.cpuCompute) : l.hostCompute;
  const unifiedGpuUse = devices.reduce((s, d) => s + d.used, 0);
  const ramPlan = ramRow(c, { weights: ram.weights, kv: ram.kv, compute: hostCompute + l.outputBuffer }, ram.layers, ram.expertLayers, unifiedGpuUse);
  const tensorSplit = parts.map((p) => p.layers + (p.output ? 1 : 0));
  return {
    placement: {
      nGpuLayers: act === 0 ? 0 : Math.min(ngl, nLayer + 1),
      nCpuMoe: Math.min(nCpuMoe, nLayer),
      nLayer,
      iGpuStart,
      layerDevice,
      outputDevice,
      tensorSplit,
      splitWeights: l.budgets,
    },
    devices,
    ram: ramPlan,
    gpusFit: !overflows && devices.every((d) => d.fits),
  };
}

function hasRoutedExperts(l: Layout): boolean {
  return l.blocks.some((b) => b.experts > 0);
}

/** The placement llama.cpp --fit would settle on: everything, else fewest experts in RAM, else most layers. */
function choose(c: PlanContext, l: Layout): Placed {
  const nLayer = l.blocks.length;
  const full = place(c, l, nLayer + 1, 0);
  if (full.gpusFit || c.gpus.length === 0) return full;
  if (hasRoutedExperts(l)) {
    // Moving more experts to RAM only takes bytes off each GPU, so every n below the first hopeful one overflows:
    // find it by bisection, then try each n from there in order, as llama.cpp --fit does.
    let lo = 1;
    let hi = nLayer;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (hopeless(c, l, split(c, l, nLayer + 1, mid))) lo = mid + 1;
      else hi = mid;
    }
    for (let n = lo; n <= nLayer; n++) {
      const p = place(c, l, nLayer + 1, n);
      if (p.gpusFit) return p;
    }
  }
  const moe = hasRoutedExperts(l) ? nLayer : 0;
  // Fewer layers on the GPUs only takes bytes off them in total; while the total overflows the GPUs' total room, some
  // GPU overflows. Bisect for the largest -ngl whose total fits, then try each from there downwards.
  const room = l.budgets.reduce((sum, b) => sum + b - l.contextPerGpu - c.margin, 0);
  const totalOver = (ngl: number): boolean => split(c, l, ngl, moe).parts.reduce((sum, p) => sum + p.weights + p.kv, 0) > room;
  let top = nLayer + 1;
  if (totalOver(top)) {
    let lo = 0;
    while (lo < top) {
      const mid = (lo + top + 1) >> 1;
      if (totalOver(mid)) top = mid - 1;
      else lo = mid;
    }
  }
  for (let ngl = top; ngl >= 0; ngl--) {
    const p = place(c, l, ngl, moe);
    if (p.gpusFit) return p;
  }
  return place(c, l, 0, moe);
}

export function planLlamaCpp(c: PlanContext): FitPlan {
  const l = layout(c);
  const chosen = choose(c, l);
  const { placement: pl, devices, ram } = chosen;
  const nLayer = pl.nLayer;
  const allOnGpu = c.gpus.length > 0 && pl.nGpuLayers === nLayer + 1 && pl.nCpuMoe === 0;
  const onlyCpu = c.gpus.length === 0;
  const verdict = verdictOf(allOnGpu || onlyCpu, chosen.gpusFit, ram);
  const names = c.gpus.map((g) => g.name).join(' + ');
  const ramNeed = ram.budget === null ? '' : ` (RAM needs ${gib(ram.used)}, has ${gib(ram.budget)})`;
  let reason: string;
  if (onlyCpu) {
    reason = ram.fits ? `Runs on the CPU only, from RAM: ${gib(ram.used)}${ram.budget === null ? '' : ` of ${gib(ram.budget)}`}.` : `Does not fit in RAM${ramNeed}.`;
  } else if (!ram.fits) {
    reason = `Even with ${nLayer + 1 - pl.nGpuLayers} of ${nLayer + 1} layers in RAM it does not fit${ramNeed}.`;
  } else if (allOnGpu) {
    reason = `All ${nLayer} layers and the output layer on ${names} (-ngl ${nLayer + 1}), each GPU keeping ${gib(c.margin)} free; the token embedding (${gib(l.input)}) stays in RAM as llama.cpp always keeps it.`;
  } else if (pl.nCpuMoe > 0 && pl.nGpuLayers === nLayer + 1) {
    reason = `Attention and shared weights of every layer fit on ${names}; the routed experts of the first ${pl.nCpuMoe} layers go to RAM (--n-cpu-moe ${pl.nCpuMoe}).`;
  } else {
    reason = `${pl.nGpuLayers} of ${nLayer + 1} layers (counting the output layer) fit on ${names} (-ngl ${pl.nGpuLayers}); the other ${ram.layers} blocks${pl.outputDevice === -1 ? ' and the output layer' : ''} run from RAM.`;
  }
  const notes = baseNotes(c);
  if (c.gpus.length > 1) notes.push(`Layers split in proportion to each GPU's free memory (llama.cpp's default tensor split): ${pl.tensorSplit.join(',')} layers.`);
  if (c.gpus.length > 0 && !allOnGpu) notes.push("In RAM, llama.cpp's CPU compute buffer is charged (an estimate: the CPU side of a split graph).");
  if (c.runtime === 'ollama') notes.push(...ollamaPlanNotes(c, pl));
  return planOf(c, { verdict, reason, devices, ram, llamaCpp: pl, notes });
}

export type { DevicePlan };
