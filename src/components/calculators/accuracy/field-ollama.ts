/**
 * The engine against what Ollama itself printed in public logs (src/data/reference/field-ollama.json): per record,
 * what the engine predicts for the lines Ollama printed, through the engine's own functions:
 *  - the old estimator's offload line (Ollama up to 0.11/0.12): memory.required.kv, memory.graph.full/partial,
 *    memory.weights.*, layers.offload, memory.required.full/partial, and the runner's context (num_ctx x parallel):
 *    ollamaSchedule() of memory/ollama-estimator.ts on the sized tensors of the record's model and file type, with
 *    the settings the log prints and Ollama's defaults of that release (runtime-profiles.ts OLLAMA_PROFILES) for the rest;
 *  - llama.cpp's buffer lines of Ollama's runners and of llama-server (0.30+): the KV cache (kvCache, the profile's
 *    llama.cpp build) and the model buffers (the sized tensors of the layers on that device);
 *  - the Ollama engine's cache (0.6-0.29): ollamaEngineKvPerLayer.
 *
 * Targets, and why: the KV cache and the compute graph are formulas of the model's shape and the settings (Ollama's
 * own formulas for the estimator), so 1% (beyond the print's rounding); weights depend on how the file was quantized
 * (llama-quantize's rules against Ollama's published files), 2%; memory.required.* add everything up, 2%; layers
 * offloaded depend on free memory printed to 0.1 GiB (up to half a layer of a small model), so +-1 layer; the
 * context is a default, exact. Ollama prints one decimal (format.HumanBytes2), so every relative target also allows
 * half of the printed last digit.
 */
import fieldJson from '../../../data/reference/field-ollama.json';
import { MODELS } from '../../../data/models';
import { GiB, MiB } from '../../../sizing/units';
import { modelShapeFromConfig } from '../../../sizing/model/model-shape';
import { sizedTensors, type SizedTensor } from '../../../sizing/plan/sized-tensors';
import { kvBytesPerLayer } from '../../../sizing/memory/kv-per-layer';
import {
  ollamaDefaultNumCtx,
  ollamaProfileForRelease,
  compareOllamaReleases,
  parseOllamaRelease,
  type OllamaParallelRule,
  type OllamaProfile,
} from '../../../sizing/memory/runtime-profiles';
import {
  ollamaEngineKvPerLayer,
  ollamaEstimatorRules,
  ollamaGgufView,
  ollamaSchedule,
  type OllamaGpu,
  type OllamaProjector,
  type OllamaScheduled,
} from '../../../sizing/memory/ollama-estimator';
import type { HfConfig, ModelShape } from '../../../sizing/types';

export type OllamaQuantity = 'kv' | 'graph' | 'weights' | 'layers' | 'required' | 'context';

export interface FieldOllamaRecord {
  id: string;
  url: string;
  posted: string | null;
  ollama_version: string | null;
  version_evidence: string;
  version_as_run: string;
  engine: string;
  model_tag: string | null;
  values: Record<string, string | number>;
  prediction: {
    engine_model: string | null;
    config_overrides: Record<string, unknown>;
    file_type?: string | null;
    gguf_arch?: string;
    shape_from?: string;
    as_run?: { num_ctx?: number; parallel?: number; num_gpu?: number; kv_cache_type?: string; flash_attention?: boolean; gpu_overhead_bytes?: number; source: string };
    gpus?: { library: OllamaGpu['library']; free: string }[];
    gpus_assumed?: string;
    projector?: { kind: OllamaProjector['kind']; weights: string; graph: string; from: string };
    vram_total_bytes?: number;
    metal?: boolean;
    llama_cpp_buffers?: boolean;
    ollama_engine_cache?: boolean;
    quantities: OllamaQuantity[];
    not_predicted: Record<string, string>;
  };
  set: 'fit' | 'held-out';
}

export type FieldOllamaQuantity = `ollama-${OllamaQuantity}`;

/** A row as field-vllm.ts's FieldRow, with the printed key and whether the tolerance is relative or in layers. */
export interface FieldOllamaRow {
  quantity: FieldOllamaQuantity;
  id: string;
  /** The printed key compared ("memory.graph.partial", "CUDA0 model buffer" ...). */
  key: string;
  reference: string;
  source: string;
  set: 'fit' | 'held-out';
  predicted: number;
  measured: number;
  printed: string;
  /** Relative (a share of the printed value, the print's rounding included) or absolute (layers). */
  tolerance: number;
  toleranceKind: 'relative' | 'absolute';
}

/** The targets (see the header for why). */
export const OLLAMA_TARGETS: Record<FieldOllamaQuantity, number> = {
  'ollama-kv': 0.01,
  'ollama-graph': 0.01,
  'ollama-weights': 0.02,
  'ollama-required': 0.02,
  'ollama-layers': 1,
  'ollama-context': 0,
};

export const FIELD_OLLAMA: readonly FieldOllamaRecord[] = (fieldJson as unknown as { records: FieldOllamaRecord[] }).records;

/** Bytes of a printed figure ("896.0 MiB", "1.3 GiB", "17999.66 MiB", "3072 MiB", "16658268160 B", "22 GB"), and half its last digit. */
export function parsePrinted(printed: string | number): { bytes: number; halfStep: number } {
  if (typeof printed === 'number') return { bytes: printed, halfStep: 0 };
  const m = /^\s*([\d.]+)\s*(B|KiB|MiB|GiB|MB|GB)\b/.exec(printed);
  if (!m) throw new Error(`field-ollama: cannot read "${printed}"`);
  const unit = { B: 1, KiB: 1024, MiB, GiB, MB: 1e6, GB: 1e9 }[m[2] as 'B' | 'KiB' | 'MiB' | 'GiB' | 'MB' | 'GB'];
  const decimals = m[1]!.includes('.') ? m[1]!.split('.')[1]!.length : 0;
  return { bytes: Number(m[1]) * unit, halfStep: unit === 1 ? 0 : (0.5 * unit) / 10 ** decimals };
}

function configOf(r: FieldOllamaRecord): HfConfig {
  const m = MODELS.find((x) => x.id === r.prediction.engine_model);
  if (!m) throw new Error(`field-ollama: catalog model ${r.prediction.engine_model} is missing`);
  const config: HfConfig = { ...m.config };
  // Overrides apply to the text model (text_config where the catalog config has one).
  const text = (config['text_config'] as HfConfig | undefined) ?? undefined;
  if (text) config['text_config'] = { ...text, ...r.prediction.config_overrides };
  else Object.assign(config, r.prediction.config_overrides);
  return config;
}

/**
 * llama.cpp's layer placement for -ngl before PR #18148 (2025-12-18, "offload output layer to GPU first"): the last
 * ngl blocks, and the output layer only when ngl exceeds the blocks; from it on (llama-server of Ollama 0.30+)
 * i_gpu_start = n_layer + 1 - ngl.
 */
function gpuBlocks(nLayer: number, ngl: number, outputFirst: boolean): { blocks: Set<number>; output: boolean } {
  const start = outputFirst ? Math.max(nLayer + 1 - ngl, 0) : Math.max(nLayer - ngl, 0);
  const blocks = new Set<number>();
  for (let il = start; il < nLayer && il - start < ngl; il++) blocks.add(il);
  return { blocks, output: outputFirst ? ngl >= 1 : ngl > nLayer };
}

const before = (release: string, than: string): boolean => compareOllamaReleases(parseOllamaRelease(release), parseOllamaRelease(than)) < 0;

interface Context {
  r: FieldOllamaRecord;
  shape: ModelShape;
  tensors: SizedTensor[];
  profile: OllamaProfile;
  arch: string;
  label: string;
}

function rowsOf(c: Context, quantity: OllamaQuantity, key: string, predicted: number, note = ''): FieldOllamaRow[] {
  const printed = c.r.values[key];
  if (printed === undefined) return [];
  const { bytes, halfStep } = quantity === 'layers' || quantity === 'context' ? { bytes: Number(printed), halfStep: 0 } : parsePrinted(printed);
  if (!(bytes > 0)) return []; // "0 B": nothing to compare a share of (layers.offload covers it)
  const q = `ollama-${quantity}` as const;
  const relative = quantity !== 'layers';
  return [
    {
      quantity: q,
      id: c.r.id,
      key,
      reference: `${c.label}${note}`,
      source: c.r.url,
      set: c.r.set,
      predicted,
      measured: bytes,
      printed: `${key} ${typeof printed === 'number' ? printed.toLocaleString('en-US') : printed}`,
      tolerance: relative ? OLLAMA_TARGETS[q] + halfStep / bytes : OLLAMA_TARGETS[q],
      toleranceKind: relative ? 'relative' : 'absolute',
    },
  ];
}

/** Parallel as run: printed or stated, else the release's default (auto: the scheduler's choice). */
function parallelRule(c: Context): OllamaParallelRule {
  const p = c.r.prediction.as_run?.parallel;
  return p !== undefined ? { kind: 'fixed', value: p } : c.profile.numParallel;
}

function numCtxPerSequence(c: Context): number {
  const given = c.r.prediction.as_run?.num_ctx;
  if (given !== undefined) return given;
  const vram = c.r.prediction.vram_total_bytes ?? (c.r.prediction.gpus ?? []).filter((g) => g.library !== 'cpu').reduce((s, g) => s + parsePrinted(g.free).bytes, 0);
  return ollamaDefaultNumCtx(c.profile, vram, c.arch, c.r.version_as_run);
}

/** The old estimator, run as the scheduler ran it (memory/ollama-estimator.ts). */
function estimatorRows(c: Context): FieldOllamaRow[] {
  const p = c.r.prediction;
  const run = p.as_run ?? { source: '' };
  const view = ollamaGgufView(c.shape, c.tensors, { arch: c.arch });
  const rules = ollamaEstimatorRules(c.r.version_as_run);
  const gpus: OllamaGpu[] = p.gpus
    ? p.gpus.map((g) => ({ library: g.library, freeBytes: parsePrinted(g.free).bytes }))
    : [{ library: 'cuda', freeBytes: 1024 * GiB }]; // "100% GPU" (ps): every layer fits
  const proj = p.projector ? { kind: p.projector.kind, weights: parsePrinted(p.projector.weights).bytes, graph: parsePrinted(p.projector.graph).bytes } : undefined;
  const s: OllamaScheduled = ollamaSchedule(view, rules, parallelRule(c), {
    numCtx: numCtxPerSequence(c),
    gpus,
    ...(run.num_gpu === undefined ? {} : { numGpu: run.num_gpu }),
    ...(run.kv_cache_type === undefined ? {} : { kvCacheType: run.kv_cache_type }),
    flashAttention: run.flash_attention ?? false,
    ...(run.gpu_overhead_bytes === undefined ? {} : { gpuOverheadBytes: run.gpu_overhead_bytes }),
    ...(proj ? { projector: proj } : {}),
  });
  const e = s.estimate;
  const note = `, num_ctx ${s.context / s.parallel} x parallel ${s.parallel}`;
  const rows: FieldOllamaRow[] = [];
  const want = new Set(p.quantities);
  if (want.has('kv')) rows.push(...rowsOf(c, 'kv', 'memory.required.kv', e.kvTotal, note));
  if (want.has('graph')) {
    rows.push(...rowsOf(c, 'graph', 'memory.graph.full', e.graphFull, note));
    rows.push(...rowsOf(c, 'graph', 'memory.graph.partial', e.graphPartial, note));
  }
  if (want.has('weights')) {
    rows.push(...rowsOf(c, 'weights', 'memory.weights.total', e.weights.total));
    rows.push(...rowsOf(c, 'weights', 'memory.weights.repeating', e.weights.repeating));
    rows.push(...rowsOf(c, 'weights', 'memory.weights.nonrepeating', e.weights.nonrepeating));
  }
  if (want.has('layers')) rows.push(...rowsOf(c, 'layers', 'layers.offload', e.layers, note));
  if (want.has('required')) {
    rows.push(...rowsOf(c, 'required', 'memory.required.full', e.requiredFull, note));
    rows.push(...rowsOf(c, 'required', 'memory.required.partial', e.requiredPartial, note));
    rows.push(...rowsOf(c, 'required', 'scheduler.required', e.requiredPartial, note)); // the scheduler prints VRAMSize
    rows.push(...rowsOf(c, 'required', 'ollama ps SIZE', e.requiredFull, note)); // ps SIZE = TotalSize before v0.11.5
  }
  if (want.has('context')) {
    for (const key of ['--ctx-size', 'ctx-size']) rows.push(...rowsOf(c, 'context', key, s.context, ` (default num_ctx x parallel ${s.parallel})`));
  }
  return rows;
}

/** llama.cpp's own buffers in Ollama's runners (and llama-server from 0.30): KV and model buffers per device. */
function llamaCppRows(c: Context): FieldOllamaRow[] {
  const p = c.r.prediction;
  const run = p.as_run ?? { source: '' };
  const rows: FieldOllamaRow[] = [];
  const n = c.shape.layers.length;
  const outputFirst = !before(c.r.version_as_run, '0.30.0');
  const ngl = run.num_gpu ?? n + 1;
  const onGpu = gpuBlocks(n, ngl, outputFirst);
  const numCtx = numCtxPerSequence(c);
  const parallel = run.parallel ?? (c.profile.numParallel.kind === 'fixed' ? c.profile.numParallel.value : 1);
  const want = new Set(p.quantities);
  if (want.has('kv')) {
    const kv = kvBytesPerLayer(c.shape, {
      runtime: 'llama.cpp',
      ctx: numCtx,
      seqs: parallel,
      typeK: run.kv_cache_type ?? 'f16',
      typeV: run.kv_cache_type ?? 'f16',
      flashAttn: run.flash_attention ?? false,
      version: c.profile.llamaCppVersion,
    });
    const sum = (f: (i: number) => boolean) => kv.reduce((s, b, i) => s + (f(i) ? b : 0), 0);
    const note = `, n_ctx ${numCtx * parallel}${run.num_ctx === undefined ? ' (Ollama\'s default)' : ''}`;
    for (const key of ['KV self size', 'MTL0 context']) rows.push(...rowsOf(c, 'kv', key, sum(() => true), note));
    for (const key of ['CUDA0 KV buffer', 'ROCm0 KV buffer']) {
      // one GPU: its layers' caches (all of them when the whole model is offloaded)
      if (!(key in c.r.values) || 'CUDA1 KV buffer' in c.r.values) continue;
      rows.push(...rowsOf(c, 'kv', key, sum((i) => onGpu.blocks.has(i)), note));
    }
    rows.push(...rowsOf(c, 'kv', 'CPU KV buffer', sum((i) => !onGpu.blocks.has(i)), note));
  }
  if (want.has('weights')) {
    let gpu = 0;
    let input = 0;
    for (const t of c.tensors) {
      if (t.layer !== null) {
        if (onGpu.blocks.has(t.layer)) gpu += t.bytes;
      } else if (t.name.startsWith('token_embd.')) input += t.bytes;
      else if (onGpu.output) gpu += t.bytes; // output head and output_norm
    }
    const note = ` (${onGpu.blocks.size} blocks${onGpu.output ? ' and the output layer' : ''} on the GPU)`;
    for (const key of ['CUDA0 model buffer', 'ROCm0 model buffer', 'MTL0 model']) rows.push(...rowsOf(c, 'weights', key, gpu, note));
    // Full offload: the host buffer holds the input layer (token_embd) alone.
    if (onGpu.blocks.size === n && onGpu.output) {
      for (const key of ['CPU_Mapped model buffer', 'ROCm_Host model buffer']) rows.push(...rowsOf(c, 'weights', key, input, ' (the token embedding, always in host memory)'));
    }
  }
  if (want.has('context')) rows.push(...rowsOf(c, 'context', 'n_ctx', numCtx * parallel, ` (default num_ctx x parallel ${parallel})`));
  return rows;
}

/** The Ollama engine (0.6-0.29): its own cache per layer, and the token embedding it keeps on the CPU. */
function ollamaEngineRows(c: Context): FieldOllamaRow[] {
  const p = c.r.prediction;
  const rows: FieldOllamaRow[] = [];
  const want = new Set(p.quantities);
  if (want.has('kv')) {
    const numCtx = numCtxPerSequence(c);
    const parallel = p.as_run?.parallel ?? (c.profile.numParallel.kind === 'fixed' ? c.profile.numParallel.value : 1);
    const kv = ollamaEngineKvPerLayer(c.shape, { arch: c.arch, numCtx, parallel });
    const note = `, num_ctx ${numCtx}${p.as_run?.num_ctx === undefined ? ' (Ollama\'s default)' : ''} x parallel ${parallel}`;
    const total = kv.reduce((a, b) => a + b, 0);
    for (const key of ['kv cache CUDA0', 'kv cache ROCm0']) rows.push(...rowsOf(c, 'kv', key, total, note));
    const sliding = c.shape.layers.findIndex((l) => l.mixer.kind === 'attention' && l.mixer.window !== null);
    const global = c.shape.layers.findIndex((l) => l.mixer.kind === 'attention' && l.mixer.window === null);
    if (sliding >= 0) rows.push(...rowsOf(c, 'kv', 'cache per sliding layer', kv[sliding]!, note));
    if (global >= 0) rows.push(...rowsOf(c, 'kv', 'cache per global layer', kv[global]!, note));
  }
  if (want.has('weights')) {
    const input = c.tensors.filter((t) => t.name.startsWith('token_embd.')).reduce((s, t) => s + t.bytes, 0);
    rows.push(...rowsOf(c, 'weights', 'model weights CPU', input, ' (the token embedding: InputWeights)'));
  }
  return rows;
}

export function fieldOllamaRows(records: readonly FieldOllamaRecord[] = FIELD_OLLAMA): FieldOllamaRow[] {
  const rows: FieldOllamaRow[] = [];
  for (const r of records) {
    const p = r.prediction;
    if (p.engine_model === null || p.quantities.length === 0) continue;
    const config = configOf(r);
    const shape = modelShapeFromConfig(config);
    // Sized as the record's file type types them; without one (Ollama's own conversions) only shape-driven figures are compared.
    const { tensors } = sizedTensors({ kind: 'config', config }, p.file_type ?? 'Q8_0', 'ollama');
    const profile = ollamaProfileForRelease(r.version_as_run);
    const arch = p.gguf_arch ?? shape.ggufArch;
    const label = `${r.model_tag ?? p.engine_model}${p.file_type ? ` ${p.file_type}` : ''}, Ollama ${r.version_as_run}`;
    const c: Context = { r, shape, tensors, profile, arch, label };
    if (p.ollama_engine_cache) rows.push(...ollamaEngineRows(c));
    else if (p.llama_cpp_buffers) rows.push(...llamaCppRows(c));
    else if ('model weights CPU' in r.values) rows.push(...ollamaEngineRows(c));
    else rows.push(...estimatorRows(c));
  }
  return rows;
}

/** The signed error of a row: relative for bytes, in layers for layers.offload. */
export function fieldOllamaError(r: FieldOllamaRow): number {
  return r.toleranceKind === 'absolute' ? r.predicted - r.measured : (r.predicted - r.measured) / r.measured;
}

export function withinTarget(r: FieldOllamaRow): boolean {
  return Math.abs(fieldOllamaError(r)) <= r.tolerance + 1e-12;
}
