/**
 * Quantization names link to their glossary entry by themselves (src/site/rehype-glossary-links.ts): checked in the
 * built chapters and glossary pages. A chapter links Q4_K_M to /glossary/q4-k-m/; no automatic link sits in a
 * heading, a code block, KaTeX or another link; no entry links to itself; each is its section's first only.
 */
import { afterAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { closeBrowser, getBrowser } from './browser';
import { distPages } from './dist-pages';

afterAll(closeBrowser);

const pages = distPages().filter((p) => /^\/(guide|glossary)\/[^/]+\/$/.test(p.url));

interface Found {
  href: string;
  text: string;
  /** Where it must never be: the nearest heading, pre, KaTeX, math or enclosing link. */
  inside: string | null;
}

let shared: Page | null = null;
/** One page without JavaScript that loads nothing: the check reads the HTML files as built. */
async function htmlPage(): Promise<Page> {
  if (shared) return shared;
  const context = await (await getBrowser()).newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.route('**/*', (route) => route.abort());
  shared = page;
  return page;
}

async function autoLinks(url: string): Promise<{ links: Found[]; perSection: string[] }> {
  const page = await htmlPage();
  const file = distPages().find((p) => p.url === url)?.file;
  if (!file) throw new Error(`${url} is not in the build`);
  await page.setContent(readFileSync(file, 'utf8'), { waitUntil: 'domcontentloaded' });
  return await page.evaluate(() => {
    const article = document.querySelector('article') ?? document.body;
    const links = Array.from(article.querySelectorAll<HTMLAnchorElement>('a.glossary-link')).map((a) => {
      const bad = a.parentElement?.closest('h1, h2, h3, h4, h5, h6, pre, .katex, math, a, summary, button, label');
      return { href: a.getAttribute('href') ?? '', text: a.textContent ?? '', inside: bad ? bad.tagName.toLowerCase() + (bad.className ? `.${String(bad.className)}` : '') : null };
    });
    // The same entry linked twice in one section (sections start at h1/h2, in document order).
    const repeated: string[] = [];
    let section = 0;
    const seen = new Set<string>();
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_ELEMENT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n as Element;
      if (el.tagName === 'H1' || el.tagName === 'H2') {
        section++;
        seen.clear();
      }
      if (el.matches('a.glossary-link')) {
        const key = `${section}:${el.getAttribute('href')}`;
        if (seen.has(key)) repeated.push(`${el.getAttribute('href')} in section ${section}`);
        seen.add(key);
      }
    }
    return { links, perSection: repeated };
  });
}

describe('glossary links in the built pages', () => {
  test('a chapter links Q4_K_M, AWQ and GPTQ to their entries, in the HTML itself', async () => {
    const { links } = await autoLinks('/guide/weights/');
    const to = (href: string) => links.filter((l) => l.href === href).map((l) => l.text);
    expect(to('/glossary/q4-k-m/')).toContain('Q4_K_M');
    expect(to('/glossary/awq/')).toContain('AWQ');
    expect(to('/glossary/gptq/')).toContain('GPTQ');
  });

  test.each(pages.map((p) => [p.url]))('%s: never in a heading, code block, KaTeX or link; once per section; never to itself', async (url) => {
    const { links, perSection } = await autoLinks(url);
    expect(links.filter((l) => l.inside !== null).map((l) => `${l.text} in ${l.inside}`)).toEqual([]);
    expect(perSection).toEqual([]);
    for (const l of links) expect(l.href).toMatch(/^\/glossary\/[a-z0-9-]+\/$/);
    if (url.startsWith('/glossary/')) expect(links.filter((l) => l.href === url).map((l) => l.text), 'links to its own entry').toEqual([]);
  });
});
