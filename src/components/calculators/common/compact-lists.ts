/**
 * Build-time only: the compact model and device lists that deferred-engine islands receive as props
 * (src/components/calculators/common/compact-catalog.ts). Importing this in an island would bundle the catalogs.
 */
import { MODELS } from '../../../data/models';
import { DEVICES } from '../../../data/devices';
import { findModel } from './model-catalog';
import type { CompactDevice, CompactModel } from './compact-catalog';

/** Catalog models the engine reads, in catalog order. */
export function compactModels(): CompactModel[] {
  return MODELS.filter((m) => findModel(m.id) !== undefined).map(({ id, name, family }) => ({ id, name, family }));
}

const GROUP = { gpu: 'GPUs', apple: 'Apple Silicon', cpu: 'System RAM (CPU only)' } as const;

/** Catalog devices with a bandwidth, grouped by kind. */
export function compactDevices(): CompactDevice[] {
  return DEVICES.filter((d) => d.bandwidthGBps !== undefined).map((d) => ({ id: d.id, name: d.name, group: GROUP[d.kind] }));
}

/** The system RAM configurations (kind 'cpu'), for an offload field. */
export function compactRam(): CompactDevice[] {
  return compactDevices().filter((d) => d.group === GROUP.cpu);
}
