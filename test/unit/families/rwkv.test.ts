/**
 * RWKV-6 Finch (Rwkv6ForCausalLM -> llama.cpp "rwkv6"), from test/fixtures/configs/rwkv-6-world-1b6.json and
 * rwkv-v6-finch-14b-hf.json (RWKV org, remote-code format) and rwkv6-7b-finch-fla.json (fla-hub's
 * flash-linear-attention layout, RWKV6ForCausalLM); URLs in their _source.
 * Published counts: none exact was found. The checkpoints are named by size, and llama.cpp's rwkv6 loader labels the
 * same shapes (src/models/rwkv6.cpp load_arch_hparams: 24 layers = 1.6B, 32 x 4096 = 7B, 61 layers = 14B):
 * RWKV/rwkv-6-world-1b6 "1B6" (1.6 billion), fla-hub/rwkv6-7B-finch (RWKV-6 Finch 7B, 7.6 billion), RWKV/v6-Finch-14B-HF
 * (14 billion); the engine's figures are within 0.5% of each.
 * RWKV-7: no real config.json was found (see the report); its layout is checked on a config built from the 1.6B one.
 * Tensors: src/models/rwkv6.cpp / rwkv7.cpp load_arch_tensors and conversion/rwkv.py; state: src/llama-hparams.cpp
 * n_embd_r = token_shift_count x n_embd, n_embd_s = n_embd x head_size (llama.cpp 3f545bec).
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import type { HfConfig } from '../../../src/sizing/types.ts';
import { loadConfig } from '../../fixtures/configs.ts';

const llama = { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' } as const;
const rows = (tensors: ReturnType<typeof tensorsOf>, il: number | null) =>
  tensors.filter((t) => t.layer === il).map((t) => `${t.name.replace(/^blk\.\d+\./, '')} ${t.dims.join('x')}`);

/** One rwkv6 block: h hidden, ff channel-mix width, E / D the time-mix / decay ranks, head size 64. */
function rwkv6Block(h: number, ff: number, e: number, d: number): number {
  const norms = 4 * h;
  const timeMix = h * 5 * e + e * h * 5 + h + 5 * h + h + h + h * d + d * h + 4 * h * h + 2 * h + h * h;
  const channelMix = 2 * h + h * ff + ff * h + h * h;
  return norms + timeMix + channelMix;
}
const globals = (h: number, vocab: number) => 2 * vocab * h + 4 * h;

describe('RWKV-6 World 1.6B (Rwkv6ForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('rwkv-6-world-1b6'));
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "rwkv6": 24 recurrent layers, untied, channel mix 3.5 x 2048 rounded to 32 = 7168', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('rwkv6');
    expect(shape.tiedEmbeddings).toBe(false);
    expect(shape.layers).toHaveLength(24);
    expect(shape.layers[0]!.mixer).toMatchObject({ kind: 'recurrent', variant: 'rwkv6', stateElementsR: 2 * 2048, stateElementsS: 2048 * 64 });
    expect(shape.layers[0]!.ffn).toEqual({ kind: 'dense', ff: 7168, gated: false });
  });

  it('writes the tensors of src/models/rwkv6.cpp: LayerNormed embedding, required head, 24 per block', () => {
    expect(rows(tensors, null)).toEqual([
      'token_embd.weight 2048x65536',
      'token_embd_norm.weight 2048',
      'token_embd_norm.bias 2048',
      'output_norm.weight 2048',
      'output_norm.bias 2048',
      'output.weight 2048x65536',
    ]);
    expect(rows(tensors, 0)).toEqual([
      'attn_norm.weight 2048',
      'attn_norm.bias 2048',
      'attn_norm_2.weight 2048',
      'attn_norm_2.bias 2048',
      'time_mix_w1.weight 2048x160',
      'time_mix_w2.weight 32x2048x5',
      'time_mix_lerp_x.weight 2048',
      'time_mix_lerp_fused.weight 2048x1x1x5',
      'time_mix_first.weight 64x32',
      'time_mix_decay.weight 2048',
      'time_mix_decay_w1.weight 2048x64',
      'time_mix_decay_w2.weight 64x2048',
      'time_mix_key.weight 2048x2048',
      'time_mix_value.weight 2048x2048',
      'time_mix_receptance.weight 2048x2048',
      'time_mix_gate.weight 2048x2048',
      'time_mix_ln.weight 2048',
      'time_mix_ln.bias 2048',
      'time_mix_output.weight 2048x2048',
      'channel_mix_lerp_k.weight 2048',
      'channel_mix_lerp_r.weight 2048',
      'channel_mix_key.weight 2048x7168',
      'channel_mix_value.weight 7168x2048',
      'channel_mix_receptance.weight 2048x2048',
    ]);
    expect(tensors).toHaveLength(6 + 24 * 24);
  });

  it('counts 1,599,873,024 parameters: 1.6 billion, within 0.5%', () => {
    const total = paramCounts(tensors, shape).total;
    expect(total).toBe(globals(2048, 65536) + 24 * rwkv6Block(2048, 7168, 32, 64));
    expect(total).toBe(1_599_873_024);
    expect(Math.abs(total / 1.6e9 - 1)).toBeLessThan(0.005);
  });

  it('keeps in llama.cpp, per layer and sequence, 2 x 2048 token-shift values and a 2048 x 64 WKV state, F32', () => {
    const kv = kvCache(shape, llama);
    expect(kv.perTokenBytes).toBe(0);
    expect(kv.groups).toEqual([expect.objectContaining({ label: 'recurrent', layers: 24, kBytes: 24 * 2 * 2048 * 4, vBytes: 24 * 2048 * 64 * 4 })]);
    expect(kvCache(shape, { ...llama, ctx: 1 << 20 }).bytes).toBe(kv.bytes);
  });
});

describe('RWKV-6 Finch 14B (Rwkv6ForCausalLM, hidden 4096: ranks 64 / 128)', () => {
  const shape = modelShapeFromConfig(loadConfig('rwkv-v6-finch-14b-hf'));
  const tensors = tensorsOf(shape);

  it('time_mix_extra_dim 64 and time_decay_extra_dim 128, as the converter sets them for hidden 4096', () => {
    expect(rows(tensors, 0)).toContain('time_mix_w1.weight 4096x320');
    expect(rows(tensors, 0)).toContain('time_mix_decay_w1.weight 4096x128');
    expect(rows(tensors, 0)).toContain('channel_mix_key.weight 4096x14336');
  });

  it('counts 14,069,088,256 parameters: 14 billion, within 0.5%; state 61 x (2 + 64) x 4096 x 4 bytes', () => {
    const total = paramCounts(tensors, shape).total;
    expect(total).toBe(globals(4096, 65536) + 61 * rwkv6Block(4096, 14336, 64, 128));
    expect(Math.abs(total / 14e9 - 1)).toBeLessThan(0.005);
    expect(kvCache(shape, llama).bytes).toBe(61 * (2 + 64) * 4096 * 4);
  });
});

describe('RWKV-6 Finch 7B, flash-linear-attention layout (RWKV6ForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('rwkv6-7b-finch-fla'));

  it('is sized as the rwkv6 GGUF of the same model, and says the converter does not take this layout', () => {
    expect(shape.ggufArch).toBe('rwkv6');
    expect(shape.layers).toHaveLength(32);
    expect(shape.layers[0]!.mixer).toMatchObject({ stateElementsS: 4096 * 64 });
    expect(shape.assumptions.join(' ')).toContain('flash-linear-attention');
  });

  it('counts 7,635,746,816 parameters: Finch 7B (7.6 billion), within 0.5%', () => {
    const total = paramCounts(tensorsOf(shape), shape).total;
    expect(total).toBe(globals(4096, 65536) + 32 * rwkv6Block(4096, 14336, 64, 128));
    expect(Math.abs(total / 7.6e9 - 1)).toBeLessThan(0.005);
  });
});

describe('RWKV-7 layout (Rwkv7ForCausalLM), on a config built from the 1.6B one', () => {
  // Not a released model: the RWKV-6 1.6B sizes under RWKV-7 keys, to check the rwkv7 tensor list and state.
  const config: HfConfig = {
    architectures: ['Rwkv7ForCausalLM'],
    hidden_size: 2048,
    num_hidden_layers: 24,
    head_dim: 64,
    vocab_size: 65536,
    intermediate_size: null,
  };
  const shape = modelShapeFromConfig(config);
  const tensors = tensorsOf(shape);

  it('LoRA ranks from the converter formula (96, 96, 64, 256 for hidden 2048), stated', () => {
    expect(shape.ggufArch).toBe('rwkv7');
    expect(shape.assumptions.filter((a) => a.includes('rank not given'))).toHaveLength(4);
    expect(rows(tensors, 1)).toEqual([
      'attn_norm.weight 2048',
      'attn_norm.bias 2048',
      'attn_norm_2.weight 2048',
      'attn_norm_2.bias 2048',
      'time_mix_w0.weight 2048',
      'time_mix_w1.weight 2048x96',
      'time_mix_w2.weight 96x2048',
      'time_mix_a0.weight 2048',
      'time_mix_a1.weight 2048x96',
      'time_mix_a2.weight 96x2048',
      'time_mix_v0.weight 2048',
      'time_mix_v1.weight 2048x64',
      'time_mix_v2.weight 64x2048',
      'time_mix_g1.weight 2048x256',
      'time_mix_g2.weight 256x2048',
      'time_mix_lerp_fused.weight 2048x1x1x6',
      'time_mix_k_k.weight 2048',
      'time_mix_k_a.weight 2048',
      'time_mix_r_k.weight 2048',
      'time_mix_key.weight 2048x2048',
      'time_mix_value.weight 2048x2048',
      'time_mix_receptance.weight 2048x2048',
      'time_mix_ln.weight 2048',
      'time_mix_ln.bias 2048',
      'time_mix_output.weight 2048x2048',
      'channel_mix_lerp_k.weight 2048',
      'channel_mix_key.weight 2048x8192',
      'channel_mix_value.weight 8192x2048',
    ]);
  });

  it('layer 0 carries the dummy v1 / v2 the converter copies from a1 / a2 (iclr rank)', () => {
    expect(rows(tensors, 0)).toContain('time_mix_v1.weight 2048x96');
    expect(rows(tensors, 0)).toContain('time_mix_v2.weight 96x2048');
  });

  it('state as rwkv6: 2 x n_embd shift values and n_embd x head_size WKV values per layer', () => {
    expect(kvCache(shape, llama).bytes).toBe(24 * (2 * 2048 + 2048 * 64) * 4);
  });
});
