/**
 * The model and device lists as a deferred-engine island takes them: small {id, name, family} records computed at
 * build time (src/components/calculators/common/compact-lists.ts) and passed as props, so the page does not load src/data with its configs,
 * sources and notes before the reader changes an input.
 */
import type { SelectGroup } from './select-options';

export interface CompactModel {
  id: string;
  name: string;
  family: string;
}

export interface CompactDevice {
  id: string;
  name: string;
  /** Option group: "GPUs", "Apple Silicon", "System RAM (CPU only)". */
  group: string;
}

/** Options for a <select>, one group per family (or device group), in list order. */
export function groupedOptions<T extends { id: string; name: string }>(list: readonly T[], groupOf: (item: T) => string): SelectGroup[] {
  const groups = new Map<string, { value: string; label: string }[]>();
  for (const item of list) {
    const g = groupOf(item);
    const options = groups.get(g) ?? [];
    options.push({ value: item.id, label: item.name });
    groups.set(g, options);
  }
  return [...groups].map(([label, options]) => ({ label, options }));
}

/** Options for a model <select>: one group per family, in list order. */
export const modelGroups = (models: readonly CompactModel[]): SelectGroup[] => groupedOptions(models, (m) => m.family);

/** The message beside a model field whose value is not in the list, or null. */
export function compactModelError(id: string, models: readonly CompactModel[]): string | null {
  return models.some((m) => m.id === id.trim()) ? null : `Model: “${id.slice(0, 40)}” is not in the catalog; choose one from the list.`;
}
