import { useUrlState } from '../ui/url-state';
import { ChoiceField } from '../ui/ChoiceField';
import { NumberField } from '../ui/NumberField';
import { SelectField } from '../ui/SelectField';
import { StackedBar, type BarSegment } from '../charts/StackedBar';
import { findModel, modelError, modelOptions } from './model-catalog';
import { PRECISIONS, compareRuntimes, type RuntimeColumn } from '../../lib/runtime-compare';
import { parseNumber } from '../../sizing/input';
import { formatAuto, GiB, type UnitSystem } from '../../sizing/units';
import { SizingError } from '../../sizing/errors';

interface Props {
  /** Query-string prefix. Default "rt". */
  id?: string;
  model?: string;
}

const UNITS = [
  { value: 'GB', label: 'GB', title: '10^9 bytes' },
  { value: 'GiB', label: 'GiB', title: '2^30 bytes, as llama.cpp, vLLM and nvidia-smi print sizes' },
] as const;
const PRECISION_CHOICES = PRECISIONS.map((p) => ({ value: p.id, label: p.label, title: p.title }));
const MAX_TOKENS = 16 * 1024 * 1024;

function segments(c: RuntimeColumn, gpuBytes: number): BarSegment[] {
  const list: BarSegment[] = [
    { label: 'Weights', value: c.estimate.weightsBytes, tone: 'weights' },
    { label: 'KV cache', value: c.estimate.kvCacheBytes, tone: 'kv' },
  ];
  if (c.vllm && c.vllm.poolBytes > c.estimate.kvCacheBytes) {
    list.push({ label: 'More KV blocks, pre-allocated', value: c.vllm.poolBytes - c.estimate.kvCacheBytes, tone: 'kvpool' });
  }
  list.push({ label: 'Compute', value: c.estimate.computeBytes, tone: 'compute' }, { label: 'Overhead', value: c.estimate.overheadBytes, tone: 'overhead' });
  const used = list.reduce((s, x) => s + x.value, 0);
  if (gpuBytes > used) list.push({ label: 'Free', value: gpuBytes - used, tone: 'free' });
  return list;
}

/** One model, precision and context under llama.cpp, vLLM and transformers: weights, KV, compute, overhead, total. */
export default function RuntimeCompare({ id = 'rt', model = 'llama-3.1-8b' }: Props) {
  const [state, set] = useUrlState({ model, precision: '4', ctx: '32768', seqs: '1', gpu: '24', unit: 'GiB' }, id ? `${id}.` : '');
  const unit: UnitSystem = state.unit === 'GB' ? 'GB' : 'GiB';
  const catalog = findModel(state.model);
  const precision = PRECISIONS.find((p) => p.id === state.precision) ?? PRECISIONS[0];
  const ctxParsed = parseNumber(state.ctx, { label: 'Context', min: 1, max: MAX_TOKENS, integer: true, unit: 'tokens' });
  const seqsParsed = parseNumber(state.seqs, { label: 'Sequences', min: 1, max: 4096, integer: true });
  const gpuParsed = parseNumber(state.gpu, { label: 'GPU memory', min: 0, minInclusive: false, max: 4096, unit: 'GiB' });
  let error: string | null = null;
  let columns: RuntimeColumn[] | null = null;
  if (catalog && precision && ctxParsed.ok && seqsParsed.ok && gpuParsed.ok) {
    try {
      columns = compareRuntimes(catalog.shape, { precision: precision.id, ctx: ctxParsed.value, seqs: seqsParsed.value, gpuBytes: gpuParsed.value * GiB });
    } catch (e) {
      if (!(e instanceof SizingError)) throw e;
      error = e.message;
    }
  }
  const fmt = (b: number) => formatAuto(b, unit);
  const gpuBytes = gpuParsed.ok ? gpuParsed.value * GiB : 0;
  const scale = columns ? Math.max(gpuBytes, ...columns.map((c) => Math.max(c.estimate.totalBytes, c.vllm ? c.vllm.claimBytes + c.estimate.overheadBytes : 0))) : 0;
  const rows: { label: string; get: (c: RuntimeColumn) => number }[] = [
    { label: 'Weights', get: (c) => c.estimate.weightsBytes },
    { label: 'KV cache', get: (c) => c.estimate.kvCacheBytes },
    { label: 'Compute', get: (c) => c.estimate.computeBytes },
    { label: 'Overhead', get: (c) => c.estimate.overheadBytes },
  ];

  return (
    <form class="calc" aria-label="Runtime comparison" onSubmit={(e) => e.preventDefault()}>
      <div class="calc__fields">
        <SelectField label="Model" name="model" value={state.model} options={modelOptions()} onChange={(v) => set('model', v)} error={modelError(state.model)} />
        <ChoiceField label="Precision" value={precision?.id ?? '4'} choices={PRECISION_CHOICES} onChange={(v) => set('precision', v)} />
        <NumberField
          label="Context"
          name="ctx"
          value={state.ctx}
          onInput={(v) => set('ctx', v)}
          error={ctxParsed.ok ? null : ctxParsed.message}
          hint="Tokens per sequence."
          suffix="tokens"
          inputMode="numeric"
        />
        <NumberField
          label="Concurrent sequences"
          name="seqs"
          value={state.seqs}
          onInput={(v) => set('seqs', v)}
          error={seqsParsed.ok ? null : seqsParsed.message}
          inputMode="numeric"
        />
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
      <output class="calc__result" aria-live="polite" aria-atomic="true">
        {columns === null || !catalog ? (
          <span class="calc__placeholder">{error ?? 'Fix the highlighted field to see the result.'}</span>
        ) : (
          <span class="calc__compare">
            {columns.map((c) => (
              <span class="calc__cell" key={c.runtime}>
                <span class="calc__label">{c.label}</span>{' '}
                <strong class="calc__value" data-testid={`rt-total-${c.runtime}`}>
                  {fmt(c.estimate.totalBytes)}
                </strong>
                <span class="calc__detail">
                  {c.formatLabel}; {c.estimate.totalBytes > gpuBytes ? `over ${fmt(gpuBytes)} by ${fmt(c.estimate.totalBytes - gpuBytes)}` : `fits ${fmt(gpuBytes)}`}.
                </span>
              </span>
            ))}
          </span>
        )}
      </output>
      {columns === null || !catalog ? null : (
        <div class="calc__more">
          <table class="calc__table" data-testid="rt-table">
            <caption>
              {catalog.entry.name}, {ctxParsed.ok ? ctxParsed.value.toLocaleString('en-US') : ''} tokens × {seqsParsed.ok ? seqsParsed.value : ''} ({unit === 'GB' ? 'GB = 10⁹ bytes' : 'GiB = 2³⁰ bytes'})
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
                  <td key={c.runtime}>{fmt(c.estimate.totalBytes)}</td>
                ))}
              </tr>
            </tbody>
          </table>
          {columns.map((c) => (
            <StackedBar
              key={c.runtime}
              label={c.label}
              summary={c.vllm ? `claims ${fmt(c.vllm.claimBytes)} at start-up` : `needs ${fmt(c.estimate.totalBytes)}`}
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
                  ? `vLLM takes ${c.vllm.utilization} × ${fmt(gpuBytes)} = ${fmt(c.vllm.claimBytes)} at start-up and gives the ${fmt(c.vllm.poolBytes)} left after weights, activations and CUDA graphs to KV blocks: ${c.vllm.tokens.toLocaleString('en-US')} tokens, room for ${c.vllm.concurrency.toFixed(1)} sequences of ${ctxParsed.ok ? ctxParsed.value.toLocaleString('en-US') : ''} tokens.`
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
                  {c.estimate.notes.map((n) => (
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
