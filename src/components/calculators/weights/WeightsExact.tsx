import { useUrlState } from '../../ui/url-state';
import { useLazyEngine } from '../../ui/use-lazy-engine';
import { ComputingNote } from '../../ui/ComputingNote';
import { ChoiceField } from '../../ui/ChoiceField';
import { SelectField, type SelectGroup } from '../../ui/SelectField';
import { compactModelError } from '../common/compact-catalog';
import type { WeightsExactData, WeightsInput } from './weights-exact.view';
import { formatAuto, formatCount, type UnitSystem } from '../../../sizing/units';
import { ModelSelect } from '../../ui/common-fields';
import { UNIT_CHOICES } from '../common/select-options';
import { ResultTable } from '../../ui/ResultTable';

interface Props extends WeightsExactData {
  /** Query-string prefix, so two calculators on one page keep separate state. Default "w". */
  id?: string;
  model?: string;
  quant?: string;
}

const UNITS = UNIT_CHOICES;

// The engine (catalog, tensor lists, quantization rules) is fetched on the first change; see use-lazy-engine.ts.
const loadEngine = () => import('./weights-exact.view');

const isListed = (groups: readonly SelectGroup[], value: string) => groups.some((g) => g.options.some((o) => o.value === value));

const pct = (part: number, whole: number) => (whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '—');

/**
 * Napkin vs exact weights for a catalog model in a llama.cpp file type or a GPU format, with bytes per storage type.
 * `models`, `formats` and `initial` come from weightsExactProps() at build time.
 */
export default function WeightsExact({ id = 'w', model = 'llama-3.1-8b', quant = 'Q4_K_M', models, formats, initial }: Props) {
  const [state, set] = useUrlState({ model, quant, unit: 'GB' }, id ? `${id}.` : '');
  const unit: UnitSystem = state.unit === 'GiB' ? 'GiB' : 'GB';
  const modelMsg = compactModelError(state.model, models);
  const knownQuant = isListed(formats, state.quant);
  const input: WeightsInput | null = modelMsg === null && knownQuant ? { model: state.model, quant: state.quant } : null;
  const engine = useLazyEngine(loadEngine, input, initial);
  const quantMsg = knownQuant
    ? engine.result?.ok === false
      ? engine.result.quantMessage
      : null
    : `Format: “${state.quant.slice(0, 40)}” is not a known llama.cpp file type or GPU format.`;
  const b = engine.result?.ok && quantMsg === null ? engine.result.view : null;
  const fmt = (bytes: number) => formatAuto(bytes, unit);

  return (
    <form class="calc" aria-label="Exact weights calculator" onSubmit={(e) => e.preventDefault()}>
      <div class="calc__fields">
        <ModelSelect value={state.model} models={models} onChange={(v) => set('model', v)} error={modelMsg} />
        <SelectField
          label="Format"
          name="quant"
          value={state.quant}
          options={formats}
          onChange={(v) => set('quant', v)}
          error={quantMsg}
          hint="A llama.cpp file type such as Q4_K_M, or a GPU checkpoint format such as AWQ."
        />
        <ChoiceField label="Unit" value={unit} choices={UNITS} onChange={(v) => set('unit', v)} />
      </div>
      <output class="calc__result" aria-live="polite" aria-atomic="true" aria-busy={engine.loading ? 'true' : 'false'}>
        {engine.loading ? <ComputingNote /> : null}
        {engine.error !== null || b === null ? (
          <span class="calc__placeholder">{engine.error ?? 'Fix the highlighted field to see the result.'}</span>
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
              {b.modelName} in {b.formatLabel}: the exact figure is{' '}
              {b.bytes >= b.napkinBytes ? `${pct(b.bytes - b.napkinBytes, b.napkinBytes)} more` : `${pct(b.napkinBytes - b.bytes, b.napkinBytes)} less`} than the
              napkin.
              {b.fileBytes !== null ? ` The GGUF file adds metadata (mostly the tokenizer) and 32-byte alignment: about ${fmt(b.fileBytes)} on disk.` : ''}{' '}
              {unit === 'GB' ? 'GB = 10⁹ bytes.' : 'GiB = 2³⁰ bytes.'}
            </span>
          </>
        )}
      </output>
      {engine.error !== null || b === null ? null : (
        <div class="calc__more">
          <ResultTable testId="weights-types" caption="Bytes by storage type" columns={['Type', 'Tensors', 'Weights', 'Bytes', 'Share']}>
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
          </ResultTable>
          <p class="calc__note">{b.formatNote}</p>
        </div>
      )}
    </form>
  );
}
