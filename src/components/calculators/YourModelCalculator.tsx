import { useEffect, useState } from 'preact/hooks';
import { useUrlState } from '../ui/url-state';
import { useModelUrlState, type ModelUrlValue } from '../ui/model-url-state';
import { ModelPicker, type HubOptions, type PickedModel } from '../ui/ModelPicker';
import { NumberField } from '../ui/NumberField';
import { ChoiceField } from '../ui/ChoiceField';
import { SelectField, type SelectGroup } from '../ui/SelectField';
import { hubBaseOverride } from '../../lib/hf-hub';
import type { PickerCatalogEntry } from '../../lib/picker-catalog';
import { estimate, MAX_CTX, type Estimate, type RuntimeChoice } from '../../sizing/estimate';
import { SizingError } from '../../sizing/errors';
import { parseNumber } from '../../sizing/input';
import { formatAuto, formatCount } from '../../sizing/units';

interface Props {
  /** pickerCatalog(), computed at build time by the page. */
  catalog: PickerCatalogEntry[];
  defaultModel?: string;
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
export default function YourModelCalculator({ catalog, defaultModel = 'llama-3.1-8b' }: Props) {
  const [state, set] = useUrlState({ quant: 'Q4_K_M', ctx: '8192', runtime: 'llama.cpp' });
  const [modelUrl, setModelUrl, urlLoaded] = useModelUrlState();
  const [hub, setHub] = useState<HubOptions | null>(null);
  const [picked, setPicked] = useState<PickedModel | null>(null);
  useEffect(() => setHub(hubBaseOverride(window.location.search) ?? {}), []);

  // Until the URL has been read, the server-rendered picker's default must not overwrite the link.
  const ready = urlLoaded && hub !== null;
  const onModel = (p: PickedModel | null, url: ModelUrlValue) => {
    setPicked(p);
    if (ready) setModelUrl(url.model === defaultModel ? {} : url);
  };

  const runtime = asRuntime(state.runtime);
  const fromFile = picked?.source.kind === 'typed';
  const ctxParsed = parseNumber(state.ctx, { label: 'Context', min: 1, max: MAX_CTX, integer: true, unit: 'tokens' });
  let quantError: string | null = null;
  let otherError: string | null = null;
  let result: Estimate | null = null;
  if (picked && ctxParsed.ok) {
    try {
      result = estimate(picked.source, { quant: fromFile ? '' : state.quant, ctx: ctxParsed.value, runtime });
    } catch (e) {
      if (!(e instanceof SizingError)) throw e;
      if (e.field === 'quant' || e.field === 'format') quantError = e.message;
      else otherError = e.message;
    }
  }
  const suggested = picked?.suggestedQuant;

  return (
    <form class="calc" aria-label="Size your own model" onSubmit={(e) => e.preventDefault()}>
      <ModelPicker key={ready ? 'from-url' : 'default'} catalog={catalog} initial={ready ? modelUrl : {}} defaultModel={defaultModel} onChange={onModel} hub={hub ?? {}} />
      <div class="calc__fields">
        {fromFile ? (
          <p class="picker__note" data-testid="quant-from-file">
            Quantization: as stored in the file{picked?.suggestedQuant ? ` (${picked.suggestedQuant})` : ''}, tensor by tensor.
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
        <NumberField
          label="Context"
          name="ctx"
          value={state.ctx}
          onInput={(v) => set('ctx', v)}
          error={ctxParsed.ok ? null : ctxParsed.message}
          hint={picked?.contextLength ? `Tokens per sequence. This model was trained for ${picked.contextLength.toLocaleString('en-US')}.` : 'Tokens per sequence.'}
          suffix="tokens"
          inputMode="numeric"
        />
        <ChoiceField label="Runtime" value={runtime} choices={RUNTIMES} onChange={(v) => set('runtime', v)} />
      </div>
      <output class="calc__result" aria-live="polite" aria-atomic="true" data-testid="your-model-result">
        {result && picked ? (
          <>
            <span class="calc__label">
              {picked.label}, {result.quant.id === 'file' ? 'as in the file' : result.quant.id}, {ctxParsed.ok ? ctxParsed.value.toLocaleString('en-US') : ''} tokens
            </span>
            <dl class="picker__facts picker__totals">
              <dt>Weights</dt>
              <dd data-testid="ym-weights">{both(result.weightsBytes)}</dd>
              <dt>KV cache</dt>
              <dd data-testid="ym-kv">{both(result.kvCacheBytes)}</dd>
              <dt>Compute and overhead</dt>
              <dd data-testid="ym-compute">{both(result.computeBytes + result.overheadBytes)}</dd>
              <dt>Total</dt>
              <dd>
                <strong class="calc__value" data-testid="ym-total">
                  {both(result.totalBytes)}
                </strong>
              </dd>
            </dl>
            <span class="calc__detail" data-testid="ym-params">
              {formatCount(result.params.total)} parameters
              {result.params.active < result.params.total ? `, ${formatCount(result.params.active)} active per token` : ''}. GiB = 2³⁰ bytes, GB = 10⁹ bytes.
            </span>
          </>
        ) : (
          <span class="calc__placeholder" data-testid="ym-placeholder">
            {otherError ?? (picked ? 'Fix the highlighted field to see the result.' : 'Choose a model above to see its memory.')}
          </span>
        )}
      </output>
    </form>
  );
}
