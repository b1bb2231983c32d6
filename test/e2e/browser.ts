/**
 * Shared browser plumbing for the e2e tests: Debian's Chromium driven by playwright-core, against the built site
 * served by scripts/serve.mjs (started in global-setup.ts). Every page opened through openPage() records console
 * errors, page errors, failed requests and any request to a host other than the local server.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    (p): p is string => Boolean(p),
  );
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `No Chromium found (looked in ${candidates.join(', ')}). Browser tests need Debian's chromium: ` +
        `apt-get install -y chromium (or set CHROMIUM_PATH). They never skip.`,
    );
  }
  return found;
}

export function baseUrl(): string {
  return inject('baseUrl');
}

let browser: Browser | null = null;

export async function getBrowser(): Promise<Browser> {
  browser ??= await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS });
  return browser;
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = null;
}

export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
  foreignRequests: string[];
  /** securitypolicyviolation events: anything the Content Security Policy blocked. */
  cspViolations: string[];
}

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  problems: PageProblems;
}

export async function openPage(
  path: string,
  opts: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number }; reducedMotion?: 'reduce' } = {},
): Promise<OpenedPage> {
  const b = await getBrowser();
  const context = await b.newContext({
    colorScheme: opts.colorScheme ?? 'light',
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    reducedMotion: opts.reducedMotion ?? 'no-preference',
  });
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], failedRequests: [], foreignRequests: [], cspViolations: [] };
  // The listener is injected by the browser itself (not as a page script), so the page's own CSP cannot block it.
  await context.exposeBinding('__reportCspViolation', (_source, text: string) => problems.cspViolations.push(text));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __reportCspViolation: (t: string) => void }).__reportCspViolation;
      report(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  const page = await context.newPage();
  const origin = new URL(baseUrl()).origin;
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => problems.pageErrors.push(String(err)));
  page.on('requestfailed', (req) => problems.failedRequests.push(`${req.url()} ${req.failure()?.errorText ?? ''}`));
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) problems.foreignRequests.push(url);
  });
  await page.goto(new URL(path, baseUrl()).href, { waitUntil: 'load' });
  return { page, context, problems };
}

/** Waits until every island on the page has hydrated (Astro removes the `ssr` attribute when it does). */
export async function waitForIslands(page: Page): Promise<void> {
  // Islands that hydrate on interaction (client:interaction) are reached for, as a reader's pointer would.
  await page.evaluate(() => {
    for (const el of document.querySelectorAll('astro-island[client="interaction"][ssr]')) el.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
  });
  await page.waitForFunction(() => Array.from(document.querySelectorAll('astro-island')).every((el) => !el.hasAttribute('ssr')), null, {
    timeout: 15_000,
  });
}

/**
 * The page did nothing wrong: no console error, no uncaught exception, no failed request, no request to another
 * host, no Content Security Policy violation. A reload aborts the favicon request of the page it leaves; that is
 * not a failure of the page.
 */
export function expectClean(opened: OpenedPage): void {
  expect(opened.problems.consoleErrors, 'console errors').toEqual([]);
  expect(opened.problems.pageErrors, 'uncaught page errors').toEqual([]);
  const failed = opened.problems.failedRequests.filter((r) => !/favicon\.svg net::ERR_ABORTED/.test(r));
  expect(failed, 'failed requests').toEqual([]);
  expect(opened.problems.foreignRequests, 'requests to other hosts').toEqual([]);
  expect(opened.problems.cspViolations, 'Content Security Policy violations').toEqual([]);
}
