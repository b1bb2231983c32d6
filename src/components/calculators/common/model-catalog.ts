/**
 * The model catalog as the engines read it: entries of src/data/models.ts whose config the engine can read, each
 * with its ModelShape built once. The islands' <select>s take compact lists instead (compact-catalog.ts).
 */
import { MODELS } from '../../../data/models';
import type { ModelEntry } from '../../../data/schema';
import { modelShapeFromConfig } from '../../../sizing/model/model-shape';
import type { ModelShape } from '../../../sizing/types';

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
