/**
 * Byte budgets, on every page of dist/: at most 25 KB of JavaScript and 150 KB in all (gzip, as served) before any
 * interaction other than scrolling (search not opened). Timings are measured by `npm run bench`, not asserted here.
 */
import { afterAll, expect, test } from 'vitest';
import { baseUrl, closeBrowser, getBrowser } from './browser';
import { distPages } from './dist-pages';
import { BUDGET, measurePageWeight } from '../../scripts/lib/page-weight';

afterAll(closeBrowser);

test.each(distPages().map((p) => [p.url]))('%s stays within 25 KB of JS and 150 KB in all (gzip)', async (url) => {
  const context = await (await getBrowser()).newContext();
  try {
    const weight = await measurePageWeight(await context.newPage(), new URL(url, baseUrl()).href);
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    console.log(`${url}: JS ${kb(weight.jsBytes)}, total ${kb(weight.totalBytes)} in ${weight.requests} requests`);
    expect(weight.jsBytes, `JS on ${url}`).toBeLessThanOrEqual(BUDGET.jsBytes);
    expect(weight.totalBytes, `all bytes on ${url}`).toBeLessThanOrEqual(BUDGET.totalBytes);
  } finally {
    await context.close();
  }
});
