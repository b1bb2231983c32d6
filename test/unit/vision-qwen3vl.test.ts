/**
 * Qwen3-VL vision (ViT of 16 px patches, learned positions, 2 x 2 merger and deepstack mergers), from the Qwen3-VL
 * 2B / 4B / 8B / 32B Instruct configs (fixtures qwen3-vl-*-instruct: ai-dynamo/aiconfigurator's copies; URLs in _source).
 *
 * Published totals (Hub safetensors totals, AlexsJones/llmfit hf_models.json @a3e0eb27, parameters_raw):
 * Qwen/Qwen3-VL-2B-Instruct 2,127,532,032; -4B 4,437,815,808; -8B 8,767,123,696; -32B 33,357,390,064. Their text
 * models are Qwen3 decoders (q/k norms, no biases; 2B and 4B tie the embedding).
 *
 * Tokens: (W/32) x (H/32) + <|vision_start|> / <|vision_end|>; transformers / vLLM between 65,536 and 16,777,216 pixels
 * (Qwen3-VL preprocessor size.shortest_edge / longest_edge, as the Ollama library blob of qwen3-vl:8b records them:
 * qwen3vl.vision.shortest_edge 65536, longest_edge 16777216, https://ollama.com/library/qwen3-vl:8b-instruct-q8_0/blobs/4768dcaebbaf);
 * llama.cpp 8 to 4096 tokens (clip.cpp load_hparams, PROJECTOR_TYPE_QWEN3VL).
 */
import { describe, expect, it } from 'vitest';
import { mmprojTypedTensors, tensorParams, visionPartOf } from '../../src/sizing/model/vision/index.ts';
import { loadConfig } from '../fixtures/configs.ts';
import { denseTextParams } from './vision-text-params.ts';

function qwen3Text(id: string, tied: boolean): number {
  const t = loadConfig(id)['text_config'] as Record<string, number>;
  return denseTextParams({
    vocab: t['vocab_size']!,
    hidden: t['hidden_size']!,
    layers: t['num_hidden_layers']!,
    heads: t['num_attention_heads']!,
    kvHeads: t['num_key_value_heads']!,
    headDim: t['head_dim']!,
    ff: t['intermediate_size']!,
    tied,
    qkNorm: true,
  });
}

describe('Qwen3-VL vision', () => {
  const cases: [string, boolean, number][] = [
    ['qwen3-vl-2b-instruct', true, 2_127_532_032],
    ['qwen3-vl-4b-instruct', true, 4_437_815_808],
    ['qwen3-vl-8b-instruct', false, 8_767_123_696],
    ['qwen3-vl-32b-instruct', false, 33_357_390_064],
  ];
  for (const [id, tied, total] of cases) {
    it(`${id}: published total minus the Qwen3 text model is exactly the vision part`, () => {
      const part = visionPartOf(loadConfig(id))!;
      expect(part.family).toBe('qwen3vl');
      expect(qwen3Text(id, tied) + part.towerParams + part.projectorParams).toBe(total);
      expect(tensorParams(part.mmprojTensors)).toBe(part.towerParams + part.projectorParams);
      expect(part.notes.some((n) => n.includes('not given'))).toBe(false);
    });
  }

  const part = visionPartOf(loadConfig('qwen3-vl-8b-instruct'))!;
  const C = 1152;
  const F = 4304;

  it('8B: tower 576.4M parameters, split by hand', () => {
    const block = 4 * C + 3 * C * C + 3 * C + C * C + C + 2 * C * F + F + C;
    expect(part.towerParams).toBe(3 * 2 * 16 * 16 * C + C + 2304 * C + 27 * block);
    const merger = (norm: number) => 2 * norm + 4608 * 4608 + 4608 + 4608 * 4096 + 4096;
    expect(part.projectorParams).toBe(merger(C) + 3 * merger(4608));
    expect(part.towerParams + part.projectorParams).toBe(576_388_336);
  });

  it('writes the tensors of conversion/qwen3vl.py, deepstack mergers under their absolute layer index', () => {
    const typed = mmprojTypedTensors(part, 'f16');
    const show = (t: (typeof typed)[number]) => `${t.name} ${t.dims.join('x')} ${t.type}`;
    expect(typed.filter((t) => t.layer === null).map(show)).toEqual([
      'v.patch_embd.weight 16x16x3x1152 F16',
      'v.patch_embd.weight.1 16x16x3x1152 F16',
      'v.patch_embd.bias 1152 F32',
      'v.position_embd.weight 1152x2304 F32',
      'v.post_ln.weight 1152 F32',
      'v.post_ln.bias 1152 F32',
      'mm.0.weight 4608x4608 F16',
      'mm.0.bias 4608 F32',
      'mm.2.weight 4608x4096 F16',
      'mm.2.bias 4096 F32',
    ]);
    expect(typed.filter((t) => t.layer === 8).map(show)).toEqual([
      'v.blk.8.attn_qkv.weight 1152x3456 F16',
      'v.blk.8.attn_qkv.bias 3456 F32',
      'v.blk.8.attn_out.weight 1152x1152 F16',
      'v.blk.8.attn_out.bias 1152 F32',
      'v.blk.8.ln1.weight 1152 F32',
      'v.blk.8.ln1.bias 1152 F32',
      'v.blk.8.ffn_up.weight 1152x4304 F16',
      'v.blk.8.ffn_up.bias 4304 F32',
      'v.blk.8.ffn_down.weight 4304x1152 F16',
      'v.blk.8.ffn_down.bias 1152 F32',
      'v.blk.8.ln2.weight 1152 F32',
      'v.blk.8.ln2.bias 1152 F32',
      'v.deepstack.8.norm.weight 4608 F32',
      'v.deepstack.8.norm.bias 4608 F32',
      'v.deepstack.8.fc1.weight 4608x4608 F16',
      'v.deepstack.8.fc1.bias 4608 F32',
      'v.deepstack.8.fc2.weight 4608x4096 F16',
      'v.deepstack.8.fc2.bias 4096 F32',
    ]);
    expect(typed.filter((t) => t.name.startsWith('v.deepstack.')).map((t) => t.layer)).toEqual(Array(18).fill(0).map((_, i) => [8, 16, 24][Math.floor(i / 6)]));
  });

  it('counts (W/32) x (H/32) tokens plus two, within each runtime`s limits', () => {
    expect(part.imageTokens({ width: 1024, height: 768 })).toBe(32 * 24 + 2);
    expect(part.defaultImageTokens).toBe(770);
    // 12 MP: 3024 / 32 = 94.5 rounds half to even, 126 x 94 = 11844 tokens in transformers (under 16384); llama.cpp caps at 4096.
    expect(part.imageTokens({ width: 4032, height: 3024 }, 'transformers')).toBe(126 * 94 + 2);
    expect(part.imageTokens({ width: 4032, height: 3024 }, 'llama.cpp') - 2).toBeLessThanOrEqual(4096);
    // Small images are scaled up: at least 64 tokens (65,536 px) in transformers, 8 in llama.cpp.
    expect(part.imageTokens({ width: 64, height: 64 }, 'transformers')).toBe(8 * 8 + 2);
    expect(part.imageTokens({ width: 64, height: 64 }, 'llama.cpp')).toBe(3 * 3 + 2);
  });
});
