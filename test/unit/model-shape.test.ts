import { describe, expect, it } from 'vitest';
import { SizingError } from '../../src/sizing/errors.ts';
import { modelShapeFromConfig, SUPPORTED_ARCHITECTURES } from '../../src/sizing/model/model-shape.ts';
import type { HfConfig, LayerMixer, ModelShape, StandardAttention } from '../../src/sizing/types.ts';
import { loadConfig } from '../fixtures/configs.ts';

const shapeOf = (id: string) => modelShapeFromConfig(loadConfig(id));

function attn(m: LayerMixer | undefined): StandardAttention {
  if (!m || m.kind !== 'attention') throw new Error(`not standard attention: ${JSON.stringify(m)}`);
  return m;
}
const windows = (s: ModelShape) => s.layers.map((l) => attn(l.mixer).window);

function sizingError(f: () => unknown): SizingError {
  try {
    f();
  } catch (e) {
    if (e instanceof SizingError) return e;
    throw e;
  }
  throw new Error('expected a SizingError');
}

describe('modelShapeFromConfig: architecture and core sizes', () => {
  it('maps HF architectures to llama.cpp arch names', () => {
    const cases: Record<string, string> = {
      'llama-3.1-8b': 'llama',
      'mistral-7b-v0.3': 'llama',
      'mixtral-8x7b': 'llama',
      'qwen2.5-7b': 'qwen2',
      'qwen3-8b': 'qwen3',
      'qwen3-30b-a3b': 'qwen3moe',
      'qwen3-next-80b-a3b': 'qwen3next',
      'gemma-2-9b': 'gemma2',
      'gemma-3-1b': 'gemma3',
      'gemma-3-4b': 'gemma3',
      'phi-3-mini-128k': 'phi3',
      'deepseek-v3': 'deepseek2',
      'gpt-oss-20b': 'gpt-oss',
      'llama-4-scout-17b-16e': 'llama4',
      'glm-4.5-air': 'glm4moe',
      'glm-4.5': 'glm4moe',
      'gemma-4-31b': 'gemma4',
      'gemma-4-26b-a4b': 'gemma4',
    };
    for (const [id, arch] of Object.entries(cases)) expect(shapeOf(id).ggufArch, id).toBe(arch);
  });

  it('head_dim: explicit when given, else hidden / heads', () => {
    // Llama-3.1-8B's config has no head_dim: 4096 / 32.
    expect(attn(shapeOf('llama-3.1-8b').layers[0]?.mixer)).toMatchObject({ nHead: 32, nHeadKv: 8, headDimK: 128, headDimV: 128 });
    // Gemma-2-9B: head_dim 256 although 3584 / 16 = 224; gpt-oss: 64 although 2880 / 64 = 45.
    expect(attn(shapeOf('gemma-2-9b').layers[0]?.mixer).headDimK).toBe(256);
    expect(attn(shapeOf('gpt-oss-20b').layers[0]?.mixer)).toMatchObject({ nHead: 64, nHeadKv: 8, headDimK: 64 });
  });

  it('reads vocab, hidden, layers, context and tying', () => {
    const s = shapeOf('qwen2.5-0.5b');
    expect(s).toMatchObject({ hfArchitecture: 'Qwen2ForCausalLM', vocabSize: 151936, hiddenSize: 896, tiedEmbeddings: true, maxContext: 32768 });
    expect(s.layers).toHaveLength(24);
    expect(s.layers[0]?.ffn).toEqual({ kind: 'dense', ff: 4864, gated: true });
    expect(shapeOf('llama-3.1-70b').tiedEmbeddings).toBe(false);
  });
});

describe('per-layer attention windows', () => {
  it('Gemma 2: even layers local 4096, odd layers global', () => {
    const w = windows(shapeOf('gemma-2-9b'));
    expect(w).toHaveLength(42);
    w.forEach((x, il) => expect(x, `layer ${il}`).toBe(il % 2 === 0 ? 4096 : null));
  });

  it('Gemma 3 1B: sliding_window_pattern 6, five local (512) then one global', () => {
    const w = windows(shapeOf('gemma-3-1b'));
    expect(w.map((x, il) => (x === null ? il : -1)).filter((il) => il >= 0)).toEqual([5, 11, 17, 23]);
    expect(w.filter((x) => x === 512)).toHaveLength(22);
    expect(attn(shapeOf('gemma-3-1b').layers[0]?.mixer)).toMatchObject({ nHead: 4, nHeadKv: 1, headDimK: 256, windowKind: 'sliding' });
  });

  it('Gemma 3: layer_types, when present, wins over the pattern', () => {
    const cfg = loadConfig('gemma-3-1b');
    const layerTypes = Array.from({ length: 26 }, (_, i) => (i % 2 === 0 ? 'sliding_attention' : 'full_attention'));
    const w = windows(modelShapeFromConfig({ ...cfg, layer_types: layerTypes }));
    w.forEach((x, il) => expect(x).toBe(il % 2 === 0 ? 512 : null));
  });

  it('Gemma 3 4B (ConditionalGeneration): text_config, defaults for omitted keys, vision tower in extras', () => {
    const s = shapeOf('gemma-3-4b');
    expect(s.layers).toHaveLength(34);
    expect(s.vocabSize).toBe(262208);
    expect(attn(s.layers[0]?.mixer)).toMatchObject({ nHead: 8, nHeadKv: 4, headDimK: 256, window: 1024 });
    expect(attn(s.layers[5]?.mixer).window).toBeNull();
    expect(s.assumptions.some((a) => a.includes('text_config.num_attention_heads'))).toBe(true);
    const vision = s.extras.find((e) => e.name === 'vision encoder');
    // SigLIP-So400m (27 layers, 1152 wide) is ~0.41B; with the projector ~0.42B.
    expect(vision?.params).toBeGreaterThan(0.40e9);
    expect(vision?.params).toBeLessThan(0.44e9);
  });

  it('gpt-oss: even layers sliding 128, odd layers full', () => {
    const w = windows(shapeOf('gpt-oss-120b'));
    expect(w).toHaveLength(36);
    w.forEach((x, il) => expect(x).toBe(il % 2 === 0 ? 128 : null));
    // Without layer_types the architecture's own pattern gives the same answer.
    const cfg = { ...loadConfig('gpt-oss-20b') };
    delete cfg['layer_types'];
    windows(modelShapeFromConfig(cfg)).forEach((x, il) => expect(x).toBe(il % 2 === 0 ? 128 : null));
  });

  it('Mistral: sliding_window set applies to every layer (v0.1); null means none (v0.3)', () => {
    expect(windows(shapeOf('mistral-7b-v0.3')).every((x) => x === null)).toBe(true);
    const v01 = modelShapeFromConfig({ ...loadConfig('mistral-7b-v0.3'), sliding_window: 4096 });
    expect(windows(v01).every((x) => x === 4096)).toBe(true);
    expect(v01.assumptions.join(' ')).toMatch(/sliding_window 4096/);
  });

  it('Qwen2 with use_sliding_window false: no window although sliding_window is set', () => {
    const s = shapeOf('qwen2.5-7b');
    expect(loadConfig('qwen2.5-7b')['sliding_window']).toBe(131072);
    expect(windows(s).every((x) => x === null)).toBe(true);
  });

  it('Llama 4 Scout: chunked attention 8192 on 3 of 4 layers', () => {
    const s = shapeOf('llama-4-scout-17b-16e');
    const mixers = s.layers.map((l) => attn(l.mixer));
    mixers.forEach((m, il) => {
      expect(m.window).toBe((il + 1) % 4 === 0 ? null : 8192);
      if (m.window !== null) expect(m.windowKind).toBe('chunked');
    });
    expect(s.layers[0]?.ffn).toMatchObject({ kind: 'moe', nExpert: 16, nExpertUsed: 1, expertFf: 8192, nSharedExpert: 1, sharedFf: 8192 });
  });
});

describe('MoE, MLA and recurrent layers', () => {
  it('Qwen3-30B-A3B: every layer MoE 128 x 768, 8 used, no shared expert', () => {
    const s = shapeOf('qwen3-30b-a3b');
    for (const l of s.layers) expect(l.ffn).toEqual({ kind: 'moe', nExpert: 128, nExpertUsed: 8, expertFf: 768, nSharedExpert: 0, sharedFf: 0, gated: true });
  });

  it('Qwen3-MoE: mlp_only_layers and decoder_sparse_step make dense layers', () => {
    const cfg = { ...loadConfig('qwen3-30b-a3b'), mlp_only_layers: [0, 1], decoder_sparse_step: 2 };
    const s = modelShapeFromConfig(cfg);
    const kinds = s.layers.map((l) => l.ffn.kind);
    expect(kinds.slice(0, 6)).toEqual(['dense', 'dense', 'dense', 'moe', 'dense', 'moe']);
    expect(s.layers[0]?.ffn).toEqual({ kind: 'dense', ff: 6144, gated: true });
  });

  it('DeepSeek-V3: MLA on every layer, 3 dense layers then MoE 256/8 with one shared expert', () => {
    const s = shapeOf('deepseek-v3');
    expect(s.layers).toHaveLength(61);
    expect(s.layers[0]?.mixer).toEqual({ kind: 'mla', nHead: 128, qLoraRank: 1536, kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128 });
    expect(s.layers[2]?.ffn).toEqual({ kind: 'dense', ff: 18432, gated: true });
    expect(s.layers[3]?.ffn).toEqual({ kind: 'moe', nExpert: 256, nExpertUsed: 8, expertFf: 2048, nSharedExpert: 1, sharedFf: 2048, gated: true });
    expect(s.tensorDetails?.expertProbsBias).toBe(true);
  });

  it('GLM-4.5-Air: 46 GQA layers (96 heads, 8 KV heads of 128), layer 0 dense, then MoE 128/8 with one shared expert; the NextN block apart', () => {
    const s = shapeOf('glm-4.5-air');
    expect(s.layers).toHaveLength(46);
    for (const l of s.layers) expect(l.mixer).toEqual({ kind: 'attention', nHead: 96, nHeadKv: 8, headDimK: 128, headDimV: 128, window: null });
    expect(s.layers[0]?.ffn).toEqual({ kind: 'dense', ff: 10944, gated: true });
    for (const l of s.layers.slice(1)) expect(l.ffn).toEqual({ kind: 'moe', nExpert: 128, nExpertUsed: 8, expertFf: 1408, nSharedExpert: 1, sharedFf: 1408, gated: true });
    // num_nextn_predict_layers 1: one block after the 46, indexed 46, an MoE block like the others.
    expect(s.nextnLayers).toHaveLength(1);
    expect(s.nextnLayers?.[0]).toMatchObject({ index: 46, ffn: { kind: 'moe', nExpert: 128, expertFf: 1408 } });
    expect(s.tensorDetails).toEqual({ qkvBias: true, qkNorm: false, expertProbsBias: true, nextnEmbeddings: true });
    expect(s.maxContext).toBe(131072);
    expect(s.tiedEmbeddings).toBe(false);
  });

  it('GLM-4.5: 92 layers, 3 dense, MoE 160/8 of 1536, q/k norms', () => {
    const s = shapeOf('glm-4.5');
    expect(s.layers).toHaveLength(92);
    expect(s.layers.map((l) => l.ffn.kind).slice(0, 4)).toEqual(['dense', 'dense', 'dense', 'moe']);
    expect(s.layers[2]?.ffn).toEqual({ kind: 'dense', ff: 12288, gated: true });
    expect(s.layers[91]?.ffn).toEqual({ kind: 'moe', nExpert: 160, nExpertUsed: 8, expertFf: 1536, nSharedExpert: 1, sharedFf: 1536, gated: true });
    expect(attn(s.layers[0]?.mixer)).toMatchObject({ nHead: 96, nHeadKv: 8, headDimK: 128 });
    expect(s.nextnLayers?.map((l) => l.index)).toEqual([92]);
    expect(s.tensorDetails?.qkNorm).toBe(true);
  });

  it('GLM-4.5 without num_nextn_predict_layers: no NextN block, no extra', () => {
    const { num_nextn_predict_layers: _, ...cfg } = loadConfig('glm-4.5-air');
    const s = modelShapeFromConfig(cfg);
    expect(s.nextnLayers).toBeUndefined();
    expect(s.extras).toEqual([]);
    expect(s.tensorDetails?.nextnEmbeddings).toBeUndefined();
  });

  it('no other fixture has NextN blocks', () => {
    for (const id of ['deepseek-v3', 'qwen3-30b-a3b', 'qwen3-next-80b-a3b', 'llama-4-scout-17b-16e', 'gpt-oss-20b', 'llama-3.1-8b']) {
      expect(shapeOf(id).nextnLayers, id).toBeUndefined();
    }
  });

  it('DeepSeek-V2-Lite style: no q_lora_rank gives qLoraRank null', () => {
    const cfg: HfConfig = { ...loadConfig('deepseek-v3'), architectures: ['DeepseekV2ForCausalLM'], q_lora_rank: null, topk_method: 'greedy' };
    const s = modelShapeFromConfig(cfg);
    expect(s.layers[0]?.mixer).toMatchObject({ kind: 'mla', qLoraRank: null });
    expect(s.tensorDetails?.expertProbsBias).toBe(false);
  });

  it('Qwen3-Next: every 4th layer full attention, the rest Gated DeltaNet with llama.cpp state sizes', () => {
    const s = shapeOf('qwen3-next-80b-a3b');
    const full = s.layers.filter((l) => l.mixer.kind === 'attention').map((l) => l.index);
    expect(full).toEqual([3, 7, 11, 15, 19, 23, 27, 31, 35, 39, 43, 47]);
    expect(attn(s.layers[3]?.mixer)).toMatchObject({ nHead: 16, nHeadKv: 2, headDimK: 256, window: null });
    // n_embd_r = (d_conv - 1) * (d_inner + 2 * n_group * d_state) = 3 * (4096 + 2 * 16 * 128)
    // n_embd_s = d_state * d_inner = 128 * 4096
    expect(s.layers[0]?.mixer).toMatchObject({ kind: 'recurrent', variant: 'gated-deltanet', stateElementsR: 24576, stateElementsS: 524288 });
    expect(s.layers[0]?.ffn).toMatchObject({ kind: 'moe', nExpert: 512, nExpertUsed: 10, expertFf: 512, nSharedExpert: 1, sharedFf: 512 });
  });

  it('hybrid layout from layer_types (Qwen3.5 style)', () => {
    const cfg = loadConfig('qwen3-next-80b-a3b');
    const layerTypes = Array.from({ length: 48 }, (_, i) => (i % 3 === 2 ? 'full_attention' : 'linear_attention'));
    const s = modelShapeFromConfig({ ...cfg, architectures: ['Qwen3_5MoeForCausalLM'], layer_types: layerTypes });
    expect(s.ggufArch).toBe('qwen35moe');
    expect(s.layers.filter((l) => l.mixer.kind === 'attention')).toHaveLength(16);
    expect(s.layers[2]?.mixer.kind).toBe('attention');
  });
});

describe('bad configs', () => {
  it('names the field of a bad value', () => {
    const e = sizingError(() => modelShapeFromConfig({ ...loadConfig('llama-3.1-8b'), num_key_value_heads: -1 }));
    expect(e.field).toBe('num_key_value_heads');
    expect(e.message).toBe('config.json: num_key_value_heads must be a positive integer, got -1');
  });

  it('rejects non-integers, strings and missing required keys', () => {
    expect(sizingError(() => modelShapeFromConfig({ ...loadConfig('qwen2.5-7b'), hidden_size: 3584.5 })).field).toBe('hidden_size');
    expect(sizingError(() => modelShapeFromConfig({ ...loadConfig('qwen2.5-7b'), num_hidden_layers: '28' })).field).toBe('num_hidden_layers');
    const cfg = { ...loadConfig('qwen2.5-7b') };
    delete cfg['vocab_size'];
    const e = sizingError(() => modelShapeFromConfig(cfg));
    expect(e.field).toBe('vocab_size');
    expect(e.message).toMatch(/vocab_size is required/);
  });

  it('checks relations between fields', () => {
    const e = sizingError(() => modelShapeFromConfig({ ...loadConfig('llama-3.1-8b'), num_key_value_heads: 7 }));
    expect(e.field).toBe('num_key_value_heads');
    const moe = sizingError(() => modelShapeFromConfig({ ...loadConfig('mixtral-8x7b'), num_experts_per_tok: 9 }));
    expect(moe.field).toBe('num_experts_per_tok');
    const lt = sizingError(() => modelShapeFromConfig({ ...loadConfig('gpt-oss-20b'), layer_types: ['full_attention'] }));
    expect(lt.field).toBe('layer_types');
  });

  it('names nested text_config keys by their path', () => {
    const cfg = loadConfig('gemma-3-4b');
    const text = { ...(cfg['text_config'] as HfConfig), num_hidden_layers: 0 };
    const e = sizingError(() => modelShapeFromConfig({ ...cfg, text_config: text }));
    expect(e.field).toBe('text_config.num_hidden_layers');
  });

  it('an unknown architecture with the usual keys gets a generic reading, labelled, with the keys it used', () => {
    const s = modelShapeFromConfig({ ...loadConfig('llama-3.1-8b'), architectures: ['SomeNewForCausalLM'] });
    expect(s.hfArchitecture).toBe('SomeNewForCausalLM');
    expect(s.reading).toEqual({
      kind: 'generic',
      keys: ['hidden_size', 'num_hidden_layers', 'num_attention_heads', 'vocab_size', 'num_key_value_heads', 'max_position_embeddings', 'intermediate_size', 'tie_word_embeddings'],
    });
    expect(s.assumptions.join(' ')).toMatch(/Generic reading: the engine has no reader for SomeNewForCausalLM/);
    // The same decoder as Llama-3.1-8B's exact reading, but for rope_freqs (a Llama-specific tensor).
    const exact = modelShapeFromConfig(loadConfig('llama-3.1-8b'));
    expect(exact.reading).toEqual({ kind: 'exact' });
    expect(s.layers).toEqual(exact.layers);
    expect(SUPPORTED_ARCHITECTURES).toContain('GptOssForCausalLM');
    expect(sizingError(() => modelShapeFromConfig({ hidden_size: 4096 })).field).toBe('architectures');
  });

  it('a generic reading refuses a config without the essential sizes, naming them', () => {
    const { intermediate_size: _ff, vocab_size: _v, ...rest } = loadConfig('llama-3.1-8b');
    const e = sizingError(() => modelShapeFromConfig({ ...rest, architectures: ['SomeNewForCausalLM'] }));
    expect(e.message).toBe(
      'config.json: architecture SomeNewForCausalLM has no reader in the engine, and a generic reading needs vocab_size or padded_vocab_size, intermediate_size or ffn_hidden_size, which the config does not give',
    );
    expect(e.field).toBe('architectures');
  });

  it('generic aliases: n_embd / n_layer / n_head (GPT-2 style names) and MoE keys', () => {
    const s = modelShapeFromConfig({
      architectures: ['OtherMoeForCausalLM'],
      n_embd: 1024,
      n_layer: 4,
      n_head: 16,
      num_kv_heads: 4,
      vocab_size: 1000,
      num_experts: 8,
      num_experts_per_tok: 2,
      moe_intermediate_size: 512,
    });
    expect(s.layers).toHaveLength(4);
    expect(s.layers[0]!.mixer).toMatchObject({ kind: 'attention', nHead: 16, nHeadKv: 4, headDimK: 64 });
    expect(s.layers[0]!.ffn).toEqual({ kind: 'moe', nExpert: 8, nExpertUsed: 2, expertFf: 512, nSharedExpert: 0, sharedFf: 0, gated: true });
    expect(s.maxContext).toBe(4096);
    expect(s.assumptions.join(' ')).toMatch(/4,096 tokens assumed/);
  });
});
