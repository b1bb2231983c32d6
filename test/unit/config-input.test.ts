import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { compactConfig, decodeConfigFromUrl, encodeConfigForUrl, parseConfigText, validateConfig } from '../../src/sources/config-input.ts';
import { detectQuantization } from '../../src/sources/hf-quantization.ts';
import { MODELS } from '../../src/data/models.ts';
import { modelShapeFromConfig, SUPPORTED_ARCHITECTURES } from '../../src/sizing/index.ts';
import type { HfConfig } from '../../src/sizing/types.ts';
import { loadConfig } from '../fixtures/configs.ts';

const CONFIG_DIR = new URL('../fixtures/configs/', import.meta.url);
const PASTED_DIR = new URL('../fixtures/pasted-configs/', import.meta.url);
const fixtureIds = readdirSync(CONFIG_DIR).map((f) => f.replace(/\.json$/, ''));
const pasted = (name: string) => readFileSync(new URL(name, PASTED_DIR), 'utf8');

/** Every config the engine reads: the fixtures and the catalog. */
const allConfigs: [string, HfConfig][] = [
  ...fixtureIds.map((id): [string, HfConfig] => [`fixture ${id}`, loadConfig(id)]),
  ...MODELS.filter((m) => {
    try {
      modelShapeFromConfig(m.config);
      return true;
    } catch {
      return false;
    }
  }).map((m): [string, HfConfig] => [`catalog ${m.id}`, m.config]),
];

describe('parseConfigText', () => {
  test.each(fixtureIds)('accepts the %s config.json as pasted text', (id) => {
    const text = readFileSync(new URL(`${id}.json`, CONFIG_DIR), 'utf8');
    const r = parseConfigText(text);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.shape).toEqual(modelShapeFromConfig(loadConfig(id)));
  });

  test('a syntax error gives its line and column', () => {
    const r = parseConfigText(pasted('syntax-error.json'));
    expect(r).toEqual({ ok: false, line: 5, column: 3, message: "Not valid JSON at line 5, column 3: Expected ',' or '}' after property value." });
  });

  test('text cut short points at its end', () => {
    expect(parseConfigText('{\n  "architectures": [')).toMatchObject({ ok: false, line: 2, column: 21 });
  });

  test.each([
    ['[1, 2]', 'config.json must be a JSON object ({ … }), got a list.'],
    ['"LlamaForCausalLM"', 'config.json must be a JSON object ({ … }), got a string.'],
    ['null', 'config.json must be a JSON object ({ … }), got null.'],
    ['   ', 'Paste the contents of a config.json file.'],
  ])('rejects %j', (text, message) => {
    expect(parseConfigText(text)).toEqual({ ok: false, message });
  });

  test('an unknown architecture without the usual sizes is refused, naming what a generic reading lacks', () => {
    const r = parseConfigText(pasted('unknown-architecture.json'));
    expect(r).toEqual({
      ok: false,
      field: 'architectures',
      message:
        'config.json: architecture NovelForCausalLM has no reader in the engine, and a generic reading needs num_attention_heads or n_head, intermediate_size or ffn_hidden_size, which the config does not give',
    });
    expect(SUPPORTED_ARCHITECTURES).not.toContain('NovelForCausalLM');
  });

  test('a missing key is named', () => {
    expect(parseConfigText(pasted('missing-field.json'))).toEqual({ ok: false, field: 'vocab_size', message: 'config.json: vocab_size is required and missing' });
  });

  test('a wrong value is named with what was found', () => {
    const r = parseConfigText(JSON.stringify({ ...loadConfig('llama-3.1-8b'), num_key_value_heads: -8 }));
    expect(r).toMatchObject({ ok: false, field: 'num_key_value_heads' });
    if (!r.ok) expect(r.message).toContain('-8');
  });

  test('a megabyte of text is refused before parsing', () => {
    const r = parseConfigText(`{"a": "${'x'.repeat(1_000_001)}"}`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/a config\.json is a few thousand/);
  });
});

describe('the compact URL form', () => {
  test.each(allConfigs)('%s: round trip through the URL gives the same shape', (_, config) => {
    const encoded = encodeConfigForUrl(config);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    // Well inside the 8 KB request line common servers accept (nginx's default large_client_header_buffers), and
    // the length chat apps keep whole; catalog configs are near 1,000 characters, Hunyuan-A13B's many keys near 2,000.
    expect(encoded.length).toBeLessThan(4000);
    const decoded = decodeConfigFromUrl(encoded);
    expect(decoded.ok).toBe(true);
    if (decoded.ok) expect(decoded.shape).toEqual(modelShapeFromConfig(config));
  });

  test('keeps only keys sizing reads: provenance, tokenizer and rope factor lists are dropped', () => {
    const config = {
      ...loadConfig('phi-3-mini-128k'),
      bos_token_id: 1,
      initializer_range: 0.02,
      transformers_version: '4.40.0',
      rope_scaling: { type: 'longrope', short_factor: Array(48).fill(1.05), long_factor: Array(48).fill(1.3) },
    };
    const compact = compactConfig(config);
    expect(compact).not.toHaveProperty('_source');
    expect(compact).not.toHaveProperty('bos_token_id');
    expect(compact).not.toHaveProperty('initializer_range');
    expect(compact['rope_scaling']).toEqual({ type: 'longrope' });
    expect(modelShapeFromConfig(compact)).toEqual(modelShapeFromConfig(config));
  });

  test('quantization_config survives in the form detection reads, without its long module lists', () => {
    const config = {
      ...loadConfig('qwen3-8b'),
      quantization_config: {
        quant_method: 'compressed-tensors',
        format: 'float-quantized',
        ignore: Array.from({ length: 300 }, (_, i) => `model.layers.${i}.mlp.gate`),
        config_groups: { group_0: { targets: ['Linear'], weights: { num_bits: 8, type: 'float', strategy: 'channel', symmetric: true, dynamic: false } } },
      },
    };
    const decoded = decodeConfigFromUrl(encodeConfigForUrl(config));
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(detectQuantization(decoded.config)).toEqual(detectQuantization(config));
    expect(detectQuantization(decoded.config)?.formatId).toBe('fp8-channel');
    expect(encodeConfigForUrl(config).length).toBeLessThan(1000);
  });

  test('layer_types travels as one letter per layer; links holding the list itself still decode', () => {
    const config = loadConfig('gemma-4-31b');
    const json = Buffer.from(encodeConfigForUrl(config), 'base64url').toString('utf8');
    expect(json).toContain(`"layer_types":"${'sssssf'.repeat(10)}"`);
    const legacy = Buffer.from(JSON.stringify(compactConfig(config)), 'utf8').toString('base64url');
    const decoded = decodeConfigFromUrl(legacy);
    expect(decoded.ok && decoded.shape).toEqual(modelShapeFromConfig(config));
  });

  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
  const damaged = 'The config in this link is damaged (it may have been cut short when copied); paste the config.json again.';

  test.each([
    ['empty', ''],
    ['not base64url', 'ab+c/=='],
    ['one dangling character', 'abcde'],
    ['base64 of text that is not JSON', b64('hello world')],
    ['invalid UTF-8', Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url')],
    ['too long', 'A'.repeat(9000)],
  ])('garbage in the URL (%s) gives a message', (_, s) => {
    expect(decodeConfigFromUrl(s)).toEqual({ ok: false, message: damaged });
  });

  test('a link cut short is reported, not crashed on', () => {
    const full = encodeConfigForUrl(loadConfig('qwen3-30b-a3b'));
    const r = decodeConfigFromUrl(full.slice(0, Math.floor(full.length / 2)));
    expect(r).toEqual({ ok: false, message: damaged });
  });

  test('valid JSON that is not a usable config is validated like a paste', () => {
    expect(decodeConfigFromUrl(b64('[1]'))).toEqual({ ok: false, message: 'config.json must be a JSON object ({ … }), got a list.' });
    expect(decodeConfigFromUrl(b64('{"architectures":["GPT2LMHeadModel"]}'))).toMatchObject({ ok: false, field: 'architectures' });
  });

  test('never throws on random input', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ %{}"';
    for (let i = 0; i < 500; i++) {
      const s = Array.from({ length: Math.floor(rand() * 80) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
      const r = decodeConfigFromUrl(s);
      expect(r.ok).toBe(false);
    }
  });

  test('validateConfig reports values that are not objects', () => {
    expect(validateConfig(undefined)).toEqual({ ok: false, message: 'config.json must be a JSON object ({ … }), got a undefined.' });
  });
});
