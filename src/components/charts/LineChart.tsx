/**
 * A small SVG line chart: pure Preact, no hooks and no dependencies, so it renders the same in an island and at
 * build time in a page. Accessible as an image with a title and a text description, plus an optional data table.
 */

export interface LineSeries {
  label: string;
  points: readonly (readonly [number, number])[];
  /** Colour slot: a, b, c or d (CSS .lchart__line--a ...). */
  tone: 'a' | 'b' | 'c' | 'd';
  dashed?: boolean;
}

export interface LineChartProps {
  /** Unique on the page: the title and description ids derive from it. */
  id: string;
  title: string;
  /** A text summary of what the chart shows (the <desc>, read by screen readers). */
  description: string;
  series: readonly LineSeries[];
  xScale?: 'linear' | 'log';
  xLabel: string;
  yLabel: string;
  formatX: (x: number) => string;
  formatY: (y: number) => string;
  /** Axis tick labels, when they should be shorter than formatY (which the data table uses). Default formatY. */
  formatYTick?: (y: number) => string;
  /** Show the points as a table under a disclosure. Default true. */
  table?: boolean;
}

const W = 640;
const H = 320;
const M = { top: 16, right: 20, bottom: 48, left: 72 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

/** 1, 2 or 5 x 10^k: the step that gives about `count` ticks over [0, max]. */
export function niceStep(max: number, count = 5): number {
  if (!(max > 0) || !Number.isFinite(max)) return 1;
  const raw = max / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

function linearTicks(min: number, max: number, count = 5): number[] {
  const step = niceStep(max - min, count);
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(v);
  return ticks;
}

/** Powers of two between min and max, thinned to at most `count`. */
function log2Ticks(min: number, max: number, count = 8): number[] {
  const all: number[] = [];
  for (let e = Math.ceil(Math.log2(min)); 2 ** e <= max; e++) all.push(2 ** e);
  const every = Math.max(1, Math.ceil(all.length / count));
  return all.filter((_, i) => i % every === 0);
}

export function LineChart({ id, title, description, series, xScale = 'linear', xLabel, yLabel, formatX, formatY, formatYTick, table = true }: LineChartProps) {
  const finite = series.map((s) => ({ ...s, points: s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (xScale === 'linear' || x > 0)) }));
  const xs = finite.flatMap((s) => s.points.map((p) => p[0]));
  const ys = finite.flatMap((s) => s.points.map((p) => p[1]));
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  if (xs.length === 0) {
    return (
      <p class="lchart lchart--empty" id={id}>
        {title}: no data.
      </p>
    );
  }
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const yTop = Math.max(...ys, 0);
  const yStep = niceStep(yTop);
  const yMax = yTop > 0 ? Math.ceil(yTop / yStep) * yStep : 1;
  const log = xScale === 'log' && xMin > 0;
  const span = log ? Math.log(xMax / xMin) : xMax - xMin;
  const sx = (x: number) => M.left + (span === 0 ? PW / 2 : ((log ? Math.log(x / xMin) : x - xMin) / span) * PW);
  const sy = (y: number) => M.top + PH - (y / yMax) * PH;
  const xTicks = log ? log2Ticks(xMin, xMax) : linearTicks(xMin, xMax, 6);
  const yTicks = linearTicks(0, yMax, 5);
  const tableXs = [...new Set(xs)].sort((a, b) => a - b);

  return (
    <figure class="lchart" id={id}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${titleId} ${descId}`} class="lchart__svg">
        <title id={titleId}>{title}</title>
        <desc id={descId}>{description}</desc>
        <g class="lchart__grid" aria-hidden="true">
          {yTicks.map((t) => (
            <g key={`y${t}`}>
              <line x1={M.left} x2={M.left + PW} y1={sy(t)} y2={sy(t)} />
              <text x={M.left - 8} y={sy(t)} dy="0.32em" text-anchor="end">
                {(formatYTick ?? formatY)(t)}
              </text>
            </g>
          ))}
          {xTicks.map((t) => (
            <g key={`x${t}`}>
              <line x1={sx(t)} x2={sx(t)} y1={M.top} y2={M.top + PH} />
              <text x={sx(t)} y={M.top + PH + 18} text-anchor="middle">
                {formatX(t)}
              </text>
            </g>
          ))}
          <text class="lchart__axis-label" x={M.left + PW / 2} y={H - 6} text-anchor="middle">
            {xLabel}
            {log ? ' (log scale)' : ''}
          </text>
          <text class="lchart__axis-label" transform={`translate(14 ${M.top + PH / 2}) rotate(-90)`} text-anchor="middle">
            {yLabel}
          </text>
        </g>
        {finite.map((s) => (
          <polyline
            key={s.label}
            class={`lchart__line lchart__line--${s.tone}${s.dashed ? ' lchart__line--dashed' : ''}`}
            points={s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}
          />
        ))}
      </svg>
      <figcaption>
        <ul class="lchart__legend">
          {finite.map((s) => (
            <li key={s.label}>
              <svg class="lchart__key" viewBox="0 0 24 8" width="24" height="8" aria-hidden="true">
                <line class={`lchart__line lchart__line--${s.tone}${s.dashed ? ' lchart__line--dashed' : ''}`} x1="0" x2="24" y1="4" y2="4" />
              </svg>
              {s.label}
            </li>
          ))}
        </ul>
        {table ? (
          <details class="lchart__data">
            <summary>Data table</summary>
            <table>
              <thead>
                <tr>
                  <th scope="col">{xLabel}</th>
                  {finite.map((s) => (
                    <th scope="col" key={s.label}>
                      {s.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {tableXs.map((x) => (
                  <tr key={x}>
                    <th scope="row">{formatX(x)}</th>
                    {finite.map((s) => {
                      const p = s.points.find((q) => q[0] === x);
                      return <td key={s.label}>{p ? formatY(p[1]) : '—'}</td>;
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        ) : null}
      </figcaption>
    </figure>
  );
}

export default LineChart;
