/**
 * The names people use for GPU-side formats, mapped to gpu-formats.ts ids. "gptq" alone means the common 4-bit,
 * group 128 release; "nf4" the transformers default (no double quantization); "fp8" a block-scaled checkpoint.
 */
import { gpuFormat, type GpuFormat } from './gpu-formats.ts';

const ALIASES: Record<string, string> = {
  awq: 'awq',
  'awq-int4': 'awq',
  'awq-w4-g128': 'awq',
  gptq: 'gptq-4bit-g128',
  'gptq-int4': 'gptq-4bit-g128',
  'gptq-int8': 'gptq-8bit-g128',
  'gptq-w4-g128': 'gptq-4bit-g128',
  'gptq-w8-g128': 'gptq-8bit-g128',
  'gptq-w3-g128': 'gptq-3bit-g128',
  nf4: 'bnb-nf4',
  'bnb-4bit': 'bnb-nf4',
  'nf4-dq': 'bnb-nf4-dq',
  fp4: 'bnb-fp4',
  int8: 'bnb-int8',
  'llm.int8': 'bnb-int8',
  'bnb-8bit': 'bnb-int8',
  'fp8-e4m3': 'fp8',
  'fp8-block128': 'fp8-block',
  'fp8-dynamic': 'fp8-channel',
  float16: 'fp16',
  f16: 'fp16',
  bfloat16: 'bf16',
  float32: 'fp32',
  f32: 'fp32',
};

/** A GPU format by any of its common names, or undefined when the name is not one. */
export function findGpuFormat(name: string): GpuFormat | undefined {
  const key = name.trim().toLowerCase();
  if (key === '') return undefined;
  try {
    return gpuFormat(ALIASES[key] ?? key);
  } catch {
    return undefined;
  }
}
