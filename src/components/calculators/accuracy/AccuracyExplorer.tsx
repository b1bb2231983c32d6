import { useUrlState } from '../../ui/url-state';
import { ChoiceField } from '../../ui/ChoiceField';
import { formatBytes } from '../../../sizing/units';
import type { AccuracyRow } from './accuracy.view';

/** The rows of src/components/calculators/accuracy/accuracy.view.ts without the optional note (a type-only import: no code reaches the browser). */
export type ExplorerRow = Omit<AccuracyRow, 'note'>;

interface Props {
  rows: ExplorerRow[];
}

const QUANTITIES = [
  { value: 'weights', label: 'Weights' },
  { value: 'kv', label: 'KV cache' },
  { value: 'compute', label: 'Compute' },
  { value: 'total', label: 'Total' },
  { value: 'file', label: 'GGUF files' },
] as const;
type QuantityChoice = (typeof QUANTITIES)[number]['value'];

const pct = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(3)}%`;

/** Browse every predicted-vs-measured comparison; the rows are computed at build time by src/components/calculators/accuracy/accuracy.view.ts. */
export default function AccuracyExplorer({ rows }: Props) {
  const [state, set] = useUrlState({ q: 'weights', filter: '' }, 'acc.');
  const quantity: QuantityChoice = QUANTITIES.some((q) => q.value === state.q) ? (state.q as QuantityChoice) : 'weights';
  const needle = state.filter.trim().toLowerCase().slice(0, 100);
  const shown = rows.filter((r) => r.quantity === quantity && (needle === '' || r.reference.toLowerCase().includes(needle)));
  const worst = shown.reduce((m, r) => Math.max(m, Math.abs((r.predicted - r.measured) / r.measured)), 0);
  const filterId = 'accuracy-filter';

  return (
    <form class="calc" aria-label="Accuracy explorer" onSubmit={(e) => e.preventDefault()}>
      <div class="calc__fields">
        <ChoiceField label="Quantity" value={quantity} choices={QUANTITIES} onChange={(v) => set('q', v)} />
        <div class="field">
          <label for={filterId}>Filter by model or setting</label>
          <input
            id={filterId}
            type="search"
            data-accepts="any"
            value={state.filter}
            placeholder="e.g. llama, q8_0, ctx 32768"
            onInput={(e) => set('filter', (e.currentTarget as HTMLInputElement).value)}
          />
        </div>
      </div>
      <output class="calc__result" aria-live="polite">
        {shown.length === 0 ? (
          <span class="calc__placeholder">No comparison matches “{state.filter.slice(0, 40)}”.</span>
        ) : (
          <>
            <span class="calc__label">
              {shown.length} comparison{shown.length === 1 ? '' : 's'}, worst error
            </span>{' '}
            <strong class="calc__value" data-testid="accuracy-worst">
              {(worst * 100).toFixed(3)}%
            </strong>
          </>
        )}
      </output>
      {shown.length > 0 ? (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">Predicted and measured bytes, MiB = 2^20 bytes</caption>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col" class="num">Predicted</th>
                <th scope="col" class="num">Measured</th>
                <th scope="col" class="num">Error</th>
              </tr>
            </thead>
            <tbody>
              {shown.slice(0, 80).map((r) => (
                <tr key={r.reference}>
                  <td>{/^(https?:\/\/|\/data\/)/.test(r.source) ? <a href={r.source}>{r.reference}</a> : r.reference}</td>
                  <td class="num">{formatBytes(r.predicted, 'MiB')}</td>
                  <td class="num" title={`printed as ${r.printed}`}>
                    {formatBytes(r.measured, 'MiB')}
                  </td>
                  <td class="num">{pct((r.predicted - r.measured) / r.measured)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {shown.length > 80 ? <p class="field__hint">Showing 80 of {shown.length}; filter to see the rest.</p> : null}
        </div>
      ) : null}
    </form>
  );
}
