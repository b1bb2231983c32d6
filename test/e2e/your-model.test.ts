/**
 * The "Size your own model" island in real Chromium, against the built site, under the site's real CSP.
 *
 * The Hugging Face Hub is played by a local server started here. The site's CSP allows connect-src 'self' (plus
 * https://huggingface.co in production), so a stand-in on another port would be blocked; instead this server
 * answers the Hub's endpoints itself and passes every other path through to the site server, so the page and
 * its stand-in Hub share one origin and the CSP stays exactly as shipped. The page is pointed at it with
 * ?hubBase=<origin> (honoured for loopback hosts only; see hubBaseOverride in src/sources/hf-hub.ts).
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { baseUrl, closeBrowser, openPage, waitForIslands, type OpenedPage } from './browser';
import { estimate, formatAuto, type ModelSource } from '../../src/sizing/index.ts';
import { compactConfig } from '../../src/sources/config-input.ts';
import { readLocalGguf } from '../../src/sources/gguf-file.ts';
import { MODELS } from '../../src/data/models.ts';
import { loadConfig } from '../fixtures/configs.ts';
import { tinyLlama } from '../fixtures/gguf-models.ts';

const CHAPTER = '/guide/your-own-model/';
const SLOW_MS = 3000;
const TEST_TIMEOUT_MS = 800;

// ---------------------------------------------------------------------------------------------------------------
// The stand-in Hub

const qwen = loadConfig('qwen3-8b');
type Answer = { status: number; body: string; delayMs?: number };
const json = (v: unknown, status = 200): Answer => ({ status, body: JSON.stringify(v) });
const NOT_FOUND: Answer = { status: 401, body: '{"error":"Repository not found"}' };

const HUB: Record<string, { config?: Answer; index?: Answer; api?: Answer }> = {
  'Qwen/Qwen3-8B': {
    config: json(qwen),
    index: json({ metadata: { total_size: 16381470720 }, weight_map: { a: 'model-00001-of-00002.safetensors', b: 'model-00002-of-00002.safetensors' } }),
    api: json({ id: 'Qwen/Qwen3-8B', safetensors: { parameters: { BF16: 8190735360 }, total: 8190735360 }, siblings: [{ rfilename: 'config.json' }] }),
  },
  'org/awq-model': { config: json({ ...qwen, quantization_config: { quant_method: 'awq', bits: 4, group_size: 128 } }) },
  'org/gated': { config: { status: 401, body: '{"error":"Access to model org/gated is restricted."}' }, api: json({ id: 'org/gated', gated: 'manual' }) },
  'org/slow': { config: { ...json(qwen), delayMs: SLOW_MS } },
  'org/malformed': { config: { status: 200, body: '{"architectures": ["Qwen3ForCausalLM"], "hidden_size": 40' } },
  'org/novel': { config: json({ architectures: ['NovelForCausalLM'], hidden_size: 768, num_hidden_layers: 24, vocab_size: 50280 }) },
};

function hubAnswer(path: string): Answer | null {
  const api = /^\/api\/models\/([^/]+\/[^/?]+)/.exec(path);
  const file = /^\/([^/]+\/[^/]+)\/resolve\/main\/([^?]+)$/.exec(path);
  if (!api && !file) return null; // not a Hub path: the site's
  const repo = HUB[decodeURIComponent((api ?? file)![1]!)];
  if (!repo) return NOT_FOUND;
  const answer = api ? repo.api : file![2] === 'config.json' ? repo.config : file![2] === 'model.safetensors.index.json' ? repo.index : undefined;
  return answer ?? { status: 404, body: '{"error":"Entry not found"}' };
}

const hubRequests: string[] = [];
let server: Server;
let origin = '';

function passToSite(req: IncomingMessage, res: ServerResponse): void {
  const site = new URL(baseUrl());
  const upstream = request(
    { host: site.hostname, port: site.port, path: req.url, method: req.method, headers: { ...req.headers, host: site.host, 'accept-encoding': 'identity' } },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on('error', () => res.writeHead(502).end());
  req.pipe(upstream);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const answer = hubAnswer(req.url ?? '/');
    if (!answer) return passToSite(req, res);
    hubRequests.push(req.url ?? '');
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' }).end(answer.body);
    };
    if (answer.delayMs) setTimeout(send, answer.delayMs);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

afterAll(async () => {
  await closeBrowser();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

// ---------------------------------------------------------------------------------------------------------------
// Helpers

/** Opens the chapter through the stand-in (one origin for page and Hub) with extra query parameters. */
async function openChapter(query: Record<string, string> = {}): Promise<OpenedPage> {
  const url = new URL(CHAPTER, origin);
  url.searchParams.set('hubBase', origin);
  url.searchParams.set('hubTimeoutMs', String(TEST_TIMEOUT_MS));
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const opened = await openPage(url.href);
  await hydrate(opened.page);
  return opened;
}

async function hydrate(page: Page): Promise<void> {
  await page.locator('astro-island').first().scrollIntoViewIfNeeded();
  await waitForIslands(page);
}

/** What the island prints for a byte count. */
const both = (b: number) => `${formatAuto(b, 'GiB')} (${formatAuto(b, 'GB')})`;

function expected(source: ModelSource, quant: string, ctx = 8192) {
  const e = estimate(source, { quant, ctx });
  return { weights: both(e.weightsBytes), kv: both(e.kvCacheBytes), total: both(e.totalBytes) };
}

async function shown(page: Page) {
  return {
    weights: await page.getByTestId('ym-weights').textContent(),
    kv: await page.getByTestId('ym-kv').textContent(),
    total: await page.getByTestId('ym-total').textContent(),
  };
}

/** No uncaught error, no CSP violation, and every request stayed on the page's own origin (no huggingface.co). */
function expectSafe(opened: OpenedPage): void {
  expect(opened.problems.pageErrors, 'uncaught page errors').toEqual([]);
  expect(opened.problems.cspViolations, 'CSP violations').toEqual([]);
  expect(opened.problems.foreignRequests.filter((u) => !u.startsWith(`${origin}/`)), 'requests to other hosts').toEqual([]);
}

async function axe(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).include('astro-island').analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const fetchId = async (page: Page, id: string) => {
  await page.getByRole('radio', { name: 'Hugging Face id' }).check();
  await page.getByLabel('Hugging Face model id').fill(id);
  await page.getByRole('button', { name: 'Fetch' }).click();
};

// ---------------------------------------------------------------------------------------------------------------

describe('catalog', () => {
  test('the default model is sized on load, with no network request', async () => {
    const opened = await openChapter();
    const { page } = opened;
    const llama = MODELS.find((m) => m.id === 'llama-3.1-8b')!;
    const want = expected({ kind: 'config', config: llama.config }, 'Q4_K_M');
    await expect.poll(() => shown(page)).toEqual(want);
    await page.getByLabel('Model', { exact: true }).selectOption('qwen3-8b');
    await expect.poll(() => shown(page)).toEqual(expected({ kind: 'config', config: qwen }, 'Q4_K_M'));
    expect(new URL(page.url()).searchParams.get('model')).toBe('qwen3-8b');
    expect(hubRequests).toEqual([]);
    expect(opened.problems.consoleErrors).toEqual([]);
    expectSafe(opened);
    await opened.context.close();
  });

  test('at a plain address the island waits for the reader, and a value chosen from the keyboard first is applied', async () => {
    // The calculator is above the fold: hydrating it at load was the chapter's largest main-thread task.
    const opened = await openPage(new URL(CHAPTER, baseUrl()).href);
    const { page } = opened;
    await page.waitForTimeout(1500);
    expect(await page.locator('astro-island').first().getAttribute('ssr'), 'hydrated before any interaction').not.toBeNull();
    const quant = page.getByLabel('Quantization', { exact: true });
    await quant.focus();
    await quant.selectOption('Q8_0');
    const llama = MODELS.find((m) => m.id === 'llama-3.1-8b')!;
    await expect.poll(() => shown(page), { timeout: 15_000 }).toEqual(expected({ kind: 'config', config: llama.config }, 'Q8_0'));
    expect(new URL(page.url()).searchParams.get('quant')).toBe('Q8_0');
    expect(opened.problems.consoleErrors).toEqual([]);
    await opened.context.close();
  });
});

describe('Hugging Face id', () => {
  test('fetches config.json, the index and the API, shows what it found, sizes it, and the link reloads it', async () => {
    hubRequests.length = 0;
    const opened = await openChapter();
    const { page } = opened;
    await fetchId(page, 'https://huggingface.co/Qwen/Qwen3-8B/tree/main');
    await expect.poll(() => page.getByTestId('hub-arch').textContent()).toBe('Qwen3ForCausalLM');
    expect(await page.getByTestId('hub-params').textContent()).toBe("8.19 billion (the Hub's count of the safetensors files)");
    expect(await page.getByTestId('hub-dtype').textContent()).toBe('BF16 8.19 billion');
    expect(await page.getByTestId('hub-size').textContent()).toBe('16.38 GB of tensors in 2 files (model.safetensors.index.json)');
    const want = expected({ kind: 'config', config: qwen }, 'Q4_K_M');
    await expect.poll(() => shown(page)).toEqual(want);
    expect(hubRequests.sort()).toEqual(['/Qwen/Qwen3-8B/resolve/main/config.json', '/Qwen/Qwen3-8B/resolve/main/model.safetensors.index.json', '/api/models/Qwen/Qwen3-8B?blobs=false']);
    expect(new URL(page.url()).searchParams.get('hf')).toBe('Qwen/Qwen3-8B');
    expect(await page.getByText('the only network request this site makes').count()).toBe(1);
    expect(await axe(page)).toEqual([]);

    await page.reload();
    await hydrate(page);
    await expect.poll(() => page.getByTestId('hub-arch').textContent()).toBe('Qwen3ForCausalLM');
    await expect.poll(() => shown(page)).toEqual(want);
    expect(await page.getByLabel('Hugging Face model id').inputValue()).toBe('Qwen/Qwen3-8B');
    expect(opened.problems.consoleErrors).toEqual([]);
    expectSafe(opened);
    await opened.context.close();
  });

  test('quantization_config is offered as the quantization', async () => {
    const opened = await openChapter();
    const { page } = opened;
    await fetchId(page, 'org/awq-model');
    await expect.poll(() => page.getByTestId('hub-quant').textContent()).toBe('AWQ 4-bit, group 128: sized as awq.');
    await page.getByRole('button', { name: /Use awq/ }).click();
    await expect.poll(() => shown(page)).toEqual(expected({ kind: 'config', config: qwen }, 'awq'));
    expect(new URL(page.url()).searchParams.get('quant')).toBe('awq');
    expectSafe(opened);
    await opened.context.close();
  });

  test.each([
    ['org/gated', 'This repository is gated: accept its license on huggingface.co and paste its config.json instead.'],
    ['nobody/nothing', 'No such model on the Hub (or it is private): check the owner/name spelling.'],
    ['org/malformed', 'huggingface.co sent a config.json that is not valid JSON; paste the config.json instead.'],
    ['org/slow', 'huggingface.co did not answer within 0.8 seconds; try again, or paste the config.json instead.'],
    ['not an id', 'A Hugging Face model id has two parts, owner/name (for example Qwen/Qwen3-8B).'],
  ])('%s: the error is announced beside the field', async (id, message) => {
    const opened = await openChapter();
    const { page } = opened;
    await fetchId(page, id);
    const error = page.getByTestId('hub-error');
    await expect.poll(() => error.textContent(), { timeout: 5000 }).toBe(message);
    expect(await error.getAttribute('role')).toBe('alert');
    expect(await error.isVisible()).toBe(true);
    expect(await page.getByLabel('Hugging Face model id').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('ym-placeholder').textContent()).toBe('Choose a model above to see its memory.');
    expectSafe(opened);
    await opened.context.close();
  });

  test('an architecture the engine does not know, without the usual keys, is named with what a generic reading lacks', async () => {
    const opened = await openChapter({ hf: 'org/novel' }); // from a link: fetched on load
    const { page } = opened;
    await expect.poll(() => page.getByTestId('hub-error').textContent()).toMatch(
      /^config\.json: architecture NovelForCausalLM has no reader in the engine, and a generic reading needs num_attention_heads or n_head, intermediate_size or ffn_hidden_size/,
    );
    expectSafe(opened);
    await opened.context.close();
  });
});

describe('pasted config.json', () => {
  const paste = async (page: Page, text: string) => {
    await page.getByRole('radio', { name: 'Paste config.json' }).check();
    await page.getByRole('textbox', { name: 'config.json', exact: true }).fill(text);
  };

  test.each(['gemma-3-27b', 'qwen3-30b-a3b', 'deepseek-v3', 'gpt-oss-20b'])('%s: sized as typed; the compact link reloads it', async (id) => {
    const opened = await openChapter();
    const { page } = opened;
    const config = loadConfig(id);
    await paste(page, readFileSync(new URL(`../fixtures/configs/${id}.json`, import.meta.url), 'utf8'));
    const want = expected({ kind: 'config', config }, 'Q4_K_M');
    await expect.poll(() => shown(page)).toEqual(want);
    const compact = new URL(page.url()).searchParams.get('config');
    expect(compact).toMatch(/^[A-Za-z0-9_-]{100,2000}$/);
    await page.reload();
    await hydrate(page);
    await expect.poll(() => shown(page)).toEqual(want);
    expect(JSON.parse(await page.getByRole('textbox', { name: 'config.json', exact: true }).inputValue())).toEqual(compactConfig(config));
    expect(opened.problems.consoleErrors).toEqual([]);
    expectSafe(opened);
    await opened.context.close();
  });

  test.each([
    ['syntax-error.json', "Not valid JSON at line 5, column 3: Expected ',' or '}' after property value."],
    ['missing-field.json', 'config.json: vocab_size is required and missing'],
    ['unknown-architecture.json', /^config\.json: architecture NovelForCausalLM has no reader in the engine, and a generic reading needs num_attention_heads or n_head/],
  ])('%s: the message is shown beside the box', async (file, message) => {
    const opened = await openChapter();
    const { page } = opened;
    await paste(page, readFileSync(new URL(`../fixtures/pasted-configs/${file}`, import.meta.url), 'utf8'));
    const error = page.locator('.picker__config .field__error');
    if (typeof message === 'string') await expect.poll(() => error.textContent()).toBe(message);
    else await expect.poll(() => error.textContent()).toMatch(message);
    expect(await page.getByRole('textbox', { name: 'config.json', exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(new URL(page.url()).searchParams.get('config')).toBeNull();
    expectSafe(opened);
    await opened.context.close();
  });

  test('garbage in config= is reported, not crashed on', async () => {
    const opened = await openChapter({ config: 'eyJhcmNoaXRlY3R1cmVzIjpbIkxsYW1hRm9y' });
    const { page } = opened;
    await expect
      .poll(() => page.locator('.picker__config .field__error').textContent())
      .toBe('The config in this link is damaged (it may have been cut short when copied); paste the config.json again.');
    expect(await page.getByRole('radio', { name: 'Paste config.json' }).isChecked()).toBe(true);
    expect(await page.locator('output').first().textContent()).not.toContain('NaN');
    expectSafe(opened);
    await opened.context.close();
  });
});

describe('local GGUF file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'your-model-'));
  const fx = tinyLlama();
  const good = join(dir, 'Tiny-Llama-Q4_K_M.gguf');
  const truncated = join(dir, 'truncated.gguf');
  const notGguf = join(dir, 'corrupt.gguf');
  writeFileSync(good, fx.bytes);
  writeFileSync(truncated, fx.bytes.subarray(0, fx.bytes.length - 4096));
  writeFileSync(notGguf, Buffer.concat([Buffer.from('GGML'), fx.bytes.subarray(4)]));

  test('its header is read in the page and sized tensor by tensor; nothing is uploaded or put in the link', async () => {
    hubRequests.length = 0;
    const opened = await openChapter();
    const { page } = opened;
    await page.getByRole('radio', { name: 'GGUF file' }).check();
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.method() !== 'GET') sent.push(`${r.method()} ${r.url()}`);
    });
    await page.locator('.picker__gguf input[type=file]').setInputFiles(good);
    await expect.poll(() => page.getByTestId('gguf-arch').textContent()).toBe('llama (Tiny Llama)');
    expect(await page.getByTestId('gguf-filetype').textContent()).toBe('Q4_K_M');
    expect(await page.getByTestId('gguf-tensors').textContent()).toMatch(new RegExp(`^${fx.tensors.length}: `));
    const local = await readLocalGguf(new File([fx.bytes], 'x.gguf'));
    if (!local.ok) throw new Error(local.message);
    const source: ModelSource = { kind: 'typed', shape: local.value.shape, typed: local.value.typed, metadataBytes: local.value.metadataBytes };
    await expect.poll(() => shown(page)).toEqual(expected(source, ''));
    expect(await page.getByTestId('quant-from-file').textContent()).toContain('Q4_K_M');
    const params = new URL(page.url()).searchParams;
    expect([params.get('model'), params.get('hf'), params.get('config')]).toEqual([null, null, null]);
    expect(sent).toEqual([]);
    expect(hubRequests).toEqual([]);
    expect(await axe(page)).toEqual([]);
    expect(opened.problems.consoleErrors).toEqual([]);
    expectSafe(opened);
    await opened.context.close();
  });

  test.each([
    [truncated, /^truncated\.gguf: Truncated GGUF: tensor "[^"]+" ends at byte \d+, beyond the end of the file/],
    [notGguf, /^corrupt\.gguf: This is not a GGUF file: it starts with "GGML", not "GGUF"$/],
  ])('%s: a clear message', async (path, message) => {
    const opened = await openChapter();
    const { page } = opened;
    await page.getByRole('radio', { name: 'GGUF file' }).check();
    await page.locator('.picker__gguf input[type=file]').setInputFiles(path);
    await expect.poll(() => page.getByTestId('gguf-error').textContent()).toMatch(message);
    expect(await page.getByTestId('ym-placeholder').textContent()).toBe('Choose a model above to see its memory.');
    expectSafe(opened);
    await opened.context.close();
  });

  test('Enter and Space on the drop zone open the file dialog, and it takes a dropped file', async () => {
    const opened = await openChapter();
    const { page } = opened;
    await page.getByRole('radio', { name: 'GGUF file' }).check();
    const zone = page.getByRole('button', { name: /Drop a GGUF file here/ });
    const fileInput = page.locator('.picker__gguf input[type=file]');
    // Count the clicks Enter and Space send to the file input, and keep Chromium's own dialog closed: whether
    // Chromium shows a chooser for that click is the browser's business (and did not always happen in time on a
    // busy CI machine); that the keys reach the input is ours. The file is then set on the input, as a chooser would.
    await fileInput.evaluate((input) => {
      const w = window as unknown as { fileInputClicks: number };
      w.fileInputClicks = 0;
      input.addEventListener('click', (e) => {
        w.fileInputClicks += 1;
        e.preventDefault();
      });
    });
    const clicks = () => page.evaluate(() => (window as unknown as { fileInputClicks: number }).fileInputClicks);
    let expectedClicks = 0;
    for (const [key, path, status] of [['Enter', truncated, 'gguf-error'], ['Space', good, 'gguf-arch']] as const) {
      // Reach it by keyboard (Tab from the file input), so :focus-visible applies as it does for a keyboard user.
      await fileInput.focus();
      await page.keyboard.press('Tab');
      expect(await zone.evaluate((el) => el === document.activeElement && getComputedStyle(el).outlineStyle !== 'none')).toBe(true);
      await page.keyboard.press(key);
      expectedClicks += 1;
      await expect.poll(clicks).toBe(expectedClicks);
      await fileInput.setInputFiles(path);
      await expect.poll(() => page.getByTestId(status).isVisible()).toBe(true);
    }
    // Drop: a DataTransfer holding the fixture's bytes, dispatched as the browser would.
    const bytes = Array.from(fx.bytes);
    const transfer = await page.evaluateHandle((b) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(b)], 'dropped.gguf'));
      return dt;
    }, bytes);
    await zone.dispatchEvent('drop', { dataTransfer: transfer });
    await expect.poll(() => page.getByTestId('gguf-status').textContent()).toBe('Read dropped.gguf.');
    expect(await page.getByTestId('gguf-arch').textContent()).toBe('llama (Tiny Llama)');
    expectSafe(opened);
    await opened.context.close();
  });
});
