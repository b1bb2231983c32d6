import { useRef, useState } from 'preact/hooks';
import { useUrlState } from '../../ui/url-state';
import { useModelUrlState, type ModelUrlValue } from '../../ui/model-url-state';
import { ModelPicker, type PickedModel } from '../../ui/ModelPicker';
import { useLazyEngine } from '../../ui/use-lazy-engine';
import { ComputingNote } from '../../ui/ComputingNote';
import { ChoiceField } from '../../ui/ChoiceField';
import { NumberField } from '../../ui/NumberField';
import { SelectField, type SelectGroup } from '../../ui/SelectField';
import type { PickerCatalogEntry } from '../common/picker-catalog';
import type { ModelSource, RuntimeChoice } from '../../../sizing/memory/estimate';
import { parseNumber } from '../../../sizing/input';
import { formatAuto, formatCount } from '../../../sizing/units';
import type { YourModelInput, YourModelOutcome } from './your-model.view';
import { fieldError, TokensField } from '../../ui/common-fields';

interface Props {
  /** pickerCatalog(), computed at build time by the page. */
  catalog: PickerCatalogEntry[];
  /** The catalog model shown first; `initial` must have been computed for it (yourModelProps does both). */
  defaultModel?: string;
  /** The engine's largest context (MAX_CTX), passed in so the island does not bundle the engine for a constant. */
  maxCtx: number;
  /** The default model's result, computed at build time (yourModelProps in your-model-engine.ts). */
  initial: { input: YourModelInput; result: YourModelOutcome };
}

const QUANTS: SelectGroup[] = [
  {
    label: 'GGUF (llama.cpp, Ollama)',
    options: ['Q2_K', 'Q3_K_M', 'IQ4_XS', 'Q4_K_M', 'Q5_K_M', 'Q6_K', 'Q8_0', 'BF16'].map((q) => ({ value: q, label: q })),
  },
  {
    label: 'GPU formats (vLLM, transformers)',
    options: [
      { value: 'bf16', label: 'BF16 (unquantized)' },
      { value: 'fp8', label: 'FP8' },
      { value: 'awq', label: 'AWQ 4-bit' },
      { value: 'gptq-4bit-g128', label: 'GPTQ 4-bit' },
      { value: 'bnb-nf4', label: 'bitsandbytes NF4' },
      { value: 'mxfp4-moe', label: 'MXFP4 experts (gpt-oss)' },
    ],
  },
];
const RUNTIMES = [
  { value: 'llama.cpp', label: 'llama.cpp', title: 'llama.cpp, Ollama, LM Studio' },
  { value: 'vllm', label: 'vLLM' },
  { value: 'transformers', label: 'transformers' },
] as const;
const asRuntime = (v: string): RuntimeChoice => (v === 'vllm' || v === 'transformers' ? v : 'llama.cpp');
const both = (b: number) => `${formatAuto(b, 'GiB')} (${formatAuto(b, 'GB')})`;

/** Sizes any model the reader brings (catalog, Hugging Face id, config.json, GGUF file): weights, KV cache, total. */
export default function YourModelCalculator({ catalog, defaultModel = 'llama-3.1-8b', maxCtx, initial }: Props) {
  const [state, set] = useUrlState({ quant: 'Q4_K_M', ctx: '8192', runtime: 'llama.cpp', images: '0' });
  const [modelUrl, setModelUrl, urlLoaded] = useModelUrlState();
  // undefined until the picker first reports: the server-rendered default (the catalog's defaultModel) meanwhile.
  const [picked, setPicked] = useState<{ model: PickedModel | null; key: string } | undefined>(undefined);
  const picks = useRef(0);

  // Until the URL has been read, the server-rendered picker's default must not overwrite the link.
  const ready = urlLoaded;
  const onModel = (p: PickedModel | null, url: ModelUrlValue) => {
    // A catalog model is named by its id; any other pick is new each time the picker reports it.
    setPicked({ model: p, key: p === null ? '' : p.mode === 'catalog' && url.model ? `catalog:${url.model}` : `${p.mode}:${++picks.current}` });
    if (ready) setModelUrl(url.model === defaultModel ? {} : url);
  };

  const runtime = asRuntime(state.runtime);
  const model = picked === undefined ? null : picked.model;
  const fromFile = model?.source.kind === 'typed';
  const ctxParsed = parseNumber(state.ctx, { label: 'Context', min: 1, max: maxCtx, integer: true, unit: 'tokens' });
  const imagesParsed = parseNumber(state.images, { label: 'Images', min: 0, max: 4096, integer: true, unit: 'images' });
  const input: YourModelInput | null =
    ctxParsed.ok && imagesParsed.ok && (picked === undefined || model !== null)
      ? { pick: picked === undefined ? initial.input.pick : picked.key, quant: fromFile ? '' : state.quant, ctx: ctxParsed.value, runtime, images: imagesParsed.value }
      : null;
  // The engine sizes the model the picker holds now; the input names it, so a new pick recomputes.
  const source = useRef<ModelSource | null>(null);
  source.current = model?.source ?? null;
  const [load] = useState(() => () =>
    import('./your-model.view').then((m) => ({
      compute: (i: YourModelInput): YourModelOutcome =>
        source.current ? m.sizeModel(source.current, i) : { ok: false, field: 'other', message: 'Choose a model above to see its memory.' },
    })),
  );
  const engine = useLazyEngine(load, input, initial);
  const outcome = engine.result;
  const quantError = outcome?.ok === false && outcome.field === 'quant' ? outcome.message : null;
  const otherError = engine.error ?? (outcome?.ok === false && outcome.field === 'other' ? outcome.message : null);
  const result = outcome?.ok && input !== null ? outcome.view : null;
  const label = picked === undefined ? (catalog.find((m) => m.id === defaultModel)?.name ?? defaultModel) : (model?.label ?? '');
  const suggested = model?.suggestedQuant;
  // The images field appears once the model turns out to have a vision part (and stays while it holds a value).
  const hasVision = Boolean(result?.vision);

  return (
    <form class="calc" aria-label="Size your own model" onSubmit={(e) => e.preventDefault()}>
      <ModelPicker key={ready ? 'from-url' : 'default'} catalog={catalog} initial={ready ? modelUrl : {}} defaultModel={defaultModel} onChange={onModel} />
      <div class="calc__fields">
        {fromFile ? (
          <p class="picker__note" data-testid="quant-from-file">
            Quantization: as stored in the file{suggested ? ` (${suggested})` : ''}, tensor by tensor.
          </p>
        ) : (
          <div>
            <SelectField label="Quantization" name="quant" value={state.quant} options={QUANTS} onChange={(v) => set('quant', v)} error={quantError} />
            {suggested && suggested !== state.quant ? (
              <button type="button" class="picker__button picker__suggest" onClick={() => set('quant', suggested)}>
                Use {suggested}, as the model's quantization_config declares
              </button>
            ) : null}
          </div>
        )}
        <TokensField
          value={state.ctx}
          onInput={(v) => set('ctx', v)}
          error={fieldError(ctxParsed)}
          hint={model?.contextLength ? `Tokens per sequence. This model was trained for ${model.contextLength.toLocaleString('en-US')}.` : 'Tokens per sequence.'}
        />
        <ChoiceField label="Runtime" value={runtime} choices={RUNTIMES} onChange={(v) => set('runtime', v)} />
        {hasVision || state.images !== '0' ? (
          <NumberField
            label="Images per request"
            name="images"
            value={state.images}
            inputMode="numeric"
            accepts={['zero']}
            onInput={(v) => set('images', v)}
            error={fieldError(imagesParsed)}
            hint="Each image takes context positions; under llama.cpp it also loads the mmproj file."
          />
        ) : null}
      </div>
      <output
        class="calc__result"
        aria-live="polite"
        aria-atomic="true"
        aria-busy={engine.loading ? 'true' : 'false'}
        data-testid="your-model-result"
      >
        {engine.loading ? <ComputingNote /> : null}
        {result ? (
          <>
            <span class="calc__label">
              {label}, {result.quantId === 'file' ? 'as in the file' : result.quantId}, {ctxParsed.ok ? ctxParsed.value.toLocaleString('en-US') : ''} tokens
            </span>{' '}
            {/* Only phrasing content may go in <output>: the figures are spans laid out as a two-column list. */}
            <span class="picker__facts picker__totals">
              <span class="picker__fact">
                <span class="picker__term">Weights</span> <span data-testid="ym-weights">{both(result.weightsBytes)}</span>
              </span>
              <span class="picker__fact">
                <span class="picker__term">KV cache</span> <span data-testid="ym-kv">{both(result.kvCacheBytes)}</span>
              </span>
              <span class="picker__fact">
                <span class="picker__term">Compute and overhead</span> <span data-testid="ym-compute">{both(result.computeBytes)}</span>
              </span>
              {result.vision ? (
                <span class="picker__fact">
                  <span class="picker__term">{result.vision.loaded ? 'Vision encoder' : 'Vision encoder (not loaded)'}</span>{' '}
                  <span data-testid="ym-vision">{both(result.vision.bytes)}</span>
                </span>
              ) : null}
              <span class="picker__fact">
                <span class="picker__term">Total</span>{' '}
                <strong class="calc__value" data-testid="ym-total">
                  {both(result.totalBytes)}
                </strong>
              </span>
            </span>
            <span class="calc__detail" data-testid="ym-params">
              {formatCount(result.paramsTotal)} parameters
              {result.paramsActive < result.paramsTotal ? `, ${formatCount(result.paramsActive)} active per token` : ''}. GiB = 2³⁰ bytes, GB = 10⁹ bytes.
            </span>
            {result.vision ? (
              <span class="calc__detail" data-testid="ym-vision-detail">
                Vision part: {formatCount(result.vision.params)} parameters{result.vision.exact ? '' : ' (estimated)'}
                {result.vision.mmprojFileBytes !== null ? `; mmproj file ${formatAuto(result.vision.mmprojFileBytes, 'GB')}` : ''}
                {result.vision.loaded ? '' : '; llama.cpp loads it only with --mmproj (set images above 0 to include it)'}
                {result.vision.tokensPerImage !== null ? `; ${result.vision.tokensPerImage.toLocaleString('en-US')} context positions per 1024 × 768 image` : ''}
                {result.vision.imageTokens > 0 ? `, ${result.vision.imageTokens.toLocaleString('en-US')} for these images` : ''}.
              </span>
            ) : null}
            {result.reading === 'generic' ? (
              <span class="calc__detail picker__warning" data-testid="ym-generic">
                Generic reading: {result.architecture} has no reader of its own, so it is sized as a standard decoder from {result.readingKeys.join(', ')}. Not exact.
              </span>
            ) : null}
          </>
        ) : (
          <span class="calc__placeholder" data-testid="ym-placeholder">
            {otherError ?? (model ? 'Fix the highlighted field to see the result.' : 'Choose a model above to see its memory.')}
          </span>
        )}
      </output>
    </form>
  );
}
