/**
 * The catalogs as the package exports them (`import { findModel } from 'llm-memory-guide/catalog'`): models with
 * their config.json values and devices with their memory and bandwidth, each figure with its source.
 */
import { MODELS } from './models.ts';
import { DEVICES } from './devices.ts';
import type { DeviceEntry, ModelEntry } from './schema.ts';

export { MODELS, DEVICES };
export type { DeviceEntry, ModelEntry, ModelParams, Source } from './schema.ts';

/** The catalog model with this id ('llama-3.1-8b'), or undefined. */
export function findModel(id: string): ModelEntry | undefined {
  const key = id.trim().toLowerCase();
  return MODELS.find((m) => m.id === key);
}

/** The catalog device with this id ('rtx-4090', 'm4-max-128'), or undefined. */
export function findDevice(id: string): DeviceEntry | undefined {
  const key = id.trim().toLowerCase();
  return DEVICES.find((d) => d.id === key);
}
