/**
 * npm run accuracy: predicted vs measured for every reference (llama.cpp measurements, published GGUF sizes,
 * llama.cpp-reported sizes, KV buffer logs), then the worst error per quantity against its target.
 * Exit code 1 when a row misses its target, so it can gate a release.
 */
import measuredJson from '../src/data/reference/llamacpp-measured.json';
import publishedJson from '../src/data/reference/published-gguf-sizes.json';
import { accuracyRows, relativeError, summarize, withinTolerance, type MeasuredFile, type PublishedSizes } from '../src/components/calculators/accuracy/accuracy.view.ts';
import { formatBytes } from '../src/sizing/units.ts';
import { fieldComparisons, summarizeField } from '../src/components/calculators/accuracy/field-summary.ts';

const measured = measuredJson as unknown as MeasuredFile;
const published = publishedJson as unknown as PublishedSizes;

const rows = accuracyRows(measured, published);
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(3)}%`;

let group = '';
for (const r of rows) {
  if (r.quantity !== group) {
    group = r.quantity;
    console.log(`\n${group.toUpperCase()}`);
    console.log(`  ${'reference'.padEnd(70)} ${'predicted'.padStart(14)} ${'measured'.padStart(14)} ${'printed as'.padStart(26)} ${'error'.padStart(9)}`);
  }
  const flag = withinTolerance(r) ? ' ' : '!';
  console.log(
    `${flag} ${r.reference.slice(0, 70).padEnd(70)} ${formatBytes(r.predicted, 'MiB').padStart(14)} ${formatBytes(r.measured, 'MiB').padStart(14)} ${r.printed.padStart(26)} ${pct(relativeError(r)).padStart(9)}`,
  );
}

console.log('\nWORST ERROR PER QUANTITY (target = largest relative error allowed)');
let failing = 0;
for (const s of summarize(rows)) {
  failing += s.failing;
  const worst = s.worst ? `${pct(s.worstError)} (${s.worst.reference})` : 'no rows';
  console.log(`  ${s.quantity.padEnd(8)} ${String(s.rows).padStart(4)} rows   target ±${(s.target * 100).toFixed(1)}%   worst ${worst}${s.failing ? `   ${s.failing} over target` : ''}`);
}
console.log(`\n${rows.length} comparisons, ${failing} over target. MiB = 2^20 bytes.`);

// What the runtimes printed in public logs (GPUs, vLLM, Ollama): fit rows chose the mechanisms, held-out rows check them.
const field = fieldComparisons();
console.log('\nFIELD: THE RUNTIMES\' OWN LOG LINES (public logs; held-out = chosen before any comparison)');
console.log(`  ${'runtime'.padEnd(18)} ${'quantity'.padEnd(46)} ${'set'.padEnd(9)} ${'within / rows'.padStart(13)}   worst`);
for (const s of summarizeField(field)) {
  const w = s.worst;
  const worst = !w ? '-' : w.unit === 'layers' ? `${w.error >= 0 ? '+' : ''}${w.error} layers` : pct(w.error);
  console.log(`  ${s.runtime.padEnd(18)} ${s.quantity.slice(0, 46).padEnd(46)} ${s.set.padEnd(9)} ${`${s.within} / ${s.rows}`.padStart(13)}   ${worst}${w ? ` (${w.id}, target ${w.unit === 'layers' ? `+-${w.target}` : `${(w.target * 100).toFixed(1)}%`})` : ''}`);
}
const held = field.filter((r) => r.set === 'held-out');
console.log(`\n${field.length} field comparisons; held out ${held.length}, of which ${held.filter((r) => Math.abs(r.error) <= r.target + 1e-12).length} within target (the misses are named with their cause in test/unit/field-*.test.ts).`);
process.exit(failing > 0 ? 1 : 0);
