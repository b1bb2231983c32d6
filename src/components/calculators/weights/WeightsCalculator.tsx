import { useUrlState } from '../../ui/url-state';
import { NumberField } from '../../ui/NumberField';
import { ChoiceField } from '../../ui/ChoiceField';
import { formatAuto, formatCount, type UnitSystem } from '../../../sizing/units';
import { napkinWeightsBytes } from '../../../sizing/memory/napkin';
import { parseNumber, parseParamCount } from '../../../sizing/input';
import { UNIT_CHOICES } from '../common/select-options';

interface Props {
  /** Query-string prefix, so two calculators on one page keep separate state. */
  id?: string;
  params?: string;
  bits?: string;
}

const UNITS = UNIT_CHOICES;

/** Weights = parameters x bits per weight / 8: the napkin formula of the static-memory chapter. */
export default function WeightsCalculator({ id = '', params = '8B', bits = '16' }: Props) {
  const [state, set] = useUrlState({ params, bits, unit: 'GB' }, id ? `${id}.` : '');
  const paramsParsed = parseParamCount(state.params);
  const bitsParsed = parseNumber(state.bits, { label: 'Bits per weight', min: 0, minInclusive: false, max: 32, unit: 'bits' });
  const unit: UnitSystem = state.unit === 'GiB' ? 'GiB' : 'GB';

  const bytes = paramsParsed.ok && bitsParsed.ok ? napkinWeightsBytes(paramsParsed.value, bitsParsed.value) : null;

  return (
    <form class="calc" aria-label="Weights calculator" onSubmit={(e) => e.preventDefault()}>
      <div class="calc__fields">
        <NumberField
          label="Parameters"
          value={state.params}
          onInput={(v) => set('params', v)}
          error={paramsParsed.ok ? null : paramsParsed.message}
          hint="For example 8B, 70B, 1.5T or 135M. A bare number is in billions."
          name="params"
        />
        <NumberField
          label="Bits per weight"
          value={state.bits}
          onInput={(v) => set('bits', v)}
          error={bitsParsed.ok ? null : bitsParsed.message}
          hint="32 for FP32, 16 for FP16/BF16, 8 for INT8/FP8, 4 for 4-bit."
          suffix="bits"
          name="bits"
        />
        <ChoiceField label="Unit" value={unit} choices={UNITS} onChange={(v) => set('unit', v)} />
      </div>
      <output class="calc__result" aria-live="polite" aria-atomic="true">
        {bytes === null ? (
          <span class="calc__placeholder">Fix the highlighted field to see the result.</span>
        ) : (
          <>
            <span class="calc__label">Weights</span>{' '}
            <strong class="calc__value" data-testid="weights-result">
              {formatAuto(bytes, unit)}
            </strong>
            <span class="calc__detail">
              {formatCount(paramsParsed.ok ? paramsParsed.value : 0)} parameters × {bitsParsed.ok ? bitsParsed.value : ''} bits ÷ 8
              bits per byte. {unit === 'GB' ? 'GB = 10⁹ bytes.' : 'GiB = 2³⁰ bytes.'}
            </span>
          </>
        )}
      </output>
    </form>
  );
}
