#!/usr/bin/env node
// The llm-memory command line: compiled JavaScript in lib/, built from src/ by `npm install` (scripts/build-lib.mjs).
import { existsSync } from 'node:fs';

const cli = new URL('../lib/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('llm-memory: lib/cli.js is missing; run `npm install` (or `node scripts/build-lib.mjs`) in the repository first');
  process.exit(2);
}
const { run } = await import(cli.href);
process.exitCode = await run(process.argv.slice(2), { out: (s) => console.log(s), err: (s) => console.error(s) });
