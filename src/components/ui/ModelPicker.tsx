import type { JSX } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ChoiceField } from './ChoiceField';
import { CatalogSource } from './model-picker/CatalogSource';
import type { HubOptions } from './model-picker/HubSource';
import { ENGINE_LOAD_ERROR } from './use-lazy-engine';
import type { PickedModel, PickerMode, SourceReport } from './model-picker/types';
import type { ModelUrlValue } from './model-url-state';
import type { PickerCatalogEntry } from '../calculators/common/picker-catalog';

export type { PickedModel, PickerMode } from './model-picker/types';
export type { HubOptions } from './model-picker/HubSource';

export interface ModelPickerProps {
  /** The catalog, compact (src/components/calculators/common/picker-catalog.ts pickerCatalog(), computed at build time and passed as a prop). */
  catalog: readonly PickerCatalogEntry[];
  /** The model part of the URL when the island loaded (useModelUrlState); the picker starts from it. */
  initial: ModelUrlValue;
  /** Catalog id shown when the URL names no model. */
  defaultModel: string;
  /**
   * Called whenever the usable model changes: `picked` is null while the chosen source has no usable model yet
   * (nothing fetched, invalid config, unreadable file; the picker shows why). `url` is what the island should
   * keep in its query string for this choice (empty for a GGUF file).
   */
  onChange: (picked: PickedModel | null, url: ModelUrlValue) => void;
  /**
   * Hugging Face fetching: tests point it at a local stand-in. Left out, the page's own ?hubBase= is honoured
   * (hubBaseOverride in src/sources/hf-hub.ts: loopback hosts only), so production fetches https://huggingface.co.
   */
  hub?: HubOptions;
  legend?: string;
}

const MODES = [
  { value: 'catalog', label: 'Catalog' },
  { value: 'hf', label: 'Hugging Face id' },
  { value: 'config', label: 'Paste config.json' },
  { value: 'gguf', label: 'GGUF file' },
] as const;

const EMPTY: SourceReport = { picked: null, url: {} };

// Hugging Face id, config.json and GGUF file: fetched on first use, so the catalog default costs no reader code.
type OtherSources = typeof import('./model-picker/other-sources');
const loadOtherSources = () => import('./model-picker/other-sources');

function initialMode(initial: ModelUrlValue): PickerMode {
  if (initial.hf) return 'hf';
  if (initial.config) return 'config';
  return 'catalog';
}

/**
 * "Which model?" from four sources: the catalog, a Hugging Face id, a pasted config.json, or a local GGUF file.
 * Each source keeps its state while another is shown (switching back does not lose a pasted config or a fetch);
 * the active source's model is reported through onChange. The embedding island owns the state and the URL.
 */
export function ModelPicker({ catalog, initial, defaultModel, onChange, hub, legend = 'Your model' }: ModelPickerProps) {
  // The sources other than the catalog mount when their code arrives, after the island may have rewritten its URL
  // state (the active source reports "nothing yet" meanwhile): they start from the URL as it was when the picker mounted.
  const [start] = useState(initial);
  const [mode, setMode] = useState<PickerMode>(() => initialMode(start));
  const [sources, setSources] = useState<OtherSources | null>(null);
  const [loadError, setLoadError] = useState(false);
  const requested = useRef(false);
  const needsSources = mode !== 'catalog';
  useEffect(() => {
    if (!needsSources || requested.current) return;
    requested.current = true;
    loadOtherSources().then(
      (mod) => setSources(mod),
      () => setLoadError(true),
    );
  }, [needsSources]);
  const hubOptions = useMemo<HubOptions>(() => hub ?? (sources ? (sources.hubBaseOverride(window.location.search) ?? {}) : {}), [hub, sources]);
  /** A source's panel: the source once loaded; until then, while it is the one shown, why it is not there yet. */
  const panel = (which: PickerMode, render: (m: OtherSources) => JSX.Element) =>
    sources ? (
      render(sources)
    ) : mode === which ? (
      <p class="calc__placeholder" data-testid="picker-loading">
        {loadError ? ENGINE_LOAD_ERROR : 'Loading…'}
      </p>
    ) : null;
  const [reports, setReports] = useState<Record<PickerMode, SourceReport>>({ catalog: EMPTY, hf: EMPTY, config: EMPTY, gguf: EMPTY });
  // Stable callbacks, one per source, so a source's report effect runs only when its own result changes.
  const onCatalog = useCallback((r: SourceReport) => setReports((all) => ({ ...all, catalog: r })), []);
  const onHub = useCallback((r: SourceReport) => setReports((all) => ({ ...all, hf: r })), []);
  const onConfig = useCallback((r: SourceReport) => setReports((all) => ({ ...all, config: r })), []);
  const onGguf = useCallback((r: SourceReport) => setReports((all) => ({ ...all, gguf: r })), []);

  const active = reports[mode];
  useEffect(() => onChange(active.picked, active.url), [active]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <fieldset class="picker">
      <legend class="picker__legend">{legend}</legend>
      <ChoiceField label="Source" value={mode} choices={MODES} onChange={setMode} />
      <div class="picker__panel" hidden={mode !== 'catalog'}>
        <CatalogSource catalog={catalog} initialId={start.model ?? defaultModel} onReport={onCatalog} />
      </div>
      <div class="picker__panel" hidden={mode !== 'hf'}>
        {panel('hf', (m) => (
          <m.HubSource initialId={start.hf ?? ''} fetchOnMount={Boolean(start.hf)} hub={hubOptions} onReport={onHub} />
        ))}
      </div>
      <div class="picker__panel" hidden={mode !== 'config'}>
        {panel('config', (m) => (
          <m.ConfigSource initialCompact={start.config ?? ''} onReport={onConfig} />
        ))}
      </div>
      <div class="picker__panel" hidden={mode !== 'gguf'}>
        {panel('gguf', (m) => (
          <m.GgufSource onReport={onGguf} />
        ))}
      </div>
    </fieldset>
  );
}
