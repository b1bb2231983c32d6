import { readFileSync } from 'node:fs';
import { REFERENCE_DIR } from '../fixtures/configs.ts';
import { describe, expect, it } from 'vitest';
import { MODELS } from '../../src/data/models.ts';
import { matchCatalogModel, parseModelName, type ParsedName } from '../../src/sizing/names/parse.ts';

/** Every decoded field except notes and the input echo, so a table row states the whole parse. */
function decoded(p: ParsedName) {
  const { notes: _notes, input: _input, ollama: _ollama, variants: _variants, ...rest } = p;
  return rest;
}

function expectParse(input: string, expected: Omit<ReturnType<typeof decoded>, 'unknownParts'> & { unknownParts?: string[] }) {
  expect(decoded(parseModelName(input))).toEqual({ unknownParts: [], ...expected });
}

const Q4_K_M = { kind: 'gguf-file-type', id: 'Q4_K_M', bits: 4, recipe: 'M', text: 'Q4_K_M' } as const;

describe('Ollama tags', () => {
  it('llama3.1:70b-instruct-q5_K_M', () => {
    expectParse('llama3.1:70b-instruct-q5_K_M', {
      source: 'ollama',
      family: 'llama',
      version: '3.1',
      params: { total: 70e9, text: '70b' },
      variant: 'instruct',
      quantization: { kind: 'gguf-file-type', id: 'Q5_K_M', bits: 5, recipe: 'M', text: 'q5_K_M' },
      baseName: 'llama3.1:70b-instruct',
    });
    expect(parseModelName('llama3.1:70b-instruct-q5_K_M').ollama).toEqual({
      model: 'llama3.1',
      tag: '70b-instruct-q5_K_M',
      implicitTag: false,
    });
  });

  it('qwen3:30b-a3b: total and active, quant omitted -> default-tag note, no quantization', () => {
    const p = parseModelName('qwen3:30b-a3b');
    expect(decoded(p)).toEqual({
      source: 'ollama',
      family: 'qwen',
      version: '3',
      params: { total: 30e9, active: 3e9, text: '30b-a3b' },
      baseName: 'qwen3:30b-a3b',
      unknownParts: [],
    });
    expect(p.notes.join(' ')).toMatch(/typically Q4_K_M \(Q4_0 for older models\)/);
  });

  it('qwen3:30b-a3b-instruct-2507-q4_K_M', () => {
    expectParse('qwen3:30b-a3b-instruct-2507-q4_K_M', {
      source: 'ollama',
      family: 'qwen',
      version: '3',
      params: { total: 30e9, active: 3e9, text: '30b-a3b' },
      variant: 'instruct',
      date: '2507',
      quantization: { ...Q4_K_M, text: 'q4_K_M' },
      baseName: 'qwen3:30b-a3b-instruct-2507',
    });
  });

  it('gemma3:27b-it-qat: QAT, Q4_0 (Gemma 3 QAT release format)', () => {
    const p = parseModelName('gemma3:27b-it-qat');
    expect(decoded(p)).toEqual({
      source: 'ollama',
      family: 'gemma',
      version: '3',
      params: { total: 27e9, text: '27b' },
      variant: 'instruct',
      quantization: { kind: 'qat', id: 'Q4_0', bits: 4, text: 'qat' },
      baseName: 'gemma3:27b-it',
      unknownParts: [],
    });
    expect(p.notes.join(' ')).toMatch(/Q4_0 GGUFs/);
    expect(p.notes.join(' ')).not.toMatch(/typically Q4_K_M/);
  });

  it('deepseek-r1:671b is R1 itself; deepseek-r1:7b is a distill', () => {
    expectParse('deepseek-r1:671b', {
      source: 'ollama',
      family: 'deepseek',
      version: 'R1',
      params: { total: 671e9, text: '671b' },
      variant: 'reasoning',
      baseName: 'deepseek-r1:671b',
    });
    const distill = parseModelName('deepseek-r1:7b');
    expect(distill.series).toBe('r1-distill');
    expect(distill.notes.join(' ')).toMatch(/distilled into Qwen or Llama/);
  });

  it('llama3.2 (no tag = latest)', () => {
    const p = parseModelName('llama3.2');
    expect(decoded(p)).toEqual({ source: 'ollama', family: 'llama', version: '3.2', baseName: 'llama3.2', unknownParts: [] });
    expect(p.ollama).toEqual({ model: 'llama3.2', tag: 'latest', implicitTag: true, latestParamsText: '3b' });
    expect(p.quantization).toBeUndefined();
    expect(p.notes.join(' ')).toMatch(/:latest/);
    expect(p.notes.join(' ')).toMatch(/typically Q4_K_M/);
    expect(parseModelName('llama3.2:latest').ollama?.implicitTag).toBe(true);
  });

  it('mistral:7b-instruct-v0.3-fp16', () => {
    expectParse('mistral:7b-instruct-v0.3-fp16', {
      source: 'ollama',
      family: 'mistral',
      version: '0.3',
      params: { total: 7e9, text: '7b' },
      variant: 'instruct',
      quantization: { kind: 'float', id: 'F16', bits: 16, text: 'fp16' },
      baseName: 'mistral:7b-instruct-v0.3',
    });
  });

  it('phi4:14b-q8_0', () => {
    expectParse('phi4:14b-q8_0', {
      source: 'ollama',
      family: 'phi',
      version: '4',
      params: { total: 14e9, text: '14b' },
      quantization: { kind: 'gguf-file-type', id: 'Q8_0', bits: 8, text: 'q8_0' },
      baseName: 'phi4:14b',
    });
  });

  it('gpt-oss:120b: no Q4_K_M claim, MXFP4 note', () => {
    const p = parseModelName('gpt-oss:120b');
    expect(decoded(p)).toEqual({
      source: 'ollama',
      family: 'gpt-oss',
      params: { total: 120e9, text: '120b' },
      baseName: 'gpt-oss:120b',
      unknownParts: [],
    });
    expect(p.notes.join(' ')).toMatch(/MXFP4/);
    expect(p.notes.join(' ')).not.toMatch(/Q4_K_M/);
  });

  it('hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M', () => {
    expectParse('hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M', {
      source: 'ollama',
      publisher: 'bartowski',
      repo: 'bartowski/Llama-3.2-3B-Instruct-GGUF',
      family: 'llama',
      version: '3.2',
      params: { total: 3e9, text: '3b' },
      variant: 'instruct',
      quantization: Q4_K_M,
      baseName: 'Llama-3.2-3B-Instruct',
    });
  });

  it('nomic-embed-text:v1.5', () => {
    expectParse('nomic-embed-text:v1.5', {
      source: 'ollama',
      family: 'nomic-embed',
      version: '1.5',
      variant: 'embedding',
      baseName: 'nomic-embed-text:v1.5',
    });
  });

  it('mixtral:8x7b: experts, never 56B', () => {
    const p = parseModelName('mixtral:8x7b');
    expect(p.params).toEqual({ experts: { count: 8, each: 7e9 }, text: '8x7b' });
    expect(p.params?.total).toBeUndefined();
    expect(p.series).toBe('mixtral');
    expect(p.notes.join(' ')).toMatch(/46\.7B total.*not 56B/);
  });

  it('size words and namespaces: phi3:medium, llama3.2-vision:90b, user/model:tag', () => {
    expect(parseModelName('phi3:medium')).toMatchObject({ family: 'phi', version: '3', sizeClass: 'medium' });
    expect(parseModelName('llama3.2-vision:90b')).toMatchObject({
      family: 'llama',
      version: '3.2',
      variant: 'vision',
      params: { total: 90e9 },
    });
    expect(parseModelName('someuser/llama3.1:8b-q4_0')).toMatchObject({
      source: 'ollama',
      publisher: 'someuser',
      quantization: { id: 'Q4_0' },
      unknownParts: [],
    });
  });

  it('every Ollama tag in published-gguf-sizes.json parses as Ollama; unexplained words are reported', () => {
    const ref = JSON.parse(readFileSync(`${REFERENCE_DIR}/published-gguf-sizes.json`, 'utf8')) as {
      gguf_files: { ollama_tag?: string }[];
    };
    const tags = ref.gguf_files.flatMap((f) => (f.ollama_tag ? [f.ollama_tag] : []));
    expect(tags.length).toBeGreaterThan(25);
    for (const tag of tags) {
      const p = parseModelName(tag);
      expect(p.source, tag).toBe('ollama');
    }
    expect(parseModelName('llama2-uncensored').unknownParts).toEqual(['uncensored']);
    expect(parseModelName('neural-chat').unknownParts).toEqual(['neural']);
    expect(parseModelName('llama4:scout')).toMatchObject({ family: 'llama', version: '4', sizeClass: 'scout', unknownParts: [] });
    expect(parseModelName('qwq')).toMatchObject({ family: 'qwen', series: 'qwq', variant: 'reasoning' });
  });
});

describe('GGUF file names', () => {
  it('Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf', () => {
    expectParse('Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf', {
      source: 'gguf',
      family: 'llama',
      version: '3.1',
      params: { total: 8e9, text: '8b' },
      variant: 'instruct',
      quantization: Q4_K_M,
      baseName: 'Meta-Llama-3.1-8B-Instruct',
      extension: '.gguf',
    });
  });

  it('Qwen3-235B-A22B-IQ4_XS-00001-of-00003.gguf', () => {
    expectParse('Qwen3-235B-A22B-IQ4_XS-00001-of-00003.gguf', {
      source: 'gguf',
      family: 'qwen',
      version: '3',
      params: { total: 235e9, active: 22e9, text: '235b-a22b' },
      quantization: { kind: 'gguf-file-type', id: 'IQ4_XS', bits: 4, recipe: 'XS', text: 'IQ4_XS' },
      split: { part: 1, of: 3 },
      baseName: 'Qwen3-235B-A22B',
      extension: '.gguf',
    });
  });

  it('Qwen3-30B-A3B-UD-Q4_K_XL.gguf (Unsloth Dynamic)', () => {
    expectParse('Qwen3-30B-A3B-UD-Q4_K_XL.gguf', {
      source: 'gguf',
      family: 'qwen',
      version: '3',
      params: { total: 30e9, active: 3e9, text: '30b-a3b' },
      quantization: {
        kind: 'gguf-file-type',
        id: 'Q4_K_XL',
        bits: 4,
        recipe: 'XL',
        thirdPartyRecipe: 'Unsloth Dynamic (UD)',
        text: 'UD-Q4_K_XL',
      },
      baseName: 'Qwen3-30B-A3B',
      extension: '.gguf',
    });
  });

  it('Llama-3.3-70B-Instruct.i1-Q4_K_M.gguf (mradermacher imatrix)', () => {
    expectParse('Llama-3.3-70B-Instruct.i1-Q4_K_M.gguf', {
      source: 'gguf',
      family: 'llama',
      version: '3.3',
      params: { total: 70e9, text: '70b' },
      variant: 'instruct',
      quantization: { ...Q4_K_M, imatrix: true },
      imatrix: true,
      baseName: 'Llama-3.3-70B-Instruct',
      extension: '.gguf',
    });
  });

  it('gemma-3-27b-it-qat-q4_0.gguf', () => {
    expectParse('gemma-3-27b-it-qat-q4_0.gguf', {
      source: 'gguf',
      family: 'gemma',
      version: '3',
      params: { total: 27e9, text: '27b' },
      variant: 'instruct',
      quantization: { kind: 'qat', id: 'Q4_0', bits: 4, text: 'qat-q4_0' },
      baseName: 'gemma-3-27b-it',
      extension: '.gguf',
    });
  });

  it('DeepSeek-R1-UD-IQ1_S-00001-of-00003.gguf', () => {
    const p = parseModelName('DeepSeek-R1-UD-IQ1_S-00001-of-00003.gguf');
    expect(decoded(p)).toEqual({
      source: 'gguf',
      family: 'deepseek',
      version: 'R1',
      variant: 'reasoning',
      quantization: {
        kind: 'gguf-file-type',
        id: 'IQ1_S',
        bits: 1,
        recipe: 'S',
        thirdPartyRecipe: 'Unsloth Dynamic (UD)',
        text: 'UD-IQ1_S',
      },
      split: { part: 1, of: 3 },
      baseName: 'DeepSeek-R1',
      extension: '.gguf',
      unknownParts: [],
    });
    expect(p.notes.join(' ')).toMatch(/IQ1_S only with an importance matrix/);
  });

  it('mistral-7b-instruct-v0.2.Q5_K_S.gguf (TheBloke, dot before the quant)', () => {
    expectParse('mistral-7b-instruct-v0.2.Q5_K_S.gguf', {
      source: 'gguf',
      family: 'mistral',
      version: '0.2',
      params: { total: 7e9, text: '7b' },
      variant: 'instruct',
      quantization: { kind: 'gguf-file-type', id: 'Q5_K_S', bits: 5, recipe: 'S', text: 'Q5_K_S' },
      baseName: 'mistral-7b-instruct-v0.2',
      extension: '.gguf',
    });
  });

  it('Phi-3-mini-4k-instruct-fp16.gguf', () => {
    expectParse('Phi-3-mini-4k-instruct-fp16.gguf', {
      source: 'gguf',
      family: 'phi',
      version: '3',
      sizeClass: 'mini',
      context: '4k',
      variant: 'instruct',
      quantization: { kind: 'float', id: 'F16', bits: 16, text: 'fp16' },
      baseName: 'Phi-3-mini-4k-instruct',
      extension: '.gguf',
    });
  });

  it('ggml-model-f16.gguf: no model named, nothing unknown', () => {
    const p = parseModelName('ggml-model-f16.gguf');
    expect(decoded(p)).toEqual({
      source: 'gguf',
      quantization: { kind: 'float', id: 'F16', bits: 16, text: 'f16' },
      baseName: 'ggml-model',
      extension: '.gguf',
      unknownParts: [],
    });
    expect(p.notes.join(' ')).toMatch(/not named/);
  });

  it('gpt-oss-20b-MXFP4.gguf is the MXFP4_MOE file type', () => {
    expectParse('gpt-oss-20b-MXFP4.gguf', {
      source: 'gguf',
      family: 'gpt-oss',
      params: { total: 20e9, text: '20b' },
      quantization: { kind: 'gguf-file-type', id: 'MXFP4_MOE', bits: 4, text: 'MXFP4' },
      baseName: 'gpt-oss-20b',
      extension: '.gguf',
    });
  });

  it('Qwen2.5-7B-Instruct-Q6_K_L.gguf (bartowski _L)', () => {
    expectParse('Qwen2.5-7B-Instruct-Q6_K_L.gguf', {
      source: 'gguf',
      family: 'qwen',
      version: '2.5',
      params: { total: 7e9, text: '7b' },
      variant: 'instruct',
      quantization: {
        kind: 'gguf-file-type',
        id: 'Q6_K_L',
        bits: 6,
        recipe: 'L',
        thirdPartyRecipe: 'bartowski _L: token_embd/output at Q8_0',
        text: 'Q6_K_L',
      },
      baseName: 'Qwen2.5-7B-Instruct',
      extension: '.gguf',
    });
    // Q3_K_L is llama.cpp's own file type, not a third-party recipe.
    expect(parseModelName('Qwen2.5-7B-Instruct-Q3_K_L.gguf').quantization?.thirdPartyRecipe).toBeUndefined();
  });

  it('mmproj-model-f16.gguf is a vision projector', () => {
    expectParse('mmproj-model-f16.gguf', {
      source: 'gguf',
      variant: 'vision-projector',
      quantization: { kind: 'float', id: 'F16', bits: 16, text: 'f16' },
      baseName: 'mmproj-model',
      extension: '.gguf',
    });
  });

  it('unknown parts are reported, the quant still read', () => {
    const p = parseModelName('Llama-3.1-8B-Instruct-abliterated-Q4_K_M.gguf');
    expect(p.unknownParts).toEqual(['abliterated']);
    expect(p.quantization).toEqual(Q4_K_M);
    expect(p.baseName).toBe('Llama-3.1-8B-Instruct-abliterated');
    expect(parseModelName('Impish_Mind_8B-Q4_0_4_4.gguf')).toMatchObject({
      unknownParts: ['Impish', 'Mind'],
      params: { total: 8e9 },
      quantization: { id: 'Q4_0_4_4', bits: 4 },
    });
  });

  it('more real names: Mixtral, TheBloke, SmolLM2, Hermes fine-tune, R1 distill, Llama 4, Gemma 3n, 1M context', () => {
    expectParse('Mixtral-8x7B-Instruct-v0.1.Q4_K_M.gguf', {
      source: 'gguf',
      family: 'mistral',
      series: 'mixtral',
      version: '0.1',
      params: { experts: { count: 8, each: 7e9 }, text: '8x7b' },
      variant: 'instruct',
      quantization: Q4_K_M,
      baseName: 'Mixtral-8x7B-Instruct-v0.1',
      extension: '.gguf',
    });
    expect(parseModelName('llama-2-7b-chat.Q4_K_M.gguf')).toMatchObject({ family: 'llama', version: '2', variant: 'chat' });
    expect(parseModelName('codellama-13b-instruct.Q4_K_M.gguf')).toMatchObject({
      family: 'llama',
      series: 'codellama',
      variant: 'coder',
      variants: ['coder', 'instruct'],
    });
    expect(parseModelName('SmolLM2-135M-Instruct-Q8_0.gguf')).toMatchObject({ family: 'smollm', version: '2', params: { total: 135e6 } });
    expect(parseModelName('Hermes-3-Llama-3.1-8B.Q4_K_M.gguf')).toMatchObject({
      family: 'llama',
      version: '3.1',
      fineTune: 'hermes',
      unknownParts: [],
    });
    expect(parseModelName('DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf')).toMatchObject({
      family: 'deepseek',
      series: 'r1-distill',
      params: { total: 7e9 },
      unknownParts: [],
    });
    expect(parseModelName('Llama-4-Scout-17B-16E-Instruct-UD-Q4_K_XL.gguf').params).toEqual({ active: 17e9, text: '17b-16e' });
    expect(parseModelName('gemma-3n-E4B-it-Q4_K_M.gguf')).toMatchObject({ series: 'gemma-3n', params: { text: 'e4b' } });
    expect(parseModelName('Qwen2.5-7B-Instruct-1M-Q4_K_M.gguf')).toMatchObject({ context: '1m', params: { total: 7e9 } });
    expect(parseModelName('Mistral-Nemo-Instruct-2407-Q4_K_M.gguf')).toMatchObject({ series: 'mistral-nemo', date: '2407' });
  });

  it('case-insensitive quant names; Q4_K is the alias of Q4_K_M', () => {
    expect(parseModelName('model-7b-q4_k_m.gguf').quantization?.id).toBe('Q4_K_M');
    const alias = parseModelName('llama-2-7b.Q4_K.gguf');
    expect(alias.quantization?.id).toBe('Q4_K_M');
    expect(alias.notes.join(' ')).toMatch(/alias of Q4_K_M/);
    expect(parseModelName('x-7B-iq2_xxs.gguf').quantization).toMatchObject({ id: 'IQ2_XXS', recipe: 'XXS', bits: 2 });
    expect(parseModelName('x-7B-IQ4_NL.gguf').quantization).toMatchObject({ id: 'IQ4_NL', recipe: 'NL' });
    expect(parseModelName('x-7B-bf16.gguf').quantization).toMatchObject({ kind: 'float', id: 'BF16', bits: 16 });
  });

  it('every quant in published-gguf-sizes.json decodes from a file name to its canonical id', () => {
    const ref = JSON.parse(readFileSync(`${REFERENCE_DIR}/published-gguf-sizes.json`, 'utf8')) as {
      gguf_files: { quant: string; ollama_tag?: string }[];
    };
    const quants = [...new Set(ref.gguf_files.filter((f) => !f.ollama_tag).map((f) => f.quant))];
    expect(quants.length).toBeGreaterThan(20);
    for (const quant of quants) {
      const p = parseModelName(`Some-Model-8B-${quant}.gguf`);
      const expected = quant.toUpperCase();
      expect(p.quantization?.id, quant).toBe(expected);
      expect(p.unknownParts, quant).toEqual(['Some', 'Model']);
    }
  });

  it('a Hugging Face file URL gives publisher, repo, branch and the file decode', () => {
    expectParse('https://huggingface.co/bartowski/X-GGUF/blob/main/X-Q4_K_M.gguf', {
      source: 'gguf',
      publisher: 'bartowski',
      repo: 'bartowski/X-GGUF',
      branch: 'main',
      quantization: Q4_K_M,
      baseName: 'X',
      extension: '.gguf',
      unknownParts: ['X'],
    });
  });
});

describe('Hugging Face repositories', () => {
  it('Qwen/Qwen2.5-7B-Instruct-AWQ', () => {
    expectParse('Qwen/Qwen2.5-7B-Instruct-AWQ', {
      source: 'huggingface',
      publisher: 'Qwen',
      repo: 'Qwen/Qwen2.5-7B-Instruct-AWQ',
      family: 'qwen',
      version: '2.5',
      params: { total: 7e9, text: '7b' },
      variant: 'instruct',
      quantization: { kind: 'gpu-format', id: 'awq', bits: 4, text: 'AWQ' },
      baseName: 'Qwen2.5-7B-Instruct',
    });
  });

  it('TheBloke/Llama-2-13B-chat-GPTQ: bits not in the name', () => {
    const p = parseModelName('TheBloke/Llama-2-13B-chat-GPTQ');
    expect(decoded(p)).toEqual({
      source: 'huggingface',
      publisher: 'TheBloke',
      repo: 'TheBloke/Llama-2-13B-chat-GPTQ',
      family: 'llama',
      version: '2',
      params: { total: 13e9, text: '13b' },
      variant: 'chat',
      quantization: { kind: 'gpu-format', id: 'gptq', text: 'GPTQ' },
      baseName: 'Llama-2-13B-chat',
      unknownParts: [],
    });
    expect(p.notes.join(' ')).toMatch(/quantize_config\.json/);
  });

  it('Qwen/Qwen2.5-72B-Instruct-GPTQ-Int4', () => {
    expect(parseModelName('Qwen/Qwen2.5-72B-Instruct-GPTQ-Int4')).toMatchObject({
      family: 'qwen',
      version: '2.5',
      params: { total: 72e9, text: '72b' },
      variant: 'instruct',
      quantization: { kind: 'gpu-format', id: 'gptq-int4', bits: 4, text: 'GPTQ-Int4' },
      baseName: 'Qwen2.5-72B-Instruct',
      unknownParts: [],
    });
    expect(parseModelName('Qwen/Qwen2.5-7B-Instruct-GPTQ-Int8').quantization).toMatchObject({ id: 'gptq-int8', bits: 8 });
  });

  it('neuralmagic FP8 and RedHatAI FP8-dynamic / w4a16', () => {
    expectParse('neuralmagic/Meta-Llama-3.1-70B-Instruct-FP8', {
      source: 'huggingface',
      publisher: 'neuralmagic',
      repo: 'neuralmagic/Meta-Llama-3.1-70B-Instruct-FP8',
      family: 'llama',
      version: '3.1',
      params: { total: 70e9, text: '70b' },
      variant: 'instruct',
      quantization: { kind: 'gpu-format', id: 'fp8', bits: 8, text: 'FP8' },
      baseName: 'Meta-Llama-3.1-70B-Instruct',
    });
    expectParse('RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic', {
      source: 'huggingface',
      publisher: 'RedHatAI',
      repo: 'RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic',
      family: 'llama',
      version: '3.3',
      params: { total: 70e9, text: '70b' },
      variant: 'instruct',
      quantization: { kind: 'gpu-format', id: 'fp8-dynamic', bits: 8, text: 'FP8-dynamic' },
      baseName: 'Llama-3.3-70B-Instruct',
    });
    expect(parseModelName('RedHatAI/Meta-Llama-3.1-8B-Instruct-quantized.w4a16')).toMatchObject({
      quantization: { id: 'w4a16', bits: 4 },
      baseName: 'Meta-Llama-3.1-8B-Instruct',
      unknownParts: [],
    });
  });

  it('unsloth bnb-4bit and unsloth-bnb-4bit (dynamic)', () => {
    expectParse('unsloth/Llama-3.2-3B-Instruct-bnb-4bit', {
      source: 'huggingface',
      publisher: 'unsloth',
      repo: 'unsloth/Llama-3.2-3B-Instruct-bnb-4bit',
      family: 'llama',
      version: '3.2',
      params: { total: 3e9, text: '3b' },
      variant: 'instruct',
      quantization: { kind: 'gpu-format', id: 'bnb-nf4', bits: 4, text: 'bnb-4bit' },
      baseName: 'Llama-3.2-3B-Instruct',
    });
    expectParse('unsloth/Qwen3-14B-unsloth-bnb-4bit', {
      source: 'huggingface',
      publisher: 'unsloth',
      repo: 'unsloth/Qwen3-14B-unsloth-bnb-4bit',
      family: 'qwen',
      version: '3',
      params: { total: 14e9, text: '14b' },
      quantization: {
        kind: 'gpu-format',
        id: 'bnb-nf4',
        bits: 4,
        thirdPartyRecipe: 'Unsloth Dynamic 4-bit (some layers left unquantized)',
        text: 'unsloth-bnb-4bit',
      },
      baseName: 'Qwen3-14B',
    });
  });

  it('GGUF repositories: bartowski and mradermacher -i1-GGUF', () => {
    expectParse('bartowski/Qwen2.5-14B-Instruct-GGUF', {
      source: 'huggingface',
      publisher: 'bartowski',
      repo: 'bartowski/Qwen2.5-14B-Instruct-GGUF',
      family: 'qwen',
      version: '2.5',
      params: { total: 14e9, text: '14b' },
      variant: 'instruct',
      baseName: 'Qwen2.5-14B-Instruct',
    });
    expectParse('mradermacher/Some-Model-i1-GGUF', {
      source: 'huggingface',
      publisher: 'mradermacher',
      repo: 'mradermacher/Some-Model-i1-GGUF',
      imatrix: true,
      baseName: 'Some-Model',
      unknownParts: ['Some', 'Model'],
    });
  });

  it("base only where the maker's unmarked name is the base model", () => {
    const llama = parseModelName('meta-llama/Llama-3.1-8B');
    expect(decoded(llama)).toEqual({
      source: 'huggingface',
      publisher: 'meta-llama',
      repo: 'meta-llama/Llama-3.1-8B',
      family: 'llama',
      version: '3.1',
      params: { total: 8e9, text: '8b' },
      variant: 'base',
      baseName: 'Llama-3.1-8B',
      unknownParts: [],
    });
    // DeepSeek-V3 unmarked is the chat model: no variant claimed.
    expectParse('deepseek-ai/DeepSeek-V3', {
      source: 'huggingface',
      publisher: 'deepseek-ai',
      repo: 'deepseek-ai/DeepSeek-V3',
      family: 'deepseek',
      version: 'V3',
      baseName: 'DeepSeek-V3',
    });
    expect(parseModelName('Qwen/Qwen3-8B').variant).toBeUndefined();
    expect(parseModelName('bartowski/Llama-3.1-8B-GGUF').variant).toBeUndefined();
    expect(parseModelName('mistralai/Mistral-Nemo-Base-2407').variant).toBe('base');
  });

  it('nvidia/Llama-3.1-8B-Instruct-FP4 is NVFP4', () => {
    expectParse('nvidia/Llama-3.1-8B-Instruct-FP4', {
      source: 'huggingface',
      publisher: 'nvidia',
      repo: 'nvidia/Llama-3.1-8B-Instruct-FP4',
      family: 'llama',
      version: '3.1',
      params: { total: 8e9, text: '8b' },
      variant: 'instruct',
      quantization: { kind: 'gpu-format', id: 'nvfp4', bits: 4, text: 'FP4' },
      baseName: 'Llama-3.1-8B-Instruct',
    });
  });

  it('turboderp EXL2 with branch 4.0bpw, in three spellings', () => {
    for (const input of [
      'turboderp/Llama-3.1-8B-Instruct-exl2@4.0bpw',
      'turboderp/Llama-3.1-8B-Instruct-exl2:4.0bpw',
      'https://huggingface.co/turboderp/Llama-3.1-8B-Instruct-exl2/tree/4.0bpw',
    ]) {
      expectParse(input, {
        source: 'huggingface',
        publisher: 'turboderp',
        repo: 'turboderp/Llama-3.1-8B-Instruct-exl2',
        branch: '4.0bpw',
        family: 'llama',
        version: '3.1',
        params: { total: 8e9, text: '8b' },
        variant: 'instruct',
        quantization: { kind: 'gpu-format', id: 'exl2', bits: 4, text: 'exl2@4.0bpw' },
        baseName: 'Llama-3.1-8B-Instruct',
      });
    }
    expect(parseModelName('turboderp/Llama-3.1-8B-Instruct-exl2').quantization).toEqual({
      kind: 'gpu-format',
      id: 'exl2',
      text: 'exl2',
    });
  });

  it('https://huggingface.co/Qwen/Qwen3-30B-A3B', () => {
    expectParse('https://huggingface.co/Qwen/Qwen3-30B-A3B', {
      source: 'huggingface',
      publisher: 'Qwen',
      repo: 'Qwen/Qwen3-30B-A3B',
      family: 'qwen',
      version: '3',
      params: { total: 30e9, active: 3e9, text: '30b-a3b' },
      baseName: 'Qwen3-30B-A3B',
    });
  });

  it('mlx-community 4bit; MXFP4 outside a GGUF is the GPU format', () => {
    expect(parseModelName('mlx-community/Qwen3-8B-4bit').quantization).toMatchObject({ id: 'mlx-4bit', bits: 4 });
    expect(parseModelName('someone/gpt-oss-20b-MXFP4').quantization).toMatchObject({ kind: 'gpu-format', id: 'mxfp4' });
    // Elsewhere "4bit" is not a format we can name: reported.
    expect(parseModelName('someone/Qwen3-8B-4bit').unknownParts).toEqual(['4bit']);
  });
});

describe('garbage never throws and is reported', () => {
  const garbage = ['', '   ', '////', 'a'.repeat(10000), '🙂.gguf', ':::', 'hf.co/', '.gguf', '-00001-of-00002.gguf', 'a', '???'];
  for (const input of garbage) {
    it(JSON.stringify(input.length > 20 ? `${input.slice(0, 10)}… (${input.length})` : input), () => {
      const p = parseModelName(input);
      expect(p.source).toBe('unknown');
      expect(p.family).toBeUndefined();
      expect(p.quantization).toBeUndefined();
      expect(p.unknownParts.length + p.notes.length).toBeGreaterThan(0);
    });
  }

  it('details: emoji reported as unknown, long input cut, empty noted', () => {
    expect(parseModelName('🙂.gguf')).toMatchObject({ source: 'unknown', unknownParts: ['🙂'], extension: '.gguf' });
    const long = parseModelName('a'.repeat(10000));
    expect(long.unknownParts).toHaveLength(1);
    expect(long.unknownParts[0]?.length).toBeLessThan(50);
    expect(long.notes[0]).toMatch(/10000 characters/);
    expect(parseModelName('').notes).toEqual(['Empty input: no model name given.']);
    expect(parseModelName(undefined as unknown as string).source).toBe('unknown');
  });

  it('a plain model name without recognisable syntax is still decoded', () => {
    expect(parseModelName('Meta-Llama-3.1-8B-Instruct')).toMatchObject({
      source: 'unknown',
      family: 'llama',
      version: '3.1',
      params: { total: 8e9 },
      variant: 'instruct',
    });
  });
});

describe('matchCatalogModel', () => {
  const match = (name: string) => matchCatalogModel(parseModelName(name), MODELS);

  it('exact family, version and size: high', () => {
    expect(match('meta-llama/Llama-3.1-8B')).toMatchObject({ model: { id: 'llama-3.1-8b' }, confidence: 'high' });
    expect(match('Qwen3-30B-A3B-UD-Q4_K_XL.gguf')).toMatchObject({ model: { id: 'qwen3-30b-a3b' }, confidence: 'high' });
    expect(match('Qwen/Qwen2.5-72B-Instruct-GPTQ-Int4')).toMatchObject({ model: { id: 'qwen2.5-72b-instruct' }, confidence: 'high' });
    expect(match('gpt-oss-20b-MXFP4.gguf')).toMatchObject({ model: { id: 'gpt-oss-20b' }, confidence: 'high' });
    expect(match('DeepSeek-R1-UD-IQ1_S-00001-of-00003.gguf')).toMatchObject({ model: { id: 'deepseek-r1' }, confidence: 'high' });
    expect(match('deepseek-r1:671b')).toMatchObject({ model: { id: 'deepseek-r1' }, confidence: 'high' });
    expect(match('Llama-4-Scout-17B-16E-Instruct-UD-Q4_K_XL.gguf')).toMatchObject({ model: { id: 'llama-4-scout-17b-16e' }, confidence: 'high' });
    expect(match('Qwen3-Next-80B-A3B-Instruct-Q4_K_M.gguf')).toMatchObject({ model: { id: 'qwen3-next-80b-a3b' }, confidence: 'high' });
    expect(match('moonshotai/Kimi-K2-Instruct')).toMatchObject({ model: { id: 'kimi-k2-instruct' }, confidence: 'high' });
    expect(match('GLM-4.5-Air-Q4_K_M-00001-of-00002.gguf')).toMatchObject({ model: { id: 'glm-4.5-air' }, confidence: 'high' });
    expect(match('zai-org/GLM-4.5-FP8')).toMatchObject({ model: { id: 'glm-4.5' }, confidence: 'high' });
  });

  it('an instruct name matches the base entry of the same shape and says so', () => {
    const m = match('llama3.1:70b-instruct-q5_K_M');
    expect(m?.model.id).toBe('llama-3.1-70b');
    expect(m?.reason).toMatch(/base release; instruct releases share its shape/);
  });

  it('doubts lower the confidence', () => {
    expect(match('llama3.2')).toMatchObject({ model: { id: 'llama-3.2-3b' }, confidence: 'medium' });
    expect(match('Llama-3.1-8B-Instruct-abliterated-Q4_K_M.gguf')).toMatchObject({
      model: { id: 'llama-3.1-8b' },
      confidence: 'medium',
    });
    expect(match('Llama-3.1-8B-Instruct-abliterated-Q4_K_M.gguf')?.reason).toMatch(/abliterated/);
    expect(match('qwen3:30b-a3b-instruct-2507-q4_K_M')).toMatchObject({ model: { id: 'qwen3-30b-a3b' }, confidence: 'medium' });
    expect(match('mixtral:8x7b')).toMatchObject({ model: { id: 'mixtral-8x7b' }, confidence: 'low' });
    expect(match('Phi-3-mini-4k-instruct-fp16.gguf')).toMatchObject({ model: { id: 'phi-3-mini-128k' }, confidence: 'low' });
  });

  it('never a wrong match: other versions, sizes, lines and distills give null', () => {
    for (const name of [
      'Llama-3.3-70B-Instruct.i1-Q4_K_M.gguf', // no Llama 3.3 in the catalog
      'mistral-7b-instruct-v0.2.Q5_K_S.gguf', // catalog has v0.3 only
      'Qwen2.5-Coder-7B-Instruct-Q4_K_M.gguf', // coder line
      'deepseek-r1:7b', // a Qwen distill
      'DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf',
      'llama3.1:13b', // no such size
      'nomic-embed-text:v1.5',
      'mmproj-model-f16.gguf',
      'Impish_Mind_8B-Q4_0_4_4.gguf', // no family
      'Kimi-K2.5-Q4_K_M.gguf', // catalog has K2 only
      'Qwen3-Coder-Next-Q4_K_M.gguf', // coder line of Qwen3-Next
      'phi3:medium',
      '',
    ]) {
      expect(match(name), name).toBeNull();
    }
  });

  it('every catalog entry matches itself with high confidence', () => {
    for (const model of MODELS) {
      const m = matchCatalogModel(parseModelName(model.hfId), MODELS);
      expect(m?.model.id, model.hfId).toBe(model.id);
      expect(m?.confidence, model.hfId).toBe('high');
    }
  });
});
