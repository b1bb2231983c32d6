/**
 * A small link checker over a built static site: every internal href of <a> and <link>, every src of <script>,
 * <img>, <source>, <iframe>, and every srcset entry must name a file that exists, and every #fragment an id (or
 * <a name>) in the target page. External links (http:, https: on another host, mailto:, tel:) are not followed.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface BrokenLink {
  page: string;
  ref: string;
  problem: string;
}

export interface CheckOptions {
  /** The built site's directory. */
  root: string;
  /** The site's production origin(s), as written in absolute links to itself (canonical URLs). */
  ownOrigins?: string[];
}

const ATTR = /<(a|link|script|img|source|iframe|use)\b([^>]*)>/gi;
const VALUE = (name: string) => new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i');

function attr(attrs: string, name: string): string | undefined {
  const m = VALUE(name).exec(attrs);
  return m ? decodeEntities(m[1] ?? m[2] ?? m[3] ?? '') : undefined;
}

function decodeEntities(s: string): string {
  return s.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

/** Every reference a page makes: hrefs and srcs, and the URLs of srcset candidates. */
export function referencesIn(html: string): string[] {
  const refs: string[] = [];
  for (const m of html.matchAll(ATTR)) {
    const attrs = m[2] ?? '';
    for (const name of ['href', 'src']) {
      const v = attr(attrs, name);
      if (v !== undefined) refs.push(v);
    }
    const srcset = attr(attrs, 'srcset');
    if (srcset) refs.push(...srcset.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '').filter(Boolean));
  }
  return refs;
}

/** Ids a page defines (and legacy <a name>), the targets a #fragment may name. */
export function idsIn(html: string): Set<string> {
  const ids = new Set<string>();
  for (const m of html.matchAll(/\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) ids.add(decodeEntities(m[1] ?? m[2] ?? m[3] ?? ''));
  return ids;
}

/** The file a URL path is served from (directory URLs serve their index.html), or null when there is none. */
function fileFor(root: string, pathname: string): string | null {
  const local = join(root, decodeURIComponent(pathname));
  if (!existsSync(local)) return null;
  if (statSync(local).isDirectory()) {
    const index = join(local, 'index.html');
    return existsSync(index) ? index : null;
  }
  return local;
}

/**
 * Checks every reference of every page. `pages` maps a URL path (/guide/x/) to its file. Fragment-only links
 * (#id) are checked against the page itself.
 */
export function checkLinks(pages: { url: string; file: string }[], opts: CheckOptions): BrokenLink[] {
  const base = 'http://site.invalid';
  const own = new Set([base, ...(opts.ownOrigins ?? [])]);
  const idCache = new Map<string, Set<string>>();
  const idsOf = (file: string) => {
    let ids = idCache.get(file);
    if (!ids) idCache.set(file, (ids = idsIn(readFileSync(file, 'utf8'))));
    return ids;
  };
  const broken: BrokenLink[] = [];
  for (const page of pages) {
    const html = readFileSync(page.file, 'utf8');
    for (const ref of referencesIn(html)) {
      if (ref === '') {
        broken.push({ page: page.url, ref, problem: 'empty reference' });
        continue;
      }
      let url: URL;
      try {
        url = new URL(ref, base + page.url);
      } catch {
        broken.push({ page: page.url, ref, problem: 'not a URL' });
        continue;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') continue; // mailto:, tel:, data:
      // Another site: not ours to check. Our production origin (canonical URLs) is checked like a relative link.
      if (!own.has(url.origin)) continue;
      const target = fileFor(opts.root, url.pathname);
      if (!target) {
        broken.push({ page: page.url, ref, problem: `no file for ${url.pathname}` });
        continue;
      }
      const fragment = decodeURIComponent(url.hash.slice(1));
      if (fragment && target.endsWith('.html') && !idsOf(target).has(fragment)) {
        broken.push({ page: page.url, ref, problem: `no id "${fragment}" in ${url.pathname}` });
      }
    }
  }
  return broken;
}
