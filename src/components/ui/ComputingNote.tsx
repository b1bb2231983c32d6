/**
 * Shown inside a calculator's <output> while its engine loads (see use-lazy-engine.ts): the figures below it are
 * the previous ones. The output carries aria-busy meanwhile, so screen readers wait for the new result.
 */
export function ComputingNote() {
  return (
    <span class="calc__detail calc__computing" data-testid="calc-computing">
      computing…
    </span>
  );
}
