import { describe, expect, it } from 'vitest';
import { planFit } from '../../src/sizing/plan/fit.ts';
import { cpuMoeOverride, llamaServerCommand, ollamaCommand, shellQuote, vllmServeCommand } from '../../src/sizing/plan/launch.ts';
import { SizingError } from '../../src/sizing/errors.ts';
import { GiB } from '../../src/sizing/units.ts';
import { catalogModel, device } from './plan-fixtures.ts';

const rtx4090 = device('rtx-4090');

describe('llama-server', () => {
  it('one GPU, everything offloaded: -c = ctx x slots, -ngl counts the output layer', () => {
    const p = planFit({ ...catalogModel('llama-3.1-8b'), quant: 'Q4_K_M', ctx: 8192, seqs: 2, kvType: 'q8_0', devices: [rtx4090] });
    expect(llamaServerCommand(p, { modelFile: 'Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf' })).toBe(
      'llama-server -m Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf -c 16384 -ngl 33 -ctk q8_0 -ctv q8_0 -fa on -np 2',
    );
  });
  it('two GPUs: --tensor-split in layers', () => {
    const p = planFit({ ...catalogModel('llama-3.1-70b'), quant: 'Q4_K_M', ctx: 8192, devices: [rtx4090, rtx4090], ramBytes: 64 * GiB });
    expect(llamaServerCommand(p)).toBe('llama-server -m llama-3.1-70b-Q4_K_M.gguf -c 8192 -ngl 81 -ctk f16 -ctv f16 -fa on -np 1 --tensor-split 41,40');
  });
  it('MoE expert offload: --n-cpu-moe N, or the equivalent -ot override, shell-quoted', () => {
    const p = planFit({ ...catalogModel('gpt-oss-120b'), quant: 'MXFP4_MOE', ctx: 32768, devices: [rtx4090], ramBytes: 128 * GiB });
    expect(llamaServerCommand(p, { modelFile: 'gpt-oss-120b-mxfp4.gguf' })).toContain('-ngl 37 --n-cpu-moe 24 ');
    const ot = llamaServerCommand(p, { modelFile: 'gpt-oss-120b-mxfp4.gguf', useOverrideTensor: true });
    expect(ot).toContain(`-ot 'blk\\.(0|1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16|17|18|19|20|21|22|23)\\.ffn_(up|down|gate|gate_up)_(ch|)exps=CPU'`);
    const re = new RegExp(cpuMoeOverride(24).replace(/=CPU$/, ''));
    expect(re.test('blk.23.ffn_up_exps.weight')).toBe(true);
    expect(re.test('blk.24.ffn_up_exps.weight')).toBe(false);
    expect(re.test('blk.3.attn_q.weight')).toBe(false);
  });
  it('refuses a plan of another runtime', () => {
    const p = planFit({ ...catalogModel('llama-3.1-8b'), quant: 'bf16', ctx: 8192, runtime: 'vllm', devices: [device('h100-sxm')] });
    expect(() => llamaServerCommand(p)).toThrow(SizingError);
  });
});

describe('vllm serve', () => {
  it('tensor parallel, utilization, sequences; fp8 KV cache', () => {
    const p = planFit({ ...catalogModel('llama-3.1-70b'), quant: 'bf16', ctx: 8192, seqs: 8, runtime: 'vllm', devices: [device('h100-sxm'), device('h100-sxm')], maxNumSeqs: 8 });
    expect(vllmServeCommand(p)).toBe('vllm serve meta-llama/Llama-3.1-70B --max-model-len 8192 --gpu-memory-utilization 0.92 -tp 2 --max-num-seqs 8');
    // Without scheduler limits the plan assumed vLLM's defaults, and the command leaves them to vLLM.
    const d = planFit({ ...catalogModel('llama-3.1-70b'), quant: 'bf16', ctx: 8192, seqs: 8, runtime: 'vllm', devices: [device('h100-sxm'), device('h100-sxm')] });
    expect(vllmServeCommand(d)).toBe('vllm serve meta-llama/Llama-3.1-70B --max-model-len 8192 --gpu-memory-utilization 0.92 -tp 2');
    expect(d.vllm!.maxNumSeqs).toBe(1024); // H100: a "large" GPU in vLLM's get_batch_defaults
    const fp8 = planFit({ ...catalogModel('llama-3.1-8b'), quant: 'fp8', ctx: 32768, kvType: 'fp8', runtime: 'vllm', devices: [device('l40s')], gpuMemoryUtilization: 0.95 });
    expect(vllmServeCommand(fp8)).toBe('vllm serve meta-llama/Llama-3.1-8B --max-model-len 32768 --gpu-memory-utilization 0.95 --kv-cache-dtype fp8 -tp 1 --quantization fp8');
  });
});

describe('Ollama', () => {
  it('num_ctx per request, OLLAMA_KV_CACHE_TYPE with flash attention on, OLLAMA_NUM_PARALLEL', () => {
    const p = planFit({ ...catalogModel('llama-3.1-8b'), quant: 'Q4_K_M', ctx: 16384, seqs: 2, kvType: 'q8_0', runtime: 'ollama', devices: [rtx4090] });
    const o = ollamaCommand(p, { tag: 'llama3.1:8b-instruct-q4_K_M' });
    expect(o.env).toEqual({ OLLAMA_FLASH_ATTENTION: '1', OLLAMA_KV_CACHE_TYPE: 'q8_0', OLLAMA_NUM_PARALLEL: '2' });
    expect(o.modelfile).toBe('FROM llama3.1:8b-instruct-q4_K_M\nPARAMETER num_ctx 16384\nPARAMETER num_gpu 33');
    expect(o.script).toContain('OLLAMA_FLASH_ATTENTION=1 OLLAMA_KV_CACHE_TYPE=q8_0 OLLAMA_NUM_PARALLEL=2 ollama serve');
    expect(o.script).toContain("'PARAMETER num_ctx 16384'");
  });
  it('a cache type Ollama does not take is refused', () => {
    const p = planFit({ ...catalogModel('llama-3.1-8b'), quant: 'Q4_K_M', ctx: 4096, kvType: 'q5_1', runtime: 'ollama', devices: [rtx4090] });
    expect(() => ollamaCommand(p)).toThrow(SizingError);
  });
});

describe('shellQuote', () => {
  it('leaves safe words bare and single-quotes the rest', () => {
    expect(shellQuote('model-Q4_K_M.gguf')).toBe('model-Q4_K_M.gguf');
    expect(shellQuote('my model.gguf')).toBe("'my model.gguf'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('$(rm -rf ~)')).toBe("'$(rm -rf ~)'");
    expect(shellQuote('')).toBe("''");
  });
});
