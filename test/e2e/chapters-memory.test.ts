/**
 * The memory chapters (weights, KV cache, runtimes) and their islands, in real Chromium against the built site.
 * Every expected figure is computed here by the sizing engine, so a test fails when a page and the engine disagree.
 */
import { afterAll, describe, expect, test } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { closeBrowser, openPage, waitForIslands, type OpenedPage, expectClean } from './browser';
import { MODELS } from '../../src/data/models';
import { compareRuntimes } from '../../src/components/calculators/runtime-compare/runtime-compare-rows';
import { findWeightFormat, weightsBreakdown } from '../../src/components/calculators/weights/weights-breakdown';
import { llamaCppComputeBuffer } from '../../src/sizing/memory/compute-buffer';
import { formatAuto, GiB, kvCache, kvCacheTextbook, modelShapeFromConfig, type ModelShape } from '../../src/sizing/index';

const WEIGHTS = '/guide/weights/';
const KV = '/guide/kv-cache/';
const RUNTIMES = '/guide/runtimes/';

afterAll(closeBrowser);

function shapeOf(id: string): ModelShape {
  const entry = MODELS.find((m) => m.id === id);
  if (!entry) throw new Error(`no model ${id}`);
  return modelShapeFromConfig(entry.config);
}

function weightsOf(id: string, quant: string) {
  const format = findWeightFormat(quant);
  if (!format) throw new Error(`no format ${quant}`);
  return weightsBreakdown(shapeOf(id), format);
}

const llamaKv = (id: string, ctx: number, type: string, seqs = 1) =>
  kvCache(shapeOf(id), { runtime: 'llama.cpp', ctx, seqs, typeK: type, typeV: type, flashAttn: true }).bytes;


async function openCalculator(path: string): Promise<OpenedPage> {
  const opened = await openPage(path);
  await opened.page.locator('astro-island').first().scrollIntoViewIfNeeded();
  await waitForIslands(opened.page);
  return opened;
}

/** The message linked to a field by aria-describedby (its last id is the error). */
async function errorOf(page: Page, label: string): Promise<string> {
  const field = page.getByLabel(label, { exact: true });
  await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
  const errorId = (await field.getAttribute('aria-describedby'))?.split(' ').pop() ?? '';
  return page.locator(`[id="${errorId}"]`).innerText();
}

async function expectNoBadNumbers(page: Page): Promise<void> {
  const text = await page.locator('form.calc').innerText();
  expect(text).not.toMatch(/NaN|Infinity|undefined/);
}

describe('the three chapters', () => {
  test.each([
    [WEIGHTS, 'Static memory: the weights'],
    [KV, 'Dynamic memory: the KV cache'],
    [RUNTIMES, 'Runtimes and overhead'],
  ])('%s renders with its title, KaTeX formulas and no raw TeX', async (path, title) => {
    const opened = await openPage(path);
    const { page } = opened;
    await expect(page.locator('h1').textContent()).resolves.toBe(title);
    await expect(page.locator('nav.sidebar a[aria-current="page"]').getAttribute('href')).resolves.toBe(path);
    expect(await page.locator('.katex math').count()).toBeGreaterThanOrEqual(2);
    const text = await page.locator('article').innerText();
    expect(text).not.toMatch(/\$\$|\\frac|\\times|\\text/);
    expect(text).not.toMatch(/NaN|undefined|\[object Object\]/);
    expect(text).toMatch(/GB.*10\s*9|GiB.*2\s*30/s);
    expect(await page.locator('article h2#sources').count()).toBe(1);
    expectClean(opened);
    await opened.context.close();
  });

  test('the prose quotes the engine: Llama 3.1 8B Q4_K_M, KV cache and compute buffer', async () => {
    const q4km = weightsOf('llama-3.1-8b', 'Q4_K_M');
    const w = await openPage(WEIGHTS);
    const wText = await w.page.locator('article').innerText();
    expect(wText).toContain(formatAuto(q4km.bytes, 'GB')); // 4.91 GB
    expect(wText).toContain(formatAuto(q4km.bytes, 'GiB')); // 4.58 GiB
    expect(wText).toContain(`${q4km.bitsPerWeight.toFixed(2)} bits per weight`);
    const q6 = q4km.rows.find((r) => r.type === 'Q6_K');
    expect(q6?.tensors).toBe(33);
    const row = w.page.locator('article > table tr', { has: w.page.locator('code', { hasText: /^Q6_K$/ }) });
    await expect(row.innerText()).resolves.toContain(formatAuto(q6?.bytes ?? 0, 'GB'));
    await w.context.close();

    const k = await openPage(KV);
    const kText = await k.page.locator('article').innerText();
    const real = llamaKv('llama-3.1-8b', 32768, 'f16');
    expect(formatAuto(real, 'GiB')).toBe('4.00 GiB');
    expect(kText).toContain(`${formatAuto(real, 'GiB')} at 32,768 tokens`);
    expect(kText).toContain(formatAuto(kvCacheTextbook(shapeOf('llama-3.1-8b'), 32768, 1, 2), 'GiB')); // 16.00 GiB
    expect(kText).toContain(formatAuto(llamaKv('llama-3.1-8b', 32768, 'q8_0'), 'GiB'));
    expect(kText).toContain(formatAuto(llamaKv('deepseek-v3', 32768, 'f16'), 'GiB'));
    await k.context.close();

    const r = await openPage(RUNTIMES);
    const rText = await r.page.locator('article').innerText();
    const cb = llamaCppComputeBuffer(shapeOf('llama-3.1-8b'), { ctx: 32768, seqs: 1, typeK: 'f16', typeV: 'f16', flashAttn: false, backend: 'gpu' });
    expect(rText).toContain(`${(cb.deviceBytes / 2 ** 20).toLocaleString('en-US', { maximumFractionDigits: 0 })} MiB`);
    await r.context.close();
  });
});

describe('WeightsExact', () => {
  test('shows napkin and exact weights for the chosen model and format, and keeps them in the URL', async () => {
    const opened = await openCalculator(WEIGHTS);
    const { page } = opened;
    const def = weightsOf('llama-3.1-8b', 'Q4_K_M');
    await expect.poll(() => page.getByTestId('weights-exact').textContent()).toBe(formatAuto(def.bytes, 'GB'));
    await expect(page.getByTestId('weights-napkin').textContent()).resolves.toBe(formatAuto(def.napkinBytes, 'GB'));
    await expect(page.getByTestId('weights-bpw').textContent()).resolves.toBe(def.bitsPerWeight.toFixed(2));
    await expect(page.getByTestId('weights-types').innerText()).resolves.toMatch(/Q4_K\s+193/);

    await page.getByLabel('Model', { exact: true }).selectOption('qwen2.5-7b');
    await page.getByLabel('Format', { exact: true }).selectOption('Q8_0');
    await page.getByRole('radio', { name: 'GiB' }).check();
    const q8 = weightsOf('qwen2.5-7b', 'Q8_0');
    await expect.poll(() => page.getByTestId('weights-exact').textContent()).toBe(formatAuto(q8.bytes, 'GiB'));
    await expect(page.getByTestId('weights-napkin').textContent()).resolves.toBe(formatAuto(q8.napkinBytes, 'GiB'));

    const url = new URL(page.url());
    expect(url.searchParams.get('w.model')).toBe('qwen2.5-7b');
    expect(url.searchParams.get('w.quant')).toBe('Q8_0');
    expect(url.searchParams.get('w.unit')).toBe('GiB');
    await page.reload();
    await page.locator('astro-island').first().scrollIntoViewIfNeeded();
    await waitForIslands(page);
    await expect.poll(() => page.getByTestId('weights-exact').textContent()).toBe(formatAuto(q8.bytes, 'GiB'));
    await expect(page.getByLabel('Format', { exact: true }).inputValue()).resolves.toBe('Q8_0');

    // A GPU format: AWQ keeps the embeddings in 16 bits, so it is well above its 4-bit napkin.
    await page.getByLabel('Format', { exact: true }).selectOption('awq');
    const awq = weightsOf('qwen2.5-7b', 'awq');
    await expect.poll(() => page.getByTestId('weights-exact').textContent()).toBe(formatAuto(awq.bytes, 'GiB'));
    expect(awq.bytes).toBeGreaterThan(awq.napkinBytes * 1.2);
    expectClean(opened);
    await opened.context.close();
  });

  test.each([
    ['w.model', 'Model', 'not-a-model', /not in the catalog/],
    ['w.quant', 'Format', 'Q4_K_Z', /not a known/],
    ['w.quant', 'Format', '', /not a known/],
  ])('explains a bad %s (%j) beside the field and never shows NaN', async (key, label, bad, message) => {
    const { page, context } = await openCalculator(`${WEIGHTS}?${key}=${encodeURIComponent(String(bad))}`);
    await expect.poll(() => errorOf(page, String(label))).toMatch(message as RegExp);
    await expect(page.getByTestId('weights-exact').count()).resolves.toBe(0);
    await expectNoBadNumbers(page);
    await context.close();
  });
});

describe('lazy engines', () => {
  /** The chunk an island imports on its first change (see use-lazy-engine.ts). */
  const weightsEngine = /\/_astro\/weights-exact\.view\.[\w-]+\.js$/;

  const loadedScripts = (page: Page) =>
    page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.js')));

  test.each([
    [WEIGHTS, 'weights-exact-engine'],
    [KV, 'kv-cache-engine'],
    [RUNTIMES, 'runtime-compare-engine'],
  ])('%s hydrates its calculator without fetching the engine or the model catalog', async (path, engine) => {
    const opened = await openCalculator(path);
    const scripts = await loadedScripts(opened.page);
    expect(scripts.some((u) => u.includes('/_astro/')), 'the island hydrated from /_astro/').toBe(true);
    expect(scripts.filter((u) => u.includes(`/${engine}.`) || /\/models\.[\w-]+\.js$/.test(u))).toEqual([]);
    expect(await opened.page.locator('form.calc output').getAttribute('aria-busy')).toBe('false');
    expectClean(opened);
    await opened.context.close();
  });

  test('keeps the previous result on screen with a “computing…” note while the engine loads', async () => {
    const opened = await openCalculator(WEIGHTS);
    const { page } = opened;
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(weightsEngine, async (route) => {
      await held;
      await route.continue();
    });
    const output = page.locator('form.calc output');
    const def = weightsOf('llama-3.1-8b', 'Q4_K_M');
    await page.getByLabel('Model', { exact: true }).selectOption('qwen2.5-7b');
    await expect.poll(() => output.getAttribute('aria-busy')).toBe('true');
    await expect(page.getByTestId('calc-computing').textContent()).resolves.toBe('computing…');
    await expect(page.getByTestId('weights-exact').textContent()).resolves.toBe(formatAuto(def.bytes, 'GB'));

    release();
    const qwen = weightsOf('qwen2.5-7b', 'Q4_K_M');
    await expect.poll(() => page.getByTestId('weights-exact').textContent()).toBe(formatAuto(qwen.bytes, 'GB'));
    await expect(output.getAttribute('aria-busy')).resolves.toBe('false');
    await expect(page.getByTestId('calc-computing').count()).resolves.toBe(0);
    expectClean(opened);
    await opened.context.close();
  });

  test('says so when the engine cannot be fetched, and never shows stale figures as current', async () => {
    const { page, context } = await openCalculator(WEIGHTS);
    await page.route(weightsEngine, (route) => route.abort());
    await page.getByLabel('Format', { exact: true }).selectOption('Q8_0');
    await expect.poll(() => page.locator('form.calc output').innerText()).toMatch(/could not load/);
    await expect(page.getByTestId('weights-exact').count()).resolves.toBe(0);
    await expect(page.locator('form.calc output').getAttribute('aria-busy')).resolves.toBe('false');
    await context.close();
  });
});

describe('KvCacheCalculator', () => {
  test('shows the textbook and the real cache, responds to context and cache type, and keeps them in the URL', async () => {
    const opened = await openCalculator(KV);
    const { page } = opened;
    const l8 = shapeOf('llama-3.1-8b');
    await expect.poll(() => page.getByTestId('kv-real').textContent()).toBe('4.00 GiB');
    await expect(page.getByTestId('kv-textbook').textContent()).resolves.toBe(formatAuto(kvCacheTextbook(l8, 32768, 1, 2), 'GiB'));
    await expect(page.getByTestId('kv-ratio').textContent()).resolves.toBe('4.0');

    await page.getByLabel('Context', { exact: true }).fill('65536');
    await page.getByLabel('KV cache type', { exact: true }).selectOption('q8_0');
    await page.getByLabel('Concurrent sequences', { exact: true }).fill('2');
    const expected = llamaKv('llama-3.1-8b', 65536, 'q8_0', 2);
    await expect.poll(() => page.getByTestId('kv-real').textContent()).toBe(formatAuto(expected, 'GiB'));

    // The chart: an accessible image with both curves and a data table.
    const chart = page.locator('form.calc svg[role="img"]');
    await expect(chart.locator('title').textContent()).resolves.toContain('Llama 3.1 8B');
    await expect(chart.locator('polyline').count()).resolves.toBe(2);
    const points = (await chart.locator('polyline').first().getAttribute('points')) ?? '';
    expect(points).not.toMatch(/NaN|Infinity/);
    const tableText = (await page.locator('form.calc details table').textContent()) ?? '';
    expect(tableText).toContain(formatAuto(llamaKv('llama-3.1-8b', 131072, 'q8_0', 2), 'GiB'));

    const url = new URL(page.url());
    expect(url.searchParams.get('kv.ctx')).toBe('65536');
    expect(url.searchParams.get('kv.type')).toBe('q8_0');
    expect(url.searchParams.get('kv.seqs')).toBe('2');
    await page.reload();
    await page.locator('astro-island').first().scrollIntoViewIfNeeded();
    await waitForIslands(page);
    await expect.poll(() => page.getByTestId('kv-real').textContent()).toBe(formatAuto(expected, 'GiB'));

    // Another runtime: vLLM rounds to blocks of 16 tokens and offers its own cache types.
    await page.getByRole('radio', { name: 'vLLM' }).check();
    const vllm = kvCache(l8, { runtime: 'vllm', ctx: 65536, seqs: 2, typeK: 'auto', typeV: 'auto' }).bytes;
    await expect.poll(() => page.getByTestId('kv-real').textContent()).toBe(formatAuto(vllm, 'GiB'));
    await expect(page.getByLabel('KV cache type', { exact: true }).inputValue()).resolves.toBe('auto');
    expectClean(opened);
    await opened.context.close();
  });

  test('a quantized V cache without flash attention is refused beside the cache type, as llama.cpp does', async () => {
    const { page, context } = await openCalculator(`${KV}?kv.type=q8_0&kv.fa=off`);
    await expect.poll(() => errorOf(page, 'KV cache type')).toMatch(/flash attention/i);
    await expect(page.getByTestId('kv-real').count()).resolves.toBe(0);
    await page.getByRole('radio', { name: 'On' }).check();
    await expect.poll(() => page.getByTestId('kv-real').textContent()).toBe(formatAuto(llamaKv('llama-3.1-8b', 32768, 'q8_0'), 'GiB'));
    await context.close();
  });

  test.each([
    ['', /enter a number/i],
    ['0', /at least 1/i],
    ['-5', /at least 1/i],
    ['1e30', /at most/i],
    ['abc', /is not a number/i],
    ['1.5', /whole number/i],
  ])('explains a bad context %j beside the field and never shows NaN', async (bad, message) => {
    const { page, context } = await openCalculator(`${KV}?kv.ctx=${encodeURIComponent(bad)}`);
    await expect.poll(() => page.getByLabel('Context', { exact: true }).inputValue()).toBe(bad);
    await expect.poll(() => errorOf(page, 'Context')).toMatch(message);
    await expect(page.getByTestId('kv-real').count()).resolves.toBe(0);
    await expectNoBadNumbers(page);
    await context.close();
  });
});

describe('RuntimeCompare', () => {
  test('puts the same model under each runtime with the engine’s totals, and keeps its inputs in the URL', async () => {
    const opened = await openCalculator(RUNTIMES);
    const { page } = opened;
    const l8 = shapeOf('llama-3.1-8b');
    const expected = compareRuntimes(l8, { precision: '4', ctx: 32768, seqs: 1, gpuBytes: 24 * GiB });
    for (const c of expected) {
      await expect.poll(() => page.getByTestId(`rt-total-${c.runtime}`).textContent()).toBe(formatAuto(c.estimate.totalBytes, 'GiB'));
    }
    expect(await page.locator('form.calc .sbar').count()).toBe(3);
    const vllm = expected.find((c) => c.runtime === 'vllm')?.vllm;
    await expect(page.getByTestId('rt-vllm-pool').innerText()).resolves.toContain(`${vllm?.tokens.toLocaleString('en-US')} tokens`);

    await page.getByRole('radio', { name: '16-bit' }).check();
    await page.getByLabel('Context', { exact: true }).fill('8192');
    await page.getByLabel('GPU memory', { exact: true }).fill('80');
    const bf16 = compareRuntimes(l8, { precision: '16', ctx: 8192, seqs: 1, gpuBytes: 80 * GiB });
    for (const c of bf16) {
      await expect.poll(() => page.getByTestId(`rt-total-${c.runtime}`).textContent()).toBe(formatAuto(c.estimate.totalBytes, 'GiB'));
    }
    const url = new URL(page.url());
    expect(url.searchParams.get('rt.precision')).toBe('16');
    expect(url.searchParams.get('rt.ctx')).toBe('8192');
    expect(url.searchParams.get('rt.gpu')).toBe('80');
    await page.reload();
    await page.locator('astro-island').first().scrollIntoViewIfNeeded();
    await waitForIslands(page);
    const first = bf16[0];
    await expect.poll(() => page.getByTestId(`rt-total-${first?.runtime}`).textContent()).toBe(formatAuto(first?.estimate.totalBytes ?? 0, 'GiB'));
    expectClean(opened);
    await opened.context.close();
  });

  test.each([
    ['rt.gpu', 'GPU memory', '0', /more than 0/i],
    ['rt.gpu', 'GPU memory', 'lots', /is not a number/i],
    ['rt.gpu', 'GPU memory', '1e30', /at most/i],
    ['rt.seqs', 'Concurrent sequences', '-1', /at least 1/i],
    ['rt.ctx', 'Context', '', /enter a number/i],
  ])('explains a bad %s %j beside the field and never shows NaN', async (key, label, bad, message) => {
    const { page, context } = await openCalculator(`${RUNTIMES}?${key}=${encodeURIComponent(bad)}`);
    await expect.poll(() => errorOf(page, label)).toMatch(message);
    await expect(page.getByTestId('rt-total-vllm').count()).resolves.toBe(0);
    await expectNoBadNumbers(page);
    await context.close();
  });
});

describe('accessibility', () => {
  test.each([
    [WEIGHTS, 'light'],
    [KV, 'light'],
    [RUNTIMES, 'light'],
    [WEIGHTS, 'dark'],
    [KV, 'dark'],
    [RUNTIMES, 'dark'],
  ] as const)('axe finds no violations on %s (%s theme)', async (path, colorScheme) => {
    const { page, context } = await openPage(path, { colorScheme });
    await page.locator('astro-island').first().scrollIntoViewIfNeeded();
    await waitForIslands(page);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await context.close();
  });

  test('the KV calculator works from the keyboard, with a visible focus ring', async () => {
    const { page, context } = await openCalculator(KV);
    const ctx = page.getByLabel('Context', { exact: true });
    await ctx.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('8192');
    await expect.poll(() => page.getByTestId('kv-real').textContent()).toBe(formatAuto(llamaKv('llama-3.1-8b', 8192, 'f16'), 'GiB'));
    await page.keyboard.press('Tab'); // to Concurrent sequences
    await page.keyboard.press('Tab'); // to the runtime radio group
    const outline = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      const target = el?.matches('input[type="radio"]') ? (el.nextElementSibling as HTMLElement | null) : el;
      return target ? getComputedStyle(target).outlineStyle : 'none';
    });
    expect(outline).not.toBe('none');
    await page.keyboard.press('ArrowRight'); // llama.cpp -> vLLM
    await expect.poll(() => page.getByRole('radio', { name: 'vLLM' }).isChecked()).toBe(true);
    await context.close();
  });
});
