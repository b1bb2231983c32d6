import { useUrlState } from '../../ui/url-state';
import { ChoiceField } from '../../ui/ChoiceField';
import { formatBytes } from '../../../sizing/units';
import type { AccuracyRow } from './accuracy.view';

/**
 * The rows of accuracy.view.ts without the optional note, and the runtimes' own log lines of field-summary.ts (their
 * quantity 'field-<runtime>', a unit, and the set: fit or held-out). Type-only imports: no code reaches the browser.
 */
export type ExplorerRow = Omit<AccuracyRow, 'note' | 'quantity'> & {
  quantity: AccuracyRow['quantity'] | 'field-vllm' | 'field-cuda' | 'field-ollama';
  unit?: 'bytes' | 'tokens' | 'layers';
  set?: 'fit' | 'held-out';
};

interface Props {
  rows: ExplorerRow[];
}

const QUANTITIES = [
  { value: 'weights', label: 'Weights' },
  { value: 'kv', label: 'KV cache' },
  { value: 'compute', label: 'Compute' },
  { value: 'total', label: 'Total' },
  { value: 'file', label: 'GGUF files' },
  { value: 'field-cuda', label: 'llama.cpp CUDA logs' },
  { value: 'field-vllm', label: 'vLLM logs' },
  { value: 'field-ollama', label: 'Ollama logs' },
] as const;
type QuantityChoice = (typeof QUANTITIES)[number]['value'];

const pct = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(3)}%`;

/** Browse every predicted-vs-measured comparison; the rows are computed at build time by src/components/calculators/accuracy/accuracy.view.ts. */
export default function AccuracyExplorer({ rows }: Props) {
  const [state, set] = useUrlState({ q: 'weights', filter: '' }, 'acc.');
  const quantity: QuantityChoice = QUANTITIES.some((q) => q.value === state.q) ? (state.q as QuantityChoice) : 'weights';
  const needle = state.filter.trim().toLowerCase().slice(0, 100);
  const shown = rows.filter((r) => r.quantity === quantity && (needle === '' || r.reference.toLowerCase().includes(needle)));
  const errorOf = (r: ExplorerRow) => (r.unit === 'layers' ? r.predicted - r.measured : (r.predicted - r.measured) / r.measured);
  const relative = shown.filter((r) => r.unit !== 'layers');
  const worst = relative.reduce((m, r) => Math.max(m, Math.abs(errorOf(r))), 0);
  const show = (r: ExplorerRow, v: number) => (r.unit === 'tokens' ? `${Math.round(v).toLocaleString('en-US')} tokens` : r.unit === 'layers' ? `${v} layers` : formatBytes(v, 'MiB'));
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
              {relative.length > 0 ? `${(worst * 100).toFixed(3)}%` : '—'}
            </strong>
          </>
        )}
      </output>
      {shown.length > 0 ? (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">Predicted and measured (bytes in MiB = 2^20 bytes, or tokens, or layers)</caption>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                {shown.some((r) => r.set) ? <th scope="col">Set</th> : null}
                <th scope="col" class="num">Predicted</th>
                <th scope="col" class="num">Measured</th>
                <th scope="col" class="num">Error</th>
              </tr>
            </thead>
            <tbody>
              {shown.slice(0, 80).map((r) => (
                <tr key={`${r.reference}|${r.set ?? ''}`}>
                  <td>{/^(https?:\/\/|\/data\/)/.test(r.source) ? <a href={r.source}>{r.reference}</a> : r.reference}</td>
                  {r.set ? <td>{r.set}</td> : null}
                  <td class="num">{show(r, r.predicted)}</td>
                  <td class="num" title={`printed as ${r.printed}`}>
                    {show(r, r.measured)}
                  </td>
                  <td class="num">{r.unit === 'layers' ? `${errorOf(r) >= 0 ? '+' : '−'}${Math.abs(errorOf(r))}` : pct(errorOf(r))}</td>
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
