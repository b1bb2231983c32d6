/**
 * Chapter 8, trade-offs: renders with KaTeX and the quality chart, quotes the cited KLD figures and the engine's numbers;
 * its budget ranker gives the engine's ranking (computed here independently from src/sizing), explains bad input,
 * round-trips its URL, passes axe and works from the keyboard.
 */
import { afterAll, describe, expect, test } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { closeBrowser, openPage, waitForIslands, expectClean } from './browser';
import { estimate, formatAuto, formatBitsPerWeight, GB, GiB, SizingError, type UnitSystem } from '../../src/sizing/index.ts';
import { MODELS } from '../../src/data/models.ts';
import { LLAMA3_8B_SCOREBOARD } from '../../src/data/quality.ts';

afterAll(closeBrowser);

const PAGE = '/guide/trade-offs/';

/** The ranker's candidates and rule, restated from the chapter's text (not imported from the island's module). */
const CANDIDATES = ['F16', 'Q8_0', 'Q6_K', 'Q5_K_M', 'Q5_K_S', 'Q4_K_M', 'Q4_K_S', 'IQ4_XS', 'Q3_K_L', 'Q3_K_M', 'IQ3_M', 'IQ3_XXS', 'Q2_K', 'IQ2_M', 'IQ2_XS', 'IQ2_XXS', 'IQ1_M', 'IQ1_S'];
const IMATRIX = new Set(['IQ3_XXS', 'IQ2_M', 'IQ2_XS', 'IQ2_XXS', 'IQ1_M', 'IQ1_S']);

interface Expected {
  name: string;
  quant: string;
  params: number;
  bits: number;
  total: number;
}

function expectedRanking(budget: number, ctx: number): Expected[] {
  const out: Expected[] = [];
  for (const m of MODELS) {
    if (m.contextLength < ctx) continue;
    for (const quant of CANDIDATES) {
      let e;
      try {
        e = estimate({ kind: 'config', config: m.config }, { quant, ctx, runtime: 'llama.cpp', imatrix: IMATRIX.has(quant) });
      } catch (err) {
        if (err instanceof SizingError) continue;
        throw err;
      }
      const total = e.weightsBytes + e.kvCacheBytes + e.computeBytes;
      if (total <= budget) {
        out.push({ name: m.name, quant, params: m.params.total, bits: e.weights.bitsPerWeight, total });
        break;
      }
    }
  }
  const sweet = (p: Expected) => p.bits >= 4.5;
  return out.sort((a, b) => {
    if (sweet(a) !== sweet(b)) return sweet(a) ? -1 : 1;
    if (sweet(a)) return b.params - a.params || b.bits - a.bits || a.name.localeCompare(b.name);
    return b.bits - a.bits || b.params - a.params || a.name.localeCompare(b.name);
  });
}


async function hydrate(page: Page): Promise<void> {
  await page.locator('astro-island').first().scrollIntoViewIfNeeded();
  await waitForIslands(page);
}

async function rows(page: Page, n: number): Promise<{ model: string; quant: string; total: string; margin: string }[]> {
  const r = page.getByTestId('ranker-row');
  const out = [];
  for (let i = 0; i < n; i++) {
    const row = r.nth(i);
    out.push({
      model: (await row.getByTestId('ranker-model').innerText()).trim(),
      quant: (await row.getByTestId('ranker-quant').innerText()).trim(),
      total: (await row.getByTestId('ranker-total').innerText()).trim(),
      margin: (await row.getByTestId('ranker-margin').innerText()).trim(),
    });
  }
  return out;
}

function top(budget: number, ctx: number, unit: UnitSystem, n = 3) {
  return expectedRanking(budget, ctx)
    .slice(0, n)
    .map((p) => ({ model: p.name, quant: p.quant, total: formatAuto(p.total, unit), margin: formatAuto(budget - p.total, unit) }));
}

const kld = (ft: string, imatrix = false) =>
  String(LLAMA3_8B_SCOREBOARD.rows.find((r) => r.fileType === ft && (r.imatrix !== null) === imatrix)?.meanKld ?? NaN);
const bpw = (ft: string) => (formatBitsPerWeight(`ftype:${ft}`)?.bits ?? NaN).toFixed(2);

describe('Trade-offs chapter', () => {
  test('renders with KaTeX and the quality chart, quoting cited KLD and engine bits per weight', async () => {
    const opened = await openPage(PAGE);
    const { page } = opened;
    await expect(page.locator('h1').textContent()).resolves.toBe('Trade-offs');
    expect(await page.locator('math[display="block"]').count()).toBeGreaterThanOrEqual(2);
    const text = await page.locator('article').innerText();
    expect(text).not.toMatch(/\$\$|\\frac|NaN|undefined|Infinity/);
    expect(text).toContain(`Q4_K_M (${bpw('Q4_K_M')} bits per weight on Llama 3.1 8B) has a mean KLD of ${kld('Q4_K_M')}`); // 4.89, 0.03127
    expect(text).toContain(`KLD ${kld('Q5_K_M')}`); // 0.01076
    expect(text).toContain('Qwen2-72B-Instruct at GPTQ-Int4 averages 81.2');

    // The chart: an SVG image with title and description, one marker per scoreboard row except f16, and a data table.
    const chart = page.locator('#quality-chart');
    const svg = chart.locator('svg[role="img"]').first();
    await expect(svg.locator('title').textContent()).resolves.toMatch(/Mean KL divergence from FP16 against bits per weight/);
    await expect(svg.locator('desc').textContent()).resolves.toContain(`Q4_K_M (${bpw('Q4_K_M')} bits) ${kld('Q4_K_M')}`);
    const markers = LLAMA3_8B_SCOREBOARD.rows.length - 1;
    expect(await svg.locator('circle.chart__point, rect.chart__point').count()).toBe(markers);
    expect(await svg.locator('rect.chart__point--imatrix').count()).toBe(LLAMA3_8B_SCOREBOARD.rows.filter((r) => r.imatrix !== null).length);
    expect(await chart.locator('details table tbody tr').count()).toBe(markers);
    await chart.locator('details summary').click();
    const q2 = chart.locator('details tbody tr', { has: page.locator('th', { hasText: /^q2_K$/ }) });
    await expect(q2.first().innerText()).resolves.toContain(bpw('Q2_K'));
    expectClean(opened);
    await opened.context.close();
  });
});

describe('the budget ranker', () => {
  test('shows the engine’s ranking for the default budget before and after hydration, then for a new one', async () => {
    const opened = await openPage(PAGE);
    const { page } = opened;
    const expected24 = top(24 * GB, 8192, 'GB');
    expect(expected24[0]?.quant).toMatch(/^Q4_K_M$|^Q5_K_M$/); // a 30B-class model at the sweet spot
    expect(await rows(page, 3)).toEqual(expected24); // server-rendered
    await hydrate(page);
    await expect(page.getByTestId('ranker-summary').innerText()).resolves.toContain(`First: ${expected24[0]?.model} at ${expected24[0]?.quant}`);

    await page.getByLabel('Memory budget').fill('12');
    await page.getByLabel('Context', { exact: true }).fill('4096');
    const expected12 = top(12 * GB, 4096, 'GB');
    await expect.poll(() => rows(page, 3), { timeout: 15_000 }).toEqual(expected12);
    const all = expectedRanking(12 * GB, 4096);
    await expect.poll(() => page.getByTestId('ranker-row').count()).toBe(all.length);
    // Pairs under 3 bits carry the flag.
    const risky = all.filter((p) => p.bits < 3).length;
    expect(await page.locator('.ranker__row--risky').count()).toBe(risky);
    expectClean(opened);
    await opened.context.close();
  });

  test('flags a 2-bit pick as risky when only a big model squeezed under 3 bits fits', async () => {
    const { page, context } = await openPage(`${PAGE}?br.budget=24&br.ctx=8192`);
    await hydrate(page);
    const ranked = expectedRanking(24 * GB, 8192);
    const riskyOnes = ranked.filter((p) => p.bits < 3);
    expect(riskyOnes.length).toBeGreaterThan(0); // Llama 3.1 70B at a 2-bit i-quant
    const row = page.getByTestId('ranker-row').filter({ hasText: riskyOnes[0]?.name ?? '' });
    await expect(row.innerText()).resolves.toMatch(/Risky: under 3 bits/);
    await context.close();
  });

  test.each([
    ['budget', '', /Memory budget: enter a number/],
    ['budget', '0', /Memory budget must be more than 0/],
    ['budget', '-8', /Memory budget must be more than 0/],
    ['budget', '1e30', /Memory budget must be at most 10,000 GB/],
    ['budget', 'lots', /“lots” is not a number/],
    ['budget', '<script>alert(1)</script>', /is not a number/],
    ['ctx', '0', /Context must be at least 1 token\./],
    ['ctx', '1e30', /Context must be at most 1,048,576 tokens/],
    ['ctx', 'abc', /“abc” is not a number/],
    ['ctx', '2.5', /Context must be a whole number/],
  ])('explains bad %s %j from the URL beside the field and never shows NaN', async (key, bad, message) => {
    const { page, context } = await openPage(`${PAGE}?br.${key}=${encodeURIComponent(bad)}`);
    await hydrate(page);
    const field = page.getByLabel(key === 'budget' ? 'Memory budget' : 'Context', { exact: true });
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    const errorId = (await field.getAttribute('aria-describedby'))?.split(' ').pop() ?? '';
    await expect(page.locator(`[id="${errorId}"]`).innerText()).resolves.toMatch(message);
    await expect(page.getByTestId('ranker-output').innerText()).resolves.toMatch(/Fix the highlighted field/);
    expect(await page.getByTestId('ranker-row').count()).toBe(0);
    expect(await page.locator('form.ranker').innerText()).not.toMatch(/NaN|Infinity|undefined/);
    await context.close();
  });

  test('explains an unknown unit from the URL and a budget too small for anything', async () => {
    const opened = await openPage(`${PAGE}?br.unit=furlongs`);
    await hydrate(opened.page);
    await expect.poll(() => opened.page.locator('form.ranker').innerText()).toMatch(/Unit: choose GB or GiB/);
    await opened.context.close();

    const { page, context } = await openPage(`${PAGE}?br.budget=0.05`);
    await hydrate(page);
    await expect.poll(() => page.getByTestId('ranker-summary').innerText(), { timeout: 15_000 }).toMatch(/Nothing in the catalog fits in 50\.00 MB/);
    expect(await page.locator('form.ranker').innerText()).not.toMatch(/NaN|Infinity|undefined/);
    await context.close();
  });

  test('keeps its inputs in the URL and restores them on reload', async () => {
    const { page, context } = await openPage(PAGE);
    await hydrate(page);
    await page.getByLabel('Memory budget').fill('48');
    await page.getByRole('radio', { name: /GiB/ }).check();
    await page.getByLabel('Context', { exact: true }).fill('16384');
    const param = (k: string) => () => new URL(page.url()).searchParams.get(k);
    await expect.poll(param('br.budget')).toBe('48');
    await expect.poll(param('br.unit')).toBe('GiB');
    await expect.poll(param('br.ctx')).toBe('16384');
    const expected = top(48 * GiB, 16384, 'GiB');
    await expect.poll(() => rows(page, 3), { timeout: 15_000 }).toEqual(expected);
    await page.reload();
    await hydrate(page);
    await expect.poll(() => page.getByLabel('Memory budget').inputValue()).toBe('48');
    await expect(page.getByRole('radio', { name: /GiB/ }).isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('Context', { exact: true }).inputValue()).resolves.toBe('16384');
    await expect.poll(() => rows(page, 3), { timeout: 15_000 }).toEqual(expected);
    // Back to the defaults: the keys leave the URL.
    await page.getByLabel('Memory budget').fill('24');
    await page.getByRole('radio', { name: /^GB/ }).check();
    await page.getByLabel('Context', { exact: true }).fill('8192');
    await expect.poll(() => new URL(page.url()).search).toBe('');
    await expect.poll(() => rows(page, 1)).toEqual(top(24 * GB, 8192, 'GB', 1));
    await context.close();
  });

  test('has no axe violations, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, context } = await openPage(PAGE, { colorScheme });
      await hydrate(page);
      await page.locator('#quality-chart details summary').click();
      const result = await new AxeBuilder({ page }).include('article').analyze();
      expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      await context.close();
    }
  });

  test('works from the keyboard: type a budget, arrow keys switch the unit, Tab reaches the table', async () => {
    const { page, context } = await openPage(PAGE);
    await hydrate(page);
    await page.getByLabel('Memory budget').focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('16');
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe('GB');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => new URL(page.url()).searchParams.get('br.unit')).toBe('GiB');
    expect(new URL(page.url()).searchParams.get('br.budget')).toBe('16');
    await expect.poll(() => rows(page, 2), { timeout: 15_000 }).toEqual(top(16 * GiB, 8192, 'GiB', 2));
    await page.keyboard.press('Tab'); // context
    await page.keyboard.press('Tab'); // the scrollable ranking
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Ranking');
    await context.close();
  });
});
