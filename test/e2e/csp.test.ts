/**
 * The Content Security Policy (astro.config.mjs security.csp, and dist/_headers from scripts/csp-headers.mjs) is
 * strict, and the site works under it: every inline script is covered by a hash, pages served with the header
 * hydrate their islands and search works (Pagefind's WebAssembly needs 'wasm-unsafe-eval'), and an injected
 * inline script is refused (so a passing run means the policy is enforced, not absent).
 * Every page's load under the CSP, with no violation, is checked by every-page.test.ts.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { baseUrl, closeBrowser, openPage } from './browser';
import { DIST, distPages, pagesWithIslands } from './dist-pages';
import { hydrateAll } from './calculator-probe';

afterAll(closeBrowser);

const META = /<meta http-equiv="content-security-policy" content="([^"]*)"/i;

function directives(policy: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const d of policy.split(';')) {
    const [name, ...sources] = d.trim().split(/\s+/);
    if (name) map.set(name, sources);
  }
  return map;
}

describe('the policy', () => {
  test.each(distPages().map((p) => [p.url, p.file]))('%s has a strict CSP <meta> whose hashes cover every inline script', (_url, file) => {
    const html = readFileSync(file, 'utf8');
    const meta = META.exec(html);
    expect(meta, 'content-security-policy <meta>').not.toBeNull();
    const policy = directives(meta?.[1] ?? '');
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    const scriptSrc = policy.get('script-src') ?? [];
    // Only this site, hashes, and WebAssembly compilation: no 'unsafe-inline', no 'unsafe-eval', no other origin.
    expect(scriptSrc.filter((s) => !s.startsWith("'sha256-"))).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)) {
      const hash = `'sha256-${createHash('sha256').update(m[1] ?? '').digest('base64')}'`;
      expect(scriptSrc, `inline script ${JSON.stringify((m[1] ?? '').slice(0, 60))}`).toContain(hash);
    }
    // The <meta> must come before any script for the browser to apply it to them.
    expect(html.indexOf('<meta http-equiv="content-security-policy"')).toBeLessThan(html.search(/<script/i) === -1 ? Infinity : html.search(/<script/i));
  });

  test('dist/_headers sends the same policy as a header, with frame-ancestors', async () => {
    const headers = readFileSync(join(DIST, '_headers'), 'utf8');
    expect(headers).toMatch(/^\/\*$/m);
    const res = await fetch(baseUrl());
    const policy = directives(res.headers.get('content-security-policy') ?? '');
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toContain("'wasm-unsafe-eval'");
    expect(policy.get('script-src')).not.toContain("'unsafe-inline'");
  });
});

describe('the site under its policy', () => {
  test.each(pagesWithIslands().map((p) => [p.url]))('%s hydrates its islands with no violation', async (url) => {
    const { page, context, problems } = await openPage(url);
    try {
      await hydrateAll(page);
      expect(problems.cspViolations).toEqual([]);
      expect(problems.consoleErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('search works (Pagefind WebAssembly) with no violation', async () => {
    const { page, context, problems } = await openPage('/');
    try {
      await page.keyboard.press('/');
      await page.locator('[data-search-input]').fill('KV cache');
      await expect.poll(() => page.locator('[data-search-results] a').count(), { timeout: 10_000 }).toBeGreaterThan(0);
      expect(problems.cspViolations).toEqual([]);
      expect(problems.consoleErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('an injected inline script is refused', async () => {
    const { page, context, problems } = await openPage('/');
    try {
      const ran = await page.evaluate(async () => {
        const s = document.createElement('script');
        s.textContent = 'window.__injected = true';
        document.head.append(s);
        await new Promise((r) => setTimeout(r, 100));
        return (window as unknown as { __injected?: boolean }).__injected === true;
      });
      expect(ran).toBe(false);
      await expect.poll(() => problems.cspViolations.length).toBeGreaterThan(0);
    } finally {
      await context.close();
    }
  });
});
