#!/usr/bin/env node
// After the build, two things for KaTeX's fonts in dist/ (formulas are rendered at build time, so dist/ says
// exactly which glyphs and fonts they need):
//
// 1. Subset: every KaTeX font is cut down to the characters found in the text of any built page (a superset of what
//    the formulas show) plus printable ASCII, without hinting. KaTeX_Main-Regular goes from 26 KB to about 9 KB and
//    KaTeX_Math-Italic from 16 KB to about 7 KB (woff2). test/e2e/katex-fonts.test.ts checks that no character a
//    formula shows was dropped.
// 2. Preload: a page with a formula gets <link rel="preload" as="font"> for KaTeX_Main-Regular, and for
//    KaTeX_Math-Italic when it has italic math (class "mathnormal"). The browser then fetches them while parsing the
//    HTML instead of after the stylesheet and the first layout, so formulas show sooner; and a preloaded font has
//    High rather than Highest priority, which Lighthouse's mobile simulation does not count as blocking the first
//    paint (with CSS-discovered fonts it put LCP at 1.35-1.5 s on the chapters with formulas, 0.9 s elsewhere).
// Usage: node scripts/katex-fonts.mjs [--dir dist]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import subsetFont from 'subset-font';

const args = process.argv.slice(2);
const dirFlag = args.indexOf('--dir');
const root = dirFlag >= 0 && args[dirFlag + 1] ? args[dirFlag + 1] : 'dist';

const FORMATS = { woff2: 'woff2', woff: 'woff', ttf: 'sfnt' };
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
/** Fonts preloaded on a page with a formula, and the HTML that shows the page uses them. */
const PRELOADS = [
  { font: 'KaTeX_Main-Regular', usedWhen: 'class="katex"' },
  { font: 'KaTeX_Math-Italic', usedWhen: 'mathnormal' },
];

/** The text of an HTML page: tags, scripts and styles removed, entities decoded. */
function pageText(html) {
  return html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e) => {
      if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
      return ENTITIES[e.toLowerCase()] ?? m;
    });
}

function files(dir, test) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

const pages = files(root, (n) => n.endsWith('.html'));
const fonts = files(join(root, '_astro'), (n) => /^KaTeX_.*\.(woff2|woff|ttf)$/.test(n));
if (fonts.length === 0) {
  console.error(`katex-fonts: no KaTeX fonts under ${root}/_astro; is katex.min.css still imported?`);
  process.exit(1);
}

const chars = new Set();
for (let c = 0x20; c < 0x7f; c++) chars.add(String.fromCharCode(c));
for (const file of pages) for (const ch of pageText(readFileSync(file, 'utf8'))) chars.add(ch);
const text = [...chars].join('');
let before = 0;
let after = 0;
for (const file of fonts) {
  const original = readFileSync(file);
  const subset = await subsetFont(original, text, { targetFormat: FORMATS[file.slice(file.lastIndexOf('.') + 1)], noHinting: true });
  writeFileSync(file, subset);
  before += original.length;
  after += subset.length;
}

/** URL of the woff2 file of a font, e.g. /_astro/KaTeX_Main-Regular.B22Nviop.woff2 (Astro adds the hash). */
function woff2Url(font) {
  const file = fonts.find((f) => basename(f).startsWith(`${font}.`) && f.endsWith('.woff2'));
  if (!file) throw new Error(`katex-fonts: ${font} woff2 not found under ${root}/_astro`);
  return `/_astro/${basename(file)}`;
}
let preloaded = 0;
for (const file of pages) {
  const html = readFileSync(file, 'utf8');
  const links = PRELOADS.filter((p) => html.includes(p.usedWhen)).map(
    (p) => `<link rel="preload" href="${woff2Url(p.font)}" as="font" type="font/woff2" crossorigin>`,
  );
  if (links.length === 0 || html.includes('rel="preload" href="/_astro/KaTeX_')) continue;
  const at = html.indexOf('<link rel="stylesheet"');
  if (at < 0) throw new Error(`katex-fonts: ${file} has no stylesheet link to put the preloads before`);
  writeFileSync(file, html.slice(0, at) + links.join('') + html.slice(at));
  preloaded += 1;
}
console.log(
  `katex-fonts: ${fonts.length} font files cut to ${chars.size} characters (${(before / 1024).toFixed(0)} KiB -> ${(after / 1024).toFixed(0)} KiB); preloads on ${preloaded} pages.`,
);
