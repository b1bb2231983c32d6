/** Catalog models and devices as planner inputs, shared by the planning tests. */
import { MODELS } from '../../src/data/models.ts';
import { DEVICES } from '../../src/data/devices.ts';
import type { PlanDevice } from '../../src/sizing/plan/devices.ts';
import type { ModelSource } from '../../src/sizing/memory/estimate.ts';

export function catalogModel(id: string): { model: ModelSource; modelLabel: string; hfId: string } {
  const e = MODELS.find((m) => m.id === id);
  if (!e) throw new Error(`no catalog model ${id}`);
  return { model: { kind: 'config', config: e.config }, modelLabel: e.id, hfId: e.hfId };
}

export function device(id: string): PlanDevice {
  const d = DEVICES.find((x) => x.id === id);
  if (!d) throw new Error(`no catalog device ${id}`);
  return d;
}
