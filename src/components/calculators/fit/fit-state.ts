/**
 * The fit calculators' inputs as they live in the query string, and the small option lists their islands need
 * before the engine loads. Nothing here imports the engine or the catalogs: the islands bundle this file, and the
 * engine (src/components/calculators/fit/fit.view.ts) is loaded on demand.
 *
 * Keys are unprefixed on purpose: the glossary links to /guide/will-it-fit/?quant=Q4_K_M (or awq, nf4, fp8 ...).
 */
import type { CompactModel } from '../common/compact-catalog';

/** Raw field values, exactly as typed or as found in the URL. '' means "the default for the other choices". */
export const FIT_DEFAULTS = {
  model: 'llama-3.1-8b',
  quant: 'Q4_K_M',
  ctx: '32768',
  users: '1',
  /** KV cache type; '' = the runtime's default. */
  kv: '',
  /** '' = chosen from the quantization: GGUF types run in llama.cpp, GPU formats in vLLM (bitsandbytes in transformers). */
  runtime: '',
  /** Hardware kind: gpu, apple or cpu. */
  hw: 'gpu',
  gpu: 'rtx-4090',
  gpus: '1',
  gpu2: '',
  gpus2: '',
  gpu3: '',
  gpus3: '',
  gpu4: '',
  gpus4: '',
  mac: 'm4-pro-48',
  /** Apple working-set share in percent; '' = the Mac's measured or rule-of-thumb share. */
  share: '',
  /** System RAM, GiB. */
  ram: '64',
  /** System RAM kind (a 'cpu' device of the catalog), for its bandwidth. */
  rambw: 'ddr5-5600-2ch',
  /** Memory kept free on every GPU, MiB (llama.cpp --fit's -fitt). */
  margin: '1024',
} as const;

/** The offload planner's defaults: Llama 3.1 70B Q4_K_M at 8,192 tokens on one RTX 4090 with 64 GiB of DDR5. */
export const OFFLOAD_DEFAULTS: Record<keyof typeof FIT_DEFAULTS, string> = { ...FIT_DEFAULTS, model: 'llama-3.1-70b', ctx: '8192' };

export type FitKey = keyof typeof FIT_DEFAULTS;
export type FitState = Record<FitKey, string>;

/** The four GPU rows: [device key, count key]. */
export const GPU_ROWS = [
  ['gpu', 'gpus'],
  ['gpu2', 'gpus2'],
  ['gpu3', 'gpus3'],
  ['gpu4', 'gpus4'],
] as const satisfies readonly (readonly [FitKey, FitKey])[];

export const RUNTIME_CHOICES = [
  { value: 'llama.cpp', label: 'llama.cpp', title: 'llama-server, LM Studio and other llama.cpp front ends' },
  { value: 'ollama', label: 'Ollama' },
  { value: 'vllm', label: 'vLLM' },
  { value: 'transformers', label: 'transformers' },
] as const;

export type FitRuntime = (typeof RUNTIME_CHOICES)[number]['value'];

export const HARDWARE_CHOICES = [
  { value: 'gpu', label: 'GPUs' },
  { value: 'apple', label: 'Apple Silicon' },
  { value: 'cpu', label: 'CPU only' },
] as const;

/** KV cache types each runtime accepts (llama.cpp -ctk/-ctv, OLLAMA_KV_CACHE_TYPE, vLLM --kv-cache-dtype, transformers dtype). */
export const KV_CHOICES: Record<FitRuntime, readonly { value: string; label: string }[]> = {
  'llama.cpp': [
    { value: 'f16', label: 'f16 (default)' },
    { value: 'bf16', label: 'bf16' },
    { value: 'q8_0', label: 'q8_0' },
    { value: 'q5_1', label: 'q5_1' },
    { value: 'q5_0', label: 'q5_0' },
    { value: 'q4_1', label: 'q4_1' },
    { value: 'q4_0', label: 'q4_0' },
    { value: 'iq4_nl', label: 'iq4_nl' },
    { value: 'f32', label: 'f32' },
  ],
  ollama: [
    { value: 'f16', label: 'f16 (default)' },
    { value: 'q8_0', label: 'q8_0' },
    { value: 'q4_0', label: 'q4_0' },
  ],
  vllm: [
    { value: 'auto', label: 'auto: the model dtype (default)' },
    { value: 'fp8', label: 'fp8' },
    { value: 'fp8_e5m2', label: 'fp8_e5m2' },
  ],
  transformers: [
    { value: 'bf16', label: 'bf16 (default)' },
    { value: 'fp16', label: 'fp16' },
  ],
};

/** A compact model entry for the model <select> (the full catalog stays out of the page's JavaScript). */
export type FitModelOption = CompactModel;

/** A compact device entry for the device <select>s. */
export interface FitDeviceOption {
  id: string;
  name: string;
  kind: 'gpu' | 'apple' | 'cpu';
  /** Bytes. */
  memoryBytes: number;
  bandwidthGBps: number;
  /** Apple: the measured working-set share, when the catalog has one. */
  share?: number;
}

export interface FitOptionLists {
  models: FitModelOption[];
  devices: FitDeviceOption[];
  /** Quantization <select> groups: GGUF file types and GPU formats. */
  quants: { label: string; options: { value: string; label: string }[] }[];
}
