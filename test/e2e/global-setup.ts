/**
 * Starts the built site on a free local port for the browser tests, after checking that the site is built and
 * that a browser exists. A missing browser is a failure, never a skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
import { chromiumPath } from './browser';
import { DIST } from './dist-pages';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitForServer(url: string, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`The site server did not answer at ${url} within ${timeoutMs} ms.`);
}

let server: ChildProcess | null = null;

export async function setup(project: TestProject): Promise<void> {
  chromiumPath(); // throws a clear error when there is no browser
  if (!existsSync(`${DIST}/index.html`) || !existsSync(`${DIST}/pagefind/pagefind.js`)) {
    throw new Error('The built site is missing (dist/ with its Pagefind index). Run "npm run build" first; "npm test" does.');
  }
  const port = await freePort();
  server = spawn(process.execPath, ['scripts/serve.mjs', '--port', String(port), '--dir', DIST, '--quiet'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const baseUrl = `http://127.0.0.1:${port}/`;
  await waitForServer(baseUrl, 15_000);
  project.provide('baseUrl', baseUrl);
}

export async function teardown(): Promise<void> {
  server?.kill();
  server = null;
}
