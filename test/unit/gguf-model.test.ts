import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SizingError } from '../../src/sizing/errors.ts';
import { estimate } from '../../src/sizing/memory/estimate.ts';
import { elementCount, tensorDataBytes } from '../../src/sizing/formats/ggml-types.ts';
import { ggufSummary, shapeFromGguf, typedTensorsFromGguf } from '../../src/sizing/gguf/gguf-model.ts';
import { readGgufHeader, type GgufHeader, type ReadRange } from '../../src/sizing/gguf/gguf-reader.ts';
import { recurrentLayers, roleOfTensorName } from '../../src/sizing/gguf/gguf-tensor-roles.ts';
import { modelShapeFromConfig } from '../../src/sizing/model/model-shape.ts';
import { tensorsOf } from '../../src/sizing/model/tensors.ts';
import type { HfConfig, StandardAttention } from '../../src/sizing/types.ts';
import { loadConfig } from '../fixtures/configs.ts';
import { tinyGemma3, tinyLlama, tinyMoe, tokenizerMetadata, type GgufFixture } from '../fixtures/gguf-models.ts';
import { writeGguf, type WriteValue } from '../fixtures/gguf-writer.ts';

const memory =
  (bytes: Uint8Array): ReadRange =>
  async (offset, length) =>
    bytes.slice(offset, offset + length);

/** A header-only file standing in for a large one: reads past the written bytes return zeros, as if the data were there. */
const headerOnly =
  (bytes: Uint8Array): ReadRange =>
  async (offset, length) => {
    const out = new Uint8Array(length);
    out.set(bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + length, bytes.length)));
    return out;
  };

async function headerOf(fx: GgufFixture): Promise<GgufHeader> {
  return readGgufHeader(memory(fx.bytes), fx.bytes.length);
}

/** A real-sized model as a header-only GGUF: tensors from the config path (F16 matrices, F32 vectors), metadata as given. */
async function realSized(configId: string, metadata: Record<string, WriteValue>): Promise<{ header: GgufHeader; config: HfConfig }> {
  const config = loadConfig(configId);
  const tensors = tensorsOf(modelShapeFromConfig(config)).map((t) => ({ name: t.name, dims: t.dims, type: t.dims.length === 1 ? 'F32' : 'F16' }));
  const bytes = writeGguf({ metadata, tensors, tensorData: 'none' });
  return { header: await readGgufHeader(headerOnly(bytes)), config };
}

describe('typedTensorsFromGguf', () => {
  it('gives the tensors the config path builds, with the types the file stores', async () => {
    const fx = tinyLlama();
    const typed = typedTensorsFromGguf(await headerOf(fx));
    const fromConfig = tensorsOf(modelShapeFromConfig(fx.config));
    expect(typed.map(({ name, dims, layer, role }) => ({ name, dims, layer, role }))).toEqual(fromConfig);
    expect(typed.map((t) => t.type)).toEqual(fx.tensors.map((t) => t.type));
    expect(typed.find((t) => t.name === 'blk.1.ffn_down.weight')).toEqual({ name: 'blk.1.ffn_down.weight', dims: [512, 256], layer: 1, role: 'ffn', type: 'Q6_K' });
  });

  it('assigns the role tensors.ts assigns, for every fixture config (MLA, Gated DeltaNet, gpt-oss sinks, MoE, fused Phi-3)', () => {
    const dir = fileURLToPath(new URL('../fixtures/configs/', import.meta.url));
    const ids = readdirSync(dir).map((f) => f.replace(/\.json$/, ''));
    expect(ids.length).toBeGreaterThan(20);
    // Every fixture is checked, and every mismatch listed at once (one bad fixture does not hide the others).
    const mismatched: string[] = [];
    for (const id of ids) {
      const tensors = tensorsOf(modelShapeFromConfig(loadConfig(id)));
      const recurrent = recurrentLayers(tensors.map((t) => t.name));
      for (const t of tensors) if (roleOfTensorName(t.name, t.layer !== null && recurrent.has(t.layer)) !== t.role) mismatched.push(`${id}: ${t.name} ${t.role}`);
    }
    expect(mismatched).toEqual([]);
  });
});

describe('shapeFromGguf on the tiny fixtures', () => {
  it('llama: GQA 4 heads / 2 KV heads of 64, dense ff 512, untied, vocab from the token list', async () => {
    const fx = tinyLlama();
    const shape = shapeFromGguf(await headerOf(fx));
    const expected = modelShapeFromConfig(fx.config);
    expect(shape.layers).toEqual(expected.layers);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 4, nHeadKv: 2, headDimK: 64, headDimV: 64, window: null });
    expect(shape.layers[1]!.ffn).toEqual({ kind: 'dense', ff: 512, gated: true });
    expect([shape.ggufArch, shape.vocabSize, shape.hiddenSize, shape.maxContext, shape.tiedEmbeddings]).toEqual(['llama', 512, 256, 4096, false]);
    // The file's tensor list is what tensors.ts builds from the file's shape: the two roads meet.
    expect(tensorsOf(shape).map((t) => [t.name, t.dims])).toEqual(fx.tensors.map((t) => [t.name, t.dims]));
  });

  it('gemma3: 5 sliding layers of window 512 then a global one, head width from key_length, tied', async () => {
    const fx = tinyGemma3();
    const shape = shapeFromGguf(await headerOf(fx));
    expect(shape.layers.map((l) => (l.mixer as StandardAttention).window)).toEqual([512, 512, 512, 512, 512, null]);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'attention', nHead: 4, nHeadKv: 1, headDimK: 64, headDimV: 64, window: 512, windowKind: 'sliding' });
    expect(shape.layers).toEqual(modelShapeFromConfig(fx.config).layers);
    expect(shape.tiedEmbeddings).toBe(true);
    expect(tensorsOf(shape).map((t) => [t.name, t.dims])).toEqual(fx.tensors.map((t) => [t.name, t.dims]));
  });

  it('MoE: 8 experts, 2 used, expert width 256 from the stacked 3-D tensors\' keys', async () => {
    const fx = tinyMoe();
    const shape = shapeFromGguf(await headerOf(fx));
    expect(shape.layers[1]!.ffn).toEqual({ kind: 'moe', nExpert: 8, nExpertUsed: 2, expertFf: 256, nSharedExpert: 0, sharedFf: 0, gated: true });
    expect(shape.layers).toEqual(modelShapeFromConfig(fx.config).layers);
    expect(tensorsOf(shape).map((t) => [t.name, t.dims])).toEqual(fx.tensors.map((t) => [t.name, t.dims]));
  });

  it('reads per-layer head_count_kv arrays and a per-layer sliding_window_pattern', async () => {
    const fx = tinyGemma3();
    const metadata = {
      ...fx.metadata,
      'gemma3.attention.head_count_kv': [1, 2, 1, 2, 1, 2],
      'gemma3.attention.sliding_window_pattern': [true, false, true, false, false, false],
    };
    const bytes = writeGguf({ metadata, tensors: fx.tensors });
    const shape = shapeFromGguf(await readGgufHeader(memory(bytes), bytes.length));
    const mixers = shape.layers.map((l) => l.mixer as StandardAttention);
    expect(mixers.map((m) => m.nHeadKv)).toEqual([1, 2, 1, 2, 1, 2]);
    expect(mixers.map((m) => m.window)).toEqual([512, null, 512, null, null, null]);
  });

  it('names the missing key', async () => {
    const fx = tinyLlama();
    for (const key of ['llama.block_count', 'llama.attention.head_count', 'llama.feed_forward_length', 'general.architecture']) {
      const metadata = { ...fx.metadata };
      delete metadata[key];
      const bytes = writeGguf({ metadata, tensors: fx.tensors });
      const header = await readGgufHeader(memory(bytes), bytes.length);
      const err = (() => {
        try {
          shapeFromGguf(header);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(SizingError);
      expect((err as SizingError).field).toBe(key);
      expect((err as SizingError).message).toBe(`GGUF metadata ${key} is missing`);
    }
  });
});

describe('shapeFromGguf on real-sized headers (metadata as convert_hf_to_gguf.py writes it)', () => {
  it('gpt-oss-20b: even layers slide over 128 tokens, 32 experts of 2880, attention biases and sinks', async () => {
    const { header, config } = await realSized('gpt-oss-20b', {
      'general.architecture': 'gpt-oss',
      'gpt-oss.block_count': 24,
      'gpt-oss.context_length': 131072,
      'gpt-oss.embedding_length': 2880,
      'gpt-oss.feed_forward_length': 2880,
      'gpt-oss.attention.head_count': 64,
      'gpt-oss.attention.head_count_kv': 8,
      'gpt-oss.attention.key_length': 64,
      'gpt-oss.attention.value_length': 64,
      'gpt-oss.attention.sliding_window': 128,
      'gpt-oss.expert_count': 32,
      'gpt-oss.expert_used_count': 4,
      'gpt-oss.expert_feed_forward_length': 2880,
      ...tokenizerMetadata(201088),
    });
    const shape = shapeFromGguf(header);
    expect(shape.layers).toEqual(modelShapeFromConfig(config).layers);
    expect(shape.layers.filter((l) => (l.mixer as StandardAttention).window === 128).length).toBe(12);
    expect(shape.tensorDetails).toMatchObject({ qkvBias: true, attnOutputBias: true });
    expect(shape.vocabSize).toBe(201088);
    expect(tensorsOf(shape).map((t) => [t.name, t.dims])).toEqual(header.tensors.map((t) => [t.name, t.dims]));
  });

  it('DeepSeek-V3: MLA from kv_lora_rank / key_length_mla, 3 dense layers then 256-expert MoE with a shared expert', async () => {
    const { header, config } = await realSized('deepseek-v3', {
      'general.architecture': 'deepseek2',
      'deepseek2.block_count': 61,
      'deepseek2.context_length': 163840,
      'deepseek2.embedding_length': 7168,
      'deepseek2.feed_forward_length': 18432,
      'deepseek2.attention.head_count': 128,
      'deepseek2.attention.head_count_kv': 1,
      'deepseek2.attention.key_length': 576,
      'deepseek2.attention.value_length': 512,
      'deepseek2.attention.key_length_mla': 192,
      'deepseek2.attention.value_length_mla': 128,
      'deepseek2.attention.q_lora_rank': 1536,
      'deepseek2.attention.kv_lora_rank': 512,
      'deepseek2.rope.dimension_count': 64,
      'deepseek2.leading_dense_block_count': 3,
      'deepseek2.expert_count': 256,
      'deepseek2.expert_used_count': 8,
      'deepseek2.expert_shared_count': 1,
      'deepseek2.expert_feed_forward_length': 2048,
      ...tokenizerMetadata(129280),
    });
    const shape = shapeFromGguf(header);
    expect(shape.layers).toEqual(modelShapeFromConfig(config).layers);
    expect(shape.layers[0]!.mixer).toEqual({ kind: 'mla', nHead: 128, qLoraRank: 1536, kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128 });
    expect(shape.layers[2]!.ffn).toEqual({ kind: 'dense', ff: 18432, gated: true });
    expect(shape.layers[3]!.ffn).toMatchObject({ kind: 'moe', nExpert: 256, nExpertUsed: 8, expertFf: 2048, nSharedExpert: 1, sharedFf: 2048 });
    expect(shape.tensorDetails?.expertProbsBias).toBe(true);
    expect(tensorsOf(shape).map((t) => [t.name, t.dims])).toEqual(header.tensors.map((t) => [t.name, t.dims]));
  });

  describe('GLM-4.5-Air: a 47-block file whose last block is the NextN (MTP) block', () => {
    // The keys convert_hf_to_gguf.py Glm4MoeModel writes (block_count = num_hidden_layers + num_nextn_predict_layers).
    const metadata: Record<string, WriteValue> = {
      'general.architecture': 'glm4moe',
      'glm4moe.block_count': 47,
      'glm4moe.context_length': 131072,
      'glm4moe.embedding_length': 4096,
      'glm4moe.feed_forward_length': 10944,
      'glm4moe.attention.head_count': 96,
      'glm4moe.attention.head_count_kv': 8,
      'glm4moe.attention.key_length': 128,
      'glm4moe.attention.value_length': 128,
      'glm4moe.rope.dimension_count': 64,
      'glm4moe.expert_count': 128,
      'glm4moe.expert_used_count': 8,
      'glm4moe.expert_shared_count': 1,
      'glm4moe.expert_feed_forward_length': 1408,
      'glm4moe.leading_dense_block_count': 1,
      'glm4moe.nextn_predict_layers': 1,
      ...tokenizerMetadata(151552),
    };

    it('reads 46 layers plus one NextN block, the shapes the config gives', async () => {
      const { header, config } = await realSized('glm-4.5-air', metadata);
      expect(header.tensors).toHaveLength(803);
      const shape = shapeFromGguf(header);
      const fromConfig = modelShapeFromConfig(config);
      expect(shape.ggufArch).toBe('glm4moe');
      expect(shape.layers).toHaveLength(46);
      expect(shape.layers).toEqual(fromConfig.layers);
      expect(shape.nextnLayers).toEqual(fromConfig.nextnLayers);
      expect(shape.nextnLayers?.map((l) => l.index)).toEqual([46]);
      expect(shape.layers[0]!.ffn).toEqual({ kind: 'dense', ff: 10944, gated: true });
      expect(shape.layers[45]!.ffn).toEqual({ kind: 'moe', nExpert: 128, nExpertUsed: 8, expertFf: 1408, nSharedExpert: 1, sharedFf: 1408, gated: true });
      expect(shape.tensorDetails).toMatchObject({ qkvBias: true, attnOutputBias: false, qkNorm: false, expertProbsBias: true, nextnEmbeddings: true });
      expect(shape.assumptions.some((a) => a.includes('NextN'))).toBe(true);
      expect(tensorsOf(shape).map((t) => [t.name, t.dims])).toEqual(header.tensors.map((t) => [t.name, t.dims]));
    });

    it('the file size counts the NextN tensors, the weights in memory, the parameters and the KV cache do not', async () => {
      const { header } = await realSized('glm-4.5-air', metadata);
      const shape = shapeFromGguf(header);
      const typed = typedTensorsFromGguf(header);
      const e = estimate({ kind: 'typed', shape, typed, metadataBytes: header.tensorDataOffset }, { quant: 'file', ctx: 4096 });
      // blk.46 as written here (matrices F16, vectors F32): 3,616,538,624 matrix elements (attention 109,051,904,
      // router 524,288, experts 2,214,592,512, shared expert 17,301,504, eh_proj 33,554,432, embedding and head
      // 2 x 620,756,992) and 34,944 vector elements (q/k/v biases 14,336, exp_probs_b 128, 5 norms of 4096).
      const nextnBytes = 2 * 3_616_538_624 + 4 * 34_944;
      const summary = ggufSummary(header);
      expect(e.weightsBytes).toBe(summary.tensorDataBytes - nextnBytes);
      expect(e.ggufFileBytes).toBe(header.tensorDataOffset + header.tensorDataBytesPadded);
      expect(e.params.total).toBe(106_852_251_264);
      expect(e.params.nextn).toBe(3_616_573_568);
      // llama.cpp's "model params" is every tensor of the file: 110.47 B.
      expect(summary.parameterCount).toBe(106_852_251_264 + 3_616_573_568);
      expect(e.kv.perTokenBytes).toBe(46 * 2 * 8 * 128 * 2);
      expect(e.weights.byLayer.blocks).toHaveLength(46);
      expect(e.notes.some((n) => n.includes('NextN'))).toBe(true);
    });

    it('a file converted without the MTP block (46 blocks, no nextn_predict_layers) reads as 46 layers and nothing more', async () => {
      const { num_nextn_predict_layers: _n, ...config } = loadConfig('glm-4.5-air');
      const { 'glm4moe.nextn_predict_layers': _k, ...rest } = metadata;
      const tensors = tensorsOf(modelShapeFromConfig(config)).map((t) => ({ name: t.name, dims: t.dims, type: t.dims.length === 1 ? 'F32' : 'F16' }));
      expect(tensors).toHaveLength(803 - 23);
      const header = await readGgufHeader(headerOnly(writeGguf({ metadata: { ...rest, 'glm4moe.block_count': 46 }, tensors, tensorData: 'none' })));
      const shape = shapeFromGguf(header);
      expect(shape.layers).toEqual(modelShapeFromConfig(config).layers);
      expect(shape.nextnLayers).toBeUndefined();
      expect(shape.tensorDetails?.nextnEmbeddings).toBeUndefined();
    });
  });

  it('Qwen3-Next: 3 Gated DeltaNet layers per full-attention layer, states from the ssm_* keys', async () => {
    const { header, config } = await realSized('qwen3-next-80b-a3b', {
      'general.architecture': 'qwen3next',
      'qwen3next.block_count': 48,
      'qwen3next.context_length': 262144,
      'qwen3next.embedding_length': 2048,
      'qwen3next.feed_forward_length': 5120,
      'qwen3next.attention.head_count': 16,
      'qwen3next.attention.head_count_kv': 2,
      'qwen3next.attention.key_length': 256,
      'qwen3next.attention.value_length': 256,
      'qwen3next.expert_count': 512,
      'qwen3next.expert_used_count': 10,
      'qwen3next.expert_feed_forward_length': 512,
      'qwen3next.expert_shared_feed_forward_length': 512,
      'qwen3next.ssm.conv_kernel': 4,
      'qwen3next.ssm.state_size': 128,
      'qwen3next.ssm.group_count': 16,
      'qwen3next.ssm.time_step_rank': 32,
      'qwen3next.ssm.inner_size': 4096,
      'qwen3next.full_attention_interval': 4,
      ...tokenizerMetadata(151936),
    });
    const shape = shapeFromGguf(header);
    expect(shape.layers).toEqual(modelShapeFromConfig(config).layers);
    expect(shape.layers.map((l) => l.mixer.kind).slice(0, 4)).toEqual(['recurrent', 'recurrent', 'recurrent', 'attention']);
    // n_embd_r = (4 - 1) * (4096 + 2 * 16 * 128) = 24576; n_embd_s = 128 * 4096 = 524288.
    expect(shape.layers[0]!.mixer).toMatchObject({ kind: 'recurrent', variant: 'gated-deltanet', stateElementsR: 24576, stateElementsS: 524288 });
    expect(tensorsOf(shape).map((t) => [t.name, t.dims])).toEqual(header.tensors.map((t) => [t.name, t.dims]));
  });

  // conversion/gemma.py Gemma4Model: key_length = global_head_dim, key_length_swa = head_dim, head_count_kv per
  // layer (num_global_key_value_heads on full layers), sliding_window_pattern as a per-layer bool array.
  it('Gemma 4 26B-A4B: per-layer KV heads and head widths, V from K on the full layers, the dense MLP beside the experts', async () => {
    const swa = Array.from({ length: 30 }, (_, il) => (il + 1) % 6 !== 0);
    const { header, config } = await realSized('gemma-4-26b-a4b', {
      'general.architecture': 'gemma4',
      'gemma4.block_count': 30,
      'gemma4.context_length': 262144,
      'gemma4.embedding_length': 2816,
      'gemma4.feed_forward_length': 2112,
      'gemma4.attention.head_count': 16,
      'gemma4.attention.head_count_kv': swa.map((s) => (s ? 8 : 2)),
      'gemma4.attention.key_length': 512,
      'gemma4.attention.value_length': 512,
      'gemma4.attention.key_length_swa': 256,
      'gemma4.attention.value_length_swa': 256,
      'gemma4.attention.sliding_window': 1024,
      'gemma4.attention.sliding_window_pattern': swa,
      'gemma4.expert_count': 128,
      'gemma4.expert_used_count': 8,
      'gemma4.expert_feed_forward_length': 704,
      ...tokenizerMetadata(262144),
    });
    expect(header.tensors).toHaveLength(658);
    const shape = shapeFromGguf(header);
    expect(shape.layers).toEqual(modelShapeFromConfig(config).layers);
    expect(shape.layers[5]!.mixer).toEqual({ kind: 'attention', nHead: 16, nHeadKv: 2, headDimK: 512, headDimV: 512, window: null, valueFromKey: true });
    expect(shape.tiedEmbeddings).toBe(true);
    expect(shape.tensorDetails).toMatchObject({ qkNorm: true, ropeFreqs: 256 });
    expect(tensorsOf(shape).map((t) => [t.name, t.dims])).toEqual(header.tensors.map((t) => [t.name, t.dims]));
  });
});

describe('ggufSummary', () => {
  it('names the file type, counts types, sums parameters and exact tensor bytes', async () => {
    const fx = tinyLlama();
    const h = await headerOf(fx);
    const s = ggufSummary(h);
    const bytes = fx.tensors.reduce((sum, t) => sum + tensorDataBytes(t.type, t.dims), 0);
    const params = fx.tensors.reduce((sum, t) => sum + elementCount(t.dims), 0);
    expect(s).toEqual({
      architecture: 'llama',
      name: 'Tiny Llama',
      fileType: 'Q4_K_M',
      fileTypeId: 15,
      parameterCount: params,
      tensorDataBytes: bytes,
      tensorDataBytesPadded: fx.bytes.length - h.tensorDataOffset,
      typeCounts: { Q6_K: 3, F32: 5, F16: 1, Q4_K: 6, Q8_0: 2, IQ4_XS: 2, BF16: 2 },
    });
    // 2 x (256x512 embd/output) + 2 layers x (4 x 256 + 256x256 q + 2 x 256x128 k,v + 256x256 o + 3 x 256x512 ffn) + norms.
    expect(params).toBe(2 * 256 * 512 + 256 + 2 * (2 * 256 + 2 * 256 * 256 + 2 * 256 * 128 + 3 * 256 * 512));
  });

  it('prefers general.parameter_count and reports an unknown file type as null', async () => {
    const fx = tinyMoe();
    const bytes = writeGguf({ metadata: { ...fx.metadata, 'general.parameter_count': { type: 'u64', value: 123456789n }, 'general.file_type': 999 }, tensors: fx.tensors });
    const s = ggufSummary(await readGgufHeader(memory(bytes), bytes.length));
    expect(s.parameterCount).toBe(123456789);
    expect([s.fileType, s.fileTypeId, s.name]).toEqual([null, 999, null]);
    // attn_v (Q8_0) and ffn_up_exps (Q8_0) in each of 2 layers.
    expect(s.typeCounts['Q8_0']).toBe(4);
  });
});
