/**
 * Every page of dist/ is valid HTML by html-validate's recommended rules, relaxed only as .htmlvalidate.mjs says.
 * Needs no browser; it lives with the e2e tests because it needs the built site.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { HtmlValidate, type ConfigData } from 'html-validate';
import config from '../../.htmlvalidate.mjs';
import { distPages } from './dist-pages';

const validator = new HtmlValidate(config as ConfigData);

/**
 * Astro writes this rule before the first island of a page, inside <body>: <style> there is not permitted content by
 * the HTML spec, but it is Astro's runtime, not ours. Removing exactly this one string keeps element-permitted-content
 * on for everything else.
 */
const ASTRO_ISLAND_STYLE = '<style>astro-island,astro-slot,astro-static-slot{display:contents}</style>';

test.each(distPages().map((p) => [p.url, p.file]))('%s is valid HTML', async (_url, file) => {
  const html = readFileSync(file, 'utf8').replace(ASTRO_ISLAND_STYLE, '');
  const report = await validator.validateString(html, file);
  const messages = report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message} (${m.selector ?? ''})`));
  expect(messages).toEqual([]);
});
