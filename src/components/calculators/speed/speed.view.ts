/**
 * What the speed calculator shows, computed by the engine (decodeSpeed) for one set of inputs: the tokens/s upper
 * bound, the bytes read per token, the measured efficiency range and a curve against context. Loaded by
 * SpeedCalculator with a dynamic import on the first change, and called at build time for the default inputs.
 */
import { findModel } from '../common/model-catalog';
import { DEVICES } from '../../../data/devices';
import type { PlanDevice } from '../../../sizing/plan/devices';
import { SizingError } from '../../../sizing/errors';
import { decodeSpeed } from '../../../sizing/plan/speed';
import { TiB } from '../../../sizing/units';
import type { SpeedQuery } from '../common/deferred-keys';

export type { SpeedQuery };

export interface SpeedDeviceRead {
  name: string;
  weightsBytes: number;
  kvBytes: number;
  bandwidthGBps: number;
}

export type SpeedView =
  | {
      ok: true;
      modelName: string;
      deviceName: string;
      contextLength: number;
      filled: number;
      tokensPerSecond: number;
      bytesPerToken: { weights: number; kv: number; total: number };
      weightsInMemory: number;
      perDevice: SpeedDeviceRead[];
      efficiency: { low: number; high: number; source: string };
      expected: { low: number; high: number };
      offloaded: boolean;
      reason: string;
      /** [tokens in the cache, tokens/s upper bound], for the points where the plan fits. */
      curve: [number, number][];
    }
  | { ok: false; field: string | null; message: string };

/** A custom device is taken to hold the whole model: only its bandwidth matters. */
function deviceOf(q: SpeedQuery): PlanDevice | null {
  if (q.device === 'custom') return q.bandwidthGBps === null ? null : { name: `Custom (${q.bandwidthGBps} GB/s)`, kind: 'gpu', memoryBytes: TiB, bandwidthGBps: q.bandwidthGBps };
  return DEVICES.find((d) => d.id === q.device) ?? null;
}

/** Cache fill levels for the chart: 0 and 16 steps up to the larger of the trained context and the chosen fill. */
function curveContexts(max: number): number[] {
  const step = Math.max(1, Math.round(max / 16));
  const xs = Array.from({ length: 17 }, (_, i) => Math.min(max, i * step));
  return [...new Set([...xs, max])];
}

export function speedView(q: SpeedQuery): SpeedView {
  const m = findModel(q.model);
  if (!m) return { ok: false, field: 'model', message: `Model: “${q.model.slice(0, 40)}” is not in the catalog.` };
  const device = deviceOf(q);
  if (!device) return { ok: false, field: 'device', message: `Device: “${q.device.slice(0, 40)}” is not in the catalog.` };
  const ram = q.ram === 'none' ? undefined : DEVICES.find((d) => d.id === q.ram && d.kind === 'cpu');
  if (q.ram !== 'none' && !ram) return { ok: false, field: 'ram', message: `System RAM: “${q.ram.slice(0, 40)}” is not in the list.` };
  const devices = device.kind === 'cpu' || !ram ? [device] : [device, ram];
  const run = (filled: number) =>
    decodeSpeed({ model: { kind: 'config', config: m.entry.config }, modelLabel: m.entry.id, quant: q.quant, ctx: Math.max(1, filled), filled, devices });
  try {
    const s = run(q.filled);
    if (s.plan.verdict === 'does-not-fit') {
      return { ok: false, field: null, message: `${m.entry.name} at ${q.quant} with ${q.filled.toLocaleString('en-US')} tokens does not fit on ${device.name}${ram && devices.length > 1 ? ` with ${ram.name}` : ''}. ${s.plan.reason}` };
    }
    const curve: [number, number][] = [];
    for (const x of curveContexts(Math.max(m.entry.contextLength, q.filled))) {
      const p = run(x);
      if (p.plan.verdict !== 'does-not-fit') curve.push([x, p.tokensPerSecondUpperBound]);
    }
    return {
      ok: true,
      modelName: m.entry.name,
      deviceName: device.name,
      contextLength: m.entry.contextLength,
      filled: q.filled,
      tokensPerSecond: s.tokensPerSecondUpperBound,
      bytesPerToken: s.bytesPerToken,
      weightsInMemory: s.plan.estimate.weightsBytes,
      perDevice: s.perDevice.map(({ name, weightsBytes, kvBytes, bandwidthGBps }) => ({ name, weightsBytes, kvBytes, bandwidthGBps })),
      efficiency: s.efficiencyRange,
      expected: s.expectedTokensPerSecond,
      offloaded: s.plan.verdict === 'fits-with-offload',
      reason: s.plan.reason,
      curve,
    };
  } catch (e) {
    if (e instanceof SizingError) return { ok: false, field: e.field ?? null, message: e.message };
    throw e;
  }
}

/** The result for the calculator's default inputs, with those inputs: computed at build time and passed as a prop. */
export function speedInitial(q: SpeedQuery): { input: SpeedQuery; result: SpeedView } {
  return { input: q, result: speedView(q) };
}
