/**
 * Tencent Hunyuan-7B-Instruct (HunYuanDenseV1ForCausalLM), from test/fixtures/configs/hunyuan-7b.json (reconstructed
 * from two independent copies of the released config, see its _source). Published size: Tencent gives no exact count
 * ("parameter scales of 0.5B, 1.8B, 4B, and 7B",
 * https://github.com/Tencent-Hunyuan/Hunyuan-7B/blob/49c25a00ec7e9cd57b9914408eecad9754c77462/README.md); the Hub lists
 * four BF16 safetensors shards of 4.98 GB + 5 GB + 4.92 GB + 117 MB = 15.017 GB
 * (https://huggingface.co/tencent/Hunyuan-7B-Instruct/tree/01f52507589627ea5c871eaef7b3e11db8b854ac), i.e. 7.51 billion
 * parameters at 2 bytes each, the figure checked here.
 * Tensors: src/models/hunyuan-vl.cpp load_arch_tensors, which hunyuan-dense reuses (llama.cpp 3f545bec).
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { loadConfig } from '../../fixtures/configs.ts';

describe('Hunyuan-7B (HunYuanDenseV1ForCausalLM)', () => {
  const config = loadConfig('hunyuan-7b');
  const shape = modelShapeFromConfig(config);
  const tensors = tensorsOf(shape);

  it('reads exactly, as llama.cpp arch "hunyuan-dense": tied, 32 layers of 32 / 8 heads of 128, 256K context', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('hunyuan-dense');
    expect(shape.tiedEmbeddings).toBe(true);
    expect(shape.layers).toHaveLength(32);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 32, nHeadKv: 8, headDimK: 128, headDimV: 128, window: null });
    expect(shape.layers[0]!.ffn).toEqual({ kind: 'dense', ff: 14336, gated: true });
    expect(shape.maxContext).toBe(262144);
  });

  it('writes the tensors of src/models/hunyuan-vl.cpp: per-head q/k norms (k first), 11 per block', () => {
    expect(tensors.filter((t) => t.layer === null).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'token_embd.weight 4096x128167',
      'output_norm.weight 4096',
    ]);
    expect(tensors.filter((t) => t.layer === 0).map((t) => `${t.name} ${t.dims.join('x')}`)).toEqual([
      'blk.0.attn_norm.weight 4096',
      'blk.0.attn_q.weight 4096x4096',
      'blk.0.attn_k.weight 4096x1024',
      'blk.0.attn_v.weight 4096x1024',
      'blk.0.attn_output.weight 4096x4096',
      'blk.0.attn_k_norm.weight 128',
      'blk.0.attn_q_norm.weight 128',
      'blk.0.ffn_norm.weight 4096',
      'blk.0.ffn_gate.weight 4096x14336',
      'blk.0.ffn_down.weight 14336x4096',
      'blk.0.ffn_up.weight 4096x14336',
    ]);
    expect(tensors).toHaveLength(2 + 32 * 11);
  });

  it('counts 7.505 billion parameters, within 0.5% of the 15.017 GB of BF16 shards', () => {
    const total = paramCounts(tensors, shape).total;
    const block = 2 * 4096 * 4096 + 2 * 4096 * 1024 + 2 * 128 + 3 * 4096 * 14336 + 2 * 4096;
    expect(total).toBe(128167 * 4096 + 32 * block + 4096);
    expect(total).toBe(7_504_568_320);
    expect(Math.abs((2 * total) / 15.017e9 - 1)).toBeLessThan(0.005);
  });

  it('caches 32 layers x 8 KV heads x 128 x 2 (K, V) x 2 bytes per token in llama.cpp', () => {
    const kv = kvCache(shape, { runtime: 'llama.cpp', ctx: 4096, seqs: 1, typeK: 'f16', typeV: 'f16' });
    expect(kv.perTokenBytes).toBe(32 * 8 * 128 * 2 * 2);
  });

  it('refuses cross-layer attention, which llama.cpp cannot convert', () => {
    expect(() => modelShapeFromConfig({ ...config, use_cla: true })).toThrow(/use_cla/);
  });
});
