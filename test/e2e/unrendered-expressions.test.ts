/**
 * No built page shows an MDX expression as text: `{first.fileType}` inside backticks (or anywhere MDX does not
 * evaluate) would reach the reader verbatim. Checks the visible text of every page, code included, for a brace around
 * an identifier with a property access, an index or a call; JSON in code samples ({"a": 1}) does not match.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { distPages } from './dist-pages.ts';

const EXPRESSION = /\{\s*[A-Za-z_$][\w$]*(?:\s*(?:\.[A-Za-z_$][\w$]*|\[[^\]\n]{1,40}\]|\([^)\n]{0,80}\)))+\s*\}/;

/** The text a reader sees: scripts, styles, island props and tag attributes removed, entities decoded. */
export function visibleText(html: string): string {
  return html
    .replace(/<(script|style|template|annotation)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<astro-island\b[^>]*>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#123;|&lbrace;/g, '{')
    .replace(/&#125;|&rbrace;/g, '}')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('unrendered MDX expressions', () => {
  it('the check finds one and passes plain JSON', () => {
    expect(EXPRESSION.test(visibleText('<p>the first pick is Qwen at <code>{first.fileType}</code></p>'))).toBe(true);
    expect(EXPRESSION.test(visibleText('<p>{gib(x.bytes)}</p>'))).toBe(true);
    expect(EXPRESSION.test(visibleText('<pre><code>{"hidden_size": 4096}</code></pre>'))).toBe(false);
    expect(EXPRESSION.test(visibleText('<p>a set {1, 2}</p>'))).toBe(false);
  });

  it('no built page shows one', () => {
    const pages = distPages();
    expect(pages.length).toBeGreaterThan(50);
    const hits: string[] = [];
    for (const p of pages) {
      const text = visibleText(readFileSync(p.file, 'utf8'));
      const m = EXPRESSION.exec(text);
      if (m) hits.push(`${p.url}: …${text.slice(Math.max(0, m.index - 60), m.index + m[0].length + 20).replace(/\s+/g, ' ')}…`);
    }
    expect(hits).toEqual([]);
  });
});
