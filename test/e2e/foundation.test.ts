import { afterAll, describe, expect, test } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import { closeBrowser, openPage, waitForIslands, expectClean } from './browser';

const CHAPTER = '/guide/static-and-dynamic-memory/';

afterAll(closeBrowser);


describe('the chapter page', () => {
  test('renders with its sidebar, table of contents and KaTeX formulas', async () => {
    const opened = await openPage(CHAPTER);
    const { page } = opened;
    await expect(page.locator('h1').textContent()).resolves.toBe('Static and dynamic memory');
    // Sidebar lists chapters and marks the current one.
    const current = page.locator('nav.sidebar a[aria-current="page"]');
    await expect(current.getAttribute('href')).resolves.toBe(CHAPTER);
    // Table of contents links to headings that exist, each with an anchor link.
    const tocLinks = await page.locator('nav.toc a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(tocLinks.length).toBeGreaterThanOrEqual(3);
    for (const href of tocLinks) {
      expect(await page.locator(`${href} .heading-anchor`).count(), `anchor for ${href}`).toBe(1);
    }
    // Formulas are rendered by KaTeX at build time as MathML, no raw TeX left in the text.
    expect(await page.locator('math[display="block"]').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('.katex math').count()).toBeGreaterThanOrEqual(2);
    const text = await page.locator('article').innerText();
    expect(text).not.toMatch(/\$\$|\\frac|\\times/);
    // The browser lays them out itself: no KaTeX stylesheet, no web font, and a formula has a real size.
    const layout = await page.evaluate(async () => {
      await document.fonts.ready;
      const box = document.querySelector('math[display="block"]')?.getBoundingClientRect();
      return { webFonts: document.fonts.size, katexCss: [...document.styleSheets].some((s) => [...s.cssRules].some((r) => r.cssText.includes('.katex-html'))), width: box?.width ?? 0, height: box?.height ?? 0 };
    });
    expect(layout.webFonts).toBe(0);
    expect(layout.katexCss).toBe(false);
    expect(layout.width).toBeGreaterThan(50);
    expect(layout.height).toBeGreaterThan(10);
    expectClean(opened);
    await opened.context.close();
  });

  test('quotes numbers computed by the sizing engine at build time', async () => {
    const { page, context } = await openPage(CHAPTER);
    const text = await page.locator('article').innerText();
    // 8.03e9 parameters x 16 bits / 8 = 16.06e9 bytes; 405e9 x 2 = 810e9; Llama 3.1 8B GQA KV = 128 KiB/token.
    expect(text).toContain('16.06 GB');
    expect(text).toContain('810.0 GB');
    expect(text).toContain('128 KiB per token');
    expect(text).toContain('512 KiB');
    await context.close();
  });
});

describe('the weights calculator island', () => {
  test('responds to typing and mirrors its inputs in the URL, which reloads to the same result', async () => {
    const opened = await openPage(CHAPTER);
    const { page } = opened;
    await page.locator('astro-island').first().scrollIntoViewIfNeeded();
    await waitForIslands(page);
    const result = page.getByTestId('weights-result');
    await expect(result.textContent()).resolves.toBe('16.00 GB'); // default 8B at 16 bits
    await page.getByLabel('Parameters').fill('70B');
    await page.getByLabel('Bits per weight').fill('4');
    await expect.poll(() => result.textContent()).toBe('35.00 GB');
    await page.getByRole('radio', { name: 'GiB' }).check();
    await expect.poll(() => result.textContent()).toBe('32.60 GiB');
    const url = new URL(page.url());
    expect(url.searchParams.get('params')).toBe('70B');
    expect(url.searchParams.get('bits')).toBe('4');
    expect(url.searchParams.get('unit')).toBe('GiB');
    await page.reload();
    await page.locator('astro-island').first().scrollIntoViewIfNeeded();
    await waitForIslands(page);
    await expect.poll(() => page.getByTestId('weights-result').textContent()).toBe('32.60 GiB');
    await expect(page.getByLabel('Parameters').inputValue()).resolves.toBe('70B');
    expectClean(opened);
    await opened.context.close();
  });

  test.each([
    ['', /enter a number/i],
    ['-5', /more than 0/i],
    ['abc', /is not a number/i],
    ['1e30', /at most 100 trillion/i],
    ['0', /more than 0/i],
  ])('explains bad input %j beside the field and never shows NaN', async (bad, message) => {
    const { page, context } = await openPage(`${CHAPTER}?params=${encodeURIComponent(bad)}`);
    await page.locator('astro-island').first().scrollIntoViewIfNeeded();
    await waitForIslands(page);
    const field = page.getByLabel('Parameters');
    await expect.poll(() => field.inputValue()).toBe(bad);
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');
    const errorId = (await field.getAttribute('aria-describedby'))?.split(' ').pop() ?? '';
    await expect(page.locator(`[id="${errorId}"]`).innerText()).resolves.toMatch(message);
    const calcText = await page.locator('form.calc').innerText();
    expect(calcText).not.toMatch(/NaN|Infinity|undefined/);
    await context.close();
  });
});

describe('search', () => {
  test('opens with "/" and finds the glossary entry Q4_K_M', async () => {
    const opened = await openPage(CHAPTER);
    const { page } = opened;
    await page.keyboard.press('/');
    const input = page.locator('[data-search-input]');
    await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true);
    await input.fill('Q4_K_M');
    const first = page.locator('[data-search-results] a').first();
    await expect.poll(async () => (await first.count()) > 0, { timeout: 10_000 }).toBe(true);
    const hrefs = await page.locator('[data-search-results] a').evaluateAll((as) => as.slice(0, 3).map((a) => a.getAttribute('href')));
    expect(hrefs.some((h) => h?.includes('/glossary/q4-k-m/'))).toBe(true);
    // Enter follows the selected result.
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/glossary\//);
    expectClean(opened);
    await opened.context.close();
  });

  test('also opens with Ctrl+K and closes with Escape', async () => {
    const { page, context } = await openPage('/');
    await page.keyboard.press('Control+k');
    await expect.poll(() => page.locator('[data-search-dialog]').evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('[data-search-dialog]').evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);
    await context.close();
  });
});

describe('accessibility', () => {
  test.each(['light', 'dark'] as const)('axe finds no violations on the chapter in the %s theme', async (colorScheme) => {
    const { page, context } = await openPage(CHAPTER, { colorScheme });
    await page.locator('astro-island').first().scrollIntoViewIfNeeded();
    await waitForIslands(page);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await context.close();
  });

  test('works on a phone: no horizontal scrolling, menu reveals the chapters', async () => {
    const { page, context } = await openPage(CHAPTER, { viewport: { width: 375, height: 740 } });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expect(page.locator('nav.sidebar').isVisible()).resolves.toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await expect(page.locator('nav.sidebar').isVisible()).resolves.toBe(true);
    await context.close();
  });

  test('print drops the chrome and keeps the content', async () => {
    const { page, context } = await openPage(CHAPTER);
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.site-header').isVisible()).resolves.toBe(false);
    await expect(page.locator('nav.sidebar').isVisible()).resolves.toBe(false);
    await expect(page.locator('article h1').isVisible()).resolves.toBe(true);
    await context.close();
  });
});
