/**
 * What the site publishes names no path outside the repository and none of the developers' working notes: every
 * source a reader sees is public and linkable. Scans every built file a browser can load (pages, scripts, styles,
 * data), not only what one page happens to render, so a note in a calculator's bundle is caught too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST } from './dist-pages.ts';
import { outsideNames } from '../fixtures/outside-names.ts';

const TEXT = /\.(html|js|mjs|css|json|txt|xml|svg)$|_headers$/;

describe('published text', () => {
  const files = readdirSync(DIST, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && TEXT.test(e.name) && !join(e.parentPath, e.name).includes(`${DIST}/pagefind/`))
    .map((e) => join(e.parentPath, e.name));

  it('covers the pages, the island bundles and the published reference data', () => {
    const rel = files.map((f) => relative(DIST, f));
    expect(rel).toContain('index.html');
    expect(rel.some((f) => f.startsWith('_astro/') && f.endsWith('.js'))).toBe(true);
    expect(rel).toContain('data/llamacpp-measured.json');
  });

  it('names no working note and no path outside the repository', () => {
    const hits = files.flatMap((f) => outsideNames(readFileSync(f, 'utf8')).map((h) => `${relative(DIST, f)}:${h}`));
    expect(hits).toEqual([]);
  });
});
