/**
 * The home page answers "will it fit?" at once: the compact fit calculator, its verdict and memory bars in the HTML
 * before any JavaScript, above the fold on a phone and a laptop, the chapters beneath; it answers a change in place,
 * loading the engine only then, with the fit calculator's URL state.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { baseUrl, closeBrowser, expectClean, getBrowser, openPage, waitForIslands } from './browser';

afterAll(closeBrowser);

describe('home page', () => {
  test('the verdict and the memory bars are in the HTML, with no JavaScript, and the chapters come after', async () => {
    const context = await (await getBrowser()).newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(new URL('/', baseUrl()).href);
      const form = page.locator('form.fit--compact');
      expect(await form.getByTestId('fit-verdict').textContent()).toBe('Fits');
      expect(await form.getByTestId('fit-reason').textContent()).toContain('GeForce RTX 4090');
      expect(await form.locator('.sbar').count()).toBeGreaterThanOrEqual(2);
      for (const name of ['model', 'quant', 'ctx', 'gpu', 'gpus', 'ram']) expect(await form.locator(`[name="${name}"]`).count(), name).toBe(1);
      const order = await page.evaluate(() => {
        const fit = document.querySelector('form.fit--compact');
        const chapters = document.getElementById('chapters');
        return fit && chapters ? fit.compareDocumentPosition(chapters) & Node.DOCUMENT_POSITION_FOLLOWING : 0;
      });
      expect(order).toBe(4); // Node.DOCUMENT_POSITION_FOLLOWING: the chapters come after the calculator
      expect(await page.locator('#chapters + ol li').count()).toBeGreaterThan(5);
    } finally {
      await context.close();
    }
  });

  test.each([
    ['phone', { width: 412, height: 823 }],
    ['laptop', { width: 1280, height: 800 }],
  ] as const)('on a %s the inputs, the verdict and the top of the memory bar show without scrolling', async (_name, viewport) => {
    const { page, context } = await openPage('/', { viewport });
    try {
      const bottomOf = async (selector: string) => {
        const box = await page.locator(selector).first().boundingBox();
        return box ? box.y + box.height : Number.POSITIVE_INFINITY;
      };
      for (const selector of ['form.fit--compact select[name="model"]', 'form.fit--compact select[name="quant"]', 'form.fit--compact input[name="ctx"]', 'form.fit--compact select[name="gpu"]', '[data-testid="fit-verdict"]', 'form.fit--compact .sbar__track']) {
        expect(await bottomOf(selector), selector).toBeLessThanOrEqual(viewport.height);
      }
    } finally {
      await context.close();
    }
  });

  test('the island waits for the reader: no hydration at load, and a value chosen before it is not lost', async () => {
    const opened = await openPage('/');
    const { page, context } = opened;
    try {
      await page.waitForTimeout(1500);
      expect(await page.locator('astro-island[client="interaction"]').getAttribute('ssr'), 'hydrated before any interaction').not.toBeNull();
      // The first thing the reader does is change the model: the island hydrates, then takes the new value.
      const form = page.locator('form.fit--compact');
      await form.locator('select[name="model"]').selectOption('llama-3.1-70b');
      await expect.poll(() => form.getByTestId('fit-verdict').getAttribute('data-verdict'), { timeout: 15_000 }).not.toBe('fits');
      expect(new URL(page.url()).searchParams.get('model')).toBe('llama-3.1-70b');
      expectClean(opened);
    } finally {
      await context.close();
    }
  });

  test('a change answers in place: no navigation, the engine loads only then, the address holds the inputs', async () => {
    const opened = await openPage('/');
    const { page, context } = opened;
    try {
      const scripts: string[] = [];
      page.on('request', (r) => {
        if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
      });
      await waitForIslands(page);
      expect(scripts.filter((s) => /fit\.view/.test(s)), 'engine fetched before any input').toEqual([]);
      await page.evaluate(() => ((window as unknown as { stay: number }).stay = 1));

      const form = page.locator('form.fit--compact');
      await form.locator('select[name="model"]').selectOption('llama-3.1-70b');
      await expect.poll(() => form.getByTestId('fit-verdict').getAttribute('data-verdict'), { timeout: 15_000 }).not.toBe('fits');
      expect(scripts.some((s) => /fit\.view/.test(s)), 'engine fetched on the first change').toBe(true);
      expect(await page.evaluate(() => (window as unknown as { stay?: number }).stay)).toBe(1);
      expect(new URL(page.url()).pathname).toBe('/');
      expect(new URL(page.url()).searchParams.get('model')).toBe('llama-3.1-70b');

      await form.locator('input[name="gpus"]').fill('4');
      await expect.poll(() => form.getByTestId('fit-verdict').getAttribute('data-verdict'), { timeout: 15_000 }).toBe('fits');
      const full = await form.getByTestId('fit-full-link').getAttribute('href');
      expect(full).toBe('/guide/will-it-fit/?model=llama-3.1-70b&gpus=4');
      expectClean(opened);
    } finally {
      await context.close();
    }
  });
});
