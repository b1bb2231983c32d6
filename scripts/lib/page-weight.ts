/**
 * What a page costs before any interaction: every response it loads (HTML, CSS, JS, fonts, images) by its bytes on
 * the wire (gzip, as scripts/serve.mjs sends it: the Content-Length it sets), with its islands scrolled into view so
 * their JavaScript counts too. Search is never opened, so the Pagefind index is not counted.
 * Used by test/e2e/budgets.test.ts (asserts the byte budgets) and scripts/bench.ts (prints them).
 */
import type { Page } from 'playwright-core';

export const BUDGET = { jsBytes: 25 * 1024, totalBytes: 150 * 1024 } as const;

export interface PageWeight {
  url: string;
  /** Gzip bytes per kind: document, stylesheet, script, font, image, other. */
  byKind: Record<string, number>;
  jsBytes: number;
  totalBytes: number;
  requests: number;
}

export async function measurePageWeight(page: Page, url: string): Promise<PageWeight> {
  const sizes: { kind: string; bytes: number }[] = [];
  const pending: Promise<void>[] = [];
  page.on('response', (res) => {
    pending.push(
      (async () => {
        const header = res.headers()['content-length'];
        const bytes = header !== undefined ? Number(header) : (await res.body().catch(() => Buffer.alloc(0))).length;
        sizes.push({ kind: res.request().resourceType(), bytes });
      })(),
    );
  });
  await page.goto(url, { waitUntil: 'load' });
  // Scroll every island into view, as a reader scrolling the page does, so each hydrates (client:visible).
  const islands = page.locator('astro-island');
  const count = await islands.count();
  for (let i = 0; i < count; i++) await islands.nth(i).scrollIntoViewIfNeeded();
  await page.waitForLoadState('networkidle');
  await Promise.all(pending);
  const byKind: Record<string, number> = {};
  for (const s of sizes) byKind[s.kind] = (byKind[s.kind] ?? 0) + s.bytes;
  return {
    url,
    byKind,
    jsBytes: byKind['script'] ?? 0,
    totalBytes: sizes.reduce((sum, s) => sum + s.bytes, 0),
    requests: sizes.length,
  };
}
