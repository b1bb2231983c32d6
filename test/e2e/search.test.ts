/**
 * Search as users type it: each query must put the right glossary entry among the first three results, and
 * glossary results show their bits per weight. Runs Pagefind's real index in the built site.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { closeBrowser, openPage } from './browser';

afterAll(closeBrowser);

async function firstResults(query: string): Promise<{ hrefs: string[]; texts: string[]; requestsBeforeOpen: string[] }> {
  const { page, context } = await openPage('/');
  const pagefindRequests: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/pagefind/')) pagefindRequests.push(r.url());
  });
  await page.waitForLoadState('networkidle');
  const requestsBeforeOpen = [...pagefindRequests];
  await page.keyboard.press('/');
  const input = page.locator('[data-search-input]');
  await input.fill(query);
  const links = page.locator('[data-search-results] a');
  await expect.poll(async () => links.count(), { timeout: 10_000 }).toBeGreaterThan(0);
  const hrefs = (await links.evaluateAll((as) => as.slice(0, 3).map((a) => new URL((a as HTMLAnchorElement).href).pathname)));
  const texts = await links.evaluateAll((as) => as.slice(0, 3).map((a) => (a as HTMLElement).innerText));
  await context.close();
  return { hrefs, texts, requestsBeforeOpen };
}

describe('search finds the glossary entry users mean', () => {
  test.each([
    ['q4km', '/glossary/q4-k-m/'],
    ['Q4_K_M', '/glossary/q4-k-m/'],
    ['awq', '/glossary/awq/'],
    ['nf4', '/glossary/nf4/'],
    ['imatrix', '/glossary/imatrix/'],
    ['IQ2_XXS', '/glossary/iq2-xxs/'],
    ['fp8', '/glossary/fp8-e4m3/'],
    ['4 bit', '/glossary/4-bit/'],
  ])('%j finds %s among the first three results', async (query, expected) => {
    const { hrefs } = await firstResults(query);
    expect(hrefs).toContain(expected);
  });

  test('glossary results show their family and bits per weight; the index loads only when search opens', async () => {
    const { hrefs, texts, requestsBeforeOpen } = await firstResults('Q4_K_M');
    const i = hrefs.indexOf('/glossary/q4-k-m/');
    expect(texts[i]).toMatch(/K-quant/);
    expect(texts[i]).toMatch(/4\.89\d? bits per weight/);
    expect(requestsBeforeOpen).toEqual([]);
  });
});

describe('glossary index', () => {
  test('filters by family and sorts by bits per weight', async () => {
    const { page, context } = await openPage('/glossary/');
    const visibleRows = () => page.locator('[data-glossary-table] tbody tr:not([hidden])');
    const all = await visibleRows().count();
    expect(all).toBeGreaterThanOrEqual(55);
    await page.getByLabel('Family').selectOption('i-quant');
    await expect.poll(() => visibleRows().count()).toBeLessThan(all);
    const names = await visibleRows().locator('td:first-child').allInnerTexts();
    expect(names.every((n) => /^IQ/.test(n.trim()) || /i-quant/i.test(n))).toBe(true);
    const bits = async () => (await visibleRows().evaluateAll((rs) => rs.map((r) => Number((r as HTMLElement).dataset['bits']))));
    const desc = await bits();
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    await page.getByRole('button', { name: 'Bits per weight' }).click();
    const asc = await bits();
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    await expect(page.locator('th:has(button[data-sort="bits"])').getAttribute('aria-sort')).resolves.toBe('ascending');
    await context.close();
  });
});
