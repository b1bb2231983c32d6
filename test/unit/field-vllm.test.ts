/**
 * The engine against what vLLM printed at start-up in public logs (src/data/reference/field-vllm.json): weights per
 * GPU, KV-cache tokens and the KV memory available. Records were split before any comparison: every third by id is
 * held out, the rest chose the constants (vllm-startup.ts). Held-out rows must meet the targets; the few that
 * do not are named below with the reason and a bound, so a regression past the bound still fails.
 */
import { describe, expect, it } from 'vitest';
import { FIELD_TARGETS, FIELD_VLLM, FIELD_VLLM_KNOWN_GAPS, fieldVllmRows, profileOf, type FieldRow } from '../../src/components/calculators/accuracy/field-vllm.ts';

const rows = fieldVllmRows();
const error = (r: FieldRow) => (r.predicted - r.measured) / r.measured;

const KNOWN_GAPS = FIELD_VLLM_KNOWN_GAPS;

describe('vLLM field records', () => {
  it('are split before comparison: every third record by id held out, the rest fit', () => {
    const ids = FIELD_VLLM.map((r) => r.id).sort();
    ids.forEach((id, i) => expect(FIELD_VLLM.find((r) => r.id === id)!.set, id).toBe(i % 3 === 2 ? 'held-out' : 'fit'));
    expect(FIELD_VLLM.length).toBeGreaterThanOrEqual(40);
    for (const r of FIELD_VLLM) expect(r.url, r.id).toMatch(/^https:\/\//);
  });

  it('give each quantity rows in both sets', () => {
    for (const q of Object.keys(FIELD_TARGETS)) {
      expect(rows.filter((r) => r.quantity === q && r.set === 'fit').length, q).toBeGreaterThan(2);
      expect(rows.filter((r) => r.quantity === q && r.set === 'held-out').length, q).toBeGreaterThan(2);
    }
  });

  it('map each record to the vLLM era it ran (printed version, else engine and date)', () => {
    const byId = (id: string) => FIELD_VLLM.find((r) => r.id === id)!;
    expect(profileOf(byId('vllm-33155-1')).version).toBe('v0.11'); // 0.14.1
    expect(profileOf(byId('web-myoceane-1')).version).toBe('v0.11'); // 0.19.0
    expect(profileOf(byId('dennislee-6')).version).toBe('v0.8'); // 0.10.1.1
    expect(profileOf(byId('vllm-13061-1')).version).toBe('v0'); // V0 engine
  });
});

describe('held-out rows meet the targets: weights 1%, KV tokens 2% (from the printed memory), available KV 5% (from the settings)', () => {
  for (const r of rows.filter((x) => x.set === 'held-out')) {
    const key = `${r.quantity} ${r.id}`;
    const gap = KNOWN_GAPS[key];
    it(`${key}: ${r.reference}, printed ${r.printed}`, () => {
      const e = Math.abs(error(r));
      if (gap) {
        expect(e, gap.why).toBeGreaterThan(r.tolerance); // still a gap: drop the entry once the engine closes it
        expect(e, gap.why).toBeLessThanOrEqual(gap.bound);
      } else {
        expect(e, `predicted ${r.predicted}, printed ${r.measured}`).toBeLessThanOrEqual(r.tolerance);
      }
    });
  }
});

describe('fit rows: the constants they chose still hold for most of them', () => {
  it('at least 80% of the fit rows meet their target (30 of 36 today; misses: two A100 runs at utilization 0.25, gpt-oss-120b on Hopper, the Gemma 4 vision tower, one V0 run at TP 2)', () => {
    const fit = rows.filter((r) => r.set === 'fit');
    const within = fit.filter((r) => Math.abs(error(r)) <= r.tolerance).length;
    expect(within / fit.length).toBeGreaterThanOrEqual(0.8);
  });

  it('KV tokens from the printed available memory are exact up to the print\'s rounding (0.005 GiB) and one block', () => {
    for (const r of rows.filter((x) => x.quantity === 'vllm-kv-tokens')) {
      const available = FIELD_VLLM.find((f) => f.id === r.id)!.values.available_kv_gib!;
      const rounding = r.measured * (0.005 / available);
      expect(Math.abs(r.predicted - r.measured), `${r.id}: ${r.reference}`).toBeLessThanOrEqual(rounding + 16);
    }
  });
});
