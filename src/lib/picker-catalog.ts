/**
 * The model catalog as ModelPicker takes it: a compact list computed at build time (in the MDX page) and passed as
 * a prop, so an island that embeds the picker does not bundle src/data/models.ts with its sources and notes.
 * Each config is reduced to the keys sizing reads (compactConfig); entries the engine cannot read are left out.
 */
import { MODELS } from '../data/models';
import { modelShapeFromConfig } from '../sizing/model-shape';
import type { HfConfig } from '../sizing/types';
import { compactConfig } from './config-input';

export interface PickerCatalogEntry {
  id: string;
  name: string;
  family: string;
  /** Trained context length in tokens. */
  contextLength: number;
  config: HfConfig;
}

export function pickerCatalog(): PickerCatalogEntry[] {
  const list: PickerCatalogEntry[] = [];
  for (const entry of MODELS) {
    try {
      modelShapeFromConfig(entry.config);
    } catch {
      continue; // an architecture the engine does not read yet: left out rather than shown broken
    }
    list.push({ id: entry.id, name: entry.name, family: entry.family, contextLength: entry.contextLength, config: compactConfig(entry.config) });
  }
  return list;
}
