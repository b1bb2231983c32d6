import { useUrlState } from '../../ui/url-state';
import { ChoiceField } from '../../ui/ChoiceField';
import { CheckboxGroup } from '../../ui/CheckboxGroup';
import { NumberField } from '../../ui/NumberField';
import { SelectField } from '../../ui/SelectField';
import { useLazyEngine } from '../../ui/use-lazy-engine';
import { ComputingNote } from '../../ui/ComputingNote';
import { StackedBar, type BarSegment } from '../../charts/StackedBar';
import { compactModelError, type CompactModel } from '../common/compact-catalog';
import { parseNumber } from '../../../sizing/input';
import { formatAuto, formatCount, type UnitSystem } from '../../../sizing/units';
import type { LoraTarget, TrainingMethod, TrainingOptimizer, TrainingPrecision } from '../../../sizing/plan/training';
import { trainingKey, type TrainingQuery } from '../common/deferred-keys';
import type { TrainingView } from './training.view';
import { fieldError, ModelSelect, TokensField } from '../../ui/common-fields';
import { UNIT_CHOICES } from '../common/select-options';

interface Props {
  /** Query-string prefix. Default "tr". */
  id?: string;
  models: CompactModel[];
  /** The default inputs and their result, computed at build time (trainingInitial). */
  initial: { input: TrainingQuery; result: TrainingView };
  model?: string;
}

const METHODS = [
  { value: 'full', label: 'Full fine-tune', title: 'Every weight trained' },
  { value: 'lora', label: 'LoRA', title: 'Base frozen in BF16, low-rank adapters trained' },
  { value: 'qlora', label: 'QLoRA', title: 'Base frozen in NF4 with double quantization, adapters trained' },
] as const;
const OPTIMIZERS = [
  { value: 'adamw', label: 'AdamW' },
  { value: 'adamw-8bit', label: '8-bit AdamW' },
  { value: 'sgd-momentum', label: 'SGD + momentum' },
  { value: 'sgd', label: 'SGD' },
  { value: 'adafactor', label: 'Adafactor' },
] as const;
const PRECISIONS = [
  { value: 'mixed', label: 'Mixed (BF16 + FP32 master)', title: 'BF16 weights and gradients, FP32 master weights and optimizer states' },
  { value: 'bf16', label: 'Pure BF16' },
  { value: 'fp32', label: 'FP32' },
] as const;
const ON_OFF = [
  { value: 'on', label: 'On' },
  { value: 'off', label: 'Off' },
] as const;
const UNITS = UNIT_CHOICES;
const TARGETS: readonly { value: LoraTarget; label: string; title: string }[] = [
  { value: 'q', label: 'q', title: 'q_proj' },
  { value: 'k', label: 'k', title: 'k_proj' },
  { value: 'v', label: 'v', title: 'v_proj' },
  { value: 'o', label: 'o', title: 'o_proj' },
  { value: 'gate', label: 'gate', title: 'gate_proj' },
  { value: 'up', label: 'up', title: 'up_proj' },
  { value: 'down', label: 'down', title: 'down_proj' },
];
const MAX_TOKENS = 16 * 1024 * 1024;

const pick = <T extends string>(v: string, list: readonly { value: T }[], fallback: T): T => list.find((c) => c.value === v)?.value ?? fallback;

// The engine and the catalogs are fetched on the first change; see use-lazy-engine.ts.
const loadEngine = () => import('./training.view').then((m) => ({ compute: m.trainingView }));

/** Memory to fine-tune one model: full, LoRA or QLoRA, with the breakdown and the GPUs it fits on. */
export default function TrainingCalculator({ id = 'tr', models, initial, model = 'llama-3.1-8b' }: Props) {
  const [state, set] = useUrlState(
    { model, method: 'lora', opt: 'adamw', prec: 'mixed', seq: '2048', batch: '1', ckpt: 'on', rank: '16', targets: 'q,k,v,o', unit: 'GB' },
    id ? `${id}.` : '',
  );
  const method: TrainingMethod = pick(state.method, METHODS, 'lora');
  const optimizer: TrainingOptimizer = pick(state.opt, OPTIMIZERS, 'adamw');
  const precision: TrainingPrecision = pick(state.prec, PRECISIONS, 'mixed');
  const checkpointing = state.ckpt !== 'off';
  const unit: UnitSystem = state.unit === 'GiB' ? 'GiB' : 'GB';
  const modelMsg = compactModelError(state.model, models);
  const seq = parseNumber(state.seq, { label: 'Sequence length', min: 1, max: MAX_TOKENS, integer: true, unit: 'tokens' });
  const batch = parseNumber(state.batch, { label: 'Micro-batch', min: 1, max: 4096, integer: true });
  const lora = method !== 'full';
  const rank = parseNumber(state.rank, { label: 'LoRA rank', min: 1, max: 65536, integer: true });
  const targets = TARGETS.map((t) => t.value).filter((t) => state.targets.split(',').includes(t));
  const targetsMsg = lora && targets.length === 0 ? 'Target modules: choose at least one.' : null;

  const usable = modelMsg === null && seq.ok && batch.ok && (!lora || (rank.ok && targetsMsg === null));
  const query: TrainingQuery | null = usable
    ? { model: state.model.trim(), method, optimizer, precision, seqLen: seq.ok ? seq.value : 1, batch: batch.ok ? batch.value : 1, checkpointing, rank: rank.ok ? rank.value : 16, targets }
    : null;
  const engine = useLazyEngine(loadEngine, query, initial, { key: trainingKey });
  const view = engine.error === null && engine.result?.ok ? engine.result : null;
  const engineMsg = engine.error ?? (engine.result?.ok === false ? engine.result.message : null);

  const fmt = (b: number) => formatAuto(b, unit);
  const both = (b: number) => `${formatAuto(b, 'GB')} (${formatAuto(b, 'GiB')})`;
  const segments: BarSegment[] = view
    ? [
        { label: method === 'full' ? 'Weights (BF16)' : 'Frozen base + adapters', value: view.bytes.weights, tone: 'weights' },
        { label: 'Gradients', value: view.bytes.gradients, tone: 'kv' },
        { label: 'Master weights (FP32)', value: view.bytes.masterWeights, tone: 'kvpool' },
        { label: 'Optimizer states', value: view.bytes.optimizerStates, tone: 'compute' },
        { label: 'Activations', value: view.bytes.activations, tone: 'overhead' },
        { label: 'Logits', value: view.bytes.logits, tone: 'free' },
      ]
    : [];

  return (
    <form class="calc train-calc" aria-label="Training memory calculator" onSubmit={(e) => e.preventDefault()}>
      <div class="calc__fields">
        <ModelSelect value={state.model} models={models} onChange={(v) => set('model', v)} error={modelMsg} />
        <ChoiceField label="Method" value={method} choices={METHODS} onChange={(v) => set('method', v)} />
        <SelectField label="Optimizer" name="opt" value={optimizer} options={OPTIMIZERS} onChange={(v) => set('opt', v)} error={null} />
        <SelectField label="Precision" name="prec" value={precision} options={PRECISIONS} onChange={(v) => set('prec', v)} error={null} />
        <TokensField label="Sequence length" name="seq" value={state.seq} onInput={(v) => set('seq', v)} error={fieldError(seq)} />
        <NumberField
          label="Micro-batch"
          name="batch"
          value={state.batch}
          onInput={(v) => set('batch', v)}
          error={batch.ok ? null : batch.message}
          hint="Sequences per step on the GPU (gradient accumulation adds no memory)."
          inputMode="numeric"
        />
        <ChoiceField label="Gradient checkpointing" value={checkpointing ? 'on' : 'off'} choices={ON_OFF} onChange={(v) => set('ckpt', v)} />
        {lora ? (
          <>
            <NumberField label="LoRA rank" name="rank" value={state.rank} onInput={(v) => set('rank', v)} error={rank.ok ? null : rank.message} hint="r: adapter parameters are r × (d_in + d_out) per matrix." inputMode="numeric" />
            <CheckboxGroup id={`${id}-targets`} label="Target modules" values={targets} choices={TARGETS} onChange={(v) => set('targets', v.join(','))} error={targetsMsg} />
          </>
        ) : null}
        <ChoiceField label="Unit" value={unit} choices={UNITS} onChange={(v) => set('unit', v)} />
      </div>
      <output class="calc__result" aria-live="polite" aria-atomic="true" aria-busy={engine.loading ? 'true' : 'false'}>
        {engine.loading ? <ComputingNote /> : null}
        {view ? (
          <>
            <span class="calc__label">Training memory</span>{' '}
            <strong class="calc__value" data-testid="train-total">
              {fmt(view.bytes.total)}
            </strong>
            <span class="calc__detail">
              {view.modelName}: {formatCount(view.params.trainable)} of {formatCount(view.params.total)} parameters trained, at{' '}
              <span data-testid="train-bpp">{view.bytesPerTrainableParam.toFixed(1)}</span> bytes per trained parameter before activations. Total {both(view.bytes.total)}{' '}
              before the CUDA context and allocator slack. {unit === 'GB' ? 'GB = 10⁹ bytes.' : 'GiB = 2³⁰ bytes.'}
            </span>
          </>
        ) : (
          <span class="calc__placeholder">{engineMsg ?? 'Fix the highlighted field to see the result.'}</span>
        )}
      </output>
      {view ? (
        <div class="calc__more">
          <StackedBar label="Where the memory goes" segments={segments} format={fmt} summary={`total ${fmt(view.bytes.total)}`} />
          <table class="calc__table" data-testid="train-gpus">
            <caption>
              Fits on one GPU? Total plus the CUDA context ({formatAuto(view.cudaContextBytes, 'GiB')}), against the card’s memory
            </caption>
            <thead>
              <tr>
                <th scope="col">GPU</th>
                <th scope="col">Memory</th>
                <th scope="col">Fits</th>
                <th scope="col">Spare or missing</th>
              </tr>
            </thead>
            <tbody>
              {view.gpus.map((g) => (
                <tr key={g.name}>
                  <th scope="row">{g.name}</th>
                  <td>{fmt(g.memoryBytes)}</td>
                  <td>{g.spareBytes >= 0 ? 'Yes' : 'No'}</td>
                  <td>{g.spareBytes >= 0 ? `${fmt(g.spareBytes)} spare` : `${fmt(-g.spareBytes)} short`}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ul class="calc__notes">
            {view.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </form>
  );
}
