/**
 * RecurrentGemma 2B / 9B (RecurrentGemmaForCausalLM), from test/fixtures/configs/recurrentgemma-2b-it.json and
 * recurrentgemma-9b.json (third-party copies of google's gated configs; URLs in their _source).
 * llama.cpp does not support the architecture (no converter class, no loader at 3f545bec), so the model is sized as
 * transformers holds it (models/recurrent_gemma/modeling_recurrent_gemma.py) and every shape says no GGUF exists; its
 * tensors carry llama.cpp-style names only so that roles read back from names agree (see the family's header).
 * Published count: google/recurrentgemma-2b-it "params": 2.683 (billions), the Open LLM Leaderboard request at revision
 * 150248167d171fbdf4b02e7d28a4b3d749e570f6,
 * https://huggingface.co/datasets/open-llm-leaderboard/requests/blame/refs%2Fpr%2F2/google/recurrentgemma-2b-it_eval_request_False_bfloat16_Original.json
 */
import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../../src/sizing/model/model-shape.ts';
import { paramCounts } from '../../../src/sizing/model/params.ts';
import { tensorsOf } from '../../../src/sizing/model/tensors.ts';
import { kvCache } from '../../../src/sizing/memory/kv-cache.ts';
import { estimate } from '../../../src/sizing/memory/estimate.ts';
import { NO_GGUF_NOTE } from '../../../src/sizing/model/families/recurrentgemma.ts';
import { loadConfig } from '../../fixtures/configs.ts';

const rows = (tensors: ReturnType<typeof tensorsOf>, il: number | null) =>
  tensors.filter((t) => t.layer === il).map((t) => `${t.name.replace(/^blk\.\d+\./, '')} ${t.dims.join('x')}`);

describe('RecurrentGemma 2B (RecurrentGemmaForCausalLM)', () => {
  const shape = modelShapeFromConfig(loadConfig('recurrentgemma-2b-it'));
  const tensors = tensorsOf(shape);
  const attentionLayers = [2, 5, 8, 11, 14, 17, 20, 23];

  it('reads exactly: 26 layers in the pattern recurrent, recurrent, attention (_block_types); tied; no GGUF, said so', () => {
    expect(shape.reading).toEqual({ kind: 'exact' });
    expect(shape.ggufArch).toBe('recurrentgemma');
    expect(shape.assumptions).toContain(NO_GGUF_NOTE);
    expect(shape.tiedEmbeddings).toBe(true);
    expect(shape.layers).toHaveLength(26);
    expect(shape.layers.filter((l) => l.mixer.kind === 'attention').map((l) => l.index)).toEqual(attentionLayers);
    // Local multi-query attention over a 2048-token window: 10 heads, 1 KV head of 256.
    expect(shape.layers[2]!.mixer).toEqual({ kind: 'attention', nHead: 10, nHeadKv: 1, headDimK: 256, headDimV: 256, window: 2048, windowKind: 'sliding' });
    // RG-LRU: conv state (4 - 1) x 2560, recurrent state 2560.
    expect(shape.layers[0]!.mixer).toMatchObject({ kind: 'recurrent', variant: 'rg-lru', stateElementsR: 3 * 2560, stateElementsS: 2560 });
    expect(shape.layers[0]!.ffn).toEqual({ kind: 'dense', ff: 7680, gated: true }); // intermediate_size / 2
  });

  it('lists transformers\' weights under llama.cpp-style names: a recurrent block, an attention block, the biased GeGLU MLP', () => {
    expect(rows(tensors, null)).toEqual(['token_embd.weight 2560x256000', 'output_norm.weight 2560']);
    expect(rows(tensors, 0)).toEqual([
      'attn_norm.weight 2560',
      'ssm_linear_y.weight 2560x2560',
      'ssm_linear_y.bias 2560',
      'ssm_linear_x.weight 2560x2560',
      'ssm_linear_x.bias 2560',
      'ssm_linear_out.weight 2560x2560',
      'ssm_linear_out.bias 2560',
      'ssm_conv1d.weight 4x2560',
      'ssm_conv1d.bias 2560',
      'ssm_recurrent_param 2560',
      'ssm_input_gate.weight 256x256x10',
      'ssm_input_gate.bias 256x10',
      'ssm_recurrent_gate.weight 256x256x10',
      'ssm_recurrent_gate.bias 256x10',
      'ffn_norm.weight 2560',
      'ffn_gate.weight 2560x7680',
      'ffn_gate.bias 7680',
      'ffn_up.weight 2560x7680',
      'ffn_up.bias 7680',
      'ffn_down.weight 7680x2560',
      'ffn_down.bias 2560',
    ]);
    expect(rows(tensors, 2).slice(0, 7)).toEqual([
      'attn_norm.weight 2560',
      'attn_q.weight 2560x2560',
      'attn_k.weight 2560x256',
      'attn_v.weight 2560x256',
      'attn_output.weight 2560x2560',
      'attn_output.bias 2560',
      'ffn_norm.weight 2560',
    ]);
  });

  it('counts 2,682,862,080 parameters: 2.683 B as published', () => {
    const h = 2560;
    const mlp = 3 * h * 7680 + 2 * 7680 + h;
    const recurrent = 3 * h * h + 3 * h + 4 * h + h + h + 2 * (10 * 256 * 256 + 10 * 256);
    const attention = 2 * h * h + 2 * h * 256 + h;
    const total = paramCounts(tensors, shape).total;
    expect(total).toBe(256000 * h + h + 18 * (2 * h + recurrent + mlp) + 8 * (2 * h + attention + mlp));
    expect(total).toBe(2_682_862_080);
    expect(Math.round(total / 1e6) / 1e3).toBe(2.683);
  });

  it('transformers cache (bf16): 8 attention layers hold at most the 2048-token window, 18 recurrent layers a fixed state', () => {
    const kv = kvCache(shape, { runtime: 'transformers', ctx: 32768, seqs: 1, typeK: 'bf16', typeV: 'bf16' });
    expect(kv.perTokenBytes).toBe(0);
    expect(kv.groups).toEqual([
      expect.objectContaining({ label: 'recurrent', layers: 18, kBytes: 18 * 3 * 2560 * 2, vBytes: 18 * 2560 * 2 }),
      expect.objectContaining({ label: 'sliding', layers: 8, cells: 2048, bytes: 8 * 2 * 256 * 2 * 2048 }),
    ]);
  });

  it('an estimate with a llama.cpp file type is still computed, but carries the no-GGUF note', () => {
    const e = estimate({ kind: 'config', config: loadConfig('recurrentgemma-2b-it') }, { quant: 'Q4_K_M', ctx: 8192 });
    expect(e.quant.kind).toBe('gguf');
    expect(e.notes).toContain(NO_GGUF_NOTE);
  });
});

describe('RecurrentGemma 9B (block_types key, 38 layers)', () => {
  const shape = modelShapeFromConfig(loadConfig('recurrentgemma-9b'));

  it('12 attention layers (16 heads, 1 KV head of 256), 26 recurrent; 8,579,977,216 parameters', () => {
    expect(shape.layers.filter((l) => l.mixer.kind === 'attention')).toHaveLength(12);
    expect(shape.layers[2]!.mixer).toMatchObject({ nHead: 16, nHeadKv: 1, headDimK: 256, window: 2048 });
    expect(paramCounts(tensorsOf(shape), shape).total).toBe(8_579_977_216);
  });
});
