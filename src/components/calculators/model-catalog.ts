/**
 * The model catalog as the calculators offer it: entries of src/data/models.ts whose config the engine can read,
 * grouped by family for a <select>, each with its ModelShape built once.
 */
import { MODELS } from '../../data/models';
import type { ModelEntry } from '../../data/schema';
import { modelShapeFromConfig } from '../../sizing/model-shape';
import type { ModelShape } from '../../sizing/types';
import type { SelectGroup } from '../ui/SelectField';

export interface CatalogModel {
  entry: ModelEntry;
  shape: ModelShape;
}

let built: Map<string, CatalogModel> | undefined;

function catalog(): Map<string, CatalogModel> {
  if (!built) {
    built = new Map();
    for (const entry of MODELS) {
      try {
        built.set(entry.id, { entry, shape: modelShapeFromConfig(entry.config) });
      } catch {
        // An architecture the engine does not read yet: left out of the list rather than shown broken.
      }
    }
  }
  return built;
}

/** A catalog model by id, or undefined when the id is unknown or its architecture is not supported. */
export function findModel(id: string): CatalogModel | undefined {
  return catalog().get(id.trim());
}

/** Options for a model <select>: one group per family, in catalog order. */
export function modelOptions(): SelectGroup[] {
  const groups = new Map<string, { value: string; label: string }[]>();
  for (const { entry } of catalog().values()) {
    const list = groups.get(entry.family) ?? [];
    list.push({ value: entry.id, label: entry.name });
    groups.set(entry.family, list);
  }
  return [...groups].map(([label, options]) => ({ label, options }));
}

/** The message shown beside a model field whose value is not in the catalog. */
export function modelError(id: string): string | null {
  return findModel(id) ? null : `Model: “${id.slice(0, 40)}” is not in the catalog; choose one from the list.`;
}
