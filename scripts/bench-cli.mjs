#!/usr/bin/env node
/**
 * How fast the command line answers: `npm run bench:cli [-- --runs=N]`.
 *
 * Times three commands as a reader types them, in one run, interleaved so that a busy machine slows all three alike:
 *   baseline  npx --no-install node -e 0        (what npx and Node cost before any code of ours runs)
 *   help      npx llm-memory --help
 *   estimate  npx llm-memory --model llama-3.1-8b --quant Q4_K_M --ctx 32768 --json
 * Prints each median and its ratio to the baseline next to the target (help <= 1.3x, estimate <= 1.6x) and writes
 * bench/cli.json. It measures and reports; it does not fail on a miss (timing is not a test).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runsArg = process.argv.find((a) => a.startsWith('--runs='));
const runs = runsArg ? Math.max(3, Number(runsArg.slice('--runs='.length)) || 15) : 15;

const COMMANDS = {
  baseline: ['npx', ['--no-install', 'node', '-e', '0']],
  help: ['npx', ['llm-memory', '--help']],
  estimate: ['npx', ['llm-memory', '--model', 'llama-3.1-8b', '--quant', 'Q4_K_M', '--ctx', '32768', '--json']],
};
const TARGETS = { help: 1.3, estimate: 1.6 };

function once(name) {
  const [cmd, args] = COMMANDS[name];
  const start = performance.now();
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${name}: ${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.split('\n')[0]}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

// One warm-up round (npm's and the OS's caches), then the measured rounds.
for (const name of Object.keys(COMMANDS)) once(name);
const times = { baseline: [], help: [], estimate: [] };
for (let i = 0; i < runs; i++) for (const name of Object.keys(COMMANDS)) times[name].push(once(name));

const node = spawnSync('npx', ['--no-install', 'node', '--version'], { cwd: root, encoding: 'utf8' }).stdout.trim();
const base = median(times.baseline);
const result = {
  date: new Date().toISOString().slice(0, 10),
  node,
  cores: availableParallelism(),
  runs,
  median_ms: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round(median(v))])),
  ratio: { help: median(times.help) / base, estimate: median(times.estimate) / base },
  target: TARGETS,
};

console.log(`llm-memory start-up, median of ${runs} runs each (Node ${node}, ${result.cores} cores)`);
console.log(`  baseline  npx --no-install node -e 0   ${result.median_ms.baseline} ms`);
for (const name of ['help', 'estimate']) {
  const ratio = result.ratio[name];
  const verdict = ratio <= TARGETS[name] ? 'within target' : 'OVER TARGET';
  console.log(`  ${name.padEnd(9)} ${`${result.median_ms[name]} ms`.padStart(32)}   ${ratio.toFixed(2)}x baseline (target <= ${TARGETS[name]}x: ${verdict})`);
}
mkdirSync(`${root}bench`, { recursive: true });
writeFileSync(`${root}bench/cli.json`, `${JSON.stringify(result, null, 2)}\n`);
console.log('written: bench/cli.json');
