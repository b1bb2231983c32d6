/**
 * Every page of dist/, in the light and the dark theme: loads with no console error, page error, failed request,
 * request to another host or Content Security Policy violation, hydrates its islands, and axe finds no violation.
 */
import { afterAll, describe, expect, test } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import { closeBrowser, openPage } from './browser';
import { distPages } from './dist-pages';
import { hydrateAll } from './calculator-probe';

afterAll(closeBrowser);

const pages = distPages();

test('dist/ has pages to check', () => {
  expect(pages.length).toBeGreaterThan(3);
});

describe.each(['light', 'dark'] as const)('%s theme', (colorScheme) => {
  test.each(pages.map((p) => [p.url]))('%s loads cleanly and passes axe', async (url) => {
    const { page, context, problems } = await openPage(url, { colorScheme });
    try {
      await hydrateAll(page);
      const axe = await new AxeBuilder({ page }).analyze();
      const violations = axe.violations.map((v) => `${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect({ ...problems, axeViolations: violations }).toEqual({
        consoleErrors: [],
        pageErrors: [],
        failedRequests: [],
        foreignRequests: [],
        cspViolations: [],
        axeViolations: [],
      });
    } finally {
      await context.close();
    }
  });
});
