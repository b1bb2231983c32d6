/**
 * scripts/katex-fonts.mjs cuts KaTeX's fonts in dist/ down to the site's characters and preloads the two that
 * formula pages use. Checked here against KaTeX's own font files: every character a formula shows that the original
 * font has, the cut font still has. Needs no browser; it lives with the e2e tests because it needs the built site.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Blob, Face } from 'harfbuzzjs';
import { convert } from 'fontverter';
import { DIST, distPages } from './dist-pages';

const KATEX_FONTS = 'node_modules/katex/dist/fonts';

/** Code points a font maps (any of woff2, woff, ttf). */
async function codePoints(bytes: Buffer): Promise<Set<number>> {
  const sfnt = await convert(bytes, 'sfnt');
  return new Set(new Face(new Blob(new Uint8Array(sfnt))).collectUnicodes());
}

/** The text of every <span class="katex-html"> in a page: what KaTeX draws with its fonts. */
function formulaText(html: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const start = html.indexOf('<span class="katex-html"', from);
    if (start < 0) return out;
    let depth = 0;
    let i = start;
    // Walk to the matching </span>, counting nested spans.
    for (;;) {
      const open = html.indexOf('<span', i + 1);
      const close = html.indexOf('</span>', i + 1);
      if (close < 0) throw new Error('unclosed katex-html span');
      if (open >= 0 && open < close) {
        depth += 1;
        i = open;
      } else if (depth === 0) {
        out += html.slice(start, close).replace(/<[^>]*>/g, '');
        from = close;
        break;
      } else {
        depth -= 1;
        i = close;
      }
    }
  }
}

const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot);/gi, (_m, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1]!.toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : ({ amp: '&', lt: '<', gt: '>', quot: '"' } as Record<string, string>)[e.toLowerCase()]!,
  );

const pages = distPages().map((p) => ({ ...p, html: readFileSync(p.file, 'utf8') }));
const formulaPages = pages.filter((p) => p.html.includes('class="katex"'));
const shown = new Set([...decode(formulaPages.map((p) => formulaText(p.html)).join(''))].map((c) => c.codePointAt(0)!));
const builtFonts = readdirSync(join(DIST, '_astro')).filter((n) => /^KaTeX_.*\.woff2$/.test(n));

describe('KaTeX fonts in dist/', () => {
  test('the site has formulas and fonts to check', () => {
    expect(formulaPages.length).toBeGreaterThanOrEqual(5);
    expect(shown.size).toBeGreaterThan(40);
    expect(builtFonts.length).toBeGreaterThanOrEqual(15);
  });

  test.each(builtFonts)('%s keeps every character a formula shows', async (file) => {
    const name = file.replace(/\.[^.]+\.woff2$/, '');
    const original = await codePoints(readFileSync(join(KATEX_FONTS, `${name}.woff2`)));
    const cut = await codePoints(readFileSync(join(DIST, '_astro', file)));
    const lost = [...shown].filter((c) => original.has(c) && !cut.has(c)).map((c) => String.fromCodePoint(c));
    expect(lost).toEqual([]);
    expect(cut.size).toBeLessThanOrEqual(original.size);
  });

  test('KaTeX_Main-Regular is cut to less than half its size', () => {
    const file = builtFonts.find((f) => f.startsWith('KaTeX_Main-Regular.'))!;
    const built = readFileSync(join(DIST, '_astro', file)).length;
    const original = readFileSync(join(KATEX_FONTS, 'KaTeX_Main-Regular.woff2')).length;
    expect(built).toBeLessThan(original / 2);
  });

  test('every page with a formula preloads the fonts it uses, and only those pages do', () => {
    for (const p of pages) {
      const preloads = [...p.html.matchAll(/<link rel="preload" href="([^"]+)" as="font" type="font\/woff2" crossorigin>/g)].map((m) => m[1]!);
      const expected = formulaPages.includes(p) ? (p.html.includes('mathnormal') ? 2 : 1) : 0;
      expect(preloads.length, p.url).toBe(expected);
      for (const href of preloads) expect(builtFonts, `${p.url}: ${href}`).toContain(href.replace('/_astro/', ''));
    }
  });
});
