/**
 * Model catalog: config.json fields (original key names) of current open models, one JSON file per model in
 * src/data/models/ (add a model by adding a file), each with the source it was read from (configSource,
 * params.source, notes, unverified). Entries whose notes say 'reconstructed' carry values verified in the reference
 * table src/data/reference/models.json under config key names; all others are verbatim (subsets of) config.json
 * copies. Every file is checked against the schema when the catalog loads.
 */
import { loadCatalog } from './load-catalog.ts';
import { validateModelEntry, type ModelEntry } from './schema.ts';

const FILES = import.meta.glob<unknown>('./models/*.json', { eager: true, import: 'default' });

/** Families in the order lists show them; a family not named here follows, alphabetically. */
const FAMILY_ORDER = ['Llama', 'Mistral', 'Qwen', 'Gemma', 'Phi', 'DeepSeek', 'Kimi', 'GLM', 'gpt-oss', 'SmolLM'];

function familyRank(family: string): number {
  const i = FAMILY_ORDER.indexOf(family);
  return i === -1 ? FAMILY_ORDER.length : i;
}

/** List order: family, then newest release first, then smallest first. */
function listOrder(a: ModelEntry, b: ModelEntry): number {
  return (
    familyRank(a.family) - familyRank(b.family) ||
    a.family.localeCompare(b.family) ||
    (b.releaseDate ?? '').localeCompare(a.releaseDate ?? '') ||
    a.params.total - b.params.total ||
    a.id.localeCompare(b.id)
  );
}

export const MODELS: ModelEntry[] = loadCatalog<ModelEntry>(FILES, validateModelEntry, 'model').sort(listOrder);
