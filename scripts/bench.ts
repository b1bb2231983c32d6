/**
 * Measured budgets: `npm run bench`. Builds the site (timing Astro and Pagefind separately), serves dist/ gzipped
 * with scripts/serve.mjs, and measures every page's bytes before interaction, Lighthouse (mobile) on a few pages,
 * search latency and calculator update time. Prints a table with the targets and writes bench/results.json (or the
 * file given with `--out=`, so a recheck of a few pages does not replace the full run).
 * Lighthouse is slow on a 2-core machine (15-30 s a page), so it never runs in `npm test`, and by default only on a
 * sample: `npm run bench -- --lighthouse=sample|chapters|all` picks the home page, the first chapter with a calculator
 * and one glossary entry (sample); the home page, every page with a calculator, the glossary index and one entry
 * (chapters); or every page in dist/ (all). A comma-separated list of paths (`--lighthouse=/guide/kv-cache/,/`) runs
 * just those, to compare options on the pages they affect. `--lighthouse-runs=3` runs each page three times and keeps
 * Lighthouse's median run.
 *
 * The control: Lighthouse also runs on a blank page (a heading and a sentence, no CSS, no script), served by this
 * script and not part of the site, before the pages, after every CONTROL_EVERY of them and at the end. Lighthouse's
 * mobile run multiplies the main thread's observed task times by 4, so on a host whose own start-up tasks (V8 context
 * creation, Lighthouse's injected scripts, the first layout) are slow, even that blank page shows blocking time. The
 * control's TBT and LCP are that floor, and each page's TBT is also printed as what it adds above the floor's median.
 * The Chromium and Lighthouse versions and Lighthouse's benchmarkIndex (its CPU score of the host) are recorded too.
 */
import { execSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
// Lighthouse's own pick of the median run (no exports map in the package, so the module is named by its path).
import { computeMedianRun, filterToValidRuns } from 'lighthouse/core/lib/median-run.js';
import { BUDGET, measurePageWeight, type PageWeight } from './lib/page-weight';
import { serveControl } from './lib/control-page';
import { freePort } from './lib/free-port';
import { CHROMIUM_FLAGS, chromiumPath } from '../test/e2e/browser';
import { distPages, pagesWithIslands } from '../test/e2e/dist-pages';

const TARGETS = { lighthouse: 100, lcpMs: 1200, tbtMs: 30, searchMs: 50, calcMs: 16 };
const SEARCH_QUERIES = ['Q4_K_M', 'KV cache', 'GQA', 'AWQ', 'context', 'llama.cpp', 'IQ3_XXS', 'sliding window', 'GiB', 'vLLM'];

/** After this many pages the control page runs again, so a slow spell of the machine shows in the control too. */
const CONTROL_EVERY = 10;

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function timed(cmd: string): number {
  const start = performance.now();
  execSync(cmd, { stdio: ['ignore', 'ignore', 'inherit'] });
  return Math.round(performance.now() - start);
}

function dirBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0);
}

/** The Lighthouse version, as its own report states it (set by the first run). */
let lighthouseVersionSeen = '';

type Lhr = NonNullable<Awaited<ReturnType<typeof lighthouse>>>['lhr'];

async function lighthouseOnce(url: string): Promise<Lhr> {
  const chrome = await chromeLauncher.launch({ chromePath: chromiumPath(), chromeFlags: CHROMIUM_FLAGS });
  try {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
    }); // default config: mobile emulation with simulated throttling
    const lhr = result?.lhr;
    if (!lhr) throw new Error(`Lighthouse returned nothing for ${url}`);
    lighthouseVersionSeen = lhr.lighthouseVersion;
    return lhr;
  } finally {
    await chrome.kill();
  }
}

/**
 * Lighthouse `runs` times on one page, summarised by the run Lighthouse itself calls the median (computeMedianRun:
 * the run nearest the median FCP and TTI, as PageSpeed Insights and Lighthouse CI pick it), with every run's TBT and
 * LCP kept beside it. Lighthouse's documentation on variability recommends the median of several runs.
 */
async function lighthouseRun(url: string, runs: number) {
  const lhrs: Lhr[] = [];
  for (let i = 0; i < runs; i++) lhrs.push(await lighthouseOnce(url));
  // The module's types name Lighthouse's global LH namespace, which this file does not see: the runs are our own Lhr.
  const valid = filterToValidRuns(lhrs) as Lhr[];
  const lhr: Lhr = valid.length ? (computeMedianRun(valid) as Lhr) : lhrs[0]!;
  const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
  const tbt = (r: Lhr) => Math.round(r.audits['total-blocking-time']?.numericValue ?? NaN);
  const lcp = (r: Lhr) => Math.round(r.audits['largest-contentful-paint']?.numericValue ?? NaN);
  return {
    benchmarkIndex: Math.round(lhr.environment.benchmarkIndex),
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    seo: score('seo'),
    lcpMs: lcp(lhr),
    tbtMs: tbt(lhr),
    allRuns: { tbtMs: lhrs.map(tbt), lcpMs: lhrs.map(lcp) },
    // A run Lighthouse could not measure (e.g. NO_LCP on a busy machine) scores 0: say why rather than print 0.
    runtimeError: lhr.runtimeError?.code ?? null,
    failedAudits: Object.values(lhr.audits)
      .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === 'binary')
      .map((a) => a.id),
  };
}

/** Time from typing a query to results in the dialog (includes the client's 120 ms debounce), and Pagefind's own search time. */
async function searchLatency(browser: Browser, base: string) {
  const page = await browser.newPage();
  await page.goto(base);
  await page.keyboard.press('/');
  const input = page.locator('[data-search-input]');
  await input.fill('warm up');
  await page.waitForSelector('[data-search-results] a', { timeout: 10_000 }).catch(() => undefined);
  const typing: number[] = [];
  const engine: number[] = [];
  for (const q of SEARCH_QUERIES) {
    await input.fill('');
    const start = Date.now();
    await input.fill(q);
    await page.waitForFunction(
      (q) => document.querySelector('[data-search-status]')?.textContent?.includes('result') && (document.querySelector('[data-search-input]') as HTMLInputElement).value === q,
      q,
      { timeout: 10_000 },
    );
    typing.push(Date.now() - start);
    engine.push(
      await page.evaluate(async (q) => {
        // A specifier held in a variable: this function runs in the page, and run-ts.mjs's bundler must not resolve it.
        const pagefindUrl = ['', 'pagefind', 'pagefind.js'].join('/');
        const pf = (await import(/* @vite-ignore */ pagefindUrl)) as { search: (t: string) => Promise<{ results: { data: () => Promise<unknown> }[] }> };
        const t0 = performance.now();
        const r = await pf.search(q);
        await Promise.all(r.results.slice(0, 8).map((x) => x.data()));
        return performance.now() - t0;
      }, q),
    );
  }
  await page.close();
  return { typingMedianMs: median(typing), typingWorstMs: Math.max(...typing), engineMedianMs: Math.round(median(engine)), engineWorstMs: Math.round(Math.max(...engine)) };
}

/** Per calculator: time from an input event on its first field to the changed <output> text. */
async function calculatorLatency(browser: Browser, base: string) {
  const rows: { page: string; island: number; ms: number }[] = [];
  for (const p of pagesWithIslands()) {
    const page = await browser.newPage();
    await page.goto(new URL(p.url, base).href);
    const islands = page.locator('astro-island');
    const count = await islands.count();
    for (let i = 0; i < count; i++) {
      await islands.nth(i).scrollIntoViewIfNeeded();
      await islands.nth(i).dispatchEvent('pointerover'); // client:interaction islands hydrate when the pointer reaches them
    }
    const hydrated = await page
      .waitForFunction(() => Array.from(document.querySelectorAll('astro-island')).every((el) => !el.hasAttribute('ssr')), null, { timeout: 15_000 })
      .then(() => true, () => false);
    if (!hydrated) {
      rows.push({ page: p.url, island: -1, ms: -1 }); // reported as "did not hydrate"
      await page.close();
      continue;
    }
    for (let i = 0; i < count; i++) {
      const ms = await islands.nth(i).evaluate(async (island) => {
        const input = island.querySelector<HTMLInputElement>('input[type="text"]');
        const output = island.querySelector('output');
        if (!input || !output) return null;
        const before = output.textContent;
        const m = /^(\d+(?:\.\d+)?)(.*)$/.exec(input.value);
        input.value = m ? `${Number(m[1]) * 2}${m[2]}` : '2';
        const t0 = performance.now();
        return new Promise<number>((resolve) => {
          const obs = new MutationObserver(() => {
            if (output.textContent !== before) {
              obs.disconnect();
              resolve(performance.now() - t0);
            }
          });
          obs.observe(output, { subtree: true, childList: true, characterData: true });
          input.dispatchEvent(new Event('input', { bubbles: true }));
          setTimeout(() => resolve(-1), 2000);
        });
      });
      if (ms !== null) rows.push({ page: p.url, island: i, ms: Math.round(ms * 10) / 10 });
    }
    await page.close();
  }
  return rows;
}

/** The pages Lighthouse runs on, by the name given with --lighthouse= (see the header comment). */
const LIGHTHOUSE_SETS = ['sample', 'chapters', 'all'] as const;
type LighthouseSet = (typeof LIGHTHOUSE_SETS)[number] | { paths: string[] };

function lighthouseSetFromArgs(argv: string[]): LighthouseSet {
  const which = argv.find((a) => a.startsWith('--lighthouse='))?.split('=')[1] ?? 'sample';
  if (which.startsWith('/')) return { paths: which.split(',').filter((p) => p.startsWith('/')) };
  if (!(LIGHTHOUSE_SETS as readonly string[]).includes(which)) throw new Error(`--lighthouse=${which}: expected ${LIGHTHOUSE_SETS.join(', ')}, or paths starting with /`);
  return which as LighthouseSet;
}

/** --lighthouse-runs=N: Lighthouse runs per page (and per control), summarised by the median run; 1 by default. */
function lighthouseRunsFromArgs(argv: string[]): number {
  const raw = argv.find((a) => a.startsWith('--lighthouse-runs='))?.split('=')[1] ?? '1';
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 9) throw new Error(`--lighthouse-runs=${raw}: expected a whole number from 1 to 9`);
  return n;
}

function lighthouseSelection(which: LighthouseSet): string[] {
  if (typeof which === 'object') {
    const known = new Set(distPages().map((p) => p.url));
    const unknown = which.paths.filter((p) => !known.has(p));
    if (unknown.length) throw new Error(`--lighthouse: no such page in dist/: ${unknown.join(', ')}`);
    return which.paths;
  }
  const glossaryEntry = distPages().find((p) => p.url.startsWith('/glossary/') && p.url !== '/glossary/')?.url ?? '/glossary/';
  const withIslands = pagesWithIslands().map((p) => p.url);
  switch (which) {
    case 'sample':
      return ['/', withIslands[0] ?? '/guide/', glossaryEntry];
    case 'chapters':
      return [...new Set(['/', ...withIslands, '/glossary/', glossaryEntry])];
    case 'all':
      return distPages().map((p) => p.url);
  }
}

async function main() {
  const lighthouseSet = lighthouseSetFromArgs(process.argv);
  const runsPerPage = lighthouseRunsFromArgs(process.argv);
  const outFile = process.argv.find((a) => a.startsWith('--out='))?.slice('--out='.length) || 'bench/results.json';
  console.log('Building (astro build, then pagefind)...');
  const astroMs = timed('npx astro build');
  const pagefindMs = timed('npx pagefind --site dist');
  timed('node scripts/csp-headers.mjs');
  const distBytes = dirBytes('dist');

  const port = await freePort();
  const server = spawn(process.execPath, ['scripts/serve.mjs', '--port', String(port), '--quiet'], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}/`;
  await new Promise((r) => setTimeout(r, 800));
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS });
  const control = await serveControl();
  try {
    const weights: PageWeight[] = [];
    for (const p of distPages()) {
      const context = await browser.newContext();
      weights.push({ ...(await measurePageWeight(await context.newPage(), new URL(p.url, base).href)), url: p.url });
      await context.close();
    }
    const search = await searchLatency(browser, base);
    const calculators = await calculatorLatency(browser, base);
    const lighthousePages = lighthouseSelection(lighthouseSet);
    const lh: Record<string, Awaited<ReturnType<typeof lighthouseRun>>> = {};
    const controlRuns: Awaited<ReturnType<typeof lighthouseRun>>[] = [];
    const runControl = async () => {
      console.log('Lighthouse control (blank page)...');
      controlRuns.push(await lighthouseRun(control.url, runsPerPage));
    };
    await runControl();
    for (const [i, url] of lighthousePages.entries()) {
      console.log(`Lighthouse ${url}...`);
      lh[url] = await lighthouseRun(new URL(url, base).href, runsPerPage);
      if ((i + 1) % CONTROL_EVERY === 0 && i + 1 < lighthousePages.length) await runControl();
    }
    await runControl();
    const floorTbtMs = median(controlRuns.map((r) => r.tbtMs));
    const environment = {
      chromium: browser.version(),
      lighthouse: lighthouseVersionSeen,
      benchmarkIndexMedian: median([...controlRuns, ...Object.values(lh)].map((r) => r.benchmarkIndex)),
    };
    const lighthouseControl = {
      tbtMs: controlRuns.map((r) => r.tbtMs),
      lcpMs: controlRuns.map((r) => r.lcpMs),
      tbtMedianMs: floorTbtMs,
      lcpMedianMs: median(controlRuns.map((r) => r.lcpMs)),
    };
    const aboveFloor = (tbtMs: number) => Math.max(0, tbtMs - floorTbtMs);

    const results = {
      date: new Date().toISOString(),
      targets: { ...TARGETS, ...BUDGET },
      build: { astroMs, pagefindMs, distBytes },
      weights,
      search,
      calculators,
      environment,
      lighthouseControl,
      lighthouse: Object.fromEntries(Object.entries(lh).map(([url, r]) => [url, { ...r, tbtAboveControlMs: aboveFloor(r.tbtMs) }])),
    };
    mkdirSync('bench', { recursive: true });
    writeFileSync(outFile, JSON.stringify(results, null, 2) + '\n');

    const over = (w: PageWeight) => (w.jsBytes > BUDGET.jsBytes || w.totalBytes > BUDGET.totalBytes ? '  OVER' : '');
    console.log(`\nBuild: astro ${(astroMs / 1000).toFixed(1)} s, pagefind ${(pagefindMs / 1000).toFixed(1)} s; dist/ ${(distBytes / 1e6).toFixed(2)} MB`);
    console.log(`\nBytes before interaction (gzip)          JS (<= ${kb(BUDGET.jsBytes)})   total (<= ${kb(BUDGET.totalBytes)})`);
    for (const w of weights) console.log(`${w.url.padEnd(42)}${kb(w.jsBytes).padStart(10)}${kb(w.totalBytes).padStart(18)}${over(w)}`);
    console.log(`\nLighthouse ${environment.lighthouse} on Chromium ${environment.chromium}, benchmarkIndex ${environment.benchmarkIndexMedian} (median)`);
    console.log(`Runs per page: ${runsPerPage}${runsPerPage > 1 ? ", each page's median run (Lighthouse's computeMedianRun)" : ''}`);
    console.log(`Control, a blank page, ${controlRuns.length} times: TBT ${lighthouseControl.tbtMs.join(', ')} ms (median ${floorTbtMs} ms); LCP ${lighthouseControl.lcpMs.join(', ')} ms`);
    console.log(`\nLighthouse (mobile)       perf  a11y  best  seo   LCP (< ${TARGETS.lcpMs} ms)  TBT (< ${TARGETS.tbtMs} ms)  above control   target ${TARGETS.lighthouse} each`);
    for (const [url, r] of Object.entries(lh)) {
      console.log(`${url.padEnd(26)}${String(r.performance).padStart(4)}${String(r.accessibility).padStart(6)}${String(r.bestPractices).padStart(6)}${String(r.seo).padStart(5)}${`${r.lcpMs} ms`.padStart(12)}${`${r.tbtMs} ms`.padStart(16)}${`${aboveFloor(r.tbtMs)} ms`.padStart(15)}${r.failedAudits.length ? '   failed: ' + r.failedAudits.join(', ') : ''}${r.runtimeError ? `   not measured: ${r.runtimeError}` : ''}`);
    }
    console.log(`\nSearch, ${SEARCH_QUERIES.length} queries (target < ${TARGETS.searchMs} ms): typing to results ${search.typingMedianMs} ms median, ${search.typingWorstMs} ms worst (includes the 120 ms debounce); Pagefind search ${search.engineMedianMs} ms median, ${search.engineWorstMs} ms worst`);
    console.log(`\nCalculator update, input event to new <output> text (target <= ${TARGETS.calcMs} ms):`);
    for (const c of calculators) console.log(`  ${c.page} island ${c.island}: ${c.island < 0 ? 'islands did not hydrate within 15 s' : c.ms < 0 ? 'no change within 2 s' : `${c.ms} ms`}`);
    console.log(`\nWritten: ${outFile}`);
  } finally {
    await browser.close();
    server.kill();
    control.server.close();
  }
}

await main();
