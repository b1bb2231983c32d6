/**
 * Chapters 6-8: how quantization works, reading model names, trade-offs. Each renders with KaTeX, quotes the engine's
 * numbers, and its island answers real input with the engine's value, explains bad input and round-trips its URL.
 */
import { afterAll, describe, expect, test } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { closeBrowser, openPage, waitForIslands, expectClean } from './browser';
import { estimate, formatAuto, formatBitsPerWeight } from '../../src/sizing/index.ts';
import { MODELS } from '../../src/data/models.ts';
import { formatSignificant as fmt, quantizeDemo, randomNormalVector } from '../../src/sizing/formats/quantize-demo.ts';

afterAll(closeBrowser);

const QUANT = '/guide/how-quantization-works/';
const NAMES = '/guide/reading-model-names/';

/** Weights of a catalog model at a quantization, as the engine computes them, in GB. */
function weightsGB(id: string, quant: string): string {
  const model = MODELS.find((m) => m.id === id);
  if (!model) throw new Error(`no catalog model ${id}`);
  return formatAuto(estimate({ kind: 'config', config: model.config }, { quant, ctx: 4096 }).weightsBytes, 'GB');
}


async function hydrate(page: Page): Promise<void> {
  const islands = page.locator('astro-island');
  const n = await islands.count();
  for (let i = 0; i < n; i++) await islands.nth(i).scrollIntoViewIfNeeded();
  await waitForIslands(page);
}

const bits = (key: string): string => String(Number((formatBitsPerWeight(key)?.bits ?? NaN).toPrecision(4)));

describe('How quantization works', () => {
  test('renders its formulas with KaTeX and quotes bits per weight computed by the engine', async () => {
    const opened = await openPage(QUANT);
    const { page } = opened;
    await expect(page.locator('h1').textContent()).resolves.toBe('How quantization works');
    expect(await page.locator('math[display="block"]').count()).toBeGreaterThanOrEqual(6);
    const text = await page.locator('article').innerText();
    expect(text).not.toMatch(/\$\$|\\frac|\\cdot|NaN|undefined/);
    expect(text).toContain(`costs ${bits('ggml:Q4_0')} bits per weight`); // 4.5
    expect(text).toContain(`averages ${bits('ftype:Q4_K_M')} bits per weight`); // 4.894 on Llama 3.1 8B
    expect(text).toContain(`${bits('ggml:MXFP4')} bits per weight`); // 4.25
    // The worked example is computed by quantizeDemo at build time.
    const example = quantizeDemo([0.42, -1.3, 0.07, 0.88, -0.51, 0.19, 1.05, -0.24], 'Q4_0');
    expect(text).toContain(`stored as FP16 as ${fmt(example.groups[0]?.scale ?? NaN)}`);
    expect(text).toContain(`error is ${fmt(example.rmse)} for Q4_0`);
    // Figures are inline SVG with a text alternative.
    expect(await page.locator('figure svg[role="img"]').count()).toBeGreaterThanOrEqual(2);
    expectClean(opened);
    await opened.context.close();
  });
});

describe('the quantization demo island', () => {
  test('shows the engine’s result for the default vector, then for a pasted one and another scheme; the URL round-trips', async () => {
    const opened = await openPage(QUANT);
    const { page } = opened;
    await hydrate(page);
    const rmse = page.getByTestId('qdemo-rmse');
    const seeded = quantizeDemo(randomNormalVector(1), 'Q4_0');
    await expect.poll(() => rmse.textContent()).toBe(fmt(seeded.rmse));
    await expect(page.getByTestId('qdemo-scale-0').textContent()).resolves.toBe(fmt(seeded.groups[0]?.scale ?? NaN));

    // A new random draw is the engine's vector for seed 2.
    await page.getByRole('button', { name: 'Random normal values' }).click();
    await expect.poll(() => rmse.textContent()).toBe(fmt(quantizeDemo(randomNormalVector(2), 'Q4_0').rmse));
    await expect.poll(() => new URL(page.url()).searchParams.get('qd.seed')).toBe('2');

    // Paste values and switch to Q4_1: scale (max-min)/15 and minimum as FP16.
    await page.getByLabel('Weights', { exact: true }).fill('-1, 0, 0.5, 2');
    await page.getByRole('radio', { name: 'Q4_1' }).check();
    const q41 = quantizeDemo([-1, 0, 0.5, 2], 'Q4_1');
    await expect.poll(() => page.getByTestId('qdemo-scale-0').textContent()).toBe(fmt(q41.groups[0]?.scale ?? NaN)); // 0.2
    await expect(page.getByTestId('qdemo-min-0').textContent()).resolves.toBe('-1');
    await expect(rmse.textContent()).resolves.toBe(fmt(q41.rmse));
    await expect(page.getByTestId('qdemo-bits').innerText()).resolves.toContain(`${bits('ggml:Q4_1')} bits per weight`);
    expect(await page.locator('.qdemo__table tbody tr').count()).toBe(4);

    // NVFP4: two blocks of 16 each get an E4M3 scale.
    await page.getByRole('radio', { name: 'NVFP4' }).check();
    await expect.poll(() => page.getByTestId('qdemo-bits').innerText()).toContain('plus 32 bits per tensor');

    await expect.poll(() => new URL(page.url()).searchParams.get('qd.scheme')).toBe('NVFP4');
    expect(new URL(page.url()).searchParams.get('qd.w')).toBe('-1, 0, 0.5, 2');
    await page.reload();
    await hydrate(page);
    await expect.poll(() => page.getByLabel('Weights', { exact: true }).inputValue()).toBe('-1, 0, 0.5, 2');
    await expect(page.getByRole('radio', { name: 'NVFP4' }).isChecked()).resolves.toBe(true);
    await expect.poll(() => rmse.textContent()).toBe(fmt(quantizeDemo([-1, 0, 0.5, 2], 'NVFP4').rmse));
    expectClean(opened);
    await opened.context.close();
  });

  test.each([
    ['', /enter between 1 and 32/i],
    ['1, 2, abc', /“abc” is not a number/],
    ['1e30', /between −1000 and 1000/],
    ['0.1 '.repeat(33), /33 numbers/],
    ['<script>alert(1)</script>', /is not a number/],
  ])('explains bad weights %j beside the field and never shows NaN', async (bad, message) => {
    const { page, context } = await openPage(`${QUANT}?qd.mode=text&qd.w=${encodeURIComponent(bad)}`);
    await hydrate(page);
    const field = page.getByLabel('Weights', { exact: true });
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    const errorId = (await field.getAttribute('aria-describedby'))?.split(' ').pop() ?? '';
    await expect(page.locator(`[id="${errorId}"]`).innerText()).resolves.toMatch(message);
    const calcText = await page.locator('form.qdemo').innerText();
    expect(calcText).not.toMatch(/NaN|Infinity|undefined/);
    await expect(page.locator('form.qdemo output').innerText()).resolves.toMatch(/Fix the highlighted field/);
    await context.close();
  });

  test('is usable from the keyboard: arrow keys change the scheme', async () => {
    const { page, context } = await openPage(QUANT);
    await hydrate(page);
    await page.getByRole('radio', { name: 'Q4_0' }).focus();
    await page.keyboard.press('ArrowRight'); // next radio in the group: IQ4_NL
    await expect.poll(() => new URL(page.url()).searchParams.get('qd.scheme')).toBe('IQ4_NL');
    await expect
      .poll(() => page.getByTestId('qdemo-rmse').textContent())
      .toBe(fmt(quantizeDemo(randomNormalVector(1), 'IQ4_NL').rmse));
    await context.close();
  });
});

describe('Reading model names', () => {
  test('renders and quotes weights computed by the engine', async () => {
    const opened = await openPage(NAMES);
    const text = await opened.page.locator('article').innerText();
    expect(text).toContain(`whose weights take ${weightsGB('llama-3.1-8b', 'Q4_K_M')}`);
    expect(text).toContain(`at Q4_K_M ${weightsGB('qwen3-30b-a3b', 'Q4_K_M')}`);
    expect(text).not.toMatch(/NaN|undefined/);
    expectClean(opened);
    await opened.context.close();
  });
});

describe('the name decoder island', () => {
  test('decodes a GGUF file name, sizes it with the engine, links the glossary and round-trips the URL', async () => {
    const opened = await openPage(NAMES);
    const { page } = opened;
    await hydrate(page);
    // Default: an Ollama tag, sized by the engine.
    await expect.poll(() => page.getByTestId('nd-weights').textContent()).toBe(weightsGB('llama-3.1-8b', 'Q4_K_M'));
    const field = page.getByLabel('Model name', { exact: true });
    await field.fill('Llama-3.1-8B-Instruct.i1-IQ4_XS.gguf');
    await expect.poll(() => page.getByTestId('nd-source').textContent()).toBe('GGUF file name');
    await expect.poll(() => page.getByTestId('nd-weights').textContent()).toBe(weightsGB('llama-3.1-8b', 'IQ4_XS'));
    await expect(page.getByTestId('nd-imatrix').innerText()).resolves.toMatch(/imatrix/);
    await expect(page.getByTestId('nd-quant').locator('a').getAttribute('href')).resolves.toBe('/glossary/iq4-xs/');
    // MoE, split file.
    await field.fill('Qwen3-30B-A3B-Instruct-Q8_0-00001-of-00002.gguf');
    await expect.poll(() => page.getByTestId('nd-params').innerText()).toMatch(/30 billion in total, 3 billion active/);
    await expect(page.getByTestId('nd-split').innerText()).resolves.toMatch(/part 1 of 2/);
    await expect.poll(() => page.getByTestId('nd-weights').textContent()).toBe(weightsGB('qwen3-30b-a3b', 'Q8_0'));
    await expect.poll(() => new URL(page.url()).searchParams.get('nd.name')).toBe('Qwen3-30B-A3B-Instruct-Q8_0-00001-of-00002.gguf');
    await page.reload();
    await hydrate(page);
    await expect.poll(() => page.getByTestId('nd-weights').textContent()).toBe(weightsGB('qwen3-30b-a3b', 'Q8_0'));
    expectClean(opened);
    await opened.context.close();
  });

  test('flags unknown parts instead of guessing', async () => {
    const { page, context } = await openPage(`${NAMES}?nd.name=${encodeURIComponent('Meta-Llama-3.1-8B-Instruct-Q4_K_M-frobnicated.gguf')}`);
    await hydrate(page);
    await expect.poll(() => page.getByTestId('nd-unknown').innerText()).toMatch(/frobnicated/);
    await context.close();
  });

  test.each([
    ['', /enter an Ollama tag/i],
    ['asdf qwerty', /nothing in “asdf qwerty” was recognized/],
    ['%%%%', /was recognized/],
    ['x'.repeat(180), /was recognized/],
  ])('explains bad input %j beside the field and never shows NaN', async (bad, message) => {
    const { page, context } = await openPage(`${NAMES}?nd.name=${encodeURIComponent(bad)}`);
    await hydrate(page);
    const field = page.getByLabel('Model name', { exact: true });
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    const errorId = (await field.getAttribute('aria-describedby'))?.split(' ').pop() ?? '';
    await expect(page.locator(`[id="${errorId}"]`).innerText()).resolves.toMatch(message);
    expect(await page.locator('form.name-decoder').innerText()).not.toMatch(/NaN|Infinity|undefined/);
    await context.close();
  });
});

describe('accessibility of the chapters', () => {
  test.each([QUANT, NAMES])('axe finds no violations on %s (light and dark)', async (path) => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, context } = await openPage(path, { colorScheme });
      await hydrate(page);
      const results = await new AxeBuilder({ page }).analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), colorScheme).toEqual([]);
      await context.close();
    }
  });
});
