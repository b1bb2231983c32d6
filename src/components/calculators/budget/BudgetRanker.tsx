import { useEffect, useState } from 'preact/hooks';
import { useUrlState } from '../../ui/url-state';
import { NumberField } from '../../ui/NumberField';
import { ChoiceField } from '../../ui/ChoiceField';
import { parseNumber } from '../../../sizing/input';
import { formatAuto, formatCount, GB, GiB, type UnitSystem } from '../../../sizing/units';
import type { Ranking, RankedPair } from './budget.view';
import { fieldError, TokensField } from '../../ui/common-fields';
import { UNIT_CHOICES } from '../common/select-options';
import { gibField, startFromSaved, type SavedHardware } from '../../ui/saved-hardware';
import { SavedHardwareNote } from '../../ui/SavedHardware';

interface Props {
  /** The ranking for the default inputs, computed at build time, so the page shows it before any JavaScript runs. */
  initial: Ranking;
  /** Default inputs (they must be the ones `initial` was computed for). */
  budget?: string;
  unit?: UnitSystem;
  ctx?: string;
  /** Query-string prefix. */
  id?: string;
}

const UNITS = UNIT_CHOICES;

const MAX_BUDGET = 10_000;
const MAX_CTX = 1_048_576;

function parseBudget(raw: string, unit: UnitSystem) {
  return parseNumber(raw, { label: 'Memory budget', min: 0, minInclusive: false, max: MAX_BUDGET, unit });
}

function parseCtx(raw: string) {
  const parsed = parseNumber(raw, { label: 'Context', min: 1, max: MAX_CTX, integer: true, unit: 'tokens', countSuffixes: true });
  return parsed.ok ? parsed : { ...parsed, message: parsed.message.replace('at least 1 tokens', 'at least 1 token') };
}

function Flag({ pair }: { pair: RankedPair }) {
  if (pair.risky) {
    return <span class="flag flag--bad">{pair.small ? 'Risky: under 3 bits on a model under 30B' : 'Risky: under 3 bits'}</span>;
  }
  if (pair.tier === 'low') return <span class="flag">Below 4.5 bits</span>;
  return null;
}

function RankTable({ ranking, unit }: { ranking: Ranking; unit: UnitSystem }) {
  const fmt = (b: number) => formatAuto(b, unit);
  return (
    <section class="table-scroll ranker__scroll" tabIndex={0} aria-label="Ranking">
      <table class="ranker__list">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Model</th>
            <th scope="col">Parameters</th>
            <th scope="col">File type</th>
            <th scope="col">Bits per weight</th>
            <th scope="col">Total</th>
            <th scope="col">Margin</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {ranking.pairs.map((p, i) => (
            <tr key={p.modelId} data-testid="ranker-row" class={p.risky ? 'ranker__row--risky' : undefined}>
              <td>{i + 1}</td>
              <th scope="row" data-testid="ranker-model">
                {p.modelName}
              </th>
              <td>{formatCount(p.params)}</td>
              <td data-testid="ranker-quant">
                <code>{p.fileType}</code>
              </td>
              <td>{p.bits.toFixed(2)}</td>
              <td data-testid="ranker-total">{fmt(p.totalBytes)}</td>
              <td data-testid="ranker-margin">{fmt(p.marginBytes)}</td>
              <td>
                <Flag pair={p} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * For a memory budget and a context, every catalog model at the most llama.cpp bits that fit (weights + KV cache +
 * compute), ranked: models at 4.5 bits per weight or more by size, then the rest by bits; under 3 bits flagged.
 * The default ranking arrives as a prop; the engine and the catalog load only when an input changes.
 */
export default function BudgetRanker({ initial, budget = '24', unit = 'GB', ctx = '8192', id = 'br' }: Props) {
  const [applied, setApplied] = useState<SavedHardware | null>(null);
  // Saved hardware: the memory it leaves for models (the GPUs' less the margin on each, a Mac's working set, or the RAM), in GiB.
  const fromSaved = (s: SavedHardware) => {
    const b = gibField(s.modelBytes);
    return b === null ? null : { budget: b, unit: 'GiB' };
  };
  const [state, set] = useUrlState({ budget, unit, ctx }, id ? `${id}.` : '', startFromSaved(['budget', 'unit'] as const, fromSaved, setApplied));
  const system: UnitSystem = state.unit === 'GiB' ? 'GiB' : 'GB';
  const unitError = state.unit === 'GB' || state.unit === 'GiB' ? null : 'Unit: choose GB or GiB.';
  const b = parseBudget(state.budget, system);
  const c = parseCtx(state.ctx);
  const budgetBytes = b.ok ? b.value * (system === 'GB' ? GB : GiB) : null;
  const ctxTokens = c.ok ? c.value : null;
  const valid = budgetBytes !== null && ctxTokens !== null && unitError === null;
  const key = valid ? `${budgetBytes}|${ctxTokens}` : '';
  const initialKey = `${initial.budgetBytes}|${initial.ctx}`;

  const [computed, setComputed] = useState<{ key: string; ranking: Ranking } | null>(null);
  useEffect(() => {
    if (!valid || key === initialKey) return;
    let live = true;
    const timer = setTimeout(() => {
      void import('./budget.view').then((m) => {
        if (live) setComputed({ key, ranking: m.rankForBudget(budgetBytes, ctxTokens) });
      });
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // budgetBytes and ctxTokens are encoded in key
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const ranking = !valid ? null : key === initialKey ? initial : computed?.key === key ? computed.ranking : null;
  const top = ranking?.pairs[0];

  return (
    <form class="calc ranker" aria-label="Budget ranker" onSubmit={(e) => e.preventDefault()}>
      <div class="calc__fields">
        <NumberField
          label="Memory budget"
          name="budget"
          value={state.budget}
          onInput={(v) => set('budget', v)}
          error={b.ok ? null : b.message}
          suffix={system}
          hint="Memory free for the model: the GPU's, less the desktop and about 0.4 GiB of CUDA context."
        />
        <ChoiceField label="Unit" value={system} choices={UNITS} onChange={(v) => set('unit', v)} />
        <TokensField value={state.ctx} onInput={(v) => set('ctx', v)} error={fieldError(c)} hint="Tokens of context, one sequence, f16 KV cache (8K = 8,192)." />
      </div>
      <SavedHardwareNote applied={applied} />
      {unitError ? (
        <p class="field__error" role="alert">
          {unitError}
        </p>
      ) : null}
      <output class="calc__result" aria-live="polite" aria-atomic="true" data-testid="ranker-output">
        {!valid ? (
          <span class="calc__placeholder">Fix the highlighted field to see the ranking.</span>
        ) : ranking === null ? (
          <span class="calc__placeholder">Ranking the catalog…</span>
        ) : ranking.pairs.length === 0 ? (
          <span data-testid="ranker-summary">
            Nothing in the catalog fits in {formatAuto(ranking.budgetBytes, system)} with {ranking.ctx.toLocaleString('en-US')} tokens of
            context, not even at IQ1_S.
          </span>
        ) : (
          <span data-testid="ranker-summary">
            {ranking.pairs.length} models fit in {formatAuto(ranking.budgetBytes, system)} with {ranking.ctx.toLocaleString('en-US')} tokens of
            context. First: <strong class="calc__value">{top?.modelName}</strong> at <code>{top?.fileType}</code>.
            {ranking.tooShort > 0 ? ` ${ranking.tooShort} models with a shorter context window are left out.` : ''}
          </span>
        )}
      </output>
      {ranking && ranking.pairs.length > 0 ? <RankTable ranking={ranking} unit={system} /> : null}
    </form>
  );
}
