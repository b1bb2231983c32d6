import { useUrlState } from '../../ui/url-state';
import { useLazyEngine } from '../../ui/use-lazy-engine';
import { ComputingNote } from '../../ui/ComputingNote';
import { ChoiceField } from '../../ui/ChoiceField';
import { NumberField } from '../../ui/NumberField';
import { StackedBar, type BarSegment } from '../../charts/StackedBar';
import { compactModelError } from '../common/compact-catalog';
import type { ColumnView, CompareInput, RuntimeCompareData } from './runtime-compare.view';
import { PRECISIONS } from './runtime-precisions';
import { parseNumber } from '../../../sizing/input';
import { formatAuto, GiB, type UnitSystem } from '../../../sizing/units';
import { fieldError, ModelSelect, SequencesField, TokensField } from '../../ui/common-fields';
import { UNIT_CHOICES } from '../common/select-options';
import { gibField, startFromSaved, type SavedHardware } from '../../ui/saved-hardware';
import { SavedHardwareNote } from '../../ui/SavedHardware';
import { useState } from 'preact/hooks';

interface Props extends RuntimeCompareData {
  /** Query-string prefix. Default "rt". */
  id?: string;
  model?: string;
}

const UNITS = UNIT_CHOICES;
const PRECISION_CHOICES = PRECISIONS.map((p) => ({ value: p.id, label: p.label, title: p.title }));
const MAX_TOKENS = 16 * 1024 * 1024;

// The engine (catalog, estimate() for three runtimes) is fetched on the first change; see use-lazy-engine.ts.
const loadEngine = () => import('./runtime-compare.view');

function segments(c: ColumnView, gpuBytes: number): BarSegment[] {
  const list: BarSegment[] = [
    { label: 'Weights', value: c.weightsBytes, tone: 'weights' },
    { label: 'KV cache', value: c.kvCacheBytes, tone: 'kv' },
  ];
  if (c.vllm && c.vllm.poolBytes > c.kvCacheBytes) {
    list.push({ label: 'More KV blocks, pre-allocated', value: c.vllm.poolBytes - c.kvCacheBytes, tone: 'kvpool' });
  }
  list.push({ label: 'Compute', value: c.computeBytes, tone: 'compute' }, { label: 'Overhead', value: c.overheadBytes, tone: 'overhead' });
  const used = list.reduce((s, x) => s + x.value, 0);
  if (gpuBytes > used) list.push({ label: 'Free', value: gpuBytes - used, tone: 'free' });
  return list;
}

/**
 * One model, precision and context under llama.cpp, vLLM and transformers: weights, KV, compute, overhead, total.
 * `models` and `initial` come from runtimeCompareProps() at build time.
 */
/** Saved hardware with GPUs: one card's memory (the comparison is of one GPU). A Mac or the CPU alone: the default. */
const gpuFromSaved = (s: SavedHardware) => {
  const gpu = s.fields.hw === 'gpu' ? gibField(s.gpuBytes) : null;
  return gpu === null ? null : { gpu };
};

export default function RuntimeCompare({ id = 'rt', model = 'llama-3.1-8b', models, initial }: Props) {
  const [applied, setApplied] = useState<SavedHardware | null>(null);
  const [state, set] = useUrlState(
    { model, precision: '4', ctx: '32768', seqs: '1', gpu: '24', unit: 'GiB' },
    id ? `${id}.` : '',
    startFromSaved(['gpu'] as const, gpuFromSaved, setApplied),
  );
  const unit: UnitSystem = state.unit === 'GB' ? 'GB' : 'GiB';
  const modelMsg = compactModelError(state.model, models);
  const precision = PRECISIONS.find((p) => p.id === state.precision) ?? PRECISIONS[0];
  const ctxParsed = parseNumber(state.ctx, { label: 'Context', min: 1, max: MAX_TOKENS, integer: true, unit: 'tokens' });
  const seqsParsed = parseNumber(state.seqs, { label: 'Sequences', min: 1, max: 4096, integer: true });
  const gpuParsed = parseNumber(state.gpu, { label: 'GPU memory', min: 0, minInclusive: false, max: 4096, unit: 'GiB' });

  const input: CompareInput | null =
    modelMsg === null && precision && ctxParsed.ok && seqsParsed.ok && gpuParsed.ok
      ? { model: state.model, precision: precision.id, ctx: ctxParsed.value, seqs: seqsParsed.value, gpuBytes: gpuParsed.value * GiB }
      : null;
  const engine = useLazyEngine(loadEngine, input, initial);
  const error = engine.error ?? (engine.result?.ok === false ? engine.result.message : null);
  const view = engine.error === null && engine.result?.ok ? engine.result.view : null;
  const columns = view?.columns ?? null;

  const fmt = (b: number) => formatAuto(b, unit);
  // The figures' text follows the input they were computed for, which differs from the fields while computing.
  const gpuBytes = view?.input.gpuBytes ?? 0;
  const scale = columns ? Math.max(gpuBytes, ...columns.map((c) => Math.max(c.totalBytes, c.vllm ? c.vllm.claimBytes + c.overheadBytes : 0))) : 0;
  const rows: { label: string; get: (c: ColumnView) => number }[] = [
    { label: 'Weights', get: (c) => c.weightsBytes },
    { label: 'KV cache', get: (c) => c.kvCacheBytes },
    { label: 'Compute', get: (c) => c.computeBytes },
    { label: 'Overhead', get: (c) => c.overheadBytes },
  ];

  return (
    <form class="calc" aria-label="Runtime comparison" onSubmit={(e) => e.preventDefault()}>
      <div class="calc__fields">
        <ModelSelect value={state.model} models={models} onChange={(v) => set('model', v)} error={modelMsg} />
        <ChoiceField label="Precision" value={precision?.id ?? '4'} choices={PRECISION_CHOICES} onChange={(v) => set('precision', v)} />
        <TokensField value={state.ctx} onInput={(v) => set('ctx', v)} error={fieldError(ctxParsed)} hint="Tokens per sequence." />
        <SequencesField value={state.seqs} onInput={(v) => set('seqs', v)} error={fieldError(seqsParsed)} />
        <NumberField
          label="GPU memory"
          name="gpu"
          value={state.gpu}
          onInput={(v) => set('gpu', v)}
          error={gpuParsed.ok ? null : gpuParsed.message}
          hint="A “24 GB” card holds 24 GiB. vLLM sizes its reserve and KV pool from it."
          suffix="GiB"
        />
        <ChoiceField label="Unit" value={unit} choices={UNITS} onChange={(v) => set('unit', v)} />
      </div>
      <SavedHardwareNote applied={applied} />
      <output class="calc__result" aria-live="polite" aria-atomic="true" aria-busy={engine.loading ? 'true' : 'false'}>
        {engine.loading ? <ComputingNote /> : null}
        {view === null || columns === null ? (
          <span class="calc__placeholder">{error ?? 'Fix the highlighted field to see the result.'}</span>
        ) : (
          <span class="calc__compare">
            {columns.map((c) => (
              <span class="calc__cell" key={c.runtime}>
                <span class="calc__label">{c.label}</span>{' '}
                <strong class="calc__value" data-testid={`rt-total-${c.runtime}`}>
                  {fmt(c.totalBytes)}
                </strong>
                <span class="calc__detail">
                  {c.formatLabel}; {c.totalBytes > gpuBytes ? `over ${fmt(gpuBytes)} by ${fmt(c.totalBytes - gpuBytes)}` : `fits ${fmt(gpuBytes)}`}.
                </span>
              </span>
            ))}
          </span>
        )}
      </output>
      {view === null || columns === null ? null : (
        <div class="calc__more">
          <table class="calc__table" data-testid="rt-table">
            <caption>
              {view.modelName}, {view.input.ctx.toLocaleString('en-US')} tokens × {view.input.seqs} ({unit === 'GB' ? 'GB = 10⁹ bytes' : 'GiB = 2³⁰ bytes'})
            </caption>
            <thead>
              <tr>
                <td />
                {columns.map((c) => (
                  <th scope="col" key={c.runtime}>
                    {c.label}
                    <span class="calc__sub">
                      <code>{c.format}</code>
                    </span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.label}>
                  <th scope="row">{r.label}</th>
                  {columns.map((c) => (
                    <td key={c.runtime}>{fmt(r.get(c))}</td>
                  ))}
                </tr>
              ))}
              <tr class="calc__total">
                <th scope="row">Total</th>
                {columns.map((c) => (
                  <td key={c.runtime}>{fmt(c.totalBytes)}</td>
                ))}
              </tr>
            </tbody>
          </table>
          {columns.map((c) => (
            <StackedBar
              key={c.runtime}
              label={c.label}
              summary={c.vllm ? `claims ${fmt(c.vllm.claimBytes)} at start-up` : `needs ${fmt(c.totalBytes)}`}
              segments={segments(c, gpuBytes)}
              format={fmt}
              scale={scale}
              capacity={gpuBytes}
              capacityLabel="GPU memory"
            />
          ))}
          {columns.map((c) =>
            c.vllm ? (
              <p class="calc__note" key="vllm" data-testid="rt-vllm-pool">
                {c.vllm.poolBytes > 0
                  ? `vLLM takes ${c.vllm.utilization} × ${fmt(gpuBytes)} = ${fmt(c.vllm.claimBytes)} at start-up and gives the ${fmt(c.vllm.poolBytes)} left after weights, activations and CUDA graphs to KV blocks: ${c.vllm.tokens.toLocaleString('en-US')} tokens, room for ${c.vllm.concurrency.toFixed(1)} sequences of ${view.input.ctx.toLocaleString('en-US')} tokens.`
                  : `vLLM would not start: after weights and activations nothing is left of ${c.vllm.utilization} × ${fmt(gpuBytes)} for KV blocks.`}
              </p>
            ) : null,
          )}
          <details class="calc__details">
            <summary>Assumptions and versions</summary>
            {columns.map((c) => (
              <div key={c.runtime}>
                <p class="calc__notes-title">{c.label}</p>
                <ul class="calc__notes">
                  {c.notes.map((n) => (
                    <li key={n}>{n}</li>
                  ))}
                </ul>
              </div>
            ))}
          </details>
        </div>
      )}
    </form>
  );
}
