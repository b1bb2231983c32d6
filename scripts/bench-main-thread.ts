/**
 * The main thread's own work at load, page by page: `npm run bench:main-thread` (after `npm run build`).
 *
 * Why beside Lighthouse: Lighthouse's mobile TBT multiplies the observed main-thread tasks by 4 and counts what
 * exceeds 50 ms, so on a busy 2-core machine the same page varies several-fold from run to run, and even a blank page
 * shows blocking time. This script loads each page (and the control page, scripts/lib/control-page.ts) RUNS times in
 * a fresh phone-sized context, without throttling, and prints the medians of Chromium's own counters
 * (CDP Performance.getMetrics): style recalculation, layout, script, and all main-thread task time. A page's figure
 * minus the control's is the work that page adds.
 *
 * Usage: npm run bench:main-thread [-- --pages=/,/glossary/f16/] [-- --runs=5]; writes bench/main-thread.json.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumPath } from '../test/e2e/browser';
import { distPages } from '../test/e2e/dist-pages';
import { serveControl } from './lib/control-page';
import { freePort } from './lib/free-port';

/** Lighthouse's mobile screen (a Moto G Power): 412 x 823 CSS pixels at 1.75 device pixels per CSS pixel. */
const PHONE = { viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true };
/** After load, how long to keep counting: client:visible islands in view and deferred scripts run in this time. */
const SETTLE_MS = 500;

interface Work {
  styleMs: number;
  layoutMs: number;
  scriptMs: number;
  taskMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const round1 = (x: number) => Math.round(x * 10) / 10;

function argValue(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
}

async function loadOnce(browser: Browser, url: string): Promise<Work> {
  const context = await browser.newContext(PHONE);
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForTimeout(SETTLE_MS);
    const { metrics } = await cdp.send('Performance.getMetrics');
    const m = (name: string) => (metrics.find((x) => x.name === name)?.value ?? NaN) * 1000;
    return { styleMs: m('RecalcStyleDuration'), layoutMs: m('LayoutDuration'), scriptMs: m('ScriptDuration'), taskMs: m('TaskDuration') };
  } finally {
    await context.close();
  }
}

async function medianWork(browser: Browser, url: string, runs: number): Promise<Work> {
  const all: Work[] = [];
  for (let i = 0; i < runs; i++) all.push(await loadOnce(browser, url));
  const of = (k: keyof Work) => round1(median(all.map((w) => w[k])));
  return { styleMs: of('styleMs'), layoutMs: of('layoutMs'), scriptMs: of('scriptMs'), taskMs: of('taskMs') };
}

async function main() {
  if (!existsSync('dist/index.html')) throw new Error('dist/ has no site: run `npm run build` first.');
  const runs = Number(argValue('runs') ?? '5');
  if (!Number.isInteger(runs) || runs < 1 || runs > 25) throw new Error(`--runs=${argValue('runs')}: expected a whole number from 1 to 25`);
  const known = distPages().map((p) => p.url);
  const asked = argValue('pages')?.split(',').filter(Boolean);
  const unknown = (asked ?? []).filter((p) => !known.includes(p));
  if (unknown.length) throw new Error(`--pages: no such page in dist/: ${unknown.join(', ')}`);
  const pages = asked ?? known;

  const port = await freePort();
  const server = spawn(process.execPath, ['scripts/serve.mjs', '--port', String(port), '--quiet'], { stdio: 'ignore' });
  const control = await serveControl();
  await new Promise((r) => setTimeout(r, 800));
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS });
  try {
    const controlWork = await medianWork(browser, control.url, runs);
    const rows: (Work & { url: string; taskAboveControlMs: number })[] = [];
    for (const url of pages) {
      const w = await medianWork(browser, `http://127.0.0.1:${port}${url}`, runs);
      rows.push({ url, ...w, taskAboveControlMs: round1(w.taskMs - controlWork.taskMs) });
    }
    const results = { date: new Date().toISOString(), chromium: browser.version(), runs, settleMs: SETTLE_MS, control: controlWork, pages: rows };
    mkdirSync('bench', { recursive: true });
    writeFileSync('bench/main-thread.json', JSON.stringify(results, null, 2) + '\n');

    const cell = (x: number) => x.toFixed(1).padStart(9);
    console.log(`Main-thread work at load, unthrottled, median of ${runs} loads per page (ms), Chromium ${results.chromium}`);
    console.log(`${'page'.padEnd(36)}    style   layout   script    tasks  above control`);
    console.log(`${'control (blank page)'.padEnd(36)}${cell(controlWork.styleMs)}${cell(controlWork.layoutMs)}${cell(controlWork.scriptMs)}${cell(controlWork.taskMs)}`);
    for (const r of rows) console.log(`${r.url.padEnd(36)}${cell(r.styleMs)}${cell(r.layoutMs)}${cell(r.scriptMs)}${cell(r.taskMs)}${cell(r.taskAboveControlMs)}`);
    const above = rows.map((r) => r.taskAboveControlMs);
    console.log(`\nTask time above the control: median ${round1(median(above))} ms, most ${round1(Math.max(...above))} ms (${rows.find((r) => r.taskAboveControlMs === Math.max(...above))?.url})`);
    console.log('Written: bench/main-thread.json');
  } finally {
    await browser.close();
    server.kill();
    control.server.close();
  }
}

await main();
