/**
 * The hardware part of the fit calculator: one to four rows of GPUs (device and count, sizes may be mixed), or a
 * Mac with its GPU working-set share, or the CPU alone; then system RAM, its kind (for bandwidth) and the margin.
 */
import { ChoiceField } from '../../ui/ChoiceField';
import { NumberField } from '../../ui/NumberField';
import { SelectField, type SelectOption } from '../../ui/SelectField';
import { formatAuto } from '../../../sizing/units';
import { FIT_DEFAULTS, GPU_ROWS, HARDWARE_CHOICES, type FitDeviceOption, type FitKey, type FitState } from './fit-state';
import type { FitView } from './fit.view';

interface Props {
  state: FitState;
  set: (key: FitKey, value: string) => void;
  devices: readonly FitDeviceOption[];
  errors: FitView['errors'];
  apple: FitView['apple'];
  /** The home page's short form: no hints, RAM kind, margin or "Add a different GPU" (their values stay), RAM before the GPUs. */
  compact?: boolean;
}

const gib = (b: number) => formatAuto(b, 'GiB', { digits: 0 });
const optionsOf = (devices: readonly FitDeviceOption[], kind: FitDeviceOption['kind']): SelectOption[] =>
  devices
    .filter((d) => d.kind === kind)
    .map((d) => ({ value: d.id, label: kind === 'cpu' ? `${d.name}, ${d.bandwidthGBps} GB/s` : `${d.name}, ${gib(d.memoryBytes)}, ${d.bandwidthGBps} GB/s` }));

function GpuRows({ state, set, devices, errors, compact }: Omit<Props, 'apple'>) {
  const options = optionsOf(devices, 'gpu');
  const used = GPU_ROWS.filter(([dk], i) => i === 0 || state[dk] !== '').length;
  const removeRow = (index: number) => {
    // Shift the rows below up by one, then clear the last.
    for (let i = index; i < GPU_ROWS.length; i++) {
      const here = GPU_ROWS[i];
      const next = GPU_ROWS[i + 1];
      if (!here) continue;
      set(here[0], next ? state[next[0]] : '');
      set(here[1], next ? state[next[1]] : '');
    }
  };
  return (
    <fieldset class="fit__gpus">
      <legend>GPUs</legend>
      {GPU_ROWS.slice(0, used).map(([dk, ck], i) => (
        <div class="fit__gpu-row" key={dk}>
          <SelectField label={i === 0 ? 'GPU' : `GPU, row ${i + 1}`} name={dk} value={state[dk]} options={options} onChange={(v) => set(dk, v)} error={errors[dk] ?? null} />
          <NumberField
            label={i === 0 ? 'Number of GPUs' : `Number of GPUs, row ${i + 1}`}
            name={ck}
            value={i > 0 && state[ck] === '' ? '1' : state[ck]}
            onInput={(v) => set(ck, v)}
            error={errors[ck] ?? null}
            inputMode="numeric"
          />
          {i > 0 ? (
            <button type="button" class="calc__button fit__remove" onClick={() => removeRow(i)}>
              Remove row {i + 1}
            </button>
          ) : null}
        </div>
      ))}
      {used < GPU_ROWS.length && !compact ? (
        <button
          type="button"
          class="calc__button"
          onClick={() => {
            const row = GPU_ROWS[used];
            if (!row) return;
            set(row[0], state.gpu || FIT_DEFAULTS.gpu);
            set(row[1], '1');
          }}
        >
          Add a different GPU
        </button>
      ) : null}
    </fieldset>
  );
}

export function HardwareFields({ state, set, devices, errors, apple, compact = false }: Props) {
  const hw = state.hw === 'apple' || state.hw === 'cpu' ? state.hw : 'gpu';
  const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
  const memory =
    hw === 'apple' ? (
      <div class="calc__fields">
        <SelectField label="Mac" name="mac" value={state.mac} options={optionsOf(devices, 'apple')} onChange={(v) => set('mac', v)} error={errors.mac ?? null} />
        <NumberField
          label="GPU working-set share"
          name="share"
          value={state.share}
          onInput={(v) => set('share', v)}
          error={errors.share ?? null}
          suffix="%"
          hint={
            compact
              ? undefined
              : apple
                ? `Empty: ${pct(apple.defaultShare)}, this Mac’s share. The GPU may use ${pct(apple.share)} × ${gib(apple.memoryBytes)} = ${formatAuto(apple.usableBytes, 'GiB')}; macOS keeps the rest. Raise it with sudo sysctl iogpu.wired_limit_mb.`
                : 'Share of unified memory macOS lets the GPU use; empty for this Mac’s measured share.'
          }
        />
      </div>
    ) : (
      <div class="calc__fields">
        <NumberField
          label="System RAM"
          name="ram"
          value={state.ram}
          onInput={(v) => set('ram', v)}
          error={errors.ram ?? null}
          suffix="GiB"
          hint={compact ? undefined : 'A “64 GB” machine has 64 GiB. Layers and experts that do not fit the GPUs go here.'}
        />
        {compact ? null : (
          <SelectField
            label="RAM kind"
            name="rambw"
            value={state.rambw}
            options={optionsOf(devices, 'cpu')}
            onChange={(v) => set('rambw', v)}
            error={errors.rambw ?? null}
            hint="Its bandwidth bounds the speed of what runs from RAM."
          />
        )}
      </div>
    );
  const gpuRows = <GpuRows state={state} set={set} devices={devices} errors={errors} compact={compact} />;
  return (
    <div class="fit__hardware">
      <ChoiceField label="Hardware" value={hw} choices={HARDWARE_CHOICES} onChange={(v) => set('hw', v)} />
      {errors.hw ? <p class="field__error">{errors.hw}</p> : null}
      {hw === 'gpu' && !compact ? gpuRows : null}
      {memory}
      {hw === 'gpu' && compact ? gpuRows : null}
      {hw !== 'cpu' && !compact ? (
        <div class="calc__fields">
          <NumberField
            label="Safety margin"
            name="margin"
            value={state.margin}
            onInput={(v) => set('margin', v)}
            error={errors.margin ?? null}
            suffix="MiB"
            accepts={['zero']}
            hint="Kept free on every GPU. 1024 MiB is llama.cpp --fit's default (-fitt). vLLM uses gpu_memory_utilization instead."
          />
        </div>
      ) : null}
    </div>
  );
}
