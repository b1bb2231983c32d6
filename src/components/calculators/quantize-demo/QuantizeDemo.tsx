import { useUrlState } from '../../ui/url-state';
import { ChoiceField } from '../../ui/ChoiceField';
import { TextAreaField } from '../../ui/TextAreaField';
import {
  DEMO_FORMULA,
  DEMO_GGML_TYPE,
  DEMO_SCHEMES,
  E2M1_VALUES,
  IQ4_NL_VALUES,
  parseWeightList,
  quantizeDemo,
  randomNormalVector,
  formatSignificant,
  type DemoResult,
  type DemoScheme,
} from '../../../sizing/formats/quantize-demo';
import { ggmlType } from '../../../sizing/formats/ggml-types';

interface Props {
  /** Query-string prefix, so two demos on one page keep separate state. */
  id?: string;
  scheme?: DemoScheme;
}

const CHOICES = DEMO_SCHEMES.map((s) => ({ value: s, label: s }));

const fmt = formatSignificant;

function codeBits(scheme: DemoScheme): number {
  if (scheme === 'Q8_0') return 8;
  if (scheme === 'Q5_0' || scheme === 'Q5_1') return 5;
  return 4;
}

function levelHeader(scheme: DemoScheme): string {
  if (scheme === 'IQ4_NL') return 'table[q]';
  if (scheme === 'MXFP4' || scheme === 'NVFP4') return 'fp4[q]';
  if (scheme === 'Q4_0') return 'q − 8';
  if (scheme === 'Q5_0') return 'q − 16';
  return 'q';
}

/** Every value the first scale group can represent: the grid the weights are rounded onto. */
function gridOf(r: DemoResult): number[] {
  const g = r.groups[0];
  if (!g) return [];
  const s = r.scheme;
  if (s === 'IQ4_NL') return IQ4_NL_VALUES.map((v) => v * g.scale);
  if (s === 'MXFP4') return E2M1_VALUES.map((v) => v * g.scale);
  if (s === 'NVFP4') return E2M1_VALUES.map((v) => v * g.scale * (r.tensorScale ?? 0));
  const n = 2 ** codeBits(s);
  if (s === 'Q8_0') return Array.from({ length: 255 }, (_, i) => (i - 127) * g.scale);
  if (s === 'Q4_1' || s === 'Q5_1') return Array.from({ length: n }, (_, q) => q * g.scale + (g.min ?? 0));
  return Array.from({ length: n }, (_, q) => (q - n / 2) * g.scale);
}

/** A number line: the grid of representable values (ticks), each weight (dot above) and where it landed (below). */
function GridPicture({ r }: { r: DemoResult }) {
  const first = r.groups[0];
  if (!first) return null;
  const xs = r.input.slice(first.start, first.end);
  const grid = gridOf(r);
  const all = [...xs, ...grid];
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const span = hi - lo || 1;
  const W = 640;
  const pad = 12;
  const x = (v: number) => pad + ((v - lo) / span) * (W - 2 * pad);
  const label = `${xs.length} weights (dots, top) rounded to the ${new Set(grid).size} values ${r.scheme} can store in this block (ticks); lines show where each weight landed.`;
  return (
    <figure class="qdemo__figure">
      <svg viewBox={`0 0 ${W} 86`} role="img" aria-label={label} class="qdemo__svg">
        <line x1={pad} x2={W - pad} y1={60} y2={60} class="qdemo__axis" />
        {grid.map((g, i) => (
          <line key={`g${i}`} x1={x(g)} x2={x(g)} y1={54} y2={66} class="qdemo__tick" />
        ))}
        {xs.map((v, i) => (
          <g key={`w${i}`}>
            <line x1={x(v)} y1={18} x2={x(r.dequantized[first.start + i] ?? v)} y2={58} class="qdemo__link" />
            <circle cx={x(v)} cy={14} r={3.5} class="qdemo__dot" />
          </g>
        ))}
        <text x={pad} y={82} class="qdemo__label">
          {fmt(lo)}
        </text>
        <text x={W - pad} y={82} text-anchor="end" class="qdemo__label">
          {fmt(hi)}
        </text>
      </svg>
      <figcaption>
        Dots: the weights{r.groups.length > 1 ? ` of the first block of ${first.end - first.start}` : ''}. Ticks: the values {r.scheme} can
        store with this block’s scale. Each line joins a weight to the value it is stored as.
      </figcaption>
    </figure>
  );
}

/** Quantize a vector of weights with a ggml scheme and show what is stored, what comes back and the error. */
export default function QuantizeDemo({ id = 'qd', scheme = 'Q4_0' }: Props) {
  const [state, set] = useUrlState({ scheme, seed: '1', mode: 'seed', w: '' }, id ? `${id}.` : '');
  const chosen: DemoScheme = (DEMO_SCHEMES as readonly string[]).includes(state.scheme) ? (state.scheme as DemoScheme) : 'Q4_0';
  const seedNum = /^\d{1,9}$/.test(state.seed) ? Number(state.seed) : 1;
  const text = state.mode === 'text' ? state.w : randomNormalVector(seedNum).join(' ');
  const parsed = parseWeightList(text);
  const result = parsed.ok ? quantizeDemo(parsed.value, chosen) : null;

  const t = ggmlType(DEMO_GGML_TYPE[chosen]);
  const bpw = (8 * t.bytesPerBlock) / t.blockSize;

  return (
    <form class="calc qdemo" aria-label="Quantization demo" onSubmit={(e) => e.preventDefault()}>
      <div class="calc__fields">
        <ChoiceField label="Scheme" value={chosen} choices={CHOICES} onChange={(v) => set('scheme', v)} />
      </div>
      <div class="qdemo__weights">
        <TextAreaField
          label="Weights"
          name="weights"
          rows={4}
          value={text}
          onInput={(v) => {
            set('mode', 'text');
            set('w', v);
          }}
          error={parsed.ok ? null : parsed.message}
          hint="1 to 32 numbers separated by spaces or commas (one block). Paste your own or draw new ones."
        />
        <button
          type="button"
          class="qdemo__button"
          onClick={() => {
            set('mode', 'seed');
            set('w', '');
            set('seed', String(seedNum + 1));
          }}
        >
          Random normal values
        </button>
      </div>
      <output class="calc__result" aria-live="polite" aria-atomic="true">
        {result === null ? (
          <span class="calc__placeholder">Fix the highlighted field to see the result.</span>
        ) : (
          <>
            <span class="calc__label">RMS error</span>{' '}
            <strong class="calc__value" data-testid="qdemo-rmse">
              {fmt(result.rmse)}
            </strong>
            <span class="calc__detail">
              Largest error <span data-testid="qdemo-max">{fmt(result.maxAbsError)}</span>.{' '}
              {result.groups.map((g, i) => (
                <span key={i}>
                  {result.groups.length > 1 ? `Block ${i + 1}: ` : ''}scale d = <span data-testid={`qdemo-scale-${i}`}>{fmt(g.scale)}</span> ({g.scaleFormat})
                  {g.min !== undefined ? (
                    <>
                      , minimum m = <span data-testid={`qdemo-min-${i}`}>{fmt(g.min)}</span> (FP16)
                    </>
                  ) : null}
                  .{' '}
                </span>
              ))}
              {result.tensorScale !== undefined ? <>Tensor scale {fmt(result.tensorScale)} (FP32). </> : null}
              {DEMO_FORMULA[chosen]}.
            </span>
            <span class="calc__detail" data-testid="qdemo-bits">
              Storage: {t.name} keeps {t.blockSize} weights in {t.bytesPerBlock} bytes ({t.layout}) ={' '}
              <strong>{fmt(bpw)} bits per weight</strong>
              {chosen === 'NVFP4' ? ', plus 32 bits per tensor for the FP32 scale' : ''}; {codeBits(chosen)} bits per code, the
              rest is scales.
            </span>
          </>
        )}
      </output>
      {result ? (
        <>
          <GridPicture r={result} />
          <section class="table-scroll qdemo__table" tabIndex={0} aria-label="Each weight, its stored code and the error">
            <table>
              <caption class="visually-hidden">Each weight, the code stored for it, the value it decodes to and the error</caption>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Weight</th>
                  <th scope="col">Code q</th>
                  <th scope="col">{levelHeader(chosen)}</th>
                  <th scope="col">Decoded</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                {result.input.map((x, i) => (
                  <tr key={i}>
                    <td>{i + 1}</td>
                    <td>{fmt(x)}</td>
                    <td>{result.codes[i]}</td>
                    <td>{fmt(result.levels[i] ?? 0)}</td>
                    <td>{fmt(result.dequantized[i] ?? 0)}</td>
                    <td>{fmt(result.errors[i] ?? 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      ) : null}
    </form>
  );
}
