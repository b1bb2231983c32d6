/**
 * Field truth on GPUs: every usable record of src/data/reference/field-llamacpp-cuda.json (public llama.cpp CUDA
 * start-up logs) predicted by the engine, buffer by buffer and device by device (the mechanisms are described in
 * src/components/calculators/accuracy/field-llamacpp-cuda.ts).
 *
 * Targets (the issue "Field truth on GPUs"), asserted on the held-out set: model buffer within 0.5%, KV within 1%,
 * compute within 5% per device. The fit set is printed beside it. Quantities whose inputs the log does not give are
 * listed with the reason the record gives and never asserted.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  catalogConfig,
  CUDA_TOLERANCE as TOLERANCE,
  cudaRowsOf,
  FIELD_LLAMACPP_CUDA_DOC as doc,
  FIELD_LLAMACPP_CUDA_USABLE as usable,
  relErr,
  type CudaFieldRow as Row,
  type CudaQuantity as Quantity,
  type ConfigResolver,
} from '../../src/components/calculators/accuracy/field-llamacpp-cuda.ts';
import { loadConfig } from '../fixtures/configs.ts';

/** The catalog, and the test fixtures for records whose model is not in it ("fixture:<slug>"). */
const resolve: ConfigResolver = (id) => (id.startsWith('fixture:') ? loadConfig(id.slice('fixture:'.length)) : catalogConfig(id));
const rowsOf = (r: (typeof usable)[number]): Row[] => cudaRowsOf(r, resolve);
// ---------------------------------------------------------------------------------------------------------------

describe('field truth on GPUs: llama.cpp CUDA logs (field-llamacpp-cuda.json)', () => {
  const table: Row[] = [];
  afterAll(() => {
    const pct = (x: number): string => (Number.isNaN(x) ? '-' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}%`);
    const lines = ['set | record | quantity | buffer | printed MiB | predicted MiB | error | note'];
    for (const set of ['fit', 'held-out'] as const) {
      for (const row of table.filter((x) => x.set === set)) {
        lines.push(`${set} | ${row.record} | ${row.quantity} | ${row.buffer} | ${row.printed.toFixed(2)} | ${row.predicted === null ? '-' : row.predicted.toFixed(2)} | ${pct(relErr(row))} | ${row.excluded ?? ''}`);
      }
    }
    lines.push('', 'summary: set | quantity | rows predicted | worst error | rows not predicted');
    for (const set of ['fit', 'held-out'] as const) {
      for (const q of Object.keys(TOLERANCE) as Quantity[]) {
        const all = table.filter((x) => x.set === set && x.quantity === q);
        const scored = all.filter((x) => x.excluded === null && x.predicted !== null);
        const worst = scored.reduce((w, x) => (Math.abs(relErr(x)) > Math.abs(w) ? relErr(x) : w), 0);
        lines.push(`${set} | ${q} | ${scored.length} | ${pct(worst)} | ${all.length - scored.length}`);
      }
    }
    console.log(lines.join('\n'));
  });

  it('has the usable records split into fit and held-out, at least a third held out', () => {
    const held = usable.filter((r) => r.set === 'held-out');
    expect(usable.length).toBeGreaterThanOrEqual(15);
    expect(held.length * 3).toBeGreaterThanOrEqual(usable.length);
    expect(doc.records.filter((r) => r.engine_model === null).every((r) => r.set === null)).toBe(true);
  });

  for (const r of usable) {
    it(`${r.set}: ${r.id}`, () => {
      const rows = rowsOf(r);
      table.push(...rows);
      expect(rows.length).toBeGreaterThan(0);
      if (r.set !== 'held-out') return;
      for (const row of rows) {
        if (row.excluded !== null || row.predicted === null) continue;
        const err = relErr(row);
        expect(Math.abs(err), `${row.quantity} ${row.buffer}: predicted ${row.predicted.toFixed(2)} vs printed ${row.printed} MiB`).toBeLessThanOrEqual(TOLERANCE[row.quantity]);
      }
    });
  }
});
