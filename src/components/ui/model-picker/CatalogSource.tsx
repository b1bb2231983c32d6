import { useEffect, useState } from 'preact/hooks';
import { SelectField } from '../SelectField';
import { modelGroups } from '../../calculators/common/compact-catalog';
import type { PickerCatalogEntry } from '../../calculators/common/picker-catalog';
import type { SourceReport } from './types';

interface Props {
  catalog: readonly PickerCatalogEntry[];
  initialId: string;
  onReport: (r: SourceReport) => void;
}

/** A <select> of the catalog, grouped by family. */
export function CatalogSource({ catalog, initialId, onReport }: Props) {
  const [id, setId] = useState(initialId);
  const entry = catalog.find((m) => m.id === id);
  useEffect(() => {
    onReport(
      entry
        ? { picked: { mode: 'catalog', label: entry.name, source: { kind: 'config', config: entry.config }, contextLength: entry.contextLength }, url: { model: entry.id } }
        : { picked: null, url: {} },
    );
    // onReport is the picker's stable setter; the report depends on the entry only
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [entry]);
  return (
    <SelectField
      label="Model"
      name="model"
      value={id}
      options={modelGroups(catalog)}
      onChange={setId}
      error={entry ? null : `Model: “${id.slice(0, 40)}” is not in the catalog; choose one from the list.`}
    />
  );
}
