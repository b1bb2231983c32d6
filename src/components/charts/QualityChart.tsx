/**
 * Quality loss against bits per weight: a scatter of mean KL divergence (log scale) against file-average bits per
 * weight, with two marker shapes (without and with an importance matrix). Pure Preact with no hooks, rendered at build
 * time; accessible as an image with a title and description, plus the data as a table.
 */

export interface QualityPoint {
  /** The quant as the source prints it: q4_K_M. */
  label: string;
  /** x: file-average bits per weight. */
  bits: number;
  /** y: mean KL divergence from FP16 (> 0). */
  kld: number;
  imatrix: boolean;
  /** Draw the label next to the marker. */
  annotate?: boolean;
}

export interface QualityChartProps {
  id: string;
  title: string;
  description: string;
  points: readonly QualityPoint[];
  xLabel: string;
  yLabel: string;
  /** Shade the region left of this x and name it (the risky range). */
  shadeBelow?: { x: number; label: string };
  /** A dashed vertical marker at this x, with its label. */
  marker?: { x: number; label: string };
  /** Source line under the chart. */
  source: string;
}

const W = 640;
const H = 360;
const M = { top: 20, right: 24, bottom: 52, left: 64 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

const fmtBits = (x: number) => x.toFixed(2);
const fmtKld = (y: number) => String(Number(y.toPrecision(3)));

export function QualityChart({ id, title, description, points, xLabel, yLabel, shadeBelow, marker, source }: QualityChartProps) {
  const ok = points.filter((p) => Number.isFinite(p.bits) && Number.isFinite(p.kld) && p.kld > 0);
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  if (ok.length === 0) return <p id={id}>{title}: no data.</p>;
  const xMin = Math.floor(Math.min(...ok.map((p) => p.bits)));
  const xMax = Math.ceil(Math.max(...ok.map((p) => p.bits)));
  const eMin = Math.floor(Math.log10(Math.min(...ok.map((p) => p.kld))));
  const eMax = Math.ceil(Math.log10(Math.max(...ok.map((p) => p.kld))));
  const sx = (x: number) => M.left + ((x - xMin) / (xMax - xMin || 1)) * PW;
  const sy = (y: number) => M.top + PH - ((Math.log10(y) - eMin) / (eMax - eMin || 1)) * PH;
  const xTicks = Array.from({ length: xMax - xMin + 1 }, (_, i) => xMin + i);
  const yTicks = Array.from({ length: eMax - eMin + 1 }, (_, i) => 10 ** (eMin + i));
  const sorted = [...ok].sort((a, b) => b.bits - a.bits || a.kld - b.kld);

  return (
    <figure class="qchart" id={id}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${titleId} ${descId}`} class="chart__svg">
        <title id={titleId}>{title}</title>
        <desc id={descId}>{description}</desc>
        <g aria-hidden="true">
          {shadeBelow && shadeBelow.x > xMin ? (
            <g>
              <rect class="qchart__shade" x={M.left} y={M.top} width={sx(Math.min(shadeBelow.x, xMax)) - M.left} height={PH} />
              <text class="chart__text chart__text--soft" x={M.left + 6} y={M.top + 14}>
                {shadeBelow.label}
              </text>
            </g>
          ) : null}
          {yTicks.map((t) => (
            <g key={`y${t}`}>
              <line class="chart__grid" x1={M.left} x2={M.left + PW} y1={sy(t)} y2={sy(t)} />
              <text class="chart__text" x={M.left - 8} y={sy(t)} dy="0.32em" text-anchor="end">
                {fmtKld(t)}
              </text>
            </g>
          ))}
          {xTicks.map((t) => (
            <g key={`x${t}`}>
              <line class="chart__grid" x1={sx(t)} x2={sx(t)} y1={M.top} y2={M.top + PH} />
              <text class="chart__text" x={sx(t)} y={M.top + PH + 18} text-anchor="middle">
                {t}
              </text>
            </g>
          ))}
          <line class="chart__axis" x1={M.left} x2={M.left + PW} y1={M.top + PH} y2={M.top + PH} />
          <line class="chart__axis" x1={M.left} x2={M.left} y1={M.top} y2={M.top + PH} />
          {marker ? (
            <g>
              <line class="qchart__marker" x1={sx(marker.x)} x2={sx(marker.x)} y1={M.top} y2={M.top + PH} />
              <text class="chart__text chart__text--soft" x={sx(marker.x) + 4} y={M.top + 14}>
                {marker.label}
              </text>
            </g>
          ) : null}
          <text class="chart__text" x={M.left + PW / 2} y={H - 8} text-anchor="middle">
            {xLabel}
          </text>
          <text class="chart__text" transform={`translate(16 ${M.top + PH / 2}) rotate(-90)`} text-anchor="middle">
            {yLabel} (log scale)
          </text>
          {ok.map((p) =>
            p.imatrix ? (
              <rect key={`${p.label}-i`} class="chart__point chart__point--imatrix" x={sx(p.bits) - 4} y={sy(p.kld) - 4} width={8} height={8} />
            ) : (
              <circle key={p.label} class="chart__point" cx={sx(p.bits)} cy={sy(p.kld)} r={4.5} />
            ),
          )}
          {ok
            .filter((p) => p.annotate)
            .map((p) => (
              <text key={`${p.label}-${p.imatrix}-t`} class="chart__text" x={sx(p.bits) + 7} y={sy(p.kld) - 6}>
                {p.label}
              </text>
            ))}
        </g>
      </svg>
      <figcaption>
        <ul class="qchart__legend">
          <li>
            <svg viewBox="0 0 10 10" width="10" height="10" aria-hidden="true">
              <circle class="chart__point" cx="5" cy="5" r="4.5" />
            </svg>{' '}
            without an importance matrix
          </li>
          <li>
            <svg viewBox="0 0 10 10" width="10" height="10" aria-hidden="true">
              <rect class="chart__point chart__point--imatrix" x="1" y="1" width="8" height="8" />
            </svg>{' '}
            with an importance matrix (wikitext)
          </li>
        </ul>
        <p class="qchart__source">{source}</p>
        <details class="qchart__data">
          <summary>Data table</summary>
          <table>
            <thead>
              <tr>
                <th scope="col">Quant</th>
                <th scope="col">Importance matrix</th>
                <th scope="col">{xLabel}</th>
                <th scope="col">{yLabel}</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((p) => (
                <tr key={`${p.label}-${p.imatrix}`}>
                  <th scope="row">{p.label}</th>
                  <td>{p.imatrix ? 'yes' : 'no'}</td>
                  <td>{fmtBits(p.bits)}</td>
                  <td>{fmtKld(p.kld)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  );
}

export default QualityChart;
