#!/usr/bin/env node
// Runs the TypeScript CLI (src/cli/main.ts) through tsx, so the engine needs no separate build step.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/cli/main.ts');
const code = await run(process.argv.slice(2), { out: (s) => console.log(s), err: (s) => console.error(s) });
process.exit(code);
