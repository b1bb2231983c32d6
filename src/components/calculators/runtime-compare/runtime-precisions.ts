/**
 * The precisions the runtimes chapter compares, and the checkpoint format each runtime runs at each of them.
 * Plain data with no engine import, so the RuntimeCompare island can offer them before its engine loads.
 */
export interface Precision {
  id: '16' | '8' | '4';
  label: string;
  title: string;
  formats: Record<'llama.cpp' | 'vllm' | 'transformers', string>;
}

export const PRECISIONS: readonly Precision[] = [
  { id: '16', label: '16-bit', title: 'BF16 everywhere', formats: { 'llama.cpp': 'BF16', vllm: 'bf16', transformers: 'bf16' } },
  { id: '8', label: '8-bit', title: 'Q8_0, FP8, LLM.int8()', formats: { 'llama.cpp': 'Q8_0', vllm: 'fp8', transformers: 'bnb-int8' } },
  { id: '4', label: '4-bit', title: 'Q4_K_M, AWQ, NF4', formats: { 'llama.cpp': 'Q4_K_M', vllm: 'awq', transformers: 'bnb-nf4' } },
];
