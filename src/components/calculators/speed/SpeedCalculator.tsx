import { useUrlState } from '../../ui/url-state';
import { NumberField } from '../../ui/NumberField';
import { SelectField } from '../../ui/SelectField';
import { useLazyEngine } from '../../ui/use-lazy-engine';
import { ComputingNote } from '../../ui/ComputingNote';
import { LineChart } from '../../charts/LineChart';
import { compactModelError, groupedOptions, type CompactDevice, type CompactModel } from '../common/compact-catalog';
import { parseNumber } from '../../../sizing/input';
import { formatAuto } from '../../../sizing/units';
import { speedKey, type SpeedQuery } from '../common/deferred-keys';
import type { SpeedView } from './speed.view';
import { fieldError, ModelSelect, TokensField } from '../../ui/common-fields';
import { ResultTable } from '../../ui/ResultTable';
import { startFromSaved, type SavedHardware } from '../../ui/saved-hardware';
import { SavedHardwareNote } from '../../ui/SavedHardware';
import { useState } from 'preact/hooks';

interface Props {
  /** Query-string prefix. Default "sp". */
  id?: string;
  models: CompactModel[];
  devices: CompactDevice[];
  /** System RAM configurations for offloaded layers. */
  ram: CompactDevice[];
  /** The default inputs and their result, computed at build time (speedInitial). */
  initial: { input: SpeedQuery; result: SpeedView };
  model?: string;
  device?: string;
}

/** Common llama.cpp file types; the engine checks each against the model. */
const QUANTS = ['Q2_K', 'Q3_K_M', 'Q4_K_M', 'Q5_K_M', 'Q6_K', 'Q8_0', 'F16', 'BF16', 'MXFP4_MOE'].map((q) => ({ value: q, label: q }));
const MAX_TOKENS = 16 * 1024 * 1024;

// The engine and the catalogs are fetched on the first change; see use-lazy-engine.ts.
const loadEngine = () => import('./speed.view').then((m) => ({ compute: m.speedView }));

const tps = (x: number) => `${x >= 100 ? x.toFixed(0) : x.toFixed(1)} tokens/s`;
const tokensLabel = (x: number) => (x >= 1024 && x % 1024 === 0 ? `${x / 1024}K` : x.toLocaleString('en-US'));
const both = (b: number) => `${formatAuto(b, 'GB')} (${formatAuto(b, 'GiB')})`;

/**
 * The saved hardware as this calculator's device and offload RAM: the first GPU row with its RAM kind, the Mac, or
 * the RAM kind alone; null when the catalog lists here lack one of them.
 */
function speedFromSaved({ fields: f }: SavedHardware, devices: readonly CompactDevice[], ram: readonly CompactDevice[]) {
  const device = f.hw === 'gpu' ? f.gpu : f.hw === 'apple' ? f.mac : f.rambw;
  if (!devices.some((d) => d.id === device)) return null;
  return { device, bw: '', ram: f.hw === 'gpu' && ram.some((r) => r.id === f.rambw) ? f.rambw : 'none' };
}

/** Decode speed bound by memory bandwidth: tokens/s upper bound, bytes read per token, measured range, curve over context. */
export default function SpeedCalculator({ id = 'sp', models, devices, ram, initial, model = 'llama-3.1-8b', device = 'rtx-4090' }: Props) {
  const [applied, setApplied] = useState<SavedHardware | null>(null);
  const [state, set] = useUrlState(
    { model, quant: 'Q4_K_M', filled: '4096', device, bw: '', ram: 'none' },
    id ? `${id}.` : '',
    startFromSaved(['device', 'bw', 'ram'] as const, (s) => speedFromSaved(s, devices, ram), setApplied),
  );
  const modelMsg = compactModelError(state.model, models);
  const filled = parseNumber(state.filled, { label: 'Context filled', min: 0, max: MAX_TOKENS, integer: true, unit: 'tokens' });
  const custom = state.device === 'custom';
  const knownDevice = custom || devices.some((d) => d.id === state.device);
  const deviceMsg = knownDevice ? null : `Device: “${state.device.slice(0, 40)}” is not in the list; choose one.`;
  const bw = parseNumber(state.bw, { label: 'Bandwidth', min: 0, minInclusive: false, max: 100000, unit: 'GB/s' });
  const bwMsg = custom && !bw.ok ? bw.message : null;
  const ramMsg = state.ram === 'none' || ram.some((r) => r.id === state.ram) ? null : `System RAM: “${state.ram.slice(0, 40)}” is not in the list; choose one.`;
  const quantKnown = QUANTS.some((q) => q.value === state.quant);

  const usable = modelMsg === null && filled.ok && deviceMsg === null && bwMsg === null && ramMsg === null && quantKnown;
  const query: SpeedQuery | null = usable
    ? { model: state.model.trim(), quant: state.quant, filled: filled.ok ? filled.value : 0, device: state.device, bandwidthGBps: custom && bw.ok ? bw.value : null, ram: state.ram }
    : null;
  const engine = useLazyEngine(loadEngine, query, initial, { key: speedKey });
  const result = engine.error === null ? engine.result : null;
  const view = result?.ok ? result : null;
  const failed = result && !result.ok ? result : null;
  const quantMsg = !quantKnown ? `Quantization: “${state.quant.slice(0, 20)}” is not in the list; choose one.` : failed?.field === 'quant' ? `Quantization: ${failed.message}` : null;
  const ramEngineMsg = failed?.field === 'ramBandwidthGBps' ? 'System RAM: the model does not fit in the device memory; choose the system RAM that holds the rest.' : null;
  const otherMsg = engine.error ?? (failed && failed.field !== 'quant' && failed.field !== 'ramBandwidthGBps' ? failed.message : null);

  const deviceOptions = [...groupedOptions(devices, (d) => d.group), { label: 'Other', options: [{ value: 'custom', label: 'Custom bandwidth…' }] }];
  const ramOptions = [{ value: 'none', label: 'None (the model must fit on the device)' }, ...ram.map((r) => ({ value: r.id, label: r.name }))];
  const cpuOnly = devices.find((d) => d.id === state.device)?.group.startsWith('System RAM') ?? false;

  return (
    <form class="calc speed-calc" aria-label="Decode speed calculator" onSubmit={(e) => e.preventDefault()}>
      <div class="calc__fields">
        <ModelSelect value={state.model} models={models} onChange={(v) => set('model', v)} error={modelMsg} />
        <SelectField label="Quantization" name="quant" value={state.quant} options={QUANTS} onChange={(v) => set('quant', v)} error={quantMsg} hint="llama.cpp file type." />
        <TokensField
          label="Context filled"
          name="filled"
          value={state.filled}
          onInput={(v) => set('filled', v)}
          error={fieldError(filled)}
          hint="Tokens already in the cache: each new token reads all of them."
          accepts={['zero']}
        />
        <SelectField label="Device" name="device" value={state.device} options={deviceOptions} onChange={(v) => set('device', v)} error={deviceMsg} />
        {custom ? (
          <NumberField label="Bandwidth" name="bw" value={state.bw} onInput={(v) => set('bw', v)} error={bwMsg} hint="Peak memory bandwidth; the model is taken to fit." suffix="GB/s" />
        ) : null}
        {cpuOnly || custom ? null : (
          <SelectField
            label="System RAM for offload"
            name="ram"
            value={state.ram}
            options={ramOptions}
            onChange={(v) => set('ram', v)}
            error={ramMsg ?? ramEngineMsg}
            hint="Layers that do not fit on the device run from RAM (llama.cpp -ngl)."
          />
        )}
      </div>
      <SavedHardwareNote applied={applied} />
      <output class="calc__result" aria-live="polite" aria-atomic="true" aria-busy={engine.loading ? 'true' : 'false'}>
        {engine.loading ? <ComputingNote /> : null}
        {view ? (
          <>
            <span class="calc__compare">
              <span class="calc__cell">
                <span class="calc__label">Upper bound</span>{' '}
                <strong class="calc__value" data-testid="speed-bound">
                  {tps(view.tokensPerSecond)}
                </strong>
                <span class="calc__detail">bandwidth ÷ bytes read per token</span>
              </span>
              <span class="calc__cell">
                <span class="calc__label">Expected after measured efficiency</span>{' '}
                <strong class="calc__value" data-testid="speed-expected">
                  {view.expected.low === view.expected.high ? tps(view.expected.low) : `${tps(view.expected.low).replace(' tokens/s', '')}–${tps(view.expected.high)}`}
                </strong>
                <span class="calc__detail">
                  {Math.round(view.efficiency.low * 100)}
                  {view.efficiency.low === view.efficiency.high ? '' : `–${Math.round(view.efficiency.high * 100)}`}% of the bound. {view.efficiency.source}.
                </span>
              </span>
            </span>
            <span class="calc__detail">
              {view.modelName} on {view.deviceName}, {view.filled.toLocaleString('en-US')} tokens in the cache: each token reads{' '}
              <span data-testid="speed-bytes">{both(view.bytesPerToken.total)}</span> ({formatAuto(view.bytesPerToken.weights, 'GB')} of weights,{' '}
              {formatAuto(view.bytesPerToken.kv, 'GB')} of KV cache). {view.offloaded ? `Offloaded: ${view.reason} ` : ''}GB = 10⁹ bytes, GiB = 2³⁰ bytes; bandwidth in GB/s.
            </span>
          </>
        ) : (
          <span class="calc__placeholder">{otherMsg ?? 'Fix the highlighted field to see the result.'}</span>
        )}
      </output>
      {view ? (
        <div class="calc__more">
          <ResultTable testId="speed-reads" caption="Bytes read per token, by memory" columns={['Memory', 'Weights', 'KV cache', 'Bandwidth']}>
            {view.perDevice.map((d) => (
              <tr key={d.name}>
                <th scope="row">{d.name}</th>
                <td>{formatAuto(d.weightsBytes, 'GB')}</td>
                <td>{formatAuto(d.kvBytes, 'GB')}</td>
                <td>{d.bandwidthGBps.toLocaleString('en-US')} GB/s</td>
              </tr>
            ))}
          </ResultTable>
          {view.curve.length > 1 ? (
            <LineChart
              id={`${id}-chart`}
              title={`Decode speed upper bound of ${view.modelName} on ${view.deviceName} against context filled`}
              description={`From ${tps(view.curve[0]?.[1] ?? 0)} with an empty cache to ${tps(view.curve.at(-1)?.[1] ?? 0)} at ${(view.curve.at(-1)?.[0] ?? 0).toLocaleString('en-US')} tokens.`}
              xLabel="Tokens in the cache"
              yLabel="Upper bound (tokens/s)"
              formatX={tokensLabel}
              formatY={tps}
              formatYTick={(y) => y.toFixed(0)}
              series={[{ label: 'Upper bound', tone: 'a', points: view.curve }]}
            />
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
