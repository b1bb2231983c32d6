/**
 * The command a user pastes to run a plan : llama-server, vllm serve, Ollama.
 * Flags are the runtimes' own (llama.cpp common/arg.cpp, vLLM engine args, Ollama's Modelfile and environment).
 * Every argument is shell-quoted for a POSIX shell.
 */
import { SizingError } from '../errors.ts';
import type { FitPlan } from './fit-common.ts';
import { ollamaProfileOf } from '../memory/runtime-profiles.ts';

/** Quote one word for sh/bash/zsh: bare when it is safe, else in single quotes. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}

/** llama.cpp's --n-cpu-moe N as the equivalent tensor override (-ot) for builds without the flag. */
export function cpuMoeOverride(n: number): string {
  if (n <= 0) return '';
  // blk.0 .. blk.(n-1) in llama.cpp's own per-layer pattern blk\.N\.ffn_(up|down|gate|gate_up)_(ch|)exps (common/common.h).
  const layers = Array.from({ length: n }, (_, i) => i).join('|');
  return `blk\\.(${layers})\\.ffn_(up|down|gate|gate_up)_(ch|)exps=CPU`;
}

function defaultGgufName(plan: FitPlan): string {
  return `${plan.modelLabel}-${plan.quant}.gguf`;
}

export interface LlamaServerOptions {
  /** Path of the GGUF file (default: <model>-<quant>.gguf). */
  modelFile?: string;
  /** Write the expert override as -ot instead of --n-cpu-moe (older builds). */
  useOverrideTensor?: boolean;
}

/** llama-server for a llama.cpp / Ollama plan: context, layers, expert offload, cache types, slots, split. */
export function llamaServerCommand(plan: FitPlan, opts: LlamaServerOptions = {}): string {
  const l = plan.llamaCpp;
  if (!l) throw new SizingError(`llama-server needs a llama.cpp plan, this one is for ${plan.runtime}`, 'runtime');
  // -c is the whole cache: each of the -np slots gets ctx tokens.
  const words = ['llama-server', '-m', opts.modelFile ?? defaultGgufName(plan), '-c', String(plan.ctx * plan.seqs), '-ngl', String(l.nGpuLayers)];
  if (l.nCpuMoe > 0) {
    if (opts.useOverrideTensor) words.push('-ot', cpuMoeOverride(l.nCpuMoe));
    else words.push('--n-cpu-moe', String(l.nCpuMoe));
  }
  words.push('-ctk', plan.kvType, '-ctv', plan.kvType, '-fa', 'on', '-np', String(plan.seqs));
  if (l.tensorSplit.length > 1) words.push('--tensor-split', l.tensorSplit.join(','));
  return shellJoin(words);
}

/** vLLM's --quantization value for a GPU format, when the checkpoint does not say it itself. */
function vllmQuantization(quant: string): string | null {
  const q = quant.toLowerCase();
  if (q.startsWith('bnb-nf4') || q.startsWith('bnb-fp4') || q === 'bnb-int8') return 'bitsandbytes';
  if (q === 'fp8' || q === 'fp8-channel') return 'fp8'; // quantized on load from a 16-bit checkpoint
  if (q.startsWith('awq')) return 'awq';
  if (q.startsWith('gptq')) return 'gptq';
  return null;
}

export interface VllmServeOptions {
  /** Hugging Face repository to serve (default: the plan's hfId). */
  model?: string;
}

export function vllmServeCommand(plan: FitPlan, opts: VllmServeOptions = {}): string {
  const v = plan.vllm;
  if (!v) throw new SizingError(`vllm serve needs a vLLM plan, this one is for ${plan.runtime}`, 'runtime');
  const model = opts.model ?? plan.hfId ?? plan.modelLabel;
  const words = ['vllm', 'serve', model, '--max-model-len', String(plan.ctx), '--gpu-memory-utilization', String(v.gpuMemoryUtilization)];
  const kv = plan.kvType.toLowerCase();
  if (kv !== 'auto' && kv !== 'bf16' && kv !== 'bfloat16') words.push('--kv-cache-dtype', kv);
  words.push('-tp', String(v.tp));
  // Scheduler limits only when the plan was made with them; otherwise vLLM picks the defaults the plan assumed.
  if (v.schedulerGiven.maxNumSeqs) words.push('--max-num-seqs', String(v.maxNumSeqs));
  if (v.schedulerGiven.maxNumBatchedTokens) words.push('--max-num-batched-tokens', String(v.maxNumBatchedTokens));
  const q = vllmQuantization(plan.quant);
  if (q) words.push('--quantization', q);
  return shellJoin(words);
}

export interface OllamaCommand {
  /** Environment for `ollama serve`. */
  env: Record<string, string>;
  modelfile: string;
  /** The whole recipe as shell lines. */
  script: string;
  /** The Ollama profile the recipe is written for (OLLAMA_PROFILES key) and what the reader should know about it. */
  version: string;
  notes: string[];
}

/**
 * Ollama's recipe for a plan: server environment (flash attention, cache type, parallel requests) and a Modelfile
 * (num_ctx per request; num_gpu = layers on the GPU). `version`: the Ollama profile key or release to write for
 * (default: the newest, 0.30+, where llama-server's --fit places layers when num_gpu is not set).
 */
export function ollamaCommand(plan: FitPlan, opts: { tag?: string; name?: string; version?: string } = {}): OllamaCommand {
  const l = plan.llamaCpp;
  if (!l) throw new SizingError(`Ollama runs llama.cpp plans, this one is for ${plan.runtime}`, 'runtime');
  const profile = ollamaProfileOf(opts.version);
  const kv = plan.kvType.toLowerCase();
  const kvTypes = profile.kvCacheTypes;
  if (!kvTypes.includes(kv)) throw new SizingError(`OLLAMA_KV_CACHE_TYPE must be one of ${kvTypes.join(', ')} (${profile.label}), got ${plan.kvType}`, 'kvType');
  // A quantized KV cache needs flash attention; turning it on does no harm with f16.
  const env: Record<string, string> = { OLLAMA_FLASH_ATTENTION: '1' };
  if (kvTypes.length > 1) env['OLLAMA_KV_CACHE_TYPE'] = kv;
  env['OLLAMA_NUM_PARALLEL'] = String(plan.seqs);
  const tag = opts.tag ?? plan.hfId ?? plan.modelLabel;
  const name = opts.name ?? `${plan.modelLabel}-${plan.ctx}`.toLowerCase().replace(/[^a-z0-9._-]/g, '-');
  const notes = [`Written for ${profile.label}.`];
  // num_ctx is per request; Ollama multiplies the cache by OLLAMA_NUM_PARALLEL. num_gpu = layers on the GPU (-ngl).
  const lines = [`FROM ${tag}`, `PARAMETER num_ctx ${plan.ctx}`];
  if (l.nCpuMoe > 0 && profile.fitting === 'llama-server-fit') {
    // Ollama has no --n-cpu-moe; without num_gpu it lets llama-server's --fit move the same experts to RAM.
    notes.push(`No num_gpu: Ollama then runs llama-server without -ngl and its --fit keeps the routed experts of ${l.nCpuMoe} layers in RAM, as planned.`);
  } else {
    lines.push(`PARAMETER num_gpu ${l.nGpuLayers}`);
    if (l.nCpuMoe > 0) notes.push(`${profile.label} cannot keep only the routed experts of ${l.nCpuMoe} layers in RAM (llama.cpp's --n-cpu-moe): num_gpu ${l.nGpuLayers} puts whole layers on the GPU and will not fit; lower num_gpu.`);
  }
  const modelfile = lines.join('\n');
  const envLine = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ');
  const script = [
    `${envLine} ollama serve &`,
    `printf '%s\\n' ${modelfile.split('\n').map(shellQuote).join(' ')} > Modelfile`,
    `${shellJoin(['ollama', 'create', name, '-f', 'Modelfile'])} && ${shellJoin(['ollama', 'run', name])}`,
  ].join('\n');
  return { env, modelfile, script, version: profile.version, notes };
}
