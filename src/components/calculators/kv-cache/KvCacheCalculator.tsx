import { useUrlState } from '../../ui/url-state';
import { useLazyEngine } from '../../ui/use-lazy-engine';
import { ComputingNote } from '../../ui/ComputingNote';
import { ChoiceField } from '../../ui/ChoiceField';
import { SelectField } from '../../ui/SelectField';
import { LineChart } from '../../charts/LineChart';
import { compactModelError } from '../common/compact-catalog';
import type { KvCacheData, KvInput } from './kv-cache.view';
import { parseNumber } from '../../../sizing/input';
import { autoUnit, formatAuto, formatBytes, toUnit, type UnitSystem } from '../../../sizing/units';
import type { RuntimeName } from '../../../sizing/memory/runtime-profiles';
import { fieldError, ModelSelect, SequencesField, TokensField } from '../../ui/common-fields';
import { UNIT_CHOICES } from '../common/select-options';
import { ResultTable } from '../../ui/ResultTable';

interface Props extends KvCacheData {
  /** Query-string prefix. Default "kv". */
  id?: string;
  model?: string;
  ctx?: string;
}

const RUNTIMES = [
  { value: 'llama.cpp', label: 'llama.cpp', title: 'llama.cpp, Ollama, LM Studio' },
  { value: 'vllm', label: 'vLLM' },
  { value: 'transformers', label: 'transformers' },
] as const;
const UNITS = UNIT_CHOICES;
const SCALES = [
  { value: 'log', label: 'Log' },
  { value: 'linear', label: 'Linear' },
] as const;
const ON_OFF = [
  { value: 'on', label: 'On' },
  { value: 'off', label: 'Off' },
] as const;
const TYPE_LABELS: Record<string, string> = { auto: 'auto (model dtype, BF16)', fp8: 'fp8 (E4M3)' };
/** Context the engine accepts: 16M tokens (MAX_CTX in estimate.ts). */
const MAX_TOKENS = 16 * 1024 * 1024;

/** 32768 -> "32K", 40960 -> "40K", 128000 -> "128,000": K only where it is exact binary thousands. */
const tokensLabel = (x: number) => (x >= 1024 && x % 1024 === 0 && x % 1000 !== 0 ? `${x / 1024}K` : x.toLocaleString('en-US'));

/** Axis ticks in one unit, the one that suits the largest value: "0", "20 GiB", "40 GiB". */
function tickFormat(max: number, system: UnitSystem): (y: number) => string {
  const unit = autoUnit(max, system);
  return (y) => {
    const v = toUnit(y, unit);
    return y === 0 ? '0' : formatBytes(y, unit, { digits: Number.isInteger(v) || v >= 10 ? 0 : 1 });
  };
}

const asRuntime = (v: string): RuntimeName => (v === 'vllm' || v === 'transformers' ? v : 'llama.cpp');
const runtimeLabel = (runtime: RuntimeName) => RUNTIMES.find((r) => r.value === runtime)?.label ?? runtime;

// The engine (catalog, model shapes, runtime rules) is fetched on the first change; see use-lazy-engine.ts.
const loadEngine = () => import('./kv-cache.view');

/**
 * KV cache: textbook formula vs what a runtime allocates, for one model, context, batch and cache type, with a chart.
 * `models`, `kvTypes` and `initial` come from kvCacheProps() at build time.
 */
export default function KvCacheCalculator({ id = 'kv', model = 'llama-3.1-8b', ctx = '32768', models, kvTypes, initial }: Props) {
  const [state, set] = useUrlState({ model, ctx, seqs: '1', runtime: 'llama.cpp', type: 'f16', fa: 'on', scale: 'log', unit: 'GiB' }, id ? `${id}.` : '');
  const runtime = asRuntime(state.runtime);
  const unit: UnitSystem = state.unit === 'GB' ? 'GB' : 'GiB';
  const scale = state.scale === 'linear' ? 'linear' : 'log';
  const flashAttn = state.fa !== 'off';
  const modelMsg = compactModelError(state.model, models);
  const ctxParsed = parseNumber(state.ctx, { label: 'Context', min: 1, max: MAX_TOKENS, integer: true, unit: 'tokens' });
  const seqsParsed = parseNumber(state.seqs, { label: 'Sequences', min: 1, max: 4096, integer: true });
  const types = kvTypes[runtime];
  const listedType = types.includes(state.type);

  const input: KvInput | null =
    modelMsg === null && ctxParsed.ok && seqsParsed.ok && listedType
      ? { model: state.model, ctx: ctxParsed.value, seqs: seqsParsed.value, runtime, type: state.type, flashAttn, scale }
      : null;
  const engine = useLazyEngine(loadEngine, input, initial);
  const refused = engine.result?.ok === false ? engine.result : null;
  const typeMsg = listedType ? (refused?.field === 'type' ? refused.message : null) : `KV type: ${runtimeLabel(runtime)} accepts ${types.join(', ')}.`;
  const otherMsg = engine.error ?? (refused?.field === 'other' ? refused.message : null);
  const result = engine.error === null && engine.result?.ok ? engine.result.view : null;

  const fmt = (b: number) => formatAuto(b, unit);
  const changeRuntime = (v: string) => {
    set('runtime', v);
    set('type', kvTypes[asRuntime(v)][0] ?? 'f16');
  };
  // The figures' labels follow the input they were computed for, which differs from the fields while computing.
  const shown = result?.input;
  const shownRuntime = shown ? runtimeLabel(shown.runtime) : '';
  const beyond = result !== null && shown !== undefined && shown.ctx > result.contextLength;

  return (
    <form class="calc" aria-label="KV cache calculator" onSubmit={(e) => e.preventDefault()}>
      <div class="calc__fields">
        <ModelSelect value={state.model} models={models} onChange={(v) => set('model', v)} error={modelMsg} />
        <TokensField value={state.ctx} onInput={(v) => set('ctx', v)} error={fieldError(ctxParsed)} hint="Tokens per sequence: prompt plus reply." />
        <SequencesField
          value={state.seqs}
          onInput={(v) => set('seqs', v)}
          error={fieldError(seqsParsed)}
          hint="Users or parallel slots served at once (llama.cpp -np, batch size)."
        />
        <ChoiceField label="Runtime" value={runtime} choices={RUNTIMES} onChange={changeRuntime} />
        <SelectField
          label="KV cache type"
          name="type"
          value={state.type}
          options={types.map((t) => ({ value: t, label: TYPE_LABELS[t] ?? t }))}
          onChange={(v) => set('type', v)}
          error={typeMsg}
        />
        {runtime === 'llama.cpp' ? (
          <ChoiceField label="Flash attention" value={flashAttn ? 'on' : 'off'} choices={ON_OFF} onChange={(v) => set('fa', v)} />
        ) : null}
        <ChoiceField label="Chart axis" value={scale} choices={SCALES} onChange={(v) => set('scale', v)} />
        <ChoiceField label="Unit" value={unit} choices={UNITS} onChange={(v) => set('unit', v)} />
      </div>
      <output class="calc__result" aria-live="polite" aria-atomic="true" aria-busy={engine.loading ? 'true' : 'false'}>
        {engine.loading ? <ComputingNote /> : null}
        {result === null || shown === undefined ? (
          <span class="calc__placeholder">{otherMsg ?? 'Fix the highlighted field to see the result.'}</span>
        ) : (
          <>
            <span class="calc__compare">
              <span class="calc__cell">
                <span class="calc__label">Textbook formula</span>{' '}
                <strong class="calc__value" data-testid="kv-textbook">
                  {fmt(result.textbook)}
                </strong>
                <span class="calc__detail">2 × bytes × layers × hidden size × tokens × sequences</span>
              </span>
              <span class="calc__cell">
                <span class="calc__label">What {shownRuntime} allocates</span>{' '}
                <strong class="calc__value" data-testid="kv-real">
                  {fmt(result.real.bytes)}
                </strong>
                <span class="calc__detail">
                  {formatBytes(result.real.perTokenBytes, 'KiB', { digits: 1 })} per extra token at long context; the textbook is{' '}
                  <span data-testid="kv-ratio">{(result.textbook / result.real.bytes).toFixed(1)}</span>× this.
                </span>
              </span>
            </span>
            <span class="calc__detail">
              {result.modelName}, {shown.ctx.toLocaleString('en-US')} tokens × {shown.seqs} sequence
              {shown.seqs === 1 ? '' : 's'}, {shown.type} cache, {result.real.runtime} {result.real.version}.
              {beyond ? ` Beyond the model's trained context of ${result.contextLength.toLocaleString('en-US')} tokens.` : ''}{' '}
              {unit === 'GB' ? 'GB = 10⁹ bytes.' : 'GiB = 2³⁰ bytes.'}
            </span>
          </>
        )}
      </output>
      {result === null || shown === undefined ? null : (
        <div class="calc__more">
          <ResultTable testId="kv-groups" caption="Cache by layer group" columns={['Layers', 'Kind', 'Cells', 'Type', 'Bytes']}>
            {result.real.groups.map((g) => (
              <tr key={`${g.label}/${g.cells}/${g.typeK}`}>
                <td>{g.layers}</td>
                <th scope="row">{g.label}</th>
                <td>{g.cells.toLocaleString('en-US')}</td>
                <td>{g.typeK === g.typeV ? g.typeK : `${g.typeK} / ${g.typeV}`}</td>
                <td>{fmt(g.bytes)}</td>
              </tr>
            ))}
          </ResultTable>
          {result.real.notes.length > 0 ? (
            <ul class="calc__notes">
              {result.real.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          ) : null}
          <LineChart
            id={`${id}-chart`}
            title={`KV cache of ${result.modelName} against context length`}
            description={`Two curves from ${result.curve[0]?.x.toLocaleString('en-US')} to ${result.contextLength.toLocaleString('en-US')} tokens. At the longest context the textbook formula gives ${fmt(result.curve.at(-1)?.textbook ?? 0)} and ${shownRuntime} allocates ${fmt(result.curve.at(-1)?.real ?? 0)}.`}
            xScale={shown.scale}
            xLabel="Context (tokens)"
            yLabel={`KV cache (${unit})`}
            formatX={tokensLabel}
            formatY={fmt}
            formatYTick={tickFormat(Math.max(...result.curve.map((p) => p.textbook)), unit)}
            series={[
              { label: 'Textbook formula', tone: 'b', dashed: true, points: result.curve.map((p) => [p.x, p.textbook] as const) },
              { label: `${shownRuntime} allocates`, tone: 'a', points: result.curve.map((p) => [p.x, p.real] as const) },
            ]}
          />
        </div>
      )}
    </form>
  );
}
