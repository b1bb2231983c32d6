import { describe, expect, test } from 'vitest';
import { fetchModelFiles, groupGgufFiles, hubBaseOverride, parseHfId } from '../../src/sources/hf-hub.ts';
import { detectQuantization } from '../../src/sources/hf-quantization.ts';
import { SUPPORTED_ARCHITECTURES } from '../../src/sizing/index.ts';
import { loadConfig } from '../fixtures/configs.ts';

/** A stand-in for fetch: answers from a table of URL -> [status, body]; records every URL asked for. */
function fakeHub(routes: Record<string, [number, string]>) {
  const asked: string[] = [];
  const impl = (async (input: RequestInfo | URL) => {
    const url = String(input);
    asked.push(url);
    const [status, body] = routes[url] ?? [404, '{"error":"Entry not found"}'];
    return new Response(body, { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { impl, asked };
}

const BASE = 'https://huggingface.co';
const ID = 'Qwen/Qwen3-8B';
const CONFIG_URL = `${BASE}/${ID}/resolve/main/config.json`;
const INDEX_URL = `${BASE}/${ID}/resolve/main/model.safetensors.index.json`;
const API_URL = `${BASE}/api/models/${ID}?blobs=false`;

describe('parseHfId', () => {
  test.each([
    ['Qwen/Qwen3-30B-A3B', 'Qwen/Qwen3-30B-A3B'],
    ['  Qwen/Qwen3-30B-A3B  ', 'Qwen/Qwen3-30B-A3B'],
    ['https://huggingface.co/Qwen/Qwen3-30B-A3B', 'Qwen/Qwen3-30B-A3B'],
    ['https://huggingface.co/Qwen/Qwen3-30B-A3B/tree/main', 'Qwen/Qwen3-30B-A3B'],
    ['https://huggingface.co/Qwen/Qwen3-30B-A3B/blob/main/config.json', 'Qwen/Qwen3-30B-A3B'],
    ['huggingface.co/meta-llama/Llama-3.1-8B?library=transformers', 'meta-llama/Llama-3.1-8B'],
    ['hf.co/bartowski/Qwen_Qwen3-8B-GGUF', 'bartowski/Qwen_Qwen3-8B-GGUF'],
    ['https://www.huggingface.co/openai/gpt-oss-20b/', 'openai/gpt-oss-20b'],
  ])('%s -> %s', (input, id) => {
    expect(parseHfId(input)).toEqual({ ok: true, id });
  });

  test.each([
    ['', /owner\/name|Give a Hugging Face model id/],
    ['llama3', /two parts, owner\/name/],
    ['Qwen/Qwen3-8B/extra', /two parts/],
    ['https://example.com/Qwen/Qwen3-8B', /Only huggingface.co/],
    ['https://huggingface.co/datasets/HuggingFaceFW/fineweb', /not a model repository/],
    ['Qwen/Qwen3 8B', /not a valid part/],
    ['../../etc/passwd', /not a valid part|two parts/],
    ['a--b/c', /not a valid part/],
    ['x'.repeat(400), /too long/],
  ])('rejects %j', (input, message) => {
    const r = parseHfId(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});

describe('fetchModelFiles', () => {
  const config = loadConfig('qwen3-8b');
  const index = { metadata: { total_size: 16381470720 }, weight_map: { a: 'model-00001-of-00005.safetensors', b: 'model-00002-of-00005.safetensors', c: 'model-00002-of-00005.safetensors' } };
  const api = { id: ID, gated: false, safetensors: { parameters: { BF16: 8190735360 }, total: 8190735360 }, siblings: [{ rfilename: 'config.json' }, { rfilename: 'model-00001-of-00005.safetensors' }] };

  test('reads config.json, the safetensors index and the Hub API, asking exactly those three URLs', async () => {
    const hub = fakeHub({ [CONFIG_URL]: [200, JSON.stringify(config)], [INDEX_URL]: [200, JSON.stringify(index)], [API_URL]: [200, JSON.stringify(api)] });
    const r = await fetchModelFiles(`https://huggingface.co/${ID}/tree/main`, { fetch: hub.impl });
    expect(hub.asked.sort()).toEqual([API_URL, CONFIG_URL, INDEX_URL].sort());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.id).toBe(ID);
    expect(r.value.shape?.hfArchitecture).toBe('Qwen3ForCausalLM');
    expect(r.value.shape?.layers.length).toBe(36);
    expect(r.value.safetensorsIndex).toEqual({ totalBytes: 16381470720, shards: 2, parameterCount: 8190735360, dtypes: { BF16: 8190735360 } });
    expect(r.value.ggufFiles).toBeUndefined();
    expect(r.value.quantizationConfig).toBeUndefined();
  });

  test('a custom base URL (the e2e stand-in) is used for every request, trailing slash or not', async () => {
    const hub = fakeHub({ [`http://127.0.0.1:9/${ID}/resolve/main/config.json`]: [200, JSON.stringify(config)] });
    const r = await fetchModelFiles(ID, { fetch: hub.impl, baseUrl: 'http://127.0.0.1:9/' });
    expect(r.ok).toBe(true);
    expect(hub.asked.every((u) => u.startsWith('http://127.0.0.1:9/'))).toBe(true);
    if (r.ok) expect(r.value.safetensorsIndex).toBeUndefined(); // single-file checkpoint, API unknown
  });

  test('a GGUF-only repository (no config.json) offers its files grouped by quantization', async () => {
    const id = 'bartowski/Qwen_Qwen3-8B-GGUF';
    const siblings = ['README.md', 'Qwen_Qwen3-8B-Q4_K_M.gguf', 'Qwen_Qwen3-8B-Q8_0.gguf', 'Qwen_Qwen3-8B-bf16/Qwen_Qwen3-8B-bf16-00001-of-00002.gguf', 'Qwen_Qwen3-8B-bf16/Qwen_Qwen3-8B-bf16-00002-of-00002.gguf'];
    const hub = fakeHub({ [`${BASE}/api/models/${id}?blobs=false`]: [200, JSON.stringify({ id, siblings: siblings.map((rfilename) => ({ rfilename })) })] });
    const r = await fetchModelFiles(id, { fetch: hub.impl });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.config).toBeUndefined();
    expect(r.value.ggufFiles?.map((g) => [g.quant, g.files.length])).toEqual([
      ['Q4_K_M', 1],
      ['Q8_0', 1],
      ['BF16', 2],
    ]);
  });

  test('a gated repository: the API answers, config.json is 401', async () => {
    const hub = fakeHub({ [CONFIG_URL]: [401, '{"error":"Access to model Qwen/Qwen3-8B is restricted."}'], [API_URL]: [200, JSON.stringify({ ...api, gated: 'manual' })] });
    const r = await fetchModelFiles(ID, { fetch: hub.impl });
    expect(r).toEqual({ ok: false, error: { kind: 'gated', message: 'This repository is gated: accept its license on huggingface.co and paste its config.json instead.' } });
  });

  test('403 on config.json is gated too', async () => {
    const hub = fakeHub({ [CONFIG_URL]: [403, 'Forbidden'], [API_URL]: [200, JSON.stringify({ ...api, gated: 'auto' })] });
    const r = await fetchModelFiles(ID, { fetch: hub.impl });
    expect(r.ok ? null : r.error.kind).toBe('gated');
  });

  test.each([
    ['the Hub 401 "Repository not found" for a missing repo', [401, '{"error":"Repository not found"}'] as [number, string]],
    ['a plain 404', [404, 'Not Found'] as [number, string]],
  ])('no such model: %s', async (_, answer) => {
    const hub = fakeHub({ [CONFIG_URL]: answer, [API_URL]: answer });
    const r = await fetchModelFiles(ID, { fetch: hub.impl });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('not-found');
      expect(r.error.message).toMatch(/^No such model on the Hub/);
    }
  });

  test('a repository without config.json and without GGUF files says so', async () => {
    const hub = fakeHub({ [API_URL]: [200, JSON.stringify({ id: ID, siblings: [{ rfilename: 'adapter_config.json' }] })] });
    const r = await fetchModelFiles(ID, { fetch: hub.impl });
    expect(r.ok ? null : r.error.kind).toBe('no-config');
  });

  test('offline: fetch rejects', async () => {
    const failing = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const r = await fetchModelFiles(ID, { fetch: failing });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('offline');
      expect(r.error.message).toMatch(/^Could not reach huggingface.co: you may be offline/);
    }
  });

  /** A fetch that never answers until aborted, as a hung connection. */
  const hanging = ((_: RequestInfo | URL, init?: RequestInit) =>
    new Promise((_resolve, reject) => {
      init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    })) as typeof fetch;

  test('timeout: no answer within timeoutMs', async () => {
    const start = Date.now();
    const r = await fetchModelFiles(ID, { fetch: hanging, timeoutMs: 60 });
    expect(Date.now() - start).toBeLessThan(2000);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('timeout');
      expect(r.error.message).toBe('huggingface.co did not answer within 0.06 seconds; try again, or paste the config.json instead.');
    }
  });

  test('the caller can cancel', async () => {
    const controller = new AbortController();
    const pending = fetchModelFiles(ID, { fetch: hanging, signal: controller.signal });
    controller.abort();
    const r = await pending;
    expect(r.ok ? null : r.error.kind).toBe('aborted');
  });

  test.each([
    ['not JSON', '{"architectures": ["Qwen3ForCausalLM"', /not valid JSON/],
    ['a JSON list', '[1, 2, 3]', /not a JSON object/],
    ['an HTML error page', '<html><body>Oops</body></html>', /not valid JSON/],
  ])('malformed config.json body: %s', async (_, body, message) => {
    const hub = fakeHub({ [CONFIG_URL]: [200, body] });
    const r = await fetchModelFiles(ID, { fetch: hub.impl });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('malformed');
      expect(r.error.message).toMatch(message);
    }
  });

  test('a malformed safetensors index or API answer is ignored, not fatal', async () => {
    const hub = fakeHub({ [CONFIG_URL]: [200, JSON.stringify(config)], [INDEX_URL]: [200, '{"metadata": {"total_size": "lots"}}'], [API_URL]: [200, 'garbage'] });
    const r = await fetchModelFiles(ID, { fetch: hub.impl });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.safetensorsIndex).toBeUndefined();
  });

  test('an architecture the engine does not know gets a generic reading, labelled, when the config has the usual keys', async () => {
    const hub = fakeHub({ [CONFIG_URL]: [200, JSON.stringify({ ...config, architectures: ['NovelForCausalLM'] })] });
    const r = await fetchModelFiles(ID, { fetch: hub.impl });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.shape?.reading?.kind).toBe('generic');
    expect(SUPPORTED_ARCHITECTURES).not.toContain('NovelForCausalLM');
  });

  test('an architecture the engine does not know, without the usual keys, is refused naming them', async () => {
    const hub = fakeHub({ [CONFIG_URL]: [200, JSON.stringify({ architectures: ['NovelForCausalLM'], hidden_size: 64 })] });
    const r = await fetchModelFiles(ID, { fetch: hub.impl });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('unsupported');
      expect(r.error.field).toBe('architectures');
      expect(r.error.message).toMatch(/^config\.json: architecture NovelForCausalLM has no reader in the engine, and a generic reading needs num_hidden_layers or n_layer, /);
    }
  });

  test('a config missing a required key names the key', async () => {
    const { hidden_size: _, ...rest } = config;
    const hub = fakeHub({ [CONFIG_URL]: [200, JSON.stringify(rest)] });
    const r = await fetchModelFiles(ID, { fetch: hub.impl });
    expect(r).toMatchObject({ ok: false, error: { kind: 'invalid-config', field: 'hidden_size' } });
  });

  test('a server error is reported with its status', async () => {
    const hub = fakeHub({ [CONFIG_URL]: [503, 'Service Unavailable'] });
    const r = await fetchModelFiles(ID, { fetch: hub.impl });
    expect(r).toMatchObject({ ok: false, error: { kind: 'http', message: expect.stringContaining('503') } });
  });

  test('an invalid id never reaches the network', async () => {
    const hub = fakeHub({});
    const r = await fetchModelFiles('not an id', { fetch: hub.impl });
    expect(r.ok ? null : r.error.kind).toBe('invalid-id');
    expect(hub.asked).toEqual([]);
  });

  test('quantization_config becomes a GPU format id', async () => {
    const awq = { ...config, quantization_config: { quant_method: 'awq', bits: 4, group_size: 128, zero_point: true, version: 'gemm' } };
    const hub = fakeHub({ [CONFIG_URL]: [200, JSON.stringify(awq)] });
    const r = await fetchModelFiles(ID, { fetch: hub.impl });
    expect(r.ok && r.value.quantizationConfig).toEqual({ method: 'awq', formatId: 'awq', description: 'AWQ 4-bit, group 128: sized as awq.' });
  });
});

describe('groupGgufFiles', () => {
  test('groups split parts, keeps the projector apart, ignores other files', () => {
    const groups = groupGgufFiles([
      'README.md',
      'Qwen3-8B-Q4_K_M.gguf',
      'Qwen3-8B-BF16/Qwen3-8B-BF16-00002-of-00002.gguf',
      'Qwen3-8B-BF16/Qwen3-8B-BF16-00001-of-00002.gguf',
      'mmproj-Qwen3-8B-f16.gguf',
    ]);
    expect(groups).toEqual([
      { quant: 'BF16', files: ['Qwen3-8B-BF16/Qwen3-8B-BF16-00001-of-00002.gguf', 'Qwen3-8B-BF16/Qwen3-8B-BF16-00002-of-00002.gguf'], projector: false },
      { quant: 'Q4_K_M', files: ['Qwen3-8B-Q4_K_M.gguf'], projector: false },
      { quant: 'F16', files: ['mmproj-Qwen3-8B-f16.gguf'], projector: true },
    ]);
  });
});

describe('detectQuantization', () => {
  test.each([
    [{ quant_method: 'awq', bits: 4, group_size: 64 }, 'awq-g64'],
    [{ quant_method: 'awq', bits: 8, group_size: 128 }, null],
    [{ quant_method: 'gptq', bits: 4, group_size: 128, desc_act: false, sym: true }, 'gptq-4bit-g128'],
    [{ quant_method: 'gptq', bits: 8, group_size: -1, desc_act: true, sym: false }, 'gptq-8bit-g-1-asym-actorder'],
    [{ quant_method: 'fp8', activation_scheme: 'dynamic', weight_block_size: [128, 128] }, 'fp8-block'],
    [{ quant_method: 'fp8', activation_scheme: 'static' }, 'fp8'],
    [{ quant_method: 'bitsandbytes', load_in_4bit: true, bnb_4bit_quant_type: 'nf4', bnb_4bit_use_double_quant: true }, 'bnb-nf4-dq'],
    [{ quant_method: 'bitsandbytes', load_in_4bit: true, bnb_4bit_quant_type: 'fp4' }, 'bnb-fp4'],
    [{ quant_method: 'bitsandbytes', load_in_8bit: true }, 'bnb-int8'],
    [{ quant_method: 'mxfp4', modules_to_not_convert: ['model.layers.*.self_attn'] }, 'mxfp4-moe'],
    [{ quant_method: 'compressed-tensors', format: 'float-quantized', config_groups: { group_0: { weights: { num_bits: 8, type: 'float', strategy: 'channel' } } } }, 'fp8-channel'],
    [{ quant_method: 'compressed-tensors', format: 'pack-quantized', config_groups: { group_0: { weights: { num_bits: 4, type: 'int', strategy: 'group', group_size: 128 } } } }, 'gptq-4bit-g128'],
    [{ quant_method: 'compressed-tensors', format: 'nvfp4-pack-quantized', config_groups: { group_0: { weights: { num_bits: 4, type: 'float', strategy: 'tensor_group', group_size: 16 } } } }, 'nvfp4'],
    [{ quant_method: 'modelopt', quant_algo: 'NVFP4' }, 'nvfp4'],
    [{ quant_method: 'eetq' }, null],
  ])('%j -> %s', (q, id) => {
    const d = detectQuantization({ quantization_config: q });
    expect(d?.formatId).toBe(id);
    expect(d?.description).toMatch(id ? `sized as ${id}` : /no matching format/);
  });

  test('nothing declared, or not an object', () => {
    expect(detectQuantization({})).toBeUndefined();
    expect(detectQuantization({ quantization_config: 'awq' })).toBeUndefined();
    expect(detectQuantization(null)).toBeUndefined();
  });
});

describe('hubBaseOverride (the e2e hook)', () => {
  test('honoured for loopback hosts only', () => {
    expect(hubBaseOverride('?hubBase=http://127.0.0.1:5555')).toEqual({ baseUrl: 'http://127.0.0.1:5555' });
    expect(hubBaseOverride('?hubBase=http://localhost:5555/x&hubTimeoutMs=800')).toEqual({ baseUrl: 'http://localhost:5555', timeoutMs: 800 });
    expect(hubBaseOverride('?hubBase=https://evil.example')).toBeNull();
    expect(hubBaseOverride('?hubBase=http://127.0.0.1.evil.example')).toBeNull();
    expect(hubBaseOverride('?hubBase=javascript:alert(1)')).toBeNull();
    expect(hubBaseOverride('?hubBase=not a url')).toBeNull();
    expect(hubBaseOverride('')).toBeNull();
  });

  test('an absurd timeout is ignored', () => {
    expect(hubBaseOverride('?hubBase=http://127.0.0.1:1&hubTimeoutMs=5')).toEqual({ baseUrl: 'http://127.0.0.1:1' });
    expect(hubBaseOverride('?hubBase=http://127.0.0.1:1&hubTimeoutMs=NaN')).toEqual({ baseUrl: 'http://127.0.0.1:1' });
  });
});
