#!/usr/bin/env node
/**
 * Runs a TypeScript script of this repository: `node scripts/run-ts.mjs scripts/accuracy.ts [args...]`.
 * esbuild bundles the script with the project's own sources (and the catalogs' import.meta.glob, see esbuild-glob.mjs)
 * into node_modules/.cache/run-ts/, leaving npm packages external, then Node runs the result with the same arguments.
 */
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { globImports } from './esbuild-glob.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs <script.ts> [args...]');
  process.exit(2);
}
const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = `${root}node_modules/.cache/run-ts`;
mkdirSync(outDir, { recursive: true });
const outfile = `${outDir}/${basename(entry).replace(/\.tsx?$/, '')}.mjs`;
await build({
  absWorkingDir: root,
  entryPoints: [resolve(entry)],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
  plugins: [globImports()],
});
// The script sees its own name and arguments, as if Node had run it directly.
process.argv = [process.argv[0], resolve(entry), ...args];
await import(pathToFileURL(outfile).href);
