/**
 * llm-memory subcommands over the planner: fit, max-ctx, speed, name. Thin: parse flags, call src/sizing, print.
 * Bad input exits 2 with one line on stderr, like the default command.
 */
import { parseArgs } from 'node:util';
import { SizingError } from '../sizing/errors.ts';
import { RUNTIMES, type RuntimeChoice } from '../sizing/memory/estimate.ts';
import { planFit, type FitInput, type FitPlan } from '../sizing/plan/fit.ts';
import { maxContext } from '../sizing/plan/solvers.ts';
import { decodeSpeed } from '../sizing/plan/speed.ts';
import { llamaServerCommand, vllmServeCommand } from '../sizing/plan/launch.ts';
import { parseModelName } from '../sizing/names/parse.ts';
import { parseNumber } from '../sizing/input.ts';
import type { PlanDevice } from '../sizing/plan/devices.ts';
import { GiB, MiB } from '../sizing/units.ts';
import { ollamaDefaults } from '../sizing/plan/fit-ollama.ts';
import { MODELS } from '../data/models.ts';
import { DEVICES } from '../data/devices.ts';

export const PLAN_COMMANDS = ['fit', 'max-ctx', 'speed', 'name'] as const;
export type PlanCommand = (typeof PLAN_COMMANDS)[number];

export const PLAN_HELP = `Planning:
  llm-memory fit --model ID --quant Q4_K_M --gpu rtx-4090[,rtx-3090] [--gpus 2] [--ram 64] [--ctx 8192]
  llm-memory max-ctx --model ID --quant Q4_K_M --gpu rtx-4090 [--offload]
  llm-memory speed --model ID --quant Q4_K_M --gpu rtx-4090 [--filled 8192] [--ram-bw 89.6]
  llm-memory name "llama3.1:70b-instruct-q5_K_M"
  --gpu IDS        catalog devices (GPUs, Macs), comma-separated; --gpus N repeats the list N times
  --ram GIB        system RAM in GiB;  --margin MIB  free memory kept per GPU (default 1024)
  --share F        Apple GPU working-set share (0 < F < 1)
  --util F         vLLM gpu_memory_utilization;  --max-num-seqs N;  --max-num-batched-tokens N
  --version V      runtime version profile (vLLM: v0.21 default, v0.11, v0.8, v0; Ollama: a release such as 0.15.5)
  --batch N        parallel sequences;  --kv-type T;  --runtime R;  --json`;

class PlanUsageError extends Error {}

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

function num(raw: unknown, flag: string, opts: { min: number; max: number; integer?: boolean }): number | undefined {
  if (raw === undefined) return undefined;
  const parsed = parseNumber(String(raw), { label: flag, min: opts.min, max: opts.max, integer: opts.integer ?? false });
  if (!parsed.ok) throw new PlanUsageError(`--${flag}: ${parsed.message}`);
  return parsed.value;
}

function catalogDevices(list: string, times: number, share: number | undefined): PlanDevice[] {
  const out: PlanDevice[] = [];
  const ids = list.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (ids.length === 0) throw new PlanUsageError('--gpu: give at least one device id');
  for (let i = 0; i < times; i++) {
    for (const id of ids) {
      const d = DEVICES.find((x) => x.id === id);
      if (!d) throw new PlanUsageError(`--gpu: unknown device "${id}"; known: ${DEVICES.map((x) => x.id).join(', ')}`);
      out.push(share !== undefined && d.kind === 'apple' ? { ...d, gpuWorkingSetShare: share } : d);
    }
  }
  return out;
}

function fitInput(v: Record<string, unknown>): FitInput {
  if (typeof v.model !== 'string') throw new PlanUsageError('--model: give a catalog model id (llm-memory --list-models)');
  const entry = MODELS.find((m) => m.id === (v.model as string).toLowerCase());
  if (!entry) throw new PlanUsageError(`--model: unknown model "${v.model}" (see --list-models)`);
  const runtime = (v.runtime ?? 'llama.cpp') as string;
  if (!RUNTIMES.includes(runtime as RuntimeChoice)) throw new PlanUsageError(`--runtime: choose one of ${RUNTIMES.join(', ')}`);
  const gpus = num(v.gpus, 'gpus', { min: 1, max: 64, integer: true }) ?? 1;
  const share = num(v.share, 'share', { min: 0.01, max: 0.99 });
  const devices = typeof v.gpu === 'string' ? catalogDevices(v.gpu, gpus, share) : [];
  const ram = num(v.ram, 'ram', { min: 0, max: 1e6 });
  const margin = num(v.margin, 'margin', { min: 0, max: 1e6 });
  const util = num(v.util, 'util', { min: 0.01, max: 1 });
  const ramBw = num(v['ram-bw'], 'ram-bw', { min: 0.1, max: 1e5 });
  const maxNumSeqs = num(v['max-num-seqs'], 'max-num-seqs', { min: 1, max: 65536, integer: true });
  const maxNumBatchedTokens = num(v['max-num-batched-tokens'], 'max-num-batched-tokens', { min: 1, max: 16 * 1024 * 1024, integer: true });
  const input: FitInput = {
    model: { kind: 'config', config: entry.config },
    modelLabel: entry.id,
    hfId: entry.hfId,
    quant: typeof v.quant === 'string' ? v.quant : 'Q4_K_M',
    // Ollama without --ctx: the num_ctx its version picks for these GPUs (by total VRAM since 0.15.5).
    ctx: num(v.ctx, 'ctx', { min: 1, max: 16 * 1024 * 1024, integer: true }) ?? (runtime === 'ollama' ? ollamaDefaults(devices, typeof v.version === 'string' ? v.version : undefined).ctx : 4096),
    seqs: num(v.batch, 'batch', { min: 1, max: 4096, integer: true }) ?? 1,
    runtime: runtime as RuntimeChoice,
    devices,
  };
  if (typeof v['kv-type'] === 'string') input.kvType = v['kv-type'];
  if (ram !== undefined) input.ramBytes = ram * GiB;
  if (margin !== undefined) input.marginBytes = margin * MiB;
  if (util !== undefined) input.gpuMemoryUtilization = util;
  if (ramBw !== undefined) input.ramBandwidthGBps = ramBw;
  if (maxNumSeqs !== undefined) input.maxNumSeqs = maxNumSeqs;
  if (maxNumBatchedTokens !== undefined) input.maxNumBatchedTokens = maxNumBatchedTokens;
  if (typeof v.version === 'string') input.version = v.version;
  return input;
}

const gib = (b: number | null): string => (b === null ? 'n/a' : `${(b / GiB).toFixed(2)} GiB`);

/** The plan as JSON: bytes as integers, devices by name. */
export function planJson(p: FitPlan): Record<string, unknown> {
  const row = (r: { weights: number; kv: number; compute: number; overhead: number; free: number | null; budget: number | null }) => ({
    weights_bytes: Math.round(r.weights),
    kv_bytes: Math.round(r.kv),
    compute_bytes: Math.round(r.compute),
    overhead_bytes: Math.round(r.overhead),
    budget_bytes: r.budget === null ? null : Math.round(r.budget),
    free_bytes: r.free === null ? null : Math.round(r.free),
  });
  const out: Record<string, unknown> = {
    model: p.modelLabel,
    runtime: p.runtime,
    quant: p.quant,
    ctx: p.ctx,
    seqs: p.seqs,
    kv_type: p.kvType,
    verdict: p.verdict,
    reason: p.reason,
    devices: p.devices.map((d) => ({ name: d.device.name, id: d.device.id ?? null, layers: d.layers, ...row(d) })),
    ram: row(p.ram),
    notes: p.notes,
  };
  if (p.llamaCpp) {
    out.n_gpu_layers = p.llamaCpp.nGpuLayers;
    out.n_cpu_moe = p.llamaCpp.nCpuMoe;
    out.command = llamaServerCommand(p);
  }
  if (p.vllm) {
    const v = p.vllm;
    // The figures vLLM prints at start-up, as the engine predicts them (GiB = 2^30 bytes in vLLM's own lines).
    out.vllm = {
      tp: v.tp,
      gpu_memory_utilization: v.gpuMemoryUtilization,
      cuda_total_bytes: v.cudaTotalBytes,
      cuda_total_estimated: v.cudaTotalEstimated,
      requested_bytes_per_gpu: v.requestedBytesPerGpu,
      weights_bytes_per_gpu: v.weightsBytesPerGpu,
      non_torch_bytes: v.nonTorchBytes,
      activation_peak_bytes: v.activationPeakBytes,
      cuda_graph_bytes: v.cudaGraphBytes,
      cuda_graph_subtracted: v.cudaGraphSubtracted,
      available_kv_bytes: v.availableKvBytesPerGpu,
      max_num_seqs: v.maxNumSeqs,
      max_num_batched_tokens: v.maxNumBatchedTokens,
      num_blocks: v.numBlocks,
      kv_cache_tokens: v.kvCacheTokens,
      max_concurrency: v.maxConcurrency,
      starts: v.starts,
      estimated_max_model_len: v.estimatedMaxModelLen ?? null,
      message: v.message ?? null,
    };
    out.command = vllmServeCommand(p);
  }
  return out;
}

export function planTable(p: FitPlan): string {
  const lines = [`${p.modelLabel}: ${p.quant} on ${p.runtime}, ctx ${p.ctx} x ${p.seqs}: ${p.verdict}`, `  ${p.reason}`];
  lines.push(`  ${'device'.padEnd(26)}${'weights'.padStart(12)}${'KV'.padStart(12)}${'compute'.padStart(12)}${'overhead'.padStart(12)}${'free'.padStart(12)}`);
  const line = (name: string, r: { weights: number; kv: number; compute: number; overhead: number; free: number | null }) =>
    `  ${name.slice(0, 25).padEnd(26)}${gib(r.weights).padStart(12)}${gib(r.kv).padStart(12)}${gib(r.compute).padStart(12)}${gib(r.overhead).padStart(12)}${gib(r.free).padStart(12)}`;
  for (const d of p.devices) lines.push(line(d.device.name, d));
  lines.push(line('RAM', p.ram));
  if (p.llamaCpp) lines.push(`  ${llamaServerCommand(p)}`);
  if (p.vllm) {
    const v = p.vllm;
    lines.push(
      `  vLLM per GPU: ${gib(v.requestedBytesPerGpu)} requested (${v.gpuMemoryUtilization} x ${gib(v.cudaTotalBytes)}${v.cudaTotalEstimated ? ', total estimated' : ''}); weights ${gib(v.weightsBytesPerGpu)}, activations ${gib(v.activationPeakBytes)}, non-torch ${gib(v.nonTorchBytes)}${v.cudaGraphSubtracted ? `, CUDA graphs ${gib(v.cudaGraphBytes)}` : ''}`,
      `  Available KV cache memory: ${gib(v.availableKvBytesPerGpu)}; GPU KV cache size: ${v.kvCacheTokens.toLocaleString('en-US')} tokens; maximum concurrency for ${p.ctx} tokens per request: ${v.maxConcurrency.toFixed(2)}x`,
    );
    lines.push(`  ${vllmServeCommand(p)}`);
  }
  return lines.join('\n');
}

export async function runPlanCommand(command: PlanCommand, argv: string[], io: Io): Promise<number> {
  let v: Record<string, unknown>;
  let positionals: string[];
  try {
    const parsed = parseArgs({
      args: argv,
      allowPositionals: command === 'name',
      strict: true,
      options: {
        model: { type: 'string' },
        quant: { type: 'string' },
        gpu: { type: 'string' },
        gpus: { type: 'string' },
        ram: { type: 'string' },
        'ram-bw': { type: 'string' },
        ctx: { type: 'string' },
        batch: { type: 'string' },
        'kv-type': { type: 'string' },
        runtime: { type: 'string' },
        margin: { type: 'string' },
        share: { type: 'string' },
        util: { type: 'string' },
        'max-num-seqs': { type: 'string' },
        'max-num-batched-tokens': { type: 'string' },
        version: { type: 'string' },
        filled: { type: 'string' },
        offload: { type: 'boolean' },
        json: { type: 'boolean' },
      },
    });
    v = parsed.values as Record<string, unknown>;
    positionals = parsed.positionals;
  } catch (e) {
    io.err(`llm-memory ${command}: ${(e as Error).message.split('\n')[0]} (see --help)`);
    return 2;
  }
  try {
    if (command === 'name') {
      const text = positionals.join(' ').trim();
      if (!text) throw new PlanUsageError('give a model name, e.g. llm-memory name "llama3.1:70b-instruct-q5_K_M"');
      const parsed = parseModelName(text);
      if (v.json) io.out(JSON.stringify(parsed, null, 2));
      else io.out(Object.entries(parsed).map(([k, x]) => `${k.padEnd(14)}${typeof x === 'string' ? x : JSON.stringify(x)}`).join('\n'));
      return 0;
    }
    const input = fitInput(v);
    if (command === 'fit') {
      const plan = planFit(input);
      io.out(v.json ? JSON.stringify(planJson(plan), null, 2) : planTable(plan));
      return 0;
    }
    if (command === 'max-ctx') {
      const r = maxContext(input, { allowOffload: v.offload === true });
      if (v.json) {
        io.out(JSON.stringify({ ctx: r.ctx, step: r.step, limited_by: r.limitedBy, plan: r.plan ? planJson(r.plan) : null }, null, 2));
      } else {
        io.out(`${input.modelLabel}: largest context ${r.ctx} tokens (steps of ${r.step})\n  limited by ${r.limitedBy.device} (${r.limitedBy.part}): ${r.limitedBy.explanation}`);
      }
      return 0;
    }
    const filled = num(v.filled, 'filled', { min: 0, max: 16 * 1024 * 1024, integer: true });
    const s = decodeSpeed(filled === undefined ? input : { ...input, filled });
    if (v.json) {
      io.out(
        JSON.stringify(
          {
            label: s.label,
            tokens_per_second_upper_bound: s.tokensPerSecondUpperBound,
            expected_tokens_per_second: s.expectedTokensPerSecond,
            bytes_per_token: s.bytesPerToken,
            per_device: s.perDevice,
            efficiency_range: s.efficiencyRange,
            filled: s.filled,
          },
          null,
          2,
        ),
      );
    } else {
      const lines = [
        `${input.modelLabel}: decode upper bound ${s.tokensPerSecondUpperBound.toFixed(1)} tokens/s at ${s.filled} cached tokens`,
        `  bytes read per token: weights ${gib(s.bytesPerToken.weights)}, KV ${gib(s.bytesPerToken.kv)}`,
        ...s.perDevice.map((d) => `  ${d.name}: ${gib(d.weightsBytes + d.kvBytes)} at ${d.bandwidthGBps} GB/s`),
        `  measured efficiency ${Math.round(s.efficiencyRange.low * 100)}-${Math.round(s.efficiencyRange.high * 100)}% -> ${s.expectedTokensPerSecond.low.toFixed(1)}-${s.expectedTokensPerSecond.high.toFixed(1)} tokens/s (${s.efficiencyRange.source})`,
      ];
      io.out(lines.join('\n'));
    }
    return 0;
  } catch (e) {
    if (e instanceof PlanUsageError || e instanceof SizingError) {
      const field = e instanceof SizingError && e.field ? ` (${e.field})` : '';
      io.err(`llm-memory ${command}: ${e.message.split('\n')[0]}${field}`);
      return 2;
    }
    throw e;
  }
}
