/**
 * Will it fit? The main calculator: a model, a quantization, a context and a number of users on one or more GPUs,
 * a Mac or the CPU, placed the way the chosen runtime places it (src/sizing planFit), with the largest context,
 * the GPUs needed, the layers to offload, a decode-speed bound and the command to paste.
 *
 * Page weight: this island bundles no engine and no catalog. The page computes the default result at build time
 * (fitView(FIT_DEFAULTS)) and passes it with compact option lists; the engine is imported on the first change.
 *
 * "Your own model" (Hugging Face id, pasted config.json, GGUF file): ModelPicker, loaded with import() when asked
 * for (fit/OwnModelPicker.tsx), reports a ModelSource that fitView takes instead of the catalog id.
 *
 * The hardware starts from the reader's saved hardware (ui/saved-hardware.ts) unless the URL names some; the
 * Hardware group saves it or forgets it. `compact` (the home page): model, quantization, context and hardware, the
 * verdict and the memory bars, and a link to the full calculator with the same query string.
 */
import { useEffect, useState } from 'preact/hooks';
import { useUrlState } from '../../ui/url-state';
import { ChoiceField } from '../../ui/ChoiceField';
import { NumberField } from '../../ui/NumberField';
import { SelectField } from '../../ui/SelectField';
import { HardwareFields } from './HardwareFields';
import { FitCommand, FitFacts, FitNotes, MemoryBars, VERDICT_WORDS } from './FitResult';
import { useLazyView } from './use-fit-view';
import { FIT_DEFAULTS, KV_CHOICES, RUNTIME_CHOICES, type FitKey, type FitOptionLists, type FitRuntime, type FitState } from './fit-state';
import type { FitView, OwnModel } from './fit.view';
import type { OwnModelPickerProps } from './OwnModelPicker';
import { ModelSelect, TokensField } from '../../ui/common-fields';
import { HARDWARE_KEYS, fitFieldsFromSaved, savedFromFields, startFromSaved, type HardwareValues, type SavedHardware } from '../../ui/saved-hardware';
import { RememberHardware } from '../../ui/SavedHardware';

interface Props {
  options: FitOptionLists;
  /** fitView(FIT_DEFAULTS), computed at build time by the page. */
  initial: FitView;
  /** The home page's short form: no users, KV type, runtime, margin or own model; verdict and bars only. */
  compact?: boolean;
  /** compact: where the full calculator is. */
  fullHref?: string;
}

const DEFAULTS: FitState = { ...FIT_DEFAULTS };

/** own: null = the catalog model; { model: null } = the picker's source has no usable model yet. */
type Own = { model: OwnModel | null };
const computeFit = (engine: typeof import('./fit.view'), s: FitState, own: Own | null) => engine.fitView(s, own?.model ? { model: own.model } : {});
const isGpuRuntime = (r: string) => r === 'vllm' || r === 'transformers';

/** The query string of the inputs that differ from the defaults, as the URL holds them (for the link to the full calculator). */
const queryOf = (s: FitState) => {
  const q = new URLSearchParams();
  for (const k of Object.keys(DEFAULTS) as FitKey[]) if (s[k] !== DEFAULTS[k]) q.set(k, s[k]);
  const text = q.toString();
  return text ? `?${text}` : '';
};

export default function FitCalculator({ options, initial, compact = false, fullHref = '/guide/will-it-fit/' }: Props) {
  const [applied, setApplied] = useState<SavedHardware | null>(null);
  const [state, set] = useUrlState<FitKey>(DEFAULTS, '', startFromSaved<FitKey>(HARDWARE_KEYS, (s) => fitFieldsFromSaved(s, options.devices), setApplied));
  const hardware = Object.fromEntries(HARDWARE_KEYS.map((k) => [k, state[k]])) as HardwareValues;
  const current = savedFromFields(hardware, options.devices);
  const [own, setOwn] = useState<Own | null>(null);
  const [Picker, setPicker] = useState<((p: OwnModelPickerProps) => preact.JSX.Element) | null>(null);
  const [pickerState, setPickerState] = useState<'closed' | 'loading' | 'failed' | 'open'>('closed');
  const openPicker = () => {
    setPickerState('loading');
    import('./OwnModelPicker')
      .then((m) => {
        setPicker(() => m.OwnModelPicker);
        setPickerState('open');
      })
      .catch(() => setPickerState('failed'));
  };
  // A shared link to a Hugging Face id or a pasted config opens the picker at once.
  useEffect(() => {
    const q = new URLSearchParams(window.location.search);
    if (!compact && (q.get('hf') || q.get('config'))) openPicker();
  }, []);
  const ownPending = own !== null && own.model === null;
  const status = useLazyView(state, DEFAULTS, initial, computeFit, ownPending ? null : own);
  const view = ownPending ? null : status.state === 'ready' ? status.view : null;
  const errors = view?.errors ?? {};
  const runtime: FitRuntime = view?.runtime ?? (RUNTIME_CHOICES.some((c) => c.value === state.runtime) ? (state.runtime as FitRuntime) : 'llama.cpp');
  const gpuFormats = new Set(options.quants[1]?.options.map((o) => o.value) ?? []);

  const setQuant = (v: string) => {
    set('quant', v);
    // A GPU format runs in vLLM or transformers, a GGUF file in llama.cpp or Ollama: let the runtime follow.
    if (gpuFormats.has(v) !== isGpuRuntime(runtime)) {
      set('runtime', '');
      set('kv', '');
    }
  };
  const setRuntime = (v: FitRuntime) => {
    set('runtime', v);
    set('kv', '');
  };
  const r = view?.result ?? null;

  return (
    <form class={`calc fit${compact ? ' fit--compact' : ''}`} aria-label="Will it fit? calculator" onSubmit={(e) => e.preventDefault()}>
      <fieldset class="fit__group">
        <legend>Model and settings</legend>
        <div class="calc__fields">
          {compact ? (
            <ModelSelect value={state.model} models={options.models} onChange={(v) => set('model', v)} error={errors.model ?? null} />
          ) : pickerState === 'open' && Picker ? (
            <div class="field--wide">
              <Picker
                catalogId={state.model}
                onCatalog={(id) => {
                  setOwn(null);
                  set('model', id);
                }}
                onOwn={(m) => setOwn({ model: m })}
              />
            </div>
          ) : (
            <div>
              <ModelSelect value={state.model} models={options.models} onChange={(v) => set('model', v)} error={errors.model ?? null} />
              <button type="button" class="calc__button fit__own" onClick={openPicker} disabled={pickerState === 'loading'}>
                {pickerState === 'loading' ? 'Loading…' : 'Your own model: Hugging Face id, config.json or GGUF file'}
              </button>
              {pickerState === 'failed' ? <p class="field__error">The model picker could not load. Check the connection and try again.</p> : null}
            </div>
          )}
          <SelectField
            label="Quantization"
            name="quant"
            value={view?.quant ?? state.quant}
            options={options.quants}
            onChange={setQuant}
            error={errors.quant ?? null}
            hint={compact ? undefined : 'GGUF file types run in llama.cpp and Ollama; GPU formats in vLLM and transformers.'}
          />
          <TokensField value={state.ctx} onInput={(v) => set('ctx', v)} error={errors.ctx ?? null} hint={compact ? undefined : 'Tokens per user.'} />
          {compact ? null : (
            <>
              <NumberField
                label="Concurrent users"
                name="users"
                value={state.users}
                onInput={(v) => set('users', v)}
                error={errors.users ?? null}
                hint="Sequences served at once (llama.cpp -np, vLLM requests)."
                inputMode="numeric"
              />
              <SelectField label="KV cache type" name="kv" value={view?.kv ?? state.kv} options={KV_CHOICES[runtime]} onChange={(v) => set('kv', v)} error={errors.kv ?? null} />
            </>
          )}
        </div>
        {compact ? null : <ChoiceField label="Runtime" value={runtime} choices={RUNTIME_CHOICES} onChange={setRuntime} />}
        {errors.runtime ? <p class="field__error">{errors.runtime}</p> : null}
      </fieldset>
      <fieldset class="fit__group">
        <legend>Hardware</legend>
        <HardwareFields state={state} set={set} devices={options.devices} errors={errors} apple={view?.apple ?? null} compact={compact} />
        {compact ? null : <RememberHardware current={current} applied={applied} />}
      </fieldset>
      <output class={`calc__result fit__verdict${r ? ` fit__verdict--${r.verdict}` : ''}`} aria-live="polite" aria-atomic="true" data-testid="fit-result">
        {ownPending ? (
          <span class="calc__placeholder" data-testid="fit-placeholder">
            Choose your model above to see whether it fits.
          </span>
        ) : status.state === 'computing' ? (
          <span class="calc__placeholder">Computing…</span>
        ) : status.state === 'failed' ? (
          <span class="calc__placeholder">{status.message}</span>
        ) : r ? (
          <>
            <strong class="calc__value" data-testid="fit-verdict" data-verdict={r.verdict}>
              {VERDICT_WORDS[r.verdict]}
            </strong>{' '}
            <span class="calc__detail" data-testid="fit-reason">
              {compact ? null : `${r.modelName} ${r.quant}, ${r.ctx.toLocaleString('en-US')} tokens × ${r.seqs}, `}
              {r.runtime}: {r.reason}
            </span>
            {r.tightest && !compact ? <span class="calc__detail">{r.tightest}</span> : null}
          </>
        ) : (
          <span class="calc__placeholder" data-testid="fit-placeholder">
            {view?.message ?? 'Fix the highlighted field to see the result.'}
          </span>
        )}
      </output>
      {compact ? (
        <div class="calc__more">
          {r ? <MemoryBars r={r} /> : null}
          <RememberHardware current={current} applied={applied} />
          <p class="calc__note">
            Sizes in GiB (2³⁰ bytes).{' '}
            <a href={`${fullHref}${queryOf(state)}`} data-testid="fit-full-link">
              The full calculator
            </a>{' '}
            adds users, the KV cache type, the runtime, your own model, the largest context and the command to paste.
          </p>
        </div>
      ) : r ? (
        <div class="calc__more">
          <FitFacts r={r} />
          <MemoryBars r={r} />
          <p class="calc__note">Sizes in GiB (2³⁰ bytes), as llama.cpp, vLLM and nvidia-smi print them; bandwidth in GB/s (10⁹ bytes per second).</p>
          <FitCommand r={r} />
          <FitNotes r={r} />
        </div>
      ) : null}
    </form>
  );
}
