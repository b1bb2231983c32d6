import { useUrlState } from '../ui/url-state';
import { ChoiceField } from '../ui/ChoiceField';
import { SelectField, type SelectGroup } from '../ui/SelectField';
import { findModel, modelError, modelOptions } from './model-catalog';
import { findWeightFormat, weightsBreakdown, type WeightsBreakdown } from '../../lib/weights-breakdown';
import { llamaCppFileTypes } from '../../sizing/file-types';
import { gpuFormats } from '../../sizing/gpu-formats';
import { formatAuto, formatCount, type UnitSystem } from '../../sizing/units';
import { SizingError } from '../../sizing/errors';

interface Props {
  /** Query-string prefix, so two calculators on one page keep separate state. Default "w". */
  id?: string;
  model?: string;
  quant?: string;
}

const UNITS = [
  { value: 'GB', label: 'GB', title: '10^9 bytes, as the Hugging Face Hub prints sizes' },
  { value: 'GiB', label: 'GiB', title: '2^30 bytes, as llama.cpp and nvidia-smi print sizes' },
] as const;

const FORMAT_OPTIONS: SelectGroup[] = [
  { label: 'llama.cpp file types (GGUF)', options: llamaCppFileTypes().map((f) => ({ value: f.id, label: f.id })) },
  { label: 'GPU formats (safetensors)', options: gpuFormats().map((f) => ({ value: f.id, label: f.name })) },
];

type Outcome = { ok: true; value: WeightsBreakdown } | { ok: false; message: string };

function compute(modelId: string, quant: string): { model: string | null; quant: string | null; result: Outcome | null } {
  const model = findModel(modelId);
  const format = findWeightFormat(quant);
  const modelMsg = modelError(modelId);
  const quantMsg = format ? null : `Format: “${quant.slice(0, 40)}” is not a known llama.cpp file type or GPU format.`;
  if (!model || !format) return { model: modelMsg, quant: quantMsg, result: null };
  try {
    return { model: null, quant: null, result: { ok: true, value: weightsBreakdown(model.shape, format) } };
  } catch (e) {
    if (e instanceof SizingError) return { model: null, quant: `Format: ${e.message}`, result: null };
    throw e;
  }
}

const pct = (part: number, whole: number) => (whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '—');

/** Napkin vs exact weights for a catalog model in a llama.cpp file type or a GPU format, with bytes per storage type. */
export default function WeightsExact({ id = 'w', model = 'llama-3.1-8b', quant = 'Q4_K_M' }: Props) {
  const [state, set] = useUrlState({ model, quant, unit: 'GB' }, id ? `${id}.` : '');
  const unit: UnitSystem = state.unit === 'GiB' ? 'GiB' : 'GB';
  const { model: modelMsg, quant: quantMsg, result } = compute(state.model, state.quant);
  const entry = findModel(state.model)?.entry;
  const format = findWeightFormat(state.quant);
  const fmt = (b: number) => formatAuto(b, unit);
  const b = result?.ok ? result.value : null;

  return (
    <form class="calc" aria-label="Exact weights calculator" onSubmit={(e) => e.preventDefault()}>
      <div class="calc__fields">
        <SelectField label="Model" name="model" value={state.model} options={modelOptions()} onChange={(v) => set('model', v)} error={modelMsg} />
        <SelectField
          label="Format"
          name="quant"
          value={state.quant}
          options={FORMAT_OPTIONS}
          onChange={(v) => set('quant', v)}
          error={quantMsg}
          hint="A llama.cpp file type such as Q4_K_M, or a GPU checkpoint format such as AWQ."
        />
        <ChoiceField label="Unit" value={unit} choices={UNITS} onChange={(v) => set('unit', v)} />
      </div>
      <output class="calc__result" aria-live="polite" aria-atomic="true">
        {b === null || !entry || !format ? (
          <span class="calc__placeholder">Fix the highlighted field to see the result.</span>
        ) : (
          <>
            <span class="calc__compare">
              <span class="calc__cell">
                <span class="calc__label">Napkin</span>{' '}
                <strong class="calc__value" data-testid="weights-napkin">
                  {fmt(b.napkinBytes)}
                </strong>
                <span class="calc__detail">
                  {formatCount(b.params)} parameters × {b.nominalBits} bits ÷ 8
                </span>
              </span>
              <span class="calc__cell">
                <span class="calc__label">Exact</span>{' '}
                <strong class="calc__value" data-testid="weights-exact">
                  {fmt(b.bytes)}
                </strong>
                <span class="calc__detail">
                  <span data-testid="weights-bpw">{b.bitsPerWeight.toFixed(2)}</span> bits per weight on average, every tensor summed
                </span>
              </span>
            </span>
            <span class="calc__detail">
              {entry.name} in {format.kind === 'gguf' ? format.id : format.format.name}: the exact figure is{' '}
              {b.bytes >= b.napkinBytes ? `${pct(b.bytes - b.napkinBytes, b.napkinBytes)} more` : `${pct(b.napkinBytes - b.bytes, b.napkinBytes)} less`} than the
              napkin.
              {b.fileBytes !== null ? ` The GGUF file adds metadata (mostly the tokenizer) and 32-byte alignment: about ${fmt(b.fileBytes)} on disk.` : ''}{' '}
              {unit === 'GB' ? 'GB = 10⁹ bytes.' : 'GiB = 2³⁰ bytes.'}
            </span>
          </>
        )}
      </output>
      {b === null || !format ? null : (
        <div class="calc__more">
          <table class="calc__table" data-testid="weights-types">
            <caption>Bytes by storage type</caption>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Tensors</th>
                <th scope="col">Weights</th>
                <th scope="col">Bytes</th>
                <th scope="col">Share</th>
              </tr>
            </thead>
            <tbody>
              {b.rows.map((r) => (
                <tr key={r.type}>
                  <th scope="row">
                    <code>{r.type}</code>
                  </th>
                  <td>{r.tensors}</td>
                  <td>{formatCount(r.elements)}</td>
                  <td>{fmt(r.bytes)}</td>
                  <td>{pct(r.bytes, b.bytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="calc__note">
            {format.kind === 'gguf' ? format.fileType.description : `${format.format.description} Kept as stored: ${format.format.keeps16Bit}.`}
          </p>
        </div>
      )}
    </form>
  );
}
