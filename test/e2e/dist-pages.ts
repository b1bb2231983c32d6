/**
 * The built site's pages, discovered from dist/ (never listed by hand: chapters and calculators are added all the time).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** The built site; SITE_DIST points the browser tests at a copy (e.g. while someone else rebuilds dist/). */
export const DIST = process.env['SITE_DIST'] ?? 'dist';

export interface DistPage {
  /** Path of the file, e.g. dist/guide/kv-cache/index.html. */
  file: string;
  /** URL path the server answers it at, e.g. /guide/kv-cache/ (or /404.html). */
  url: string;
}

/** Every .html file under dir, sorted, as files and URL paths. */
export function distPages(dir = DIST): DistPage[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.html'))
    .map((e) => join(e.parentPath, e.name))
    .sort()
    .map((file) => {
      const rel = relative(dir, file).split(sep).join('/');
      const url = rel === 'index.html' ? '/' : rel.endsWith('/index.html') ? `/${rel.slice(0, -'index.html'.length)}` : `/${rel}`;
      return { file, url };
    });
}

/** Pages whose HTML holds at least one Astro island (where the calculators are). */
export function pagesWithIslands(dir = DIST): DistPage[] {
  return distPages(dir).filter((p) => readFileSync(p.file, 'utf8').includes('<astro-island'));
}
