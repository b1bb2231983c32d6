/**
 * The fit calculators' engine side: raw inputs (src/components/calculators/fit/fit-state.ts) -> a plain, serializable result for the
 * islands to draw. Runs at build time (the page computes the default result and passes it as a prop) and in the
 * browser, loaded with import() on the first change, so the engine and the catalogs stay out of the page's
 * initial JavaScript.
 *
 * Every figure comes from src/sizing: planFit for the placement, maxContext / fewestGpus for the inverse
 * questions, decodeSpeed for the bandwidth bound, the launch.ts builders for the command.
 */
import { MODELS } from '../../../data/models';
import { DEVICES } from '../../../data/devices';
import type { ModelEntry, DeviceEntry } from '../../../data/schema';
import { planFit, DEFAULT_MARGIN_BYTES, defaultKvType, defaultWorkingSetShare, type FitInput, type FitPlan, type MemoryRow, type PlanDevice } from '../../../sizing/plan/fit';
import { maxContext, fewestGpus, type Limit } from '../../../sizing/plan/solvers';
import { decodeSpeed } from '../../../sizing/plan/speed';
import { llamaServerCommand, vllmServeCommand, ollamaCommand } from '../../../sizing/plan/launch';
import { canonicalFileTypeId, llamaCppFileTypes } from '../../../sizing/formats/file-types';
import { findGpuFormat } from '../../../sizing/formats/quant-names';
import { gpuFormats } from '../../../sizing/formats/gpu-formats';
import { modelShapeFromConfig } from '../../../sizing/model/model-shape';
import { shapeOf } from '../../../sizing/plan/sized-tensors';
import { MAX_CTX, type ModelSource } from '../../../sizing/memory/estimate';
import { SizingError } from '../../../sizing/errors';
import { parseNumber } from '../../../sizing/input';
import { GiB, MiB } from '../../../sizing/units';
import { FIT_DEFAULTS, GPU_ROWS, KV_CHOICES, RUNTIME_CHOICES, type FitKey, type FitOptionLists, type FitRuntime, type FitState } from './fit-state';

// ---------------------------------------------------------------------------------------------------------------
// Option lists (build time, passed to the islands as props)

const GPU_FORMAT_LABELS: Record<string, string> = {
  fp16: 'FP16 (unquantized)',
  bf16: 'BF16 (unquantized)',
  fp8: 'FP8',
  awq: 'AWQ 4-bit',
  'gptq-4bit-g128': 'GPTQ 4-bit',
  'gptq-8bit-g128': 'GPTQ 8-bit',
  'bnb-nf4': 'bitsandbytes NF4',
  'bnb-int8': 'bitsandbytes int8',
  nvfp4: 'NVFP4',
  mxfp4: 'MXFP4',
  'mxfp4-moe': 'MXFP4 experts (gpt-oss)',
};

function usableModels(): ModelEntry[] {
  return MODELS.filter((e) => {
    try {
      modelShapeFromConfig(e.config);
      return true;
    } catch {
      return false; // an architecture the engine does not read yet
    }
  });
}

export function fitOptionLists(): FitOptionLists {
  return {
    models: usableModels().map((e) => ({ id: e.id, name: e.name, family: e.family })),
    devices: DEVICES.map((d) => ({
      id: d.id,
      name: d.name,
      kind: d.kind,
      memoryBytes: d.memoryBytes,
      bandwidthGBps: d.bandwidthGBps,
      ...(d.gpuWorkingSetShare === undefined ? {} : { share: d.gpuWorkingSetShare }),
    })),
    quants: [
      { label: 'GGUF file types (llama.cpp, Ollama)', options: llamaCppFileTypes().map((f) => ({ value: f.id, label: f.id })) },
      {
        label: 'GPU formats (vLLM, transformers)',
        options: gpuFormats()
          .filter((f) => f.id !== 'fp32')
          .map((f) => ({ value: f.id, label: GPU_FORMAT_LABELS[f.id] ?? f.name })),
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The result

/** One memory's row as the fit calculators show it: the engine's MemoryRow, named, with its margin and layers. */
export interface RowView extends MemoryRow {
  name: string;
  margin: number;
  /** Transformer blocks here (RAM: blocks run from RAM). */
  layers: number;
  /** RAM: blocks whose routed experts are in RAM. */
  expertLayers: number;
  holdsOutput: boolean;
  fits: boolean;
}

export interface LimitView {
  ctx: number;
  explanation: string;
}

export interface CommandView {
  kind: 'llama-server' | 'ollama' | 'vllm' | 'none';
  text: string;
  note: string;
}

export interface SpeedView {
  upperBound: number;
  expectedLow: number;
  expectedHigh: number;
  perDevice: { name: string; bytes: number; bandwidthGBps: number }[];
  source: string;
}

export interface FitResultView {
  verdict: FitPlan['verdict'];
  reason: string;
  tightest: string | null;
  modelName: string;
  quant: string;
  ctx: number;
  seqs: number;
  kvType: string;
  runtime: FitRuntime;
  weightsBytes: number;
  kvBytes: number;
  devices: RowView[];
  ram: RowView;
  unified: boolean;
  /** Largest context fully on the accelerators (on RAM for CPU only); null when not asked for. */
  maxCtx: LimitView | null;
  /** Largest context when part of the model may run from RAM (llama.cpp, Ollama, transformers with GPUs). */
  maxCtxOffload: LimitView | null;
  modelMaxContext: number;
  /** GPUs of the first row's kind needed to hold everything (GPU hardware only). */
  gpusNeeded: { device: string; count: number | null; explanation: string } | null;
  llamaCpp: { ngl: number; nLayer: number; nCpuMoe: number; tensorSplit: number[] } | null;
  vllm: {
    tp: number;
    kvCacheTokens: number;
    maxConcurrency: number;
    starts: boolean;
    message: string | null;
    estimatedMaxModelLen: number | null;
    kvHeadsPerGpu: number;
    /** The start-up figures vLLM logs, as predicted, per GPU (bytes). */
    utilization: number;
    cudaTotalBytes: number;
    cudaTotalEstimated: boolean;
    weightsBytes: number;
    activationBytes: number;
    cudaGraphBytes: number;
    cudaGraphSubtracted: boolean;
    availableKvBytes: number;
  } | null;
  speed: SpeedView | { error: string };
  command: CommandView;
  notes: string[];
}

export interface FitView {
  /** Canonical quantization id for the select (null when not recognised). */
  quant: string | null;
  /** The runtime in effect (chosen from the quantization when the URL names none). */
  runtime: FitRuntime;
  /** The KV type in effect. */
  kv: string;
  /** Apple: the share in effect, 0-1, and what it allows. */
  apple: { share: number; defaultShare: number; usableBytes: number; memoryBytes: number } | null;
  errors: Partial<Record<FitKey, string>>;
  /** A problem that belongs to no single field. */
  message: string | null;
  result: FitResultView | null;
}

const FIELD_OF_ENGINE: Record<string, FitKey> = {
  quant: 'quant',
  fileType: 'quant',
  format: 'quant',
  imatrix: 'quant',
  kvType: 'kv',
  typeK: 'kv',
  typeV: 'kv',
  ctx: 'ctx',
  seqs: 'users',
  ramBytes: 'ram',
  marginBytes: 'margin',
  gpuWorkingSetShare: 'share',
  runtime: 'runtime',
};

const isRuntime = (v: string): v is FitRuntime => RUNTIME_CHOICES.some((c) => c.value === v);
const isGpuRuntime = (r: FitRuntime) => r === 'vllm' || r === 'transformers';

/** A quantization name in any casing -> its canonical id, a GGUF file type or a GPU format, whichever the runtime loads. */
export function resolveQuant(raw: string, runtime: FitRuntime | null): { id: string; kind: 'gguf' | 'gpu' } | null {
  const text = raw.trim();
  if (text === '') return null;
  const ft = canonicalFileTypeId(text);
  const gf = findGpuFormat(text);
  if (ft && gf) return runtime && isGpuRuntime(runtime) ? { id: gf.id, kind: 'gpu' } : { id: ft, kind: 'gguf' };
  if (ft) return { id: ft, kind: 'gguf' };
  if (gf) return { id: gf.id, kind: 'gpu' };
  return null;
}

const shown = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

function planDevice(d: DeviceEntry, extra: Partial<PlanDevice> = {}): PlanDevice {
  return {
    id: d.id,
    name: d.name,
    kind: d.kind,
    memoryBytes: d.memoryBytes,
    bandwidthGBps: d.bandwidthGBps,
    ...(d.gpuWorkingSetShare === undefined ? {} : { gpuWorkingSetShare: d.gpuWorkingSetShare }),
    ...(d.cudaTotalBytes === undefined ? {} : { cudaTotalBytes: d.cudaTotalBytes }),
    ...extra,
  };
}

/** The MemoryRow part of a device or RAM plan (the rest of the plan stays out of the serialized view). */
function memoryOf(r: MemoryRow): MemoryRow {
  return { weights: r.weights, kv: r.kv, compute: r.compute, overhead: r.overhead, used: r.used, budget: r.budget, free: r.free };
}

function rowOf(r: FitPlan['devices'][number]): RowView {
  return {
    name: r.device.name,
    ...memoryOf(r),
    margin: r.margin,
    layers: r.layers,
    expertLayers: 0,
    holdsOutput: r.holdsOutput,
    fits: r.fits,
  };
}

function ramRowOf(r: FitPlan['ram']): RowView {
  return {
    name: 'System RAM',
    ...memoryOf(r),
    margin: 0,
    layers: r.layers,
    expertLayers: r.expertLayers,
    holdsOutput: false,
    fits: r.fits,
  };
}

const PART_WORDS: Record<string, string> = { weights: 'the weights', kv: 'the KV cache', compute: 'the compute buffer', overhead: 'the CUDA context' };

function tightestText(plan: FitPlan): string | null {
  const t = plan.tightest;
  if (!t) return null;
  const gib = (t.freeAboveMargin / GiB).toFixed(2);
  return t.freeAboveMargin >= 0
    ? `Tightest device: ${t.device}, ${gib} GiB free above the margin; its largest part is ${PART_WORDS[t.largestPart] ?? t.largestPart}.`
    : `${t.device} is ${(-t.freeAboveMargin / GiB).toFixed(2)} GiB short of its margin; its largest part is ${PART_WORDS[t.largestPart] ?? t.largestPart}.`;
}

function limitView(ctx: number, limit: Limit): LimitView {
  return { ctx, explanation: limit.explanation };
}

/** Runs the engine; a plan that needs an importance matrix is made with one (as such files are published). */
function plan(input: FitInput): FitPlan {
  try {
    return planFit(input);
  } catch (e) {
    if (e instanceof SizingError && e.field === 'imatrix') return planFit({ ...input, imatrix: true });
    throw e;
  }
}

function withImatrix(input: FitInput): FitInput {
  try {
    planFit(input);
    return input;
  } catch (e) {
    if (e instanceof SizingError && e.field === 'imatrix') return { ...input, imatrix: true };
    throw e;
  }
}

function commandOf(p: FitPlan): CommandView {
  if (p.verdict === 'does-not-fit') return { kind: 'none', text: '', note: 'No command: this plan does not fit. Change an input above.' };
  if (p.runtime === 'vllm') return { kind: 'vllm', text: vllmServeCommand(p), note: 'vllm serve with the tensor-parallel size, context and memory share of this plan.' };
  if (p.runtime === 'ollama') {
    try {
      const c = ollamaCommand(p);
      return { kind: 'ollama', text: c.script, note: ['Ollama: the server environment and a Modelfile with num_ctx and num_gpu (layers on the GPU).', ...c.notes].join(' ') };
    } catch (e) {
      if (e instanceof SizingError) return { kind: 'none', text: '', note: e.message };
      throw e;
    }
  }
  if (p.runtime === 'transformers') {
    return { kind: 'none', text: '', note: 'transformers has no server command: load with device_map="auto", which places layers the way this plan does.' };
  }
  return { kind: 'llama-server', text: llamaServerCommand(p), note: 'llama-server with the context, layers on the GPU (-ngl) and expert offload (--n-cpu-moe) of this plan. Replace the file name with yours.' };
}

function speedOf(input: FitInput): SpeedView | { error: string } {
  try {
    const s = decodeSpeed(input);
    return {
      upperBound: s.tokensPerSecondUpperBound,
      expectedLow: s.expectedTokensPerSecond.low,
      expectedHigh: s.expectedTokensPerSecond.high,
      perDevice: s.perDevice.map((d) => ({ name: d.name, bytes: d.weightsBytes + d.kvBytes, bandwidthGBps: d.bandwidthGBps })),
      source: s.efficiencyRange.source,
    };
  } catch (e) {
    if (e instanceof SizingError) return { error: e.message };
    throw e;
  }
}

/** The whole calculation for one set of raw inputs. Never throws for bad input: errors are returned per field. */
/** A model from ModelPicker (Hugging Face id, pasted config.json, GGUF file) instead of a catalog id. */
export interface OwnModel {
  label: string;
  source: ModelSource;
  /** Hugging Face repository, for vllm serve. */
  hfId?: string;
  contextLength?: number;
}

export interface FitViewOptions {
  /** Compute the largest context (two searches); default true. */
  maxContext?: boolean;
  /** Use this model rather than state.model. */
  model?: OwnModel | null;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'model';

export function fitView(state: FitState, opts: FitViewOptions = {}): FitView {
  const errors: Partial<Record<FitKey, string>> = {};
  const explicitRuntime = isRuntime(state.runtime) ? state.runtime : null;
  if (state.runtime !== '' && !explicitRuntime) errors.runtime = `Runtime: “${shown(state.runtime)}” is not one of llama.cpp, ollama, vllm, transformers.`;
  const q = resolveQuant(state.quant, explicitRuntime);
  const runtime: FitRuntime = explicitRuntime ?? (q?.kind === 'gpu' ? (q.id.startsWith('bnb-') ? 'transformers' : 'vllm') : 'llama.cpp');
  if (!q) errors.quant = state.quant.trim() === '' ? 'Quantization: choose one.' : `Quantization: “${shown(state.quant)}” is not a GGUF file type or GPU format the engine knows.`;
  else if (q.kind === 'gguf' && isGpuRuntime(runtime)) errors.quant = `${q.id} is a GGUF file type, which llama.cpp and Ollama load; for ${runtime === 'vllm' ? 'vLLM' : 'transformers'} choose a GPU format (BF16, FP8, AWQ, GPTQ ...).`;
  else if (q.kind === 'gpu' && !isGpuRuntime(runtime)) errors.quant = `${q.id} is a GPU format, which vLLM and transformers load; llama.cpp and Ollama need a GGUF file type (Q4_K_M, Q8_0 ...).`;

  const kvChoices = KV_CHOICES[runtime];
  const kv = state.kv === '' ? defaultKvType(runtime) : state.kv.trim().toLowerCase();
  if (!kvChoices.some((c) => c.value === kv)) errors.kv = `KV cache type: “${shown(state.kv)}” is not one ${runtime} accepts (${kvChoices.map((c) => c.value).join(', ')}).`;

  const own = opts.model ?? null;
  const catalogEntry = own ? undefined : usableModels().find((e) => e.id === state.model.trim());
  const entry: { name: string; id: string; hfId?: string; source: ModelSource; contextLength?: number } | undefined = own
    ? { name: own.label, id: slug(own.hfId ?? own.label), ...(own.hfId ? { hfId: own.hfId } : {}), source: own.source, ...(own.contextLength ? { contextLength: own.contextLength } : {}) }
    : catalogEntry
      ? { name: catalogEntry.name, id: catalogEntry.id, hfId: catalogEntry.hfId, source: { kind: 'config', config: catalogEntry.config } }
      : undefined;
  if (!entry) errors.model = `Model: “${shown(state.model)}” is not in the catalog; choose one from the list.`;

  const ctx = parseNumber(state.ctx, { label: 'Context', min: 1, max: MAX_CTX, integer: true, unit: 'tokens' });
  if (!ctx.ok) errors.ctx = ctx.message;
  const users = parseNumber(state.users, { label: 'Concurrent users', min: 1, max: 1024, integer: true });
  if (!users.ok) errors.users = users.message;
  const margin = parseNumber(state.margin, { label: 'Safety margin', min: 0, max: 65536, unit: 'MiB' });
  if (!margin.ok) errors.margin = margin.message;
  const ramKind = DEVICES.find((d) => d.kind === 'cpu' && d.id === state.rambw.trim());
  if (!ramKind) errors.rambw = `RAM kind: “${shown(state.rambw)}” is not in the list.`;

  // Hardware
  const hw = state.hw === 'apple' || state.hw === 'cpu' ? state.hw : 'gpu';
  if (state.hw !== hw) errors.hw = `Hardware: “${shown(state.hw)}” is not one of gpu, apple, cpu; showing GPUs.`;
  const accelerators: PlanDevice[] = [];
  let firstGpu: DeviceEntry | undefined;
  let apple: FitView['apple'] = null;
  let ramBytes: number | undefined;
  if (hw === 'gpu') {
    GPU_ROWS.forEach(([dk, ck], i) => {
      const id = state[dk].trim();
      if (i > 0 && id === '') return;
      const d = DEVICES.find((x) => x.kind === 'gpu' && x.id === id);
      if (!d) errors[dk] = `GPU: “${shown(state[dk])}” is not in the list; choose one.`;
      const n = parseNumber(state[ck] === '' && i > 0 ? '1' : state[ck], { label: 'Number of GPUs', min: 1, max: 16, integer: true });
      if (!n.ok) errors[ck] = n.message;
      if (d && n.ok) for (let k = 0; k < n.value; k++) accelerators.push(planDevice(d));
      if (i === 0) firstGpu = d;
    });
    if (accelerators.length > 16) errors.gpus = `At most 16 GPUs in all; these rows add up to ${accelerators.length}.`;
  } else if (hw === 'apple') {
    const d = DEVICES.find((x) => x.kind === 'apple' && x.id === state.mac.trim());
    if (!d) errors.mac = `Mac: “${shown(state.mac)}” is not in the list; choose one.`;
    const defaultShare = d?.gpuWorkingSetShare ?? defaultWorkingSetShare(d?.memoryBytes ?? 0);
    let share = defaultShare;
    if (state.share.trim() !== '') {
      const s = parseNumber(state.share, { label: 'GPU working-set share', min: 1, max: 99, unit: '%' });
      if (s.ok) share = s.value / 100;
      else errors.share = s.message;
    }
    if (d) {
      accelerators.push(planDevice(d, { gpuWorkingSetShare: share }));
      apple = { share, defaultShare, usableBytes: Math.floor(share * d.memoryBytes), memoryBytes: d.memoryBytes };
    }
  }
  if (hw !== 'apple') {
    const ram = parseNumber(state.ram, { label: 'System RAM', min: 0, minInclusive: false, max: 65536, unit: 'GiB' });
    if (ram.ok) ramBytes = ram.value * GiB;
    else errors.ram = ram.message;
  }

  const base = { quant: q?.id ?? null, runtime, kv, apple, errors };
  // An unknown hardware kind or runtime in a link is reported but falls back (GPUs; runtime from the quantization).
  const blocking = (Object.keys(errors) as FitKey[]).filter((k) => k !== 'hw' && k !== 'runtime');
  if (blocking.length > 0 || !entry || !q || !ctx.ok || !users.ok || !margin.ok || !ramKind) return { ...base, message: null, result: null };

  const ramBandwidth = hw === 'apple' ? undefined : ramKind.bandwidthGBps;
  const devices: PlanDevice[] = [...accelerators];
  if (hw !== 'apple') devices.push(planDevice(ramKind, { memoryBytes: ramBytes ?? ramKind.memoryBytes }));
  let input: FitInput = {
    model: entry.source,
    modelLabel: entry.id,
    ...(entry.hfId ? { hfId: entry.hfId } : {}),
    quant: q.id,
    ctx: ctx.value,
    seqs: users.value,
    kvType: kv,
    runtime,
    devices,
    ...(ramBytes === undefined ? {} : { ramBytes }),
    ...(ramBandwidth === undefined ? {} : { ramBandwidthGBps: ramBandwidth }),
    marginBytes: margin.value * MiB,
  };
  let p: FitPlan;
  try {
    input = withImatrix(input);
    p = plan(input);
  } catch (e) {
    if (!(e instanceof SizingError)) throw e;
    const field = e.field ? FIELD_OF_ENGINE[e.field] : undefined;
    if (field) return { ...base, errors: { [field]: e.message }, message: null, result: null };
    return { ...base, message: e.message, result: null };
  }

  const hasGpu = accelerators.length > 0;
  const wantCtx = opts.maxContext !== false;
  const strict = wantCtx ? maxContext(input) : null;
  const loose = wantCtx && hasGpu && runtime !== 'vllm' && hw === 'gpu' ? maxContext(input, { allowOffload: true }) : null;
  let gpusNeeded: FitResultView['gpusNeeded'] = null;
  if (hw === 'gpu' && firstGpu) {
    const { devices: _omit, ...rest } = input;
    void _omit;
    const f = fewestGpus({ ...rest, ramDevice: planDevice(ramKind, { memoryBytes: ramBytes ?? ramKind.memoryBytes }) }, planDevice(firstGpu));
    gpusNeeded = {
      device: firstGpu.name,
      count: f.gpus,
      explanation:
        f.gpus === null
          ? `Even 16 are not enough: ${f.limitedBy?.explanation ?? ''}`
          : f.gpus === 1
            ? 'One is enough.'
            : `With ${f.gpus - 1}: ${f.limitedBy?.explanation ?? 'it does not fit.'}`,
    };
  }
  const l = p.llamaCpp;
  const v = p.vllm;
  const result: FitResultView = {
    verdict: p.verdict,
    reason: p.reason,
    tightest: tightestText(p),
    modelName: entry.name,
    quant: p.quant,
    ctx: p.ctx,
    seqs: p.seqs,
    kvType: p.kvType,
    runtime,
    weightsBytes: p.estimate.weightsBytes,
    kvBytes: p.estimate.kvCacheBytes,
    devices: p.devices.map(rowOf),
    ram: ramRowOf(p.ram),
    unified: p.ram.unified,
    maxCtx: strict ? limitView(strict.ctx, strict.limitedBy) : null,
    maxCtxOffload: loose ? limitView(loose.ctx, loose.limitedBy) : null,
    modelMaxContext: shapeOf(input.model).maxContext,
    gpusNeeded,
    llamaCpp: l ? { ngl: l.nGpuLayers, nLayer: l.nLayer, nCpuMoe: l.nCpuMoe, tensorSplit: l.tensorSplit } : null,
    vllm: v
      ? {
          tp: v.tp,
          kvCacheTokens: v.kvCacheTokens,
          maxConcurrency: v.maxConcurrency,
          starts: v.starts,
          message: v.message ?? null,
          estimatedMaxModelLen: v.estimatedMaxModelLen ?? null,
          kvHeadsPerGpu: v.kvHeadsPerGpu,
          utilization: v.gpuMemoryUtilization,
          cudaTotalBytes: v.cudaTotalBytes,
          cudaTotalEstimated: v.cudaTotalEstimated,
          weightsBytes: v.weightsBytesPerGpu,
          activationBytes: v.activationPeakBytes,
          cudaGraphBytes: v.cudaGraphBytes,
          cudaGraphSubtracted: v.cudaGraphSubtracted,
          availableKvBytes: v.availableKvBytesPerGpu,
        }
      : null,
    speed: p.verdict === 'does-not-fit' ? { error: 'No speed: the plan does not fit.' } : speedOf(input),
    command: commandOf(p),
    notes: p.notes,
  };
  return { ...base, message: null, result };
}

export { FIT_DEFAULTS, DEFAULT_MARGIN_BYTES };

// ---------------------------------------------------------------------------------------------------------------
// Offload planner: the same inputs placed three ways

export interface OffloadOptionView {
  key: 'gpu-only' | 'yours' | 'cpu-only';
  title: string;
  /** Where the model lives, in words. */
  placement: string;
  result: FitResultView;
}

export interface OffloadView {
  /** The plan on the reader's hardware (with its errors, when the inputs are not usable). */
  base: FitView;
  options: OffloadOptionView[];
}

function placementOf(r: FitResultView): string {
  const l = r.llamaCpp;
  if (r.devices.length === 0) return 'Everything in system RAM, run by the CPU.';
  if (!l) return r.reason;
  const gpus = r.devices.length === 1 ? (r.devices[0]?.name ?? 'GPU') : `${r.devices.length} GPUs`;
  if (l.nCpuMoe > 0) return `Attention, shared weights and KV cache of every layer on ${gpus}; routed experts of ${l.nCpuMoe} of ${l.nLayer} layers in RAM.`;
  if (r.ram.layers > 0) return `${l.ngl} of ${l.nLayer + 1} layers on ${gpus} (-ngl ${l.ngl}); ${r.ram.layers} layers in RAM.`;
  return `All ${l.nLayer} layers and the output layer on ${gpus}.`;
}

/**
 * The reader's GPUs with llama.cpp's offload (layers for a dense model, experts for a mixture of experts), against
 * enough GPUs of the same kind to hold everything, and against the CPU alone: placement and decode-speed bound each.
 */
export function offloadView(state: FitState): OffloadView {
  const llama: FitState = { ...state, runtime: state.runtime === 'ollama' ? 'ollama' : 'llama.cpp', hw: 'gpu' };
  const quick = { maxContext: false };
  const base = fitView(llama, quick);
  const r = base.result;
  if (!r) return { base, options: [] };
  const options: OffloadOptionView[] = [];
  const need = r.gpusNeeded?.count ?? null;
  if (r.verdict !== 'fits' && need !== null) {
    const all = fitView({ ...llama, gpus: String(need), gpu2: '', gpus2: '', gpu3: '', gpus3: '', gpu4: '', gpus4: '' }, quick).result;
    if (all) options.push({ key: 'gpu-only', title: `All on GPU: ${need} × ${r.gpusNeeded?.device ?? ''}`, placement: placementOf(all), result: all });
  }
  const yours =
    r.verdict === 'fits'
      ? 'Your GPUs: all on GPU'
      : r.llamaCpp && r.llamaCpp.nCpuMoe > 0
        ? `Your GPUs, expert offload (--n-cpu-moe ${r.llamaCpp.nCpuMoe})`
        : `Your GPUs, layer offload (-ngl ${r.llamaCpp?.ngl ?? 0})`;
  options.push({ key: 'yours', title: yours, placement: placementOf(r), result: r });
  const cpu = fitView({ ...llama, hw: 'cpu' }, quick).result;
  if (cpu) options.push({ key: 'cpu-only', title: 'CPU only', placement: placementOf(cpu), result: cpu });
  return { base, options };
}
