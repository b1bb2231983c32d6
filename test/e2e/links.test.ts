/** No broken internal link, asset reference or #anchor anywhere in dist/ (the checker is test/e2e/link-check.ts). */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { checkLinks } from './link-check';
import { DIST, distPages } from './dist-pages';

/** The production origin from astro.config.mjs `site`, which canonical links use. */
function siteOrigin(): string {
  const m = /\bsite:\s*'([^']+)'/.exec(readFileSync('astro.config.mjs', 'utf8'));
  if (!m?.[1]) throw new Error('astro.config.mjs has no site: the link checker needs it to recognise canonical links');
  return new URL(m[1]).origin;
}

test('every internal link, asset and #anchor in dist/ resolves', () => {
  const pages = distPages();
  expect(pages.length).toBeGreaterThan(3);
  const broken = checkLinks(pages, { root: DIST, ownOrigins: [siteOrigin()] }).map((b) => `${b.page}: ${b.ref} (${b.problem})`);
  expect(broken).toEqual([]);
});
