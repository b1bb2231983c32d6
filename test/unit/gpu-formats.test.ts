import { describe, expect, it } from 'vitest';
import { SizingError } from '../../src/sizing/errors.ts';
import { applyGpuFormat, encodedBytes, gpuFormat, gpuFormats } from '../../src/sizing/formats/gpu-formats.ts';
import type { TensorInfo } from '../../src/sizing/types.ts';
import { build, referenceConfig } from './reference-models.ts';

const proj: TensorInfo = { name: 'blk.0.attn_q.weight', dims: [4096, 4096], layer: 0, role: 'attn' };
const n = 4096 * 4096;
const bits = (bytes: number, elements = n) => (bytes * 8) / elements;

describe('per-tensor layouts', () => {
  it('AWQ g128: int4 + fp16 scale + 4-bit zero per group = 4 + 20/128 bpw', () => {
    expect(encodedBytes(gpuFormat('awq').encoding, proj.dims)).toBe(n / 2 + (4096 / 128) * 4096 * 2.5);
    expect(bits(encodedBytes(gpuFormat('awq').encoding, proj.dims))).toBeCloseTo(4.15625, 10);
  });

  it('GPTQ 4-bit g128: qweight, qzeros, fp16 scales and an int32 g_idx; act-order and sym do not change it', () => {
    const expected = n / 2 + 32 * (4096 / 8) * 4 + 32 * 4096 * 2 + 4096 * 4;
    expect(encodedBytes(gpuFormat('gptq-4bit-g128').encoding, proj.dims)).toBe(expected);
    expect(encodedBytes(gpuFormat('gptq-4bit-g128-actorder').encoding, proj.dims)).toBe(expected);
    expect(encodedBytes(gpuFormat('gptq-4bit-g128-asym').encoding, proj.dims)).toBe(expected);
    // group -1: one scale/zero row per output channel.
    expect(encodedBytes(gpuFormat('gptq-4bit-g-1').encoding, proj.dims)).toBe(n / 2 + 512 * 4 + 4096 * 2 + 4096 * 4);
    // 3-bit packs 32 values in 3 int32.
    expect(encodedBytes(gpuFormat('gptq-3bit-g128').encoding, proj.dims)).toBe((4096 * 3) / 8 * 4096 + 32 * ((4096 * 3) / 8) + 32 * 4096 * 2 + 4096 * 4);
  });

  it('bitsandbytes NF4 4.5 bpw; double quant ~4.127 bpw (QLoRA: 8/64 + 32/(64*256))', () => {
    expect(bits(encodedBytes(gpuFormat('bnb-nf4').encoding, proj.dims))).toBeCloseTo(4.5, 4);
    const dq = encodedBytes(gpuFormat('bnb-nf4-dq').encoding, proj.dims);
    // + per-tensor constants: quant_map 16 x fp32, nested_quant_map 256 x fp32, offset fp32.
    expect(dq).toBe(n / 2 + n / 64 + (n / 64 / 256) * 4 + 64 + 1024 + 4);
    expect(bits(dq)).toBeCloseTo(4 + 8 / 64 + 32 / (64 * 256), 2);
    expect(bits(encodedBytes(gpuFormat('bnb-int8').encoding, proj.dims))).toBeCloseTo(8 + 32 / 4096, 10);
  });

  it('FP8 scales per tensor, per channel, per 128x128 block; NVFP4 4.5; MXFP4 4.25', () => {
    expect(encodedBytes(gpuFormat('fp8').encoding, proj.dims)).toBe(n + 4);
    expect(encodedBytes(gpuFormat('fp8-channel').encoding, proj.dims)).toBe(n + 4096 * 4);
    expect(encodedBytes(gpuFormat('fp8-block').encoding, proj.dims)).toBe(n + 32 * 32 * 4);
    expect(encodedBytes(gpuFormat('fp8-block').encoding, [7168, 2048, 256])).toBe(7168 * 2048 * 256 + 56 * (2048 * 256) / 128 * 4);
    expect(encodedBytes(gpuFormat('nvfp4').encoding, proj.dims)).toBe(n / 2 + n / 16 + 8);
    expect(bits(encodedBytes(gpuFormat('mxfp4').encoding, proj.dims))).toBe(4.25);
  });

  it('unknown ids throw; GPTQ/AWQ variants parse', () => {
    expect(() => gpuFormat('int3-magic')).toThrow(SizingError);
    expect(gpuFormat('GPTQ-8bit-g32-actorder').name).toBe('GPTQ 8-bit, group 32, act-order');
    expect(gpuFormat('awq-g256').id).toBe('awq-g256');
    expect(gpuFormats().length).toBeGreaterThan(20);
  });
});

describe('what stays 16-bit, on real shapes', () => {
  it('Llama-3.1-8B AWQ: embeddings, lm_head and norms stay BF16', () => {
    const m = build(referenceConfig('Llama-3.1-8B'));
    const r = applyGpuFormat(m.tensors, 'awq');
    const fmt = (name: string) => r.tensors.find((t) => t.name === name)?.format;
    expect([fmt('token_embd.weight'), fmt('output.weight'), fmt('blk.0.attn_norm.weight'), fmt('blk.0.ffn_down.weight')]).toEqual(['bf16', 'bf16', 'bf16', 'awq']);
    // 2 x 128256 x 4096 x 2 bytes of BF16 embeddings + head dominate the overhead: 5.71 bpw over the whole file.
    expect(r.bitsPerWeight).toBeCloseTo(5.706, 3);
    expect(r.bytes).toBe(r.tensors.reduce((s, t) => s + t.bytes, 0));
  });

  it('gpt-oss-20b mxfp4-moe: only routed experts in MXFP4; attention and router BF16', () => {
    const m = build(referenceConfig('gpt-oss-20b'));
    const r = applyGpuFormat(m.tensors, 'mxfp4-moe');
    for (const t of r.tensors) expect(t.format, t.name).toBe(t.role === 'ffn_exps' && t.name.endsWith('.weight') ? 'mxfp4-moe' : 'bf16');
    // openai/gpt-oss-20b is about 13 GB on the Hub (12.8 GiB); here: text weights only.
    expect(r.bytes / 1e9).toBeGreaterThan(12.5);
    expect(r.bytes / 1e9).toBeLessThan(14);
  });

  it('Mixtral FP8: routers stay BF16; bitsandbytes quantizes them', () => {
    const m = build(referenceConfig('Mixtral-8x7B'));
    const router = (id: string) => applyGpuFormat(m.tensors, id).tensors.find((t) => t.role === 'router')?.format;
    expect(router('fp8')).toBe('bf16');
    expect(router('bnb-nf4')).toBe('bnb-nf4');
  });
});
