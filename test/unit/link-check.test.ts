/** The link checker used on dist/ finds what it should (so a passing link gate means something). */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkLinks, idsIn, referencesIn } from '../e2e/link-check';

function site(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'links-'));
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), body);
  }
  return root;
}

describe('link checker', () => {
  test('reads hrefs, srcs, srcsets and ids', () => {
    const html = `<a href="/a/#x">a</a><img src="i.png" srcset="i.png 1x, j.png 2x" alt=""><link rel="stylesheet" href='/s.css'><h2 id="y">y</h2><a name="z"></a>`;
    expect(referencesIn(html)).toEqual(['/a/#x', 'i.png', 'i.png', 'j.png', '/s.css']);
    expect([...idsIn(html)]).toEqual(['y', 'z']);
  });

  test('accepts good links and reports missing files, missing anchors and bad canonical paths', () => {
    const root = site({
      'index.html': `<link rel="canonical" href="https://prod.example/"><a href="/guide/#intro">ok</a><a href="guide/">ok</a>
        <a href="#top">self</a><h1 id="top">t</h1><a href="https://other.example/x">external</a><a href="mailto:a@b.c">mail</a>
        <a href="/missing/">gone</a><a href="/guide/#nope">bad anchor</a><img src="/img/x.png" alt="">
        <a href="https://prod.example/also-missing/">canonical-style</a>`,
      'guide/index.html': '<h2 id="intro">intro</h2>',
    });
    const broken = checkLinks([{ url: '/', file: join(root, 'index.html') }], { root, ownOrigins: ['https://prod.example'] });
    expect(broken.map((b) => b.ref)).toEqual(['/missing/', '/guide/#nope', '/img/x.png', 'https://prod.example/also-missing/']);
  });
});
