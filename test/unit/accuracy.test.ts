/**
 * The engine against every reference figure, with the targets of the sizing issue: weights within 0.5% of
 * llama.cpp's model size, KV within 1%, model + KV + compute within 5%, published GGUF file sizes within 1.5%.
 * The same rows are printed by `npm run accuracy` and shown in the accuracy chapter.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { accuracyRows, relativeError, summarize, type MeasuredFile, type PublishedSizes } from '../../src/components/calculators/accuracy/accuracy.view.ts';

const read = <T>(p: string): T => JSON.parse(readFileSync(new URL(p, import.meta.url), 'utf8')) as T;
const measured = read<MeasuredFile>('../../src/data/reference/llamacpp-measured.json');
const published = read<PublishedSizes>('../../src/data/reference/published-gguf-sizes.json');
const rows = accuracyRows(measured, published);

describe('accuracy against the references', () => {
  test('covers every quantity with real references', () => {
    const counts = Object.fromEntries(summarize(rows).map((s) => [s.quantity, s.rows]));
    // 4 models x their file types; 47 measured loads; 22 bartowski + 26 TheBloke files; logs.
    expect(counts.weights).toBeGreaterThanOrEqual(55);
    expect(counts.kv).toBeGreaterThanOrEqual(50);
    expect(counts.compute).toBe(47);
    expect(counts.total).toBe(47);
    expect(counts.file).toBeGreaterThanOrEqual(50);
  });

  test.each(rows.map((r) => [`${r.quantity}: ${r.reference}`, r] as const))('%s', (_, row) => {
    const err = relativeError(row);
    expect(Number.isFinite(err)).toBe(true);
    expect(Math.abs(err), `predicted ${row.predicted} vs ${row.printed} (${(err * 100).toFixed(3)}%)`).toBeLessThanOrEqual(row.tolerance);
  });
});
