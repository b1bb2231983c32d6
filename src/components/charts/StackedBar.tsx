/**
 * A horizontal stacked bar of labelled segments with a legend: weights, KV cache, compute, overhead, free ...
 * Pure Preact, no hooks: usable inside an island or at build time. The bar is decoration (aria-hidden); the
 * caption and the legend carry the same information as text.
 */

export interface BarSegment {
  label: string;
  value: number;
  /** Colour slot (CSS .sbar__seg--<tone>): weights, kv, kvpool (KV blocks held beyond need), compute, overhead, free. */
  tone: 'weights' | 'kv' | 'kvpool' | 'compute' | 'overhead' | 'free';
}

export interface StackedBarProps {
  /** Caption above the bar, e.g. the runtime's name. */
  label: string;
  segments: readonly BarSegment[];
  format: (value: number) => string;
  /**
   * Full width of the bar in the segments' unit (to draw several bars on one scale). Default: the sum of the
   * segments, or the capacity when that is larger.
   */
  scale?: number;
  /** A limit to mark on the bar (GPU memory); segments past it are drawn beyond the marker. */
  capacity?: number;
  capacityLabel?: string;
  /** Text after the caption, e.g. the total. */
  summary?: string;
}

export function StackedBar({ label, segments, format, scale, capacity, capacityLabel = 'Capacity', summary }: StackedBarProps) {
  const shown = segments.filter((s) => Number.isFinite(s.value) && s.value > 0);
  const sum = shown.reduce((a, s) => a + s.value, 0);
  const full = Math.max(scale ?? 0, sum, capacity ?? 0);
  const pct = (v: number) => (full > 0 ? (v / full) * 100 : 0);
  return (
    <figure class="sbar">
      <figcaption class="sbar__caption">
        <strong>{label}</strong>
        {summary ? <span class="sbar__summary"> {summary}</span> : null}
      </figcaption>
      <div class="sbar__track" aria-hidden="true">
        {shown.map((s) => (
          <span key={s.label} class={`sbar__seg sbar__seg--${s.tone}`} style={`width:${pct(s.value).toFixed(3)}%`} title={`${s.label}: ${format(s.value)}`} />
        ))}
        {capacity !== undefined && capacity > 0 && Number.isFinite(capacity) ? (
          <span class="sbar__cap" style={`left:${pct(capacity).toFixed(3)}%`} title={`${capacityLabel}: ${format(capacity)}`} />
        ) : null}
      </div>
      <ul class="sbar__legend">
        {shown.map((s) => (
          <li key={s.label}>
            <span class={`sbar__swatch sbar__seg--${s.tone}`} aria-hidden="true" />
            {s.label} <span class="sbar__value">{format(s.value)}</span>
          </li>
        ))}
        {capacity !== undefined && capacity > 0 && Number.isFinite(capacity) ? (
          <li>
            <span class="sbar__swatch sbar__swatch--cap" aria-hidden="true" />
            {capacityLabel} <span class="sbar__value">{format(capacity)}</span>
          </li>
        ) : null}
      </ul>
    </figure>
  );
}

export default StackedBar;
