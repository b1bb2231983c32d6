/**
 * "Your hardware, once" in Chromium against the built site: hardware saved in the fit calculator is where every
 * calculator that takes hardware starts, on every page; a link with its own hardware wins; "Forget my hardware"
 * clears it; garbage or blocked storage never breaks a page. The browser context is the reader's browser: its
 * localStorage is shared by the pages opened in it.
 */
import { afterAll, describe, expect, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { baseUrl, closeBrowser, expectClean, openPage, waitForIslands, type OpenedPage } from './browser';

afterAll(closeBrowser);

const KEY = 'llm-memory-guide:hardware';

const pageErrors = new WeakMap<Page, string[]>();

/** Opens another page in the same browser (same localStorage), scrolled so its islands hydrate. */
async function visit(context: BrowserContext, path: string): Promise<Page> {
  const page = await context.newPage();
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(new URL(path, baseUrl()).href, { waitUntil: 'load' });
  const islands = page.locator('astro-island');
  for (let i = 0; i < (await islands.count()); i++) await islands.nth(i).scrollIntoViewIfNeeded();
  await waitForIslands(page);
  return page;
}

/** Closes a page opened by visit(), after checking it logged no error and threw nothing. */
async function leave(page: Page): Promise<void> {
  expect(pageErrors.get(page), `errors on ${page.url()}`).toEqual([]);
  await page.close();
}

async function ready(path: string): Promise<OpenedPage> {
  const opened = await openPage(path);
  await opened.page.locator('astro-island').first().scrollIntoViewIfNeeded();
  await waitForIslands(opened.page);
  return opened;
}

/** Two RTX 3090s and 128 GiB of RAM, saved from the fit calculator on `path`. */
async function saveTwo3090s(page: Page): Promise<void> {
  const fit = page.locator('form.fit').first();
  await fit.locator('select[name="gpu"]').selectOption('rtx-3090');
  await fit.locator('input[name="gpus"]').fill('2');
  await fit.locator('input[name="ram"]').fill('128');
  await fit.getByRole('button', { name: 'Remember this hardware' }).click();
  await expect.poll(() => fit.getByTestId('saved-hardware-status').textContent()).toContain('Saved: 2 × GeForce RTX 3090, 128 GiB of RAM');
  await expect(fit.getByTestId('saved-hardware').textContent()).resolves.toContain('local storage');
}

describe('saved hardware', () => {
  test('saved on the home page, every calculator that takes hardware starts from it', async () => {
    const opened = await ready('/');
    const { page, context } = opened;
    try {
      await saveTwo3090s(page);
      const stored = await page.evaluate((k) => localStorage.getItem(k), KEY);
      expect(JSON.parse(stored ?? 'null')).toMatchObject({ v: 1, fields: { gpu: 'rtx-3090', gpus: '2', ram: '128' } });
      // Saving writes nothing to the URL of the page; the reader's own change did (the same keys as the full calculator).
      expect(new URL(page.url()).pathname).toBe('/');
      expectClean(opened);

      // The full fit calculator: the same fields, and it says so.
      const fit = await visit(context, '/guide/will-it-fit/');
      const form = fit.locator('form.fit');
      await expect.poll(() => form.locator('select[name="gpu"]').inputValue()).toBe('rtx-3090');
      expect(await form.locator('input[name="gpus"]').inputValue()).toBe('2');
      expect(await form.locator('input[name="ram"]').inputValue()).toBe('128');
      await expect.poll(() => form.getByTestId('saved-hardware').textContent()).toContain('Started from your saved hardware: 2 × GeForce RTX 3090');
      await expect.poll(() => form.getByTestId('fit-reason').textContent(), { timeout: 15_000 }).toContain('GeForce RTX 3090');
      // Saved values stay out of the address until the reader changes something.
      expect(new URL(fit.url()).search).toBe('');
      await leave(fit);

      // Offload planner: one kind of GPU, its count and the RAM.
      const offload = await visit(context, '/guide/when-it-does-not-fit/');
      const planner = offload.locator('form.offload');
      await expect.poll(() => planner.locator('select[name="gpu"]').inputValue()).toBe('rtx-3090');
      expect(await planner.locator('input[name="gpus"]').inputValue()).toBe('2');
      expect(await planner.locator('input[name="ram"]').inputValue()).toBe('128');
      await expect.poll(() => planner.getByTestId('saved-hardware-note').textContent()).toContain('Started from your saved hardware');
      await leave(offload);

      // Speed: the first GPU and the RAM kind for offload.
      const speed = await visit(context, '/guide/system-ram-cpu-and-speed/');
      const sp = speed.locator('form.speed-calc');
      await expect.poll(() => sp.locator('select[name="device"]').inputValue()).toBe('rtx-3090');
      expect(await sp.locator('select[name="ram"]').inputValue()).toBe('ddr5-5600-2ch');
      await expect.poll(() => sp.getByTestId('speed-bound').textContent(), { timeout: 15_000 }).toMatch(/tokens\/s/);
      await leave(speed);

      // Budget ranker: two cards less the 1 GiB margin on each, in GiB.
      const budget = await visit(context, '/guide/trade-offs/');
      const br = budget.locator('form.ranker');
      await expect.poll(() => br.locator('input[name="budget"]').inputValue()).toBe('46');
      expect(await br.locator('input[type="radio"][value="GiB"]').isChecked()).toBe(true);
      await expect.poll(() => br.getByTestId('ranker-summary').textContent(), { timeout: 15_000 }).toContain('46.00 GiB');
      await leave(budget);

      // Runtime comparison: one card's memory.
      const runtimes = await visit(context, '/guide/runtimes/');
      await expect.poll(() => runtimes.locator('form[aria-label="Runtime comparison"] input[name="gpu"]').inputValue()).toBe('24');
      await leave(runtimes);
    } finally {
      await context.close();
    }
  });

  test("a link's own hardware wins over the saved hardware, whole", async () => {
    const { page, context } = await ready('/guide/will-it-fit/');
    try {
      await saveTwo3090s(page);
      const linked = await visit(context, '/guide/will-it-fit/?gpu=rtx-4060');
      const form = linked.locator('form.fit');
      await expect.poll(() => form.locator('select[name="gpu"]').inputValue()).toBe('rtx-4060');
      // Not mixed with the saved count and RAM: the link's hardware is the defaults but for what it names.
      expect(await form.locator('input[name="gpus"]').inputValue()).toBe('1');
      expect(await form.locator('input[name="ram"]').inputValue()).toBe('64');
      await leave(linked);

      const speed = await visit(context, '/guide/system-ram-cpu-and-speed/?sp.device=rtx-4060');
      await expect.poll(() => speed.locator('select[name="device"]').inputValue()).toBe('rtx-4060');
      expect(await speed.getByTestId('saved-hardware-note').count()).toBe(0);
      await leave(speed);

      // A link naming only the model still starts from the saved hardware.
      const model = await visit(context, '/?model=llama-3.1-70b');
      await expect.poll(() => model.locator('form.fit select[name="gpu"]').inputValue()).toBe('rtx-3090');
      expect(await model.locator('form.fit select[name="model"]').inputValue()).toBe('llama-3.1-70b');
      await leave(model);
    } finally {
      await context.close();
    }
  });

  test('"Forget my hardware" clears it: the next page starts from the defaults', async () => {
    const { page, context } = await ready('/');
    try {
      await saveTwo3090s(page);
      const speed = await visit(context, '/guide/system-ram-cpu-and-speed/');
      const note = speed.getByTestId('saved-hardware-note');
      await expect.poll(() => note.textContent()).toContain('local storage');
      await note.getByRole('button', { name: 'Forget my hardware' }).click();
      await expect.poll(() => note.getByTestId('saved-hardware-status').textContent()).toContain('Forgotten');
      expect(await speed.evaluate((k) => localStorage.getItem(k), KEY)).toBeNull();
      await leave(speed);

      // The home page's island heard it too (same browser, another tab: the storage event).
      await expect.poll(() => page.locator('form.fit').getByRole('button', { name: 'Forget my hardware' }).count()).toBe(0);

      const again = await visit(context, '/guide/system-ram-cpu-and-speed/');
      await expect.poll(() => again.locator('select[name="device"]').inputValue()).toBe('rtx-4090');
      expect(await again.getByTestId('saved-hardware-note').count()).toBe(0);
      await leave(again);
      const fit = await visit(context, '/guide/will-it-fit/');
      expect(await fit.locator('form.fit select[name="gpu"]').inputValue()).toBe('rtx-4090');
      await leave(fit);
    } finally {
      await context.close();
    }
  });

  test('garbage in the storage is ignored; blocked storage breaks nothing and says so', async () => {
    const opened = await openPage('/');
    const { context } = opened;
    try {
      await opened.page.evaluate((k) => localStorage.setItem(k, '{"v":1,"fields":{"hw":"gpu","gpu":"NaN"},"gpuBytes":"x"}'), KEY);
      const page = await visit(context, '/guide/will-it-fit/');
      expect(await page.locator('form.fit select[name="gpu"]').inputValue()).toBe('rtx-4090');
      expect(await page.getByTestId('fit-verdict').textContent()).toBe('Fits');
      await leave(page);
      expectClean(opened);
    } finally {
      await context.close();
    }

    const blocked = await openPage('/guide/trade-offs/');
    try {
      await blocked.context.addInitScript(() => {
        Object.defineProperty(window, 'localStorage', {
          get() {
            throw new DOMException('The operation is insecure.', 'SecurityError');
          },
        });
      });
      const page = await visit(blocked.context, '/guide/will-it-fit/');
      const fit = page.locator('form.fit');
      await fit.locator('select[name="gpu"]').selectOption('rtx-3090');
      await fit.getByRole('button', { name: 'Remember this hardware' }).click();
      await expect.poll(() => fit.getByTestId('saved-hardware-status').textContent()).toContain('nothing was saved');
      await expect.poll(() => fit.getByTestId('fit-reason').textContent(), { timeout: 15_000 }).toContain('GeForce RTX 3090');
      await leave(page);
    } finally {
      await blocked.context.close();
    }
  });
});
