/**
 * "Your own model" for the fit calculator: ModelPicker (catalog, Hugging Face id, pasted config.json, GGUF file)
 * embedded in FitCalculator. Loaded with import() only when the reader asks for it (or the link holds hf= or
 * config=), because the picker bundles the config and GGUF readers and the catalog.
 *
 * URL: the picker's own keys (hf, config) through useModelUrlState; a catalog choice goes back to the calculator's
 * `model` key.
 */
import { useMemo, useState } from 'preact/hooks';
import { ModelPicker, type HubOptions, type PickedModel } from '../../ui/ModelPicker';
import { useModelUrlState, type ModelUrlValue } from '../../ui/model-url-state';
import { hubBaseOverride } from '../../../sources/hf-hub';
import { pickerCatalog } from '../common/picker-catalog';
import { FIT_DEFAULTS } from './fit-state';
import type { OwnModel } from './fit.view';

export interface OwnModelPickerProps {
  /** The calculator's catalog model, where the picker's catalog source starts. */
  catalogId: string;
  /** A catalog model was chosen: the calculator takes it back as its `model`. */
  onCatalog: (id: string) => void;
  /** A model from another source, or null while that source has no usable model yet. */
  onOwn: (model: OwnModel | null) => void;
}

export function OwnModelPicker({ catalogId, onCatalog, onOwn }: OwnModelPickerProps) {
  const catalog = useMemo(() => pickerCatalog(), []);
  const [modelUrl, setModelUrl, urlLoaded] = useModelUrlState();
  const [hub] = useState<HubOptions>(() => hubBaseOverride(window.location.search) ?? {});

  const onChange = (p: PickedModel | null, url: ModelUrlValue) => {
    if (!urlLoaded) return;
    if (p?.mode === 'catalog' && url.model) {
      onCatalog(url.model);
      // Keep `model` in the link exactly as the calculator's own URL state does (absent when it is the default).
      setModelUrl(url.model === FIT_DEFAULTS.model ? {} : { model: url.model });
      return;
    }
    onOwn(p ? { label: p.label, source: p.source, ...(url.hf ? { hfId: url.hf } : {}), ...(p.contextLength ? { contextLength: p.contextLength } : {}) } : null);
    setModelUrl({ ...(url.hf ? { hf: url.hf } : {}), ...(url.config ? { config: url.config } : {}) });
  };

  if (!urlLoaded) return <p class="calc__placeholder">Loading the model picker…</p>;
  return <ModelPicker catalog={catalog} initial={{ ...modelUrl, model: catalogId }} defaultModel={catalogId} onChange={onChange} hub={hub} legend="Model" />;
}
