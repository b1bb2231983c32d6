/**
 * The model catalog as ModelPicker takes it: a compact list computed at build time (in the MDX page) and passed as
 * a prop, so an island that embeds the picker does not bundle src/data/models.ts with its sources and notes.
 * Each config is reduced to the keys sizing reads (compactConfig); entries the engine cannot read are left out.
 */
import { MODELS } from '../../../data/models';
import { findModel } from './model-catalog';
import type { HfConfig } from '../../../sizing/types';
import { compactConfig } from '../../../sources/config-input';

export interface PickerCatalogEntry {
  id: string;
  name: string;
  family: string;
  /** Trained context length in tokens. */
  contextLength: number;
  config: HfConfig;
}

/** Catalog models the engine reads (model-catalog.ts findModel), in catalog order. */
export function pickerCatalog(): PickerCatalogEntry[] {
  return MODELS.filter((m) => findModel(m.id) !== undefined).map(({ id, name, family, contextLength, config }) => ({ id, name, family, contextLength, config: compactConfig(config) }));
}
