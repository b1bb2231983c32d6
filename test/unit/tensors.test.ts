import { describe, expect, it } from 'vitest';
import { modelShapeFromConfig } from '../../src/sizing/model/model-shape.ts';
import { sizedTensors } from '../../src/sizing/plan/sized-tensors.ts';
import { loadedTensors, tensorsOf } from '../../src/sizing/model/tensors.ts';
import type { HfConfig, TensorInfo } from '../../src/sizing/types.ts';
import { loadConfig, loadMeasured, type MeasuredModel } from '../fixtures/configs.ts';

const measured = loadMeasured();
function measuredModel(name: string): MeasuredModel {
  const m = measured.find((x) => x.name === name);
  if (!m) throw new Error(`no measured model ${name}`);
  return m;
}

/** gemma-3-1b has no config file in the reference data: its fixture is built from generator_hyperparameters + models.json. */
const MEASURED_FIXTURES: Record<string, string> = {
  'smollm2-135m': 'smollm2-135m',
  'qwen2.5-0.5b': 'qwen2.5-0.5b',
  'llama-3.2-1b': 'llama-3.2-1b',
  'gemma-3-1b': 'gemma-3-1b',
};

function tensorsFor(id: string): TensorInfo[] {
  return tensorsOf(modelShapeFromConfig(loadConfig(id)));
}

/** "blk.12.attn_q.weight" -> "blk.*.attn_q.weight", as llamacpp-measured.json groups them. */
function roleKey(name: string): string {
  return name.replace(/^blk\.\d+\./, 'blk.*.');
}

const elements = (t: TensorInfo) => t.dims.reduce((a, b) => a * b, 1);
const pad32 = (n: number) => Math.ceil(n / 32) * 32;

describe('tensorsOf against llama.cpp runs (llamacpp-measured.json)', () => {
  for (const [name, fixture] of Object.entries(MEASURED_FIXTURES)) {
    const m = measuredModel(name);
    const tensors = tensorsFor(fixture);
    // Any quant lists every tensor once; BF16 where present.
    const quant = m.quants['BF16'] ?? m.quants['Q8_0']!;

    it(`${name}: tensor names grouped by role have the measured counts`, () => {
      const counts: Record<string, number> = {};
      for (const t of tensors) counts[roleKey(t.name)] = (counts[roleKey(t.name)] ?? 0) + 1;
      const expected = Object.fromEntries(
        Object.entries(quant.types_by_role).map(([k, byType]) => [k, Object.values(byType).reduce((a, b) => a + b, 0)]),
      );
      expect(counts).toEqual(expected);
    });

    it(`${name}: total tensor count equals the sum of tensor_types`, () => {
      const total = Object.values(quant.tensor_types).reduce((a, b) => a + b, 0);
      expect(tensors.length).toBe(total);
    });
  }

  // BF16 file: 1-D tensors stay F32 (4 bytes), matrices BF16 (2 bytes), each tensor's data padded to 32 bytes.
  for (const name of ['smollm2-135m', 'qwen2.5-0.5b', 'llama-3.2-1b']) {
    it(`${name}: BF16 tensor_data_bytes is exact`, () => {
      const tensors = tensorsFor(MEASURED_FIXTURES[name]!);
      const bytes = tensors.reduce((s, t) => s + pad32(elements(t) * (t.dims.length === 1 ? 4 : 2)), 0);
      expect(bytes).toBe(measuredModel(name).quants['BF16']!.tensor_data_bytes);
    });
  }

  // gemma-3-1b was measured as Q8_0 and Q4_K_M only. In its Q8_0 file every matrix is Q8_0
  // (34 bytes per 32 weights: fp16 scale + 32 int8, ggml-common.h block_q8_0) and every 1-D tensor F32.
  it('gemma-3-1b: Q8_0 tensor_data_bytes is exact', () => {
    const q = measuredModel('gemma-3-1b').quants['Q8_0']!;
    const tensors = tensorsFor('gemma-3-1b');
    const matrices = tensors.filter((t) => t.dims.length > 1).length;
    expect(matrices).toBe(q.tensor_types['Q8_0']);
    const bytes = tensors.reduce((s, t) => s + pad32(t.dims.length === 1 ? elements(t) * 4 : (elements(t) / 32) * 34), 0);
    expect(bytes).toBe(q.tensor_data_bytes);
  });
});

describe('tensorsOf: names, shapes (ggml order) and roles', () => {
  it('every tensor name is unique and every tensor has a role', () => {
    for (const id of ['llama-3.1-8b', 'deepseek-v3', 'gpt-oss-20b', 'qwen3-next-80b-a3b', 'gemma-3-4b', 'phi-3-mini-128k', 'mixtral-8x7b']) {
      const tensors = tensorsFor(id);
      expect(new Set(tensors.map((t) => t.name)).size, id).toBe(tensors.length);
      for (const t of tensors) expect(t.role, t.name).toMatch(/^[a-z_]+$/);
    }
  });

  it('non-block tensors come first, then blocks in layer order', () => {
    const tensors = tensorsFor('llama-3.1-8b');
    expect(tensors.slice(0, 4).map((t) => t.name)).toEqual(['token_embd.weight', 'output_norm.weight', 'output.weight', 'rope_freqs.weight']);
    const layers = tensors.map((t) => t.layer).filter((l): l is number => l !== null);
    expect(layers).toEqual([...layers].sort((a, b) => a - b));
  });

  it('Llama 3.1 8B: rope_freqs of head_dim/2, ggml dims with the input width first', () => {
    const byName = new Map(tensorsFor('llama-3.1-8b').map((t) => [t.name, t]));
    expect(byName.get('rope_freqs.weight')?.dims).toEqual([64]);
    expect(byName.get('token_embd.weight')?.dims).toEqual([4096, 128256]);
    expect(byName.get('output.weight')).toMatchObject({ dims: [4096, 128256], role: 'output' });
    expect(byName.get('blk.0.attn_k.weight')?.dims).toEqual([4096, 1024]);
    expect(byName.get('blk.31.ffn_down.weight')?.dims).toEqual([14336, 4096]);
    expect(byName.get('blk.31.ffn_up.weight')?.dims).toEqual([4096, 14336]);
  });

  it('tied embeddings have no output.weight; no rope_freqs without llama3 rope scaling', () => {
    const names = tensorsFor('qwen2.5-0.5b').map((t) => t.name);
    expect(names).not.toContain('output.weight');
    expect(names).not.toContain('rope_freqs.weight');
    expect(tensorsFor('mistral-7b-v0.3').map((t) => t.name)).toContain('output.weight');
  });

  it('Qwen2: q/k/v biases, no output bias; Qwen3: q/k norms of head_dim, no biases', () => {
    const q2 = new Map(tensorsFor('qwen2.5-7b').map((t) => [t.name, t]));
    expect(q2.get('blk.0.attn_k.bias')).toMatchObject({ dims: [512], role: 'bias' });
    expect(q2.has('blk.0.attn_output.bias')).toBe(false);
    const q3 = new Map(tensorsFor('qwen3-8b').map((t) => [t.name, t]));
    expect(q3.get('blk.35.attn_q_norm.weight')).toMatchObject({ dims: [128], role: 'norm' });
    expect(q3.has('blk.0.attn_q.bias')).toBe(false);
  });

  it('Gemma 2/3: post_attention_norm and post_ffw_norm in every block', () => {
    const g2 = tensorsFor('gemma-2-9b').map((t) => t.name);
    expect(g2.filter((n) => n.endsWith('post_ffw_norm.weight'))).toHaveLength(42);
    expect(g2.filter((n) => n.endsWith('post_attention_norm.weight'))).toHaveLength(42);
    const g3 = new Map(tensorsFor('gemma-3-4b').map((t) => [t.name, t]));
    expect(g3.get('blk.0.attn_q.weight')?.dims).toEqual([2560, 8 * 256]);
    expect(g3.get('blk.33.attn_k_norm.weight')?.dims).toEqual([256]);
  });

  it('Phi-3: fused attn_qkv and ffn_up of 2 x n_ff, longrope factors', () => {
    const byName = new Map(tensorsFor('phi-3-mini-128k').map((t) => [t.name, t]));
    expect(byName.get('blk.0.attn_qkv.weight')?.dims).toEqual([3072, 3 * 3072]);
    expect(byName.get('blk.0.ffn_up.weight')?.dims).toEqual([3072, 2 * 8192]);
    expect(byName.has('blk.0.ffn_gate.weight')).toBe(false);
    expect(byName.get('rope_factors_long.weight')?.dims).toEqual([48]);
    expect(byName.get('rope_factors_short.weight')?.dims).toEqual([48]);
  });

  it('Qwen3-30B-A3B: router and stacked 3-D experts', () => {
    const byName = new Map(tensorsFor('qwen3-30b-a3b').map((t) => [t.name, t]));
    expect(byName.get('blk.0.ffn_gate_inp.weight')).toMatchObject({ dims: [2048, 128], role: 'router' });
    expect(byName.get('blk.0.ffn_gate_exps.weight')).toMatchObject({ dims: [2048, 768, 128], role: 'ffn_exps' });
    expect(byName.get('blk.47.ffn_down_exps.weight')).toMatchObject({ dims: [768, 2048, 128], role: 'ffn_exps' });
    expect(byName.has('blk.0.ffn_gate.weight')).toBe(false);
  });

  it('DeepSeek-V3: MLA tensors (k_b/v_b split), 3 dense layers, shared experts, exp_probs_b', () => {
    const tensors = tensorsFor('deepseek-v3');
    const byName = new Map(tensors.map((t) => [t.name, t]));
    expect(byName.get('blk.0.attn_q_a.weight')?.dims).toEqual([7168, 1536]);
    expect(byName.get('blk.0.attn_q_a_norm.weight')?.dims).toEqual([1536]);
    expect(byName.get('blk.0.attn_q_b.weight')?.dims).toEqual([1536, 128 * 192]);
    expect(byName.get('blk.0.attn_kv_a_mqa.weight')?.dims).toEqual([7168, 512 + 64]);
    expect(byName.get('blk.0.attn_kv_a_norm.weight')?.dims).toEqual([512]);
    expect(byName.get('blk.0.attn_k_b.weight')?.dims).toEqual([128, 512, 128]);
    expect(byName.get('blk.0.attn_v_b.weight')?.dims).toEqual([512, 128, 128]);
    expect(byName.has('blk.0.attn_kv_b.weight')).toBe(false);
    expect(byName.get('blk.0.attn_output.weight')?.dims).toEqual([128 * 128, 7168]);
    expect(byName.get('blk.2.ffn_gate.weight')?.dims).toEqual([7168, 18432]);
    expect(byName.has('blk.3.ffn_gate.weight')).toBe(false);
    expect(byName.get('blk.3.ffn_up_exps.weight')?.dims).toEqual([7168, 2048, 256]);
    expect(byName.get('blk.3.ffn_gate_shexp.weight')?.dims).toEqual([7168, 2048]);
    expect(byName.get('blk.60.exp_probs_b.bias')?.dims).toEqual([256]);
    expect(tensors.filter((t) => t.role === 'ffn_exps')).toHaveLength(58 * 3);
    expect(tensors.some((t) => t.layer === 61)).toBe(false); // MTP layer not in the GGUF
  });

  it('gpt-oss-20b: attention biases and sinks, post_attention_norm, expert biases', () => {
    const byName = new Map(tensorsFor('gpt-oss-20b').map((t) => [t.name, t]));
    expect(byName.get('blk.0.attn_q.weight')?.dims).toEqual([2880, 64 * 64]);
    expect(byName.get('blk.0.attn_output.weight')?.dims).toEqual([4096, 2880]);
    expect(byName.get('blk.0.attn_output.bias')?.dims).toEqual([2880]);
    expect(byName.get('blk.0.attn_sinks.weight')?.dims).toEqual([64]);
    expect(byName.get('blk.0.post_attention_norm.weight')?.dims).toEqual([2880]);
    expect(byName.has('blk.0.ffn_norm.weight')).toBe(false);
    expect(byName.get('blk.0.ffn_gate_inp.bias')?.dims).toEqual([32]);
    expect(byName.get('blk.0.ffn_down_exps.weight')?.dims).toEqual([2880, 2880, 32]);
    expect(byName.get('blk.0.ffn_down_exps.bias')?.dims).toEqual([2880, 32]);
    expect(byName.get('blk.0.ffn_up_exps.bias')?.dims).toEqual([2880, 32]);
  });

  it('Qwen3-Next: gated DeltaNet tensors on linear layers, gated q on full-attention layers', () => {
    const byName = new Map(tensorsFor('qwen3-next-80b-a3b').map((t) => [t.name, t]));
    // key_dim = 16 x 128 = 2048, value_dim = 32 x 128 = 4096, conv_dim = 2 x 2048 + 4096
    expect(byName.get('blk.0.attn_qkv.weight')).toMatchObject({ dims: [2048, 8192], role: 'recurrent' });
    expect(byName.get('blk.0.attn_gate.weight')?.dims).toEqual([2048, 4096]);
    expect(byName.get('blk.0.ssm_conv1d.weight')?.dims).toEqual([4, 8192]);
    expect(byName.get('blk.0.ssm_ba.weight')?.dims).toEqual([2048, 64]);
    expect(byName.get('blk.0.ssm_a')?.dims).toEqual([32]);
    expect(byName.get('blk.0.ssm_dt.bias')?.dims).toEqual([32]);
    expect(byName.get('blk.0.ssm_norm.weight')?.dims).toEqual([128]);
    expect(byName.get('blk.0.ssm_out.weight')?.dims).toEqual([4096, 2048]);
    expect(byName.has('blk.0.attn_q.weight')).toBe(false);
    expect(byName.get('blk.3.attn_q.weight')?.dims).toEqual([2048, 2 * 16 * 256]);
    expect(byName.get('blk.3.attn_k.weight')?.dims).toEqual([2048, 2 * 256]);
    expect(byName.has('blk.3.attn_qkv.weight')).toBe(false);
    expect(byName.get('blk.3.ffn_gate_inp_shexp.weight')?.dims).toEqual([2048]);
    expect(byName.get('blk.3.ffn_up_shexp.weight')?.dims).toEqual([2048, 512]);
  });

  it('Qwen3.5-style split beta/alpha when the architecture is qwen35', () => {
    const cfg: HfConfig = { ...loadConfig('qwen3-next-80b-a3b'), architectures: ['Qwen3_5MoeForCausalLM'] };
    const names = tensorsOf(modelShapeFromConfig(cfg)).map((t) => t.name);
    expect(names).toContain('blk.0.ssm_beta.weight');
    expect(names).toContain('blk.0.ssm_alpha.weight');
    expect(names).not.toContain('blk.0.ssm_ba.weight');
  });
});

/**
 * GLM-4.5 / GLM-4.5-Air as convert_hf_to_gguf.py Glm4MoeModel writes them and src/models/glm4-moe.cpp loads them:
 * biased q/k/v (attention_bias), no attn_output bias, post_attention_norm as the pre-MLP norm, dense leading
 * layers, MoE layers with a router, its score-correction bias and one shared expert; the NextN block last.
 */
describe('tensorsOf: GLM-4.5 (glm4moe)', () => {
  const air = tensorsFor('glm-4.5-air');
  const byName = new Map(air.map((t) => [t.name, t]));
  const layerNames = (il: number) => air.filter((t) => t.layer === il).map((t) => t.name.replace(`blk.${il}.`, '')).sort();

  it('GLM-4.5-Air dense layer 0: q {4096, 96 x 128}, k/v {4096, 8 x 128}, biases, gated ff 10944', () => {
    expect(layerNames(0)).toEqual(
      ['attn_k.bias', 'attn_k.weight', 'attn_norm.weight', 'attn_output.weight', 'attn_q.bias', 'attn_q.weight', 'attn_v.bias', 'attn_v.weight', 'ffn_down.weight', 'ffn_gate.weight', 'ffn_up.weight', 'post_attention_norm.weight'].sort(),
    );
    expect(byName.get('blk.0.attn_q.weight')).toMatchObject({ dims: [4096, 12288], role: 'attn' });
    expect(byName.get('blk.0.attn_k.weight')?.dims).toEqual([4096, 1024]);
    expect(byName.get('blk.0.attn_v.weight')?.dims).toEqual([4096, 1024]);
    expect(byName.get('blk.0.attn_output.weight')?.dims).toEqual([12288, 4096]);
    expect(byName.get('blk.0.attn_q.bias')).toMatchObject({ dims: [12288], role: 'bias' });
    expect(byName.get('blk.0.attn_k.bias')?.dims).toEqual([1024]);
    expect(byName.get('blk.0.ffn_gate.weight')?.dims).toEqual([4096, 10944]);
    expect(byName.get('blk.0.ffn_down.weight')?.dims).toEqual([10944, 4096]);
    expect(byName.get('blk.0.post_attention_norm.weight')).toMatchObject({ dims: [4096], role: 'norm' });
    expect(byName.has('blk.0.attn_output.bias')).toBe(false);
    expect(byName.has('blk.0.attn_q_norm.weight')).toBe(false); // use_qk_norm false on Air
  });

  it('GLM-4.5-Air MoE layer: router {4096, 128}, exp_probs_b {128}, experts {4096, 1408, 128}, shared expert {4096, 1408}', () => {
    expect(layerNames(1)).toEqual(
      [
        'attn_k.bias', 'attn_k.weight', 'attn_norm.weight', 'attn_output.weight', 'attn_q.bias', 'attn_q.weight', 'attn_v.bias', 'attn_v.weight',
        'exp_probs_b.bias', 'ffn_down_exps.weight', 'ffn_down_shexp.weight', 'ffn_gate_exps.weight', 'ffn_gate_inp.weight', 'ffn_gate_shexp.weight',
        'ffn_up_exps.weight', 'ffn_up_shexp.weight', 'post_attention_norm.weight',
      ].sort(),
    );
    expect(byName.get('blk.1.ffn_gate_inp.weight')).toMatchObject({ dims: [4096, 128], role: 'router' });
    expect(byName.get('blk.1.exp_probs_b.bias')).toMatchObject({ dims: [128], role: 'bias' });
    expect(byName.get('blk.1.ffn_gate_exps.weight')).toMatchObject({ dims: [4096, 1408, 128], role: 'ffn_exps' });
    expect(byName.get('blk.1.ffn_down_exps.weight')?.dims).toEqual([1408, 4096, 128]);
    expect(byName.get('blk.45.ffn_up_exps.weight')?.dims).toEqual([4096, 1408, 128]);
    expect(byName.get('blk.1.ffn_gate_shexp.weight')).toMatchObject({ dims: [4096, 1408], role: 'ffn' });
    expect(byName.get('blk.1.ffn_down_shexp.weight')?.dims).toEqual([1408, 4096]);
    expect(byName.has('blk.1.ffn_gate_inp_shexp.weight')).toBe(false); // no sigmoid gate on the shared expert
  });

  it('GLM-4.5-Air NextN block blk.46: a full MoE block plus eh_proj {8192, 4096}, enorm, hnorm, its own embedding and head', () => {
    const nextn = air.filter((t) => t.layer === 46);
    expect(nextn.filter((t) => !t.name.includes('.nextn.')).map((t) => t.name.replace('blk.46.', '')).sort()).toEqual(layerNames(1));
    expect(byName.get('blk.46.nextn.eh_proj.weight')?.dims).toEqual([2 * 4096, 4096]);
    expect(byName.get('blk.46.nextn.enorm.weight')).toMatchObject({ dims: [4096], role: 'norm' });
    expect(byName.get('blk.46.nextn.hnorm.weight')).toMatchObject({ dims: [4096], role: 'norm' });
    expect(byName.get('blk.46.nextn.shared_head_norm.weight')).toMatchObject({ dims: [4096], role: 'norm' });
    expect(byName.get('blk.46.nextn.embed_tokens.weight')?.dims).toEqual([4096, 151552]);
    expect(byName.get('blk.46.nextn.shared_head_head.weight')?.dims).toEqual([4096, 151552]);
    expect(air.some((t) => (t.layer ?? 0) > 46)).toBe(false);
  });

  it('GLM-4.5-Air: 803 tensors, as llama.cpp loaded them (PR #14939 log: "803 tensors", block_count 47)', () => {
    // 3 global + 12 in the dense layer + 17 in each of 45 MoE layers + 17 + 6 in the NextN block.
    expect(air).toHaveLength(3 + 12 + 45 * 17 + 23);
    expect(loadedTensors(air, modelShapeFromConfig(loadConfig('glm-4.5-air')))).toHaveLength(803 - 23);
  });

  it('GLM-4.5: q/k norms of head_dim 128, 3 dense layers, NextN block blk.92', () => {
    const byName45 = new Map(tensorsFor('glm-4.5').map((t) => [t.name, t]));
    expect(byName45.get('blk.0.attn_q_norm.weight')).toMatchObject({ dims: [128], role: 'norm' });
    expect(byName45.get('blk.0.attn_k_norm.weight')?.dims).toEqual([128]);
    expect(byName45.get('blk.2.ffn_up.weight')?.dims).toEqual([5120, 12288]);
    expect(byName45.has('blk.3.ffn_up.weight')).toBe(false);
    expect(byName45.get('blk.3.ffn_up_exps.weight')?.dims).toEqual([5120, 1536, 160]);
    expect(byName45.get('blk.92.nextn.eh_proj.weight')?.dims).toEqual([10240, 5120]);
    expect(byName45.get('blk.92.nextn.embed_tokens.weight')?.dims).toEqual([5120, 151552]);
  });

  it('sizedTensors (what a runtime loads) leaves the NextN block out, in every format', () => {
    const source = { kind: 'config' as const, config: loadConfig('glm-4.5-air') };
    for (const [quant, runtime] of [['Q4_K_M', 'llama.cpp'], ['awq', 'vllm']] as const) {
      const sized = sizedTensors(source, quant, runtime);
      expect(sized.tensors.some((t) => t.layer === 46), quant).toBe(false);
      expect(sized.tensors, quant).toHaveLength(803 - 23);
    }
  });
});
