/**
 * Offload planner: a model too big for your GPUs, placed three ways by the engine: on enough GPUs of your kind,
 * on your GPUs with llama.cpp's offload (whole layers for a dense model, routed experts with --n-cpu-moe for a
 * mixture of experts), and on the CPU alone; with the decode-speed upper bound of each and the command for yours.
 *
 * Like FitCalculator, it bundles no engine: the page passes the default result, the engine loads on the first change.
 */
import { useUrlState } from '../../ui/url-state';
import { NumberField } from '../../ui/NumberField';
import { SelectField } from '../../ui/SelectField';
import { FitCommand, MemoryBars } from './FitResult';
import { useLazyView } from './use-fit-view';
import { OFFLOAD_DEFAULTS, type FitKey, type FitOptionLists, type FitState } from './fit-state';
import type { OffloadView } from './fit.view';
import { formatAuto } from '../../../sizing/units';
import { ModelSelect, TokensField } from '../../ui/common-fields';
import { ResultTable } from '../../ui/ResultTable';
import { fitFieldsFromSaved, startFromSaved, type SavedHardware } from '../../ui/saved-hardware';
import { SavedHardwareNote } from '../../ui/SavedHardware';
import { useState } from 'preact/hooks';


interface Props {
  options: FitOptionLists;
  /** offloadView(OFFLOAD_DEFAULTS), computed at build time by the page. */
  initial: OffloadView;
}

const compute = (engine: typeof import('./fit.view'), s: FitState) => engine.offloadView(s);

const tps = (x: number) => `${x.toFixed(1)} tokens/s`;

/** The planner's hardware fields; it starts from saved hardware of one kind of GPU (several rows or a Mac: the defaults). */
const OFFLOAD_HARDWARE = ['gpu', 'gpus', 'ram', 'rambw'] as const satisfies readonly FitKey[];
const offloadFromSaved = (saved: SavedHardware, devices: FitOptionLists['devices']) => {
  const f = fitFieldsFromSaved(saved, devices);
  return f && f.hw === 'gpu' && f.gpu2 === '' ? { gpu: f.gpu, gpus: f.gpus, ram: f.ram, rambw: f.rambw } : null;
};

export default function OffloadPlanner({ options, initial }: Props) {
  const [applied, setApplied] = useState<SavedHardware | null>(null);
  const [state, set] = useUrlState<FitKey>(OFFLOAD_DEFAULTS, '', startFromSaved<FitKey>(OFFLOAD_HARDWARE, (s) => offloadFromSaved(s, options.devices), setApplied));
  const status = useLazyView(state, OFFLOAD_DEFAULTS, initial, compute);
  const view = status.state === 'ready' ? status.view : null;
  const errors = view?.base.errors ?? {};
  const gguf = options.quants[0] ? [options.quants[0]] : [];
  const deviceOptions = (kind: 'gpu' | 'cpu') =>
    options.devices
      .filter((d) => d.kind === kind)
      .map((d) => ({ value: d.id, label: kind === 'gpu' ? `${d.name}, ${formatAuto(d.memoryBytes, 'GiB', { digits: 0 })}, ${d.bandwidthGBps} GB/s` : `${d.name}, ${d.bandwidthGBps} GB/s` }));
  const yours = view?.options.find((o) => o.key === 'yours')?.result ?? null;

  return (
    <form class="calc fit offload" aria-label="Offload planner" onSubmit={(e) => e.preventDefault()}>
      <div class="calc__fields">
        <ModelSelect value={state.model} models={options.models} onChange={(v) => set('model', v)} error={errors.model ?? null} />
        <SelectField label="Quantization" name="quant" value={view?.base.quant ?? state.quant} options={gguf} onChange={(v) => set('quant', v)} error={errors.quant ?? null} hint="GGUF file types: offload is llama.cpp's." />
        <TokensField value={state.ctx} onInput={(v) => set('ctx', v)} error={errors.ctx ?? null} />
        <SelectField label="GPU" name="gpu" value={state.gpu} options={deviceOptions('gpu')} onChange={(v) => set('gpu', v)} error={errors.gpu ?? null} />
        <NumberField label="Number of GPUs" name="gpus" value={state.gpus} onInput={(v) => set('gpus', v)} error={errors.gpus ?? null} inputMode="numeric" />
        <NumberField label="System RAM" name="ram" value={state.ram} onInput={(v) => set('ram', v)} error={errors.ram ?? null} suffix="GiB" />
        <SelectField label="RAM kind" name="rambw" value={state.rambw} options={deviceOptions('cpu')} onChange={(v) => set('rambw', v)} error={errors.rambw ?? null} />
      </div>
      <SavedHardwareNote applied={applied} />
      <output class="calc__result" aria-live="polite" aria-atomic="true" data-testid="offload-result">
        {status.state === 'computing' ? (
          <span class="calc__placeholder">Computing…</span>
        ) : status.state === 'failed' ? (
          <span class="calc__placeholder">{status.message}</span>
        ) : yours ? (
          <>
            <strong class="calc__value" data-testid="offload-verdict" data-verdict={yours.verdict}>
              {yours.verdict === 'fits' ? 'Fits on your GPUs' : yours.verdict === 'fits-with-offload' ? 'Runs with offload' : 'Does not fit, even with offload'}
            </strong>
            <span class="calc__detail">{yours.reason}</span>
          </>
        ) : (
          <span class="calc__placeholder">{view?.base.message ?? 'Fix the highlighted field to see the result.'}</span>
        )}
      </output>
      {view && yours ? (
        <div class="calc__more">
          <ResultTable testId="offload-table" caption="Three placements and their decode-speed upper bound (memory bandwidth ÷ bytes read per token)" columns={['Option', 'Where the model lives', 'Upper bound', 'llama.cpp reaches about']}>
            {view.options.map((o) => (
              <tr key={o.key} data-testid={`offload-${o.key}`}>
                <th scope="row">{o.title}</th>
                <td>{o.result.verdict === 'does-not-fit' ? `Does not fit: ${o.result.reason}` : o.placement}</td>
                <td data-testid={`offload-${o.key}-speed`}>{'error' in o.result.speed ? '—' : tps(o.result.speed.upperBound)}</td>
                <td>{'error' in o.result.speed ? o.result.speed.error : `${o.result.speed.expectedLow.toFixed(1)}–${tps(o.result.speed.expectedHigh)}`}</td>
              </tr>
            ))}
          </ResultTable>
          <MemoryBars r={yours} />
          <FitCommand r={yours} />
        </div>
      ) : null}
    </form>
  );
}
