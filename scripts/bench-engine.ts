/**
 * npm run bench:engine: how long the engine takes to answer (or refuse) any input, against the 100 ms bound of the
 * issue "Any model a reader names" (a pasted config or a link must never freeze the page). Times estimate() for every
 * fixture and catalog config under each runtime, then the worst inputs the config reader accepts (every dimension at
 * its ceiling in config-reader.ts KEY_LIMITS, the longest context), then oversized inputs (16M layers, huge lists:
 * refused, or ignored where the family does not read the key), and a fit plan on the largest. Each figure is the
 * median of three runs. Prints the slowest of each group and writes bench/engine.json.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { estimate, MAX_CTX, type EstimateOptions } from '../src/sizing/memory/estimate.ts';
import { planFit } from '../src/sizing/plan/fit.ts';
import { SizingError } from '../src/sizing/errors.ts';
import { MODELS } from '../src/data/models.ts';
import { DEVICES } from '../src/data/devices.ts';
import type { HfConfig } from '../src/sizing/types.ts';

const BOUND_MS = 100;
const FIXTURES = 'test/fixtures/configs';

/** The median of three runs (the first carries the JIT's compile time, which a page pays once). */
function timeIt(f: () => unknown): { ms: number; outcome: string } {
  const times: number[] = [];
  let outcome = 'answered';
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    try {
      f();
    } catch (e) {
      if (!(e instanceof SizingError)) throw e;
      outcome = `refused (${e.field ?? 'input'})`;
    }
    times.push(performance.now() - start);
  }
  return { ms: times.sort((a, b) => a - b)[1]!, outcome };
}

const configs: [string, HfConfig][] = [
  ...readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).map((f) => [`fixture ${f.slice(0, -5)}`, JSON.parse(readFileSync(`${FIXTURES}/${f}`, 'utf8')) as HfConfig] as [string, HfConfig]),
  ...MODELS.map((m) => [`catalog ${m.id}`, m.config as HfConfig] as [string, HfConfig]),
];
const runs: EstimateOptions[] = [
  { runtime: 'llama.cpp', quant: 'Q4_K_M', ctx: 32768 },
  { runtime: 'llama.cpp', quant: 'IQ2_XXS', ctx: MAX_CTX, imatrix: true },
  { runtime: 'vllm', quant: 'bf16', ctx: 32768 },
  { runtime: 'transformers', quant: 'bf16', ctx: 4096 },
];

interface Row {
  group: string;
  input: string;
  ms: number;
  outcome: string;
}
const rows: Row[] = [];

// Warm up the JIT once so the first model does not carry module start-up.
timeIt(() => estimate({ kind: 'config', config: configs[0]![1] }, runs[0]!));

for (const [name, config] of configs) {
  for (const opts of runs) rows.push({ group: 'real configs', input: `${name} ${opts.runtime} ${opts.quant} ${opts.ctx}`, ...timeIt(() => estimate({ kind: 'config', config }, opts)) });
}

const base = JSON.parse(readFileSync(`${FIXTURES}/qwen3-30b-a3b.json`, 'utf8')) as HfConfig;
const widest: HfConfig = { ...base, num_hidden_layers: 1024, hidden_size: 16384, num_attention_heads: 128, num_key_value_heads: 8, head_dim: 128, num_experts: 16384, num_experts_per_tok: 64, moe_intermediate_size: 65536, vocab_size: 1 << 22, max_position_embeddings: 131072 };
const worst: [string, HfConfig][] = [
  ['1024 layers, 16384 experts of 65536, vocabulary 4M', widest],
  ['1024 layers with a 1024-entry layer_types list', { ...base, num_hidden_layers: 1024, layer_types: Array.from({ length: 1024 }, (_, i) => (i % 4 === 3 ? 'full_attention' : 'sliding_attention')), sliding_window: 4096 }],
  ['hidden 131072 at the ceiling', { ...base, hidden_size: 131072, num_attention_heads: 1024, head_dim: 128 }],
];
for (const [name, config] of worst) for (const opts of runs) rows.push({ group: 'worst accepted', input: `${name}, ${opts.runtime} ${opts.quant} ${opts.ctx}`, ...timeIt(() => estimate({ kind: 'config', config }, opts)) });

const refused: [string, HfConfig][] = [
  ['16M layers', { ...base, num_hidden_layers: 16_000_000 }],
  ['a 10M-entry layer_types list', { ...base, layer_types: Array.from({ length: 10_000_000 }, () => 'full_attention') }],
  ['hidden 2^40', { ...base, hidden_size: 2 ** 40 }],
  ['experts 1e9', { ...base, num_experts: 1e9 }],
];
for (const [name, config] of refused) rows.push({ group: 'oversized', input: name, ...timeIt(() => estimate({ kind: 'config', config }, runs[0]!)) });

const h100 = DEVICES.find((d) => d.id === 'h100-sxm')!;
for (const runtime of ['llama.cpp', 'vllm'] as const) {
  rows.push({
    group: 'fit plan',
    input: `worst accepted on 8 x H100, ${runtime}`,
    ...timeIt(() => planFit({ model: { kind: 'config', config: widest }, quant: runtime === 'vllm' ? 'bf16' : 'Q4_K_M', ctx: 32768, runtime, devices: Array(8).fill(h100) })),
  });
}

console.log(`Engine response time (bound ${BOUND_MS} ms per input), Node ${process.version}\n`);
const groups = [...new Set(rows.map((r) => r.group))];
let over = 0;
for (const g of groups) {
  const of = rows.filter((r) => r.group === g).sort((a, b) => b.ms - a.ms);
  const slowest = of[0]!;
  const p50 = of[Math.floor(of.length / 2)]!.ms;
  over += of.filter((r) => r.ms > BOUND_MS).length;
  console.log(`${g.padEnd(16)} ${String(of.length).padStart(4)} inputs   median ${p50.toFixed(1).padStart(6)} ms   slowest ${slowest.ms.toFixed(1).padStart(6)} ms (${slowest.input}: ${slowest.outcome})`);
}
console.log(`\n${over} of ${rows.length} inputs over ${BOUND_MS} ms.`);
mkdirSync('bench', { recursive: true });
writeFileSync('bench/engine.json', `${JSON.stringify({ measured: new Date().toISOString().slice(0, 10), node: process.version, boundMs: BOUND_MS, over, rows: rows.map((r) => ({ ...r, ms: Math.round(r.ms * 10) / 10 })) }, null, 1)}\n`);
