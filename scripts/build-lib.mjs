#!/usr/bin/env node
/**
 * Builds the engine for use outside the site, into the `llm-memory` package (packages/llm-memory/, an npm workspace):
 * its lib/ holds compiled ESM JavaScript for Node 20 and later (the command line and the package's import entries)
 * and lib/types/ their .d.ts declarations. The sources stay in src/, shared with the site.
 * Runs on `npm install` (the `prepare` script), so a fresh clone's `npx llm-memory` needs no separate command.
 *
 * Usage: node scripts/build-lib.mjs [--no-types]   (--no-types: JavaScript only, for a quick rebuild)
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { globImports } from './esbuild-glob.mjs';

/** Every file under a folder. */
function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}packages/llm-memory/lib`;
const started = performance.now();
rmSync(out, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: {
    // The package's import entries (package.json "exports") and the command line.
    index: 'src/sizing/index.ts',
    catalog: 'src/data/catalog.ts',
    cli: 'src/cli/main.ts',
  },
  outdir: out,
  bundle: true,
  // Shared code goes to chunks, so importing both entries loads the engine once.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Readable output: a reader of node_modules/llm-memory/lib should recognise the engine's functions.
  minify: false,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [globImports()],
});

if (!process.argv.includes('--no-types')) {
  const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.lib.json'], { cwd: root, stdio: ['ignore', 2, 2] });
  // The sources import './x.ts' (run as TypeScript by Vite and esbuild); a consumer's compiler resolves './x.js' to
  // './x.d.ts' under every module resolution mode, so the declarations name the .js files that ship.
  for (const file of walk(`${out}/types`)) {
    const text = readFileSync(file, 'utf8');
    const fixed = text.replace(/(from\s+|import\(\s*)(['"])(\.{1,2}\/[^'"]+)\.ts\2/g, '$1$2$3.js$2');
    if (fixed !== text) writeFileSync(file, fixed);
  }
}
console.error(`packages/llm-memory/lib/ built in ${Math.round(performance.now() - started)} ms`);
