/**
 * The engine against llama.cpp's own CUDA start-up lines (src/data/reference/field-llamacpp-cuda.json): every printed
 * buffer of every usable record, predicted buffer by buffer and device by device.
 *
 *  - model buffer per GPU: the sized tensors (sized-tensors.ts, llama-quantize's rules for the file type) of the layers
 *    fit-llamacpp.ts places on that GPU (its layer split: -ngl counting the output layer, splits by each GPU's free
 *    memory or -ts), then the record's tensor overrides (-ot, --n-cpu-moe: first matching pattern wins, as
 *    llama-model.cpp's regex_search loop) and, with -sm row, the 2-D matrices moved to the CUDAn_Split buffer;
 *  - KV (and recurrent-state) buffer per GPU: each layer's cache (kvCache of the build's profile) on its layer's GPU;
 *  - compute buffer per GPU and the CUDA_Host buffer: llamaCppCudaComputeBuffers (compute-buffer.ts).
 *
 * Quantities whose inputs the log does not give (custom per-tensor quant recipes, splits not printed, buffers of a
 * BLAS backend) carry the record's reason and are never scored. test/unit/field-llamacpp-cuda.test.ts asserts the
 * targets on the held-out set; npm run accuracy and the accuracy chapter print the same rows.
 */
import fieldJson from '../../../data/reference/field-llamacpp-cuda.json';
import { findModel } from '../../../data/catalog';
import { planFit } from '../../../sizing/plan/fit';
import type { PlanDevice } from '../../../sizing/plan/devices';
import { isOutputLayerTensor, isRoutedExpertTensor, sizedTensors, type SizedTensor } from '../../../sizing/plan/sized-tensors';
import { kvCache } from '../../../sizing/memory/kv-cache';
import { llamaCppCudaComputeBuffers, type CudaGraphPlacement, type CudaGraphRules } from '../../../sizing/memory/compute-buffer';
import type { HfConfig, ModelShape } from '../../../sizing/types';
import { MiB } from '../../../sizing/units';

// ---------------------------------------------------------------------------------------------------------------
// The reference file

interface Settings {
  n_ctx: number | null;
  n_ctx_per_seq: number | null;
  n_seq_max: number;
  n_ubatch: number | null;
  flash_attn: boolean | 'auto' | null;
  type_k: string | null;
  type_v: string | null;
  ngl: number | null;
  split_mode: 'layer' | 'row';
  overrides: { pattern: string; buft: string }[];
  n_cpu_moe: number | null;
  no_mmap: boolean;
}

interface Split {
  kind: 'single' | 'equal' | 'free-memory' | 'tensor-split' | 'from-kv';
  free_MiB?: number[];
  weights?: number[];
  layers?: number[];
}

export interface FieldRecord {
  id: string;
  url: string;
  gpus: string[];
  settings: Settings;
  assumed?: { flash_attn?: boolean; n_ubatch?: number };
  values: {
    model_MiB?: Record<string, number | number[]>;
    kv_MiB?: Record<string, number[]>;
    rs_MiB?: Record<string, number>;
    compute_MiB?: Record<string, number>;
  };
  engine_model: string | null;
  engine: {
    file_type: string | null;
    kv_version: string | null;
    compute_rules: (CudaGraphRules & { blas?: boolean; note: string }) | null;
    split: Split;
  };
  set: 'fit' | 'held-out' | null;
  not_predicted: Record<string, string>;
}

export const FIELD_LLAMACPP_CUDA_DOC = fieldJson as unknown as { records: FieldRecord[] };
export const FIELD_LLAMACPP_CUDA_USABLE = FIELD_LLAMACPP_CUDA_DOC.records.filter((r) => r.engine_model !== null);

/** Targets of the field-truth issue per buffer: model 0.5%, KV 1%, compute 5% per device. */
export const CUDA_TOLERANCE = { model: 0.005, kv: 0.01, compute: 0.05 } as const;
export type CudaQuantity = keyof typeof CUDA_TOLERANCE;

// ---------------------------------------------------------------------------------------------------------------
// What the engine is given for a record

/** A record's engine_model to its config: a catalog id, or "fixture:<slug>" that only the caller (the tests) can give. */
export type ConfigResolver = (engineModel: string) => HfConfig | undefined;

export const catalogConfig: ConfigResolver = (id) => findModel(id)?.config as HfConfig | undefined;

/** Options of the load: the printed settings, else the record's stated assumptions. FA "auto" resolves to on with CUDA. */
function loadOptions(r: FieldRecord) {
  const s = r.settings;
  const fa = s.flash_attn === 'auto' ? true : (s.flash_attn ?? r.assumed?.flash_attn ?? true);
  return {
    ctx: s.n_ctx_per_seq ?? s.n_ctx ?? 4096,
    seqs: s.n_seq_max,
    typeK: s.type_k ?? 'f16',
    typeV: s.type_v ?? 'f16',
    flashAttn: fa,
    ubatch: s.n_ubatch ?? r.assumed?.n_ubatch ?? 512,
    ...(r.engine.kv_version ? { version: r.engine.kv_version } : {}),
  };
}

/** The proportions llama.cpp splits the layers by (load_tensors: each GPU's free memory, or -ts). */
function splitWeights(r: FieldRecord): number[] {
  const sp = r.engine.split;
  switch (sp.kind) {
    case 'single':
      return [1];
    case 'equal':
      return r.gpus.map(() => 1);
    case 'free-memory':
      return sp.free_MiB ?? [];
    case 'tensor-split':
      return sp.weights ?? [];
    case 'from-kv':
      // Layers per GPU as printed, the output layer counted on the last GPU: cumulative shares end exactly there.
      return (sp.layers ?? []).map((n, i, all) => n + (i === all.length - 1 ? 1 : 0));
  }
}

interface Layout {
  shape: ModelShape;
  tensors: SizedTensor[];
  nDevices: number;
  layerDevice: number[];
  outputDevice: number;
}

/** fit-llamacpp.ts's placement with the record's split: GPUs sized in proportion to it, far larger than the model. */
function layout(r: FieldRecord, config: HfConfig): Layout {
  const quant = r.engine.file_type ?? 'Q8_0'; // a custom recipe: tensors are placed, their sizes not compared
  const { shape, tensors } = sizedTensors({ kind: 'config', config }, quant, 'llama.cpp');
  const weights = splitWeights(r);
  const n = shape.layers.length;
  if (r.settings.ngl === 0) return { shape, tensors, nDevices: weights.length, layerDevice: new Array<number>(n).fill(-1), outputDevice: -1 };
  const devices: PlanDevice[] = weights.map((w, i) => ({ name: `CUDA${i}`, kind: 'gpu', memoryBytes: w * 2 ** 40 }));
  const o = loadOptions(r);
  const plan = planFit({
    model: { kind: 'config', config },
    quant,
    ctx: o.ctx,
    seqs: o.seqs,
    kvType: o.typeK,
    runtime: 'llama.cpp',
    devices,
    marginBytes: 0,
    flashAttn: o.flashAttn,
    ubatch: o.ubatch,
    ...(o.version ? { version: o.version } : {}),
  });
  const pl = plan.llamaCpp;
  if (!pl) throw new Error(`${r.id}: no llama.cpp placement`);
  return { shape, tensors, nDevices: weights.length, layerDevice: [...pl.layerDevice], outputDevice: pl.outputDevice };
}

/** --n-cpu-moe N as llama.cpp's common args expand it: routed experts of blocks 0..N-1 to the CPU. */
function overrides(r: FieldRecord): { re: RegExp; device: number }[] {
  const list = r.settings.overrides.map((o) => ({ re: new RegExp(o.pattern), device: o.buft === 'CPU' ? -1 : Number(o.buft.replace('CUDA', '')) }));
  for (let i = 0; i < (r.settings.n_cpu_moe ?? 0); i++) list.push({ re: new RegExp(`blk\\.${i}\\.ffn_(up|down|gate|gate_up)_(ch|)exps`), device: -1 });
  return list;
}

/** Where a tensor ends up: a GPU index or -1 (host memory). */
function locate(t: SizedTensor, l: Layout, ov: { re: RegExp; device: number }[]): number {
  const hit = ov.find((o) => o.re.test(t.name));
  if (hit) return hit.device;
  if (t.layer !== null) return l.layerDevice[t.layer] ?? -1;
  if (isOutputLayerTensor(t)) return l.outputDevice;
  if (t.role === 'token_embd') return -1;
  return l.layerDevice[0] ?? -1; // rope_freqs and the like live with block 0
}

/** -sm row: 2-D matrices of a layer go to the CUDAn_Split buffer (ggml_backend_split_buffer_type supports MUL_MAT only). */
const isSplitMatrix = (t: SizedTensor): boolean => t.dims.length === 2 && (t.dims[1] ?? 1) > 1;

interface ModelBuffers {
  device: number[];
  split: number[];
  host: number;
  /** Per GPU: true when every tensor of its (non-split) buffer is 1-D (F32 whatever the file type). */
  typeFree: boolean[];
}

function modelBuffers(r: FieldRecord, l: Layout): ModelBuffers {
  const ov = overrides(r);
  const row = r.settings.split_mode === 'row';
  const out: ModelBuffers = { device: new Array<number>(l.nDevices).fill(0), split: new Array<number>(l.nDevices).fill(0), host: 0, typeFree: new Array<boolean>(l.nDevices).fill(true) };
  for (const t of l.tensors) {
    const d = locate(t, l, ov);
    if (t.role === 'token_embd' && l.shape.tiedEmbeddings && l.outputDevice >= 0) {
      // A tied output head is token_embd duplicated on the output layer's device (fit-llamacpp tiedCopy).
      out.device[l.outputDevice] = (out.device[l.outputDevice] ?? 0) + t.bytes;
      out.typeFree[l.outputDevice] = false;
    }
    if (d < 0) {
      out.host += t.bytes;
    } else if (row && isSplitMatrix(t)) {
      out.split[d] = (out.split[d] ?? 0) + t.bytes;
    } else {
      out.device[d] = (out.device[d] ?? 0) + t.bytes;
      if (t.dims.length > 1) out.typeFree[d] = false; // 1-D tensors (norms, biases) are F32 in every file type
    }
  }
  return out;
}

/** Attention cache and recurrent state per GPU (-1: "CPU"), each layer's cache computed on its own. */
function cachesPerDevice(r: FieldRecord, l: Layout): { kv: Map<number, number>; rs: Map<number, number>; kvTotal: number } {
  const o = { runtime: 'llama.cpp' as const, ...loadOptions(r) };
  const kv = new Map<number, number>();
  const rs = new Map<number, number>();
  const memo = new Map<string, { kv: number; rs: number }>();
  l.shape.layers.forEach((layer, i) => {
    const key = JSON.stringify([layer.mixer, layer.state ?? null]);
    let b = memo.get(key);
    if (!b) {
      const groups = kvCache({ ...l.shape, layers: [{ ...layer, index: 0 }] }, o).groups;
      b = { kv: groups.filter((g) => g.label !== 'recurrent').reduce((s, g) => s + g.bytes, 0), rs: groups.filter((g) => g.label === 'recurrent').reduce((s, g) => s + g.bytes, 0) };
      memo.set(key, b);
    }
    const d = l.layerDevice[i] ?? -1;
    kv.set(d, (kv.get(d) ?? 0) + b.kv);
    rs.set(d, (rs.get(d) ?? 0) + b.rs);
  });
  return { kv, rs, kvTotal: [...kv.values()].reduce((s, b) => s + b, 0) };
}

/**
 * The compute placement: layer split, the device of each layer's FFN weights after overrides, the largest
 * host-resident weight per layer (what an offloaded op copies to GPU 0). With a BLAS backend, 2-D matmuls on host
 * weights run there instead (compute-buffer.ts mechanism 7): their output widths go to blasMatrixRows.
 */
function computePlacement(r: FieldRecord, l: Layout): CudaGraphPlacement {
  const ov = overrides(r);
  const blas = r.engine.compute_rules?.blas === true;
  const n = l.shape.layers.length;
  const ffnDevice = [...l.layerDevice];
  const ffnBytes = new Array<number>(n).fill(0);
  const hostWeightBytes = new Array<number>(n).fill(0);
  const blasMatrixRows: number[] = [];
  let outputHostWeightBytes = 0;
  for (const t of l.tensors) {
    const d = locate(t, l, ov);
    const matrix = t.dims.length === 2 && (t.dims[0] ?? 0) >= 32 && (t.dims[1] ?? 0) >= 32;
    const isOutputHead = t.role === 'output' || (t.role === 'token_embd' && l.shape.tiedEmbeddings);
    if (t.layer === null) {
      if (isOutputHead && l.outputDevice < 0 && (t.role === 'output' || d < 0)) {
        if (blas) blasMatrixRows.push(t.dims[1] ?? 0);
        else outputHostWeightBytes = Math.max(outputHostWeightBytes, t.bytes);
      }
      continue;
    }
    const isFfn = isRoutedExpertTensor(t) || /\.ffn_(up|gate|down|gate_up)\.weight$/.test(t.name);
    if (isFfn && t.bytes > (ffnBytes[t.layer] ?? 0)) {
      ffnBytes[t.layer] = t.bytes;
      ffnDevice[t.layer] = d;
    }
    if (d >= 0) continue;
    if (blas && matrix) blasMatrixRows.push(t.dims[1] ?? 0);
    else hostWeightBytes[t.layer] = Math.max(hostWeightBytes[t.layer] ?? 0, t.bytes);
  }
  const allOffloaded = l.layerDevice.every((d) => d >= 0) && l.outputDevice >= 0;
  // llama_context: pipeline parallelism needs several GPUs, every layer and the output offloaded, -sm layer, no overrides.
  const pipelineParallel = l.nDevices > 1 && allOffloaded && r.settings.split_mode === 'layer' && ov.length === 0;
  return {
    nDevices: l.nDevices,
    layerDevice: l.layerDevice,
    ffnDevice,
    hostWeightBytes,
    outputDevice: l.outputDevice,
    outputHostWeightBytes,
    pipelineParallel,
    blasBackend: blas,
    blasMatrixRows,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Rows: one per printed buffer

export interface CudaFieldRow {
  record: string;
  url: string;
  set: 'fit' | 'held-out';
  quantity: CudaQuantity;
  buffer: string;
  printed: number;
  predicted: number | null;
  /** Why the row is not a prediction (the record's not_predicted reason), or null. */
  excluded: string | null;
}

export const relErr = (row: CudaFieldRow): number => (row.predicted === null ? NaN : (row.predicted - row.printed) / row.printed);
const sum = (v: number | number[] | undefined): number => (Array.isArray(v) ? v.reduce((s, x) => s + x, 0) : (v ?? 0));

/** Every printed buffer of one record, predicted by the engine (null where the record says it cannot be). */
export function cudaRowsOf(r: FieldRecord, resolve: ConfigResolver = catalogConfig): CudaFieldRow[] {
  const set = r.set ?? 'fit';
  const np = r.not_predicted;
  const rows: CudaFieldRow[] = [];
  const add = (quantity: CudaQuantity, buffer: string, printed: number, predicted: number | null, excluded: string | null = null): void => {
    rows.push({ record: r.id, url: r.url, set, quantity, buffer, printed, predicted, excluded });
  };
  const config = resolve(r.engine_model ?? '');
  if (!config) return [];
  const l = layout(r, config);

  // Model buffers
  const mb = modelBuffers(r, l);
  for (const [name, printed] of Object.entries(r.values.model_MiB ?? {})) {
    const split = /^CUDA(\d+)_Split$/.exec(name);
    const dev = /^CUDA(\d+)$/.exec(name);
    if (split) {
      const d = Number(split[1]);
      const why = np['model:split'] ?? np.model ?? (r.engine.file_type ? null : 'file type unknown');
      add('model', name, sum(printed), r.engine.file_type ? (mb.split[d] ?? 0) / MiB : null, why);
    } else if (dev) {
      const d = Number(dev[1]);
      const known = r.engine.file_type !== null || mb.typeFree[d] === true;
      add('model', name, sum(printed), known ? (mb.device[d] ?? 0) / MiB : null, np.model ?? (known ? null : 'file type unknown (custom recipe)'));
    }
    // CPU / CUDA_Host (no mmap) are compared as one sum below; CPU_Mapped is one buffer per mapped GGUF shard.
  }
  if (r.settings.no_mmap && r.engine.file_type) {
    const printedHost = sum(r.values.model_MiB?.CPU) + sum(r.values.model_MiB?.CUDA_Host);
    if (printedHost > 0) add('model', 'host (CPU + CUDA_Host, --no-mmap)', printedHost, mb.host / MiB, 'host memory, not a GPU buffer: printed for information');
  }

  // KV and recurrent state
  if (r.values.kv_MiB || r.values.rs_MiB) {
    const c = cachesPerDevice(r, l);
    const perDeviceWhy = np.kv_per_device ?? np.kv ?? null;
    for (const [name, printed] of Object.entries(r.values.kv_MiB ?? {})) {
      const d = name === 'CPU' ? -1 : Number(name.replace('CUDA', ''));
      add('kv', name, sum(printed), (c.kv.get(d) ?? 0) / MiB, perDeviceWhy);
    }
    if (np.kv_per_device) {
      const printedTotal = Object.values(r.values.kv_MiB ?? {}).reduce((s, v) => s + sum(v), 0);
      add('kv', 'total', printedTotal, c.kvTotal / MiB);
    }
    for (const [name, printed] of Object.entries(r.values.rs_MiB ?? {})) {
      const d = Number(name.replace('CUDA', ''));
      add('kv', `${name} RS`, printed, (c.rs.get(d) ?? 0) / MiB);
    }
  }

  // Compute buffers
  if (r.values.compute_MiB && r.engine.compute_rules) {
    const o = loadOptions(r);
    const placement = computePlacement(r, l);
    const rules: CudaGraphRules = { maskF16Input: r.engine.compute_rules.maskF16Input, embdInputTensor: r.engine.compute_rules.embdInputTensor };
    const cb = llamaCppCudaComputeBuffers(l.shape, { ...o, cudaRules: rules }, placement);
    for (const [name, printed] of Object.entries(r.values.compute_MiB)) {
      const why = np[`compute:${name}`] ?? np.compute ?? null;
      if (name === 'CUDA_Host') add('compute', name, printed, cb.hostBytes / MiB, why);
      else if (name === 'CPU' && r.engine.compute_rules.blas) add('compute', name, printed, cb.cpuBytes / MiB, why);
      else if (/^CUDA\d+$/.test(name)) add('compute', name, printed, (cb.devices[Number(name.slice(4))]?.bytes ?? 0) / MiB, why);
      else add('compute', name, printed, null, why ?? 'not modelled');
    }
  }
  return rows;
}

